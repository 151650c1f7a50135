#!/bin/bash
# The destroy-event listener under churn: bench/churn.c opens and closes
# loopback connections at BENCH_CHURN_RATE a second (default 20000) for
# BENCH_CHURN_SECONDS (10) in a private namespace (lo only) while
# `nettop --events` listens there; prints the events lost (%) and the CPU of
# the listener's thread and of the whole of nettop (cores). Not a test.
# The issue's targets: at most 0.1% lost with the 32 MiB buffer, the
# listener at most 0.3 of a core.
#
# Usage: bench/events.sh [NETTOP]
set -u
nettop=$(readlink -f "${1:-./nettop}")
rate=${BENCH_CHURN_RATE:-20000}
secs=${BENCH_CHURN_SECONDS:-10}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/nettop-events-bench.XXXXXX)
ns=nettop-evbench-$$
bench_name="events bench"
. "$here/lib.sh"
bench_traps bench_cleanup

bench_need_root "network namespace"
bench_cc churn "$here/churn.c" -lpthread || exit 1
bench_ns_create
inns sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096 || die "sysctl"

ticks=$(getconf CLK_TCK)
# utime + stime (fields 14, 15) of /proc/PID[/task/TID]/stat, in seconds
cpu_of() { awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "$1"; }
events_task() {
	local f
	for f in /proc/"$1"/task/*/comm; do
		[ "$(cat "$f")" = nettop-events ] && { dirname "$f"; return; }
	done
}

ip netns exec "$ns" "$nettop" --events --interval 1 >"$out/events" 2>"$out/err" &
nettop_pid=$!
bench_track "$nettop_pid"
for _ in $(seq 50); do
	task=$(events_task "$nettop_pid")
	[ -n "$task" ] && break
	sleep 0.1
done
[ -n "$task" ] || die "nettop --events did not start: $(head -3 "$out/err")"
inns "$out/churn" "$rate" "$secs" 7000 >"$out/churn.out" || die "churn failed"
# every event is printed once received: wait until the count stops growing
last=-1
while [ "$(wc -l <"$out/events")" != "$last" ]; do
	last=$(wc -l <"$out/events")
	sleep 1
done
listener=$(cpu_of "$task/stat")
total=$(cpu_of "/proc/$nettop_pid/stat")
kill "$nettop_pid"
wait "$nettop_pid"
read -r made took failed <"$out/churn.out"
printed=$(grep -c '"cookie"' "$out/events")
lost=$(grep '"lost"' "$out/events" | tail -1 | sed 's/.*"lost_total":\([0-9]*\).*/\1/')
lost=${lost:-0}

cat <<REPORT

nettop destroy events — $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)
  churn: $made connections in $took s ($(awk -v n="$made" -v s="$took" 'BEGIN { printf "%.0f", n / s }')/s asked $rate/s, $failed failed), 2 sockets each
  events printed                  $printed of $((2 * made)) sockets (+ the listener's own)
  events lost                     $lost = $(awk -v l="$lost" -v n="$((2 * made))" 'BEGIN { printf "%.3f%%", n ? l * 100 / n : 0 }')   (target <= 0.1%)
  listener thread CPU             $(awk -v c="$listener" -v s="$took" 'BEGIN { printf "%.3f cores", c / s }')   (target <= 0.3)
  nettop --events, whole process  $(awk -v c="$total" -v s="$took" 'BEGIN { printf "%.3f cores", c / s }')   (joins, JSON lines, samples)
REPORT
