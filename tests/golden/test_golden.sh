#!/usr/bin/env bash
# test_golden.sh: golden screens. The committed recordings of
# tests/fixtures/recordings/ (made by tests/tools/record-golden.sh) are
# replayed on the screen in a private tmux server at fixed sizes, paused at a
# fixed sample, with the clock in UTC; each captured screen (capture-pane -p)
# must equal its committed copy in tests/golden/expected/NAME.txt.
#
# Usage: bash tests/golden/test_golden.sh /abs/path/to/nettop
#        UPDATE=1 bash tests/golden/test_golden.sh ./nettop   (rewrites the copies)
# Needs tmux only: no root, no namespace, no network. Prints "ok - NAME" or
# "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_golden.sh /abs/path/to/nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=$(cd "$HERE/../fixtures/recordings" && pwd)
EXPECTED="$HERE/expected"
SOCKET="nettop-golden-$$"
TIMEOUT_MS=${GOLDEN_TIMEOUT_MS:-15000}
UPDATE=${UPDATE:-}
TMP=$(mktemp -d)
PASSED=0
FAILED=0
# The flood recording alerts from 100 SYN_RECV on a listener; its panes are
# asked for, not left to the alert (which rose before the sample shown).
FLOOD_ARGS=(--flood --flood-threshold 100)
# Every screen: owners shown, addresses and ports as numbers (names would be
# this machine's /etc/hosts and resolver's, and come late).
SCREEN_ARGS=(-p -n)

# shellcheck source=tests/golden/lib.sh
. "$HERE/lib.sh"

ok() {
	echo "ok - $1"
	PASSED=$((PASSED + 1))
}

not_ok() {
	echo "not ok - $1: $2"
	FAILED=$((FAILED + 1))
}

# compare NAME SCREEN: against expected/NAME.txt (written with UPDATE=1).
compare() {
	local name=$1 screen=$2 file="$EXPECTED/$1.txt"
	if [[ -n $UPDATE ]]; then
		mkdir -p "$EXPECTED"
		printf '%s\n' "$screen" >"$file"
		ok "$name (expected screen written)"
		return
	fi
	if [[ ! -f $file ]]; then
		not_ok "$name" "no expected screen $file (UPDATE=1 writes it)"
		return
	fi
	printf '%s\n' "$screen" >"$TMP/$name.txt"
	if cmp -s "$file" "$TMP/$name.txt"; then
		ok "$name"
	else
		not_ok "$name" "the screen differs from $file"
		diff -u "$file" "$TMP/$name.txt" | head -40 | sed 's/^/#   /'
	fi
}

# golden NAME RECORDING SAMPLE SIZE [ARG...] [-- KEY...]: the recording
# paused at SAMPLE; KEYs (tmux key names; "text:..." types text) go in once
# it shows, and the screen after them is compared.
golden() {
	local name=$1 rec=$2 sample=$3 size=$4 args=() keys=() screen count
	shift 4
	while (($#)) && [[ $1 != -- ]]; do args+=("$1"); shift; done
	(($#)) && shift
	keys=("$@")
	count=$("$NETTOP" --replay "$FIXTURES/$rec.rec" --batch --json | wc -l)
	session
	start "$W" "$size" --replay "$FIXTURES/$rec.rec" --replay-pause "$sample" "${args[@]}"
	if ! screen=$(settle "$W" "replay $sample/$count"); then
		not_ok "$name" "the replay never settled on sample $sample (exit status: $(exited "$W")); the screen was:"
		printf '%s\n' "$screen" | sed 's/^/#   /'
		stop "$W"
		return
	fi
	if ((${#keys[@]})); then
		send "$W" "${keys[@]}"
		if ! screen=$(settle "$W" "" "$screen"); then
			not_ok "$name" "the keys ${keys[*]} changed nothing; the screen was:"
			printf '%s\n' "$screen" | sed 's/^/#   /'
			stop "$W"
			return
		fi
	fi
	stop "$W" || { not_ok "$name" "$EXIT_DETAIL"; return; }
	compare "$name" "$screen"
}

# stepped NAME EXPECTED RECORDING FROM SIZE KEYS...: paused at FROM, then
# stepped with KEYS: the screen must be the one paused there directly.
stepped() {
	local name=$1 expected=$2 rec=$3 from=$4 size=$5 screen want
	shift 5
	want=$(sed -n 's/.*\(replay [0-9]*\/[0-9]*\).*/\1/p' "$EXPECTED/$expected.txt" 2>/dev/null | head -1)
	session
	start "$W" "$size" --replay "$FIXTURES/$rec.rec" --replay-pause "$from" "${STEP_ARGS[@]}"
	if ! screen=$(settle "$W" "replay $from/"); then
		not_ok "$name" "the replay never settled on sample $from"
		stop "$W"
		return
	fi
	send "$W" "$@"
	if [[ -z $want ]] || ! screen=$(settle "$W" "$want"); then
		not_ok "$name" "stepping never reached ${want:-the sample of $expected}"
		stop "$W"
		return
	fi
	stop "$W" || { not_ok "$name" "$EXIT_DETAIL"; return; }
	if [[ -n $UPDATE ]]; then
		ok "$name (compared with $expected only without UPDATE)"
	elif [[ $screen == "$(cat "$EXPECTED/$expected.txt")" ]]; then
		ok "$name"
	else
		not_ok "$name" "the screen differs from $expected.txt"
		diff -u "$EXPECTED/$expected.txt" <(printf '%s\n' "$screen") | head -40 | sed 's/^/#   /'
	fi
}

# check NAME DETAIL CMD...: CMD must succeed.
check() {
	local name=$1 detail=$2
	shift 2
	if "$@"; then ok "$name"; else not_ok "$name" "$detail"; fi
}

json_same() {
	local rec=$1 sum
	shift
	sum=$("$NETTOP" --replay "$FIXTURES/$rec.rec" --batch --json "$@" | sha256sum | cut -d' ' -f1)
	[[ $sum == "$(cat "$FIXTURES/$rec.json.sha256")" ]]
}

# shows SESSION TEXT: the screen comes to hold TEXT (polled, not settled:
# a replay playing moves on).
shows() {
	local deadline=$(($(now_ms) + TIMEOUT_MS))
	while (($(now_ms) < deadline)); do
		[[ $(capture "$1") == *"$2"* ]] && return 0
		pane_dead "$1" && return 1
		sleep 0.05
	done
	return 1
}

command -v tmux >/dev/null || { not_ok "tmux" "tmux is not installed"; echo "$PASSED passed, $FAILED failed"; exit 1; }
mkdir -p "$TMP/home"
tm new-session -d -s golden -x 120 -y 40 "sleep 100000"
tm set-option -g remain-on-exit on >/dev/null

# The recordings print what the live runs printed.
check "quiet: the replay prints the live run's JSON" "sha256 differs" json_same quiet
check "flood: the replay prints the live run's JSON" "sha256 differs" json_same flood "${FLOOD_ARGS[@]}"
check "busy: the replay prints the live run's JSON" "sha256 differs" json_same busy

# The main view of each recording, at two sizes.
for size in 120x40 80x24; do
	golden "quiet-$size" quiet 3 "$size" "${SCREEN_ARGS[@]}"
	golden "flood-$size" flood 3 "$size" "${SCREEN_ARGS[@]}" "${FLOOD_ARGS[@]}"
	golden "busy-$size" busy 3 "$size" "${SCREEN_ARGS[@]}"
done
golden "busy-2-120x40" busy 2 120x40 "${SCREEN_ARGS[@]}"
golden "help-120x40" quiet 3 120x40 "${SCREEN_ARGS[@]}" -- F1
golden "filter-prompt-120x40" busy 3 120x40 "${SCREEN_ARGS[@]}" -- '\' "text:state established 127.0.0.9"
# H (issue 19): the graphs a replay draws from its recording, up to the
# sample shown: the flood rising for 20 s (its states, over a minute and
# over everything, up to sample 12), the short flood's indicators and its
# listener, the busy server's totals
golden "history-rise-states-120x40" flood-rise 20 120x40 "${SCREEN_ARGS[@]}" -- H Tab
golden "history-rise-all-80x24" flood-rise 20 80x24 "${SCREEN_ARGS[@]}" -- H Tab - - -
golden "history-rise-12-120x40" flood-rise 12 120x40 "${SCREEN_ARGS[@]}" -- H Tab - - -
golden "history-flood-band-120x40" flood 4 120x40 "${SCREEN_ARGS[@]}" "${FLOOD_ARGS[@]}" -- H Tab Tab Tab Tab
golden "history-flood-listener-120x40" flood 4 120x40 "${SCREEN_ARGS[@]}" "${FLOOD_ARGS[@]}" -- H Tab Tab Tab Tab Tab
golden "history-busy-120x40" busy 3 120x40 "${SCREEN_ARGS[@]}" -- H

# Steps: back needs the recording decoded again from its start.
STEP_ARGS=("${SCREEN_ARGS[@]}")
stepped "busy: two steps back from 4 show sample 2" busy-2-120x40 busy 4 120x40 Left Left
stepped "busy: a step forward from 2 shows sample 3" busy-120x40 busy 2 120x40 Right
STEP_ARGS=("${SCREEN_ARGS[@]}" "${FLOOD_ARGS[@]}")
stepped "flood: a step back from 4 shows sample 3, rates included" flood-120x40 flood 4 120x40 Left

# Playing: the recorded pace, faster, the end (paused there), and again.
start play 120x40 --replay "$FIXTURES/quiet.rec" -n
check "play: the replay starts at sample 1" "no 'replay 1/4 x1'" shows play "replay 1/4 x1"
tm send-keys -t play ']' ']'
check "play: ] ] plays four times faster" "no x4 in the header" shows play "x4"
check "play: the end stays on the last sample, paused" "no 'replay 4/4 x4  PAUSED'" \
	shows play "replay 4/4 x4  PAUSED"
check "play: the end says so" "no message at the end" shows play "the end of the recording"
tm send-keys -t play '[' '[' '[' '[' '[' '['
check "play: [ slows down to x0.25 and no slower" "no x0.25" shows play "replay 4/4 x0.25"
tm send-keys -t play Space
check "play: Space at the end plays from the start" "never back at sample 1" shows play "replay 1/4"
# at x0.25 the next sample is 2 s away
tm send-keys -t play Space
check "play: Space pauses" "no PAUSED" shows play "replay 1/4 x0.25  PAUSED"
tm send-keys -t play Left
check "play: Left on the first sample says so" "no message" shows play "the first sample of the recording"
tm send-keys -t play Right Right
check "play: Right Right steps to sample 3" "no 'replay 3/4'" shows play "replay 3/4 x0.25  PAUSED"
check "play: q quits, with status 0" "see above" stop play

# A recording cut short plays up to its last whole sample, and says so.
size=$(stat -c %s "$FIXTURES/busy.rec")
head -c $((size - 10)) "$FIXTURES/busy.rec" >"$TMP/cut.rec"
start cut 120x40 --replay "$TMP/cut.rec" --replay-pause 9 -n
check "cut: a torn recording replays to its last whole sample" "no 'replay 3/3'" shows cut "replay 3/3"
check "cut: ... and says where it was cut" "no 'truncated' message" \
	shows cut "truncated or damaged after sample 3"
check "cut: q quits, with status 0" "see above" stop cut

# A file that is not a recording: exit 2 and a message, terminal restored.
# (the shell stays: tmux may lose a dead pane's first lines)
tm new-session -d -s notrec -x 120 -y 40 "$(printf '%q' "$NETTOP") --replay /etc/passwd; echo exit=\$?; sleep 60"
check "not a recording: exit 2 with a message" "no 'not a nettop recording' and exit=2" \
	bash -c 'for i in $(seq 100); do s=$(tmux -L "$0" -f /dev/null capture-pane -p -t notrec); [[ $s == *"not a nettop recording"* && $s == *exit=2* ]] && exit 0; sleep 0.1; done; exit 1' "$SOCKET"
tm kill-session -t notrec 2>/dev/null

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
