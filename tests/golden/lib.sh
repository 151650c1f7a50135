# lib.sh: nettop on a private tmux server, for the golden-screen tests and
# the screenshots (sourced; both set NETTOP, SOCKET, TMP and TIMEOUT_MS
# first: sourcing arms the cleanup of the server and $TMP on every exit).

tm() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

# Stops the tmux server (and removes its socket) and $TMP however the script
# exits: signals become plain exits so that the EXIT trap runs for them too.
golden_cleanup() {
	local status=$? socket_path
	socket_path=$(tm display-message -p '#{socket_path}' 2>/dev/null)
	tm kill-server 2>/dev/null
	[[ -n $socket_path ]] && rm -f "$socket_path"
	rm -rf "$TMP"
	exit "$status"
}
trap golden_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() {
	local us=${EPOCHREALTIME/./}
	echo $((us / 1000))
}

# The screen as text, or nothing once the pane is gone.
capture() {
	tm capture-pane -p -t "$1" 2>/dev/null
}

pane_dead() {
	[[ $(tm display-message -p -t "$1" '#{pane_dead}' 2>/dev/null) == 1 ]]
}

# settle WINDOW TEXT [BEFORE]: waits until the screen holds TEXT, differs
# from BEFORE (when given) and stays the same for 300 ms; prints it. False
# on timeout or when nettop is gone.
settle() {
	local w=$1 want=$2 before=${3-} deadline=$(($(now_ms) + TIMEOUT_MS)) last="" now same=0
	while (($(now_ms) < deadline)); do
		now=$(capture "$w")
		if [[ $now == *"$want"* && ($# -lt 3 || $now != "$before") ]]; then
			if [[ $now == "$last" ]]; then
				((++same >= 3)) && { printf '%s\n' "$now"; return 0; }
			else
				same=0
			fi
		fi
		last=$now
		pane_dead "$w" && break
		sleep 0.1
	done
	printf '%s\n' "$last"
	return 1
}

# start SESSION COLSxLINES ARG...: nettop in a session of its own, with the
# clock in UTC and no configuration of the user's; its exit status goes to
# $TMP/SESSION.status.
start() {
	local w=$1 size=$2 cmd
	shift 2
	printf -v cmd '%q ' "$NETTOP" "$@"
	rm -f "$TMP/$w.status"
	tm new-session -d -s "$w" -x "${size%x*}" -y "${size#*x}" \
		"env -u NO_COLOR TZ=UTC LC_ALL=C.UTF-8 HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home $cmd; echo \$? >$TMP/$w.status"
}

# exited SESSION: nettop's exit status once it has exited ("" until then;
# tmux's own pane_dead_status is not always filled in).
exited() {
	cat "$TMP/$1.status" 2>/dev/null
}

# stop SESSION: q must end nettop with status 0 (a sanitizer's report makes
# it otherwise: the screen is then shown); a prompt or the help takes Esc
# first. The session goes either way.
stop() {
	local w=$1 i status=""
	tm send-keys -t "$w" q 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		status=$(exited "$w")
		[[ -n $status ]] && break
		if ((i == 20)); then
			tm send-keys -t "$w" Escape 2>/dev/null
			sleep 0.2
			tm send-keys -t "$w" q 2>/dev/null
		fi
		sleep 0.05
	done
	if [[ $status != 0 ]]; then
		EXIT_DETAIL="q did not end nettop with status 0 (status: ${status:-none, still running})"
		capture "$w" | grep -v '^$' | tail -30 | sed 's/^/#   /'
		tm kill-session -t "$w" 2>/dev/null
		return 1
	fi
	tm kill-session -t "$w" 2>/dev/null
}

# A session name for each run: test names hold spaces and colons.
SESSIONS=0
session() {
	SESSIONS=$((SESSIONS + 1))
	W="s$SESSIONS"
}

send() {
	local w=$1 k
	shift
	for k in "$@"; do
		if [[ $k == text:* ]]; then
			tm send-keys -t "$w" -l "${k#text:}"
		else
			tm send-keys -t "$w" "$k"
		fi
	done
}
