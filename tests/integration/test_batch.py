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
import sys
import tempfile
from collections import Counter

from harness import (NETTOP, NETTOP_BINARY, SS_STATES, TCP_STATES, WILDCARD, CheckError, command_line,
                     canonical_addr, check, dict_diff, json_socket, main, multiset_diff, ns_output, ns_run,
                     only_sample, parse_json_lines, retried, run_all, show_socket,
                     split_endpoint, ss_endpoint, usage_error)

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


# ---------------------------------------------------------------- commands

def ns_shell(script, tool=None):
    """Runs a shell pipeline, with $X set to tool (netstat or nettop) if given."""
    env = {**os.environ, "X": tool} if tool else None
    return ns_output(["bash", "-c", script], env)


def nettop_json(*args):
    """Every JSON sample a batch run of nettop prints."""
    return parse_json_lines(ns_output([NETTOP, "--batch", *args, "--json"]))


def nettop_sample():
    return only_sample(nettop_json("--count", "1"))


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
    return [json_socket(s) for s in sample["sockets"]]


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

def lines_diff(expected, actual, limit=30):
    diff = list(difflib.unified_diff(expected, actual, "netstat", "nettop", lineterm="", n=1))
    return "\n".join(diff[:limit])


# ---------------------------------------------------------------- checks

@check("mix: ss sees every socket sockmix built")
def check_mix():
    mix = json.loads(os.environ["NETTOP_IT_MIX"])
    sockets = ss_sockets()
    expected = {state: mix["tcp"].get(state, 0) for state in TCP_STATES}
    udp = dict(Counter(s[2] for s in sockets if s[0] == "udp"))
    diffs = [dict_diff(expected, tcp_state_counts(sockets), limit=None),
             dict_diff(mix["udp"], udp, limit=None)]
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
    return dict_diff(tcp_state_counts(sockets), states, limit=None)


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
    return dict_diff(expected, actual, limit=None)


def find_interface(sample, name):
    found = [i for i in sample["interfaces"] if i["name"] == name]
    if not found:
        raise CheckError(f"no interface {name!r} in {[i['name'] for i in sample['interfaces']]}")
    return found[0]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@check("text --syn-sources as nobody: a line says why SYN packets were not counted")
def check_syn_sources_unprivileged():
    out = ns_output(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                     NETTOP, "--batch", "--count", "1", "--syn-sources"])
    lines = [line for line in out.splitlines() if line.startswith("SYN packets by source")]
    if len(lines) != 1 or "not counted" not in lines[0] or "root" not in lines[0]:
        return f"SYN packets lines {lines}, want one saying they need root"
    return None


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
    return lambda: usage_error(ns_run([NETTOP, *args]))


for _args in (["--bogus"], ["--count", "0"], ["--backend", "ebpf"], ["--backend"], ["--interval", "abc"], ["--interval", "-1"],
              # the config file's bounds: 1e19 s overflowed the sleep and spun
              ["--interval", "1e19"], ["--interval", "nan"], ["--flood-threshold", "nan"]):
    check(f"bad input: {' '.join(_args)}")(bad_input_check(_args))


@check("--replay FIFO: refused at once, exit status 2 (it blocked for ever)")
def check_replay_fifo():
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        result = ns_run([NETTOP, "--batch", "--replay", fifo])
        return usage_error(result, f"--replay {fifo}: a FIFO, not a regular file")


# ---------------------------------------------------------------- backends

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
# What differs between two runs on the same sockets whichever the source:
# the clock, and the source itself.
RUN_FIELDS = ("time", "backend", "backend_note", "bpf_tcp", "bpf_walked", "bpf_port_walk")
# A few local ports: the walk reads each port's bind bucket, not the whole
# established table (port_walk.bpf.h); with request sockets (SYN_RECV) of
# a port there and wanted (7000's, also between 80 and 8000), the whole
# table. Whether it may: args -> bool.
PORT_WALKS = {
    "-tan sport = :80": True, "-tan sport = :8000": True, "-6 -tan sport = :9090": True,
    "-tan sport = :8000 --health": True,
    "-tan sport = :7000": False, "-tan ( state listening or state established ) and sport = :7000": True,
    "-tan sport = :8000 or sport = :8080": True, "-tan sport = :80 or sport = :8000": False,
}
BACKEND_ARGS = [
    "-tuan", "-tuanp", "-l", "-tan state established", "-6 -tuan",
    "-tuan dst 127.0.0.0/8 and not sport = :80", "-uan sport = :5353",
    "--states --top-remote --flood", "-tuan --health",
    *PORT_WALKS,
]


def backend_sample(backend, args):
    """The one JSON sample of a run with --backend backend, run fields removed."""
    out = ns_output([NETTOP_BINARY, "--backend", backend, "--batch", "--count", "1", "--json",
                     *args.split()])
    sample = only_sample(parse_json_lines(out))
    if sample.get("backend") != backend:
        raise CheckError(f"--backend {backend} sampled with {sample.get('backend')!r}")
    if backend == "bpf" and "-u" not in args.split()[0] and sample.get("bpf_tcp") != "walk":
        # the mix is small: a socket nobody asked about is looked up, not walked again
        raise CheckError(f"--backend bpf {args}: TCP by {sample.get('bpf_tcp')!r}, want the walk")
    if backend == "bpf" and sample.get("bpf_port_walk", False) != PORT_WALKS.get(args, False):
        raise CheckError(f"--backend bpf {args}: bpf_port_walk {sample.get('bpf_port_walk')!r}, "
                         f"want {PORT_WALKS.get(args, False)}")
    for key in RUN_FIELDS:
        sample.pop(key, None)
    return sample


@check("--backend bpf and sockdiag: identical JSON, sockets in the same order (but time, backend)")
@retried
def check_backends_identical():
    for args in BACKEND_ARGS:
        bpf, sockdiag = backend_sample("bpf", args), backend_sample("sockdiag", args)
        if bpf != sockdiag:
            shown = args
            if bpf["sockets"] != sockdiag["sockets"]:
                pairs = [(a, b) for a, b in zip(sockdiag["sockets"], bpf["sockets"]) if a != b]
                return (f"{shown}: {len(sockdiag['sockets'])} sockets with sockdiag, "
                        f"{len(bpf['sockets'])} with bpf\n" +
                        "\n".join(f"sockdiag {a}\n     bpf {b}" for a, b in pairs[:3]))
            return f"{shown}: " + dict_diff(sockdiag, bpf)
        if not bpf["sockets"] and "--states" not in args:
            return f"{args}: no sockets: the comparison cannot fail"
    return None


# Run inside the namespace: n IPv4 connection pairs and 3 IPv6 ones, held
# open while each command (argv[2]: a JSON list of argv lists) runs; prints
# each one's exit status, first line of output and errors, as JSON.
HELD_MANY = r"""
import json, resource, socket, subprocess, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (12000, 12000))
lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen(4096)
l6 = socket.socket(socket.AF_INET6); l6.bind(("::1", 0)); l6.listen(8)
held = [(socket.create_connection(lst.getsockname()), lst.accept()[0]) for _ in range(int(sys.argv[1]))]
held += [(socket.create_connection(l6.getsockname()[:2]), l6.accept()[0]) for _ in range(3)]
runs = [subprocess.run(argv, capture_output=True, text=True) for argv in json.loads(sys.argv[2])]
print(json.dumps([{"rc": r.returncode, "out": r.stdout.splitlines()[:2], "err": r.stderr} for r in runs]))
"""


def held_samples(pairs, *argvs):
    """The first two JSON samples (one, if it printed one) of each argv, run
    inside the namespace while pairs (and 3 IPv6) connections are held open."""
    runs = json.loads(ns_output(["python3", "-c", HELD_MANY, pairs, json.dumps(argvs)]))
    for argv, r in zip(argvs, runs):
        if r["rc"] != 0 or not r["out"]:
            raise CheckError(f"{command_line(argv)}: exit {r['rc']}: {r['err'][:300]}")
    return [[json.loads(line) for line in r["out"]] for r in runs]


def held_many(pairs, *argvs):
    """The first JSON sample of each argv (held_samples())."""
    return [samples[0] for samples in held_samples(pairs, *argvs)]


# The walk's first sample of many new sockets goes to the kernel's iterator
# (too many cookies to look up): its records must carry health as the
# walk's do.
@check("--backend bpf --health by the kernel's iterator (5,000 new sockets): identical to sock_diag's")
@retried
def check_backend_iterator_health():
    bpf, sockdiag = held_many(2500, *([NETTOP_BINARY, "--backend", backend, "--batch", "--count", "1",
                                       "--json", "--health", "-tuan"] for backend in ("bpf", "sockdiag")))
    if bpf.get("bpf_tcp") != "iterator":
        return f"TCP by {bpf.get('bpf_tcp')!r}: want the iterator (5,000 cookies nobody asked for)"
    if not any(s.get("cong") for s in bpf["sockets"]):
        return "no socket with health: the comparison cannot fail"
    if bpf["sockets"] != sockdiag["sockets"]:
        pairs = [(a, b) for a, b in zip(sockdiag["sockets"], bpf["sockets"]) if a != b]
        return (f"{len(sockdiag['sockets'])} sockets with sockdiag, {len(bpf['sockets'])} with bpf\n" +
                "\n".join(f"sockdiag {a}\n     bpf {b}" for a, b in pairs[:3]))
    return None


# What the two scripts below (run inside the namespace) begin with: a
# listener on 127.0.0.1 and n connections to it, both ends held.
HELD_PAIRS = r"""
import json, socket, subprocess, sys, threading, time
held = []
def held_pairs(n):
    lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen(max(n, 8)); held.append(lst)
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", lst.getsockname()[1])); held.append((c, lst.accept()[0]))
    return lst.getsockname()[1]
"""

# Connections nobody has asked the kernel about: their cookies are 0 until
# someone does. The walk reads 0 and looks each up; sock_diag, afterwards,
# must show the same cookies.
FRESH_PAIRS = HELD_PAIRS + r"""
port = held_pairs(3)
def run(backend):
    out = subprocess.run([sys.argv[1], "--backend", backend, "--batch", "--count", "1", "--json",
                          "-tan", "sport", "=", f":{port}", "or", "dport", "=", f":{port}"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[0])
print(json.dumps([run("bpf"), run("sockdiag")]))
"""


@check("--backend bpf: new connections' cookies are looked up, and equal sock_diag's")
def check_backend_fresh_cookies():
    bpf, sockdiag = json.loads(ns_output(["python3", "-c", FRESH_PAIRS, NETTOP_BINARY]))
    if bpf.get("bpf_tcp") != "walk":
        return f"TCP by {bpf.get('bpf_tcp')!r}: want the walk"
    cookies = [s.get("cookie") for s in bpf["sockets"]]
    if len(cookies) != 7 or "0" in cookies or len(set(cookies)) != 7:
        return f"cookies {cookies}: want 7 distinct, none 0 (a listener and 3 pairs)"
    if bpf["sockets"] != sockdiag["sockets"]:
        return "bpf and sockdiag differ:\n" + dict_diff({"s": sockdiag["sockets"]}, {"s": bpf["sockets"]})
    return None


# The walk reads the kernel's hash without locks while connections open and
# close around it: a hundred connections that stay must be in every sample
# exactly once, and the walk must keep sampling (a socket closed between the
# walk and its cookie's lookup is dropped, not a reason to take the sample
# by the kernel's iterator).
CHURN_WALK = HELD_PAIRS + r"""
port = held_pairs(100)
clients = [c.getsockname()[1] for c, _ in held[1:]]
# "table": the churn on a port of its own, every socket sampled (the walk of
# the established table); "port": on the held connections' listener, only its
# port sampled (the walk of its bind bucket, whose owners come and go)
mode = sys.argv[2]
churn = held[0] if mode == "port" else socket.socket()
if mode != "port":
    churn.bind(("127.0.0.1", 0)); churn.listen(1024)
cport = churn.getsockname()[1]
stop = threading.Event(); made = [0]
def serve():
    while not stop.is_set():
        churn.accept()[0].close()
def connect():  # at most 2,500 a second: the walk looks up to 4,096 new cookies a sample
    start = time.monotonic()
    while not stop.is_set():
        socket.create_connection(("127.0.0.1", cport)).close(); made[0] += 1
        time.sleep(max(0, start + made[0] / 2500 - time.monotonic()))
threading.Thread(target=serve, daemon=True).start()
threading.Thread(target=connect, daemon=True).start()
filt = ["sport", "=", f":{port}"] if mode == "port" else []
out = subprocess.run([sys.argv[1], "--backend", "bpf", "--batch", "--count", "8", "--interval", "0.2",
                      "--json", "-tan", *filt], check=True, capture_output=True, text=True).stdout
stop.set()
print(json.dumps({"port": port, "clients": clients, "made": made[0],
                  "samples": [json.loads(l) for l in out.splitlines()]}))
"""


def churn_problem(samples, port, clients, by_port):
    """What is wrong with the held connections in samples taken under churn."""
    for n, sample in enumerate(samples):
        mine = [s for s in sample["sockets"] if s["local"].endswith(f":{port}") or s["remote"].endswith(f":{port}")]
        if by_port:
            # the churned sockets share the port: count the held ones
            held = {f"127.0.0.1:{c}" for c in clients}
            mine = [s for s in mine if s["state"] == "LISTEN" or s["remote"] in held]
        states = Counter((s["state"], s["local"].endswith(f":{port}")) for s in mine)
        want = {("LISTEN", True): 1, ("ESTABLISHED", True): 100}
        if not by_port:
            want[("ESTABLISHED", False)] = 100
        if states != want:
            return f"sample {n}: {dict(states)}, want {want}"
        cookies = [s["cookie"] for s in sample["sockets"] if s["proto"] == "tcp"]
        if len(cookies) != len(set(cookies)) or "0" in cookies:
            return f"sample {n}: a cookie twice or 0 among {len(cookies)} sockets"
    walked = [s.get("bpf_tcp") for s in samples[1:]]
    if walked.count("walk") < len(walked) - 1:
        why = {s.get("bpf_tcp_why") for s in samples[1:]} - {None}
        return f"TCP by {walked}: the walk gave way to the iterator after the first sample ({why})"
    by = [bool(s.get("bpf_port_walk")) for s in samples[1:]]
    if by_port and by.count(True) < len(by) - 1:
        return f"walked by the port: {by}, want all but one at most"
    return None


@check("--backend bpf as nobody: exit status 2 and the reason")
def check_backend_bpf_unprivileged():
    result = ns_run([*AS_NOBODY, NETTOP_BINARY, "--backend", "bpf", "--batch", "--count", "1"])
    return usage_error(result, "--backend bpf: BPF not permitted: needs root")


@check("--backend auto: sock_diag below 10,000 sockets, and the JSON says why")
def check_backend_auto_few():
    sample = only_sample(parse_json_lines(ns_output([NETTOP_BINARY, "--batch", "--count", "1", "--json"])))
    if sample.get("backend") != "sockdiag" or "fewer than 10,000" not in sample.get("backend_note", ""):
        return (f"backend {sample.get('backend')!r}, backend_note {sample.get('backend_note')!r}: "
                "want sockdiag, and a note that there are too few sockets for BPF to pay")
    return None


@check("--backend auto past 10,000 sockets: a first sample by sock_diag, and the JSON says why; "
       "then BPF's table walk as root (whole, narrowed, listeners); as nobody sock_diag, and the JSON says why")
def check_backend_auto_many():
    # the walk passes over a narrow filter's rejects on their ports, and
    # walks the listening hash alone for listeners (the kernel's iterator,
    # where the walk cannot run, would visit every socket: sock_diag then)
    shapes = ("", "-tan sport = :80", "-ltn")
    argvs = [[NETTOP_BINARY, "--batch", "--count", "2", "--interval", "0.1", "--json", *args.split()]
             for args in shapes]
    runs = held_samples(5001, *argvs, AS_NOBODY + argvs[0])
    if any(len(samples) != 2 for samples in runs):
        return f"samples printed: {[len(samples) for samples in runs]}, want 2 each"
    firsts, samples = [r[0] for r in runs], [r[1] for r in runs]
    for args, first, sample in zip(shapes, firsts, samples):
        if first.get("backend") != "sockdiag" or "first sample of fewer than 250,000" not in \
                first.get("backend_note", ""):
            return (f"nettop {args}, its first sample: backend {first.get('backend')!r}, note "
                    f"{first.get('backend_note')!r}; want sockdiag, and that BPF would cost more")
        if sample.get("backend") != "bpf" or sample.get("bpf_tcp") != "walk" or "backend_note" in sample:
            return (f"nettop {args}, its second sample: backend {sample.get('backend')!r} "
                    f"{sample.get('bpf_tcp')!r}, note {sample.get('backend_note')!r}; want bpf by the walk, no note")
    nobody = samples[-1]
    if nobody.get("backend") != "sockdiag" or "not permitted" not in nobody.get("backend_note", ""):
        return (f"as nobody: backend {nobody.get('backend')!r}, backend_note "
                f"{nobody.get('backend_note')!r}: want sockdiag, and a note that BPF is not permitted")
    if len(nobody["sockets"]) < 10000:
        return f"as nobody: {len(nobody['sockets'])} sockets listed, want the 10,000 held"
    return None


# Last: the churn leaves thousands of sockets in TIME_WAIT for a minute,
# which would take the namespace past auto's 10,000.
@check("--backend bpf while connections churn: the ones that stay, once in every sample, by the walk")
def check_backend_walk_churn():
    run = json.loads(ns_output(["python3", "-c", CHURN_WALK, NETTOP_BINARY, "table"]))
    if run["made"] < 100:
        return f"only {run['made']} connections churned: the check cannot fail"
    return churn_problem(run["samples"], run["port"], run["clients"], False)


@check("--backend bpf, sport = :PORT while connections to PORT churn: the ones that stay, once in every "
       "sample, by the port's bind bucket")
def check_backend_port_walk_churn():
    run = json.loads(ns_output(["python3", "-c", CHURN_WALK, NETTOP_BINARY, "port"]))
    if run["made"] < 100:
        return f"only {run['made']} connections churned: the check cannot fail"
    return churn_problem(run["samples"], run["port"], run["clients"], True)


if __name__ == "__main__":
    sys.exit(main(lambda: run_all(mix_age=True), __file__))
