#!/usr/bin/env python3
"""--all-netns: every network namespace in one sample, against ss inside each.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_allnetns.py

Three namespaces of our own, lo only, with different socket mixes:
  A: TCP listeners and established connections (IPv4 and IPv6), a UDP socket;
  B: UDP only (IPv4 and IPv6);
  C: a listener flooded with SYNs (tests/tools/synflood.c: 127.0.0.0/8 ->
     127.0.0.1 only; SYN-ACKs dropped by nft so the half-open entries stay).
nettop --all-netns --batch --count 1 --json must list, for each of them,
exactly the sockets `ss -tuan` lists inside it, each tagged with the
namespace's name; the flood alert names C and its listener. Other namespaces
on the host (other suites', containers) are left out of the comparison.
Namespaces are deleted and processes stopped by pid however the test ends.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import harness
from harness import (NETTOP, SS_STATES, CheckError, LineReader, Namespace, check, dict_diff, json_socket,
                     multiset_diff, parse_json_lines, run, run_check, show_socket, ss_endpoint,
                     summary)

C_PORT, C_SYNS, C_THRESHOLD = 8080, 300, 100

# Runs inside a namespace: the sockets of a JSON spec, "READY", then holds them.
HELPER = r"""
import json, socket, sys
spec = json.loads(sys.argv[1])
held = []
for fam, addr, port in spec.get("tcp", []):
    f = socket.AF_INET6 if fam == 6 else socket.AF_INET
    s = socket.socket(f, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(4096)
    held.append(s)
    for _ in range(spec.get("conns", 0)):
        c = socket.socket(f, socket.SOCK_STREAM)
        c.connect((addr, port))
        held += [c, s.accept()[0]]
for fam, addr, port in spec.get("udp", []):
    u = socket.socket(socket.AF_INET6 if fam == 6 else socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, port))
    held.append(u)
print("READY", flush=True)
sys.stdin.read()
"""

SPECS = {
    # A listens on C's flooded address and port too: two rows, never one
    "a": {"tcp": [[4, "127.0.0.1", 7001], [6, "::1", 7002], [4, "127.0.0.1", C_PORT]], "conns": 3,
          "udp": [[4, "127.0.0.1", 5353]]},
    "b": {"udp": [[4, "0.0.0.0", 5001], [4, "127.0.0.1", 5002], [6, "::", 5003]]},
    "c": {"tcp": [[4, "127.0.0.1", C_PORT]]},
}


# Waits for a line on stdin (the test moves it into a cgroup meanwhile), then
# makes a listener: a socket belongs to the cgroup of the process that made it.
CGROUP_HELPER = r"""
import socket, sys
sys.stdin.readline()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 6061))
s.listen(8)
print("READY", flush=True)
sys.stdin.read()
"""


def cgroup_root():
    """The cgroup2 mount nettop sees (/sys/fs/cgroup, or .../unified on hybrid hosts)."""
    with open("/proc/self/mounts") as f:
        for line in f:
            parts = line.split()
            if parts[2] == "cgroup2":
                return parts[1]
    raise CheckError("no cgroup2 mount")


class World:
    cgroup = None       # (absolute dir, path under the root) of ours
    tmp = None
    ns = {}             # tag -> Namespace
    helpers = []


W = World()
stop = harness.stop_process


def helper(ns, spec):
    proc = ns.popen([sys.executable, "-c", HELPER, json.dumps(spec)], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if LineReader(proc.stdout).get(15) != "READY":
        stop(proc, close=False)
        raise CheckError(f"helper in {ns.name} did not start: {proc.stderr.read().strip()[-300:]}")
    return proc


def setup():
    for tag in ("a", "b", "c"):
        ns = Namespace(f"nettop-allns-{tag}-{os.getpid()}")
        ns.create(harness.HALF_OPEN_SYSCTLS if tag == "c" else None)
        W.ns[tag] = ns
    for tag, spec in SPECS.items():
        W.helpers.append(helper(W.ns[tag], spec))
    setup_cgroup()
    setup_owners()
    W.ns["c"].drop_synacks()
    synflood = harness.build_synflood(W.tmp)
    W.ns["c"].run([synflood, "-p", C_PORT, "-n", C_SYNS, "-s", "127.0.0.10", "-k", 50])
    harness.settle(lambda: ss_sockets(W.ns["c"]), C_SYNS + 1, 10, 0.2)


def setup_cgroup():
    """B's cgroup listener. The cgroup is made here, outside any `ip netns
    exec` (which mounts a /sys of its own), and removed by main()."""
    name = f"nettop-test-{os.getpid()}"
    W.cgroup = (os.path.join(cgroup_root(), name), f"/{name}")
    os.mkdir(W.cgroup[0])
    proc = W.ns["b"].popen([sys.executable, "-c", CGROUP_HELPER], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(os.path.join(W.cgroup[0], "cgroup.procs"), "w") as f:
        f.write(str(proc.pid))
    proc.stdin.write("go\n")
    proc.stdin.flush()
    if LineReader(proc.stdout).get(15) != "READY":
        raise CheckError("the cgroup helper did not start")


OWNER_ID = "4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8"
# (cgroup under ours, the name nettop must give its unnamed namespace)
OWNERS = {"docker": (f"docker-{OWNER_ID}.scope", "docker:4f1c2a3b5d6e"),
          "hostile": ("evil\x1b[2J\x07.service", "evil\x1b[2J\x07.service")}


def owner_root():
    """Beside ours, not in it: 'cgroup *nettop-test-*' must not match these."""
    return os.path.join(os.path.dirname(W.cgroup[0]), f"nettop-own-{os.getpid()}")


def setup_owners():
    """A process per OWNERS entry in a namespace of its own (unshare: no
    /run/netns name), moved into a cgroup that names a container or a unit."""
    W.owners = {}
    os.mkdir(owner_root())
    for tag, (cgroup, _) in OWNERS.items():
        path = os.path.join(owner_root(), cgroup)
        os.mkdir(path)
        proc = subprocess.Popen(["unshare", "--net", sys.executable, "-c", CGROUP_HELPER],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        harness.STARTED.append(proc)
        with open(os.path.join(path, "cgroup.procs"), "w") as f:
            f.write(str(proc.pid))
        proc.stdin.write("go\n")
        proc.stdin.flush()
        if LineReader(proc.stdout).get(15) != "READY":
            raise CheckError(f"the {tag} helper did not start")
        W.owners[tag] = proc


def remove_cgroup():
    if not W.cgroup or not os.path.isdir(W.cgroup[0]):
        return
    dirs = [os.path.join(owner_root(), c) for c, _ in OWNERS.values()] + [owner_root(), W.cgroup[0]]
    for d in dirs:
        for _ in range(50):     # its process is gone, but the kernel frees the cgroup lazily
            try:
                if os.path.isdir(d):
                    os.rmdir(d)
                break
            except OSError:
                time.sleep(0.1)
        else:
            print(f"# could not remove {d!r}", flush=True)


def ss_sockets(ns):
    """(proto, family, state, local, remote) of every TCP/UDP socket in ns, from ss."""
    out = []
    for family in (4, 6):
        for line in ns.output(["ss", "-tuanH", f"-{family}"]).splitlines():
            proto, state, _, _, local, remote = line.split()[:6]
            out.append((proto, family, SS_STATES.get(state, state),
                        ss_endpoint(local, family), ss_endpoint(remote, family)))
    return out


def sample(*args):
    samples = parse_json_lines(run([NETTOP, "--all-netns", "--batch", "--count", "1", "--json",
                                    *args]).stdout)
    if len(samples) != 1:
        raise CheckError(f"want one sample, got {len(samples)}")
    return samples[0]


def by_netns(s):
    out = {}
    for sock in s["sockets"]:
        out.setdefault(sock.get("netns"), []).append(json_socket(sock))
    return out


def compare(tag, backend):
    def run_compare():
        # ss and nettop look at different moments: a SYN_RECV entry may
        # expire between them; take the pair again before failing.
        for _ in range(3):
            expected = ss_sockets(W.ns[tag])
            actual = by_netns(sample("--backend", backend)).get(W.ns[tag].name, [])
            diff = multiset_diff(expected, actual, show_socket)
            if not diff:
                return None
            time.sleep(0.3)
        return diff
    return run_compare


for _backend in ("bpf", "sockdiag"):
    for _tag in ("a", "b", "c"):
        check(f"{_tag.upper()}, --backend {_backend}: the sockets tagged with its name are exactly "
              "ss -tuan's inside it")(compare(_tag, _backend))


@check("every socket carries a netns that the sample's namespaces list, entered")
def check_tags():
    s = sample()
    names = {n["name"]: n for n in s.get("namespaces", [])}
    ours = [W.ns[t].name for t in ("a", "b", "c")]
    problems = [f"{n} not in namespaces" for n in ours if n not in names]
    problems += [f"{n} not entered: {names[n]}" for n in ours if n in names and not names[n]["entered"]]
    untagged = [x for x in s["sockets"] if x.get("netns") not in names]
    if untagged:
        problems.append(f"{len(untagged)} sockets with no listed netns, e.g. {untagged[0]}")
    return "; ".join(problems)


@check("--backend bpf and sockdiag: A's and B's sockets identical in JSON (cookies, queues, cgroups)")
@harness.retried
def check_backends_identical():
    bpf, sockdiag = sample("--backend", "bpf"), sample("--backend", "sockdiag")
    if bpf.get("backend") != "bpf":
        return f"--backend bpf sampled with {bpf.get('backend')!r}"
    for tag in ("a", "b"):
        name = W.ns[tag].name
        mine = [[x for x in s["sockets"] if x.get("netns") == name] for s in (bpf, sockdiag)]
        if not mine[1]:
            return f"{tag.upper()}: no sockets: the comparison cannot fail"
        if mine[0] != mine[1]:
            pairs = [(x, y) for x, y in zip(mine[1], mine[0]) if x != y]
            return (f"{tag.upper()}: {len(mine[1])} sockets with sockdiag, {len(mine[0])} with bpf\n" +
                    "\n".join(f"sockdiag {x}\n     bpf {y}" for x, y in pairs[:3]))
    if bpf["namespaces"] != sockdiag["namespaces"]:
        return f"namespaces differ: {bpf['namespaces']} against {sockdiag['namespaces']}"
    return None


@check("--backend bpf, one local port in every namespace: A's sockets of 7001 and 8080 as sockdiag's "
       "(the port's bind bucket); C's SYN_RECV of 8080 there too (its whole table)")
@harness.retried
def check_port_walk():
    for port in (7001, 8080):
        args = ["-tan", "sport", "=", f":{port}"]
        bpf, sockdiag = sample("--backend", "bpf", *args), sample("--backend", "sockdiag", *args)
        if not bpf.get("bpf_port_walk"):
            return f"sport = :{port}: no namespace was walked by its port ({bpf.get('bpf_tcp')!r})"
        a = W.ns["a"].name
        mine = [[x for x in s["sockets"] if x.get("netns") == a] for s in (bpf, sockdiag)]
        if len(mine[1]) != 4 or mine[0] != mine[1]:
            return (f"sport = :{port}: A's {len(mine[1])} sockets with sockdiag (want 4), "
                    f"{len(mine[0])} with bpf:\n{mine[1]}\n{mine[0]}")
        syn_recv = [x for x in bpf["sockets"] if x.get("netns") == W.ns["c"].name and x["state"] == "SYN_RECV"]
        if port == C_PORT and len(syn_recv) < C_THRESHOLD:
            return f"sport = :{port}: {len(syn_recv)} of C's SYN_RECV by bpf, want >= {C_THRESHOLD}"
    return None


@check("the flood alert names namespace C and its listener")
def check_flood():
    # other suites may flood their own namespaces meanwhile: C's row is looked for
    flood = sample("--flood-threshold", C_THRESHOLD, "--top-remote=100000")["flood"]
    rows = [l for l in flood["listeners"] if l.get("netns") == W.ns["c"].name]
    want = [(f"127.0.0.1:{C_PORT}", True)]
    if not flood["alert"] or "SYN_RECV" not in flood["causes"].split(", "):
        return f"alert {flood['alert']} causes {flood['causes']!r}"
    if [(l["local"], l["syn_recv"] >= C_THRESHOLD) for l in rows] != want:
        return f"C's listeners {rows}, want 127.0.0.1:{C_PORT} with >= {C_THRESHOLD} SYN_RECV"
    return None


@check("--flood text: C's listener row says 'in C'")
def check_flood_text():
    out = run([NETTOP, "--all-netns", "--batch", "--count", "1", "--flood", "--top-remote=100000",
               "--flood-threshold", C_THRESHOLD]).stdout
    want = f"  127.0.0.1:{C_PORT} in {W.ns['c'].name}"
    rows = [l for l in out.splitlines() if l.endswith(want)]
    return None if len(rows) == 1 else f"no line ending {want!r} in {out[:400]!r}"


@check("a listener on one address and port in A and C is two flood rows, not one")
def check_flood_apart():
    flood = sample("--flood-threshold", C_THRESHOLD, "--top-remote=100000")["flood"]
    rows = [l for l in flood["listeners"] if l["local"] == f"127.0.0.1:{C_PORT}"
            and l.get("netns") in (W.ns["a"].name, W.ns["c"].name)]
    return None if len(rows) == 1 and rows[0]["netns"] == W.ns["c"].name else f"rows {rows}"


@check("without the privilege to enter, namespaces are listed as not entered; exit 0")
def check_unprivileged():
    result = run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", NETTOP,
                  "--all-netns", "--batch", "--count", "1", "--json"], check=False)
    if result.returncode != 0:
        return f"exit {result.returncode}: {result.stderr.strip()[:300]}"
    s = parse_json_lines(result.stdout)[0]
    names = {n["name"]: n for n in s.get("namespaces", [])}
    ours = [names.get(W.ns[t].name) for t in ("a", "b", "c")]
    if any(n is None or n["entered"] or not n.get("error") for n in ours):
        return f"our namespaces: {ours}"
    if s.get("netns_unreadable", 0) < 3 or "could not be entered" not in s.get("note", ""):
        return f"netns_unreadable {s.get('netns_unreadable')}, note {s.get('note')!r}"
    if any(x.get("netns") in {W.ns[t].name for t in ("a", "b", "c")} for x in s["sockets"]):
        return "sockets listed for a namespace it could not enter"
    return None


@check("a namespace made while nettop runs joins the next sample; deleted, it leaves")
def check_appear_vanish():
    nettop = subprocess.Popen([NETTOP, "--all-netns", "--batch", "--json", "--interval", "0.3",
                               "--count", "200"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    harness.STARTED.append(nettop)
    lines = LineReader(nettop.stdout)
    d = Namespace(f"nettop-allns-d-{os.getpid()}")
    try:
        if not lines.get(harness.COMMAND_TIMEOUT):
            return "no first sample"
        d.create()
        proc = helper(d, {"tcp": [[4, "127.0.0.1", 7777]]})

        def wait_for(pred, what):
            for _ in range(40):
                line = lines.get(harness.COMMAND_TIMEOUT)
                if line is None:
                    raise CheckError(f"nettop ended waiting for {what}")
                if pred(json.loads(line)):
                    return
            raise CheckError(f"no sample with {what} in 40")
        wait_for(lambda s: any(x.get("netns") == d.name and x["local"] == "127.0.0.1:7777"
                               for x in s["sockets"]), "D's listener")
        stop(proc)
        d.delete()
        wait_for(lambda s: all(n["name"] != d.name for n in s["namespaces"]), "D gone")
    finally:
        stop(nettop)
        if d.name in harness.NAMESPACES:
            d.delete()
    return None


@check("the listener made in a new cgroup carries its path; other sockets do not")
def check_cgroup():
    s = sample()
    mine = [x for x in s["sockets"] if x.get("netns") == W.ns["b"].name]
    listener = [x for x in mine if x["local"] == "127.0.0.1:6061"]
    if len(listener) != 1 or listener[0].get("cgroup") != W.cgroup[1]:
        return f"listener {listener}, want cgroup {W.cgroup[1]!r}"
    others = [x for x in mine if x.get("cgroup") == W.cgroup[1] and x is not listener[0]]
    return f"other sockets in the cgroup: {others}" if others else None


def filtered(expr, *args):
    return [(x.get("netns"), x["local"], x["state"]) for x in sample("-f", expr, *args)["sockets"]]


@check("-f \"cgroup '*nettop-test-*'\" keeps exactly that listener (--all-netns and --netns)")
def check_cgroup_filter():
    glob = f"cgroup '*{W.cgroup[1][1:]}*'"
    got = filtered(glob)
    want = [(W.ns["b"].name, "127.0.0.1:6061", "LISTEN")]
    if got != want:
        return f"--all-netns: {got}, want {want}"
    # --netns: the paths from nettop's own mounts (ip netns exec's /sys has no cgroup2)
    one = parse_json_lines(run([NETTOP, "--netns", W.ns["b"].name, "--batch", "--count", "1",
                                "--json", "-f", glob]).stdout)
    got = [(x["local"], x.get("cgroup")) for x in one[0]["sockets"]]
    return None if got == [("127.0.0.1:6061", W.cgroup[1])] else f"B alone (--netns): {got}"


@check("under ip netns exec (no cgroup2 in its /sys) a cgroup filter's sample says paths are unknown")
def check_cgroup_unknown():
    one = parse_json_lines(W.ns["b"].output([NETTOP, "--batch", "--count", "1", "--json",
                                              "-f", "cgroup * or tcp"]))[0]
    if "cgroup" in str(one["sockets"]) or "cgroup paths unknown" not in one.get("note", ""):
        return f"note {one.get('note')!r}, sockets {one['sockets'][:2]}"
    return None


@check("--group cgroup: our cgroup's row counts its one listener")
def check_group_cgroup():
    out = run([NETTOP, "--all-netns", "--batch", "--count", "1", "--group", "cgroup"]).stdout
    rows = [l.split() for l in out.splitlines() if f" {W.cgroup[1]} " in l + " "]
    want = [["1", "0", "0", W.cgroup[1], "LISTEN:1"]]
    return None if rows == want else f"rows {rows}, want {want}; {out[:300]!r}"


@check("--group netns: each namespace's row counts the sockets ss lists in it")
def check_group_netns():
    for _ in range(3):      # C's SYN_RECV entries may expire between the looks
        out = run([NETTOP, "--batch", "--count", "1", "--group", "netns", "-f",
                   f"netns nettop-allns-*-{os.getpid()}"]).stdout
        got = {l.split()[1]: int(l.split()[0]) for l in out.splitlines()[2:] if len(l.split()) > 1}
        want = {W.ns[t].name: len(ss_sockets(W.ns[t])) for t in ("a", "b", "c")}
        if got == want:
            return None
        time.sleep(0.3)
    return dict_diff(want, got)


@check("-f 'netns NAME' keeps exactly that namespace's sockets")
def check_netns_filter():
    got = filtered(f"netns {W.ns['a'].name}")
    want = by_netns(sample()).get(W.ns["a"].name, [])
    if {g[0] for g in got} != {W.ns["a"].name} or len(got) != len(want):
        return f"{len(got)} sockets of {sorted({g[0] for g in got})}, want {len(want)} of A"
    return None


@check("an unnamed namespace is named by its process's container or unit, escaped")
def check_owner_names():
    out = run([NETTOP, "--all-netns", "--batch", "--count", "1", "--json"]).stdout
    if "\x1b" in out or "\x07" in out:
        return "a control byte of a cgroup's name reached the output unescaped"
    s = parse_json_lines(out)[0]
    problems = []
    for tag, (_, want) in OWNERS.items():
        # the escaped form, as nettop prints it: compare what JSON decodes to
        esc = want.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
        names = [n for n in s["namespaces"] if n.get("container") in (want, esc)]
        if len(names) != 1 or names[0]["name"] != names[0]["container"]:
            problems.append(f"{tag}: namespaces {names}")
            continue
        socks = [x["local"] for x in s["sockets"] if x.get("netns") == names[0]["name"]]
        if socks != ["127.0.0.1:6061"]:
            problems.append(f"{tag}: sockets {socks}")
    return "; ".join(problems)


def prom_lines(*args):
    path = os.path.join(W.tmp, "metrics.prom")
    run([NETTOP, "--all-netns", "--batch", "--count", "1", "--prometheus", path, *args])
    with open(path) as f:
        text = f.read()
    check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                           text=True, timeout=harness.COMMAND_TIMEOUT)
    if check.returncode != 0:
        raise CheckError(f"promtool check metrics: {(check.stdout + check.stderr).strip()[:300]}")
    return text, [l for l in text.splitlines() if l and not l.startswith("#")]


def series_sum(lines, name, **labels):
    want = [f'{k}="{v}"' for k, v in labels.items()]
    return sum(float(l.rsplit(" ", 1)[1]) for l in lines
               if l.startswith(name + "{") and all(w in l for w in want))


@check("Prometheus: promtool accepts the metrics; each namespace's sockets carry its netns label")
def check_prom_labels():
    _, lines = prom_lines("--prometheus-top", "100000")
    problems = []
    for tag in ("a", "b", "c"):
        ns = W.ns[tag]
        got = series_sum(lines, "nettop_sockets", netns=ns.name)
        want = len(ss_sockets(ns))
        # C's SYN_RECV entries may expire between the two looks
        if got != want and not (tag == "c" and abs(got - want) <= 5):
            problems.append(f"{ns.name}: nettop_sockets sum {got}, ss {want}")
    listener = series_sum(lines, "nettop_listener_syn_recv", netns=W.ns["c"].name,
                          local=f"127.0.0.1:{C_PORT}")
    if listener < C_THRESHOLD:
        problems.append(f"C's listener series {listener}")
    owner = [l for l in lines if l.startswith("nettop_sockets{") and 'container="docker:4f1c2a3b5d6e"' in l]
    if not owner:
        problems.append("no series with container=\"docker:4f1c2a3b5d6e\"")
    if not [l for l in lines if l.startswith("nettop_tcp_syncookies_sent_total{netns=")]:
        problems.append("no per-namespace nettop_tcp_syncookies_sent_total")
    return "; ".join(problems)


@check("Prometheus: --prometheus-top 2 keeps the 2 namespaces with most sockets, B's go to _other")
def check_prom_bound():
    ours = ("-f", f"netns nettop-allns-*-{os.getpid()}")     # other suites' namespaces come and go
    _, all_lines = prom_lines("--prometheus-top", "100000", *ours)
    _, lines = prom_lines("--prometheus-top", "2", *ours)
    labels = {l.split('netns="', 1)[1].split('"', 1)[0] for l in lines if l.startswith("nettop_sockets{")}
    want = {W.ns["a"].name, W.ns["c"].name, "_other"}     # B has fewest sockets
    if labels != want:
        return f"netns labels {sorted(labels)}, want {sorted(want)}"
    other = series_sum(lines, "nettop_sockets", netns="_other", state="LISTEN")
    b = series_sum(all_lines, "nettop_sockets", netns=W.ns["b"].name, state="LISTEN")
    return None if other == b and other > 0 else f"_other LISTEN {other}, B's {b}"


def traced(trace, calls, *args):
    """One --all-netns sample under strace (calls traced into trace): its namespaces entered."""
    # LeakSanitizer (SAN=1 builds) cannot run under ptrace
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    out = run(["strace", "-f", "-o", trace, "-e", f"trace={calls}", "-e", "signal=none",
               NETTOP, "--all-netns", "--batch", "--count", "1", "--json", *args], env=env).stdout
    return [n for n in parse_json_lines(out)[0]["namespaces"] if n["entered"]]


@check("no dump and no walk of a namespace whose sockstat counts no socket (5 empty ones made)")
def check_empty_skipped():
    empty = [Namespace(f"nettop-allns-e{i}-{os.getpid()}") for i in range(5)]
    trace = os.path.join(W.tmp, "strace")
    try:
        for ns in empty:
            ns.create()
        entered = traced(trace, "sendto", "--backend", "sockdiag")
        with open(trace) as f:
            dumps = sum("SOCK_DIAG_BY_FAMILY" in l or "nlmsg_type=0x14" in l for l in f)
        # at most TCP and UDP, v4 and v6, of each namespace that is not empty
        if dumps > 4 * (len(entered) - len(empty)):
            return f"sockdiag: {dumps} dumps for {len(entered)} namespaces, {len(empty)} of them empty"
        # BPF: each namespace is entered once (and left) to open its files,
        # then once more to be walked, unless it is empty
        entered = traced(trace, "setns", "--backend", "bpf")
        with open(trace) as f:
            setns = sum(" setns(" in l for l in f)
        if setns > 2 * len(entered) + 2 * (len(entered) - len(empty)):
            return f"bpf: {setns} setns() for {len(entered)} namespaces, {len(empty)} of them empty"
        return None
    finally:
        for ns in empty:
            ns.delete()


@check("--all-netns with --netns or --record exits 2 with a message")
def check_usage():
    for extra in (["--netns", "x"], ["--record", "/nonexistent/x"]):
        err = harness.usage_error(run([NETTOP, "--all-netns", "--batch", "--count", "1", *extra],
                                      check=False))
        if err:
            return f"{extra}: {err}"
    return None


def main():
    if not harness.may_start("network namespaces, nft and raw sockets"):
        return 1
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-allns.")
        results.append(run_check("setup: three namespaces and a flood in C",
                                 lambda: setup() or None))
        if results[-1]:
            results += [run_check(name, fn) for name, fn in harness.CHECKS]
    finally:
        harness.cleanup(W.tmp, stop)
        remove_cgroup()
    return summary(results)


if __name__ == "__main__":
    sys.exit(main())
