#!/usr/bin/env bash
# test_names.sh: host names on the screen (issue 10). A private namespace
# whose /etc/hosts (/etc/netns/NAME/hosts, which `ip netns exec` mounts)
# names some loopback addresses, one of them with escape sequences, and
# whose resolv.conf points at a UDP server in the namespace that reads every
# query and never answers: every other lookup hangs. Known names show, the
# hostile one shows escaped and leaves the terminal as it was, keys are
# answered while 40 lookups hang, n and -n show numbers, and a batch sample
# finishes in bounded time with the names it knows.
#
# Usage: bash tests/ui/test_names.sh /abs/path/to/nettop
# Needs root (ip netns, /etc/netns), tmux and python3. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line;
# exits non-zero on any failure. Only lo exists in the namespace.

set -u

NETTOP=$(readlink -f "${1:?usage: test_names.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS="nettop-names-$$"
SOCKET="nettop-names-$$"
ETC="/etc/netns/$NS"
TIMEOUT_MS=5000
TMP=""
ETC_MADE=""         # /etc/netns/NS, and whether /etc/netns was made too
NETNS_DIR_MADE=""
PIDS=()
SOCKS_FD=""
# a name that would clear the screen, paint it red and retitle the pane
HOSTILE=$'evil\e[2J\e[31m\e]2;pwned\ax'
LONG="a-very-long-host-name-that-cannot-fit-in-any-column.example"

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

cleanup() {
	local status=$?
	kill_tmux
	[[ -n $SOCKS_FD ]] && exec {SOCKS_FD}>&-
	stop_pids "${PIDS[@]}"
	netns_del_made
	[[ -n $ETC_MADE ]] && rm -rf "$ETC"
	[[ -n $NETNS_DIR_MADE ]] && rmdir /etc/netns 2>/dev/null
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
set_traps

# Rows of the connections table: they alone start with the protocol.
conn_rows() {
	screen "$1" | awk '$1 ~ /^(tcp|udp)6?$/'
}

conn_has() {
	conn_rows "$1" | grep -qE -- "$2"
}

# start SESSION HEIGHT [ARG…]: nettop in the namespace, 160 columns wide.
start() {
	local name=$1 h=$2 cmd
	shift 2
	printf -v cmd '%q ' ip netns exec "$NS" env XDG_CONFIG_HOME="$TMP/xdg" "$NETTOP" \
		--interval 1 "$@"
	tm new-session -d -s "$name" -x 160 -y "$h" "$cmd; echo exit=\$?; exec sleep 600"
	tm select-pane -t "$name:" -T "names-test"
}

opened() {
	grep -q "OPENED $1\$" "$TMP/socks.out"
}

# open_conn SRC: one more ESTABLISHED pair, from SRC to 127.0.0.1:8002.
open_conn() {
	echo "open $1" >&"$SOCKS_FD"
	wait_for "$TIMEOUT_MS" opened "$1"
}

# PTR queries the silent DNS server has read (each hangs a lookup).
queries() {
	wc -l <"$TMP/dns.log"
}

queries_at_least() {
	(($(queries) >= $1))
}

# The pane's title, which an escape sequence in a name could change.
title_is() {
	[[ $(tm display -p -t "$1:" '#{pane_title}') == "$2" ]]
}

# --- setup -------------------------------------------------------------------

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces and /etc/netns"
for tool in ip tmux python3; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
TMP=$(mktemp -d /tmp/nettop-names.XXXXXX) || fatal setup "mktemp failed"
[[ -e $ETC ]] && fatal setup "$ETC exists already"
[[ -d /etc/netns ]] || NETNS_DIR_MADE=1
mkdir -p "$ETC" || fatal setup "cannot create $ETC"
ETC_MADE=1
printf '127.0.0.1 localhost\n127.0.0.2 alpha.example\n127.0.0.3 bravo.example\n' >"$ETC/hosts"
printf '127.0.0.4 charlie.example\n127.0.0.5 %s\n127.0.0.6 %s\n' "$HOSTILE" "$LONG" >>"$ETC/hosts"
printf 'nameserver 127.0.0.53\n' >"$ETC/resolv.conf"
netns_add "$NS"
ns ip link set lo up || fatal setup "cannot bring lo up"
[[ $(ns getent hosts 127.0.0.2) == *alpha.example* ]] ||
	fatal setup "$ETC/hosts is not the namespace's: $(ns getent hosts 127.0.0.2)"

# The silent DNS server: logs each query's arrival, answers none.
ns python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.53", 53))
print("READY", flush=True)
while True:
    s.recvfrom(4096)
    sys.stderr.write("query\n")
    sys.stderr.flush()
' >"$TMP/dns.out" 2>"$TMP/dns.log" &
PIDS+=($!)
wait_for 5000 grep -q READY "$TMP/dns.out" || fatal setup "the DNS server did not start"

mkfifo "$TMP/socks.in"
ns python3 "$HERE/socks.py" <"$TMP/socks.in" >"$TMP/socks.out" 2>"$TMP/socks.err" &
PIDS+=($!)
exec {SOCKS_FD}>"$TMP/socks.in"
wait_for 10000 grep -q READY "$TMP/socks.out" || fatal setup "socks.py not READY: $(cat "$TMP/socks.err")"
for src in 127.0.0.5 127.0.0.6; do
	open_conn "$src" || fatal setup "socks.py did not open a connection from $src"
done

# --- names by default ------------------------------------------------------------

start names 70
check "nettop draws" '$(screen names | head -3)' screen_has names 'Connections  [0-9]+ of'
check "known names show in the connections pane (alpha.example)" '$(conn_rows names | head -20)' \
	conn_has names 'alpha\.example:[0-9]+'
check "a listener's address by name (localhost:8001)" '$(conn_rows names | head -8)' \
	conn_has names 'localhost:8001 '
check "the remote pane shows names (bravo.example)" '$(screen names | grep -E "bravo|127\.0\.0\.3")' \
	screen_has names 'bravo\.example +2 '
check "the hostile name shows escaped" '$(screen names | grep -E "evil")' \
	screen_has names 'evil\\x1b\[2J\\x1b\[31m\\x1b\]2;pwned\\x07x'
check "the terminal is not changed: the pane keeps its title" \
	'title: $(tm display -p -t names: "#{pane_title}")' \
	title_is names names-test
check "the terminal is not changed: the header is still on top" '$(screen names | head -1)' \
	screen_has names '^ nettop '
check "a long name is cut to the column, its port kept" '$(screen names | grep -E "a-very")' \
	conn_has names 'a-very-long[-a-z]*(…|~):[0-9]+ '

# --- 40 lookups that hang ------------------------------------------------------------

before=$(queries)
for i in $(seq 40); do
	open_conn "127.0.1.$i" || fatal "open 40 connections" "socks.py did not open 127.0.1.$i"
done
if wait_for 10000 queries_at_least $((before + 20)); then
	ok "lookups of the 40 new addresses reach the silent server and hang"
else
	not_ok "lookups of the 40 new addresses reach the silent server and hang" \
		"$(($(queries) - before)) queries"
fi
t0=$(now_ms)
tm send-keys -t names: '?'
if wait_for 2000 screen_has names 'nettop: keys'; then
	ok "keys are answered while the lookups hang ($(($(now_ms) - t0)) ms for ?)"
else
	not_ok "keys are answered while the lookups hang" "no help 2 s after ?"
fi
tm send-keys -t names: Escape
check "the 40 addresses show as numbers meanwhile" '$(conn_rows names | grep -c "127\.0\.1\.")' \
	conn_has names '127\.0\.1\.[0-9]+:[0-9]+'
# a new known name does not wait for the hung ones
open_conn 127.0.0.4 || fatal "open a connection" "socks.py did not open one from 127.0.0.4"
TIMEOUT_MS=15000 check "a name found after the hangs shows too (charlie.example)" \
	'$(screen names | grep -E "charlie|127\.0\.0\.4")' screen_has names 'charlie\.example'

# --- n and -n ---------------------------------------------------------------------------

tm send-keys -t names: n
check "n: numbers" '$(conn_rows names | head -5)' conn_has names '127\.0\.0\.2:[0-9]+'
check "n: no names left" '$(conn_rows names | grep -E "example|localhost" | head -3)' \
	never_for 1500 conn_has names 'example|localhost'
tm send-keys -t names: n
check "n again: names" '$(conn_rows names | head -5)' conn_has names 'alpha\.example:[0-9]+'
tm send-keys -t names: q
check "q exits with status 0" '$(screen names | tail -2)' screen_has names '^exit=0$'

start numeric 50 -n
check "-n: numbers" '$(conn_rows numeric | head -5)' conn_has numeric '127\.0\.0\.2:[0-9]+'
if never_for 2500 screen_has numeric 'example|localhost'; then
	ok "-n: no names"
else
	not_ok "-n: no names" "$(screen numeric | grep -E 'example|localhost' | head -3)"
fi
tm send-keys -t numeric: q

# --- batch --------------------------------------------------------------------------------

t0=$(now_ms)
timeout 20 ip netns exec "$NS" "$NETTOP" -a >"$TMP/batch.out" 2>"$TMP/batch.err"
status=$?
elapsed=$(($(now_ms) - t0))
if [[ $status -eq 0 && $elapsed -lt 5000 ]]; then
	ok "nettop -a finishes in bounded time (${elapsed} ms, < 5 s) while lookups hang"
else
	not_ok "nettop -a finishes in bounded time" "status $status after $elapsed ms: $(head -3 "$TMP/batch.err")"
fi
if grep -qE '^tcp .* alpha\.example:[0-9]+ ' "$TMP/batch.out"; then
	ok "nettop -a prints known names"
else
	not_ok "nettop -a prints known names" "$(head -8 "$TMP/batch.out")"
fi
if grep -q $'\e' "$TMP/batch.out" || ! grep -q 'evil\\x1b' "$TMP/batch.out"; then
	not_ok "nettop -a escapes the hostile name" "$(grep evil "$TMP/batch.out" | cat -v)"
else
	ok "nettop -a escapes the hostile name"
fi

summary
