#!/bin/bash
# Records the fixtures in tests/fixtures/netlink/ (netlink dumps) and
# tests/fixtures/procnet/ (/proc/net text) from a private network namespace
# holding the sockets of fixture_sockets.py. Needs root (ip netns), a C
# compiler and libmnl. Usage: record-fixtures.sh [FIXTURES_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/record-lib.sh"

fixtures=${1:-$repo/tests/fixtures}
out=$fixtures/netlink
ns=nettop-rec-$$
rec_netns_add "$ns"

mkfifo "$tmp/ready"
# stdin stays open (a fifo we hold) so the holder keeps its sockets until killed
mkfifo "$tmp/stdin"
ip netns exec "$ns" python3 "$repo/tests/tools/fixture_sockets.py" \
	<"$tmp/stdin" >"$tmp/ready" &
holder=$!
exec 4>"$tmp/stdin"
exec 3<"$tmp/ready"
if ! read -r -t 10 line <&3 || [ "$line" != READY ]; then
	echo "record-netlink: the socket holder did not get ready" >&2
	exit 1
fi

mkdir -p "$out"
for kind in tcp4-info tcp6 udp4 udp6 link; do
	ip netns exec "$ns" "$tmp/nlrecord" "$kind" "$out/${kind/-/_}.bin"
done
# What ss saw at the same moment, for whoever reads the fixtures.
{
	echo "# ss -tuanoie in the recording namespace ($(uname -r))"
	ip netns exec "$ns" ss -tuanoie 2>/dev/null
	echo
	echo "# ip -s link"
	ip -n "$ns" -s link
} | sed 's/[[:space:]]*$//' >"$out/recorded.txt"
# The same sockets and the namespace's counters as /proc/net shows them.
mkdir -p "$fixtures/procnet"
for f in snmp netstat sockstat sockstat6 tcp tcp6 udp udp6; do
	ip netns exec "$ns" cat "/proc/net/$f" >"$fixtures/procnet/$f"
done
ls -l "$out" "$fixtures/procnet"
