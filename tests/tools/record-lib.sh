# record-lib.sh: what the fixture recorders share, sourced by
# record-fixtures.sh, record-events.sh and record-more-fixtures.sh: a scratch
# directory ($tmp) holding tests/tools/nlrecord.c built ($tmp/nlrecord), and
# one cleanup on every way out for the namespaces made with rec_netns_add and
# the background process named in $holder.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
holder=
rec_netns=()

cleanup() {
	local ns
	if [ -n "$holder" ]; then
		kill "$holder" 2>/dev/null || true
		wait "$holder" 2>/dev/null || true
	fi
	for ns in "${rec_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# rec_netns_add NS: creates NS with lo up, deleted on exit.
rec_netns_add() {
	ip netns add "$1"
	rec_netns+=("$1")
	ip -n "$1" link set lo up
}

cc -O2 -Wall -Wextra -Werror -o "$tmp/nlrecord" "$repo/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)
