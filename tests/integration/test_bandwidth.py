#!/usr/bin/env python3
"""Bandwidth per group and TCP health (issue 20), against the tools that own
the answers: tc's shaped rate and ss -ti's retransmits.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_bandwidth.py

Two namespaces of its own, S (server) and C (client), joined by two veth
pairs: A (10.20.1.1 in S, 10.20.1.2 in C), whose S end a tbf qdisc shapes to
8 Mbit/s, and B (10.20.2.1, 10.20.2.2), unshaped. Three flows, each from its
own sender process in S to a receiver in C:
  shaped  port 5001 over A: sends as fast as it can; tbf sets its rate;
  fast    port 5002 over B: the sender paces itself to 3 MB/s;
  lossy   port 5003 over B: paced to 1 MB/s, and an nft rule in C drops 5%
          of its segments at random (numgen; this kernel has no netem).
The shaped flow's payload rate is tc's rate less the headers' share: a
1514-byte frame carries 1448 bytes of payload (timestamps on).

Checks: the shaped rate within 10%, averaged over samples, for its remote
address (top_remote[].tx_bps), its listener and its process in JSON, and on
the screen (the remote pane; the total line of the connections its listener
accepted, as Enter on it filters them; the by-process pane, P); its segments
per second (--health) against the packets tc sent; the listener's byte
counter in Prometheus between ss -ti's bytes_acked before and after; the
lossy flow's socket has retransmits in
JSON, and first on the screen sorted by them; "retrans > 0" selects only
sockets ss -ti shows with retransmits, the lossy one among them; "tx > 1M"
selects the fast flow and not the shaped one. Everything is deleted and
stopped by pid however the test ends.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import harness
from harness import NETTOP, CheckError, LineReader, Namespace, check, run_check, summary

RATE_BITS = 8_000_000
PAYLOAD_RATE = RATE_BITS / 8 * 1448 / 1514
TOLERANCE = 0.10
SAMPLES = 4                 # the first has no rates: 3 intervals averaged
SHAPED, FAST, LOSSY = 5001, 5002, 5003
TMUX_TIMEOUT = 15

SENDER = r"""
import socket, sys, time
port, rate = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(4)
print("READY", flush=True)
c, _ = s.accept()
chunk = b"x" * 16384
start, sent = time.monotonic(), 0
try:
    while True:
        if rate:
            ahead = sent / rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
        c.sendall(chunk)
        sent += len(chunk)
except OSError:
    pass
"""

RECEIVER = r"""
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
print("READY", flush=True)
while c.recv(1 << 20):
    pass
"""


class W:
    """The test's world, filled by setup_world()."""
    tmp = None
    s = None
    c = None
    senders = {}            # port: Popen
    tmux = None


def stop(proc):
    harness.stop_process(proc)


def start_ready(ns, argv):
    proc = ns.popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    proc.lines = LineReader(proc.stdout)
    if proc.lines.get(10) != "READY":
        raise CheckError(f"{' '.join(argv)} did not start in {ns.name}")
    return proc


def setup_world():
    pid = os.getpid()
    W.s, W.c = Namespace(f"nettop-bw-s-{pid}"), Namespace(f"nettop-bw-c-{pid}")
    W.s.create()
    W.c.create()
    for pair, net in (("a", "10.20.1"), ("b", "10.20.2")):
        W.s.run(["ip", "link", "add", f"bw{pair}s", "type", "veth", "peer", "name", f"bw{pair}c",
                 "netns", W.c.name])
        W.s.run(["ip", "addr", "add", f"{net}.1/24", "dev", f"bw{pair}s"])
        W.s.run(["ip", "link", "set", f"bw{pair}s", "up"])
        W.c.run(["ip", "addr", "add", f"{net}.2/24", "dev", f"bw{pair}c"])
        W.c.run(["ip", "link", "set", f"bw{pair}c", "up"])
    W.s.run(["tc", "qdisc", "add", "dev", "bwas", "root", "tbf", "rate", f"{RATE_BITS}bit",
             "burst", "32kbit", "latency", "1s"])
    for argv in (["nft", "add", "table", "inet", "bw"],
                 ["nft", "add", "chain", "inet", "bw", "in", "{ type filter hook input priority 0; }"],
                 ["nft", "add", "rule", "inet", "bw", "in",
                  f"tcp sport {LOSSY} numgen random mod 100 < 5 drop"]):
        W.c.run(argv)
    sender, receiver = os.path.join(W.tmp, "sender.py"), os.path.join(W.tmp, "receiver.py")
    with open(sender, "w") as f:
        f.write(SENDER)
    with open(receiver, "w") as f:
        f.write(RECEIVER)
    for port, rate, host in ((SHAPED, 0, "10.20.1.1"), (FAST, 3e6, "10.20.2.1"),
                             (LOSSY, 1e6, "10.20.2.1")):
        W.senders[port] = start_ready(W.s, [sys.executable, sender, str(port), str(rate)])
        start_ready(W.c, [sys.executable, receiver, host, str(port)])
    time.sleep(2)           # tbf's burst spent, the rates steady


def nettop_json(*args, count=SAMPLES):
    out = W.s.output([NETTOP, "--batch", "--json", "--count", str(count), "--interval", "1", *args])
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def within(what, values):
    """None when the mean of values is within TOLERANCE of the shaped rate."""
    if not values or None in values:
        return f"{what}: no rate in every sample: {values}"
    mean = sum(values) / len(values)
    if abs(mean - PAYLOAD_RATE) > TOLERANCE * PAYLOAD_RATE:
        return (f"{what}: {mean:.0f} B/s on average ({', '.join(f'{v:.0f}' for v in values)}), "
                f"tc's rate is {PAYLOAD_RATE:.0f} B/s of payload (within {TOLERANCE:.0%})")
    return None


def group_rates():
    samples = nettop_json("--group", "process")[1:]
    remote, listener, process = [], [], []
    for s in samples:
        tcp = sum(k["tx_bps"] or 0 for k in s["sockets"] if k["proto"] == "tcp")
        if abs(s["total"]["tx_bps"] - tcp) > 1:
            raise CheckError(f"total tx_bps {s['total']['tx_bps']}: the TCP sockets' sum is {tcp}")
        remote += [r["tx_bps"] for r in s["top_remote"] if r["addr"] == "10.20.1.2"] or [None]
        listener += [r["tx_bps"] for r in s["listeners"] if r["local"] == f"0.0.0.0:{SHAPED}"] or [None]
        process += [r["tx_bps"] for r in s["processes"] if r["pid"] == W.senders[SHAPED].pid] or [None]
    return remote, listener, process


@check("the shaped flow's rate, as tc shapes it: its remote address, listener and process in JSON")
def check_group_rates():
    remote, listener, process = group_rates()
    problems = [p for p in (within("top_remote 10.20.1.2", remote),
                            within(f"listener 0.0.0.0:{SHAPED}", listener),
                            within(f"process {W.senders[SHAPED].pid}", process)) if p]
    return "\n".join(problems) or None


TC_SENT = re.compile(r"Sent (\d+) bytes (\d+) pkt")


def tc_packets():
    """Packets tbf has sent on the shaped path, and when."""
    out = W.s.output(["tc", "-s", "qdisc", "show", "dev", "bwas"])
    m = TC_SENT.search(out)
    if not m:
        raise CheckError(f"no 'Sent N bytes M pkt' in tc -s qdisc: {out!r}")
    return int(m.group(2)), time.monotonic()


@check("segments per second (--health) for the shaped flow's address and process, as tc counts its packets")
def check_segment_rates():
    p0, t0 = tc_packets()
    samples = nettop_json("--health", "--group", "process")
    p1, t1 = tc_packets()
    tc_rate = (p1 - p0) / (t1 - t0)
    remote = [r["tx_pps"] for s in samples[1:] for r in s["top_remote"] if r["addr"] == "10.20.1.2"]
    process = [r["tx_pps"] for s in samples[1:] for r in s["processes"]
               if r["pid"] == W.senders[SHAPED].pid]
    for what, values in (("top_remote 10.20.1.2", remote), ("process", process)):
        if len(values) != len(samples) - 1 or None in values:
            return f"{what}: no tx_pps in every sample: {values}"
        mean = sum(values) / len(values)
        if abs(mean - tc_rate) > TOLERANCE * tc_rate:
            return f"{what}: {mean:.0f} segments/s, tc sent {tc_rate:.0f} packets/s"
    return None


def socket_of(sample, port):
    for s in sample["sockets"]:
        if s["state"] == "ESTABLISHED" and s["local"].endswith(f":{port}"):
            return s
    raise CheckError(f"no established socket on port {port} in {sample['sockets']}")


@check("the lossy flow's socket has retransmits in JSON, and health fields with --health")
def check_lossy_json():
    sample = nettop_json("--health", count=2)[-1]
    lossy = socket_of(sample, LOSSY)
    if not lossy.get("retrans"):
        return f"retrans {lossy.get('retrans')!r} in {lossy}"
    missing = [k for k in ("lost", "ssthresh", "min_rtt_ms", "delivery_bps", "pacing_bps", "unacked",
                           "notsent_bytes", "busy_pct", "cong", "retrans_per_s") if k not in lossy]
    if missing:
        return f"--health ({sample['backend']}): {missing} missing from {lossy}"
    nulls = [k for k in ("lost", "ssthresh", "min_rtt_ms", "pacing_bps", "cong", "busy_pct") if lossy[k] is None]
    if nulls:
        return f"--health ({sample['backend']}): {nulls} null in {lossy}"
    return None


SS_RETRANS = re.compile(r"\bretrans:\d+/(\d+)")


def ss_retransmitting():
    """(local port, remote) of each TCP socket ss -ti shows with retransmits."""
    out = W.s.output(["ss", "-tinH", "state", "established"])
    found, endpoints = set(), None
    for line in out.splitlines():
        if not line.startswith((" ", "\t")):
            fields = line.split()
            endpoints = (fields[2].rsplit(":", 1)[1], fields[3])
        elif endpoints and (m := SS_RETRANS.search(line)) and int(m.group(1)) > 0:
            found.add(endpoints)
    return found


@check("'retrans > 0' selects only sockets ss -ti shows with retransmits, the lossy flow among them")
def check_retrans_filter():
    sample = nettop_json("retrans > 0", count=1)[-1]
    chosen = {(s["local"].rsplit(":", 1)[1], s["remote"]) for s in sample["sockets"]}
    ss = ss_retransmitting()    # right after: a socket may only have gained retransmits
    if not any(port == str(LOSSY) for port, _ in chosen):
        return f"the lossy flow (port {LOSSY}) is not selected: {sorted(chosen)}"
    if chosen - ss:
        return f"selected, but ss -ti shows no retransmits: {sorted(chosen - ss)} (ss: {sorted(ss)})"
    return None


@check("'tx > 1M' selects the fast flow and not the shaped one")
def check_tx_filter():
    sample = nettop_json("tx > 1M", count=2)[-1]
    ports = {s["local"].rsplit(":", 1)[1] for s in sample["sockets"]}
    if str(FAST) not in ports or str(SHAPED) in ports:
        return f"selected local ports {sorted(ports)}: want {FAST}, not {SHAPED}"
    return None


SS_BYTES_ACKED = re.compile(r"\bbytes_acked:(\d+)")


def ss_bytes_acked(port):
    """bytes_acked of the established socket on local port, as ss -ti says."""
    out = W.s.output(["ss", "-tinH", "state", "established", "sport", f"= :{port}"])
    m = SS_BYTES_ACKED.search(out)
    if not m:
        raise CheckError(f"ss -ti shows no bytes_acked for port {port}: {out!r}")
    return int(m.group(1))


def prom_value(text, name, local):
    m = re.search(rf'^{name}{{local="{re.escape(local)}"}} (\d+)$', text, re.M)
    if not m:
        raise CheckError(f"no {name}{{local=\"{local}\"}} in:\n{text}")
    return int(m.group(1))


@check("Prometheus: a listener's bytes between ss -ti's before and after, the lossy one's retransmits")
def check_prometheus():
    path = os.path.join(W.tmp, "metrics")
    before = ss_bytes_acked(SHAPED)
    W.s.run([NETTOP, "--batch", "--count", "1", "--prometheus", path])
    after = ss_bytes_acked(SHAPED)
    with open(path) as f:
        text = f.read()
    sent = prom_value(text, "nettop_listener_tx_bytes_total", f"0.0.0.0:{SHAPED}")
    if not before <= sent <= after:
        return f"nettop_listener_tx_bytes_total {sent}, ss's bytes_acked {before} before and {after} after"
    retrans = prom_value(text, "nettop_listener_retrans_total", f"0.0.0.0:{LOSSY}")
    return None if retrans > 0 else f"nettop_listener_retrans_total {retrans} for the lossy flow's listener"


# ---------------------------------------------------------------- the screen

def tm(*args):
    return subprocess.run(["tmux", "-L", W.tmux, "-f", "/dev/null", *args], capture_output=True,
                          text=True, timeout=10)


def screen(session="bw"):
    return tm("capture-pane", "-p", "-t", f"{session}:").stdout


def wait_screen(test, session="bw"):
    deadline, last = time.monotonic() + TMUX_TIMEOUT, ""
    while time.monotonic() < deadline:
        last = screen(session)
        if test(last):
            return None
        time.sleep(0.2)
    return last


RATE = re.compile(r"^([\d.]+)([KMG]?)$")


def screen_rate(text):
    m = RATE.match(text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]


def remote_tx(text):
    """The TX/s cell of 10.20.1.2's row in the remote pane, or None."""
    head = next((l for l in text.splitlines() if "Remote address" in l), None)
    row = next((l for l in text.splitlines() if re.search(r"\b10\.20\.1\.2\s+1\s", l)), None)
    if not head or not row:
        return None
    at = head.index("Remote address")
    cells = row[at:].split()
    titles = [t.rstrip("^v") for t in head[at:].split()]     # the sort mark off
    # "Remote address Conns RX/s TX/s": the address, the count, then the rates
    return screen_rate(cells[3]) if titles[3:5] == ["RX/s", "TX/s"] and len(cells) > 3 else None


def first_connection(text):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Proto") and "Retr" in line:
            return lines[i + 1] if i + 1 < len(lines) else ""
    return None


def screen_values(read, session, what):
    """Three successive values read(screen) shows (one per sample)."""
    values = []
    deadline = time.monotonic() + TMUX_TIMEOUT
    while len(values) < 3 and time.monotonic() < deadline:
        v = read(screen(session))
        if v is not None and (not values or v != values[-1]):
            values.append(v)
        time.sleep(0.5)
    if len(values) < 3:
        raise CheckError(f"the screen showed no {what}:\n" + screen(session))
    return values


@check("the screen: the remote pane's TX/s for the shaped flow's address, within 10% of tc's rate")
def check_screen_remote():
    return within("the remote pane's TX/s", screen_values(remote_tx, "bw", "TX/s for 10.20.1.2"))


TOTAL = re.compile(r"Connections  \d+ of \d+ sockets, total RX/s \S+ TX/s (\S+)")


def conns_total_tx(text):
    m = TOTAL.search(text)
    return screen_rate(m.group(1)) if m else None


def procs_tx(text):
    """The TX/s cell of the shaped sender's row in the by-process pane."""
    pid = W.senders[SHAPED].pid
    head = next((l for l in text.splitlines() if l.startswith("PID/Program")), None)
    row = next((l for l in text.splitlines() if l.startswith(f"{pid}/")), None)
    if not head or not row:
        return None
    titles, cells = head.split(), row.split()
    return screen_rate(cells[titles.index("TX/s")]) if "TX/s" in titles else None


@check("the screen: the listener's connections (sport 5001): the total line's TX/s within 10%")
def check_screen_listener():
    return within("the connections pane's total TX/s", screen_values(conns_total_tx, "listener",
                                                                      "total line"))


@check("the screen: P, the shaped sender's row's TX/s within 10%")
def check_screen_process():
    tm("send-keys", "-t", "listener:", "P")
    return within("the by-process pane's TX/s", screen_values(procs_tx, "listener", "process row"))


def first_remote(text):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "Remote address" in line and i + 1 < len(lines):
            at = line.index("Remote address")
            cells = lines[i + 1][at:].split()
            return cells[0] if cells else None
    return None


@check("the screen: the remote pane sorted by TX/s (ascending): the shaped flow's address first")
def check_screen_remote_sorted():
    # by connections (the default) 10.20.2.2 would come first: it has two
    last = wait_screen(lambda s: first_remote(s) == "10.20.1.2" and "TX/s^" in s)
    return None if last is None else "first remote address is not 10.20.1.2:\n" + last


@check("the screen: sorted by Retr, the lossy flow's connection comes first")
def check_screen_sorted():
    want = re.compile(rf"^tcp\s.*:{LOSSY}\s")
    last = wait_screen(lambda s: bool(want.match(first_connection(s) or "")))
    return None if last is None else "first connection is not the lossy flow's:\n" + last


def start_screen():
    conf = os.path.join(W.tmp, "config")
    with open(conf, "w") as f:
        f.write("columns = proto,local,remote,state,retrans,tx\nsort_conns = retrans desc\n"
                "sort_remote = tx_s asc\n")
    W.tmux = f"nettop-bw-{os.getpid()}"
    argv = " ".join(W.s.argv([NETTOP, "-n", "-t", "--config", conf]))
    tm("new-session", "-d", "-s", "bw", "-x", "200", "-y", "50", f"{argv}; exec sleep 600")
    # the listener's connections, as Enter on its row filters them
    argv = " ".join(W.s.argv([NETTOP, "-n", "-t", "-p", "--config", "/dev/null", "sport", str(SHAPED)]))
    tm("new-session", "-d", "-s", "listener", "-x", "200", "-y", "50", f"{argv}; exec sleep 600")


def stop_screen():
    if W.tmux:
        tm("kill-server")


# ---------------------------------------------------------------- runner

def main():
    if not harness.may_start("network namespaces, tc and nft"):
        return 1
    if not shutil.which("tmux"):
        print("not ok - tmux is installed\n0 passed, 1 failed")
        return 1
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-bw.")
        os.chmod(W.tmp, 0o755)
        results.append(run_check("setup: two namespaces, a shaped and a lossy path, three flows",
                                 lambda: setup_world() or None))
        if results[-1]:
            start_screen()
            for name, fn in harness.CHECKS:
                results.append(run_check(name, fn))
    finally:
        stop_screen()
        harness.cleanup(W.tmp, stop)
    return summary(results)


if __name__ == "__main__":
    sys.exit(main())
