#!/bin/sh
# layers.sh BUILD: the rooms of src/ stay apart (README, "How it is built").
# The screen's model (src/model/) names no curses and its unit tests link
# without ncursesw; no loop of includes or calls joins src/ui/ with a file
# outside it, and none inside src/ui/ spans more than 10 files
# (tests/tools/loops.py reads BUILD's objects).
set -u
build=${1:-build}
failed=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

if grep -l curses src/model/* >/dev/null 2>&1; then
	not_ok "src/model/ names curses: $(grep -l curses src/model/* | tr '\n' ' ')"
else
	ok "src/model/ names no curses"
fi
found=0
for t in "$build"/tests/test_model*; do
	[ -x "$t" ] || continue
	found=1
	if ldd "$t" | grep -q ncurses; then
		not_ok "$(basename "$t") links ncursesw"
	else
		ok "$(basename "$t") links without ncursesw"
	fi
done
[ "$found" = 1 ] || not_ok "no model unit tests in $build/tests"
if python3 tests/tools/loops.py "$build"; then
	ok "no loop joins src/ui/ with outside; none inside over 10 files"
else
	not_ok "loops of includes and calls (above)"
fi
echo "$failed failed"
[ "$failed" -eq 0 ]
