#!/usr/bin/env bash
# record-history.sh: makes tests/fixtures/recordings/flood-rise.rec, the
# recording the history's tests replay (tests/integration/test_history.py,
# tests/ui/test_history.sh): a SYN flood that rises for 20 s, 20 samples
# 1 s apart, in a private network namespace whose only link is lo. The web
# server of golden_sockets.py (flood) never accepts; synflood.c sends 30
# SYNs a second from new sources, their SYN-ACKs dropped by nft, so SYN_RECV
# grows by ~30 a sample. With flood-rise.json.sha256: the checksum of the
# JSON the live run printed (without its closed connections, which are not
# recorded, keys sorted), which the replay must print again.
#
# Usage: bash tests/tools/record-history.sh ./nettop   (as root)
set -eu

NETTOP=$(readlink -f "${1:?usage: record-history.sh ./nettop}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(cd "$HERE/../fixtures" && pwd)/recordings
NAME=flood-rise
NS="nettop-history-$$"
TMP=$(mktemp -d)
HELPER_PID=""
SENDER=""
NS_MADE=""

cleanup() {
	local status=$? pid
	for pid in $SENDER $HELPER_PID; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ -n $NS_MADE ]]; then
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$NS" 2>/dev/null || echo "record-history.sh: could not delete $NS" >&2
	fi
	rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc -O2 -o "$TMP/synflood" "$HERE/synflood.c"
ip netns add "$NS"
NS_MADE=1
ip -n "$NS" link set lo up
for kv in net.ipv4.tcp_syncookies=0 net.ipv4.tcp_synack_retries=8 net.core.somaxconn=65535 \
	net.ipv4.tcp_max_syn_backlog=65535; do
	ip netns exec "$NS" sysctl -qw "$kv"
done
coproc HELPER { exec ip netns exec "$NS" python3 "$HERE/golden_sockets.py" flood; }
read -r -t 20 line <&"${HELPER[0]}" || true
[[ ${line:-} == READY ]] || { echo "record-history.sh: the sockets are not ready" >&2; exit 1; }
ip netns exec "$NS" nft add table inet flood
ip netns exec "$NS" nft add chain inet flood pre '{ type filter hook prerouting priority -300; }'
ip netns exec "$NS" nft add rule inet flood pre 'tcp flags & (syn|ack) == syn|ack drop'
# 30 SYNs a second, each second from 30 addresses of their own (synflood's
# source ports repeat from one run to the next)
(
	for i in $(seq 1 22); do
		ip netns exec "$NS" "$TMP/synflood" -p 80 -n 30 -s "127.1.$i.1" -k 30 >/dev/null
		sleep 1
	done
) &
SENDER=$!
sleep 0.5
rm -f "$OUT/$NAME.rec"
ip netns exec "$NS" "$NETTOP" --batch --count 20 --interval 1 --json --flood \
	--record "$OUT/$NAME.rec" >"$TMP/$NAME.json"
# the live run's closed connections (destroy events: closed, closed_*,
# events_lost) are not recorded
without_closed() {
	python3 -c 'import json, sys
for line in sys.stdin:
    d = json.loads(line)
    for k in [k for k in d if k.startswith("closed") or k == "events_lost"]:
        del d[k]
    print(json.dumps(d, sort_keys=True))'
}
live=$(without_closed <"$TMP/$NAME.json" | sha256sum | cut -d' ' -f1)
replayed=$("$NETTOP" --replay "$OUT/$NAME.rec" --batch --json --flood | without_closed | sha256sum | cut -d' ' -f1)
if [[ $replayed != "$live" ]]; then
	echo "record-history.sh: the replay does not print what the live run printed" >&2
	exit 1
fi
echo "$live" >"$OUT/$NAME.json.sha256"
echo "$NAME: $(stat -c %s "$OUT/$NAME.rec") bytes, $(wc -l <"$TMP/$NAME.json") samples"
