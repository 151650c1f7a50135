#!/bin/sh
# Runs every test suite and ends with one "N passed, M failed" line.
# Usage: tests/run.sh NETTOP [UNIT_BINARY…] (the Makefile's `make test`).
set -u
nettop=$(readlink -f "$1")
shift
passed=0
failed=0
failures=""
times=""	# "SECONDS NAME" lines: the slowest are named at the end

suite() {
	name=$1
	shift
	echo "=== $name"
	started=$(date +%s)
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
	fi
	took=$(($(date +%s) - started))
	echo "--- $name: $took s"
	times="$times$took $name
"
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "=== $1: needs root for network namespaces; run 'sudo make test'" >&2
		failed=$((failed + 1))
		failures="$failures $1"
		return 1
	fi
}

with_backend() {
	backend=$1
	shift
	env NETTOP_BACKEND="$backend" NETTOP="$nettop" "$@"
}

# Under SAN=1 a sanitizer report aborts the run, so a suite cannot pass over it.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for t in "$@"; do
	suite "unit:$(basename "$t")" "$t"
done
# the shape of the tree: file and function sizes, dead exports, one hash
suite tree python3 tests/tools/tree_check.py .
# the rooms of src/: the screen's model without curses, no loops into src/ui/
build=build
[ "${SAN:-}" = 1 ] && build=build-san
suite layers sh tests/tools/layers.sh "$build"
# contrib/: the alert rules' promtool tests, the dashboard's queries, the unit
suite contrib sh tests/tools/check_contrib.sh "$nettop"
if need_root integration; then
	# the suites against ss and netstat, once per socket source (--backend;
	# harness.py reads NETTOP_BACKEND): BPF iterators, then sock_diag (the
	# sanitized build: batch and filters only, for time)
	for backend in bpf sockdiag; do
		b="with_backend $backend"
		suite "integration[$backend]" $b python3 tests/integration/test_batch.py
		suite "integration-filter[$backend]" $b python3 tests/integration/test_filter.py
		[ "$backend" = sockdiag ] && [ "${SAN:-}" = 1 ] && continue
		suite "integration-procs[$backend]" $b python3 tests/integration/test_procs.py
		suite "integration-flood[$backend]" $b python3 tests/integration/test_flood.py
	done
	suite integration-prom env NETTOP="$nettop" python3 tests/integration/test_prom.py
	# --all-netns: every namespace against ss inside each
	suite integration-allnetns env NETTOP="$nettop" python3 tests/integration/test_allnetns.py
	# the files nettop writes: --prometheus FILE, --record FILE
	suite integration-files env NETTOP="$nettop" python3 tests/integration/test_files.py
	suite integration-recording env NETTOP="$nettop" python3 tests/integration/test_recording.py
	# the rest of netstat (-r -x -w -e -o -g -M) and --conntrack, against netstat and conntrack
	suite integration-netstat-more env NETTOP="$nettop" python3 tests/integration/test_netstat_more.py
	# closed connections: the kernel's destroy events (--events)
	suite integration-events env NETTOP="$nettop" python3 tests/integration/test_events.py
	# bandwidth per group against tc's shaped rate, retransmits against ss -ti
	for backend in bpf sockdiag; do
		suite "integration-bandwidth[$backend]" with_backend $backend python3 tests/integration/test_bandwidth.py
	done
fi
if [ -f tests/ui/test_ui.sh ] && need_root ui; then
	suite ui bash tests/ui/test_ui.sh "$nettop"
fi
if [ -f tests/ui/test_names.sh ] && need_root ui-names; then
	suite ui-names bash tests/ui/test_names.sh "$nettop"
fi
# themes, the config file, the setup screen; namespaces on screen
if [ -f tests/ui/test_settings.sh ] && need_root ui-settings; then
	suite ui-settings bash tests/ui/test_settings.sh "$nettop"
fi
if [ -f tests/ui/test_netns.sh ] && need_root ui-netns; then
	suite ui-netns bash tests/ui/test_netns.sh "$nettop"
fi
# the conntrack pane (C): NATed flows, a filled table's alert
if [ -f tests/ui/test_conntrack.sh ] && need_root ui-conntrack; then
	suite ui-conntrack bash tests/ui/test_conntrack.sh "$nettop"
fi
# the Closed view (E): closed connections, a 20k/s burst, its replay
if [ -f tests/ui/test_closed.sh ] && need_root ui-closed; then
	suite ui-closed bash tests/ui/test_closed.sh "$nettop"
fi
# every namespace on screen: the Netns column, B, the picker's first row
if [ -f tests/ui/test_allnetns.sh ] && need_root ui-allnetns; then
	suite ui-allnetns bash tests/ui/test_allnetns.sh "$nettop"
fi
# recorded screens: no root, no namespace, only tmux
if [ -f tests/golden/test_golden.sh ]; then
	suite golden bash tests/golden/test_golden.sh "$nettop"
fi
# the history (issue 19): --series against the JSON of the committed
# recordings, and H's graphs of a replayed flood; no root
suite history env NETTOP="$nettop" python3 tests/integration/test_history.py
suite ui-history bash tests/ui/test_history.sh "$nettop"
if need_root ui-totals; then
	suite ui-totals bash tests/ui/test_totals.sh "$nettop"
fi
if [ "${SAN:-}" != 1 ] && [ -f tests/fuzz/Makefile ] && command -v clang >/dev/null 2>&1; then
	# every parser of outside input, fuzzed for a while (make fuzz: longer)
	suite fuzz make -s --no-print-directory -f tests/fuzz/Makefile run FUZZ_SECONDS="${FUZZ_SECONDS:-8}"
fi

echo
# make test has 15 minutes for both builds: where they go
echo "slowest suites (seconds):"
printf '%s' "$times" | sort -rn | head -8 | sed 's/^/  /'
[ -n "$failures" ] && echo "failed suites:$failures"
label=suites
[ "${SAN:-}" = 1 ] && label=sanitized-suites
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
