#!/usr/bin/env bash
# lib.sh: the private network namespace and the socket mix that nettop's
# integration tests run against.
#
# As a library:  source lib.sh; ns_create; sockmix_start; ns_exec ss -tan
#   (ns_create arms an EXIT trap that stops sockmix and deletes the namespace)
# As a runner:   bash lib.sh run CMD [ARG...]
#   builds the namespace and the mix, runs CMD with NETTOP_IT_NS (namespace
#   name) and NETTOP_IT_MIX (sockmix's JSON description) exported, tears
#   everything down and exits with CMD's status.
#
# Needs root, iproute2 and nft. Only lo exists in the namespace, so no
# traffic can leave it.

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IT_NS=""            # namespace name, set once it exists
IT_TMP=""           # sockmix's stdin fifo and its stdout/stderr
IT_SOCKMIX_PID=""
IT_HOLD_FD=""       # write end of sockmix's stdin: closing it lets sockmix exit
IT_READY_TIMEOUT=${IT_READY_TIMEOUT:-15}

it_die() {
	echo "lib.sh: $*" >&2
	exit 1
}

it_require() {
	[[ $EUID -eq 0 ]] || it_die "must run as root (network namespaces, nft)"
	local tool
	for tool in ip nft ss python3; do
		command -v "$tool" >/dev/null || it_die "$tool not found"
	done
}

# Creates a uniquely named namespace and arms cleanup for every way out.
ns_create() {
	it_require
	IT_NS="nettop-it-$$"
	trap it_cleanup EXIT
	# Signals become plain exits so the EXIT trap runs for them too.
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	ip netns add "$IT_NS" || { IT_NS=""; it_die "cannot create namespace"; }
}

ns_exec() {
	ip netns exec "$IT_NS" "$@"
}

# Stops sockmix gently (closing stdin, then SIGTERM), then by force.
it_stop_sockmix() {
	[[ -n $IT_HOLD_FD ]] && exec {IT_HOLD_FD}>&-
	IT_HOLD_FD=""
	[[ -n $IT_SOCKMIX_PID ]] || return 0
	kill -TERM "$IT_SOCKMIX_PID" 2>/dev/null
	local i
	for ((i = 0; i < 40; i++)); do
		kill -0 "$IT_SOCKMIX_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$IT_SOCKMIX_PID" 2>/dev/null
	wait "$IT_SOCKMIX_PID" 2>/dev/null
	IT_SOCKMIX_PID=""
}

# Anything still inside our namespace was started by this run: a hung
# command left over after a failure would otherwise keep the namespace alive.
it_kill_namespace_pids() {
	local pid
	for pid in $(ip netns pids "$IT_NS" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
}

it_cleanup() {
	local status=$?
	it_stop_sockmix
	if [[ -n $IT_NS ]]; then
		it_kill_namespace_pids
		ip netns del "$IT_NS" || echo "lib.sh: could not delete namespace $IT_NS" >&2
		IT_NS=""
	fi
	[[ -n $IT_TMP ]] && rm -rf "$IT_TMP"
	IT_TMP=""
	return "$status"
}

# Starts sockmix in the namespace and returns once it printed READY.
sockmix_start() {
	IT_TMP=$(mktemp -d /tmp/nettop-it.XXXXXX) || it_die "mktemp failed"
	mkfifo "$IT_TMP/stdin"
	ns_exec python3 "$IT_DIR/sockmix.py" <"$IT_TMP/stdin" \
		>"$IT_TMP/out" 2>"$IT_TMP/err" &
	IT_SOCKMIX_PID=$!
	# Opening the fifo also unblocks sockmix's own open of its stdin.
	exec {IT_HOLD_FD}>"$IT_TMP/stdin"
	sockmix_wait_ready "$IT_READY_TIMEOUT"
}

# Polls sockmix's output for READY and its description; fails at once if
# sockmix died.
sockmix_wait_ready() {
	local timeout=$1 start=$SECONDS
	until [[ $(wc -l <"$IT_TMP/out") -ge 2 ]]; do
		if ! kill -0 "$IT_SOCKMIX_PID" 2>/dev/null; then
			cat "$IT_TMP/err" >&2
			it_die "sockmix exited before READY"
		fi
		((SECONDS - start < timeout)) || it_die "sockmix not READY after ${timeout}s"
		sleep 0.05
	done
	[[ $(sed -n 1p "$IT_TMP/out") == READY ]] || it_die "sockmix printed no READY"
}

# sockmix's JSON description of the mix (expected state counts).
sockmix_description() {
	sed -n 2p "$IT_TMP/out"
}

it_run() {
	ns_create
	sockmix_start
	NETTOP_IT_NS=$IT_NS NETTOP_IT_MIX=$(sockmix_description) "$@"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	case ${1-} in
	run)
		shift
		[[ $# -gt 0 ]] || it_die "usage: bash lib.sh run CMD [ARG...]"
		it_run "$@"
		exit
		;;
	*)
		it_die "usage: bash lib.sh run CMD [ARG...] (or source it)"
		;;
	esac
fi
