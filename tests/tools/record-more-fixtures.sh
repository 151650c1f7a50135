#!/bin/bash
# Records tests/fixtures/netlink/{route4,route6,unix,conntrack}.bin (issue 22's
# parsers) from two private namespaces joined by a veth pair, and what
# netstat and conntrack(8) printed at the same moment (more_recorded.txt).
# Needs root, a C compiler, libmnl, nft, netstat and conntrack.
# Usage: record-more-fixtures.sh [FIXTURES_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/record-lib.sh"

fixtures=${1:-$repo/tests/fixtures}
out=$fixtures/netlink
a=nettop-rec-a-$$
b=nettop-rec-b-$$
for ns in "$a" "$b"; do
	rec_netns_add "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip -n "$a" link add rec-a type veth peer name rec-b netns "$b"
ip -n "$a" addr add 10.22.0.1/24 dev rec-a
ip -n "$a" addr add 10.22.0.5/24 dev rec-a
ip -n "$a" -6 addr add fd22::1/64 dev rec-a nodad
ip -n "$a" link set rec-a up
ip -n "$a" route add 10.23.0.0/16 via 10.22.0.2 advmss 1400 window 65535
ip -n "$a" route add 10.24.0.1/32 via 10.22.0.2
ip -n "$a" route add unreachable 10.25.0.0/16
ip -n "$a" -6 route add fd23::/48 via fd22::2
ip -n "$a" -6 route add unreachable fd24::/48
ip -n "$b" addr add 10.22.0.2/24 dev rec-b
ip -n "$b" link set rec-b up
ip netns exec "$a" nft add table ip rec
ip netns exec "$a" nft add chain ip rec post '{ type nat hook postrouting priority 100; }'
ip netns exec "$a" nft add rule ip rec post oifname rec-a ip saddr 10.22.0.5 masquerade

# In A: Unix sockets (a path, abstract names, a pair) and a UDP flow through
# the masquerade, held until killed.
cat >"$tmp/hold.py" <<'PY'
import os, socket, sys
tmp = sys.argv[1]
held = []
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); l.bind(os.path.join(tmp, "s")); l.listen(1)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect(os.path.join(tmp, "s"))
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("\0rec\0abstract")
e = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); e.connect("\0rec\0abstract")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.22.0.5", 40000))
u.sendto(b"x", ("10.22.0.2", 53))
held += [l, c, l.accept()[0], d, e, u, *socket.socketpair()]
print("READY", flush=True)
sys.stdin.read()
PY
mkfifo "$tmp/ready" "$tmp/stdin"
ip netns exec "$a" python3 "$tmp/hold.py" "$tmp" <"$tmp/stdin" >"$tmp/ready" &
holder=$!
exec 4>"$tmp/stdin"
exec 3<"$tmp/ready"
if ! read -r -t 10 line <&3 || [ "$line" != READY ]; then
	echo "record-more-fixtures: the socket holder did not get ready" >&2
	exit 1
fi

mkdir -p "$out"
for kind in route4 route6 unix conntrack; do
	ip netns exec "$a" "$tmp/nlrecord" "$kind" "$out/$kind.bin"
done
{
	echo "# netstat -rn, -rnee, -rn6, -xa and conntrack -L in the recording namespace ($(uname -r))"
	for flags in -rn -rnee -rn6 -xa; do
		echo "## netstat $flags"
		ip netns exec "$a" netstat "$flags" | sed "s#$tmp#TMP#"
	done
	echo "## conntrack -L"
	ip netns exec "$a" conntrack -L 2>/dev/null
	echo "## ip link"
	ip -n "$a" -o link | cut -d' ' -f1-2
} | sed 's/[[:space:]]*$//' >"$out/more_recorded.txt"
