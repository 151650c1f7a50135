#!/bin/bash
# bench/allnetns.sh: the cost of --all-netns against the sum of the
# per-namespace floors (issue 21's bound: at most 1.3x). BENCH_NETNS (20)
# private namespaces (lo only, 127.0.0.0/8) of BENCH_NETNS_SOCKETS (10000)
# TCP sockets each, held by bench/loadgen.c; the floor is bench/floor_netns.c,
# the bare sock_diag dumps of every one of them from one process. sock_diag
# walks one established hash shared by every namespace, so each namespace's
# dump passes over all of them: the floor pays that too. Not a test: it
# prints numbers.
#
# Usage: bench/allnetns.sh [NETTOP]   env: BENCH_NETNS, BENCH_NETNS_SOCKETS, BENCH_RUNS (5)
set -u
nettop=$(readlink -f "${1:-./nettop}")
count=${BENCH_NETNS:-20}
per=${BENCH_NETNS_SOCKETS:-10000}
runs=${BENCH_RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/nettop-allnetns-bench.XXXXXX)
bench_name="all-netns bench"
names=()
pids=()
. "$here/lib.sh"

allnetns_cleanup() {
	local pid n
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for n in "${names[@]}"; do
		for pid in $(ip netns pids "$n" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$n" 2>/dev/null || echo "$bench_name: could not delete namespace $n" >&2
	done
	rm -rf "$out"
}
bench_traps allnetns_cleanup

bench_need_root "network namespaces"
bench_cc loadgen "$here/loadgen.c" || exit 1
bench_cc floor_netns "$here/floor_netns.c" -lmnl || exit 1

echo "$bench_name: $count namespaces of $per sockets..." >&2
for i in $(seq "$count"); do
	n=nettop-bench-an-$$-$i
	ip netns add "$n" || die "cannot create namespace $n"
	names+=("$n")
	ip netns exec "$n" ip link set lo up || die "lo"
	ip netns exec "$n" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096 ||
		die "sysctl"
	mkfifo "$out/hold$i"
	ip netns exec "$n" "$out/loadgen" $((per / 2)) <"$out/hold$i" >"$out/ready$i" &
	pids+=($!)
	exec {fd}>"$out/hold$i"
	for _ in $(seq 600); do
		grep -q READY "$out/ready$i" 2>/dev/null && break
		sleep 0.2
	done
	grep -q READY "$out/ready$i" || die "timed out building sockets in $n"
done
counted=$("$out/floor_netns" "${names[@]}")
echo "$bench_name: $counted TCP sockets in them" >&2

# cpu NAME CMD…: median user+sys CPU seconds over $runs runs (on the host:
# nettop enters the namespaces itself).
cpu_host() {
	local name="$1"
	shift
	: >"$out/$name.times"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%U %S %M" -o "$out/t" "$@" >/dev/null 2>"$out/err" ||
			{ echo "$bench_name: $name failed: $(head -3 "$out/err")" >&2; return 1; }
		awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$out/t" >>"$out/$name.times"
	done
	sort -n "$out/$name.times" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }' >"$out/$name"
}

cpu_host floor_sum "$out/floor_netns" "${names[@]}"
cpu_host floor_sums "$out/floor_netns" -s "${names[@]}"
# what nettop --all-netns walks: every namespace of the host, ours and others'
cpu_host floor_all "$out/floor_netns" --all
cpu_host floor_alls "$out/floor_netns" -s --all
# one namespace's floor, and one nettop sample of it, for scale
ns=${names[0]}
cpu one_floor ip netns exec "$ns" "$out/floor_netns" "$ns"
filter=(-f "netns nettop-bench-an-$$-*")
cpu_host all "$nettop" --all-netns --batch -tan "${filter[@]}"
cpu_host all1 "$nettop" --all-netns --batch --states --count 1 --interval 0.05
cpu_host all10 "$nettop" --all-netns --batch --states --count 10 --interval 0.05
tick=$(awk -v a="$(sec all10)" -v b="$(sec all1)" 'BEGIN { printf "%.3f", (a - b) / 9 }')

cat <<REPORT

nettop --all-netns benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)
$count namespaces, $counted TCP sockets in them; CPU seconds (user+sys), median of $runs runs

  what                                       CPU s    vs sum of floors
  sum of the per-namespace floors            $(printf '%6s' "$(sec floor_sum)")     1.00x   (bare dumps, one process)
  the same, empty families skipped           $(printf '%6s' "$(sec floor_sums)")   $(printf '%6s' "$(ratio floor_sums floor_sum)")   (as nettop: no dump sockstat says is empty)
  one namespace's floor                      $(printf '%6s' "$(sec one_floor)")   $(printf '%6s' "$(ratio one_floor floor_sum)")
  nettop --all-netns --batch -tan (printed)  $(printf '%6s' "$(sec all)")   $(printf '%6s' "$(ratio all floor_sum)")   peak RSS $(rss all) KiB
  one --all-netns sample of a running nettop $(printf '%6s' "$tick")   $(printf '%6s' "$(div "$tick" "$(sec floor_sum)")")   ((--count 10 - --count 1) / 9, --states)

  nettop samples every namespace of the host ($(ls /run/netns | wc -l) named now), and each dump walks
  the established hash all of them share: against the floors of all of them,
  every namespace's floors (--all)           $(printf '%6s' "$(sec floor_all)")   one sample = $(div "$tick" "$(sec floor_all)")   (target <= 1.30x)
  the same, empty families skipped           $(printf '%6s' "$(sec floor_alls)")   one sample = $(div "$tick" "$(sec floor_alls)")   (as nettop: the strict floor)
  (nettop also samples the host's and any other namespace: a few sockets more)
REPORT
