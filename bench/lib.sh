# shellcheck shell=sh disable=SC2154  # bench_name, out, ns, runs: the caller's
# bench/lib.sh: what bench/run.sh, scrape.sh and flood.sh share, sourced by
# them: a private network namespace (lo only) deleted however the script
# exits, every process started in it stopped by its pid, bench/loadgen.c's
# loopback connections, and the CPU measure (median of runs). POSIX sh:
# `make bench` runs run.sh with sh.
#
# The sourcing script sets before it calls anything here:
#   bench_name  the prefix of its messages ("bench", "flood bench", ...)
#   out         its temporary directory (removed by bench_cleanup)
#   ns          the namespace's name
#   runs        (for cpu) how many runs to take the median of
# and arms the cleanup with bench_traps bench_cleanup (or its own function
# that calls bench_cleanup).

bench_ns_made=      # set once bench_ns_create made $ns: only then is it deleted
bench_pids=         # background processes to stop, by pid, the last started first
loadgen_pid=

die() {
	echo "$bench_name: $*" >&2
	exit 1
}

# bench_need_root WHY: exit 2 unless root.
bench_need_root() {
	[ "$(id -u)" -eq 0 ] || { echo "$bench_name: needs root ($1)" >&2; exit 2; }
}

# bench_cc OUTPUT SOURCE [FLAG...]: a helper program built into $out.
bench_cc() {
	local name="$1" src="$2"
	shift 2
	cc -O2 -Wall -Wextra -Werror -o "$out/$name" "$src" "$@"
}

inns() { ip netns exec "$ns" "$@"; }

# Makes $ns with lo up; bench_cleanup deletes it.
bench_ns_create() {
	ip netns add "$ns" || die "cannot create namespace $ns"
	bench_ns_made=1
	inns ip link set lo up || die "lo"
}

bench_track() { bench_pids="$1 $bench_pids"; }

# Stops what was started here (by pid), kills whatever is left in our own
# namespace (it was started here too), deletes it and $out. Safe to call twice.
bench_cleanup() {
	local pid
	exec 3>&-
	for pid in $bench_pids; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	bench_pids=
	loadgen_pid=
	if [ -n "$bench_ns_made" ]; then
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null || echo "$bench_name: could not delete namespace $ns" >&2
		bench_ns_made=
	fi
	rm -rf "$out"
}

# bench_traps CLEANUP: CLEANUP on every way out; signals become plain exits
# so that it runs for them too.
bench_traps() {
	# shellcheck disable=SC2064  # the function's name, now
	trap "$1" EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# bench_loadgen CONNECTIONS: bench/loadgen.c (built into $out) holding that
# many loopback connections in $ns (ports 1024-65000 for them); returns once it
# says READY. It holds them while fd 3 (its stdin) is open: bench_cleanup
# closes it.
bench_loadgen() {
	inns sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096 ||
		die "sysctl"
	mkfifo "$out/hold"
	# Not through inns: a function run in the background is a subshell, and $!
	# would be its pid. ip netns exec execs loadgen: $! is loadgen's pid.
	ip netns exec "$ns" "$out/loadgen" "$1" <"$out/hold" >"$out/ready" &
	loadgen_pid=$!
	bench_track "$loadgen_pid"
	exec 3>"$out/hold"
	for _ in $(seq 600); do
		grep -q READY "$out/ready" 2>/dev/null && break
		kill -0 "$loadgen_pid" 2>/dev/null || die "loadgen failed"
		sleep 0.5
	done
	grep -q READY "$out/ready" || die "timed out building sockets"
}

# cpu NAME CMD…: median user+sys CPU seconds and max RSS (KiB) over $runs
# runs of CMD in $ns, kept as NAME for sec and rss.
cpu() {
	local name="$1"
	shift
	: >"$out/$name.times"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%U %S %M" -o "$out/t" ip netns exec "$ns" "$@" >/dev/null 2>"$out/err" ||
			{ echo "$bench_name: $name failed: $(head -3 "$out/err")" >&2; return 1; }
		awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$out/t" >>"$out/$name.times"
	done
	sort -n "$out/$name.times" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }' >"$out/$name"
}
sec() { cut -d' ' -f1 "$out/$1"; }
rss() { sort -n -k2 "$out/$1.times" | tail -1 | cut -d' ' -f2; }
# div A B: A / B as "1.23x" ("n/a" when B is 0); ratio NAME1 NAME2: of their sec.
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }
ratio() { div "$(sec "$1")" "$(sec "$2")"; }
