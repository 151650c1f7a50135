#!/usr/bin/env python3
"""nettop's SYN flood view (--flood, --syn-sources) and --kill against ss, in
two private network namespaces of its own.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_flood.py
(NETTOP defaults to ./nettop at the top of the repository.)

Both namespaces have lo only, and tests/tools/synflood.c sends its SYNs to
127.0.0.1 from 127.0.0.0/8 sources only, so nothing leaves them. They are
deleted however the test ends (try/finally; SIGINT, SIGTERM and SIGHUP become
plain exits), and every process started here is stopped by its pid.

  A: tcp_syncookies=0, large queues, tcp_synack_retries=8 and an nft rule
     dropping SYN-ACKs in prerouting (priority -300), so the half-open
     entries stay for minutes: 3000 SYNs to two listeners leave 3000
     SYN_RECV sockets to compare with ss. Before the rule goes in, a few
     real connections from 127.0.0.5 and 127.0.0.6 are made there for --kill.
  B: tcp_syncookies=1 and a listener with backlog 16. The same nft rule is
     needed there too: without it every SYN-ACK reaches its (local, spoofed)
     127.0.0.0/8 destination, whose RST frees the request at once, so the SYN
     queue never fills and the kernel never sends a cookie.

Each check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

import harness
from harness import (COMMAND_TIMEOUT, HALF_OPEN_SYSCTLS, NETTOP, CheckError, LineReader, Namespace,
                     canonical_addr, check, dict_diff, format_endpoint, parse_json_lines, run_check,
                     settle, summary, usage_error)

ALL_ROWS = "--top-remote=100000"   # JSON and text list at most top-remote sources

# Namespace A: two listeners, one on an address, one on the wildcard.
A_PORT_ADDR, A_PORT_ANY, A_PORT_KILL = 8080, 9090, 7070
A_FLOODS = [  # (port, count, first source, sources); the second crosses a /24
    (A_PORT_ADDR, 2000, "127.0.0.10", 200),
    (A_PORT_ANY, 1000, "127.1.0.250", 20),
]
A_SYN_RECV = sum(f[1] for f in A_FLOODS)
KILL_ADDR, KEEP_ADDR, KILL_CONNS = "127.0.0.5", "127.0.0.6", 3

# Namespace B: the burst, a quarter of it from one source.
B_PORT, B_BACKLOG, B_SYNS = 8080, 16, 4000
B_HEAVY, B_FRACTION, B_FIRST, B_SOURCES = "127.0.0.99", 0.25, "127.0.1.1", 200
B_SYN_RECV_SLACK = 4

# Runs inside a namespace: the listeners and connections of a JSON spec,
# then "READY", then holds them until its stdin closes or it is killed.
HELPER = r"""
import json, socket, sys
spec = json.loads(sys.argv[1])
held = []
for addr, port, backlog in spec.get("listeners", []):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    held.append(s)
for port, src, n in spec.get("connections", []):
    for _ in range(n):
        c = socket.socket()
        c.bind((src, 0))
        c.connect(("127.0.0.1", port))
        held.append(c)
listeners = {s.getsockname()[1]: s for s in held[:len(spec.get("listeners", []))]}
for port, src, n in spec.get("connections", []):
    for _ in range(n):
        held.append(listeners[port].accept()[0])
print("READY", flush=True)
sys.stdin.read()
"""


# ---------------------------------------------------------------- namespaces and processes

class FloodNamespace(Namespace):
    def __init__(self, tag):
        super().__init__(f"nettop-flood-{tag}-{os.getpid()}")

    def helper(self, spec):
        """Starts HELPER with spec and waits for its READY line."""
        proc = self.popen([sys.executable, "-c", HELPER, json.dumps(spec)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
        lines = LineReader(proc.stdout)
        if lines.get(15) != "READY":
            stop(proc, close=False)
            err = proc.stderr.read()
            raise CheckError(f"helper in {self.name} did not start: {err.strip()[-300:]}")
        return proc


stop = harness.stop_process


# ---------------------------------------------------------------- ss and nettop

def endpoint(text):
    """'addr:port' (ss prints IPv4 here) -> (addr, port)."""
    addr, _, port = text.rpartition(":")
    return canonical_addr(addr.partition("%")[0]), int(port)


def ss_syn_recv(ns):
    """(local, peer) endpoints of every SYN_RECV socket, from ss."""
    rows = []
    for line in ns.output(["ss", "-Htan", "state", "syn-recv"]).splitlines():
        local, peer = line.split()[2:4]
        rows.append((endpoint(local), endpoint(peer)))
    return rows


def ss_listeners(ns):
    """{local endpoint: (recv_q, send_q)} of the TCP listeners, from ss."""
    out = {}
    for line in ns.output(["ss", "-Hltn"]).splitlines():
        _, recv_q, send_q, local = line.split()[:4]
        addr, port = local.rpartition(":")[0], int(local.rpartition(":")[2])
        addr = "0.0.0.0" if addr == "*" else addr
        out[endpoint(f"{addr}:{port}")] = (int(recv_q), int(send_q))
    return out


def ss_tcp(ns):
    """(state, local, peer) of every TCP socket, from ss."""
    rows = []
    for line in ns.output(["ss", "-Htan"]).splitlines():
        state, _, _, local, peer = line.split()[:5]
        if ":" in local and not peer.endswith(":*"):
            rows.append((state, endpoint(local), endpoint(peer)))
    return rows


def nettop_json(ns, *args):
    return parse_json_lines(ns.output([NETTOP, "--batch", "--json", *args]))


def flood_sample(ns, *args):
    samples = nettop_json(ns, "--count", "1", ALL_ROWS, *args)
    if len(samples) != 1 or "flood" not in samples[0]:
        raise CheckError(f"want one sample with a flood object, got {str(samples)[:300]}")
    return samples[0]["flood"]


def network(addr, prefix):
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False).network_address)


def most_first(rows, key):
    counts = [r[key] for r in rows]
    return counts == sorted(counts, reverse=True)


# ---------------------------------------------------------------- checks

class World:
    """What the checks share: namespaces, tools, and what was measured."""
    tmp = None
    synflood = None
    a = None
    b = None
    b_samples = None
    b_ss_syn_recv = None


W = World()


def synflood(ns, port, count, first, sources, heavy=None, fraction=None):
    argv = [W.synflood, "-p", port, "-n", count, "-s", first, "-k", sources]
    if heavy:
        argv += ["-H", heavy, "-f", fraction]
    ns.run(argv)


def wait_for_syn_recv(ns, want, timeout=10):
    """ss's SYN_RECV count once it reaches want or stops growing."""
    return len(settle(lambda: ss_syn_recv(ns), want, timeout, 0.2))


def setup_a():
    W.a = FloodNamespace("a")
    W.a.create(HALF_OPEN_SYSCTLS)
    W.a.helper({
        "listeners": [["127.0.0.1", A_PORT_ADDR, 65535], ["0.0.0.0", A_PORT_ANY, 65535],
                      ["127.0.0.1", A_PORT_KILL, 64]],
        "connections": [[A_PORT_KILL, KILL_ADDR, KILL_CONNS], [A_PORT_KILL, KEEP_ADDR, KILL_CONNS]],
    })
    # Only now: the connections above needed their SYN-ACKs.
    W.a.drop_synacks()
    for port, count, first, sources in A_FLOODS:
        synflood(W.a, port, count, first, sources)
    wait_for_syn_recv(W.a, A_SYN_RECV)


@check("A: ss sees a SYN_RECV socket for every SYN sent (the setup holds)")
def check_a_setup():
    n = len(ss_syn_recv(W.a))
    return None if n == A_SYN_RECV else f"ss counts {n} SYN_RECV, want {A_SYN_RECV}"


@check("A: flood.syn_recv equals ss -Htan state syn-recv | wc -l")
def check_a_total():
    flood, ss = flood_sample(W.a), ss_syn_recv(W.a)
    if flood["syn_recv"] != len(ss):
        return f"flood.syn_recv {flood['syn_recv']}, ss {len(ss)}"
    return None


def ss_per_listener(ns):
    """{listener endpoint: (SYN_RECV, recv_q, send_q)}: each request counted on
    the listener on its own address and port, else on the wildcard one."""
    listeners = ss_listeners(ns)
    counts = Counter()
    for local, _ in ss_syn_recv(ns):
        counts[local if local in listeners else ("0.0.0.0", local[1])] += 1
    return {format_endpoint(*ep): (n, *listeners[ep]) for ep, n in counts.items()}


@check("A: per-listener syn_recv, accept_queue, backlog equal ss per local addr:port")
def check_a_listeners():
    flood, expected = flood_sample(W.a), ss_per_listener(W.a)
    actual = {l["local"]: (l["syn_recv"], l["accept_queue"], l["backlog"])
              for l in flood["listeners"]}
    if len(actual) != len(flood["listeners"]):
        return f"a listener is listed twice: {flood['listeners']}"
    if not most_first(flood["listeners"], "syn_recv"):
        return f"listeners not sorted most first: {flood['listeners']}"
    return dict_diff(expected, actual)


def source_check(prefix, *args):
    def run_check():
        flood, ss = flood_sample(W.a, *args), ss_syn_recv(W.a)
        expected = Counter(f"{network(peer[0], prefix)}/{prefix}" for _, peer in ss)
        actual = {f"{s['addr']}/{s['prefix']}": s["syn_recv"] for s in flood["sources"]}
        if len(actual) != len(flood["sources"]):
            return "a source is listed twice"
        if not most_first(flood["sources"], "syn_recv"):
            return "sources not sorted most first"
        return dict_diff(dict(expected), actual)
    return run_check


check("A: flood.sources (by address) equal ss grouped by peer address")(source_check(32))
check("A: --flood=net flood.sources (/24) equal ss grouped by peer /24")(
    source_check(24, "--flood=net"))


@check("A: the alert is raised with cause SYN_RECV")
def check_a_alert():
    flood = flood_sample(W.a)
    causes = flood["causes"].split(", ") if flood["causes"] else []
    if flood["alert"] is not True or "SYN_RECV" not in causes:
        return f"alert {flood['alert']!r}, causes {flood['causes']!r}"
    return None


HEADER_RE = re.compile(r"SYN flood: (?:quiet|ALERT \((?P<causes>[^)]*)\)), (?P<n>\d+) SYN_RECV$")
LISTENER_RE = re.compile(r" *(\d+) +(\d+) +(\d+)  (\S+)$")
SOURCE_RE = re.compile(r" *(\d+) (\S+/\d+)$")


def parse_text_flood(text):
    """The --flood section of a text listing -> (alert, causes, syn_recv,
    {listener: (syn_recv, accept_q, backlog)}, {source/prefix: syn_recv})."""
    lines = iter(text.splitlines())
    for line in lines:
        header = HEADER_RE.match(line)
        if header:
            break
    else:
        raise CheckError(f"no 'SYN flood: ...' line in {text[:300]!r}")
    listeners, sources, section = {}, {}, None
    for line in lines:
        if line == "Listeners under SYN_RECV":
            section = "listeners"
        elif line == "SYN_RECV sources":
            section = "sources"
        elif section is None and line.startswith("  "):
            pass        # a counter's rate
        elif section == "listeners" and line.split()[:1] == ["SYN_RECV"]:
            pass        # the column titles
        elif section == "listeners" and LISTENER_RE.match(line):
            n, accept_q, backlog, local = LISTENER_RE.match(line).groups()
            listeners[local] = (int(n), int(accept_q), int(backlog))
        elif section == "sources" and SOURCE_RE.match(line):
            n, source = SOURCE_RE.match(line).groups()
            sources[source] = int(n)
        else:
            break       # the next section
    causes = header.group("causes")
    return causes is not None, causes or "", int(header.group("n")), listeners, sources


def text_check(*args):
    def run_check():
        for attempt in range(2):
            text = W.a.output([NETTOP, "--batch", ALL_ROWS, *args])
            flood = flood_sample(W.a, *args)
            expected = (flood["alert"], flood["causes"], flood["syn_recv"],
                        {l["local"]: (l["syn_recv"], l["accept_queue"], l["backlog"])
                         for l in flood["listeners"]},
                        {f"{s['addr']}/{s['prefix']}": s["syn_recv"] for s in flood["sources"]})
            actual = parse_text_flood(text)
            if actual == expected:
                return None
        names = ("alert", "causes", "syn_recv", "listeners", "sources")
        return "\n".join(f"{k}: json {e!r:.200}, text {a!r:.200}"
                         for k, e, a in zip(names, expected, actual) if e != a)
    return run_check


check("A: text --flood section agrees with JSON")(text_check("--flood"))
check("A: text --flood=net section agrees with JSON")(text_check("--flood=net"))


def kill_sockets(addr, rows):
    return Counter(r for r in rows if addr in (r[1][0], r[2][0]))


def parse_closed(stdout):
    """The sockets --kill printed: netstat rows under 'Closed sockets'."""
    rows = []
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[0].startswith("tcp"):
            rows.append((endpoint(parts[3]), endpoint(parts[4])))
    return rows


@check("--kill -f 'addr 127.0.0.5' closes exactly ss's 127.0.0.5 sockets (both ends)")
def check_kill():
    before = ss_tcp(W.a)
    doomed, kept = kill_sockets(KILL_ADDR, before), kill_sockets(KEEP_ADDR, before)
    others = Counter(before) - doomed
    if sum(doomed.values()) != 2 * KILL_CONNS or sum(kept.values()) != 2 * KILL_CONNS:
        return f"setup: ss lists {dict(doomed)} with {KILL_ADDR}, {dict(kept)} with {KEEP_ADDR}"
    result = W.a.run([NETTOP, "--kill", "-f", f"addr {KILL_ADDR}"], check=False)
    problems = []
    if result.returncode != 0:
        problems.append(f"exit status {result.returncode}: {result.stderr.strip()[:200]}")
    after = Counter(ss_tcp(W.a))
    left = kill_sockets(KILL_ADDR, after)
    if left:
        problems.append(f"still open with {KILL_ADDR}: {sorted(left)}")
    # SYN_RECV entries of A's flood retransmit on their own clock and may
    # not all be there at once: compare everything else exactly.
    lost = {k: v for k, v in (others - after).items() if k[0] != "SYN-RECV"}
    if lost:
        problems.append(f"closed sockets it should not have: {sorted(lost)[:10]}")
    printed = parse_closed(result.stdout)
    doomed_pairs = Counter((r[1], r[2]) for r in doomed.elements())
    if Counter(printed) - doomed_pairs:
        problems.append(f"printed sockets ss did not list with {KILL_ADDR}: "
                        f"{sorted(Counter(printed) - doomed_pairs)}")
    # A closed socket's reset closes its peer: nettop counts those as closed meanwhile.
    closed = re.search(r"closed (\d+) sockets?", result.stderr)
    meanwhile = re.search(r"(\d+) closed meanwhile", result.stderr)
    closed = int(closed.group(1)) if closed else 0
    meanwhile = int(meanwhile.group(1)) if meanwhile else 0
    if closed != len(printed) or closed + meanwhile != sum(doomed.values()) or not closed:
        problems.append(f"stderr {result.stderr.strip()!r}, {len(printed)} printed; want "
                        f"closed + closed meanwhile = {sum(doomed.values())}")
    return "; ".join(problems)


@check("--kill without a filter exits 2 with a message")
def check_kill_needs_filter():
    return usage_error(W.a.run([NETTOP, "--kill"], check=False))


def setup_b():
    W.b = FloodNamespace("b")
    W.b.create({"net.ipv4.tcp_syncookies": 1, "net.ipv4.tcp_synack_retries": 8})
    W.b.drop_synacks()
    W.b.helper({"listeners": [["127.0.0.1", B_PORT, B_BACKLOG]]})
    nettop = W.b.popen([NETTOP, "--batch", "--syn-sources", "--count", 3, "--interval", 1,
                        "--json"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    lines = LineReader(nettop.stdout)
    samples = [lines.get(COMMAND_TIMEOUT)]
    # The first sample opened the SYN counter: the burst lands in the next.
    if samples[0] is not None:
        synflood(W.b, B_PORT, B_SYNS, B_FIRST, B_SOURCES, B_HEAVY, B_FRACTION)
        W.b_ss_syn_recv = len(ss_syn_recv(W.b))
        samples += [lines.get(COMMAND_TIMEOUT) for _ in range(2)]
    try:
        nettop.wait(timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop(nettop)
    err = nettop.stderr.read()
    if nettop.returncode != 0 or None in samples:
        raise CheckError(f"nettop --syn-sources exited {nettop.returncode} after "
                         f"{sum(s is not None for s in samples)} samples: {err.strip()[:300]}")
    W.b_samples = [json.loads(s) for s in samples]


def b_samples():
    if W.b_samples is None:
        raise CheckError("namespace B's run did not complete (see above)")
    return W.b_samples


@check("B: --syn-sources: the alert rises with cause syncookies in some sample")
def check_b_alert():
    floods = [s["flood"] for s in b_samples()]
    if any(f["alert"] and "syncookies" in f["causes"].split(", ") for f in floods):
        return None
    return "; ".join(f"alert {f['alert']} causes {f['causes']!r}" for f in floods)


@check("B: SYN_RECV stays small (<= backlog + a few) in nettop and ss")
def check_b_small():
    counts = [s["flood"]["syn_recv"] for s in b_samples()]
    limit = B_BACKLOG + B_SYN_RECV_SLACK
    if max(counts) > limit or W.b_ss_syn_recv > limit:
        return f"nettop {counts}, ss {W.b_ss_syn_recv}; want <= {limit}"
    cookies = sum(s.get("tcp_rates", {}).get("syncookies_sent", 0) for s in b_samples())
    return None if cookies > 0 else "tcp_rates.syncookies_sent never above 0"


def heavy_share():
    """How many of synflood's SYNs come from the heavy source (its own stride)."""
    return sum((i * 7919) % 10000 < B_FRACTION * 10000 for i in range(B_SYNS))


@check("B: the source that sent a quarter of the SYNs is first in syn_packets")
def check_b_heavy():
    floods = [s["flood"] for s in b_samples()]
    if any("syn_packets" not in f for f in floods):
        return "a sample has no syn_packets"
    busiest = max(floods, key=lambda f: f["syn_packets_total"])
    top = busiest["syn_packets"][:1]
    total = sum(f["syn_packets_total"] for f in floods)
    dropped = sum(f["syn_packets_dropped"] for f in floods)
    problems = []
    if not top or top[0]["addr"] != B_HEAVY:
        problems.append(f"first is {top}, want {B_HEAVY}; top 3 {busiest['syn_packets'][:3]}")
    # The burst may straddle two samples when they run late: add them up.
    heavy = sum(p["packets"] for f in floods for p in f["syn_packets"] if p["addr"] == B_HEAVY)
    if not dropped and heavy != heavy_share():
        problems.append(f"{B_HEAVY} counted {heavy}, sent {heavy_share()}")
    if not most_first(busiest["syn_packets"], "packets"):
        problems.append("syn_packets not sorted most first")
    if total + dropped != B_SYNS:
        problems.append(f"counted {total} + dropped {dropped}, sent {B_SYNS}")
    return "; ".join(problems)


# ---------------------------------------------------------------- runner

def setup(name, fn):
    """A setup step as a check of its own, so its failure is reported, not raised."""
    return run_check(f"setup: {name}", lambda: fn() or None)


def build_synflood():
    W.synflood = harness.build_synflood(W.tmp)


def main():
    if not harness.may_start("network namespaces, nft and raw sockets"):
        return 1
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-flood.")
        results.append(setup("build synflood", build_synflood))
        if results[-1]:
            results.append(setup("namespace A: listeners, connections, 3000 SYNs", setup_a))
            a_ready = results[-1]
            results.append(setup("namespace B: a 4000-SYN burst under --syn-sources", setup_b))
            b_ready = results[-1]
            for name, fn in harness.CHECKS:
                if name.startswith("B:") and not b_ready:
                    continue
                if not name.startswith("B:") and not a_ready:
                    continue
                results.append(run_check(name, fn))
    finally:
        harness.cleanup(W.tmp, stop)
    return summary(results)


if __name__ == "__main__":
    sys.exit(main())
