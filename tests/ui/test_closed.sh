#!/usr/bin/env bash
# test_closed.sh: the Closed view (E, issue 18) on screen. In a private
# namespace (lo only) nettop runs in a private tmux server, recording; a
# helper opens and closes connections to two ports with known payloads; the
# Closed view lists them with their exact payload bytes, `dport = :N`
# narrows it to one port, a short burst of ~20k connections a second
# (bench/churn.c) runs while a key still changes the screen, and a replay of
# the recording shows the same number of closed connections.
#
# Usage: bash tests/ui/test_closed.sh /abs/path/to/nettop
# Needs root (ip netns, the destroy events), tmux, python3 and cc. Prints
# "ok - NAME" or "not ok - NAME: detail" per check, then one
# "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_closed.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS="nettop-closed-$$"
SOCKET="nettop-closed-$$"
TIMEOUT_MS=8000
TMP=$(mktemp -d /tmp/nettop-closed.XXXXXX)
PIDS=()
A_CONNS=20 A_PORT=8080 A_UP=5000 A_DOWN=1000
B_CONNS=5 B_PORT=9090 B_UP=333 B_DOWN=4444
BURST_RATE=20000 BURST_SECONDS=2
ROW='^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} '     # a row of the Closed view

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

# start SESSION CMD...: CMD at 160x60, its config its own.
start() {
	local name=$1 cmd
	shift
	printf -v cmd '%q ' env XDG_CONFIG_HOME="$TMP/xdg" "$@"
	tm new-session -d -s "$name" -x 160 -y 60 "$cmd; echo exit=\$?; exec sleep 600"
}

# The Closed pane's title line: " Closed  N shown, T closed since start, …".
closed_title() {
	screen "$1" | grep -E '^ Closed  ' | head -1
}

# closed_total SESSION: T of the title, or nothing.
closed_total() {
	closed_title "$1" | sed -nE 's/.* ([0-9]+) closed since start.*/\1/p'
}

closed_shown() {
	closed_title "$1" | sed -nE 's/^ Closed  ([0-9]+) shown.*/\1/p'
}

# count_rows SESSION REGEX: rows of the screen matching REGEX.
count_rows() {
	screen "$1" | grep -cE -- "$2"
}

# talk PORT CONNS UP DOWN: CONNS connections to 127.0.0.1:PORT in the
# namespace, each sending UP bytes and receiving DOWN, closed; the listener
# is closed at the end (one more close).
talk() {
	ip netns exec "$NS" python3 -c '
import socket, sys, threading
port, conns, up, down = map(int, sys.argv[1:5])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", port))
l.listen(128)
def serve():
    for _ in range(conns):
        c, _ = l.accept()
        got = 0
        while got < up:
            got += len(c.recv(65536))
        c.sendall(b"s" * down)
        c.close()
t = threading.Thread(target=serve)
t.start()
for _ in range(conns):
    c = socket.socket()
    c.connect(("127.0.0.1", port))
    c.sendall(b"c" * up)
    while c.recv(65536):
        pass
    c.close()
t.join()
l.close()' "$@"
}

# settled SESSION: the total did not change over two samples.
settled() {
	local a b
	a=$(closed_total "$1")
	sleep 2.2
	b=$(closed_total "$1")
	[[ -n $a && $a == "$b" ]]
}

# rows_stable SESSION FILE: the Closed view's rows from the first, the same
# twice a sample apart, are written to FILE.
rows_stable() {
	tm send-keys -t "$1": Home
	sleep 0.3
	screen "$1" | grep -E "$ROW" >"$2.a"
	sleep 1.2
	tm send-keys -t "$1": Home
	sleep 0.3
	screen "$1" | grep -E "$ROW" >"$2"
	[[ -s $2 ]] && cmp -s "$2" "$2.a"
}

netns_add "$NS"
ip netns exec "$NS" ip link set lo up || fatal setup "lo up"
ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096
cc -O2 -o "$TMP/churn" "$HERE/../../bench/churn.c" -lpthread || fatal setup "cc bench/churn.c"

# the config's closed_ring: the Closed view keeps the last 5000
mkdir -p "$TMP/xdg/nettop"
echo "closed_ring = 5000" >"$TMP/xdg/nettop/config"
start live ip netns exec "$NS" "$NETTOP" -n --interval 1 --record "$TMP/closed.rec"
check "the screen starts" 'screen live' screen_has live ' TCP states '
check "the states pane has closed/s" 'screen live' screen_has live 'Closed/s'

# --batch records the events too: for the helper's connections only
ip netns exec "$NS" "$NETTOP" --batch -c --record "$TMP/batch.rec" --interval 0.5 >/dev/null 2>"$TMP/batch.err" &
batch=$!
PIDS+=($batch)
wait_for 5000 test -s "$TMP/batch.rec" || fatal setup "nettop --batch --record did not start: $(cat "$TMP/batch.err")"
talk $A_PORT $A_CONNS $A_UP $A_DOWN || fatal talk "the helper for :$A_PORT failed"
talk $B_PORT $B_CONNS $B_UP $B_DOWN || fatal talk "the helper for :$B_PORT failed"
tm send-keys -t live: E
check "E shows the Closed view" 'screen live' screen_has live '^ Closed  '
# both ends of each connection, and the two listeners
want=$((2 * (A_CONNS + B_CONNS) + 2))
check_eq "every close is counted" "$want" closed_total live
check "a connection no sample saw lived less than an interval" 'screen live' \
	screen_has live ' CLOSE +<interval '

# filter SESSION EXPR: applies the filter EXPR ("" clears it).
filter() {
	tm send-keys -t "$1": '\' C-u
	[[ -n $2 ]] && tm send-keys -t "$1": -l "$2"
	tm send-keys -t "$1": Enter
}

# the filter language of the connections pane; each end with its exact
# payload (client: RX down, TX up; server the other way round)
filter live "dport = :$A_PORT"
check_eq "dport = :$A_PORT narrows to its clients" "$A_CONNS" closed_shown live
check_eq "its clients with exact payload" "$A_CONNS" \
	count_rows live "127\.0\.0\.1:$A_PORT +CLOSE .* $A_DOWN +$A_UP "
check "the header shows the filter" 'screen live | head -1' screen_has live "filter: dport = :$A_PORT"
filter live "sport = :$A_PORT"
check_eq "sport = :$A_PORT: its server ends and the listener" "$((A_CONNS + 1))" closed_shown live
check_eq "the server ends with exact payload" "$A_CONNS" \
	count_rows live "127\.0\.0\.1:$A_PORT +127\.0\.0\.1:[0-9]+ +CLOSE .* $A_UP +$A_DOWN "
filter live "dport = :$B_PORT"
check_eq "dport = :$B_PORT narrows to its clients" "$B_CONNS" closed_shown live
check_eq "with their exact payload" "$B_CONNS" \
	count_rows live "127\.0\.0\.1:$B_PORT +CLOSE .* $B_DOWN +$B_UP "
check_eq "no row of :$A_PORT is left" 0 count_rows live ":$A_PORT "
filter live ""
check_eq "the filter cleared shows all again" "$want" closed_shown live
sleep 1.2	# a sample of --batch's after the last close
stop_pids "$batch"

# the burst: keys are answered meanwhile
ip netns exec "$NS" "$TMP/churn" $BURST_RATE $BURST_SECONDS 7000 >"$TMP/churn.out" 2>&1 &
PIDS+=($!)
churn=$!
sleep 0.5
tm send-keys -t live: E
check "during the burst, E shows the live connections" 'screen live' screen_has live '^ Connections  '
tm send-keys -t live: E
check "and E again the Closed view" 'screen live' screen_has live '^ Closed  '
wait "$churn"
read -r made _ failed <"$TMP/churn.out"
if [[ ${made:-0} -gt 0 ]]; then
	ok "the burst made $made connections (failed ${failed:-?})"
else
	not_ok "the burst ran" "$(cat "$TMP/churn.out")"
fi
check "after the burst, the count settles" 'closed_title live' settled live
tm send-keys -t live: E
check "after the burst, E shows the live connections" 'screen live' screen_has live '^ Connections  '
tm send-keys -t live: E
check "and E the Closed view again" 'screen live' screen_has live '^ Closed  '
total=$(closed_total live)
if [[ -n $total && $total -ge $((want + made)) ]]; then
	ok "the burst's closes are counted ($total)"
else
	not_ok "the burst's closes are counted" "total '$total', want at least $((want + made))"
fi
check "the ring keeps the last 5000 (closed_ring)" 'closed_title live' output_is 5000 closed_shown live
tm send-keys -t live: Home
check "the first rows stay as they are" 'screen live | head -20' rows_stable live "$TMP/live.rows"
tm send-keys -t live: q
check "nettop quits" 'screen live' screen_has live '^exit=0'

# the recording replays with the same closed connections, played at x16
start replay "$NETTOP" -n --replay "$TMP/closed.rec"
tm send-keys -t replay: E ] ] ] ]
if wait_for 60000 screen_has replay '^ nettop .*PAUSED'; then
	ok "the replay plays to its end"
else
	not_ok "the replay plays to its end" "$(screen replay | head -1)"
fi
check_eq "the replay counts the same closes" "$total" closed_total replay
check_eq "and shows as many" 5000 closed_shown replay
tm send-keys -t replay: Home
check "the replay's first rows stay as they are" 'screen replay | head -20' rows_stable replay "$TMP/replay.rows"
# Durations are left out: one counts from the first sample that saw the
# socket, and a screen that skips a sample under load (the live one or the
# replay at x16, more so under ASan) first sees it one sample later.
no_durations() {
	sed -E 's/ <?[0-9.]+(ms|s|m|h)( |$)/ -\2/g' "$1"
}
if [[ -s $TMP/live.rows ]] && cmp -s <(no_durations "$TMP/live.rows") <(no_durations "$TMP/replay.rows"); then
	ok "the replay's newest rows are the live screen's ($(wc -l <"$TMP/live.rows"))"
else
	not_ok "the replay's newest rows are the live screen's" "$(diff "$TMP/live.rows" "$TMP/replay.rows" | head -6)"
fi

# the --batch recording, replayed on the screen
start batchrec "$NETTOP" -n --replay "$TMP/batch.rec"
tm send-keys -t batchrec: E ] ] ] ]
if wait_for 30000 screen_has batchrec '^ nettop .*PAUSED'; then
	ok "the --batch recording plays to its end"
else
	not_ok "the --batch recording plays to its end" "$(screen batchrec | head -1)"
fi
check_eq "the --batch recording has every close" "$want" closed_total batchrec
filter batchrec "dport = :$A_PORT"
check_eq "with the exact payloads" "$A_CONNS" \
	count_rows batchrec "127\.0\.0\.1:$A_PORT +CLOSE .* $A_DOWN +$A_UP "

# and in JSON: each sample's closed counts, from the recorded events
replay_json_closed() {
	"$NETTOP" --replay "$TMP/batch.rec" --json | python3 -c '
import json, sys
total = remote = 0
for line in sys.stdin:
    s = json.loads(line)
    total += (s.get("closed") or {}).get("total", 0)
    remote += sum(r["closed"] for r in s.get("closed_remotes", []) if r["addr"] == "127.0.0.1")
print(total, remote)'
}
check_eq "--replay --json counts the recorded closes, per remote too" \
	"$want $((2 * (A_CONNS + B_CONNS)))" replay_json_closed

# losses are said: paused, nothing takes the events. As nobody the socket
# holds only net.core.rmem_max (not 32 MiB), so the burst overflows it and
# the listener's ring however fast it runs (a sanitized build is slow)
if (($(cat /proc/sys/net/core/rmem_max) < 33554432)); then
	start lossy ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$NETTOP" -n
else
	start lossy ip netns exec "$NS" "$NETTOP" -n
fi
check "the lossy screen starts" 'screen lossy' screen_has lossy ' TCP states '
tm send-keys -t lossy: ' '
check "Space pauses" 'screen lossy | head -1' screen_has lossy '^ nettop .*PAUSED'
ip netns exec "$NS" "$TMP/churn" $BURST_RATE 4 7002 >"$TMP/churn2.out" 2>&1 ||
	not_ok "the second burst ran" "$(cat "$TMP/churn2.out")"
tm send-keys -t lossy: ' '
check "the header says how many events were lost" 'screen lossy | head -1' \
	screen_has lossy '^ nettop .*events lost: [1-9][0-9]*'
tm send-keys -t lossy: q

# unprivileged: without CAP_NET_ADMIN the receive buffer stays at
# net.core.rmem_max (kernels that refuse the groups altogether make the
# header say "closed: need CAP_NET_ADMIN"); the rest works
if command -v setpriv >/dev/null && (($(cat /proc/sys/net/core/rmem_max) < 33554432)); then
	start nobody ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NETTOP" -n
	check "as nobody: the panes show" 'screen nobody' screen_has nobody '^ESTABLISHED '
	tm send-keys -t nobody: E
	check "as nobody, E: the Closed view says what CAP_NET_ADMIN would add" 'screen nobody' \
		screen_has nobody '^ Closed  .*below 32 MiB \(more needs CAP_NET_ADMIN\)'
	talk 7001 3 10 20 || fatal talk "the helper for :7001 failed"
	# its three connections, both ends, and the listener (a straggler of
	# the bursts before may close meanwhile: only :7001's are counted)
	check_eq "as nobody: the closes are counted" 7 count_rows nobody '127\.0\.0\.1:7001 '
	tm send-keys -t nobody: q
	check "as nobody: q quits" 'screen nobody' screen_has nobody '^exit=0'
fi
summary
