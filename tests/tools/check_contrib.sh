#!/bin/sh
# check_contrib.sh: what contrib/ ships for a fleet holds up: the alert
# rules pass their promtool tests, every Grafana panel's query parses as
# PromQL, and the systemd unit names a nettop option set nettop accepts.
# Usage: sh tests/tools/check_contrib.sh NETTOP. Prints ok/not ok lines and
# "N passed, M failed".
set -u
nettop=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
passed=0
failed=0
tmp=$(mktemp -d /tmp/nettop-contrib.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

result() {
	if [ "$2" = 0 ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1: $(head -c 600 "$tmp/out")"
		failed=$((failed + 1))
	fi
}

if ! command -v promtool >/dev/null 2>&1; then
	echo "not ok - promtool is installed (Debian: prometheus; make deps)"
	echo "0 passed, 1 failed"
	exit 1
fi
(cd "$root/contrib" && promtool test rules nettop.rules.test.yml) >"$tmp/out" 2>&1
result "promtool test rules contrib/nettop.rules.test.yml" $?

# each panel's query as a recording rule: promtool parses it
python3 - "$root/contrib/nettop-grafana.json" >"$tmp/panels.yml" 2>"$tmp/out" <<'PY'
import json, sys
dash = json.load(open(sys.argv[1]))
print("groups:\n  - name: panels\n    rules:")
for p in dash["panels"]:
    for t in p["targets"]:
        expr = t["expr"].replace("$instance", ".*").replace("$netns", ".*")
        print(f"      - record: panel_{p['id']}_{t['refId']}\n        expr: {json.dumps(expr)}")
PY
[ $? = 0 ] && promtool check rules "$tmp/panels.yml" >"$tmp/out" 2>&1
result "every Grafana panel's query parses (promtool check rules)" $?

# the unit's command line runs: one sample, served on a port of our own
port=$((20000 + $$ % 20000))
args=$(sed -n 's|^ExecStart=/usr/local/bin/nettop ||p' "$root/contrib/nettop.service" |
	sed "s|--listen [^ ]*|--listen 127.0.0.1:$port|; s|--interval [^ ]*|--interval 0.2|")
# shellcheck disable=SC2086
timeout 30 "$nettop" $args --count 1 >"$tmp/out" 2>&1
result "contrib/nettop.service's command line runs (exit 0)" $?

echo "$passed passed, $failed failed"
[ $failed = 0 ]
