#!/usr/bin/env bash
# test_ui.sh: the screen, driven like a user would: nettop runs in a private
# tmux server at fixed sizes, inside a private network namespace holding a
# known set of sockets (socks.py); keys go in with send-keys, the screen comes
# back with capture-pane, and every check polls with a timeout.
#
# Usage: bash tests/ui/test_ui.sh /abs/path/to/nettop
# Needs root (ip netns), tmux, ss and python3. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line;
# exits non-zero on any failure. Only lo exists in the namespace, so every
# connection stays on 127.0.0.0/8 and ::1.

set -u

NETTOP=$(readlink -f "${1:?usage: test_ui.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS="nettop-ui-$$"
SOCKET="nettop-ui-$$"
SOCKET_PATH=""      # the tmux server's socket, removed on exit
INTERVAL=1
TIMEOUT_MS=5000
TMP=""
NS_MADE=""
SOCKS_PID=""
SOCKS_FD=""
PASSED=0
FAILED=0

tm() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

ns() {
	ip netns exec "$NS" "$@"
}

# Stops what this run started, by pid, and deletes the namespace: on every
# way out, failures and signals included.
cleanup() {
	local status=$? pid
	tm kill-server 2>/dev/null
	[[ -n $SOCKET_PATH ]] && rm -f "$SOCKET_PATH"
	[[ -n $SOCKS_FD ]] && exec {SOCKS_FD}>&-
	if [[ -n $SOCKS_PID ]]; then
		kill -TERM "$SOCKS_PID" 2>/dev/null
		wait "$SOCKS_PID" 2>/dev/null
	fi
	if [[ -n $NS_MADE ]]; then
		# whatever still runs in our namespace was started by this run
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$NS" || echo "test_ui.sh: could not delete namespace $NS" >&2
	fi
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

ok() {
	echo "ok - $1"
	PASSED=$((PASSED + 1))
}

not_ok() {
	echo "not ok - $1: $2"
	FAILED=$((FAILED + 1))
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 ]]
}

# A failure that leaves nothing else worth checking.
fatal() {
	not_ok "$1" "$2"
	summary
	exit 1
}

now_ms() {
	local us=${EPOCHREALTIME/./}
	echo $((us / 1000))
}

# wait_for MS CMD...: true as soon as CMD succeeds, checking every 0.1 s.
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while :; do
		"$@" && return 0
		(($(now_ms) >= deadline)) && return 1
		sleep 0.1
	done
}

# never_for MS CMD...: true if CMD fails at every check for MS.
never_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while (($(now_ms) < deadline)); do
		"$@" && return 1
		sleep 0.1
	done
	return 0
}

output_is() {
	local want=$1
	shift
	[[ $("$@") == "$want" ]]
}

# check NAME DETAIL CMD...: polls CMD for up to TIMEOUT_MS. DETAIL is
# expanded on failure (single-quote it), so it shows the screen as it is then.
check() {
	local name=$1 detail=$2
	shift 2
	if wait_for "$TIMEOUT_MS" "$@"; then
		ok "$name"
	else
		not_ok "$name" "$(eval "echo \"$detail\"")"
	fi
}

# check_eq NAME WANT CMD...: polls until CMD prints WANT.
check_eq() {
	local name=$1 want=$2
	shift 2
	if wait_for "$TIMEOUT_MS" output_is "$want" "$@"; then
		ok "$name"
	else
		not_ok "$name" "want '$want', got '$("$@")'"
	fi
}

# --- the screen, read back ------------------------------------------------

SESSION=ui

screen() {
	tm capture-pane -p -t "$SESSION" 2>/dev/null
}

screen_has() {
	screen | grep -qE -- "$1"
}

screen_lacks() {
	! screen_has "$1"
}

# Rows of the connections table: they alone start with the protocol.
conn_rows() {
	screen | awk '$1 ~ /^(tcp|udp)6?$/'
}

conn_count() {
	conn_rows | grep -c .
}

# Local and remote address of every row, in screen order.
conn_endpoints() {
	conn_rows | awk '{print $4, $5}'
}

# Rows whose state is not LISTEN (there must be none under "state listen").
conn_not_listening() {
	conn_rows | awk '$6 != "LISTEN"' | grep -c .
}

state_count() {
	screen | awk -v s="$1" '$1 == s {print $2; exit}'
}

# The remote pane's connection count for an address (table rows show the
# bare address; connection rows show address:port).
remote_count() {
	screen | grep -oE "(^| )${1//./\\.} +[0-9]+" | awk '{print $2; exit}'
}

# The focused pane's selected row, from the status line.
selected_row() {
	screen | sed -nE 's/^ [A-Za-z ]+: row ([0-9]+) of .*/\1/p'
}

pane_summary() {
	screen | grep -oE "$1  [0-9]+( of [0-9]+)?" | sed "s/^$1  //"
}

# --- nettop in a tmux session ----------------------------------------------

# start NAME WIDTH HEIGHT [tmux new-session options…]: runs nettop; once it
# exits, the shell records its status and the tty's settings.
start() {
	local name=$1 w=$2 h=$3
	shift 3
	local cmd="ip netns exec $NS $NETTOP --interval $INTERVAL; echo \$? > $TMP/$name.status;"
	cmd+=" stty -a > $TMP/$name.stty; echo RESTORED; exec sleep 600"
	tm new-session -d -s "$name" -x "$w" -y "$h" "$@" "$cmd"
	[[ -n $SOCKET_PATH ]] || SOCKET_PATH=$(tm display -p '#{socket_path}')
}

exit_status() {
	cat "$TMP/$1.status" 2>/dev/null
}

# nettop's pid: the child of the pane's shell (ip netns exec execs it).
nettop_pid() {
	ps -o pid= --ppid "$(tm display -p -t "$1" '#{pane_pid}')" | tr -d ' '
}

# No alternate screen, cursor visible, echo and canonical input back on.
restored() {
	local name=$1
	[[ -s $TMP/$name.stty ]] &&
		grep -qE '(^| )echo( |$)' "$TMP/$name.stty" &&
		grep -qE '(^| )icanon( |$)' "$TMP/$name.stty" &&
		[[ $(tm display -p -t "$name" '#{alternate_on} #{cursor_flag}') == "0 1" ]]
}

opened() {
	grep -q "OPENED $1\$" "$TMP/socks.out"
}

# open_conn SRC: one more ESTABLISHED pair, from SRC to 127.0.0.1:8002.
open_conn() {
	echo "open $1" >&"$SOCKS_FD"
	wait_for "$TIMEOUT_MS" opened "$1"
}

# --- setup -------------------------------------------------------------------

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces"
for tool in ip tmux ss python3 ps; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
TMP=$(mktemp -d /tmp/nettop-ui.XXXXXX) || fatal setup "mktemp failed"
ip netns add "$NS" || fatal setup "cannot create namespace $NS"
NS_MADE=1
ip -n "$NS" link set lo up || fatal setup "cannot bring lo up"
mkfifo "$TMP/socks.in"
ns python3 "$HERE/socks.py" <"$TMP/socks.in" >"$TMP/socks.out" 2>"$TMP/socks.err" &
SOCKS_PID=$!
exec {SOCKS_FD}>"$TMP/socks.in"
wait_for 10000 grep -q READY "$TMP/socks.out" ||
	fatal setup "socks.py not READY: $(cat "$TMP/socks.err")"

# --- the main session at 120x40 --------------------------------------------

start "$SESSION" 120 40
wait_for "$TIMEOUT_MS" screen_has 'Connections  [0-9]+ of' ||
	fatal "nettop draws" "no connections pane: $(screen | head -3)"

established=$(ns ss -Htn state established | wc -l)
listening=$(ns ss -Htln | wc -l)
all=$(ns ss -Htuan | wc -l)
from_2=$(ns ss -Htan | awk '$5 ~ /^127\.0\.0\.2:/' | wc -l)
links=$(ns ip -o link | wc -l)

check_eq "states pane: ESTABLISHED count equals ss's ($established)" "$established" \
	state_count ESTABLISHED
check_eq "states pane: LISTEN count equals ss's ($listening)" "$listening" state_count LISTEN
check_eq "remote pane: 127.0.0.2 has ss's count ($from_2)" "$from_2" remote_count 127.0.0.2
check_eq "interfaces pane: one row per link ($links)" "$links" pane_summary Interfaces
check "interfaces pane: lo listed" "no lo row" screen_has ' lo +[0-9-]'
check_eq "connections pane: every socket ss lists ($all)" "$all of $all" pane_summary Connections
check_eq "connections pane: one row per socket" "$all" conn_count

before=$(conn_endpoints)
tm send-keys -t "$SESSION" I
check_eq "I reverses the order" "$(tac <<<"$before")" conn_endpoints
tm send-keys -t "$SESSION" I
check_eq "I again restores the order" "$before" conn_endpoints

tm send-keys -t "$SESSION" -l '\'
check "\\ opens the filter prompt" "no prompt" screen_has '^Filter:'
tm send-keys -t "$SESSION" -l 'state listen'
tm send-keys -t "$SESSION" Enter
check_eq "filter 'state listen': only listeners ($listening)" "$listening" conn_count
check_eq "filter 'state listen': no other state" 0 conn_not_listening
check "filter 'state listen': the header shows it" 'header: $(screen | head -1)' \
	screen_has '^ nettop .*filter: state listen'
check_eq "filter 'state listen': states pane follows" 0 state_count ESTABLISHED

tm send-keys -t "$SESSION" -l '\'
check "filter prompt opens with the filter" "no prompt" screen_has '^Filter: state listen'
tm send-keys -t "$SESSION" Escape
check_eq "Esc in the prompt brings everything back" "$all" conn_count
check "Esc in the prompt clears the header" 'header: $(screen | head -1)' screen_lacks 'filter:'

tm send-keys -t "$SESSION" -l '\'
wait_for "$TIMEOUT_MS" screen_has '^Filter:'
tm send-keys -t "$SESSION" -l 'state nosuch'
tm send-keys -t "$SESSION" Enter
check "a bad filter is reported on the status line" 'status: $(screen | tail -2 | head -1)' \
	screen_has "^ filter: .*'?nosuch"
check_eq "a bad filter keeps the previous one" "$all" conn_count

open_conn 127.0.0.9 || fatal "open a connection" "socks.py did not open it"
if wait_for $((2 * INTERVAL * 1000 + 500)) screen_has '127\.0\.0\.9:'; then
	ok "a new connection appears within two refreshes"
else
	not_ok "a new connection appears within two refreshes" "127.0.0.9 not on screen"
fi
all=$((all + 2))

tm send-keys -t "$SESSION" Space
check "Space pauses (header says PAUSED)" 'header: $(screen | head -1)' screen_has 'PAUSED'
open_conn 127.0.0.10 || fatal "open a connection" "socks.py did not open it"
if never_for $((3 * INTERVAL * 1000)) screen_has '127\.0\.0\.10:'; then
	ok "paused: no new rows for three intervals"
else
	not_ok "paused: no new rows for three intervals" "127.0.0.10 appeared"
fi
tm send-keys -t "$SESSION" Home
check_eq "paused: Home selects the first row" 1 selected_row
tm send-keys -t "$SESSION" Down
check_eq "paused: Down selects the second" 2 selected_row
tm send-keys -t "$SESSION" Space
check "Space again brings new rows" "127.0.0.10 not on screen" screen_has '127\.0\.0\.10:'
check "resumed: PAUSED is gone" 'header: $(screen | head -1)' screen_lacks 'PAUSED'
all=$((all + 2))

# Enter drills down: from a state, from a remote address (found by search)
clear_filter() {
	tm send-keys -t "$SESSION" -l '\'
	wait_for "$TIMEOUT_MS" screen_has '^Filter:'
	tm send-keys -t "$SESSION" Escape
	wait_for "$TIMEOUT_MS" output_is "$all" conn_count
}

# Remote addresses of the rows that are not from 127.0.0.2.
conn_not_from_2() {
	conn_rows | awk '$5 !~ /^127\.0\.0\.2:/' | grep -c .
}

tm send-keys -t "$SESSION" Tab
tm send-keys -t "$SESSION" -l '/LISTEN'
tm send-keys -t "$SESSION" Enter
check "/ selects the row found" 'status: $(screen | tail -2 | head -1)' \
	screen_has '^ TCP states: row 10 of'
tm send-keys -t "$SESSION" Enter
check_eq "Enter on LISTEN: only listeners" "$listening" conn_count
check_eq "Enter on LISTEN: no other state" 0 conn_not_listening
clear_filter
tm send-keys -t "$SESSION" Tab Tab
tm send-keys -t "$SESSION" -l '/127.0.0.2'
tm send-keys -t "$SESSION" Enter Enter
check "Enter on 127.0.0.2: the header shows dst 127.0.0.2" 'header: $(screen | head -1)' \
	screen_has 'filter: dst 127\.0\.0\.2'
check_eq "Enter on 127.0.0.2: its connections only ($from_2)" "$from_2" conn_count
check_eq "Enter on 127.0.0.2: no other remote" 0 conn_not_from_2
clear_filter

tm send-keys -t "$SESSION" '?'
check "? shows the keys" "no help" screen_has 'nettop: keys'
check "help explains the TCP states" "no states section" screen_has 'SYN_RECV +A SYN arrived'
tm send-keys -t "$SESSION" Escape
check "Esc closes the help" "panes not back" screen_has 'Connections  [0-9]+ of'

tm send-keys -t "$SESSION" Tab
check "Tab moves the focus" 'status: $(screen | tail -2 | head -1)' screen_has '^ TCP states: row'
tm send-keys -t "$SESSION" BTab
check "Shift-Tab moves it back" 'status: $(screen | tail -2 | head -1)' screen_has '^ Connections: row'

tm resize-window -t "$SESSION" -x 60 -y 15
check "60x15: still drawing" '$(screen | head -3)' screen_has '^ nettop '
check "60x15: one pane at a time" '$(screen | head -3)' screen_has '\[Conns\]'
tm resize-window -t "$SESSION" -x 20 -y 5
check "20x5: says the terminal is too small" '$(screen)' screen_has 'terminal too small'
tm resize-window -t "$SESSION" -x 120 -y 40
check "120x40 again: all four panes" '$(screen | head -3)' \
	screen_has 'TCP states .*Top remote addresses .*Interfaces'
check "alive after the resizes" 'exited: $(exit_status "$SESSION")' \
	test ! -e "$TMP/$SESSION.status"

tm send-keys -t "$SESSION" q
check_eq "q exits with status 0" 0 exit_status "$SESSION"
check "q restores the terminal" '$(cat "$TMP/$SESSION.stty" 2>/dev/null | head -3)' restored "$SESSION"

# --- other ways out, other terminals -----------------------------------------

start f10 120 40
SESSION=f10
if wait_for "$TIMEOUT_MS" screen_has 'Connections  [0-9]+ of'; then
	tm send-keys -t f10 F10
	check_eq "F10 exits with status 0" 0 exit_status f10
else
	not_ok "F10 exits with status 0" "nettop did not draw"
fi

start term 120 40
SESSION=term
if wait_for "$TIMEOUT_MS" screen_has 'Connections  [0-9]+ of'; then
	kill -TERM "$(nettop_pid term)"
	check_eq "SIGTERM: exit status 143" 143 exit_status term
	check "SIGTERM restores the terminal" "not restored" restored term
else
	not_ok "SIGTERM restores the terminal" "nettop did not draw"
fi

start segv 120 40
SESSION=segv
if wait_for "$TIMEOUT_MS" screen_has 'Connections  [0-9]+ of'; then
	kill -SEGV "$(nettop_pid segv)"
	check_eq "SIGSEGV: dies by the signal (139)" 139 exit_status segv
	check "SIGSEGV restores the terminal first" "not restored" restored segv
else
	not_ok "SIGSEGV restores the terminal first" "nettop did not draw"
fi

start mono 80 24 -e NO_COLOR=1 -e TERM=vt100
SESSION=mono
check "TERM=vt100 NO_COLOR=1 at 80x24: all four panes" '$(screen | head -3)' \
	screen_has 'Interfaces  1'
established=$(ns ss -Htn state established | wc -l)
check_eq "TERM=vt100: ESTABLISHED count equals ss's ($established)" "$established" \
	state_count ESTABLISHED
tm send-keys -t mono q
check_eq "TERM=vt100: q exits with status 0" 0 exit_status mono

# --- every key, in every pane, at every size ---------------------------------

# Keys for one pane: moves, sorts, the column menu, Enter (a filter, then
# cleared), search, the help, toggles; a long and a non-ASCII filter.
soak_pane() {
	local k
	for k in Down Down End Home NPage PPage '>' '>' '<' I I F6 Down Enter F6 Escape; do
		tm send-keys -t soak "$k"
	done
	tm send-keys -t soak Enter
	tm send-keys -t soak -l '\'
	tm send-keys -t soak Escape
	tm send-keys -t soak -l '/127'
	tm send-keys -t soak Enter F3 Enter
	tm send-keys -t soak -l '?'
	tm send-keys -t soak End Up PPage Home Escape
	for k in t t u u l l p p n n + - C-l; do
		tm send-keys -t soak "$k"
	done
	tm send-keys -t soak -l '\'
	tm send-keys -t soak -l "$(printf 'x%.0s' {1..300}) é漢字"
	tm send-keys -t soak Left Left BSpace Home DC End C-u
	tm send-keys -t soak -l 'état'
	tm send-keys -t soak Enter
	tm send-keys -t soak -l '\'
	tm send-keys -t soak Escape Tab
}

start soak 120 40
SESSION=soak
if wait_for "$TIMEOUT_MS" screen_has 'Connections  [0-9]+ of'; then
	for size in "120 40" "80 24" "60 15" "34 8" "20 5" "10 3"; do
		tm resize-window -t soak -x "${size% *}" -y "${size#* }"
		for pane in 1 2 3 4; do
			soak_pane
		done
		if wait_for 1000 test -e "$TMP/soak.status"; then
			not_ok "every key at ${size/ /x}: still running" "exited with $(exit_status soak)"
			break
		fi
		ok "every key at ${size/ /x}: still running"
	done
	tm resize-window -t soak -x 120 -y 40
	check "after the soak: the screen is whole" '$(screen | head -3)' \
		screen_has 'TCP states .*Top remote addresses .*Interfaces'
	tm send-keys -t soak q
	check_eq "after the soak: q exits with status 0" 0 exit_status soak
else
	not_ok "every key: nettop draws" "nettop did not draw"
fi

summary
