#!/usr/bin/env bash
# test_ui.sh: the screen, driven like a user would: nettop runs in a private
# tmux server at fixed sizes, inside a private network namespace holding a
# known set of sockets (socks.py); keys go in with send-keys, the screen comes
# back with capture-pane, and every check polls with a timeout.
#
# Usage: bash tests/ui/test_ui.sh /abs/path/to/nettop
# Needs root (ip netns), tmux, ss, python3, and nft and cc for the SYN flood
# (setpriv, if present, adds the unprivileged checks). Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line;
# exits non-zero on any failure. Only lo exists in the namespace, so every
# connection, and every spoofed SYN, stays on 127.0.0.0/8 and ::1.

set -u

NETTOP=$(readlink -f "${1:?usage: test_ui.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS="nettop-ui-$$"
SOCKET="nettop-ui-$$"
SOCKET_PATH=""      # the tmux server's socket, removed on exit
INTERVAL=1
TIMEOUT_MS=5000
TMP=""
SOCKS_PID=""
SOCKS_FD=""
FLOOD_PID=""        # a background SYN sender, if one runs

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# Stops what this run started, by pid, and deletes the namespace: on every
# way out, failures and signals included.
cleanup() {
	local status=$?
	kill_tmux "$SOCKET_PATH"
	[[ -n $SOCKS_FD ]] && exec {SOCKS_FD}>&-
	[[ -n $FLOOD_PID ]] && kill -TERM "$FLOOD_PID" 2>/dev/null
	[[ -n $SOCKS_PID ]] && stop_pids "$SOCKS_PID"
	netns_del_made
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
set_traps

# --- the screen, read back ------------------------------------------------

SESSION=ui

# This suite reads one session at a time, $SESSION: its own forms of
# lib.sh's screen, screen_has and screen_lacks, without the session.
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

# start NAME WIDTH HEIGHT [tmux new-session options…]: runs nettop (with
# $NETTOP_ARGS, run through $NETTOP_AS); once it exits, the shell records
# its status and the tty's settings.
start() {
	local name=$1 w=$2 h=$3
	shift 3
	# numeric (-n): the checks read addresses; names have their own suite
	local cmd="ip netns exec $NS ${NETTOP_AS:-} $NETTOP -n --interval $INTERVAL ${NETTOP_ARGS:-};"
	cmd+=" echo \$? > $TMP/$name.status;"
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

# The status line (the line above the hint bar).
status_line() {
	screen | tail -2 | head -1
}

# The by-process view's socket count for PID/NAME.
proc_sockets() {
	screen | awk -v p="$1" '$1 == p {print $2; exit}'
}

# ESTABLISHED sockets (either end) with ADDR: in the namespace, per ss.
ss_established_with() {
	ns ss -Htn state established | grep -c " ${1//./\\.}:"
}

# A flood pane's number after TEXT (several panes share a line).
number_after() {
	screen | grep -oE -- "$1 +[0-9]+" | awk '{print $NF; exit}'
}

# SYN_RECV sockets in the namespace per ss, optionally with an ss filter.
ss_syn_recv() {
	ns ss -Htn state syn-recv "$@" | wc -l
}

# --- setup -------------------------------------------------------------------

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces"
for tool in ip tmux ss python3 ps nft cc; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
TMP=$(mktemp -d /tmp/nettop-ui.XXXXXX) || fatal setup "mktemp failed"
# settings the keys change (sort, interval, theme) go here, never to the
# user's ~/.config; the tmux server and every nettop inherit it
export XDG_CONFIG_HOME="$TMP/config"
netns_add "$NS"
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
# auto loads the BPF programs past 10,000 sockets only (they cost more to
# load than such a dump); the header says where sockets come from
check "the header says the sockets come from sock_diag (via sockdiag: few sockets)" \
	'header: $(screen | head -1)' screen_has '^ nettop .* via sockdiag'
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

# A -f filter longer than the prompt's old 255 bytes: \ then Enter keeps it
# whole (the prompt cut it, and Enter applied what was left).
long_filter=""
for p in $(seq 1 30); do
	long_filter+="dport = :$p or "
done
long_filter+="state listen"
NETTOP_ARGS="-f '$long_filter'" start longf 120 40
SESSION=longf
check_eq "a ${#long_filter}-byte -f filter: only listeners ($listening)" "$listening" conn_count
tm send-keys -t longf -l '\'
check "\\ on a long filter: the prompt holds all of it, to its end" 'status: $(status_line)' \
	screen_has '^Filter: .* or dport = :30 or state listen *$'
tm send-keys -t longf Enter
# the frame that closes the prompt is the one that says why, if it failed
# ("filter: ... at column N"; applied, it says "filter: TEXT")
wait_for "$TIMEOUT_MS" screen_lacks '^Filter:'
after=$(status_line)
if [[ -n $after && ! $after =~ at\ column\ [0-9]+ ]]; then
	ok "\\ then Enter on a long filter: no error"
else
	not_ok "\\ then Enter on a long filter: no error" "status: $after"
fi
check_eq "\\ then Enter on a long filter: the same rows ($listening)" "$listening" conn_count
check "\\ then Enter on a long filter: the header still shows it" 'header: $(screen | head -1)' \
	screen_has '^ nettop .*filter: dport = :1 or'
tm send-keys -t longf q
check_eq "long filter: q exits with status 0" 0 exit_status longf
SESSION=ui

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
check "help lists K" "no K line" screen_has '^  K +Close the selected connection'
tm send-keys -t "$SESSION" End
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

# --- P: the connections by process ------------------------------------------

# socks.py owns every socket ss lists here; its socket descriptors say so
# too (ss -p would walk every process of a busy host)
py_pid=$(for pid in $(ip netns pids "$NS"); do
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == python3 ]] && echo "$pid"
done | head -1)
py_socks=$(ns ss -Htuan | wc -l)
py_fds=$(find "/proc/$py_pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
[[ $py_fds -eq $py_socks ]] || not_ok "P: setup" "socks.py ($py_pid) holds $py_fds sockets, ss lists $py_socks"
tm send-keys -t "$SESSION" P
check "P: the connections pane groups by process" 'title: $(screen | grep -E "Connections")' \
	screen_has 'Connections by process  [0-9]+ process'
# owners are found within a time budget per sample, the whole host's
# processes first: on a busy host that takes a few samples
TIMEOUT_MS=15000 check_eq "P: $py_pid/python3 owns ss's count of sockets ($py_socks)" "$py_socks" \
	proc_sockets "$py_pid/python3"
check "P: the states split shows" 'rows: $(screen | grep -E "python3")' \
	screen_has "$py_pid/python3 +$py_socks +.*estab [0-9]+"
# a program whose name is an escape sequence (retitle the terminal, clear
# the screen): it must show escaped, and the screen must stay whole
ns python3 -c '
import ctypes, socket, time
ctypes.CDLL(None).prctl(15, b"\x1b]2;PWN\x07\x1b[2J", 0, 0, 0)
s = socket.socket(); s.bind(("127.0.0.1", 7777)); s.listen()
time.sleep(60)' < /dev/null &
TIMEOUT_MS=15000 check "P: a hostile program name shows escaped" 'rows: $(screen | grep -E "PWN" | cat -v)' \
	screen_has '\\x1b\]2;PWN'
check "P: the hostile name leaves the screen whole" '$(screen | head -3 | cat -v)' \
	screen_has 'TCP states .*Top remote addresses'
# it lives in the namespace: stopped by its pid now (cleanup would too)
for pid in $(ip netns pids "$NS"); do
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == *PWN* ]] && stop_pids "$pid"
done
tm send-keys -t "$SESSION" P
check "P again: one row per socket" 'title: $(screen | grep -E "Connections")' \
	screen_has 'Connections  [0-9]+ of [0-9]+ sockets'

# --- K on a connection: asks, n keeps it, y closes it ------------------------

est_9=$(ss_established_with 127.0.0.9)
tm send-keys -t "$SESSION" -l '/127.0.0.9:'
tm send-keys -t "$SESSION" Enter
tm send-keys -t "$SESSION" K
check "K asks, naming the socket" 'status: $(status_line)' \
	screen_has '^ Close 1 ESTABLISHED socket [0-9.:]+ -> [0-9.:]+\? y/n'
check "K names the connection from 127.0.0.9" 'status: $(status_line)' \
	screen_has '^ Close 1 .*127\.0\.0\.9:'
tm send-keys -t "$SESSION" n
check "K then n: the status line says nothing was closed" 'status: $(status_line)' \
	screen_has '^ nothing closed'
if [[ $est_9 -eq 2 ]] && never_for 1500 test "$(ss_established_with 127.0.0.9)" -ne 2; then
	ok "K then n: ss still lists both ends from 127.0.0.9"
else
	not_ok "K then n: ss still lists both ends from 127.0.0.9" "before $est_9, now $(ss_established_with 127.0.0.9)"
fi
tm send-keys -t "$SESSION" K
wait_for "$TIMEOUT_MS" screen_has '^ Close 1 '
tm send-keys -t "$SESSION" y
check "K then y: the status line reports it closed" 'status: $(status_line)' \
	screen_has '^ closed 1 of 1 ESTABLISHED socket .*127\.0\.0\.9:'
check_eq "K then y: ss lists no connection from 127.0.0.9" 0 ss_established_with 127.0.0.9
check_eq "K then y: the other connections stay (both ends of $from_2 from 127.0.0.2)" $((2 * from_2)) \
	ss_established_with 127.0.0.2

tm send-keys -t "$SESSION" q
check_eq "q exits with status 0" 0 exit_status "$SESSION"
check "q restores the terminal" '$(cat "$TMP/$SESSION.stty" 2>/dev/null | head -3)' restored "$SESSION"

# --- exporters alongside the screen -------------------------------------------

# A metric's value in a Prometheus text file.
metric() {
	awk -v m="$2" '$1 == m {print $2; exit}' "$1" 2>/dev/null
}

metrics_valid() {
	[[ -s $1 ]] && promtool check metrics <"$1" >"$TMP/promtool.out" 2>&1
}

scrape() {
	ns curl -sf -o "$TMP/scraped.prom" "http://127.0.0.1:$1/metrics"
}

# scraped_metric PORT NAME: NAME's value in a fresh scrape.
scraped_metric() {
	scrape "$1" && metric "$TMP/scraped.prom" "$2"
}

# The header's socket count.
header_total() {
	screen | head -1 | grep -oE '[0-9,]+ sockets' | head -1
}

# stamp_changed FILE STAMP: the file's sample is newer than STAMP.
stamp_changed() {
	local now
	now=$(metric "$1" nettop_sample_timestamp_seconds)
	[[ -n $now && $now != "$2" ]]
}

if command -v promtool >/dev/null && command -v curl >/dev/null; then
	port=$((20000 + $$ % 20000))
	prom="$TMP/screen.prom"
	estab_metric='nettop_sockets{proto="tcp",state="ESTABLISHED"}'
	NETTOP_ARGS="--prometheus $prom --listen 127.0.0.1:$port" start prom 120 40
	SESSION=prom
	check "--prometheus on the screen: a file promtool accepts" \
		'$(cat "$TMP/promtool.out" 2>/dev/null | head -5)' metrics_valid "$prom"
	established=$(ns ss -Htn state established | wc -l)
	check_eq "--prometheus on the screen: ESTABLISHED equals ss's ($established)" "$established" \
		metric "$prom" "$estab_metric"
	check "--listen on the screen: /metrics answers" "no answer on port $port" scrape "$port"
	check "--listen on the screen: promtool accepts the scrape" \
		'$(cat "$TMP/promtool.out" 2>/dev/null | head -5)' metrics_valid "$TMP/scraped.prom"
	# the screen's filter narrows the panes, never the exported metrics
	tm send-keys -t prom -l '\'
	tm send-keys -t prom -l 'state listen'
	tm send-keys -t prom Enter
	check_eq "--prometheus: a filter on screen shows listeners only" "$(ns ss -Htln | wc -l)" conn_count
	stamp=$(metric "$prom" nettop_sample_timestamp_seconds)
	wait_for $((3 * INTERVAL * 1000 + 1000)) bash -c \
		'[[ $(awk '\''$1 == "nettop_sample_timestamp_seconds" {print $2}'\'' "$0") != "$1" ]]' \
		"$prom" "$stamp"
	check_eq "--prometheus: ... while the file still counts every ESTABLISHED ($established)" \
		"$established" metric "$prom" "$estab_metric"
	# paused, the screen keeps its sample; the exports go on (issue 16)
	tm send-keys -t prom Space
	check "--prometheus: Space pauses the screen" 'header: $(screen | head -1)' screen_has 'PAUSED'
	paused_total=$(header_total)
	stamp=$(metric "$prom" nettop_sample_timestamp_seconds)
	check "--prometheus paused: the file still gets new samples" "timestamp stays $stamp" \
		stamp_changed "$prom" "$stamp"
	open_conn 127.0.0.11 || fatal "open a connection" "socks.py did not open it"
	established=$(ns ss -Htn state established | wc -l)
	check_eq "--prometheus paused: a new connection is counted ($established ESTABLISHED)" \
		"$established" metric "$prom" "$estab_metric"
	check_eq "--listen paused: the scrape counts it too" "$established" scraped_metric "$port" "$estab_metric"
	check "--prometheus paused: the screen still says PAUSED" 'header: $(screen | head -1)' screen_has 'PAUSED'
	check_eq "--prometheus paused: the screen keeps its sample ($paused_total)" "$paused_total" header_total
	# the filter typed here would be saved for the sessions after this one
	tm send-keys -t prom -l '\'
	wait_for "$TIMEOUT_MS" screen_has '^Filter:'
	tm send-keys -t prom Escape
	check "--prometheus: the filter cleared before q" 'header: $(screen | head -1)' screen_lacks 'filter:'
	tm send-keys -t prom q
	check_eq "--prometheus on the screen: q exits with status 0" 0 exit_status prom
	# a replay exports the samples it plays: at its end, the last one
	rec="$HERE/../fixtures/recordings/busy.rec"
	last=$("$NETTOP" --replay "$rec" --batch --json | sed -nE 's/^\{"time":([0-9.]+),.*/\1/p' | tail -1)
	NETTOP_ARGS="--replay $rec --prometheus $TMP/replay.prom" start replay 120 40
	SESSION=replay
	check "--replay with --prometheus: a file promtool accepts" \
		'$(cat "$TMP/promtool.out" 2>/dev/null | head -5)' metrics_valid "$TMP/replay.prom"
	check_eq "--replay with --prometheus: the last sample played ($last)" "$last" \
		metric "$TMP/replay.prom" nettop_sample_timestamp_seconds
	tm send-keys -t replay q
	check_eq "--replay with --prometheus: q exits with status 0" 0 exit_status replay
	SESSION=ui
else
	not_ok "exporters alongside the screen" "promtool or curl not found (make deps)"
fi

# --- Enter on an interface whose name the screen escapes ---------------------

# Interface names may hold control bytes, backslashes and parentheses: the
# pane shows them escaped, and the filter Enter builds must still match the
# raw name (issue 16). A namespace of its own: lo, the odd veth and its peer.
NS_IF="nettop-ui-$$-if"
ODD=$'v\x01(\\'

only_port_5399() {
	[[ $(conn_rows | awk '{print $4}') == *:5399 ]]
}

netns_add "$NS_IF"
if ip -n "$NS_IF" link set lo up && ip -n "$NS_IF" link add "$ODD" type veth peer name vpeer &&
	ip -n "$NS_IF" link set "$ODD" up; then
	# a UDP socket bound to the odd device (port 5399), one bound to none (5398)
	ip netns exec "$NS_IF" python3 -c '
import socket, sys, time
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode("latin-1"))
b.bind(("0.0.0.0", 5399))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 5398))
print("READY", flush=True)
time.sleep(600)' "$ODD" >"$TMP/odd.out" 2>&1 </dev/null &
	odd_pid=$!
	wait_for 5000 grep -q READY "$TMP/odd.out" || not_ok "odd interface: setup" "$(cat "$TMP/odd.out")"
	# a config of its own: the filter Enter makes is saved there
	NS=$NS_IF NETTOP_AS="env XDG_CONFIG_HOME=$TMP/config-ifname" start ifname 120 40
	SESSION=ifname
	check "odd interface: the pane shows its name escaped" '$(screen | grep -F "v\\x01")' \
		screen_has ' v\\x01\(\\\\ '
	check_eq "odd interface: both sockets listed" "2 of 2" pane_summary Connections
	tm send-keys -t ifname Tab Tab Tab Home Down
	check "odd interface: selected in the interfaces pane" 'status: $(status_line)' \
		screen_has '^ Interfaces: row 2 of 3'
	tm send-keys -t ifname Enter
	check "odd interface: Enter applies a filter" 'status: $(status_line)' \
		screen_has '^ filter: dev '
	check "odd interface: Enter keeps one socket, the one bound to it" \
		'$(screen | grep -E "Connections")' screen_has 'Connections  1 of [12] sockets'
	check "odd interface: ... which is the one on port 5399" '$(conn_rows)' only_port_5399
	tm send-keys -t ifname q
	check_eq "odd interface: q exits with status 0" 0 exit_status ifname
	stop_pids "$odd_pid"
	SESSION=ui
else
	not_ok "odd interface: setup" "cannot make a veth named $(printf %q "$ODD")"
fi

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

# --- --listen: the HTTP endpoint's errors go to the status line ------------

# Two requests libmicrohttpd refuses (HTTP/1.1 without Host; a header line
# without a colon); its complaint once landed on the terminal, over the panes.
malformed_requests() {
	ns python3 "$HERE/../tools/http_malformed.py" "$1"
}

NETTOP_ARGS="--listen 127.0.0.1:9561" start http 120 40
SESSION=http
if wait_for "$TIMEOUT_MS" screen_has 'Interfaces  1' && malformed_requests 9561; then
	if never_for 1500 screen_has 'Request malformed|Closing connection'; then
		ok "--listen: a malformed request writes nothing over the panes"
	else
		not_ok "--listen: a malformed request writes nothing over the panes" "$(screen | grep -E 'malformed|Closing')"
	fi
	check "--listen: the status line counts the errors" 'status: $(status_line)' \
		screen_has '^ --listen: 2 HTTP errors, the last: '
else
	not_ok "--listen: malformed requests sent" "$(screen | head -3)"
fi
tm send-keys -t http q
check_eq "--listen: q exits with status 0" 0 exit_status http
# --- --record on a full disk: said loudly, only whole frames kept, exit 1 -----

# full.sh DIR CMD...: CMD with a 16 KiB tmpfs on DIR, one page of it free (in
# ip netns exec's own mount namespace: the mount goes with it); then DIR/r.rec
# replayed, its exit status in DIR.replay and its stderr in DIR.replay-err.
cat >"$TMP/full.sh" <<'EOF'
dir=$1
shift
mount -t tmpfs -o size=16k tmpfs "$dir" && head -c 12288 /dev/zero >"$dir/filler" || exit 99
"$@"
status=$?
"$1" --replay "$dir/r.rec" --batch --json >/dev/null 2>"$dir.replay-err"
echo $? >"$dir.replay"
exit $status
EOF
mkdir "$TMP/full"
NETTOP_AS="bash $TMP/full.sh $TMP/full" NETTOP_ARGS="--interval 0.05 --record $TMP/full/r.rec" \
	start full 120 40
SESSION=full
check "--record on a full disk: the screen says so, naming ENOSPC" 'status: $(status_line)' \
	screen_has 'recording stopped: --record .*: No space left on device'
tm send-keys -t full q
check_eq "--record on a full disk: q exits with status 1" 1 exit_status full
check "--record on a full disk: the shell hears it too" '$(screen | grep nettop: | head -3)' \
	screen_has '^nettop: --record .*: No space left on device; recording stopped'
check_eq "--record on a full disk: the file replays whole" "0:" \
	bash -c 'echo "$(cat "$1.replay"):$(cat "$1.replay-err")"' _ "$TMP/full"

# --- unprivileged: the owners nettop cannot read are named ------------------

if command -v setpriv >/dev/null; then
	# (a config directory nobody can look into would be reported at start)
	NETTOP_AS="env XDG_CONFIG_HOME=/nonexistent setpriv --reuid=65534 --regid=65534 --clear-groups" \
		NETTOP_ARGS=-p start nobody 120 40
	SESSION=nobody
	check "as nobody with -p: the header says OWNERS PARTIAL" 'header: $(screen | head -1)' \
		screen_has '^ nettop .*OWNERS PARTIAL'
	check "as nobody with -p: the status line says what is missing" 'status: $(status_line)' \
		screen_has "^ some processes' sockets cannot be read: run as root"
	tm send-keys -t nobody K
	wait_for "$TIMEOUT_MS" screen_has '^ Close 1 '
	tm send-keys -t nobody y
	check "as nobody, K then y: the failure is reported, with why" 'status: $(status_line)' \
		screen_has '^ closed 0 of 1 .*; 1 failed: closing sockets needs CAP_NET_ADMIN'
	tm send-keys -t nobody q
	check_eq "as nobody: q exits with status 0" 0 exit_status nobody
fi

# --- a SYN flood ----------------------------------------------------------------

# The half-open sockets stay: no syncookies, SYN-ACKs dropped on their way
# back in (dropping them on output would end each entry at its first
# retransmit), retransmits for minutes, and queues big enough for them all.
flood_setup() {
	cc -O2 -o "$TMP/synflood" "$HERE/../tools/synflood.c" &&
		ns sysctl -qw net.ipv4.tcp_syncookies=0 net.ipv4.tcp_synack_retries=8 \
			net.ipv4.tcp_max_syn_backlog=8192 net.core.somaxconn=8192 &&
		ns nft add table inet flood &&
		ns nft add chain inet flood pre '{ type filter hook prerouting priority -300; }' &&
		ns nft add rule inet flood pre 'tcp flags & (syn|ack) == syn|ack drop' &&
		echo "listen 9000 4096" >&"$SOCKS_FD" &&
		wait_for "$TIMEOUT_MS" grep -q 'LISTENING 9000' "$TMP/socks.out"
}

# synflood in the namespace: spoofed sources in 127.0.0.0/8 only, to 127.0.0.1.
synflood() {
	ns "$TMP/synflood" "$@"
}

# 900 SYNs from 127.0.1-9.x in bursts, then 100 from 127.0.0.77.
flood_bursts() {
	local b
	for b in 1 2 3 4 5 6 7 8 9; do
		synflood -p 9000 -n 100 -s "127.0.$b.1" -k 100 || return 1
		sleep 0.1
	done
	synflood -p 9000 -n 100 -s 127.0.0.77 -k 1
}

# SYNs from 127.0.0.88 for a few seconds: 20 half-open sockets, then the
# same SYNs again (retransmits, as far as the kernel can tell).
syn_stream() {
	local i
	for i in $(seq 12); do
		synflood -p 9000 -n 20 -s 127.0.0.88 -k 1 || return 1
		sleep 0.2
	done
}

# With syncookies, a full SYN queue (backlog 16 on 9001) answers with cookies
# and leaves no more SYN_RECV: only the kernel's counters show the flood.
cookie_stream() {
	local i
	for i in $(seq 12); do
		synflood -p 9001 -n 200 -s 127.0.2.1 -k 200 || return 1
		sleep 0.25
	done
}

flood_wait() {
	[[ -n $FLOOD_PID ]] && wait "$FLOOD_PID"
	FLOOD_PID=""
}

if ! flood_setup; then
	not_ok "SYN flood: setup" "synflood, sysctl, nft or the listener failed"
else
	NETTOP_ARGS="--flood-threshold 100" start flood 120 40
	SESSION=flood
	wait_for "$TIMEOUT_MS" screen_has 'Connections  [0-9]+ of' ||
		not_ok "SYN flood: nettop draws" "$(screen | head -3)"
	check "SYN flood: quiet before (no ALERT)" 'header: $(screen | head -1)' screen_lacks 'ALERT'
	flood_bursts &
	FLOOD_PID=$!
	sleep 0.3
	flooding=$(kill -0 "$FLOOD_PID" 2>/dev/null && echo yes)
	tm send-keys -t flood '?'
	if [[ $flooding == yes ]] && wait_for 1000 screen_has 'nettop: keys'; then
		ok "SYN flood: a key is answered within 1 s during the flood"
	else
		not_ok "SYN flood: a key is answered within 1 s during the flood" \
			"flooding: ${flooding:-no}; $(screen | head -2)"
	fi
	tm send-keys -t flood Escape
	flood_wait
	syn_recv=$(ss_syn_recv '( sport = :9000 )')
	check "SYN flood: the ALERT banner (threshold 100)" 'header: $(screen | head -1)' \
		screen_has '^ nettop +ALERT SYN flood \(SYN_RECV\)'
	check "SYN flood: the flood panes open by themselves" '$(screen | grep -E "SYN flood|Listeners")' \
		screen_has 'SYN flood  ALERT: SYN_RECV .*Listeners .*SYN sources  by address'
	check_eq "SYN flood: 127.0.0.1:9000 has ss's SYN_RECV count ($syn_recv)" "$syn_recv" \
		number_after '127\.0\.0\.1:9000'
	check_eq "SYN flood: states pane's SYN_RECV equals ss's" "$(ss_syn_recv)" state_count SYN_RECV
	check "SYN flood: the listener's backlog (4096) and accept queue (0)" \
		'$(screen | grep -E "127.0.0.1:9000 +[0-9]")' screen_has '127\.0\.0\.1:9000 +[0-9]+ +0 +4096'
	check_eq "SYN flood: 127.0.0.77 tops the sources with ss's count" \
		"$(ss_syn_recv 'dst 127.0.0.77')" number_after '  127\.0\.0\.77'

	# the alert counts SYN packets (root): a source that keeps sending shows
	syn_stream &
	FLOOD_PID=$!
	check "SYN flood: SYN packets counted per source (127.0.0.88, SYN/s > 0)" \
		'$(screen | grep -E "127.0.0.88|SYN sources")' screen_has '127\.0\.0\.88 +[0-9]+ +[1-9][0-9]*'
	check "SYN flood: the sources pane says what the ring dropped" \
		'$(screen | grep -E "SYN sources")' screen_has 'SYN sources  by address, [0-9]+ dropped'
	flood_wait

	tm send-keys -t flood g
	check "g: sources by /24" '$(screen | grep -E "SYN sources|/24")' \
		screen_has 'SYN sources  by /24,/64.*'
	check_eq "g: 127.0.5.0/24 holds its 100 SYN_RECV" 100 number_after '127\.0\.5\.0/24'
	tm send-keys -t flood g
	check "g again: sources by address" '$(screen | grep -E "SYN sources")' \
		screen_has 'SYN sources  by address'

	# K on a source: 127.0.0.77's half-open sockets, and no others
	others=$(($(ss_syn_recv) - $(ss_syn_recv 'dst 127.0.0.77')))
	tm send-keys -t flood BTab
	tm send-keys -t flood -l '/127.0.0.77'
	tm send-keys -t flood Enter K
	check "K on a SYN source asks with ss's count" 'status: $(status_line)' \
		screen_has "^ Close $(ss_syn_recv 'dst 127.0.0.77') SYN_RECV sockets from 127\.0\.0\.77\? y/n"
	tm send-keys -t flood y
	check_eq "K on a SYN source: ss lists none from 127.0.0.77" 0 ss_syn_recv 'dst 127.0.0.77'
	check_eq "K on a SYN source: the others stay ($others)" "$others" ss_syn_recv
	check "K on a SYN source: the status line reports them closed" 'status: $(status_line)' \
		screen_has '^ closed ([0-9]+) of \1 SYN_RECV sockets from 127\.0\.0\.77'

	# syncookies: the alert holds on the counters alone
	ns sysctl -qw net.ipv4.tcp_syncookies=1
	echo "listen 9001 16" >&"$SOCKS_FD"
	wait_for "$TIMEOUT_MS" grep -q 'LISTENING 9001' "$TMP/socks.out"
	cookie_stream &
	FLOOD_PID=$!
	check "syncookies: the ALERT banner names them" 'header: $(screen | head -1)' \
		screen_has '^ nettop +ALERT SYN flood \([^)]*syncookies'
	check "syncookies: SyncookiesSent per second shows" '$(screen | grep -E "Syncookies")' \
		screen_has 'SyncookiesSent +[0-9]+ +[1-9][0-9.]*K?'
	if never_for 1500 screen_lacks 'ALERT SYN flood \([^)]*syncookies'; then
		ok "syncookies: the alert stays while cookies are sent"
	else
		not_ok "syncookies: the alert stays while cookies are sent" "header: $(screen | head -1)"
	fi
	flood_wait
	ns sysctl -qw net.ipv4.tcp_syncookies=0

	# K on the listener empties its SYN queue: the sessions after this one
	# start without a flood
	tm send-keys -t flood BTab
	tm send-keys -t flood -l '/127.0.0.1:9000'
	tm send-keys -t flood Enter K
	check "K on a listener asks" 'status: $(status_line)' \
		screen_has '^ Close [0-9]+ SYN_RECV sockets on 127\.0\.0\.1:9000\? y/n'
	tm send-keys -t flood y
	check_eq "K on a listener: ss lists no SYN_RECV on it" 0 ss_syn_recv '( sport = :9000 )'
	wait_for "$TIMEOUT_MS" screen_lacks '127\.0\.0\.1:9000 +[0-9]+ +[0-9]+ +[0-9]+'
	tm send-keys -t flood K
	wait_for "$TIMEOUT_MS" screen_has '^ Close [0-9]+ SYN_RECV sockets on 127\.0\.0\.1:9001'
	tm send-keys -t flood y
	check_eq "K on the other listener: ss lists no SYN_RECV" 0 ss_syn_recv
	check "the alert ends with the flood" 'header: $(screen | head -1)' screen_lacks 'ALERT'
	tm send-keys -t flood q
	check_eq "SYN flood: q exits with status 0" 0 exit_status flood
	ns nft delete table inet flood
fi

# --- every key, in every pane, at every size ---------------------------------

# Keys for one pane: moves, sorts, the column menu, Enter (a filter, then
# cleared), search, the help, toggles; K answered n; a long and a non-ASCII
# filter; then P, so that every other pane is soaked in the by-process view.
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
	tm send-keys -t soak F F g g K n
	tm send-keys -t soak T F2 Down Space Space ']' '[' Right Left End Escape S Escape N Down Escape
	tm send-keys -t soak -l '\'
	tm send-keys -t soak -l "$(printf 'x%.0s' {1..300}) é漢字"
	tm send-keys -t soak Left Left BSpace Home DC End C-u
	tm send-keys -t soak -l 'état'
	tm send-keys -t soak Enter
	tm send-keys -t soak -l '\'
	tm send-keys -t soak Escape P Tab
}

NETTOP_ARGS="--flood --frame-log $TMP/frames" start soak 120 40
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
	# --frame-log: a line per frame and per key, in its documented form
	# (details are counts: the lines themselves hold backslashes and quotes)
	local_form='^(# .*|frame (sample|view|sort)( [0-9]+\.[0-9]{2}){4}|key [0-9]+\.[0-9]{2} (dump|idle) [^ ]+)$'
	check "--frame-log: frames after samples" '$(grep -c . $TMP/frames) lines' \
		grep -qE '^frame sample ' "$TMP/frames"
	check "--frame-log: frames after keys" '$(grep -c . $TMP/frames) lines' \
		grep -qE '^frame (view|sort) ' "$TMP/frames"
	check "--frame-log: keys with their latency" '$(grep -c . $TMP/frames) lines' \
		grep -qE '^key [0-9]+\.[0-9]{2} (dump|idle) [^ ]+$' "$TMP/frames"
	check "--frame-log: every line in its form" \
		'$(grep -cvE "$local_form" $TMP/frames) lines are not' \
		bash -c '! grep -qvE "$1" "$2"' _ "$local_form" "$TMP/frames"
else
	not_ok "every key: nettop draws" "nettop did not draw"
fi

summary
