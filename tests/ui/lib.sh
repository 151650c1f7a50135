# lib.sh: what the screen's suites (test_ui.sh, test_settings.sh,
# test_netns.sh, test_names.sh) share: a private tmux server, ok/not ok
# counting and the "N passed, M failed" line, polling with a timeout, and the
# namespaces made for the run with their cleanup. Sourced; the suite sets
# SOCKET (the tmux server's name), TIMEOUT_MS, NS (where it has one), and
# defines cleanup() before calling set_traps.

NETNS_MADE=()       # namespaces this run created, deleted on exit
PASSED=0
FAILED=0

tm() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

ns() {
	ip netns exec "$NS" "$@"
}

# --- results -------------------------------------------------------------------

ok() {
	echo "ok - $1"
	PASSED=$((PASSED + 1))
}

not_ok() {
	echo "not ok - $1: $2"
	FAILED=$((FAILED + 1))
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 ]]
}

# A failure that leaves nothing else worth checking.
fatal() {
	not_ok "$1" "$2"
	summary
	exit 1
}

# --- polling -------------------------------------------------------------------

now_ms() {
	local us=${EPOCHREALTIME/./}
	echo $((us / 1000))
}

# wait_for MS CMD...: true as soon as CMD succeeds, checking every 0.1 s.
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while :; do
		"$@" && return 0
		(($(now_ms) >= deadline)) && return 1
		sleep 0.1
	done
}

# never_for MS CMD...: true if CMD fails at every check for MS.
never_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while (($(now_ms) < deadline)); do
		"$@" && return 1
		sleep 0.1
	done
	return 0
}

# check NAME DETAIL CMD...: polls CMD for up to TIMEOUT_MS. DETAIL is
# expanded on failure (single-quote it), so it shows the screen as it is then.
check() {
	local name=$1 detail=$2
	shift 2
	if wait_for "$TIMEOUT_MS" "$@"; then
		ok "$name"
	else
		not_ok "$name" "$(eval "echo \"$detail\"")"
	fi
}

# output_is WANT CMD...: CMD prints WANT.
output_is() {
	local want=$1
	shift
	[[ $("$@") == "$want" ]]
}

# check_eq NAME WANT CMD...: polls until CMD prints WANT.
check_eq() {
	local name=$1 want=$2
	shift 2
	if wait_for "$TIMEOUT_MS" output_is "$want" "$@"; then
		ok "$name"
	else
		not_ok "$name" "want '$want', got '$("$@")'"
	fi
}

# --- the screen, read back ----------------------------------------------------

# screen SESSION: the session's screen as text.
screen() {
	tm capture-pane -p -t "$1:" 2>/dev/null
}

# screen_has SESSION REGEX, screen_lacks SESSION REGEX.
screen_has() {
	screen "$1" | grep -qE -- "$2"
}

screen_lacks() {
	! screen_has "$@"
}

# --- setup and cleanup ---------------------------------------------------------

# netns_add NS: creates NS (fatal if it cannot) and records it for cleanup.
netns_add() {
	ip netns add "$1" || fatal setup "cannot create namespace $1"
	NETNS_MADE+=("$1")
}

# kill_tmux [SOCKET_PATH]: ends the private tmux server and removes its
# socket (the one given, or else the one the server reports).
kill_tmux() {
	local sock=${1-}
	(($#)) || sock=$(tm display -p '#{socket_path}' 2>/dev/null)
	tm kill-server 2>/dev/null
	[[ -n $sock ]] && rm -f "$sock"
}

# stop_pids PID...: SIGTERM to each, then reaps it.
stop_pids() {
	local pid
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}

# netns_del_made: deletes every namespace this run made; whatever still runs
# in one was started by this run, and is killed first.
netns_del_made() {
	local ns pid
	for ns in ${NETNS_MADE[@]+"${NETNS_MADE[@]}"}; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" || echo "${0##*/}: could not delete namespace $ns" >&2
	done
}

# set_traps: the suite's cleanup() on every way out, signals included.
set_traps() {
	trap cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
