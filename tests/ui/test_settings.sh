#!/usr/bin/env bash
# test_settings.sh: themes, the config file and the setup screen (issue 9).
# nettop runs in a private tmux server, in a private network namespace that
# holds only lo and one listener; the config and theme directories are in a
# temporary directory (XDG_CONFIG_HOME and --config), never the user's.
#
# Usage: bash tests/ui/test_settings.sh /abs/path/to/nettop   (from the
# repository's top: the shipped themes are found in ./themes)
# Needs root (ip netns), tmux and python3. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_settings.sh /abs/path/to/nettop}")
NS="nettop-set-$$"
SOCKET="nettop-set-$$"
TIMEOUT_MS=5000
TMP=""
LISTENER_PID=""

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

cleanup() {
	local status=$?
	kill_tmux
	[[ -n $LISTENER_PID ]] && stop_pids "$LISTENER_PID"
	netns_del_made
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
set_traps

# --- nettop in a session ------------------------------------------------------

# start SESSION [ENV=VALUE…] -- [ARG…]: nettop in the namespace, 120x40; once
# it exits, the shell prints its status as "exit=N" and stays.
start() {
	local name=$1 envs=() args=() cmd
	shift
	while (($#)) && [[ $1 != -- ]]; do envs+=("$1"); shift; done
	(($#)) && shift
	args=("$@")
	printf -v cmd '%q ' ip netns exec "$NS" env XDG_CONFIG_HOME="$TMP/xdg" "${envs[@]}" \
		"$NETTOP" -n "${args[@]}"
	tm new-session -d -s "$name" -x 120 -y 40 "$cmd; echo exit=\$?; exec sleep 600"
}

# The screen with its escape sequences.
screen_e() {
	tm capture-pane -e -p -t "$1:" 2>/dev/null
}

status_line() {
	screen "$1" | tail -2 | head -1
}

drawn() {
	screen_has "$1" 'Connections  [0-9]+ of'
}

# The parameters of every SGR sequence on the screen, one per line.
sgr_params() {
	screen_e "$1" | grep -oE $'\e\\[[0-9;]*m' | sed -E $'s/^\e\\[//; s/m$//' | tr ';' '\n'
}

# Some colour: a foreground or background other than the default (39, 49).
has_colors() {
	sgr_params "$1" | grep -qE '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}

no_colors() {
	screen_e "$1" | grep -q $'\e\\[' && ! has_colors "$1"
}

# Only the 8 basic colours: no 256-colour (38;5;N) nor RGB sequence.
only_basic_colors() {
	has_colors "$1" && ! screen_e "$1" | grep -qE $'\e\\[[0-9;]*[34]8;[25];'
}

quit() {
	tm send-keys -t "$1:" q
	# (vt100 has no alternate screen: the shell writes after nettop's last line)
	wait_for "$TIMEOUT_MS" screen_has "$1" '(^|[^0-9])exit=0( |$)'
}

stop() {
	tm kill-session -t "$1:" 2>/dev/null
}

# --- setup ----------------------------------------------------------------------

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces"
for tool in ip tmux python3; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
[[ -f themes/default.theme ]] || fatal setup "run from the repository's top (./themes)"
TMP=$(mktemp -d /tmp/nettop-set.XXXXXX) || fatal setup "mktemp failed"
mkdir -p "$TMP/xdg/nettop/themes"
# a session that stays: the server must not exit between two nettop sessions
tm new-session -d -s keep -x 80 -y 24 "exec sleep 100000" || fatal setup "tmux failed"
netns_add "$NS"
ip -n "$NS" link set lo up || fatal setup "cannot bring lo up"
ip netns exec "$NS" python3 -c '
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7001))
s.listen()
print("READY", flush=True)
time.sleep(3600)' >"$TMP/listener.out" 2>&1 &
LISTENER_PID=$!
wait_for 5000 grep -q READY "$TMP/listener.out" || fatal setup "listener not ready"

# --- every shipped theme starts and draws ---------------------------------------

themes=()
for f in themes/*.theme; do
	t=$(basename "$f" .theme)
	themes+=("$t")
	start "th-$t" -- --theme "$t"
done
for t in "${themes[@]}"; do
	check "theme $t: draws" '$(screen "th-$t" | head -3)' drawn "th-$t"
	check "theme $t: escape codes on screen" "no SGR sequence" \
		bash -c 'tmux -L "$0" -f /dev/null capture-pane -e -p -t "$1:" | grep -q $'"'"'\e\['"'"'' \
		"$SOCKET" "th-$t"
done
check "theme default: colours" "no colour SGR" has_colors th-default
check "theme gruvbox: colours" "no colour SGR" has_colors th-gruvbox
header_sgr() {
	screen_e "$1" | head -1 | grep -oE $'\e\\[[0-9;]*m' | sort -u | tr -d '\n'
}
if [[ -n $(header_sgr th-default) && $(header_sgr th-default) != "$(header_sgr th-gruvbox)" ]]; then
	ok "themes default and gruvbox draw the header in different colours"
else
	not_ok "themes default and gruvbox draw the header in different colours" \
		"default: $(header_sgr th-default | cat -v), gruvbox: $(header_sgr th-gruvbox | cat -v)"
fi
check "theme monochrome: no colours, attributes only" "colours found" no_colors th-monochrome
gruvbox_header=$(header_sgr th-gruvbox)
for t in "${themes[@]}"; do
	stop "th-$t"
done

# every colour role of the screen has a slot in every shipped theme
roles=$(sed -n '/define COLOR_ROLE_LIST/,/^$/p' src/ui/theme.h | grep -oE 'X\([A-Z_]+\)' |
	sed -E 's/X\(([A-Z_]+)\)/\1/' | tr 'A-Z' 'a-z')
missing=""
for f in themes/*.theme; do
	for r in $roles; do
		grep -qE "^$r[[:space:]]*=" "$f" || missing+=" $(basename "$f"):$r"
	done
done
if [[ -n $roles && -z $missing ]]; then
	ok "every shipped theme names every colour role ($(wc -w <<<"$roles") slots)"
else
	not_ok "every shipped theme names every colour role" "missing:${missing:- no roles found}"
fi
undocumented=""
for r in $roles; do
	grep -q "\`$r\`" themes/README.md || undocumented+=" $r"
done
if [[ -z $undocumented ]]; then
	ok "themes/README.md documents every slot"
else
	not_ok "themes/README.md documents every slot" "missing:$undocumented"
fi

# --- no colours where none are wanted or possible -------------------------------

start nocolor NO_COLOR=1 -- --theme gruvbox
start nocolor-flag -- --no-color
start vt100 TERM=vt100 -- --theme gruvbox
start eight TERM=screen -- --theme gruvbox
for s in nocolor nocolor-flag vt100 eight; do
	wait_for "$TIMEOUT_MS" drawn "$s" || not_ok "$s: draws" "$(screen "$s" | head -3)"
done
check "NO_COLOR=1: no colours" '$(sgr_params nocolor | sort -u | tr "\n" " ")' no_colors nocolor
check "--no-color: no colours" '$(sgr_params nocolor-flag | sort -u | tr "\n" " ")' no_colors nocolor-flag
# the selection shows without colour: reverse video on the cursor row
check "NO_COLOR=1: the selected row in reverse video" "no reverse (7) on the 7001 row" \
	bash -c 'tmux -L "$0" -f /dev/null capture-pane -e -p -t nocolor: | grep "127\.0\.0\.1:7001" |
		grep -qE $'"'"'\e\[([0-9;]*;)?7[;m]'"'"'' "$SOCKET"
check "TERM=vt100 with a theme: draws, without colours" '$(screen vt100 | head -2)' no_colors vt100
check "TERM=screen (8 colours): gruvbox's #rrggbb brought down to the 8" \
	'$(screen_e eight | head -1 | cat -v)' only_basic_colors eight
for s in nocolor nocolor-flag vt100 eight; do
	quit "$s" || not_ok "$s: q exits with status 0" "$(screen "$s" | tail -3)"
	stop "$s"
done

# --- a broken theme ---------------------------------------------------------------

printf 'normal = default\nheader = purple on cyan\n' >"$TMP/broken.theme"
start broken -- --theme "$TMP/broken.theme"
check "a broken --theme: FILE:LINE and what is wrong" '$(screen broken | head -3)' \
	screen_has broken "^nettop: $TMP/broken.theme:2: 'purple' is not a colour"
check "a broken --theme: exit status 2" '$(screen broken | head -3)' screen_has broken '^exit=2$'
stop broken
start missing -- --theme no-such-theme
check "an unknown --theme: exit status 2 with a message" '$(screen missing | head -3)' \
	bash -c 'tmux -L "$0" -f /dev/null capture-pane -p -t missing: | grep -q "theme .no-such-theme. not found" &&
		tmux -L "$0" -f /dev/null capture-pane -p -t missing: | grep -q "^exit=2$"' "$SOCKET"
stop missing

# what the user wrote is quoted escaped: a control byte never reaches the terminal
printf 'normal = default\nheader = \033[31mred\n' >"$TMP/control.theme"
start control -- --theme "$TMP/control.theme"
check "a theme line with control bytes: quoted escaped (\\x1b)" '$(screen control | head -3)' \
	screen_has control "^nettop: $TMP/control.theme:2: '\\\\x1b\\[31mred' is not a colour"
check "a theme line with control bytes: exit status 2" '$(screen control | head -3)' \
	screen_has control '^exit=2$'
stop control

# --- files that are not regular files: refused at once, never read ---------------------

# A FIFO blocked the open for ever (no writer comes); /dev/zero was read for ever.
mkfifo "$TMP/fifo" || fatal setup "mkfifo failed"
start fifo-theme -- --theme "$TMP/fifo"
check "--theme FIFO: refused, exit status 2" '$(screen fifo-theme | head -3)' \
	screen_has fifo-theme '^exit=2$'
check "--theme FIFO: says it is a FIFO" '$(screen fifo-theme | head -3)' \
	screen_has fifo-theme "^nettop: .*$TMP/fifo: cannot read it: a FIFO, not a regular file"
stop fifo-theme
for special in "$TMP/fifo" /dev/zero; do
	start special -- --config "$special"
	check "--config $special: the screen starts" '$(screen special | head -3)' drawn special
	check "--config $special: the status line says why it is not read" \
		'status: $(status_line special)' \
		screen_has special "^ $special: cannot read it: a (FIFO|device), not a regular file"
	quit special || not_ok "--config $special: q exits with status 0" "$(screen special | tail -3)"
	stop special
done
if [[ -p $TMP/fifo ]]; then
	ok "--config FIFO: nothing written in its place"
else
	not_ok "--config FIFO: nothing written in its place" "$(ls -l "$TMP/fifo")"
fi

# --- T cycles; a broken theme met on the way leaves the current one ----------------

# "default-broken" comes right after "default" in the walk
printf 'normal = default\ncursor = black on nocolour\n' >"$TMP/xdg/nettop/themes/default-broken.theme"
conf="$TMP/cycle.conf"
start cycle -- --config "$conf"
wait_for "$TIMEOUT_MS" drawn cycle || not_ok "T: nettop draws" "$(screen cycle | head -3)"
before=$(header_sgr cycle)
tm send-keys -t cycle: T
check "T onto a broken theme: the status line says FILE:LINE" 'status: $(status_line cycle)' \
	screen_has cycle "default-broken\.theme:2: .*the theme stays default"
if [[ $(header_sgr cycle) == "$before" ]]; then
	ok "T onto a broken theme: the colours stay"
else
	not_ok "T onto a broken theme: the colours stay" "the header changed"
fi
tm send-keys -t cycle: T
check "T again: the next theme (gruvbox)" 'status: $(status_line cycle)' screen_has cycle '^ theme gruvbox'
check "T: the header's colours change" 'header: $(header_sgr cycle | cat -v)' \
	test "$(header_sgr cycle)" != "$before"
check "T: the theme is saved" '$(cat "$conf" 2>&1)' grep -qs '^theme = gruvbox$' "$conf"
quit cycle || not_ok "T: q exits with status 0" "$(screen cycle | tail -3)"
stop cycle
start cycle2 -- --config "$conf"
saved_theme() {
	drawn cycle2 && [[ $(header_sgr cycle2) == "$gruvbox_header" ]]
}
check "the saved theme is used at the next start (gruvbox's header)" '$(header_sgr cycle2 | cat -v)' \
	saved_theme
stop cycle2

# --- the config file: a sort change is saved and comes back --------------------------

conf="$TMP/sort.conf"
start sort -- --config "$conf"
wait_for "$TIMEOUT_MS" drawn sort || not_ok "sort: nettop draws" "$(screen sort | head -3)"
check "no config file before a change" "it exists" test ! -e "$conf"
tm send-keys -t sort: '>'
check "> sorts the connections by the next column" 'status: $(status_line sort)' \
	screen_has sort 'sorted by Foreign Address'
check "the sort change is written to the config file" '$(cat "$conf" 2>&1)' \
	grep -qs '^sort_conns = remote asc$' "$conf"
tm send-keys -t sort: I
check "I: the order is written too" '$(cat "$conf" 2>&1)' grep -qs '^sort_conns = remote desc$' "$conf"
quit sort || not_ok "sort: q exits with status 0" "$(screen sort | tail -3)"
stop sort
start sort2 -- --config "$conf"
check "the sort survives a restart" 'status: $(status_line sort2)' \
	screen_has sort2 '^ Connections: row [0-9]+ of [0-9]+, sorted by Foreign Address descending'
check "the default config file is left alone with --config" "$TMP/xdg/nettop/config exists" \
	test ! -e "$TMP/xdg/nettop/config"
stop sort2

# --- a config that is a symbolic link (a dotfile manager's): written through --------

mkdir -p "$TMP/dotfiles"
printf 'interval = 2\n' >"$TMP/dotfiles/nettop.conf"
ln -s dotfiles/nettop.conf "$TMP/linked.conf"
conf="$TMP/linked.conf"
start linked -- --config "$conf"
wait_for "$TIMEOUT_MS" drawn linked || not_ok "linked: nettop draws" "$(screen linked | head -3)"
tm send-keys -t linked: '>'
check "a symlinked config: the change goes to the file the link names" \
	'$(cat "$TMP/dotfiles/nettop.conf" 2>&1)' grep -qs '^sort_conns = remote asc$' "$TMP/dotfiles/nettop.conf"
check "a symlinked config: the link stays a link" '$(ls -l "$conf")' test -L "$conf"
quit linked || not_ok "linked: q exits with status 0" "$(screen linked | tail -3)"
stop linked

# --- a malformed line: reported with FILE:LINE, the rest applies, the file stays -----

conf="$TMP/bad.conf"
printf '# a comment\ninterval = 2\nthis line is bad\nsort_conns = state desc\nnumeric = perhaps\n' >"$conf"
cp "$conf" "$TMP/bad.conf.orig"
stat_before=$(stat -c '%i %Y %s' "$conf")
sleep 1.1	# a rewrite within the same second would keep %Y
start bad -- --config "$conf"
check "a malformed line: FILE:LINE on the status line" 'status: $(status_line bad)' \
	screen_has bad "^ $conf:3: expected 'key = value' \(and more lines\)"
check "a malformed line: the rest applies (interval 2)" 'header: $(screen bad | head -1)' \
	screen_has bad '^ nettop .*every 2s'
# keys that change nothing worth saving: moves, focus, the help, the setup screen
for k in Down Tab BTab '?' Escape F2 Down Escape Home; do
	tm send-keys -t bad: "$k"
done
check "a malformed line: the rest applies (sorted by State descending)" 'status: $(status_line bad)' \
	screen_has bad 'sorted by State descending'
quit bad || not_ok "bad: q exits with status 0" "$(screen bad | tail -3)"
stop bad
if [[ $(stat -c '%i %Y %s' "$conf") == "$stat_before" ]] && cmp -s "$conf" "$TMP/bad.conf.orig"; then
	ok "nothing changed: the config file is not rewritten (inode, mtime, content)"
else
	not_ok "nothing changed: the config file is not rewritten" \
		"before $stat_before, after $(stat -c '%i %Y %s' "$conf")"
fi

# --- the command line wins over the file, and is not written back -------------------

conf="$TMP/cli.conf"
printf 'interval = 3\nnumeric = no\n' >"$conf"
start cli -- --config "$conf" --interval 0.5
check "--interval wins over the file's interval" 'header: $(screen cli | head -1)' \
	screen_has cli '^ nettop .*every 0\.5s'
tm send-keys -t cli: Tab
sleep 0.3
quit cli || not_ok "cli: q exits with status 0" "$(screen cli | tail -3)"
stop cli
if grep -q '^interval = 3$' "$conf" && ! grep -q 'interval = 0.5' "$conf"; then
	ok "the command line's interval is not written to the file"
else
	not_ok "the command line's interval is not written to the file" "$(cat "$conf")"
fi

# --- the layout key applies at start (issue 16) ------------------------------------

conf="$TMP/layout.conf"
printf 'layout = single\n' >"$conf"
start single -- --config "$conf"
check "layout = single: one pane at a time, even at 120x40" '$(screen single | head -3)' \
	screen_has single '\[Conns\]'
stop single
printf 'layout = stacked\n' >"$conf"
start stacked -- --config "$conf"
wait_for "$TIMEOUT_MS" drawn stacked || not_ok "layout = stacked: nettop draws" "$(screen stacked | head -3)"
check "layout = stacked: states and remote side by side" '$(screen stacked | head -3)' \
	screen_has stacked 'TCP states .*Top remote addresses'
check "layout = stacked: the interfaces below them, not beside" '$(screen stacked | grep Interfaces)' \
	screen_has stacked '^ ?Interfaces  [0-9]'
stop stacked
printf 'layout = diagonal\n' >"$conf"
start diagonal -- --config "$conf"
check "layout = diagonal: the status line names the file and the key" 'status: $(status_line diagonal)' \
	screen_has diagonal "^ $conf: layout: 'diagonal' is not auto, stacked or single"
check "layout = diagonal: the usual layout, all four panes" '$(screen diagonal | head -3)' \
	screen_has diagonal 'TCP states .*Top remote addresses .*Interfaces'
stop diagonal

# --- a filter typed on the screen is saved, and comes back (issue 16) -----------------

conf="$TMP/filter.conf"
start filter -- --config "$conf"
wait_for "$TIMEOUT_MS" drawn filter || not_ok "filter: nettop draws" "$(screen filter | head -3)"
tm send-keys -t filter: -l '\'
wait_for "$TIMEOUT_MS" screen_has filter '^Filter:'
tm send-keys -t filter: -l 'state listen'
tm send-keys -t filter: Enter
check "a typed filter is written to the config file" '$(cat "$conf" 2>&1)' \
	grep -qs '^filter = state listen$' "$conf"
quit filter || not_ok "filter: q exits with status 0" "$(screen filter | tail -3)"
stop filter
start filter2 -- --config "$conf"
check "the saved filter applies at the next start" 'header: $(screen filter2 | head -1)' \
	screen_has filter2 '^ nettop .*filter: state listen'
check "the saved filter: listeners only (127.0.0.1:7001)" '$(screen filter2 | grep Connections)' \
	screen_has filter2 'Connections  1 of 1 sockets'
tm send-keys -t filter2: -l '\'
wait_for "$TIMEOUT_MS" screen_has filter2 '^Filter:'
tm send-keys -t filter2: Escape
check "a cleared filter is saved as none" '$(cat "$conf" 2>&1)' grep -qs '^filter = $' "$conf"
quit filter2 || not_ok "filter2: q exits with status 0" "$(screen filter2 | tail -3)"
stop filter2
start filter3 -- --config "$conf" state established
check "a filter on the command line wins for the run" 'header: $(screen filter3 | head -1)' \
	screen_has filter3 '^ nettop .*filter: state established'
tm send-keys -t filter3: Tab
sleep 0.3
quit filter3 || not_ok "filter3: q exits with status 0" "$(screen filter3 | tail -3)"
stop filter3
if grep -q '^filter = $' "$conf"; then
	ok "the command line's filter is not written to the file"
else
	not_ok "the command line's filter is not written to the file" "$(cat "$conf")"
fi

# --- the setup screen ----------------------------------------------------------------

conf="$TMP/setup.conf"
start setup -- --config "$conf"
wait_for "$TIMEOUT_MS" drawn setup || not_ok "setup: nettop draws" "$(screen setup | head -3)"
check "no UID column before" '$(screen setup | grep "^Proto")' \
	bash -c '! tmux -L "$0" -f /dev/null capture-pane -p -t setup: | grep -qE "^Proto .* UID"' "$SOCKET"
tm send-keys -t setup: F2
check "F2 opens the setup screen" '$(screen setup | head -3)' screen_has setup '^ Setup: changes apply at once'
check "setup: the UID column is listed, hidden" '$(screen setup | grep UID)' \
	screen_has setup '^   \[ \] UID '
# UID is the 8th column of the registry
tm send-keys -t setup: Home Down Down Down Down Down Down Down Space
check "setup: Space shows UID" '$(screen setup | grep UID)' screen_has setup '^   \[x\] UID '
tm send-keys -t setup: Escape
check "setup: the connections pane has a UID column" '$(screen setup | grep "^Proto")' \
	screen_has setup '^Proto .* State +UID '
check "setup: the columns are saved" '$(cat "$conf" 2>&1)' \
	# netns: shown by samples of every namespace (--all-netns)
	grep -qsE '^columns = proto,recv_q,send_q,local,remote,state,process,uid,rtt,rx,tx,netns$' "$conf"
# S opens it too; [ moves UID before PID/Program, Space hides State
tm send-keys -t setup: S
check "S opens the setup screen" '$(screen setup | head -3)' screen_has setup '^ Setup: changes apply at once'
tm send-keys -t setup: '['
check "setup: [ moves the column up" '$(screen setup | sed -n 9,11p)' \
	bash -c 'tmux -L "$0" -f /dev/null capture-pane -p -t setup: | grep -A1 "\] UID " | grep -q "PID/Program"' "$SOCKET"
tm send-keys -t setup: Up Space Escape
check "setup: State hidden" '$(screen setup | grep "^Proto")' \
	bash -c 'tmux -L "$0" -f /dev/null capture-pane -p -t setup: | grep -E "^Proto " | grep -vq State' "$SOCKET"
check "setup: the order and the hidden column are saved" '$(cat "$conf" 2>&1)' \
	grep -qsE '^columns = proto,recv_q,send_q,local,remote,uid,process,rtt,rx,tx,netns$' "$conf"
# the interval and the threshold
tm send-keys -t setup: F2 End Up Right
check "setup: Right on the interval refreshes slower" '$(screen setup | grep Refresh)' \
	screen_has setup 'Refresh interval  < 2s >'
tm send-keys -t setup: Down Left
check "setup: Left on the threshold halves it" '$(screen setup | grep Flood)' \
	screen_has setup 'Flood threshold   < 128 >'
tm send-keys -t setup: Escape
check "setup: interval and threshold saved" '$(cat "$conf" 2>&1)' \
	bash -c 'grep -qs "^interval = 2$" "$0" && grep -qs "^flood_threshold = 128$" "$0"' "$conf"
quit setup || not_ok "setup: q exits with status 0" "$(screen setup | tail -3)"
stop setup
start setup2 -- --config "$conf"
check "the columns survive a restart" '$(screen setup2 | grep "^Proto")' \
	bash -c 'tmux -L "$0" -f /dev/null capture-pane -p -t setup2: | grep -E "^Proto .* UID " | grep -vq State' "$SOCKET"
stop setup2

summary
