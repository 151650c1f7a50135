#!/usr/bin/env bash
# screenshots.sh: the README's pictures, from the real screen. nettop replays
# the golden-screen recordings (tests/fixtures/recordings) paused at a sample
# in a private tmux server; the screen is captured with its colours
# (capture-pane -e), turned into HTML by aha and photographed by headless
# Chromium. `make screenshots` installs aha, chromium and the DejaVu fonts
# first (tests/deps.sh screenshots).
#
# Usage: bash tests/tools/screenshots.sh ./nettop OUTDIR
# Needs no root and no network namespace: the screens are recorded ones.

set -eu

NETTOP=$(readlink -f "${1:?usage: screenshots.sh ./nettop OUTDIR}")
OUT=${2:?usage: screenshots.sh ./nettop OUTDIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=$(cd "$HERE/../fixtures/recordings" && pwd)
SOCKET="nettop-shots-$$"
TIMEOUT_MS=15000
TMP=$(mktemp -d)
FLOOD_ARGS=(--flood --flood-threshold 100)
# -n: this machine's names for 127.0.0.x would be no part of the recording

# shellcheck source=tests/golden/lib.sh
. "$HERE/../golden/lib.sh"


for tool in tmux aha chromium; do
	command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing (make deps-screenshots)" >&2; exit 1; }
done

# The 8 colours as a terminal shows them (Tango), for aha's colour names.
PALETTE='s/:dimgray;/:#000000;/g; s/:black;/:#000000;/g; s/:red;/:#cc0000;/g;
s/:green;/:#4e9a06;/g; s/:olive;/:#c4a000;/g; s/:blue;/:#3465a4;/g;
s/:purple;/:#75507b;/g; s/:teal;/:#06989a;/g; s/:gray;/:#d3d7cf;/g'

# render NAME COLS LINES [light|black]: $TMP/NAME.ans (the captured screen)
# as OUT/NAME.png, the page cut to the terminal's size, on a dark grey
# terminal (or a light or a black one). Fonts are picked so that every
# picture is at least 800x400.
render() {
	local name=$1 cols=$2 lines=$3 px width height fg=#d3d7cf bg=#1c1c1c
	[[ ${4:-} == light ]] && fg=#000000 bg=#ffffff
	[[ ${4:-} == black ]] && bg=#000000
	px=$((cols >= 100 ? 14 : 18))
	# DejaVu Sans Mono is 0.602 em wide; lines are 1.2 em
	width=$(((cols * px * 602 + 999) / 1000 + 24))
	height=$((lines * px * 12 / 10 + 24))
	aha --title "nettop" <"$TMP/$name.ans" >"$TMP/$name.raw.html"
	# reverse video of the default colours
	sed -e "s/color:white;background-color:black;/color:$bg;background-color:$fg;/g" \
		-e "$PALETTE" \
		-e "s|</head>|<style>html, body { margin: 0; overflow: hidden; color: $fg; background: $bg; } \
pre { margin: 12px; font-family: 'DejaVu Sans Mono', monospace; font-size: ${px}px; \
line-height: 1.2; } pre span { padding: 0.05em 0; }</style></head>|" "$TMP/$name.raw.html" >"$TMP/$name.html"
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$TMP/chromium" --screenshot="$OUT/$name.png" \
		--window-size="$width,$height" "file://$TMP/$name.html" >"$TMP/chromium.log" 2>&1 || {
		cat "$TMP/chromium.log" >&2
		return 1
	}
	echo "$OUT/$name.png (${width}x$height)"
}

# shot NAME COLSxLINES RECORDING SAMPLE [ARG...] [-- KEY...]: the recording
# paused at SAMPLE, after KEYs (tmux key names; "text:..." types text). With
# PAGE=light or PAGE=black, on such a terminal.
shot() {
	local name=$1 size=$2 rec=$3 sample=$4 args=() keys=() screen
	shift 4
	while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
	(($#)) && shift
	keys=("$@")
	session
	start "$W" "$size" --replay "$FIXTURES/$rec.rec" --replay-pause "$sample" "${args[@]}"
	screen=$(settle "$W" "replay $sample/") || { echo "screenshots.sh: $name: no screen" >&2; exit 1; }
	if ((${#keys[@]})); then
		send "$W" "${keys[@]}"
		settle "$W" "" "$screen" >/dev/null || { echo "screenshots.sh: $name: the keys did nothing" >&2; exit 1; }
	fi
	# -N: the colours of a line's trailing blanks too
	tm capture-pane -e -N -p -t "$W" >"$TMP/$name.ans"
	stop "$W" >/dev/null || true
	render "$name" "${size%x*}" "${size#*x}" "${PAGE:-}"
}

mkdir -p "$OUT" "$TMP/home"
tm new-session -d -s holder "sleep 100000"
tm set-option -g remain-on-exit on >/dev/null

shot main 120x40 busy 3 -p -n
shot flood 120x40 flood 3 -p -n "${FLOOD_ARGS[@]}"
shot filter 120x40 busy 3 -p -n -- '\' "text:state established 127.0.0.9" Enter '\'
shot help 120x40 quiet 3 -p -n -- F1
if "$NETTOP" --help | grep -q -- '--theme'; then
	PAGE=light shot theme-light 120x40 busy 3 -p -n --theme light
	PAGE=black shot theme-high-contrast 120x40 flood 3 -p -n "${FLOOD_ARGS[@]}" --theme high-contrast
else
	# no themes to show: the same screen at two sizes
	shot main-80x24 80x24 busy 3 -p -n
fi
shot flood-80x24 80x24 flood 3 -p -n "${FLOOD_ARGS[@]}"
