#!/usr/bin/env bash
# record-golden.sh: makes the recordings the golden-screen tests replay
# (tests/fixtures/recordings/NAME.rec, with NAME.json.sha256: the checksum of
# the JSON the live run printed, which the replay must print again). Each is taken in a private network namespace whose only link is
# lo, holding the sockets of tests/tools/golden_sockets.py:
#   quiet  a few servers and idle connections
#   flood  a SYN flood (synflood.c, syncookies off, SYN-ACKs dropped by nft)
#   busy   a server with connections from 127.0.0.2..127.0.0.60
# Run it again only to change the recordings; then regenerate the expected
# screens: UPDATE=1 bash tests/golden/test_golden.sh ./nettop
#
# Usage: bash tests/tools/record-golden.sh ./nettop [NAME...]   (as root)
set -eu

NETTOP=$(readlink -f "${1:?usage: record-golden.sh ./nettop [quiet|flood|busy...]}")
shift
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(cd "$HERE/../fixtures" && pwd)/recordings
RECORD=(--batch --count 4 --interval 0.5 --json -p)
FLOOD_THRESHOLD=100
TMP=$(mktemp -d)
NAMESPACES=()
HELPER_PID=""

cleanup() {
	local status=$? ns pid
	if [[ -n $HELPER_PID ]]; then
		kill -TERM "$HELPER_PID" 2>/dev/null
		wait "$HELPER_PID" 2>/dev/null
	fi
	for ns in "${NAMESPACES[@]}"; do
		# whatever still runs in our namespace was started by this script
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null || echo "record-golden.sh: could not delete $ns" >&2
	done
	rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ns_create NAME [SYSCTL=VALUE...]: a namespace with lo up and nothing else.
ns_create() {
	local ns=$1 kv
	shift
	ip netns add "$ns"
	NAMESPACES+=("$ns")
	ip -n "$ns" link set lo up
	for kv in "$@"; do
		ip netns exec "$ns" sysctl -qw "$kv"
	done
}

# helper_start NS MODE: golden_sockets.py in NS, once it says READY.
helper_start() {
	local line
	coproc HELPER { exec ip netns exec "$1" python3 "$HERE/golden_sockets.py" "$2"; }
	read -r -t 20 line <&"${HELPER[0]}" || true
	[[ $line == READY ]] || { echo "record-golden.sh: $2: the sockets are not ready" >&2; exit 1; }
}

helper_stop() {
	kill -TERM "$HELPER_PID" 2>/dev/null || true
	wait "$HELPER_PID" 2>/dev/null || true
	HELPER_PID=""
}

# record NS NAME [NETTOP ARG...]: 4 samples, 0.5 s apart; the replay (with
# the same arguments) must print the live run's JSON.
record() {
	local ns=$1 name=$2 live
	shift 2
	rm -f "$OUT/$name.rec"
	ip netns exec "$ns" "$NETTOP" "${RECORD[@]}" --record "$OUT/$name.rec" "$@" >"$TMP/$name.json"
	live=$(sha256sum <"$TMP/$name.json" | cut -d' ' -f1)
	if [[ $("$NETTOP" --replay "$OUT/$name.rec" --batch --json "$@" | sha256sum | cut -d' ' -f1) != "$live" ]]; then
		echo "record-golden.sh: $name: the replay does not print what the live run printed" >&2
		exit 1
	fi
	echo "$live" >"$OUT/$name.json.sha256"
	echo "$name: $(stat -c %s "$OUT/$name.rec") bytes, $(wc -l <"$TMP/$name.json") samples"
}

record_quiet() {
	local ns="nettop-golden-$$-quiet"
	ns_create "$ns"
	helper_start "$ns" quiet
	record "$ns" quiet
	helper_stop
}

# Half the SYNs before the first sample, half during the recording, so that
# SYN_RECV rises while it is watched.
record_flood() {
	local ns="nettop-golden-$$-flood"
	cc -O2 -o "$TMP/synflood" "$HERE/synflood.c"
	ns_create "$ns" net.ipv4.tcp_syncookies=0 net.ipv4.tcp_synack_retries=8 \
		net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
	helper_start "$ns" flood
	# only now: the helper's own connections needed their SYN-ACKs
	ip netns exec "$ns" nft add table inet flood
	ip netns exec "$ns" nft add chain inet flood pre '{ type filter hook prerouting priority -300; }'
	ip netns exec "$ns" nft add rule inet flood pre 'tcp flags & (syn|ack) == syn|ack drop'
	ip netns exec "$ns" "$TMP/synflood" -p 80 -n 200 -s 127.0.0.10 -k 40 -H 127.0.0.99 -f 0.25
	# new sources: synflood's source ports repeat from one run to the next
	(sleep 0.7 && ip netns exec "$ns" "$TMP/synflood" -p 80 -n 200 -s 127.0.0.110 -k 40 \
		-H 127.0.0.98 -f 0.25) &
	record "$ns" flood --flood --flood-threshold "$FLOOD_THRESHOLD"
	wait $!
	helper_stop
}

record_busy() {
	local ns="nettop-golden-$$-busy"
	ns_create "$ns"
	helper_start "$ns" busy
	record "$ns" busy
	helper_stop
}

mkdir -p "$OUT"
[[ $# -gt 0 ]] || set -- quiet flood busy
for name in "$@"; do
	case $name in
	quiet | flood | busy) "record_$name" ;;
	*) echo "record-golden.sh: no recording named $name" >&2; exit 2 ;;
	esac
done
