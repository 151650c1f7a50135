#!/bin/bash
# Records tests/fixtures/netlink/destroy.bin: the destroy events of the
# sockets tests/tools/destroy_sockets.py makes and closes, in a private
# network namespace (lo only). Needs root, a C compiler and libmnl.
# Usage: record-events.sh [FIXTURES_DIR]
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/tests/fixtures}/netlink
ns=nettop-recev-$$
tmp=$(mktemp -d)
rec=

cleanup() {
	if [ -n "$rec" ]; then
		kill "$rec" 2>/dev/null || true
		wait "$rec" 2>/dev/null || true
	fi
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cc -O2 -Wall -Wextra -Werror -o "$tmp/nlrecord" "$repo/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)
ip netns add "$ns"
ip -n "$ns" link set lo up
mkfifo "$tmp/ready"
ip netns exec "$ns" "$tmp/nlrecord" destroy "$out/destroy.bin" 8 >"$tmp/ready" &
rec=$!
exec 3<"$tmp/ready"
if ! read -r -t 10 line <&3 || [ "$line" != READY ]; then
	echo "record-events: nlrecord did not start" >&2
	exit 1
fi
ip netns exec "$ns" python3 "$repo/tests/tools/destroy_sockets.py"
wait "$rec"
rec=
ls -l "$out/destroy.bin"
