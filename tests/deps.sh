#!/bin/sh
# Installs the packages nettop's build and tests need (Debian/Ubuntu). As root
# it runs apt-get; otherwise it prints the exact command and fails.
# `deps.sh screenshots`: what `make screenshots` needs instead.
set -u
BUILD="gcc make pkg-config libmnl-dev libncurses-dev libmicrohttpd-dev libbpf-dev bpftool clang"
TEST="libcmocka-dev tmux iproute2 net-tools nftables python3 clang libclang-rt-dev time procps strace prometheus curl conntrack"
SCREENSHOT="tmux aha chromium fonts-dejavu-core"
PKGS="$BUILD $TEST"
[ "${1:-}" = screenshots ] && PKGS=$SCREENSHOT

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "nettop: not a Debian system; make sure these (or their equivalents) are installed: $PKGS" >&2
	exit 0
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "nettop: missing packages:$missing" >&2
	echo "nettop: run:  sudo apt-get update && sudo $cmd" >&2
	exit 1
fi
echo "nettop: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 && $cmd >&2
