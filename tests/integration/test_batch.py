#!/usr/bin/env python3
"""nettop's batch and JSON output against ss and netstat, in a private namespace.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_batch.py
(NETTOP defaults to ./nettop at the top of the repository.)

Started on its own, it re-runs itself under `bash lib.sh run`, which builds
the namespace and sockmix's socket mix and tears them down afterwards. Each
check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import difflib
import ipaddress
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
NETTOP = os.path.abspath(os.environ.get("NETTOP", HERE.parent.parent / "nettop"))
COMMAND_TIMEOUT = 30
# TIME_WAIT sockets vanish 60 s after sockmix made them; past this the mix is
# no longer the one described, and a failure may be the clock's fault.
MIX_LIFETIME = 55
STARTED = time.monotonic()

TCP_STATES = ["ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
              "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN",
              "CLOSING", "UNKNOWN"]
SS_STATES = {
    "ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
    "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2", "TIME-WAIT": "TIME_WAIT",
    "UNCONN": "CLOSE", "CLOSE": "CLOSE", "CLOSE-WAIT": "CLOSE_WAIT",
    "LAST-ACK": "LAST_ACK", "LISTEN": "LISTEN", "CLOSING": "CLOSING",
}
WILDCARD = {4: "0.0.0.0", 6: "::"}

# The guide's pipelines, with "$X" standing for netstat or nettop.
PIPELINES = {
    "state counts (awk array)":
        """"$X" -n | awk '/^tcp/ {++S[$NF]} END {for(a in S) print a, S[a]}' | sort""",
    "state counts (uniq -c)":
        """"$X" -n | awk '/^tcp/ {print $NF}' | sort | uniq -c | sort -rn""",
    "state counts -natlp":
        """"$X" -natlp | awk '{print $6}' | sort | uniq -c | sort -rn""",
    "sources of :80 (-ant awk)":
        """"$X" -ant | awk '/:80/{split($5,ip,":");++A[ip[1]]}END{for(i in A) print A[i],i}'"""
        """ | sort -rn | head -20""",
    "sources of 80 (-anpl grep)":
        """"$X" -anpl | grep 80 | grep tcp | awk '{print $5}' | awk -F: '{print $1}'"""
        """ | sort | uniq -c | sort -nr | head -20""",
}


class CheckError(Exception):
    """A check's failure, with the detail to print."""


# ---------------------------------------------------------------- commands

def ns_run(argv, env=None):
    """Runs argv in the test namespace; never waits forever, never reads our stdin."""
    return subprocess.run(["ip", "netns", "exec", os.environ["NETTOP_IT_NS"], *argv],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=COMMAND_TIMEOUT, env=env)


def ns_output(argv, env=None):
    result = ns_run(argv, env)
    if result.returncode != 0:
        raise CheckError(f"{' '.join(map(str, argv))} exited {result.returncode}: "
                         f"{result.stderr.strip()[:300]}")
    return result.stdout


def ns_shell(script, tool=None):
    """Runs a shell pipeline, with $X set to tool (netstat or nettop) if given."""
    env = {**os.environ, "X": tool} if tool else None
    return ns_output(["bash", "-c", script], env)


def nettop_json(*args):
    """Every JSON sample a batch run of nettop prints."""
    out = ns_output([NETTOP, "--batch", *args, "--json"])
    try:
        return [json.loads(line) for line in out.splitlines()]
    except ValueError as e:
        raise CheckError(f"nettop printed invalid JSON ({e}): {out[:300]!r}") from None


def nettop_sample():
    samples = nettop_json("--count", "1")
    if len(samples) != 1:
        raise CheckError(f"--count 1 printed {len(samples)} samples")
    return samples[0]


# ---------------------------------------------------------------- addresses

def split_endpoint(text):
    """'addr:port' or '[addr]:port' -> (addr, port), or None."""
    if text.startswith("["):
        addr, sep, port = text[1:].partition("]:")
    else:
        addr, sep, port = text.rpartition(":")
    return (addr, port) if sep else None


def canonical_addr(addr):
    """One spelling per address (ss and nettop may compress IPv6 differently)."""
    return ipaddress.ip_address(addr.strip("[]")).compressed


def format_endpoint(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def ss_endpoint(text, family):
    """ss's forms ("*:8080", "0.0.0.0:*", "[::1]:9090", "1.2.3.4%lo:53") made canonical."""
    addr, port = split_endpoint(text)
    addr = addr.partition("%")[0]
    addr = WILDCARD[family] if addr == "*" else canonical_addr(addr)
    return format_endpoint(addr, 0 if port == "*" else int(port))


def json_endpoint(text, family):
    """nettop's endpoint made canonical; anything off-format stays as is, to show in a diff."""
    parts = split_endpoint(text)
    try:
        addr = ipaddress.ip_address(parts[0])
        bracketed = text.startswith("[")
        if addr.version == family and bracketed == (family == 6):
            return format_endpoint(addr.compressed, int(parts[1]))
    except (TypeError, ValueError):
        pass
    return f"malformed:{text}"


# ---------------------------------------------------------------- socket lists

def ss_sockets():
    """(proto, family, state, local, remote) for every TCP/UDP socket, from ss."""
    sockets = []
    for family in (4, 6):
        for line in ns_output(["ss", "-tuanH", f"-{family}"]).splitlines():
            proto, state, _, _, local, remote = line.split()[:6]
            sockets.append((proto, family, SS_STATES.get(state, state),
                            ss_endpoint(local, family), ss_endpoint(remote, family)))
    return sockets


def json_sockets(sample):
    return [(s["proto"], s["family"], s["state"],
             json_endpoint(s["local"], s["family"]), json_endpoint(s["remote"], s["family"]))
            for s in sample["sockets"]]


def tcp_state_counts(sockets):
    counts = Counter(s[2] for s in sockets if s[0] == "tcp")
    return {state: counts.get(state, 0) for state in TCP_STATES}


def remote_addr(sock):
    return canonical_addr(split_endpoint(sock[4])[0])


def tcp_remotes(sockets, family):
    """TCP sockets of family with a real (non-wildcard) remote address."""
    return [s for s in sockets
            if s[0] == "tcp" and s[1] == family and remote_addr(s) != WILDCARD[family]]


# ---------------------------------------------------------------- diffs

def show_socket(sock):
    proto, family, state, local, remote = sock
    return f"{proto}{family} {state} {local} -> {remote}"


def multiset_diff(expected, actual, show=str, limit=20):
    """'' when equal, else what actual lacks (-) and has in excess (+)."""
    expected, actual = Counter(expected), Counter(actual)
    lines = [f"- {show(x)}" + (f" (x{n})" if n > 1 else "") for x, n in (expected - actual).items()]
    lines += [f"+ {show(x)}" + (f" (x{n})" if n > 1 else "") for x, n in (actual - expected).items()]
    return "\n".join(sorted(lines)[:limit])


def lines_diff(expected, actual, limit=30):
    diff = list(difflib.unified_diff(expected, actual, "netstat", "nettop", lineterm="", n=1))
    return "\n".join(diff[:limit])


def dict_diff(expected, actual):
    keys = sorted(set(expected) | set(actual), key=str)
    return "\n".join(f"{k}: expected {expected.get(k)}, got {actual.get(k)}"
                     for k in keys if expected.get(k) != actual.get(k))


# ---------------------------------------------------------------- checks

CHECKS = []


def check(name):
    def register(fn):
        CHECKS.append((name, fn))
        return fn
    return register


def retried(fn, attempts=3):
    """Runs fn until it passes: two dumps taken a moment apart may straddle a change."""
    def run():
        for attempt in range(attempts):
            detail = fn()
            if not detail:
                return None
            if attempt + 1 < attempts:
                time.sleep(0.3)
        return detail
    return run


@check("mix: ss sees every socket sockmix built")
def check_mix():
    mix = json.loads(os.environ["NETTOP_IT_MIX"])
    sockets = ss_sockets()
    expected = {state: mix["tcp"].get(state, 0) for state in TCP_STATES}
    udp = dict(Counter(s[2] for s in sockets if s[0] == "udp"))
    diffs = [dict_diff(expected, tcp_state_counts(sockets)), dict_diff(mix["udp"], udp)]
    return "\n".join(d for d in diffs if d)


@check("json sockets equal ss -tuan")
@retried
def check_sockets():
    sample, sockets = nettop_sample(), ss_sockets()
    return multiset_diff(sockets, json_sockets(sample), show_socket)


@check("json states equal ss per-state TCP counts")
@retried
def check_states():
    sample, sockets = nettop_sample(), ss_sockets()
    states = sample["states"]
    if sorted(states) != sorted(TCP_STATES):
        return f"keys are {sorted(states)}, want the 12 netstat states"
    return dict_diff(tcp_state_counts(sockets), states)


def guide_top_remote_v4():
    """(addr, count) from the guide's netstat pipeline, IPv4 rows only."""
    out = ns_shell("""netstat -an | awk '/^tcp/ {split($5,a,":"); print a[1]}'"""
                   """ | sort | uniq -c | sort -rn""")
    rows = []
    for line in out.splitlines():
        count, _, addr = line.strip().partition(" ")
        try:
            if ipaddress.ip_address(addr).version == 4 and addr != WILDCARD[4]:
                rows.append((addr, int(count)))
        except ValueError:  # tcp6 rows: the pipeline cuts "::1:9090" to ""
            pass
    return rows


def json_top_remote(sample):
    return [(canonical_addr(r["addr"]), r["connections"]) for r in sample["top_remote"]]


@check("json top_remote equals the guide's netstat pipeline (IPv6 from ss)")
@retried
def check_top_remote():
    sample = nettop_sample()
    # The mix has no IPv4-mapped IPv6 remotes, so IPv4 and IPv6 rows never merge.
    v6 = Counter(remote_addr(s) for s in tcp_remotes(ss_sockets(), 6))
    expected = guide_top_remote_v4() + list(v6.items())
    actual = json_top_remote(sample)
    counts = [n for _, n in actual]
    if counts != sorted(counts, reverse=True):
        return f"not sorted by connections, most first: {actual}"
    return multiset_diff(expected, actual)


@check("json top_remote state split equals ss")
@retried
def check_top_remote_states():
    sample, sockets = nettop_sample(), ss_sockets()
    expected = {}
    for sock in tcp_remotes(sockets, 4) + tcp_remotes(sockets, 6):
        expected.setdefault(remote_addr(sock), Counter())[sock[2]] += 1
    expected = {addr: dict(split) for addr, split in expected.items()}
    actual = {canonical_addr(r["addr"]): {k: v for k, v in r["states"].items() if v}
              for r in sample["top_remote"]}
    return dict_diff(expected, actual)


def find_interface(sample, name):
    found = [i for i in sample["interfaces"] if i["name"] == name]
    if not found:
        raise CheckError(f"no interface {name!r} in {[i['name'] for i in sample['interfaces']]}")
    return found[0]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@check("json interfaces: lo has received bytes and packets")
def check_interfaces():
    lo = find_interface(nettop_sample(), "lo")
    if not (is_number(lo["rx_bytes"]) and lo["rx_bytes"] > 0
            and is_number(lo["rx_packets"]) and lo["rx_packets"] > 0):
        return f"lo rx_bytes={lo['rx_bytes']!r} rx_packets={lo['rx_packets']!r}"
    return None


@check("json --count 2 --interval 0.5: second sample has rates")
def check_rates():
    samples = nettop_json("--count", "2", "--interval", "0.5")
    if len(samples) != 2:
        return f"{len(samples)} lines, want 2"
    first, second = samples
    problems = []
    if first.get("interval", "missing") is not None:
        problems.append(f"first interval is {first.get('interval', 'missing')!r}, want null")
    if not is_number(second.get("interval")) or second["interval"] <= 0:
        problems.append(f"second interval is {second.get('interval')!r}, want a positive number")
    rx_bps = find_interface(second, "lo").get("rx_bps")
    if not is_number(rx_bps):
        problems.append(f"second sample lo rx_bps is {rx_bps!r}, want a number")
    return "; ".join(problems)


def pipeline_check(script):
    def run():
        expected = sorted(ns_shell(script, "netstat").splitlines())
        actual = sorted(ns_shell(script, NETTOP).splitlines())
        return lines_diff(expected, actual)
    return run


for _name, _script in PIPELINES.items():
    check(f"pipeline: {_name}")(retried(pipeline_check(_script)))


def without_unix_section(lines):
    """netstat's listing without its UNIX domain part (nettop lists TCP and UDP only)."""
    kept, skipping = [], False
    for line in lines:
        if line.startswith("Active "):
            skipping = line.startswith("Active UNIX domain sockets")
        if not skipping:
            kept.append(line)
    return kept


def listing_check(flags, columns=None):
    """Compares whole listings as sorted sets of lines, runs of spaces squeezed."""
    def normalised(tool):
        lines = without_unix_section(ns_shell(f'"$X" {flags}', tool).splitlines())
        return sorted(" ".join(line.split()[:columns]) for line in lines if line.strip())

    def run():
        return lines_diff(normalised("netstat"), normalised(NETTOP))
    return run


check("listing: -ltn")(retried(listing_check("-ltn")))
check("listing: -an")(retried(listing_check("-an")))
check("listing: -antp, columns 1-6")(retried(listing_check("-antp", columns=6)))


def bad_input_check(args):
    def run():
        result = ns_run([NETTOP, *args])
        problems = []
        if result.returncode != 2:
            problems.append(f"exit status {result.returncode}, want 2")
        if not result.stderr.strip():
            problems.append("no message on stderr")
        if result.stdout:
            problems.append(f"stdout not empty: {result.stdout[:100]!r}")
        return "; ".join(problems)
    return run


for _args in (["--bogus"], ["--count", "0"], ["--interval", "abc"], ["--interval", "-1"]):
    check(f"bad input: {' '.join(_args)}")(bad_input_check(_args))


# ---------------------------------------------------------------- runner

def run_check(name, fn):
    try:
        detail = fn()
    except CheckError as e:
        detail = str(e)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            subprocess.TimeoutExpired) as e:
        detail = f"{type(e).__name__}: {e}"
    if not detail:
        print(f"ok - {name}", flush=True)
        return True
    if time.monotonic() - STARTED > MIX_LIFETIME:
        detail += "\n(the mix is older than TIME_WAIT's 60 s: it may have changed)"
    first, *rest = detail.splitlines()
    print(f"not ok - {name}: {first}", flush=True)
    for line in rest:
        print(f"#   {line}", flush=True)
    return False


def run_all():
    results = [run_check(name, fn) for name, fn in CHECKS]
    passed = results.count(True)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


def main():
    if not os.access(NETTOP, os.X_OK):
        print(f"not ok - nettop is executable: {NETTOP} is missing or not executable")
        print("0 passed, 1 failed")
        return 1
    if "NETTOP_IT_NS" not in os.environ:
        # lib.sh owns the namespace's life: it deletes it however we exit.
        os.execvp("bash", ["bash", str(HERE / "lib.sh"), "run",
                           sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])
    return run_all()


if __name__ == "__main__":
    sys.exit(main())
