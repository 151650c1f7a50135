#!/bin/bash
# Records tests/fixtures/netlink/destroy.bin: the destroy events of the
# sockets tests/tools/destroy_sockets.py makes and closes, in a private
# network namespace (lo only). Needs root, a C compiler and libmnl.
# Usage: record-events.sh [FIXTURES_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/record-lib.sh"

out=${1:-$repo/tests/fixtures}/netlink
ns=nettop-recev-$$
rec_netns_add "$ns"
mkfifo "$tmp/ready"
ip netns exec "$ns" "$tmp/nlrecord" destroy "$out/destroy.bin" 8 >"$tmp/ready" &
holder=$!
exec 3<"$tmp/ready"
if ! read -r -t 10 line <&3 || [ "$line" != READY ]; then
	echo "record-events: nlrecord did not start" >&2
	exit 1
fi
ip netns exec "$ns" python3 "$repo/tests/tools/destroy_sockets.py"
wait "$holder"
holder=
ls -l "$out/destroy.bin"
