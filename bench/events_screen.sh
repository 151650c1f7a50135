#!/bin/bash
# The screen under churn: nettop's screen (Closed view shown, recording)
# runs in a private tmux server in a private namespace while bench/churn.c
# opens and closes loopback connections at BENCH_CHURN_RATE a second
# (default 20000) for BENCH_CHURN_SECONDS (10). Prints what the Closed view
# counted against the sockets churn made, the events lost, nettop's CPU
# (cores), its peak RSS, the slowest key answered meanwhile (E pressed every
# second, the time until the screen changed), and the recording's size. Not
# a test.
#
# Usage: bench/events_screen.sh [NETTOP]
set -u
nettop=$(readlink -f "${1:-./nettop}")
rate=${BENCH_CHURN_RATE:-20000}
secs=${BENCH_CHURN_SECONDS:-10}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/nettop-events-screen.XXXXXX)
ns=nettop-evscreen-$$
sock=nettop-evscreen-$$
bench_name="events screen bench"
. "$here/lib.sh"
screen_cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	bench_cleanup
}
bench_traps screen_cleanup

bench_need_root "network namespace"
command -v tmux >/dev/null || die "needs tmux"
bench_cc churn "$here/churn.c" -lpthread || exit 1
bench_ns_create
inns sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.core.somaxconn=4096 || die "sysctl"

tm() { tmux -L "$sock" -f /dev/null "$@"; }
cap() { tm capture-pane -p -t s: 2>/dev/null; }
total() { cap | sed -nE 's/^ Closed  .* ([0-9]+) closed since start.*/\1/p'; }
now_ms() { date +%s%3N; }
ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"; }

tm new-session -d -s s -x 160 -y 50 "ip netns exec $ns $nettop -n --record $out/rec; sleep 600"
for _ in $(seq 50); do cap | grep -q '^ TCP states' && break; sleep 0.1; done
shell=$(tm display -p -t s: '#{pane_pid}')
pid=$(pgrep -P "$shell" | head -1)
[ -n "$pid" ] || die "nettop did not start"
tm send-keys -t s: E
cpu0=$(cpu_of "$pid")
inns "$out/churn" "$rate" "$secs" 7000 >"$out/churn.out" &
churn=$!
bench_track "$churn"
# a key a second: E flips the pane's title; the time until it shows
worst=0
while kill -0 "$churn" 2>/dev/null; do
	want=$(cap | grep -qE '^ Closed  ' && echo Connections || echo Closed)
	t0=$(now_ms)
	tm send-keys -t s: E
	while ! cap | grep -qE "^ $want  "; do sleep 0.01; done
	dt=$(($(now_ms) - t0))
	[ "$dt" -gt "$worst" ] && worst=$dt
	sleep 1
done
wait "$churn"
cap | grep -qE '^ Closed  ' || tm send-keys -t s: E
last=-1
while [ "$(total)" != "$last" ]; do last=$(total); sleep 2.5; done
cpu1=$(cpu_of "$pid")
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
lost=$(cap | head -1 | sed -nE 's/.*events lost: ([0-9]+).*/\1/p')
lost=${lost:-0}
read -r made took failed <"$out/churn.out"
counted=$(total)
tm send-keys -t s: q
sleep 1

cat <<REPORT

nettop screen under churn — $(date -u +%Y-%m-%d), $(nproc) cores, kernel $(uname -r)
  churn: $made connections in $took s ($(awk -v n="$made" -v s="$took" 'BEGIN { printf "%.0f", n / s }')/s asked $rate/s, $failed failed), 2 sockets each
  Closed view counted             $counted of $((2 * made)) sockets (+ the listener's own)
  events lost (header)            $lost = $(awk -v l="$lost" -v n="$((2 * made))" 'BEGIN { printf "%.3f%%", n ? l * 100 / n : 0 }')
  nettop screen, whole process    $(awk -v a="$cpu0" -v b="$cpu1" -v s="$took" 'BEGIN { printf "%.3f cores", (b - a) / s }')   (sampling, events, join, drawing, recording)
  peak RSS                        $((rss / 1024)) MiB
  slowest key (E) meanwhile       $worst ms   (tmux polled every 10 ms)
  recording                       $(du -k "$out/rec" | cut -f1) KiB for $(awk -v s="$took" 'BEGIN { printf "%.0f", s }') s of churn
REPORT
