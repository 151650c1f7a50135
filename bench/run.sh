#!/bin/bash
# make bench: nettop's cost at scale, measured side by side in one run against
# the kernel's bare dump (floor), ss and netstat, on the same sockets in a
# private network namespace (lo only). Not a test: it prints ratios.
#
# Usage: bench/run.sh [NETTOP]   env: BENCH_SOCKETS (default 200000), BENCH_RUNS (5)
set -u
nettop=$(readlink -f "${1:-./nettop}")
sockets=${BENCH_SOCKETS:-200000}
runs=${BENCH_RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/nettop-bench.XXXXXX)
ns=nettop-bench-$$
loadgen_pid=

cleanup() {
	exec 3>&- 2>/dev/null
	if [ -n "$loadgen_pid" ]; then
		kill "$loadgen_pid" 2>/dev/null
		wait "$loadgen_pid" 2>/dev/null
	fi
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (network namespace)" >&2; exit 2; }
cc -O2 -Wall -Wextra -Werror -o "$out/loadgen" "$here/loadgen.c" || exit 1
cc -O2 -Wall -Wextra -Werror -o "$out/floor" "$here/floor.c" -lmnl || exit 1

ip netns add "$ns" || exit 1
inns() { ip netns exec "$ns" "$@"; }
inns ip link set lo up
inns sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096

echo "bench: building $sockets sockets ($((sockets / 2)) loopback connections)..." >&2
mkfifo "$out/hold"
inns "$out/loadgen" $((sockets / 2)) <"$out/hold" >"$out/ready" &
loadgen_pid=$!
exec 3>"$out/hold"
for _ in $(seq 600); do
	grep -q READY "$out/ready" 2>/dev/null && break
	kill -0 "$loadgen_pid" 2>/dev/null || { echo "bench: loadgen failed" >&2; exit 1; }
	sleep 0.5
done
grep -q READY "$out/ready" || { echo "bench: timed out building sockets" >&2; exit 1; }
counted=$(inns "$out/floor")
echo "bench: $counted TCP sockets in the namespace" >&2

# cpu NAME CMD…: median user+sys CPU seconds and max RSS (KiB) over $runs runs.
cpu() {
	local name=$1 i
	shift
	: >"$out/$name.times"
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%U %S %M" -o "$out/t" ip netns exec "$ns" "$@" >/dev/null 2>"$out/err" ||
			{ echo "bench: $name failed: $(head -3 "$out/err")" >&2; return 1; }
		awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$out/t" >>"$out/$name.times"
	done
	sort -n "$out/$name.times" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }' >"$out/$name"
}
sec() { cut -d' ' -f1 "$out/$1"; }
rss() { sort -n -k2 "$out/$1.times" | tail -1 | cut -d' ' -f2; }
ratio() { awk -v a="$(sec "$1")" -v b="$(sec "$2")" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }

cpu floor "$out/floor"
cpu nettop "$nettop" --batch -tan
cpu ss ss -tan
cpu netstat netstat -tan
cpu tick1 "$nettop" --batch -tan --count 1 --interval 0.01
cpu tick10 "$nettop" --batch -tan --count 10 --interval 0.01
cpu json "$nettop" --batch --json
# A narrow filter: loadgen's first worker listens on 20000 and holds up to
# 4500 connections there (~2% of 200000 sockets). The inet_diag bytecode
# makes the kernel skip the rest.
cpu narrow "$nettop" --batch -tan sport = :20000

# -p: ss and netstat walk every descriptor of every process, and take tens of
# seconds here, so they run once.
runs_saved=$runs
runs=1
cpu ss_p ss -tanp
runs=$runs_saved
cpu nettop_p "$nettop" --batch -tanp
cpu tickp1 "$nettop" --batch -tanp --count 1 --interval 0.01
cpu tickp10 "$nettop" --batch -tanp --count 10 --interval 0.01

per_socket() { awk -v k="$(rss "$1")" -v n="$counted" 'BEGIN { printf "%.0f", k * 1024 / n }'; }
per_tick() { awk -v a="$(sec "$1")" -v b="$(sec "$2")" 'BEGIN { printf "%.3f", (a - b) / 9 }'; }
tick=$(per_tick tick10 tick1)
tickp=$(per_tick tickp10 tickp1)

cat <<REPORT

nettop benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)
$counted TCP sockets; CPU seconds (user+sys) are the median of $runs runs

  what                              CPU s    vs floor   peak RSS   bytes/socket
  floor (bare sock_diag dump)       $(printf '%6s' "$(sec floor)")     1.00x    $(printf '%7s' "$(rss floor)") KiB
  nettop --batch -tan (all printed) $(printf '%6s' "$(sec nettop)")   $(printf '%6s' "$(ratio nettop floor)")    $(printf '%7s' "$(rss nettop)") KiB  $(per_socket nettop)
  ss -tan                           $(printf '%6s' "$(sec ss)")   $(printf '%6s' "$(ratio ss floor)")    $(printf '%7s' "$(rss ss)") KiB
  netstat -tan                      $(printf '%6s' "$(sec netstat)")   $(printf '%6s' "$(ratio netstat floor)")    $(printf '%7s' "$(rss netstat)") KiB
  nettop --json (tcp_info, rates)   $(printf '%6s' "$(sec json)")   $(printf '%6s' "$(ratio json floor)")    $(printf '%7s' "$(rss json)") KiB  $(per_socket json)
  nettop -tan sport = :20000        $(printf '%6s' "$(sec narrow)")   $(printf '%6s' "$(ratio narrow floor)")    $(printf '%7s' "$(rss narrow)") KiB

  nettop / ss -tan:        $(ratio nettop ss)   (target <= 0.70x)
  nettop / netstat -tan:   $(ratio nettop netstat)
  nettop / floor:          $(ratio nettop floor)   (target <= 1.25x)
  narrow filter / full:    $(ratio narrow nettop)   (target <= 0.35x; sport = :20000 keeps ~$(awk -v c=$((sockets / 2)) -v n="$counted" 'BEGIN { k = (c < 4500 ? c : 4500) + 1; printf "%.1f%%", k * 100 / n }') of the sockets)
  per tick of the loop:    ${tick} s = $(awk -v a="$tick" -v b="$(sec floor)" 'BEGIN { printf "%.2fx", a / b }') floor   ((--count 10 - --count 1) / 9; two snapshots held: $(per_socket tick10) bytes/socket)

  process attribution (-p)
  ss -tanp (one run)                $(printf '%6s' "$(sec ss_p)")
  nettop --batch -tanp, first       $(printf '%6s' "$(sec nettop_p)")   = $(ratio nettop_p ss_p) ss -tanp   (target <= 0.10x)
  nettop -p, per later tick         $(printf '%6s' "$tickp")   = $(awk -v a="$tickp" -v b="$(sec floor)" 'BEGIN { printf "%.2fx", a / b }') floor   (target <= 2x)
REPORT

# Scrape latency of nettop --listen while it dumps these sockets.
"$here/scrape.sh" "$nettop" "$ns"

# The SYN flood case (300k SYN_RECV) in a namespace of its own, once this
# one is gone: sock_diag walks one hash table shared by every namespace.
# (cleanup's exec sends stderr to /dev/null: keep it for flood.sh.)
exec 4>&2
cleanup
exec 2>&4 4>&-
trap - EXIT
loadgen_pid=
exec "$here/flood.sh" "$nettop"
