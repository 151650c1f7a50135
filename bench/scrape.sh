#!/bin/bash
# bench/scrape.sh: how long a Prometheus scrape of nettop --listen takes while
# nettop is dumping a namespace full of sockets. Not a test: it prints numbers
# and the target (a scrape answers within 100 ms: it copies the last rendered
# text and never waits for the sampler).
#
# nettop --listen 127.0.0.1:PORT --interval 0.2 runs in the loaded namespace;
# at 200k sockets a dump takes longer than the interval, so the sampler is
# dumping nearly all the time. Each of BENCH_SCRAPES scrapes (curl, inside
# the namespace, time_total) is sent once nettop's main thread, the sampler,
# is seen running.
#
# Usage: bench/scrape.sh [NETTOP [NAMESPACE]]
#   NAMESPACE: an already loaded one (bench/run.sh passes its own); without
#   it, a namespace of BENCH_SOCKETS (200000) sockets is built with
#   bench/loadgen.c and deleted afterwards (lo only, 127.0.0.0/8).
#   env: BENCH_SCRAPES (20), BENCH_SCRAPE_PORT (65100: above loadgen's
#   ephemeral range 1024-65000 and its listeners from 20000)
set -u
nettop=$(readlink -f "${1:-./nettop}")
ns=${2:-}
scrapes=${BENCH_SCRAPES:-20}
port=${BENCH_SCRAPE_PORT:-65100}
sockets=${BENCH_SOCKETS:-200000}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/nettop-scrape-bench.XXXXXX)
nettop_pid=
loadgen_pid=
ns_made=

inns() { ip netns exec "$ns" "$@"; }
die() { echo "scrape bench: $*" >&2; exit 1; }

cleanup() {
	exec 3>&- 2>/dev/null
	if [ -n "$nettop_pid" ]; then
		kill "$nettop_pid" 2>/dev/null
		wait "$nettop_pid" 2>/dev/null
	fi
	if [ -n "$loadgen_pid" ]; then
		kill "$loadgen_pid" 2>/dev/null
		wait "$loadgen_pid" 2>/dev/null
	fi
	if [ -n "$ns_made" ]; then
		# whatever still runs in our own namespace was started here
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null || echo "scrape bench: could not delete namespace $ns" >&2
	fi
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" -eq 0 ] || { echo "scrape bench: needs root (network namespace)" >&2; exit 2; }
command -v curl >/dev/null || die "curl not found (make deps)"
[ -x "$nettop" ] || die "$nettop is not executable"

if [ -z "$ns" ]; then
	ns=nettop-scrape-bench-$$
	cc -O2 -Wall -Wextra -Werror -o "$out/loadgen" "$here/loadgen.c" || exit 1
	ip netns add "$ns" || die "cannot create namespace $ns"
	ns_made=1
	inns ip link set lo up || die "lo"
	inns sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096 || die "sysctl"
	echo "scrape bench: building $sockets sockets..." >&2
	mkfifo "$out/hold"
	ip netns exec "$ns" "$out/loadgen" $((sockets / 2)) <"$out/hold" >"$out/ready" &
	loadgen_pid=$!
	exec 3>"$out/hold"
	for _ in $(seq 600); do
		grep -q READY "$out/ready" 2>/dev/null && break
		kill -0 "$loadgen_pid" 2>/dev/null || die "loadgen failed"
		sleep 0.5
	done
	grep -q READY "$out/ready" || die "timed out building sockets"
fi
ip netns pids "$ns" >/dev/null 2>&1 || die "no namespace $ns"
counted=$(inns ss -Htan | wc -l)

# Not through inns: a function run in the background is a subshell, and $!
# would be its pid. ip netns exec execs nettop: $! is nettop's pid.
ip netns exec "$ns" "$nettop" --listen "127.0.0.1:$port" --interval 0.2 >/dev/null 2>"$out/err" &
nettop_pid=$!
url="http://127.0.0.1:$port/metrics"
scrape() { inns curl -s --max-time 10 -o "$out/body" -w '%{http_code} %{time_total}\n' "$url"; }

# The first sample: until it is published, /metrics answers 503.
for _ in $(seq 300); do
	kill -0 "$nettop_pid" 2>/dev/null || die "nettop exited: $(head -3 "$out/err")"
	[ "$(scrape | cut -d' ' -f1)" = 200 ] && break
	sleep 0.1
done
[ "$(scrape | cut -d' ' -f1)" = 200 ] || die "no metrics from $url after 30 s"

# The sampler is nettop's main thread (its tid is the pid); the HTTP server
# has a thread of its own.
dumping() { [ "$(awk '{ print $3 }' "/proc/$nettop_pid/task/$nettop_pid/stat" 2>/dev/null)" = R ]; }
stamp() { awk '/^nettop_sample_timestamp_seconds / { print $2 }' "$out/body"; }
: >"$out/times"
: >"$out/stamps"
in_dump=0
for i in $(seq "$scrapes"); do
	sleep "0.$((RANDOM % 9 + 1))"
	for _ in $(seq 400); do	# up to ~2 s for the sampler to be seen running
		dumping && { in_dump=$((in_dump + 1)); break; }
		sleep 0.005
	done
	read -r code secs < <(scrape)
	[ "$code" = 200 ] || die "scrape $i answered HTTP $code"
	echo "$secs" >>"$out/times"
	stamp >>"$out/stamps"
done
bytes=$(wc -c <"$out/body")
samples=$(sort -u "$out/stamps" | wc -l)

sort -n "$out/times" | awk -v n="$scrapes" -v c="$counted" -v d="$in_dump" -v b="$bytes" -v s="$samples" '
	{ t[NR] = $1 * 1000 }
	END {
		med = n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
		printf "\nnettop --listen: scrape latency while dumping %d TCP sockets (--interval 0.2)\n", c
		printf "  %d scrapes (%d sent while the sampler was running), %d distinct samples, %d bytes each\n", n, d, s, b
		printf "  median %.1f ms, max %.1f ms   (target: max <= 100 ms)\n", med, t[n]
	}'
