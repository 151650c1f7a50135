#!/usr/bin/env bash
# test_netns.sh: the namespace on screen (issue 12): the header names it, N
# lists every namespace with a process and its socket count, and Enter moves
# the sampler there live; without CAP_SYS_ADMIN the namespace stays, and the
# status line says why. Three private namespaces, lo only, each with its own
# listeners, the third with TIME_WAIT sockets (counted in N's list) and a
# program whose escaped name is wider than its column (cut to it, issue 16);
# nettop runs in a private tmux server.
#
# Usage: bash tests/ui/test_netns.sh /abs/path/to/nettop
# Needs root (ip netns), tmux, python3 and setpriv. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_netns.sh /abs/path/to/nettop}")
NSA="nettop-nsp-$$-a"
NSB="nettop-nsp-$$-b"
NSC="nettop-nsp-$$-c"      # TIME_WAIT sockets, and a program named to hurt
SOCKET="nettop-nsp-$$"
TIMEOUT_MS=5000
TMP=""
PIDS=()

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

cleanup() {
	local status=$?
	kill_tmux
	stop_pids "${PIDS[@]}"
	netns_del_made
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
set_traps

header() {
	screen "$1" | head -1
}

status_line() {
	screen "$1" | tail -2 | head -1
}

# start SESSION CMD...: CMD (nettop, maybe behind ip netns exec) at 120x40.
start() {
	local name=$1 cmd
	shift
	printf -v cmd '%q ' env XDG_CONFIG_HOME="$TMP/xdg" "$@"
	tm new-session -d -s "$name" -x 120 -y 40 "$cmd; echo exit=\$?; exec sleep 600"
}

# The picker's row of a namespace name (the line number on screen), or nothing.
row_of() {
	screen "$1" | grep -nE "^ [ *] $2 " | cut -d: -f1 | head -1
}

# listen NS PORT…: a process in NS holding a TCP listener on each port and
# one UDP socket; prints its pid.
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
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", int(sys.argv[1]) + 50))
keep.append(u)
print("READY", flush=True)
time.sleep(3600)' "$@" >"$TMP/$ns.out" 2>&1 &
	PIDS+=($!)
	wait_for 5000 grep -q READY "$TMP/$ns.out"
}

# tw_and_odd_name NS: a process in NS whose name is an escape sequence
# (escaped, far wider than the picker's column), holding a listener on 7301
# and leaving three connections to it in TIME_WAIT; prints its pid.
tw_and_odd_name() {
	ip netns exec "$1" python3 -c '
import ctypes, socket, time
ctypes.CDLL(None).prctl(15, b"\x1b]2;PWN\x07\x1b[2J", 0, 0, 0)
l = socket.socket()
l.bind(("127.0.0.1", 7301))
l.listen()
for _ in range(3):
    c = socket.create_connection(("127.0.0.1", 7301))
    a, _ = l.accept()
    c.close()       # the side that closes first waits in TIME_WAIT
    time.sleep(0.05)
    a.close()
time.sleep(0.2)
print("READY", flush=True)
time.sleep(3600)' >"$TMP/$1.out" 2>&1 &
	PIDS+=($!)
	wait_for 5000 grep -q READY "$TMP/$1.out"
}

# The picker's row of NAME: the column its last field (the inode) starts at,
# in characters (the cut mark is one), and its socket count.
inode_column() {
	local LC_ALL=C.UTF-8 line
	line=$(screen "$1" | grep -E "^ [ *] $2 " | head -1)
	[[ -n $line ]] || return 1
	line=${line% *}
	echo "${#line}"
}

picker_sockets() {
	screen "$1" | grep -E "^ [ *] $2 " | awk '{print $(NF - 1); exit}'
}

# --- setup --------------------------------------------------------------------------

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces"
for tool in ip tmux python3 setpriv; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
TMP=$(mktemp -d /tmp/nettop-nsp.XXXXXX) || fatal setup "mktemp failed"
for ns in "$NSA" "$NSB"; do
	netns_add "$ns"
	ip -n "$ns" link set lo up || fatal setup "cannot bring lo up in $ns"
done
listen "$NSA" 7101 || fatal setup "no listener in $NSA"
pid_a=${PIDS[-1]}
listen "$NSB" 7201 7202 7203 || fatal setup "no listeners in $NSB"
netns_add "$NSC"
ip -n "$NSC" link set lo up || fatal setup "cannot bring lo up in $NSC"
tw_and_odd_name "$NSC" || fatal setup "no TIME_WAIT sockets in $NSC: $(cat "$TMP/$NSC.out")"

# --- nettop started inside a named namespace ------------------------------------------

# As when PIDs wrap (CI's did): nettop gets a lower PID than the listener
# older than it, which must still name the namespace.
(( pid_a > 1000 )) && echo 300 >/proc/sys/kernel/ns_last_pid
start inside ip netns exec "$NSA" "$NETTOP" -n
check "inside $NSA: the header names it" 'header: $(header inside)' \
	screen_has inside "^ nettop .* netns: $NSA "
check "inside $NSA: its listener shows" '$(screen inside | grep -E "^tcp" | head -3)' \
	screen_has inside '127\.0\.0\.1:7101 '
tm send-keys -t inside: N
check "N lists $NSA, marked as the one sampled" '$(screen inside | head -12)' \
	screen_has inside "^ \* $NSA "
check "N lists $NSB" '$(screen inside | head -12)' screen_has inside "^   $NSB "
# its oldest process is the listener (python3; nettop came later, maybe
# with a lower PID once PIDs wrap), with sockstat's count
check "N: $NSA's process and socket count (1 TCP + 1 UDP)" '$(screen inside | grep -- "$NSA")' \
	screen_has inside "^ \* $NSA +$pid_a  python3 +2  "
check "N: $NSB's socket count (3 TCP + 1 UDP)" '$(screen inside | grep -- "$NSB")' \
	screen_has inside "^   $NSB +[0-9]+  python3 +4  "
# sockstat's TIME_WAIT count is apart from its "inuse" (issue 16)
tw_all=$(ip netns exec "$NSC" ss -Htuan | wc -l)
tw_only=$(ip netns exec "$NSC" ss -Htn state time-wait | wc -l)
check_eq "N: $NSC's count holds its TIME_WAIT sockets (ss: $tw_all, $tw_only in TIME_WAIT)" \
	"$tw_all" picker_sockets inside "$NSC"
check "N: $NSC's program name shows escaped" '$(screen inside | grep -- "$NSC" | cat -v)' \
	screen_has inside "^   $NSC +[0-9]+  \\\\x1b\\]2;PWN"
check_eq "N: the escaped name keeps to its column (the inode where $NSA's is)" \
	"$(inode_column inside "$NSA")" inode_column inside "$NSC"
check "N: the host's namespace is listed" '$(screen inside | head -12)' screen_has inside '^ [ *] \(host\) '
a=$(row_of inside "$NSA")
b=$(row_of inside "$NSB")
if [[ -n $a && -n $b ]]; then
	for ((i = a; i < b; i++)); do tm send-keys -t inside: Down; done
	for ((i = a; i > b; i--)); do tm send-keys -t inside: Up; done
	tm send-keys -t inside: Enter
	check "Enter: the header names $NSB" 'header: $(header inside)' \
		screen_has inside "^ nettop .* netns: $NSB "
	check "Enter: $NSB's listeners show" '$(screen inside | grep -E "^(tcp|udp)")' \
		screen_has inside '127\.0\.0\.1:7203 '
	check "Enter: $NSA's listener is gone" '$(screen inside | grep -E "^(tcp|udp)")' \
		screen_lacks inside '127\.0\.0\.1:7101 '
	check "Enter: every socket of $NSB (ss: 4)" '$(screen inside | grep -E "Connections")' \
		screen_has inside 'Connections  4 of 4 sockets'
	check "Enter: the status line says so" 'status: $(status_line inside)' \
		screen_has inside "^ sampling namespace $NSB"
	# and back
	tm send-keys -t inside: N
	wait_for "$TIMEOUT_MS" screen_has inside "^ \* $NSB "
	for ((i = a; i < b; i++)); do tm send-keys -t inside: Up; done
	for ((i = a; i > b; i--)); do tm send-keys -t inside: Down; done
	tm send-keys -t inside: Enter
	check "back to $NSA: its listener again" '$(screen inside | grep -E "^(tcp|udp)")' \
		screen_has inside '127\.0\.0\.1:7101 '
	check "back to $NSA: the header names it" 'header: $(header inside)' \
		screen_has inside "^ nettop .* netns: $NSA "
else
	not_ok "Enter switches to $NSB" "rows not found: $NSA at '$a', $NSB at '$b'"
fi
tm send-keys -t inside: q
check "q exits with status 0 after switching" '$(screen inside | tail -3)' screen_has inside '^exit=0$'

# --- --netns NAME from outside ----------------------------------------------------------

start named "$NETTOP" -n --netns "$NSB"
check "--netns $NSB: the header names it" 'header: $(header named)' \
	screen_has named "^ nettop .* netns: $NSB "
check "--netns $NSB: its listeners show" '$(screen named | grep -E "^(tcp|udp)")' \
	screen_has named '127\.0\.0\.1:7202 '
tm send-keys -t named: q
check "--netns: q exits with status 0" '$(screen named | tail -3)' screen_has named '^exit=0$'

# --- without CAP_SYS_ADMIN: the namespace stays -------------------------------------------

start unpriv ip netns exec "$NSA" setpriv --bounding-set -sys_admin "$NETTOP" -n
wait_for "$TIMEOUT_MS" screen_has unpriv '127\.0\.0\.1:7101 ' ||
	not_ok "without CAP_SYS_ADMIN: nettop draws" "$(screen unpriv | head -5)"
tm send-keys -t unpriv: N
wait_for "$TIMEOUT_MS" screen_has unpriv "^ \* $NSA "
a=$(row_of unpriv "$NSA")
b=$(row_of unpriv "$NSB")
if [[ -n $a && -n $b ]]; then
	for ((i = a; i < b; i++)); do tm send-keys -t unpriv: Down; done
	for ((i = a; i > b; i--)); do tm send-keys -t unpriv: Up; done
	tm send-keys -t unpriv: Enter
	check "without CAP_SYS_ADMIN: a clear message" 'status: $(status_line unpriv)' \
		screen_has unpriv "^ cannot enter $NSB: Operation not permitted \(needs root: CAP_SYS_ADMIN\); still sampling $NSA"
	check "without CAP_SYS_ADMIN: the header still names $NSA" 'header: $(header unpriv)' \
		screen_has unpriv "^ nettop .* netns: $NSA "
	sleep 1.2
	check "without CAP_SYS_ADMIN: still sampling $NSA" '$(screen unpriv | grep -E "^(tcp|udp)")' \
		screen_has unpriv '127\.0\.0\.1:7101 '
else
	not_ok "without CAP_SYS_ADMIN: the picker lists both" "rows: $NSA at '$a', $NSB at '$b'"
fi
tm send-keys -t unpriv: q
check "without CAP_SYS_ADMIN: q exits with status 0" '$(screen unpriv | tail -3)' \
	screen_has unpriv '^exit=0$'

summary
