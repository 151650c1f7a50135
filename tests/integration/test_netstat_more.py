#!/usr/bin/env python3
"""The rest of netstat (issue 22): nettop's -r -rn -rn6 -x -xp -w -e -o -g -ie
against net-tools netstat, -M and --conntrack against conntrack(8), in two
private namespaces of its own.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_netstat_more.py

A and B are joined by a veth pair (10.22.0.1 and 10.22.0.5 in A, 10.22.0.2 in
B; fd22::1 and fd22::2), so nothing leaves them; both are deleted however
the test ends (try/finally; SIGINT, SIGTERM and SIGHUP become plain exits),
and every process started here is stopped by its pid. A holds:
  routes: 10.23.0.0/16 via B, a host route, an unreachable and a blackhole
    one, a multipath one; fd23::/48 via B, an unreachable IPv6 route and a
    multipath one (listed once per hop);
  multicast joins: 239.1.2.3 (IP_ADD_MEMBERSHIP) and ff15::1234
    (IPV6_JOIN_GROUP) on the veth;
  Unix sockets: a stream listener on a path with a connection, a datagram
    socket on an abstract name and one connected to it, a socketpair, a
    seqpacket listener on an abstract name;
  raw sockets: ICMP and ICMPv6;
  TCP timers of each kind: "on" (a SYN to a port B drops), "keepalive" (a
    connection with SO_KEEPALIVE), "timewait" (one closed first by A), "off"
    (the accepted side, and listeners);
  NATed flows: nft masquerades what leaves A from 10.22.0.5, and a TCP
    connection and a UDP exchange from there to B make two SNAT flows.

Comparisons: netstat's order comes from the kernel's hash tables for -x, -w,
-e, -o, -g and -ie (the IPv6 addresses of an interface), so those compare
as sorted multisets of lines; -r and -rn compare line for line. -ie's
counters must not move between the two runs: nothing sends meanwhile. Two columns differ by nature and are said so:
-o's remaining times (taken a moment apart) must agree within 2 seconds,
kind, retransmits and probes exactly; -rn6's Ref column is the kernel's
reference count of the route, which netlink does not carry, so it is masked.

Each check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

import harness
from harness import (NETTOP, CheckError, LineReader, Namespace, check, multiset_diff, retried,
                     run_check, summary)

NO_DAD = {"net.ipv6.conf.all.accept_dad": 0, "net.ipv6.conf.default.accept_dad": 0}


class W:
    """The test's world, filled by setup()."""
    tmp = None
    a = None
    b = None
    helper = None


# Runs inside A: the sockets described above, then "READY", then holds them
# until its stdin closes or it is killed.
HELPER_A = r"""
import os, socket, struct, sys, time
tmp = sys.argv[1]
held = []
def keep(s):
    held.append(s)
    return s
path = os.path.join(tmp, "stream.sock")
lst = keep(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); lst.bind(path); lst.listen(4)
cli = keep(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); cli.connect(path); keep(lst.accept()[0])
dg = keep(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)); dg.bind("\0nettop-more-dgram")
dc = keep(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)); dc.connect("\0nettop-more-dgram")
for s in socket.socketpair(): keep(s)
sq = keep(socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)); sq.bind("\0nettop-more-seq"); sq.listen(1)
keep(socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
keep(socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6))
m4 = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); m4.bind(("0.0.0.0", 5000))
m4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
              socket.inet_aton("239.1.2.3") + socket.inet_aton("10.22.0.1"))
m6 = keep(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
m6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
              socket.inet_pton(socket.AF_INET6, "ff15::1234") + struct.pack("I", socket.if_nametoindex("nm-a")))
srv = keep(socket.socket()); srv.bind(("127.0.0.1", 7000)); srv.listen(8)
ka = keep(socket.create_connection(("127.0.0.1", 7000)))
ka.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
keep(srv.accept()[0])
def time_wait():
    # closed first by A: TIME_WAIT in A for 60 s
    tw = socket.create_connection(("127.0.0.1", 7000)); peer = srv.accept()[0]
    tw.close(); time.sleep(0.2); peer.close()
time_wait()
syn = keep(socket.socket()); syn.setblocking(False)
try:
    syn.connect(("10.22.0.2", 9))
except BlockingIOError:
    pass
nat = keep(socket.socket()); nat.bind(("10.22.0.5", 0)); nat.connect(("10.22.0.2", 8000))
u = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); u.bind(("10.22.0.5", 0))
u.sendto(b"x", ("10.22.0.2", 8001)); u.settimeout(5); u.recv(16)
def refresh():
    # a UDP flow lives 30 s unanswered, 120 s once it streams: keep it
    while True:
        time.sleep(10)
        u.sendto(b"x", ("10.22.0.2", 8001))
        try:
            u.recv(16)
        except OSError:
            pass
import threading
threading.Thread(target=refresh, daemon=True).start()
print("READY", flush=True)
for line in sys.stdin:
    # "tw": a fresh TIME_WAIT socket, for checks run more than 60 s in
    time_wait()
    print("OK", flush=True)
"""

# Runs inside B: the NATed flows' far end; a UDP echo, so that flow is replied.
HELPER_B = r"""
import socket, sys, threading
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("10.22.0.2", 8000)); l.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.22.0.2", 8001))
def echo():
    while True:
        data, peer = u.recvfrom(16)
        u.sendto(data, peer)
threading.Thread(target=echo, daemon=True).start()
held = []
def accept():
    while True:
        held.append(l.accept()[0])
threading.Thread(target=accept, daemon=True).start()
print("READY", flush=True)
sys.stdin.read()
"""


stop = harness.stop_process


def start_helper(ns, script, *args):
    proc = ns.popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.lines = LineReader(proc.stdout)
    if proc.lines.get(15) != "READY":
        stop(proc)
        raise CheckError(f"helper in {ns.name} did not start")
    return proc


def fresh_time_wait():
    """Asks A's helper for a new TIME_WAIT socket (they last 60 s)."""
    W.helper.stdin.write("tw\n")
    W.helper.stdin.flush()
    if W.helper.lines.get(10) != "OK":
        raise CheckError("the helper made no TIME_WAIT socket")


def setup_world():
    pid = os.getpid()
    W.a, W.b = Namespace(f"nettop-more-a-{pid}"), Namespace(f"nettop-more-b-{pid}")
    W.a.create(NO_DAD)
    W.b.create(NO_DAD)
    W.a.run(["ip", "link", "add", "nm-a", "type", "veth", "peer", "name", "nm-b", "netns", W.b.name])
    for argv in (["ip", "addr", "add", "10.22.0.1/24", "dev", "nm-a"],
                 ["ip", "addr", "add", "10.22.0.5/24", "dev", "nm-a"],
                 ["ip", "-6", "addr", "add", "fd22::1/64", "dev", "nm-a", "nodad"],
                 ["ip", "link", "set", "nm-a", "up"],
                 ["ip", "route", "add", "10.23.0.0/16", "via", "10.22.0.2"],
                 ["ip", "route", "add", "10.24.0.1/32", "via", "10.22.0.2"],
                 ["ip", "route", "add", "unreachable", "10.25.0.0/16"],
                 ["ip", "route", "add", "blackhole", "10.26.0.0/16"],
                 ["ip", "route", "add", "10.30.0.0/16", "via", "10.22.0.2"],
                 ["ip", "-6", "route", "add", "fd23::/48", "via", "fd22::2"],
                 ["ip", "-6", "route", "add", "unreachable", "fd24::/48"],
                 ["ip", "route", "add", "10.27.0.0/16", "nexthop", "via", "10.22.0.2",
                  "nexthop", "via", "10.22.0.3"],
                 ["ip", "-6", "route", "add", "fd25::/48", "nexthop", "via", "fd22::2", "dev", "nm-a",
                  "nexthop", "via", "fd22::3", "dev", "nm-a"]):
        W.a.run(argv)
    for argv in (["ip", "addr", "add", "10.22.0.2/24", "dev", "nm-b"],
                 ["ip", "-6", "addr", "add", "fd22::2/64", "dev", "nm-b", "nodad"],
                 ["ip", "link", "set", "nm-b", "up"],
                 ["nft", "add", "table", "ip", "more"],
                 ["nft", "add", "chain", "ip", "more", "in", "{ type filter hook input priority 0; }"],
                 ["nft", "add", "rule", "ip", "more", "in", "tcp dport 9 drop"]):
        W.b.run(argv)
    for argv in (["nft", "add", "table", "ip", "more"],
                 ["nft", "add", "chain", "ip", "more", "post",
                  "{ type nat hook postrouting priority 100; }"],
                 ["nft", "add", "rule", "ip", "more", "post",
                  'oifname "nm-a" ip saddr 10.22.0.5 masquerade']):
        W.a.run(argv)
    W.b.helper = start_helper(W.b, HELPER_B)
    W.helper = start_helper(W.a, HELPER_A, W.tmp)


# ---------------------------------------------------------------- comparisons

# netstat -p reads every process's fds, of every namespace: with a process
# of 100,000 sockets elsewhere on the host that takes tens of seconds.
SLOW_TIMEOUT = 180


def outputs(flags):
    """(netstat's lines, nettop's lines) for flags, run in A one after the other."""
    netstat = W.a.run(["netstat", *flags], timeout=SLOW_TIMEOUT).stdout.splitlines()
    nettop = W.a.run([NETTOP, *flags], timeout=SLOW_TIMEOUT).stdout.splitlines()
    return netstat, nettop


def line_diff(expected, actual):
    if expected == actual:
        return None
    import difflib
    return "output differs (netstat -, nettop +)\n" + "\n".join(
        list(difflib.unified_diff(expected, actual, "netstat", "nettop", lineterm="", n=1))[:40])


def sorted_diff(expected, actual):
    detail = multiset_diff(expected, actual, show=repr)
    return f"lines differ (netstat -, nettop +)\n{detail}" if detail else None


def same_lines(*flags):
    def run():
        return line_diff(*outputs(flags))
    return retried(run)


def same_multiset(*flags):
    def run():
        return sorted_diff(*outputs(flags))
    return retried(run)


def require(lines, pattern, what):
    if not any(re.search(pattern, line) for line in lines):
        raise CheckError(f"{what}: no line matches {pattern!r}; the setup did not hold")


for _flags in (["-r"], ["-rn"], ["-rne"], ["-rnee"], ["-rnC"]):
    check(f"{' '.join(_flags)} equals netstat line for line")(same_lines(*_flags))


def route6_masked(lines):
    """Ref, the kernel's reference count (not in netlink), masked."""
    out = []
    for line in lines:
        f = line.split()
        if len(f) == 7 and "/" in f[0]:
            line = line[:63] + re.sub(r"^(-?\d+ +)(\d+)", lambda m: m.group(1) + "R" * len(m.group(2)),
                                      line[63:])
        out.append(line)
    return out


@check("-rn6 equals netstat as a sorted multiset (Ref masked)")
@retried
def check_rn6():
    netstat, nettop = outputs(["-rn6"])
    require(netstat, r"^fd23::/48 +fd22::2 +UG ", "netstat -rn6")
    require(netstat, r"^fd24::/48 ", "netstat -rn6")
    require(netstat, r"^fd25::/48 +fd22::3 ", "netstat -rn6")
    return sorted_diff(route6_masked(netstat), route6_masked(nettop))


@check("-rn shows the routes set up (gateway, host, unreachable)")
def check_rn_content():
    netstat, _ = outputs(["-rn"])
    require(netstat, r"^10\.23\.0\.0 +10\.22\.0\.2 +255\.255\.0\.0 +UG ", "netstat -rn")
    require(netstat, r"^10\.24\.0\.1 +10\.22\.0\.2 +255\.255\.255\.255 UGH ", "netstat -rn")
    require(netstat, r"^10\.25\.0\.0 +- ", "netstat -rn")


for _flags in (["-x"], ["-xp"], ["-xa"], ["-xl"], ["-w"], ["-wa"], ["-wan"], ["-e"], ["-ea"],
               ["-ean"], ["-g"], ["-gn"], ["-an"], ["-aep"], ["-ie"], ["-tgn"], ["-xgn"]):
    check(f"{' '.join(_flags)} equals netstat as a sorted multiset")(same_multiset(*_flags))


# -v (verbose: netstat's stderr names the families it lacks), -N (symbolic
# names, the default) and -F (the FIB: -r's default table) change nothing
# netstat prints on stdout; nettop takes them the same way.
for _flags in (["-rnF"], ["-rF"], ["-rnv"], ["-rnN"]):
    check(f"{' '.join(_flags)} equals netstat line for line")(same_lines(*_flags))
for _flags in (["-anv"], ["-anN"], ["-tN"], ["-Fn"], ["-xnv"]):
    check(f"{' '.join(_flags)} equals netstat as a sorted multiset")(same_multiset(*_flags))


@check("-V prints the version alone and exits 0, whatever else is asked")
def check_version():
    for flags in (["-V"], ["-tnV"], ["-rV"], ["-vV"]):
        proc = W.a.run([NETTOP, *flags])
        netstat = W.a.run(["netstat", *flags])
        lines = proc.stdout.splitlines()
        if proc.returncode != 0 or netstat.returncode != 0:
            return f"{flags}: exit {proc.returncode} (netstat {netstat.returncode}), want 0"
        if len(lines) != 1 or not re.fullmatch(r"nettop \S+", lines[0]):
            return f"{flags}: printed {proc.stdout[:200]!r}, want one line 'nettop VERSION'"
        if "Active" in netstat.stdout or "routing" in netstat.stdout:
            return f"netstat {flags} printed a listing: the check's premise is wrong"
    return None


@check("-xa, -wa, -ga: the setup's sockets and groups are listed")
def check_setup_listed():
    netstat, _ = outputs(["-xa"])
    require(netstat, r"STREAM +LISTENING .*stream\.sock$", "netstat -xa")
    require(netstat, r"DGRAM +CONNECTED .*@nettop-more-dgram$", "netstat -xa")
    require(netstat, r"SEQPACKET +LISTENING .*@nettop-more-seq$", "netstat -xa")
    netstat, _ = outputs(["-wan"])
    require(netstat, r"^raw6 ", "netstat -wan")
    netstat, _ = outputs(["-gn"])
    require(netstat, r"^nm-a +1 +239\.1\.2\.3$", "netstat -gn")
    require(netstat, r"^nm-a +1 +ff15::1234$", "netstat -gn")


TIMER = re.compile(r"(on|keepalive|timewait|off|probe) \((\d+\.\d\d)/(\d+)/(\d+)\)$")


def timer_split(lines):
    """Each line with its remaining time cut out: (masked line, seconds or None)."""
    out = []
    for line in lines:
        m = TIMER.search(line)
        if m:
            out.append((line[:m.start(2)] + "T" + line[m.end(2):], float(m.group(2))))
        else:
            out.append((line, None))
    return sorted(out)


def timers_check(flags):
    def run():
        fresh_time_wait()
        netstat, nettop = outputs(flags)
        for kind in ("on", "keepalive", "timewait", "off"):
            require(netstat, rf" {kind} \(", f"netstat {' '.join(flags)}")
        want, got = timer_split(netstat), timer_split(nettop)
        detail = sorted_diff([w for w, _ in want], [g for g, _ in got])
        if detail:
            return detail + "\n(remaining times masked as T)"
        far = [f"{w}: netstat {a}, nettop {b}" for (w, a), (_, b) in zip(want, got)
               if a is not None and abs(a - b) > 2.0]
        return "remaining times differ by more than 2 s\n" + "\n".join(far) if far else None
    return retried(run)


for _flags in (["-o"], ["-oa"], ["-oan"]):
    check(f"{' '.join(_flags)} equals netstat (remaining times within 2 s)")(timers_check(_flags))


# ---------------------------------------------------------------- conntrack

CT_LINE = re.compile(r"^(\w+)\s+\d+\s+(\d+)\s+(?:[A-Z_]+\s+)?src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)"
                     r".*? src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)")


def conntrack_flows(*args):
    """(proto, orig src, dst, sport, dport, reply src, dst, sport, dport) of conntrack -L."""
    flows = []
    for line in W.a.output(["conntrack", "-L", *args]).splitlines():
        m = CT_LINE.match(line)
        if m:
            g = m.groups()
            flows.append((g[0], g[2], g[3], int(g[4]), int(g[5]), g[6], g[7], int(g[8]), int(g[9])))
    return flows


@check("-M lists the flows conntrack -L shows NATed")
@retried
def check_masq():
    natted = conntrack_flows("--src-nat")
    if len(natted) < 2:
        return f"conntrack -L --src-nat shows {len(natted)} flows, want the TCP and UDP ones"
    want = [(p, s, d, sp, dp, rdp) for p, s, d, sp, dp, _, _, _, rdp in natted]
    lines = W.a.output([NETTOP, "-Mn"]).splitlines()
    if lines[:2] != ["IP masquerading entries",
                     "prot   expire source               destination          ports"]:
        return f"header is {lines[:2]!r}"
    got = []
    for line in lines[2:]:
        m = re.match(r"^(\w+) *\d+:\d\d\.\d\d (\S+) +(\S+) +(\d+) -> (\d+) \((\d+)\)$", line)
        if not m:
            return f"row not in netstat -M's layout: {line!r}"
        p, s, d, sp, dp, mp = m.groups()
        got.append((p, s, d, int(sp), int(dp), int(mp)))
    return multiset_diff(want, got, show=repr)


def json_conntrack():
    lines = W.a.output([NETTOP, "--json", "--conntrack"]).splitlines()
    if len(lines) != 1:
        raise CheckError(f"{len(lines)} JSON lines, want 1")
    return json.loads(lines[0])["conntrack"]


@check("--conntrack: count equals conntrack -C, flows equal conntrack -L")
@retried
def check_conntrack_json():
    count = int(W.a.output(["conntrack", "-C"]).strip())
    want = conntrack_flows()
    ct = json_conntrack()
    problems = []
    if ct.get("count") != count:
        problems.append(f"count {ct.get('count')!r}, conntrack -C {count}")
    if not isinstance(ct.get("max"), int) or ct["max"] <= 0:
        problems.append(f"max {ct.get('max')!r}")
    got = [(f["proto"], f["original"]["src"], f["original"]["dst"], f["original"]["sport"],
            f["original"]["dport"], f["reply"]["src"], f["reply"]["dst"], f["reply"]["sport"],
            f["reply"]["dport"]) for f in ct.get("flows", []) if f["proto"] in ("tcp", "udp")]
    detail = multiset_diff(want, got, show=repr)
    if detail:
        problems.append("flows differ (conntrack -L -, nettop +)\n" + detail)
    for key in ("drop", "early_drop", "insert_failed", "search_restart"):
        if not isinstance(ct.get("stats", {}).get(key), int):
            problems.append(f"stats.{key} missing")
    return "; ".join(problems)


# Runs inside A: n UDP datagrams to as many destinations (routed to B, which
# neither forwards nor answers them), each a conntrack entry of its own.
FILL = r"""
import socket, sys
n, sent = int(sys.argv[1]), 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.22.0.1", 0))
for port in range(9, 20):
    for i in range(65536):
        if sent == n:
            break
        s.sendto(b"", ("10.30.%d.%d" % (i >> 8, i & 255), port))
        sent += 1
print(sent)
"""

CT_HEAD = re.compile(r'"conntrack":\{"count":(\d+),"max":(\d+),"alert":(null|"\w+")')


@check("--conntrack: a table filled past 90% of its maximum raises the alert")
def check_conntrack_alert():
    """nf_conntrack_max is read-only inside a namespace (and lowering the
    host's would hurt everything else running), so the namespace's table is
    filled to 90% of the real maximum instead: its count is its own."""
    before = json_conntrack()
    if before.get("alert") is not None:
        return f"alert {before['alert']!r} at {before['count']}/{before['max']} before the fill"
    need = -(-before["max"] * 9 // 10) - before["count"] + 64
    if need > 600000:
        return f"nf_conntrack_max is {before['max']}: too many entries to fill here"
    W.a.run([sys.executable, "-c", FILL, str(need)], timeout=120)
    out = W.a.output([NETTOP, "--json", "--conntrack"])
    m = CT_HEAD.search(out)
    if not m:
        return f"no conntrack member at the start of: {out[:200]!r}"
    count, ct_max, alert = int(m.group(1)), int(m.group(2)), m.group(3)
    if alert != '"full"':
        return f"alert {alert} at {count}/{ct_max}, want \"full\""
    return None


# ---------------------------------------------------------------- runner

def main():
    if not harness.may_start("network namespaces and nft"):
        return 1
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-more.")
        os.chmod(W.tmp, 0o755)
        results.append(run_check("setup: namespaces, routes, sockets, groups, NATed flows",
                                 lambda: setup_world() or None))
        if results[-1]:
            for name, fn in harness.CHECKS:
                results.append(run_check(name, fn))
    finally:
        harness.cleanup(W.tmp, stop)
    return summary(results)


if __name__ == "__main__":
    sys.exit(main())
