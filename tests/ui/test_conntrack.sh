#!/usr/bin/env bash
# test_conntrack.sh: the conntrack pane (C, issue 22). Two private
# namespaces joined by a veth pair; A masquerades what leaves it from
# 10.44.0.5 (nft), with a TCP connection and a UDP flow through the NAT and
# per-flow accounting on. On screen, in A: the pane's entries equal
# `conntrack -C` there, its flows are those `conntrack -L` lists, NATed ones
# with the address they were translated to; the table filled to a lowered
# nf_conntrack_max raises the alert on screen and in --conntrack --json;
# without CAP_NET_ADMIN the pane says why and the rest stays.
#
# nf_conntrack_max is read-only inside a namespace: the host's is lowered
# for the fill, and put back at once (and by cleanup, whatever happens).
#
# Usage: bash tests/ui/test_conntrack.sh /abs/path/to/nettop
# Needs root, tmux, python3, nft, conntrack and setpriv. Prints "ok - NAME"
# or "not ok - NAME: detail" per check, then one "N passed, M failed" line.

set -u

NETTOP=$(readlink -f "${1:?usage: test_conntrack.sh /abs/path/to/nettop}")
NSA="nettop-ct-$$-a"
NSB="nettop-ct-$$-b"
SOCKET="nettop-ct-$$"
TIMEOUT_MS=8000
TMP=""
PIDS=()
MAX_FILE=/proc/sys/net/netfilter/nf_conntrack_max
MAX_SAVED=""

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"

max_restore() {
	if [[ -n $MAX_SAVED ]]; then
		echo "$MAX_SAVED" >"$MAX_FILE" || echo "${0##*/}: could not restore nf_conntrack_max=$MAX_SAVED" >&2
		MAX_SAVED=""
	fi
}

cleanup() {
	local status=$?
	max_restore
	kill_tmux
	stop_pids ${PIDS[@]+"${PIDS[@]}"}
	netns_del_made
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$status"
}
set_traps

a() {
	ip netns exec "$NSA" "$@"
}

# start SESSION CMD...: CMD at 140x40.
start() {
	local name=$1 cmd
	shift
	printf -v cmd '%q ' env XDG_CONFIG_HOME="$TMP/xdg" "$@"
	tm new-session -d -s "$name" -x 140 -y 40 "$cmd; echo exit=\$?; exec sleep 600"
}

# The pane's "entries N" and "max N".
shown_entries() {
	screen "$1" | sed -nE 's/.*Conntrack +entries ([0-9]+) .*/\1/p' | head -1
}

shown_max() {
	screen "$1" | sed -nE 's/.*Conntrack +entries [0-9]+ +max ([0-9]+) .*/\1/p' | head -1
}

entries_equal_conntrack_c() {
	local shown want
	shown=$(shown_entries "$1")
	want=$(a conntrack -C 2>/dev/null)
	[[ -n $shown && $shown == "$want" ]]
}

# conntrack -L's flows of A as "proto src:sport dst:dport", sorted.
conntrack_flows() {
	a conntrack -L 2>/dev/null | awk '{
		p = $1; s = ""; d = ""; sp = ""; dp = ""
		for (i = 1; i <= NF; i++) {
			if (s == "" && $i ~ /^src=/) s = substr($i, 5)
			else if (d == "" && $i ~ /^dst=/) d = substr($i, 5)
			else if (sp == "" && $i ~ /^sport=/) sp = substr($i, 7)
			else if (dp == "" && $i ~ /^dport=/) dp = substr($i, 7)
		}
		if (sp != "") print p, s ":" sp, d ":" dp
	}' | sort
}

# The pane's TCP and UDP rows as "proto src dst", sorted.
shown_flows() {
	screen "$1" | awk '$1 == "tcp" || $1 == "udp" { if ($2 ~ /^[A-Z_]+$/) print $1, $3, $4; else print $1, $2, $3 }' | sort
}

flows_equal() {
	local want
	want=$(conntrack_flows)
	[[ -n $want && $(shown_flows "$1") == "$want" ]]
}

# --- setup --------------------------------------------------------------------------

[[ $EUID -eq 0 ]] || fatal setup "needs root for network namespaces"
for tool in ip tmux python3 nft conntrack setpriv; do
	command -v "$tool" >/dev/null || fatal setup "$tool not found"
done
[[ -x $NETTOP ]] || fatal setup "$NETTOP is not executable"
TMP=$(mktemp -d /tmp/nettop-ct.XXXXXX) || fatal setup "mktemp failed"
netns_add "$NSA"
netns_add "$NSB"
ip -n "$NSA" link add ct-a type veth peer name ct-b netns "$NSB" || fatal setup "veth"
ip -n "$NSA" addr add 10.44.0.1/24 dev ct-a
ip -n "$NSA" addr add 10.44.0.5/24 dev ct-a
ip -n "$NSA" link set ct-a up
ip -n "$NSA" link set lo up
ip -n "$NSA" route add 10.45.0.0/16 via 10.44.0.2
ip -n "$NSB" addr add 10.44.0.2/24 dev ct-b
ip -n "$NSB" link set ct-b up
a nft -f - <<'EOF' || fatal setup "nft masquerade"
table ip nt {
	chain post {
		type nat hook postrouting priority 100;
		oifname "ct-a" ip saddr 10.44.0.5 masquerade
	}
}
EOF
a sysctl -qw net.netfilter.nf_conntrack_acct=1 || fatal setup "nf_conntrack_acct"
# B: a TCP listener on 7400 that keeps what it accepts
ip netns exec "$NSB" python3 -c '
import socket, time
l = socket.socket()
l.bind(("10.44.0.2", 7400))
l.listen()
print("READY", flush=True)
keep = []
while True:
    c, _ = l.accept()
    keep.append(c)
    c.sendall(b"x" * 3000)' >"$TMP/b.out" 2>&1 &
PIDS+=($!)
wait_for 5000 grep -q READY "$TMP/b.out" || fatal setup "listener in B: $(cat "$TMP/b.out")"
# A: one TCP connection and one UDP flow from 10.44.0.5, both masqueraded
ip netns exec "$NSA" python3 -c '
import socket, time
t = socket.socket()
t.bind(("10.44.0.5", 0))
t.connect(("10.44.0.2", 7400))
t.sendall(b"y" * 1000)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.44.0.5", 0))
print("READY", flush=True)
while True:
    u.sendto(b"z" * 100, ("10.44.0.2", 7401))
    time.sleep(1)' >"$TMP/a.out" 2>&1 &
PIDS+=($!)
wait_for 5000 grep -q READY "$TMP/a.out" || fatal setup "flows in A: $(cat "$TMP/a.out")"
wait_for 5000 eval 'a conntrack -L --src-nat 2>/dev/null | grep -q "dport=7400"' ||
	fatal setup "no NATed TCP flow in conntrack -L: $(a conntrack -L 2>&1)"

# --- the pane --------------------------------------------------------------------------

start ct ip netns exec "$NSA" "$NETTOP" -n
wait_for "$TIMEOUT_MS" screen_has ct '10\.44\.0\.5:[0-9]+ +10\.44\.0\.2:7400' ||
	fatal "nettop draws in A" "$(screen ct | head -12)"
check "before C: no conntrack pane" '$(screen ct | head -3)' screen_lacks ct 'Conntrack flows'
tm send-keys -t ct: '?'
wait_for "$TIMEOUT_MS" screen_has ct 'any other key closes the help'
tm send-keys -t ct: NPage NPage	# C may be below the first page
check "the help lists C" '$(screen ct | tail -8)' screen_has ct '^  C +Conntrack table: '
tm send-keys -t ct: Escape
check "the help closes" '$(screen ct | tail -3)' screen_lacks ct 'any other key closes the help'
tm send-keys -t ct: C
check "C shows the conntrack pane" '$(screen ct | head -12)' screen_has ct 'Conntrack flows'
check "entries equal conntrack -C in the namespace" \
	'shown $(shown_entries ct), conntrack -C $(a conntrack -C); $(screen ct | head -3)' \
	entries_equal_conntrack_c ct
check "max is nf_conntrack_max" '$(shown_max ct) vs $(cat $MAX_FILE)' \
	eval '[[ $(shown_max ct) == $(cat $MAX_FILE) ]]'
check "the flows are conntrack -L's" \
	'conntrack -L: $(conntrack_flows | tr "\n" ";") shown: $(shown_flows ct | tr "\n" ";")' flows_equal ct
check "the TCP flow: ESTABLISHED, masqueraded to 10.44.0.1" '$(screen ct | grep -E "^ *tcp")' \
	screen_has ct 'tcp +ESTABLISHED +10\.44\.0\.5:[0-9]+ +10\.44\.0\.2:7400 +snat 10\.44\.0\.1:[0-9]+'
check "the UDP flow, masqueraded" '$(screen ct | grep -E "^ *udp")' \
	screen_has ct 'udp +10\.44\.0\.5:[0-9]+ +10\.44\.0\.2:7401 +snat 10\.44\.0\.1:'
check "accounting: the TCP flow's bytes (4000 and more both ways)" '$(screen ct | grep -E "^ *tcp")' \
	eval 'screen ct | grep -E "^ *tcp .*7400" | awk "{ exit !(\$NF + 0 >= 4000) }"'
check "counts by protocol and TCP state" '$(screen ct | sed -n 2,6p)' \
	eval 'screen_has ct "Protocols +tcp 1  udp 1" && screen_has ct "TCP states +ESTABLISHED 1"'
check "the stress statistics, quiet" '$(screen ct | sed -n 2,7p)' \
	screen_has ct 'Stress +drop 0  early_drop 0  insert_failed 0  search_restart 0'
check "top sources: 10.44.0.5 with 2 flows" '$(screen ct | sed -n 2,7p)' \
	screen_has ct 'Sources +10\.44\.0\.5 2'
check "no alert while the table is nearly empty" '$(screen ct | head -1)' screen_lacks ct 'ALERT'

# --- recorded and replayed ------------------------------------------------------------

rec_json=$(a "$NETTOP" --batch --json --conntrack --count 2 --interval 0.2 --record "$TMP/ct.rec" | tail -1)
rec_count=""
[[ $rec_json =~ \"conntrack\":\{\"count\":([0-9]+), ]] && rec_count=${BASH_REMATCH[1]}
replayed=$("$NETTOP" --batch --json --conntrack --replay "$TMP/ct.rec" | tail -1)
if [[ -n $rec_count && $replayed =~ \"conntrack\":\{\"count\":$rec_count,.*\"dport\":7400 ]]; then
	ok "--replay --json --conntrack: the recorded table and its flows"
else
	not_ok "--replay --json --conntrack: the recorded table and its flows" \
		"recorded ${rec_json:0:200}; replayed ${replayed:0:200}"
fi
start replay "$NETTOP" -n --replay "$TMP/ct.rec" --replay-pause 2
wait_for "$TIMEOUT_MS" screen_has replay 'Connections' || not_ok "the replay draws" "$(screen replay | head -5)"
tm send-keys -t replay: C
check "a replay shows the recorded conntrack pane" '$(screen replay | head -12)' \
	eval 'screen_has replay "Conntrack +entries $rec_count " &&
	      screen_has replay "tcp +ESTABLISHED +10\.44\.0\.5:[0-9]+ +10\.44\.0\.2:7400 +snat 10\.44\.0\.1:"'

# a recording made before recordings carried the table (or without it)
start oldrec "$NETTOP" -n --replay "$HERE/../fixtures/recordings/quiet.rec" --replay-pause 1
wait_for "$TIMEOUT_MS" screen_has oldrec 'Connections' || not_ok "the old recording replays" "$(screen oldrec | head -5)"
tm send-keys -t oldrec: C
check "an old recording: the pane says the table is not in it" '$(screen oldrec | head -4)' \
	screen_has oldrec 'Conntrack flows +none: not in the recording'

# --- filled to a lowered maximum -------------------------------------------------------

MAX_SAVED=$(cat "$MAX_FILE")
fill_max=$(( $(a conntrack -C) + 40 ))
echo "$fill_max" >"$MAX_FILE" || fatal "lower nf_conntrack_max" "cannot write $MAX_FILE"
# the fill, then a datagram to a new destination every 50 ms: each one
# dropped by the full table, so that every sample sees drops
ip netns exec "$NSA" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.44.0.1", 0))
i, n = 0, int(sys.argv[1])
while True:
    try:
        s.sendto(b"", ("10.45.%d.%d" % (i >> 8 & 255, i & 255), 9))
    except PermissionError:
        pass    # the full table dropped it: what the fill is for
    i += 1
    if i == n:
        print("FULL", flush=True)
    if i >= n:
        time.sleep(0.05)' $((fill_max + 20)) >"$TMP/fill.out" 2>&1 &
FILLER=$!
PIDS+=($FILLER)
wait_for 10000 grep -q FULL "$TMP/fill.out" || not_ok "the fill" "$(cat "$TMP/fill.out")"
check "the alert on screen: the table full" '$(screen ct | head -1)' \
	screen_has ct "ALERT conntrack table 100\\.0% full \\($fill_max of $fill_max\\)"
[[ -n ${SHOW_SCREEN-} ]] && screen ct >&2
check "the pane's block says the same" '$(screen ct | sed -n 2,8p)' screen_has ct 'ALERT +table 100\.0% full'
check "the drops counted, per second" '$(screen ct | sed -n 2,8p)' screen_has ct 'Stress +drop [1-9][0-9]* \+[0-9.]+/s'
json=$(a "$NETTOP" --batch --json --conntrack --count 2 --interval 0.2 | tail -1)
stop_pids "$FILLER"
max_restore
if [[ $json =~ \"conntrack\":\{\"count\":([0-9]+),\"max\":([0-9]+),\"alert\":\"full\" ]] &&
	[[ ${BASH_REMATCH[2]} == "$fill_max" ]]; then
	ok "--conntrack --json: alert \"full\" at the lowered maximum"
else
	not_ok "--conntrack --json: alert \"full\" at the lowered maximum" "${json:0:300}"
fi
if [[ $json =~ \"stats\":\{[^}]*\"drop\":([0-9]+) ]] && ((BASH_REMATCH[1] > 0)); then
	ok "--conntrack --json: the drops of the full table counted"
else
	not_ok "--conntrack --json: the drops of the full table counted" "${json:0:400}"
fi
tm send-keys -t ct: C
check "C again hides the pane" '$(screen ct | head -3)' screen_lacks ct 'Conntrack flows'
check "the connections pane is back" '$(screen ct | head -30)' screen_has ct '10\.44\.0\.5:[0-9]+ +10\.44\.0\.2:7400'

# --- without CAP_NET_ADMIN ---------------------------------------------------------------

start unpriv ip netns exec "$NSA" setpriv --bounding-set -net_admin "$NETTOP" -n --conntrack
check "without CAP_NET_ADMIN the pane says why" '$(screen unpriv | head -4)' \
	screen_has unpriv 'Conntrack flows +none: reading conntrack needs CAP_NET_ADMIN'
tm send-keys -t unpriv: C
check "and the sockets are sampled all the same" '$(screen unpriv | head -30)' \
	screen_has unpriv '10\.44\.0\.5:[0-9]+ +10\.44\.0\.2:7400'

summary
