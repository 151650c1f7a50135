#!/bin/bash
# bench/screen1m.sh: the screen at a million TCP sockets (issue 23). Builds
# BENCH_1M_CONNS loopback connections (2 sockets each) in a private
# namespace, runs the screen there for BENCH_1M_SECONDS under a private tmux
# server of fixed size with keys sent a quarter second apart, and prints
# what the issue's targets are about: samples a second (its --frame-log's
# "frame sample" lines), the CPU of the whole nettop process over the window
# (/proc/PID/stat utime+stime), key latency while a sample is taken, peak
# memory (VmHWM) per socket, and whether the exact socket count is on the
# screen. Then one batch sample's CPU of each backend against the floor.
# Not a test: it prints numbers. bench/run.sh runs it when BENCH_1M=1.
#
# Usage: bench/screen1m.sh [NETTOP]
#   env: BENCH_1M_CONNS (500000), BENCH_1M_SECONDS (30), BENCH_RUNS (3),
#        BENCH_1M_LOG (a copy of the --frame-log kept there)
# Needs ~4 GB of free memory (the kernel's sockets) and a minute to build.
set -u
nettop=$(readlink -f "${1:-./nettop}")
conns=${BENCH_1M_CONNS:-500000}
seconds=${BENCH_1M_SECONDS:-30}
runs=${BENCH_RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/nettop-bench1m.XXXXXX)
ns=nettop-bench1m-$$
server=nettop-bench1m-$$
bench_name="1M bench"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
tmx() { tmux -L "$server" "$@"; }

# TCP sockets allocated on the host (all namespaces): the kernel frees a
# deleted namespace's sockets after ip netns del returns
tcp_alloc() { awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "alloc") print $(i + 1) }' /proc/net/sockstat; }
alloc_before=$(tcp_alloc)

cleanup() {
	tmx kill-server 2>/dev/null
	[ -n "${BENCH_1M_LOG:-}" ] && [ -f "$out/log" ] && cp "$out/log" "$BENCH_1M_LOG"
	# shellcheck disable=SC2154  # lib.sh's
	local made=$bench_ns_made
	bench_cleanup
	[ -n "$made" ] || return
	# wait (up to 5 min) until the million sockets are gone, so that
	# whatever runs next has the memory back
	for _ in $(seq 600); do
		[ "$(tcp_alloc)" -le $((alloc_before + 20000)) ] && return
		sleep 0.5
	done
	echo "$bench_name: $(tcp_alloc) TCP sockets still allocated" >&2
}
bench_traps cleanup

bench_need_root "network namespace"
need_kb=$((conns * 8))	# ~8 KB of kernel memory a connection, with room
avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
[ "$avail_kb" -ge "$need_kb" ] ||
	die "needs ~$((need_kb / 1048576)) GB of free memory for $conns connections; $((avail_kb / 1048576)) GB available"
bench_cc loadgen "$here/loadgen.c" || exit 1
bench_cc floor "$here/floor.c" -lmnl || exit 1

bench_ns_create
# a million sockets: the kernel's orphan and memory limits are per host, the
# port range and backlog per namespace
echo "$bench_name: building $((conns * 2)) sockets ($conns loopback connections)..." >&2
bench_loadgen "$conns"
counted=$(inns "$out/floor")
echo "$bench_name: $counted TCP sockets in the namespace" >&2

# --- the screen -----------------------------------------------------------
# exec: the pane's process is nettop itself (ip netns exec execs it)
tmx -f /dev/null new-session -d -x 200 -y 50 \
	"exec ip netns exec $ns $nettop -n --frame-log $out/log --config $out/config 2>$out/err" ||
	die "cannot start tmux"
pid=$(tmx display-message -p '#{pane_pid}')
samples() {
	local n
	n=$(grep -c '^frame sample' "$out/log" 2>/dev/null)
	echo "${n:-0}"
}
# the first two samples fault every array in: the window starts after them
for _ in $(seq 300); do
	[ "$(samples)" -ge 2 ] && break
	kill -0 "$pid" 2>/dev/null || die "nettop ended: $(head -3 "$out/err")"
	sleep 0.2
done
[ "$(samples)" -ge 2 ] || die "no samples in 60 s: $(head -3 "$out/err")"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
boundary=$(wc -l <"$out/log")
s0=$(samples)
c0=$(ticks "$pid")
t0=$(date +%s.%N)
keys="Down Down Down NPage NPage End Home > > I I < < Tab Tab Tab BTab BTab BTab l l t t P P"
end=$(awk -v t="$t0" -v s="$seconds" 'BEGIN { printf "%d", t + s }')
while [ "$(date +%s)" -lt "$end" ]; do
	for k in $keys; do
		[ "$(date +%s)" -lt "$end" ] || break
		tmx send-keys "$k"
		sleep 0.25
	done
done
# a pause with no key in flight, then the window's end
sleep 0.5
c1=$(ticks "$pid")
t1=$(date +%s.%N)
s1=$(samples)
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
# the states pane (on the default screen): its total is the whole count
sleep 1
tmx capture-pane -p >"$out/pane"
shown=no
grep -qw -- "$counted" "$out/pane" && shown=yes
tmx send-keys q
for _ in $(seq 50); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done

keystats=$(awk -v b="$boundary" '
function sortn(a, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
NR > b && /^key/ && $3 == "dump" { d[++n] = $2 }
END {
	sortn(d, n)
	if (n) printf "%.1f %.1f %d", d[int((n + 1) / 2)], d[n], n; else print "n/a n/a 0"
}' "$out/log")

# --- one batch sample of each backend -------------------------------------
cpu floor "$out/floor"
for b in sockdiag bpf; do
	cpu "one_$b" "$nettop" --backend $b --batch --states --count 1 --interval 0.05
	cpu "four_$b" "$nettop" --backend $b --batch --states --count 4 --interval 0.05
done
per_sample() { awk -v a="$(sec "four_$1")" -v b="$(sec "one_$1")" 'BEGIN { printf "%.3f", (a - b) / 3 }'; }
sd=$(per_sample sockdiag)
bpf=$(per_sample bpf)

read -r kmed kmax kn <<<"$keystats"
# shellcheck disable=SC2046  # three numbers
cat <<REPORT

nettop at a million sockets — $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)
$counted TCP sockets ($conns loopback connections); the screen 200x50, ${seconds} s, keys 4 a second

  what                                   measured    target
  samples per second (frame sample)      $(awk -v a="$s1" -v b="$s0" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%8.2f", (a - b) / (t1 - t0) }')    >= 0.95
  CPU of the screen (cores, all threads) $(awk -v a="$c1" -v b="$c0" -v hz="$hz" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%8.2f", (a - b) / hz / (t1 - t0) }')    <= 1.00
  key latency during a sample, median    $(printf '%8s' "$kmed") ms <= 50 ms   ($kn keys read during a dump)
  key latency during a sample, max       $(printf '%8s' "$kmax") ms
  peak RSS (VmHWM)                       $(awk -v k="$hwm" 'BEGIN { printf "%8.0f", k / 1024 }') MiB
  peak RSS per socket                    $(awk -v k="$hwm" -v n="$counted" 'BEGIN { printf "%8.0f", k * 1024 / n }') B   <= 320 B
  exact count $counted on screen     $(printf '%8s' "$shown")    yes

  one batch sample (--states; (--count 4 - --count 1) / 3, median of $runs runs)
  floor (bare sock_diag dump)            $(printf '%8s' "$(sec floor)") s   1.00x
  sock_diag backend                      $(printf '%8s' "$sd") s   $(div "$sd" "$(sec floor)")
  BPF backend                            $(printf '%8s' "$bpf") s   $(div "$bpf" "$(sec floor)")   (target <= 0.50x)
REPORT
