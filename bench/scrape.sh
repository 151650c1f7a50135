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
bench_name="scrape bench"
. "$here/lib.sh"
bench_traps bench_cleanup

bench_need_root "network namespace"
command -v curl >/dev/null || die "curl not found (make deps)"
[ -x "$nettop" ] || die "$nettop is not executable"

if [ -z "$ns" ]; then
	ns=nettop-scrape-bench-$$
	bench_cc loadgen "$here/loadgen.c" || exit 1
	bench_ns_create
	echo "scrape bench: building $sockets sockets..." >&2
	bench_loadgen $((sockets / 2))
fi
ip netns pids "$ns" >/dev/null 2>&1 || die "no namespace $ns"
counted=$(inns ss -Htan | wc -l)

# Not through inns: a function run in the background is a subshell, and $!
# would be its pid. ip netns exec execs nettop: $! is nettop's pid.
ip netns exec "$ns" "$nettop" --listen "127.0.0.1:$port" --interval 0.2 >/dev/null 2>"$out/err" &
nettop_pid=$!
bench_track "$nettop_pid"
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
