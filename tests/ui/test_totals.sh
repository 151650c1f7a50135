#!/usr/bin/env bash
# test_totals.sh: running totals since start (issue 19) on the screen, against
# the bytes a client knows it sent. In a private namespace (lo only) a server
# on 127.0.0.1:9100 answers each 100000 bytes a client from 127.0.0.5 sends
# with 50000; the client connects after nettop's first sample and sends
# three times, samples apart, then keeps the connection open. The remote
# pane's Seen/In/Out columns then say, for 127.0.0.5 (the server's socket):
# 1 connection seen, 300.0k in, 150.0k out. A first client, from 127.0.0.6,
# sends 100000 and closes before: for 127.0.0.1 (the clients' sockets) 2
# connections seen, 200.0k in and 400.0k out, the closed one's share kept.
#
# Usage: bash tests/ui/test_totals.sh /abs/path/to/nettop
# Needs root (ip netns), tmux and python3. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_totals.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS="nettop-totals-$$"
SOCKET="nettop-totals-$$"
TIMEOUT_MS=15000
TMP=$(mktemp -d)
NETNS_MADE=()
PIDS=()

source "$HERE/lib.sh"

cleanup() {
	local status=$?
	kill_tmux
	stop_pids "${PIDS[@]}"
	netns_del_made
	rm -rf "$TMP"
	exit "$status"
}
set_traps

netns_add "$NS"
ip -n "$NS" link set lo up

# The server reads and answers; the clients wait for $TMP/go.
cat >"$TMP/peers.py" <<'EOF'
import os, socket, sys, threading, time

tmp = sys.argv[1]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 9100))
srv.listen(8)

def serve(c):
    while True:
        got = 0
        while got < 100000:
            b = c.recv(100000 - got)
            if not b:
                return
            got += len(b)
        c.sendall(b"y" * 50000)

def accept():
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()

threading.Thread(target=accept, daemon=True).start()
print("READY", flush=True)
while not os.path.exists(os.path.join(tmp, "go")):
    time.sleep(0.05)
short = socket.socket()
short.bind(("127.0.0.6", 0))
short.connect(("127.0.0.1", 9100))
short.sendall(b"x" * 100000)
short.recv(50000, socket.MSG_WAITALL)
time.sleep(1.5)
short.close()
cl = socket.socket()
cl.bind(("127.0.0.5", 0))
cl.connect(("127.0.0.1", 9100))
for _ in range(3):
    cl.sendall(b"x" * 100000)
    got = 0
    while got < 50000:
        got += len(cl.recv(50000 - got))
    time.sleep(1.5)
open(os.path.join(tmp, "done"), "w").close()
time.sleep(120)
EOF
ip netns exec "$NS" python3 "$TMP/peers.py" "$TMP" >"$TMP/peers.out" 2>&1 &
PIDS+=($!)
wait_for 5000 grep -q READY "$TMP/peers.out" || fatal setup "the peers are not ready: $(cat "$TMP/peers.out")"

# one pane at a time, the remote addresses' (Tab Tab): all its columns show
printf 'layout = single\n' >"$TMP/config"
tm new-session -d -s t -x 160 -y 40 \
	"ip netns exec $NS env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$TMP $NETTOP -n --no-color --config $TMP/config; sleep 60"
wait_for "$TIMEOUT_MS" screen_has t 'Conns' || fatal "nettop starts" "$(screen t)"
tm send-keys -t t: Tab Tab
check "the remote pane has Seen, In and Out" '$(screen t | head -4)' screen_has t 'Remote address +Conns .*By state +Seen +In +Out'
# a sample or two before the clients start
sleep 2.5
touch "$TMP/go"
wait_for 20000 test -e "$TMP/done" || fatal "the clients finish" "$(cat "$TMP/peers.out")"

row_has() {
	screen t | grep -E -- "^.{0,60}$1 " | grep -qE -- "$2"
}
check "127.0.0.5: one connection seen, 300000 bytes in, 150000 out" \
	'$(screen t | grep -E "127\.0\.0\.5 ")' row_has '127\.0\.0\.5' ' 1 +300\.0k +150\.0k( +[0-9.]+)? *$'
# the clients' sockets: two seen, the closed one's 100000 out and 50000 in kept
check "127.0.0.1: both clients' sides, the closed one's share kept" \
	'$(screen t | grep -E "127\.0\.0\.1 ")' row_has '127\.0\.0\.1' ' 2 +200\.0k +400\.0k( +[0-9.]+)? *$'

summary
