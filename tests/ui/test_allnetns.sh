#!/usr/bin/env bash
# test_allnetns.sh: every namespace on screen (issue 21). Two private
# namespaces, lo only, with their own listeners: nettop --all-netns shows
# the Netns column with each socket's namespace; B groups the connections
# by namespace with each one's socket count; Enter on a row filters to it.
# N's first row, "All namespaces", switches a one-namespace
# screen to every namespace. A filter keeps the rows to ours (other suites'
# namespaces come and go meanwhile).
#
# Usage: bash tests/ui/test_allnetns.sh /abs/path/to/nettop
# Needs root (ip netns), tmux and python3. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_allnetns.sh /abs/path/to/nettop}")
NSA="uan$$a"        # short: the Netns column is 12 wide
NSB="uan$$b"
SOCKET="nettop-uan-$$"
TIMEOUT_MS=8000
TMP=""
PIDS=()

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

cleanup() {
	local status=$?
	kill_tmux
	stop_pids "${PIDS[@]}"
	netns_del_made
	# its processes are gone: the kernel frees the cgroup lazily
	[[ -n ${CGROUP-} ]] && wait_for 5000 rmdir "$CGROUP" 2>/dev/null
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
set_traps

# listen NS PORT…: a process in NS holding a TCP listener on each port.
listen() {
	local ns=$1
	shift
	ip netns exec "$ns" python3 -c '
import socket, sys, time
keep = []
for p in sys.argv[1:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(p)))
    s.listen()
    keep.append(s)
print("READY", flush=True)
time.sleep(3600)' "$@" >"$TMP/$ns.out" 2>&1 &
	PIDS+=($!)
	wait_for 5000 grep -q READY "$TMP/$ns.out"
}

start() {
	local name=$1 cmd
	shift
	printf -v cmd '%q ' env XDG_CONFIG_HOME="$TMP/xdg" "$@"
	tm new-session -d -s "$name" -x 140 -y 40 "$cmd; echo exit=\$?; exec sleep 600"
}

# The socket rows of NS: "tcp ... LISTEN ... NS" lines.
rows_in() {
	screen "$1" | grep -E "^tcp .*127\.0\.0\.1:$2 .* LISTEN .* $3 *\$"
}

has_row() {
	rows_in "$@" >/dev/null
}

# How many of B's three listener rows name B (want: 3), or name A (want: 0),
# and A's name B.
b_rows_named() {
	local p
	for p in 7201 7202 7203; do rows_in "$1" "$p" "$2"; done | wc -l
}

crossed_rows() {
	{ rows_in "$1" 7101 "$NSB"; b_rows_named "$1" "$NSA" | grep -v '^0$'; } | wc -l
}

no_row_of_port() {
	! screen "$1" | grep -qE "^tcp .*:$2 "
}

netns_column_hidden() {
	screen "$1" | grep -q Proto && ! screen "$1" | grep Proto | grep -q Netns
}

third_line_has() {
	screen "$1" | sed -n 3p | grep -q "$2"
}

# The by-namespace row of NS: its socket count.
group_count() {
	screen "$1" | awk -v ns="$2" '$1 == ns { print $2; exit }'
}

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces"
for tool in ip tmux python3; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
TMP=$(mktemp -d /tmp/nettop-uan.XXXXXX) || fatal setup "mktemp failed"
for ns in "$NSA" "$NSB"; do
	netns_add "$ns"
	ip -n "$ns" link set lo up || fatal setup "cannot bring lo up in $ns"
done
listen "$NSA" 7101 || fatal setup "no listener in $NSA"
listen "$NSB" 7201 7202 7203 || fatal setup "no listeners in $NSB"

# --- --all-netns: the column, then B --------------------------------------------------

start all "$NETTOP" -n --all-netns -f "netns uan$$*"
check "header: netns: all namespaces" '$(screen all | head -1)' \
	screen_has all "^ nettop .* netns: all namespaces"
check "the Netns column is shown" '$(screen all | grep -E "Proto" | head -1)' \
	screen_has all "Proto .* Netns"
check "A's listener row names A" '$(screen all | grep -E "^tcp" | head -5)' has_row all 7101 "$NSA"
check_eq "B's three listener rows name B" 3 b_rows_named all "$NSB"
check_eq "no row of A names B or the other way" 0 crossed_rows all
tm send-keys -t all: B
check "B: the pane is by namespace" '$(screen all | grep -i "namespace" | head -3)' \
	screen_has all "Connections by namespace"
check_eq "B: A's row counts its one socket" 1 group_count all "$NSA"
check_eq "B: B's row counts its three sockets" 3 group_count all "$NSB"
# Enter on the selected (first, most sockets) row: its sockets, one row each
tm send-keys -t all: Home Enter
check "Enter: one row per socket, filtered to B" '$(screen all | tail -3)' \
	screen_has all "netns $NSB"
check_eq "Enter: B's three listeners" 3 b_rows_named all "$NSB"
check "Enter: none of A's" '$(screen all | grep -E "^tcp")' no_row_of_port all 7101
tm send-keys -t all: q

# --- a cgroup on screen ----------------------------------------------------------------

# B's listener on 7301 made by a process moved into a new cgroup first: made
# here, outside ip netns exec (whose /sys has no cgroup2), removed by cleanup.
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
[[ -n $cgroot ]] || fatal setup "no cgroup2 mount"
CGROUP="$cgroot/nettop-uan-$$"
mkdir "$CGROUP" || fatal setup "cannot make $CGROUP"
mkfifo "$TMP/go"
ip netns exec "$NSB" python3 -c '
import socket, sys, time
open(sys.argv[1]).read()
s = socket.socket()
s.bind(("127.0.0.1", 7301))
s.listen()
print("READY", flush=True)
time.sleep(3600)' "$TMP/go" >"$TMP/cg.out" 2>&1 &
PIDS+=($!)
echo "${PIDS[-1]}" >"$CGROUP/cgroup.procs" || fatal setup "cannot move into $CGROUP"
echo go >"$TMP/go"
wait_for 5000 grep -q READY "$TMP/cg.out" || fatal setup "no cgroup listener"
mkdir -p "$TMP/xdg/nettop"
echo "columns = proto,local,state,cgroup" >"$TMP/xdg/nettop/config"
cg_row="^tcp +127\\.0\\.0\\.1:7301 +.*LISTEN +/nettop-uan-$$"'(  |$)'
start cg "$NETTOP" -n --all-netns -f "cgroup '*nettop-uan-$$*'"
check "the Cgroup column shows the listener's cgroup path" '$(screen cg | grep -E "^tcp|Proto")' \
	screen_has cg "$cg_row"
check "the filter keeps that listener alone" '$(screen cg | grep -E "^tcp")' \
	output_is 1 sh -c "tmux -L $SOCKET -f /dev/null capture-pane -p -t cg: | grep -c '^tcp'"
tm send-keys -t cg: q
rm -f "$TMP/xdg/nettop/config"

# --- a SYN flood in one namespace: the band says which ----------------------------------

# C: no syncookies, SYN-ACKs dropped on their way back in, so the 300
# half-open entries stay; tests/tools/synflood.c sends from 127.0.0.0/8 only.
NSC="uan$$c"
netns_add "$NSC"
ip -n "$NSC" link set lo up || fatal setup "cannot bring lo up in $NSC"
cc -O2 -o "$TMP/synflood" "$(dirname "${BASH_SOURCE[0]}")/../tools/synflood.c" || fatal setup "cc synflood"
ip netns exec "$NSC" sysctl -qw net.ipv4.tcp_syncookies=0 net.ipv4.tcp_synack_retries=8 \
	net.ipv4.tcp_max_syn_backlog=8192 net.core.somaxconn=8192 || fatal setup "sysctl in $NSC"
ip netns exec "$NSC" nft add table inet flood &&
	ip netns exec "$NSC" nft add chain inet flood pre '{ type filter hook prerouting priority -300; }' &&
	ip netns exec "$NSC" nft add rule inet flood pre 'tcp flags & (syn|ack) == syn|ack drop' ||
	fatal setup "nft in $NSC"
listen "$NSC" 9000 || fatal setup "no listener in $NSC"
ip netns exec "$NSC" "$TMP/synflood" -p 9000 -n 300 -s 127.0.0.10 -k 3 || fatal setup "synflood"
# wide: the band's panes are a third of the screen each
printf -v cmd '%q ' env XDG_CONFIG_HOME="$TMP/xdg" "$NETTOP" -n --all-netns --flood -f "netns $NSC"
tm new-session -d -s fl -x 240 -y 40 "$cmd; echo exit=\$?; exec sleep 600"
check "the flood band's listener row says C" '$(screen fl | grep -E "9000")' \
	screen_has fl "127\.0\.0\.1:9000 in $NSC"
check "the flood band's source rows say C" '$(screen fl | grep -E "127\.0\.0\.1[0-2]")' \
	screen_has fl "127\.0\.0\.1[0-2]/?[0-9]* in $NSC"
tm send-keys -t fl: q

# --- the picker's first row -----------------------------------------------------------

start pick "$NETTOP" -n -f "netns uan$$* or port 7101"
check "one namespace: no Netns column" '$(screen pick | grep Proto)' netns_column_hidden pick
tm send-keys -t pick: N
check "N: All namespaces is the first row" '$(screen pick | head -4)' \
	third_line_has pick "All namespaces"
tm send-keys -t pick: Home Enter
check "Enter on it: every namespace, with the Netns column" '$(screen pick | head -3)' \
	has_row pick 7101 "$NSA"
tm send-keys -t pick: q

summary
