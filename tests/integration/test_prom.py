#!/usr/bin/env python3
"""nettop's Prometheus export (--prometheus, --listen, --prometheus-top) and
--netns, against promtool and ss, in private network namespaces.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_prom.py [WORD...]
(NETTOP defaults to ./nettop at the top of the repository; WORDs, if given,
run only the checks whose names contain one of them.)

Started on its own, it re-runs itself under `bash lib.sh run`, which builds
the namespace and sockmix's socket mix and tears them down afterwards. The
flood checks build a second namespace of their own (lo only): tcp_syncookies=0,
large queues, tcp_synack_retries=8 and an nft rule dropping SYN-ACKs in
prerouting, so that tests/tools/synflood.c's 10000 SYNs from 10000 distinct
127.0.0.0/8 sources stay as 10000 SYN_RECV sockets. That namespace is deleted
however the test ends (try/finally; SIGINT, SIGTERM and SIGHUP become plain
exits), and every process started here is stopped by its pid.

Nothing here is timed: scrape latency belongs to `make bench` (bench/scrape.sh).

Each check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter

import harness
from harness import (COMMAND_TIMEOUT, HALF_OPEN_SYSCTLS, NETTOP, SS_STATES, STARTED, TCP_STATES,
                     WILDCARD, CheckError, Namespace, canonical_addr, check, dict_diff,
                     exit_on_signals, main, retried, run, run_check, settle, split_endpoint,
                     ss_endpoint, summary, usage_error)

HTTP_TIMEOUT = 15           # how long --listen may take to answer its first scrape
PROMTOOL = shutil.which("promtool")

FLOOD_PORT = 8080
REUSEPORT_PORT = 8081       # two listeners, one series
FLOOD_SYNS = 10000
FLOOD_SOURCES = 10000
DEFAULT_TOP = 20

# Runs inside the flood namespace: the flooded listener and two SO_REUSEPORT
# listeners sharing another port, "READY", then holds them until its stdin
# closes or it is killed.
LISTENER = r"""
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(int(sys.argv[2]))
pair = []
for backlog in (16, 32):
    p = socket.socket()
    p.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    p.bind(("127.0.0.1", int(sys.argv[3])))
    p.listen(backlog)
    pair.append(p)
print("READY", flush=True)
sys.stdin.read()
"""

# Prints a TCP port nothing in the current namespace listens on.
FREE_PORT = r"""
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
"""

# Runs inside the namespace: argv[2:] source addresses each open argv[1]
# connections to 127.0.0.1:PORT (stdin's first line), start a request and
# never finish it, then print "READY <connections made>". Every 2 s each
# sends one more byte (less than the server's idle timeout apart, so none
# is dropped for idleness); those the server closed are let go. Holds them
# until stdin closes.
SLOW_CLIENTS = r"""
import resource, select, socket, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
port = int(sys.stdin.readline())
held = []
for addr in sys.argv[2:]:
    for _ in range(int(sys.argv[1])):
        s = socket.socket()
        s.bind((addr, 0))
        s.settimeout(5)
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        except OSError:
            s.close()
print("READY", len(held), flush=True)
while not select.select([sys.stdin], [], [], 2)[0]:
    for s in list(held):
        try:
            s.send(b"a")
        except OSError:
            held.remove(s)
            s.close()
"""
SLOW_SOURCES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
SLOW_PER_SOURCE = 275       # 1100 in all: past select()'s FD_SETSIZE of 1024

# Requests libmicrohttpd refuses (tests/tools/http_malformed.py).
MALFORMED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "http_malformed.py")

UDP_SS_STATES = {"UNCONN": "CLOSE", "ESTAB": "ESTABLISHED"}


# ---------------------------------------------------------------- processes

# Not test_flood's stop: it returns what the process printed (Listening needs
# it), so it communicates rather than waits.
def stop(proc):
    """Stops one process we started, by its pid: SIGTERM, then SIGKILL.
    Returns its exit status and whatever it printed."""
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        out, err = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    except (ValueError, OSError):   # streams already closed
        proc.wait()
        out, err = "", ""
    return proc.returncode, out or "", err or ""


# ---------------------------------------------------------------- the exposition format

SAMPLE_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$")
LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')


def parse_labels(text):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL_RE.match(text, pos)
        if not m:
            raise CheckError(f"bad labels {text!r}")
        labels[m.group(1)] = re.sub(r"\\(.)", lambda e: "\n" if e.group(1) == "n" else e.group(1),
                                    m.group(2))
        pos = m.end()
    return labels


def parse_metrics(text):
    """[(name, {label: value}, float)] of every sample line."""
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE_RE.match(line)
        if not m:
            raise CheckError(f"not a sample line: {line!r}")
        samples.append((m.group(1), parse_labels(m.group(2) or ""), float(m.group(3))))
    return samples


def series(samples, name):
    """{frozenset of labels: value} of one metric."""
    return {frozenset(labels.items()): value for n, labels, value in samples if n == name}


def by_label(samples, name, label):
    return {dict(k)[label]: v for k, v in series(samples, name).items()}


def promtool_check(text):
    """promtool's complaints about text ('' when it accepts it)."""
    if not PROMTOOL:
        raise CheckError("promtool not found (Debian package prometheus; make deps)")
    result = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                            text=True, timeout=COMMAND_TIMEOUT)
    if result.returncode != 0:
        return (f"promtool check metrics exited {result.returncode}: "
                f"{(result.stdout + result.stderr).strip()[:500]}")
    return ""


# ---------------------------------------------------------------- nettop

def it_ns():
    return Namespace(os.environ["NETTOP_IT_NS"])


def prom_file(ns, *args, name="metrics.prom"):
    """Runs nettop --prometheus FILE --count 1 in ns; returns the file's text.
    The run must print nothing and leave no temporary file behind."""
    path = os.path.join(W.tmp, name)
    if os.path.exists(path):
        os.unlink(path)
    result = ns.run([NETTOP, "--prometheus", path, "--count", 1, *args])
    problems = []
    if result.stdout:
        problems.append(f"printed {result.stdout[:100]!r} (want nothing without --json or -c)")
    leftovers = [f for f in os.listdir(W.tmp) if f.startswith(name + ".")]
    if leftovers:
        problems.append(f"temporary files left: {leftovers}")
    if not os.path.exists(path):
        problems.append(f"{path} was not written")
    if problems:
        raise CheckError("; ".join(problems))
    with open(path) as f:
        return f.read()


def free_port(ns):
    return int(ns.output([sys.executable, "-c", FREE_PORT]).strip())


def curl(ns, url):
    """(exit status, HTTP status, headers, body) of one GET, run inside ns."""
    headers, body = os.path.join(W.tmp, "headers"), os.path.join(W.tmp, "body")
    for path in (headers, body):
        if os.path.exists(path):
            os.unlink(path)
    result = ns.run(["curl", "-sS", "--max-time", 5, "-D", headers, "-o", body,
                     "-w", "%{http_code}", url], check=False)
    read = lambda p: open(p).read() if os.path.exists(p) else ""
    return result.returncode, result.stdout.strip(), read(headers), read(body)


class Listening:
    """nettop --listen in ns, stopped by its pid on the way out."""

    def __init__(self, ns, addr, port, *args):
        self.ns, self.port = ns, port
        self.proc = ns.popen([NETTOP, "--listen", f"{addr}:{port}", *args],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        self.status = self.out = self.err = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.status is None:
            self.status, self.out, self.err = stop(self.proc)
            STARTED.remove(self.proc)
        return self.status

    def scrape(self, path="/metrics"):
        """Polls until /metrics answers 200 with the metrics (the first sample
        published), or HTTP_TIMEOUT passes."""
        url = f"http://127.0.0.1:{self.port}{path}"
        deadline = time.monotonic() + HTTP_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise CheckError(f"nettop --listen exited {self.status}: {self.err.strip()[:300]}")
            rc, code, headers, body = curl(self.ns, url)
            if rc == 0 and code == "200" and body:
                return headers, body
            if rc == 0 and code == "200":
                # before the first sample: 503, or "every series gone" it would say
                raise CheckError("an empty 200 answer (want 503 until the first sample)")
            if time.monotonic() > deadline:
                raise CheckError(f"no metrics from {url} after {HTTP_TIMEOUT} s: curl exit {rc}, "
                                 f"HTTP {code}, {len(body)} bytes")
            time.sleep(0.1)


# ---------------------------------------------------------------- ss

def ss_rows(ns, *args):
    """(family, fields) of ss -H ARGS lines, for IPv4 and IPv6 separately."""
    rows = []
    for family in (4, 6):
        for line in ns.output(["ss", "-H", f"-{family}", *args]).splitlines():
            rows.append((family, line.split()))
    return rows


def ss_state_counts(ns):
    """{("tcp"|"udp", netstat state): count} from ss -tuan."""
    counts = Counter()
    for _, fields in ss_rows(ns, "-tuan"):
        proto, state = fields[0], fields[1]
        names = UDP_SS_STATES if proto == "udp" else SS_STATES
        counts[(proto, names.get(state, state))] += 1
    return counts


def sockets_diff(samples, ns):
    """'' when nettop_sockets has one series per (proto, state), each equal
    to ss -tuan's count (zeros included); else what differs."""
    got = series(samples, "nettop_sockets")
    actual = {(dict(k)["proto"], dict(k)["state"]): int(v) for k, v in got.items()}
    counts = ss_state_counts(ns)
    expected = {(p, s): counts.get((p, s), 0) for p in ("tcp", "udp") for s in TCP_STATES}
    if len(actual) != len(got):
        return "a (proto, state) pair appears twice"
    return dict_diff(expected, actual)


def ss_listeners(ns):
    """{local endpoint: (recv_q, send_q)} of the TCP listeners, SO_REUSEPORT
    sockets on one address summed."""
    out = {}
    for family, f in ss_rows(ns, "-ltn"):
        q, backlog = out.get(ss_endpoint(f[3], family), (0, 0))
        out[ss_endpoint(f[3], family)] = (q + int(f[1]), backlog + int(f[2]))
    return out


def ss_syn_recv(ns):
    """[(family, local endpoint, peer address)] of every SYN_RECV socket."""
    return [(family, ss_endpoint(f[2], family), canonical_addr(split_endpoint(f[3])[0]))
            for family, f in ss_rows(ns, "-tn", "state", "syn-recv")]


def ss_per_listener(ns):
    """{listener: (SYN_RECV, accept queue, backlog)}: a request counts on the
    listener on its own address and port, else on the family's wildcard one."""
    listeners = ss_listeners(ns)
    syn = Counter()
    for family, local, _ in ss_syn_recv(ns):
        if local not in listeners:
            port = split_endpoint(local)[1]
            local = f"[{WILDCARD[6]}]:{port}" if family == 6 else f"{WILDCARD[4]}:{port}"
        syn[local] += 1
    return {ep: (syn[ep], q, backlog) for ep, (q, backlog) in listeners.items()}


def prom_per_listener(samples):
    names = ("nettop_listener_syn_recv", "nettop_listener_accept_queue", "nettop_listener_backlog")
    values = [by_label(samples, n, "local") for n in names]
    for n, v in zip(names, values):
        if len(v) != sum(1 for name, _, _ in samples if name == n):
            raise CheckError(f"{n} has a local label twice or none")
    locals_ = set().union(*values)
    canon = {}
    for local in locals_:
        addr, port = split_endpoint(local)
        family = 6 if local.startswith("[") else 4
        canon[local] = ss_endpoint(f"[{addr}]:{port}" if family == 6 else local, family)
    return {canon[l]: tuple(int(v.get(l, -1)) for v in values) for l in locals_}


# ---------------------------------------------------------------- checks

class World:
    """What the checks share."""
    tmp = None
    synflood = None
    flood = None            # the flood namespace, once its setup passed
    flood_ss = None         # ss's SYN_RECV rows there


W = World()


@check("--prometheus FILE --count 1: promtool check metrics accepts the file")
def check_file_promtool():
    return promtool_check(prom_file(it_ns()))


@check("--prometheus: every metric has HELP and TYPE, counters end in _total")
def check_help_type():
    text = prom_file(it_ns())
    helps = set(re.findall(r"^# HELP (\S+) \S", text, re.M))
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))
    problems = []
    for name in sorted({s[0] for s in parse_metrics(text)}):
        if name not in helps or name not in types:
            problems.append(f"{name}: HELP {name in helps}, TYPE {types.get(name)}")
        elif (types[name] == "counter") != name.endswith("_total"):
            problems.append(f"{name} is a {types[name]}")
        if not name.startswith("nettop_") or name.startswith("nettop_tcp_tcp_"):
            problems.append(f"{name}: want one nettop_ (or nettop_tcp_) prefix")
    want = {"nettop_sockets", "nettop_listener_syn_recv", "nettop_listener_accept_queue",
            "nettop_listener_backlog", "nettop_flood_alert", "nettop_remote_connections",
            "nettop_tcp_syncookies_sent_total", "nettop_sample_partial",
            "nettop_sample_timestamp_seconds"}
    missing = want - set(types)
    if missing:
        problems.append(f"missing metrics: {sorted(missing)}")
    return "\n".join(problems)


def sockets_check(ns_of, *args):
    def run_check():
        ns = ns_of()
        samples = parse_metrics(prom_file(ns, *args))
        return sockets_diff(samples, ns)
    return retried(run_check)


check("nettop_sockets{proto,state} equals ss -tuan per state, TCP and UDP")(sockets_check(it_ns))


@check("nettop_listener_syn_recv/accept_queue/backlog equal ss per listener")
@retried
def check_listeners():
    ns = it_ns()
    samples = parse_metrics(prom_file(ns))
    expected = ss_per_listener(ns)
    if not any(n for n, _, _ in expected.values()):
        return f"setup: ss shows no SYN_RECV on any listener: {expected}"
    return dict_diff(expected, prom_per_listener(samples))


@check("nettop_remote_connections equals ss's TCP connections per remote address")
@retried
def check_remotes():
    ns = it_ns()
    samples = parse_metrics(prom_file(ns))
    counts = Counter()
    for family, f in ss_rows(ns, "-tan"):
        addr = canonical_addr(split_endpoint(f[4])[0].partition("%")[0].replace("*", WILDCARD[family]))
        if addr != WILDCARD[family]:
            counts[addr] += 1
    actual = {canonical_addr(a): int(v)
              for a, v in by_label(samples, "nettop_remote_connections", "addr").items()}
    return dict_diff(dict(counts.most_common(DEFAULT_TOP)), actual)


@check("--listen 127.0.0.1:PORT: promtool accepts /metrics; other paths 404; nothing printed")
def check_http():
    ns = it_ns()
    port = free_port(ns)
    with Listening(ns, "127.0.0.1", port, "--interval", "0.5") as nettop:
        headers, body = nettop.scrape()
        problems = []
        detail = promtool_check(body)
        if detail:
            problems.append(detail)
        if not re.search(r"^content-type: text/plain; version=0\.0\.4", headers, re.I | re.M):
            problems.append(f"headers: {headers.strip()!r}")
        _, code, _, _ = curl(ns, f"http://127.0.0.1:{port}/")
        if code != "404":
            problems.append(f"GET / answered {code}, want 404")
        sockets = series(parse_metrics(body), "nettop_sockets")
        if len(sockets) != 2 * len(TCP_STATES):
            problems.append(f"{len(sockets)} nettop_sockets series, want {2 * len(TCP_STATES)}")
        status = nettop.stop()
        if status != 0:
            problems.append(f"exit status {status} after SIGTERM: {nettop.err.strip()[:200]}")
        if nettop.out:
            problems.append(f"printed {nettop.out[:100]!r} (want nothing without --json or -c)")
    return "; ".join(problems)


@check("--listen :PORT serves on 127.0.0.1 only")
def check_listen_default_addr():
    ns = it_ns()
    port = free_port(ns)
    with Listening(ns, "", port) as nettop:
        nettop.scrape()
        local = [f[3] for _, f in ss_rows(ns, "-ltn", f"sport = :{port}")]
    return None if local == [f"127.0.0.1:{port}"] else f"ss shows listeners {local}"


@check("--listen on a port in use: exit status 1 with a message")
def check_listen_busy():
    ns = it_ns()
    busy = [ep for ep in ss_listeners(ns) if ep.startswith(("127.0.0.1:", "0.0.0.0:"))]
    if not busy:
        return f"setup: no IPv4 listener in {sorted(ss_listeners(ns))}"
    busy = busy[0]
    port = split_endpoint(busy)[1]
    result = ns.run([NETTOP, "--listen", f"127.0.0.1:{port}", "--count", 1], check=False)
    if result.returncode == 0 or not result.stderr.strip():
        return f"exit {result.returncode}, stderr {result.stderr.strip()!r} (port {port} is {busy})"
    return None


@check("--listen: malformed requests are counted in nettop_http_errors_total, never written out")
def check_http_errors_counted():
    ns = it_ns()
    port = free_port(ns)
    with Listening(ns, "127.0.0.1", port) as nettop:
        nettop.scrape()
        ns.run([sys.executable, MALFORMED, port])
        _, body = nettop.scrape()
        errors = list(series(parse_metrics(body), "nettop_http_errors_total").values())
        problems = []
        if errors != [2.0]:
            problems.append(f"nettop_http_errors_total is {errors}, want [2.0]")
        detail = promtool_check(body)
        if detail:
            problems.append(detail)
        nettop.stop()
        if nettop.err or nettop.out:
            problems.append(f"printed {(nettop.out + nettop.err)[:200]!r} (on a screen, over the panes)")
    return "; ".join(problems)


@check("--listen under 1100 slow clients from 4 addresses: a scrape from another address succeeds")
def check_http_slow_clients():
    ns = it_ns()
    port = free_port(ns)
    with Listening(ns, "127.0.0.1", port) as nettop:
        nettop.scrape()
        slow = ns.popen([sys.executable, "-c", SLOW_CLIENTS, SLOW_PER_SOURCE, *SLOW_SOURCES],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            slow.stdin.write(f"{port}\n")
            slow.stdin.flush()
            ready = slow.stdout.readline().split()
            if ready[:1] != ["READY"]:
                return f"setup: the slow clients said {ready!r}: {slow.stderr.read()[:300]}"
            # a few tries: one scrape may meet a moment of churn, but the
            # slow clients hold their slots for as long as they run
            for attempt in range(3):
                rc, code, _, body = curl(ns, f"http://127.0.0.1:{port}/metrics")
                if rc == 0 and code == "200" and "nettop_sockets" in body:
                    return None
                time.sleep(0.5)
            return (f"with {ready[1]} slow connections open, a scrape from 127.0.0.1 got "
                    f"curl exit {rc}, HTTP {code}")
        finally:
            stop(slow)
            STARTED.remove(slow)


# JSON keys that must be the same from inside and through --netns; the rest
# (time, interval, counters, interfaces) moves between two runs.
NETNS_KEYS = ("sockets", "states", "top_remote")
VOLATILE_SOCKET_KEYS = ("rtt_ms", "rx_bps", "tx_bps")
# what differs by design: `ip netns exec` mounts a /sys without cgroup2, so
# the run from inside cannot name cgroups (the README says: use --netns)
INSIDE_UNKNOWN_KEYS = ("cgroup",)


def comparable(sample):
    """The keys compared, sockets as a sorted list (two dumps may order them differently)."""
    out = {}
    for key in NETNS_KEYS:
        if key not in sample:
            raise CheckError(f"no {key!r} in nettop's JSON")
    socks = [{k: v for k, v in s.items() if k not in VOLATILE_SOCKET_KEYS + INSIDE_UNKNOWN_KEYS}
             for s in sample["sockets"]]
    out["sockets"] = sorted(json.dumps(s, sort_keys=True) for s in socks)
    out["states"] = sample["states"]
    out["top_remote"] = sorted(json.dumps(r, sort_keys=True) for r in sample["top_remote"])
    return out


def one_json(result):
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) != 1:
        raise CheckError(f"exit {result.returncode}, {len(lines)} lines: {result.stderr.strip()[:200]}")
    return json.loads(lines[0])


def netns_check(spec_of):
    def run_check():
        ns = it_ns()
        args = ["--batch", "--json", "--count", 1]
        inside = comparable(one_json(ns.run([NETTOP, *args], check=False)))
        outside = comparable(one_json(run([NETTOP, "--netns", spec_of(), *args], check=False)))
        diffs = []
        for key in NETNS_KEYS:
            if inside[key] != outside[key]:
                if isinstance(inside[key], dict):
                    diffs.append(f"{key}: {dict_diff(inside[key], outside[key])}")
                else:
                    a, b = Counter(inside[key]), Counter(outside[key])
                    diffs.append(f"{key}: inside only {list((a - b).elements())[:3]}, "
                                 f"--netns only {list((b - a).elements())[:3]}")
        return "\n".join(diffs)
    return retried(run_check)


def sockmix_pid():
    """The process of lib.sh's namespace: sockmix, found among its pids."""
    pids = run(["ip", "netns", "pids", os.environ["NETTOP_IT_NS"]]).stdout.split()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"sockmix.py" in f.read():
                    return pid
        except OSError:
            pass
    raise CheckError(f"no sockmix.py among the namespace's pids {pids}")


check("--netns NAME from outside: JSON sockets/states/top_remote equal the inside run's")(
    netns_check(lambda: os.environ["NETTOP_IT_NS"]))
check("--netns PID (sockmix's) from outside: the same JSON as the inside run")(
    netns_check(sockmix_pid))


@check("--netns NAME --prometheus from outside: sockets equal ss, CurrEstab the namespace's")
@retried
def check_netns_prom():
    ns = it_ns()
    path = os.path.join(W.tmp, "netns.prom")
    run([NETTOP, "--netns", ns.name, "--prometheus", path, "--count", 1])
    with open(path) as f:
        samples = parse_metrics(f.read())
    problems = [sockets_diff(samples, ns)]
    # /proc/net/snmp is per namespace: the host's CurrEstab would differ.
    snmp = ns.output(["cat", "/proc/net/snmp"]).splitlines()
    tcp = [line.split()[1:] for line in snmp if line.startswith("Tcp:")]
    want = int(dict(zip(*tcp))["CurrEstab"])
    got_estab = series(samples, "nettop_tcp_curr_estab")
    got_estab = int(next(iter(got_estab.values()))) if got_estab else None
    if got_estab != want:
        problems.append(f"nettop_tcp_curr_estab {got_estab}, the namespace's CurrEstab {want}")
    return "\n".join(p for p in problems if p)


@check("--netns NAME --listen from another namespace: served there, metrics of NAME")
def check_netns_listen():
    ns = it_ns()
    outer = Namespace(f"nettop-prom-outer-{os.getpid()}")
    outer.create({})
    try:
        port = free_port(outer)
        with Listening(outer, "127.0.0.1", port, "--netns", ns.name, "--interval", 0.3) as nettop:
            for attempt in range(3):
                _, body = nettop.scrape()
                samples = parse_metrics(body)
                problems = [sockets_diff(samples, ns)]
                if not problems[0]:
                    break
                time.sleep(0.4)
            inside = [f[3] for _, f in ss_rows(ns, "-ltn", f"sport = :{port}")]
            if inside:
                problems.append(f"the endpoint listens inside {ns.name}: {inside}")
    finally:
        outer.delete()
    return "\n".join(p for p in problems if p)


def netns_bad_check(spec):
    argv = [NETTOP, "--netns", spec, "--batch", "--count", 1]
    return lambda: usage_error(run(argv, check=False))


check("--netns nosuchns: exit status 2 with a message")(netns_bad_check("nosuchns"))
check("--netns of a PID that does not exist: exit status 2")(netns_bad_check("999999999"))


def listen_bad_check(spec, message):
    argv = [NETTOP, "--listen", spec, "--batch", "--count", 1]
    return lambda: usage_error(run(argv, check=False), message)


# a bad --listen is a usage error before anything starts, quoting all of it
for _spec, _message in (("foo", "--listen: 'foo': the port"),
                        (":99999", "--listen: ':99999': the port"),
                        ("[::1", "--listen: '[::1': a '[' without its ']'"),
                        ("localhost:9100", "not a numeric")):
    check(f"--listen {_spec}: exit status 2 with a message")(listen_bad_check(_spec, _message))


# ---------------------------------------------------------------- the flood

def setup_flood():
    W.synflood = harness.build_synflood(W.tmp)
    ns = Namespace(f"nettop-prom-flood-{os.getpid()}")
    ns.create(HALF_OPEN_SYSCTLS)
    ns.drop_synacks()
    listener = ns.popen([sys.executable, "-c", LISTENER, FLOOD_PORT, 65535, REUSEPORT_PORT],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if listener.stdout.readline().strip() != "READY":
        raise CheckError(f"the listener did not start: {stop(listener)[2][:300]}")
    ns.run([W.synflood, "-p", FLOOD_PORT, "-n", FLOOD_SYNS, "-k", FLOOD_SOURCES])
    # Wait until ss counts every SYN_RECV, or the count stops growing.
    rows = settle(lambda: ss_syn_recv(ns), FLOOD_SYNS, COMMAND_TIMEOUT, 0.3)
    W.flood, W.flood_ss = ns, rows
    sources = len({peer for _, _, peer in rows})
    if sources <= DEFAULT_TOP:
        raise CheckError(f"only {len(rows)} SYN_RECV from {sources} sources: no flood to bound")
    if len(rows) != FLOOD_SYNS:
        print(f"# flood: ss counts {len(rows)} SYN_RECV from {sources} sources "
              f"(sent {FLOOD_SYNS})", flush=True)


def flood_ns():
    if W.flood is None:
        raise CheckError("the flood namespace was not set up (see above)")
    return W.flood


def remote_series_check(top, *args):
    def run_check():
        ns = flood_ns()
        text = prom_file(ns, *args, name="flood.prom")
        problems = [promtool_check(text)]
        samples = parse_metrics(text)
        remotes = by_label(samples, "nettop_remote_connections", "addr")
        sources = Counter(peer for _, _, peer in ss_syn_recv(ns))
        want = min(top, len(sources))
        if len(remotes) != want or len(series(samples, "nettop_remote_connections")) != want:
            problems.append(f"{len(remotes)} nettop_remote_connections series, want {want} "
                            f"(at most K={top}; ss sees {len(sources)} sources)")
        wrong = {a: v for a, v in remotes.items() if sources.get(canonical_addr(a)) != v}
        if wrong:
            problems.append(f"counts that differ from ss: {dict(list(wrong.items())[:5])}")
        # The series count cannot grow with the sources: the sockets' 24,
        # three per listener, the kernel counters and K.
        if len(samples) > 150:
            problems.append(f"{len(samples)} series in all")
        return "\n".join(p for p in problems if p)
    return run_check


check(f"flood of {FLOOD_SOURCES} sources: default K={DEFAULT_TOP} bounds "
      "nettop_remote_connections; promtool accepts")(remote_series_check(DEFAULT_TOP))
check(f"flood of {FLOOD_SOURCES} sources: --prometheus-top 5 exports 5 remote series")(
    remote_series_check(5, "--prometheus-top", 5))


@check("flood: --listen --prometheus-top 5: the scrape has 5 remote series; promtool accepts")
def check_flood_http():
    ns = flood_ns()
    port = free_port(ns)
    # The flood's rule drops every SYN-ACK: let the scrape's own through.
    ns.run(["nft", "insert", "rule", "inet", "flood", "pre", "tcp", "sport", port, "accept"])
    with Listening(ns, "127.0.0.1", port, "--prometheus-top", 5) as nettop:
        _, body = nettop.scrape()
    n = len(series(parse_metrics(body), "nettop_remote_connections"))
    problems = [promtool_check(body), "" if n == 5 else f"{n} remote series, want 5"]
    return "\n".join(p for p in problems if p)


@check("flood: per-listener series equal ss (SYN_RECV flooded; SO_REUSEPORT pair summed)")
@retried
def check_flood_listener():
    ns = flood_ns()
    samples = parse_metrics(prom_file(ns, name="flood.prom"))
    expected = ss_per_listener(ns)
    actual = prom_per_listener(samples)
    if (expected.get(f"127.0.0.1:{FLOOD_PORT}", (0,))[0] < FLOOD_SYNS // 2
            or expected.get(f"127.0.0.1:{REUSEPORT_PORT}") != (0, 0, 48)):
        return f"setup: ss per listener {expected}"
    alert = series(samples, "nettop_flood_alert")
    diff = dict_diff(expected, actual)
    if list(alert.values()) != [1.0]:
        diff += f"\nnettop_flood_alert is {list(alert.values())}, want 1 under this flood"
    return diff.strip()


# ---------------------------------------------------------------- runner

def run_all():
    exit_on_signals()
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-prom.")
        # lib.sh's mix first: its TIME_WAIT sockets last 60 s.
        wanted = [(n, f) for n, f in harness.CHECKS
                  if not sys.argv[1:] or any(w in n for w in sys.argv[1:])]
        flood_checks = [(n, f) for n, f in wanted if n.startswith("flood")]
        for name, fn in wanted:
            if (name, fn) not in flood_checks:
                results.append(run_check(name, fn))
        if flood_checks:
            results.append(run_check("setup: flood namespace, 10000 SYNs from 10000 sources",
                                     lambda: setup_flood() or None))
        for name, fn in flood_checks:
            results.append(run_check(name, fn))
    finally:
        harness.cleanup(W.tmp, stop)
    return summary(results)


if __name__ == "__main__":
    sys.exit(main(run_all, __file__))
