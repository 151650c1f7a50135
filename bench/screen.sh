#!/bin/sh
# bench/screen.sh: the screen's frame time and key latency on the sockets of
# a namespace, from nettop's own --frame-log (bench/run.sh calls it with the
# namespace it built). nettop runs in a private tmux server of fixed size.
# First it is left alone for QUIET seconds (the frames a new sample costs);
# then keys are sent a quarter second apart for SECONDS seconds, so that many
# are read while the sampler thread dumps. Not a test: it prints numbers.
#
# Usage: bench/screen.sh NETTOP NAMESPACE SOCKETS [TARGETS]
#   TARGETS: "targets" prints issue 5's targets beside the numbers (they are
#   set for 200k established sockets, not for a flood)
#   env: BENCH_SCREEN_QUIET (10), BENCH_SCREEN_SECONDS (20),
#        BENCH_SCREEN_LOG (a copy of the log kept there)
set -u
nettop=$1
ns=$2
sockets=$3
targets=${4:-}
quiet=${BENCH_SCREEN_QUIET:-10}
seconds=${BENCH_SCREEN_SECONDS:-20}
out=$(mktemp -d /tmp/nettop-screen.XXXXXX)
server=nettop-bench-screen-$$
tmx() { tmux -L "$server" "$@"; }

cleanup() {
	tmx kill-server 2>/dev/null
	[ -n "${BENCH_SCREEN_LOG:-}" ] && cp "$out/log" "$BENCH_SCREEN_LOG"
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# frames: how many lines of the log are frames
frames() {
	n=$(grep -c '^frame' "$out/log" 2>/dev/null)
	echo "${n:-0}"
}

tmx -f /dev/null new-session -d -x 200 -y 50 \
	"ip netns exec $ns $nettop -n --frame-log $out/log --config $out/config 2>$out/err" ||
	{ echo "screen bench: cannot start tmux" >&2; exit 1; }
for _ in $(seq 100); do
	[ "$(frames)" -ge 3 ] && break
	sleep 0.2
done
[ "$(frames)" -ge 3 ] || { echo "screen bench: no frames: $(head -3 "$out/err")" >&2; exit 1; }

sleep "$quiet"
# the log's two parts, apart: its lines so far were written before any key
boundary=$(wc -l <"$out/log")

# Browsing, sorting (each key a job for the worker), filtering and views:
# what a user does while the dumps go on.
keys="Down Down Down NPage NPage End Home > > I I < < Tab Tab Tab BTab BTab BTab l l t t P P"
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
	for k in $keys; do
		tmx send-keys "$k"
		sleep 0.25
	done
	# a filter typed at the prompt, then cleared
	tmx send-keys '\' 'state established' Enter
	sleep 0.5
	# Escape apart: curses waits ESCDELAY after an ESC for the rest of a
	# sequence, which no user typing \ then Esc ever meets
	tmx send-keys '\'
	sleep 0.2
	tmx send-keys Escape
	sleep 0.3
done
tmx send-keys q
for _ in $(seq 50); do
	tmx has-session 2>/dev/null || break
	sleep 0.2
done

# The first two frames fault the pages of every array in: left out.
awk -v n="$sockets" -v quiet="$quiet" -v boundary="$boundary" -v targets="$targets" '
function sortn(a, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
function pct(a, k, p,   i) { i = int((k - 1) * p + 1.5); if (i > k) i = k; return k ? a[i] : 0 }
function line(what, a, k, target) {
	sortn(a, k)
	if (targets != "targets")
		target = ""
	printf "  %-36s %6.1f  %6.1f  %6.1f  %5d   %s\n", what, pct(a, k, 0.5), pct(a, k, 0.95), k ? a[k] : 0, k, target
}
NR > boundary { keys = 1 }
/^frame/ {
	if (++seen <= 2) next
	if (!keys) {
		q[++nq] = $6; c += $3; i += $4; d += $5
	} else if ($2 == "sample") {
		s[++ns] = $6
	} else {
		k[++nk] = $6
	}
}
/^key/ { if ($3 == "dump") kd[++nkd] = $2; else ki[++nki] = $2 }
END {
	printf "\n  the screen, %s TCP sockets (200x50, a sample a second; --frame-log, ms)\n", n
	printf "  %-36s %6s  %6s  %6s  %5s\n", "", "median", "p95", "max", "count"
	line("frame after a sample, " quiet " s alone", q, nq, "(target <= 20 ms)")
	if (nq)
		printf "    of which, on average: worker %.1f, install %.1f, draw %.1f\n", c / nq, i / nq, d / nq
	print "  then keys, 4 a second (browse, sort, filter, views):"
	line("frame after a sample", s, ns, "")
	line("frame after a key (sort, filter, view)", k, nk, "")
	line("key latency, read during a dump", kd, nkd, "(target <= 50 ms)")
	line("key latency, read between dumps", ki, nki, "(target <= 50 ms)")
}' "$out/log"
