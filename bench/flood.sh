#!/bin/bash
# bench/flood.sh: nettop under a SYN flood, 300k SYN_RECV entries, in a
# private network namespace (lo only; tests/tools/synflood.c sends from
# 127.0.0.0/8 to 127.0.0.1 only). Called at the end of bench/run.sh; runs
# on its own too. Not a test: it prints numbers and targets.
#
#   sample cost: nettop --batch -tan and --flood --json vs the floor (the
#                kernel's bare dump, bench/floor.c), median of BENCH_RUNS
#   screen CPU:  the screen (--interval 1) in a detached tmux for 10 s, its
#                CPU seconds per second vs the floor's per dump (target <= 2x),
#                split by thread, and the samples it took per second
#   key latency: '?' sent while the sampler thread is dumping (and, apart,
#                at random times), until the help is on the screen, polled
#                every 5 ms (target <= 50 ms); the cost of the probe itself
#                (one send-keys and one capture-pane) is printed beside it
#
# Numbers are only meaningful on a quiet machine: sock_diag walks one hash
# table shared by every namespace, so sockets elsewhere slow every dump.
#
# The half-open entries stay because tcp_syncookies=0, tcp_synack_retries=8
# and an nft rule drops the SYN-ACKs in prerouting (on output, the entries
# would die at the first retransmit).
#
# Usage: bench/flood.sh [NETTOP]
#   env: BENCH_SYN_RECV (300000), BENCH_SYN_SOURCES (65000), BENCH_RUNS (5)
set -u
nettop=$(readlink -f "${1:-./nettop}")
target=${BENCH_SYN_RECV:-300000}
sources=${BENCH_SYN_SOURCES:-65000}
runs=${BENCH_RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=$(mktemp -d /tmp/nettop-flood-bench.XXXXXX)
ns=nettop-flood-bench-$$
tmux_socket=nettop-bench-$$
port=8080
listener_pid=
bench_name="flood bench"
. "$here/lib.sh"

tm() { tmux -L "$tmux_socket" -f /dev/null "$@"; }

cleanup() {
	tm kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_socket"
	bench_cleanup
}
bench_traps cleanup

bench_need_root "network namespace, nft, raw socket"
for tool in tmux nft ss python3; do
	command -v "$tool" >/dev/null || die "$tool not found (make deps)"
done
bench_cc synflood "$root/tests/tools/synflood.c" || exit 1
bench_cc floor "$here/floor.c" -lmnl || exit 1

# Queue sizes. The kernel refuses new unproven requests once fewer than a
# quarter of tcp_max_syn_backlog is left; the listener's backlog is capped by
# somaxconn; and once a listener's queue is over half its backlog, the
# request timer cuts the SYN-ACK retries of old entries down to 2 (they die
# after 7 s): so the backlog is over twice the entries wanted (400000 would
# let 300000 shrink to 200000 within a minute).
queue=$((target * 2 + 10000))
[ "$queue" -lt 400000 ] && queue=400000

bench_ns_create
inns sysctl -qw net.ipv4.tcp_syncookies=0 net.core.somaxconn="$queue" \
	net.ipv4.tcp_max_syn_backlog="$queue" net.ipv4.tcp_synack_retries=8 || die "sysctl"
inns nft add table inet flood &&
	inns nft add chain inet flood pre '{ type filter hook prerouting priority -300; }' &&
	inns nft add rule inet flood pre 'tcp flags & (syn|ack) == syn|ack drop' || die "nft"

# Not through inns: $! would be a subshell's pid, not the listener's.
ip netns exec "$ns" python3 -c '
import signal, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(int(sys.argv[2]))
signal.pause()' "$port" "$queue" &
listener_pid=$!
bench_track "$listener_pid"
for _ in $(seq 100); do
	inns ss -Hltn "sport = :$port" | grep -q . && break
	kill -0 "$listener_pid" 2>/dev/null || die "the listener failed"
	sleep 0.1
done

echo "flood bench: sending $target SYNs from $sources sources..." >&2
syn_recv() { inns ss -Htan state syn-recv | wc -l; }
inns "$out/synflood" -p "$port" -n "$target" -s 127.1.0.1 -k "$sources" || die "synflood failed"
want=$((target * 29 / 30))	# 290000 of 300000
for _ in $(seq 60); do
	n=$(syn_recv)
	[ "$n" -ge "$want" ] && break
	sleep 1
done
[ "$n" -ge "$want" ] || die "only $n SYN_RECV entries after 60 s (want $want)"
counted=$(inns "$out/floor")
echo "flood bench: $n SYN_RECV entries, $counted TCP sockets in the namespace" >&2

cpu floor "$out/floor" || exit 1
cpu batch "$nettop" --batch -tan || exit 1
cpu flood "$nettop" --batch --flood --json || exit 1

# The screen, as a user runs it, in a private tmux server.
screen_has() { tm capture-pane -p -t flood 2>/dev/null | grep -q -- "$1"; }
now_us() { echo "${EPOCHREALTIME/./}"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

tm new-session -d -s flood -x 120 -y 40 "exec ip netns exec $ns $nettop --interval 1" ||
	die "tmux failed"
screen_pid=$(tm list-panes -t flood -F '#{pane_pid}')
for _ in $(seq 300); do
	screen_has 'Connections' && break
	sleep 0.1
done
screen_has 'Connections' || die "the screen never showed its panes: $(tm capture-pane -p -t flood | head -5)"
[ "$(cat "/proc/$screen_pid/comm" 2>/dev/null)" = nettop ] || die "pane $screen_pid is not nettop"
sleep 2	# past the first samples
hz=$(getconf CLK_TCK)
per_s() { awk -v c="$1" -v hz="$hz" -v us=$((t1 - t0)) 'BEGIN { printf "%.3f", c / hz / (us / 1e6) }'; }
# The main thread (keys, views, drawing) apart from the sampler thread.
main_ticks() { awk '{ print $14 + $15 }' "/proc/$screen_pid/task/$screen_pid/stat" 2>/dev/null; }
# The sampler thread's only write(2) is the eventfd that hands a sample to
# the screen (its netlink requests are sendto/recvmsg, not counted in syscw):
# its write count is the number of samples.
sampler_writes() {
	local t
	for t in /proc/"$screen_pid"/task/*; do
		[ "${t##*/}" != "$screen_pid" ] && awk '/^syscw/ { print $2 }' "$t/io"
	done | head -1
}
t0=$(now_us)
c0=$(cpu_ticks "$screen_pid")
m0=$(main_ticks)
s0=$(sampler_writes)
sleep 10
c1=$(cpu_ticks "$screen_pid")
m1=$(main_ticks)
s1=$(sampler_writes)
t1=$(now_us)
[ -n "$c0" ] && [ -n "$c1" ] || die "the screen exited: $(tm capture-pane -p -t flood | head -5)"
screen_cpu=$(per_s $((c1 - c0)))
main_cpu=$(per_s $((m1 - m0)))
other_cpu=$(per_s $((c1 - c0 - (m1 - m0))))
refresh=$(awk -v n=$((s1 - s0)) -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", n / (us / 1e6) }')

# Key latency. The key is sent while the sampler thread is in its dump (the
# thread, not the main one, is running), so the answer cannot wait for it.
sampler_tid() {
	local t
	for t in /proc/"$screen_pid"/task/*; do
		t=${t##*/}
		[ "$t" != "$screen_pid" ] && { echo "$t"; return; }
	done
}
tid=$(sampler_tid)
thread_running() { [ "$(awk '{ print $3 }' "/proc/$screen_pid/task/$tid/stat" 2>/dev/null)" = R ]; }
# What the probe itself costs: one send-keys and one capture-pane.
: >"$out/probe"
for i in $(seq 7); do
	t0=$(now_us)
	tm send-keys -t flood
	screen_has 'nettop: keys'
	t1=$(now_us)
	echo $(((t1 - t0) / 1000)) >>"$out/probe"
done
probe=$(sort -n "$out/probe" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
# latency NAME GATE: 7 keys, each sent after a random pause and, with GATE
# "dump", once the sampler thread runs; NAME holds the milliseconds.
latency() {
	local name=$1 gate=$2 i t0 t1
	: >"$out/$name"
	for i in $(seq 7); do
		sleep "0.$((RANDOM % 90 + 10))"
		if [ "$gate" = dump ]; then
			for _ in $(seq 400); do	# up to ~2 s for the next dump to start
				thread_running && { echo yes >>"$out/$name.gated"; break; }
				sleep 0.005
			done
		fi
		t0=$(now_us)
		tm send-keys -t flood '?'
		until screen_has 'nettop: keys'; do
			(($(now_us) - t0 > 5000000)) && die "no help 5 s after '?'"
			sleep 0.005
		done
		t1=$(now_us)
		echo $(((t1 - t0) / 1000)) >>"$out/$name"
		tm send-keys -t flood Escape
		for _ in $(seq 500); do
			screen_has 'nettop: keys' || break
			sleep 0.01
		done
	done
}
median() { sort -n "$out/$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
largest() { sort -n "$out/$1" | tail -1; }
all() { tr '\n' ' ' <"$out/$1" | sed 's/ $//'; }
: >"$out/in_dump.gated"
latency in_dump dump
latency anytime any
in_dump=$(grep -c yes "$out/in_dump.gated")
tm kill-server 2>/dev/null

floor=$(sec floor)
cat <<REPORT

nettop under a SYN flood — $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)
$n SYN_RECV entries from $sources sources on one listener ($counted TCP sockets);
CPU seconds (user+sys) are the median of $runs runs

  what                                  CPU s    vs floor   peak RSS
  floor (bare sock_diag dump)           $(printf '%6s' "$floor")     1.00x    $(printf '%7s' "$(rss floor)") KiB
  nettop --batch -tan (all printed)     $(printf '%6s' "$(sec batch)")   $(printf '%6s' "$(div "$(sec batch)" "$floor")")    $(printf '%7s' "$(rss batch)") KiB
  nettop --batch --flood --json         $(printf '%6s' "$(sec flood)")   $(printf '%6s' "$(div "$(sec flood)" "$floor")")    $(printf '%7s' "$(rss flood)") KiB

  screen (--interval 1), 10 s:  $screen_cpu CPU s per s = $(div "$screen_cpu" "$floor") floor per dump   (target <= 2x)
                                main thread $main_cpu, sampler thread $other_cpu CPU s per s
                                samples: $refresh per s   (target >= 1)
  key latency ('?' to help), ms:
    sent during a dump          median $(median in_dump), max $(largest in_dump)   (target <= 50 ms; $in_dump of 7 caught a dump)   [$(all in_dump)]
    sent at random times        median $(median anytime), max $(largest anytime)   [$(all anytime)]
    polled every 5 ms; one send-keys + capture-pane alone takes $probe ms
REPORT

# Frame time and key latency from the screen's own log, under the flood.
sh "$here/screen.sh" "$nettop" "$ns" "$counted"
