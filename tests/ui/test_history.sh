#!/usr/bin/env bash
# test_history.sh: H, the history graphs (issue 19), on a replay of the
# committed recording of a SYN flood that rises for 20 s (tests/fixtures/
# recordings/flood-rise.rec, made by tests/tools/record-history.sh: 30
# SYN_RECV more each second, 30 ... 600): the states pane's SYN_RECV graph is
# taller in its right half than in its left, zoom changes the axis' labels,
# Enter graphs one state alone, 80x24 and 200x60 draw, and TERM=vt100 draws
# ASCII ('#', '.') instead of braille.
#
# Usage: bash tests/ui/test_history.sh /abs/path/to/nettop
# Needs tmux and python3 (no root, no namespace). Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_history.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REC="$HERE/../fixtures/recordings/flood-rise.rec"
SOCKET="nettop-history-$$"
TIMEOUT_MS=5000

source "$HERE/lib.sh"

cleanup() {
	local status=$?
	kill_tmux
	exit "$status"
}
set_traps

# start SESSION WxH TERM: the replay, paused on its last sample.
start() {
	local w=${2%x*} h=${2#*x}
	tm new-session -d -s "$1" -x "$w" -y "$h" \
		"env TERM=$3 LANG=C.UTF-8 LC_ALL=C.UTF-8 $NETTOP --replay $REC --replay-pause 20 --no-color; sleep 60"
	wait_for "$TIMEOUT_MS" screen_has "$1" 'replay 20/20' || fatal "$1 starts" "$(screen "$1")"
}

# dots SESSION TITLE: "LEFT RIGHT", the braille dots (or '#' twice, '.'
# once) in the left and right halves of the graph under TITLE (the screens
# here are 100 columns wide).
dots() {
	screen "$1" | python3 -c '
import sys
lines = sys.stdin.read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith(" " + sys.argv[1] + " "))
left = right = 0
for line in lines[start + 1:]:
    if line.startswith("-"):
        break
    for x, ch in enumerate(line):
        o = ord(ch)
        n = bin(o - 0x2800).count("1") if 0x2800 <= o <= 0x28ff else {"#": 2, ".": 1}.get(ch, 0)
        if x < 50:
            left += n
        else:
            right += n
print(left, right)' "$2"
}

no_braille() {
	screen "$1" | python3 -c 'import sys; sys.exit(any(0x2800 <= ord(c) <= 0x28ff for c in sys.stdin.read()))'
}

taller_right() {
	local d
	d=$(dots "$1" "$2") || return 1
	set -- $d
	(($2 > $1 && $1 > 0))
}

start big 100x30 xterm-256color
tm send-keys -t big: H
check "H opens the graphs" '$(screen big)' screen_has big '^ total\.tcp +now [0-9]+'
tm send-keys -t big: Tab
check "the states pane graphs its states" '$(screen big)' screen_has big '^ states\.SYN_RECV +now 600 +min 30 +max 600'
check "the zoom starts at a minute" '$(screen big)' screen_has big '^-60s '
tm send-keys -t big: -- -
check "- zooms out: the axis says -10m" '$(screen big)' screen_has big '^-10m '
check "... and no longer -60s" '$(screen big)' screen_lacks big '^-60s '
tm send-keys -t big: -- - -
check "zoomed to everything: the axis spans the recording" '$(screen big)' screen_has big '^-(19|20)s '
check "SYN_RECV's graph is taller in its right half" '$(dots big states.SYN_RECV)' \
	taller_right big states.SYN_RECV
tm send-keys -t big: +
check "+ zooms back in" '$(screen big)' screen_has big '^-1h '
tm send-keys -t big: Down Down Enter
check "Enter graphs the selected state alone" '$(screen big)' screen_has big '^ states\.SYN_RECV '
check "... and no other" '$(screen big)' screen_lacks big '^ states\.ESTABLISHED '
tm send-keys -t big: Escape
check "Esc closes the graphs" '$(screen big)' screen_has big 'TCP states'
# a step back: the graphs end at the sample shown
tm send-keys -t big: Left H
check "a step back graphs up to sample 19" '$(screen big)' screen_has big '^ states\.SYN_RECV +now 570 +min 30 +max 570'
tm send-keys -t big: Escape

# start_flood SESSION: the replay with the flood band shown, 160 columns
# wide (the sparklines show from 150).
start_flood() {
	tm new-session -d -s "$1" -x 160 -y 40 \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $NETTOP --replay $REC --replay-pause 20 --no-color --flood; sleep 60"
	wait_for "$TIMEOUT_MS" screen_has "$1" 'replay 20/20' || fatal "$1 starts" "$(screen "$1")"
}

# sparkline SESSION: SYN_RECV's row in the flood band ends in block
# characters that rise (the last one the tallest).
sparkline() {
	screen "$1" | python3 -c '
import re, sys
rows = [l for l in sys.stdin.read().split("\n") if re.match(r"SYN_RECV +[0-9]+ +[+]", l)]
blocks = max(([ord(c) - 0x2580 for c in r if 0x2581 <= ord(c) <= 0x2588] for r in rows), key=len,
             default=[])
sys.exit(0 if len(blocks) >= 3 and blocks[-1] == 8 and blocks == sorted(blocks) and blocks[0] < 8 else 1)'
}

start_flood band
check "the flood band has a Last 60s column" '$(screen band)' screen_has band 'Last 60s'
check "... with SYN_RECV's sparkline rising" '$(screen band)' sparkline band

for size in 80x24 200x60; do
	start "s$size" "$size" xterm-256color
	tm send-keys -t "s$size:" H Tab
	check "$size draws the graphs" '$(screen s$size)' screen_has "s$size" '^ states\.SYN_RECV .*max 600'
	check "$size draws the axis" '$(screen s$size)' screen_has "s$size" '^-60s .*now$'
	check "$size shows no 'too small'" '$(screen s$size)' screen_lacks "s$size" 'too small'
done

start vt 100x30 vt100
tm send-keys -t vt: H Tab - - -
check "TERM=vt100 draws ASCII" '$(screen vt)' screen_has vt '#'
check "... and no braille" '$(screen vt)' no_braille vt
check "... with its right half taller" '$(dots vt states.SYN_RECV)' taller_right vt states.SYN_RECV

summary
