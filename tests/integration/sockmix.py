#!/usr/bin/env python3
"""Build a known mix of TCP/UDP sockets in the current network namespace.

Run inside a private namespace only (it adds an nft table and changes
per-namespace TCP sysctls):  ip netns exec NS python3 sockmix.py

Prints "READY" once every socket is in its expected state, then one line of
JSON: {"tcp": {STATE: count}, "udp": {STATE: count}} in netstat's state names.
Holds the sockets until stdin closes or SIGTERM/SIGINT, then exits 0.

All traffic stays on lo between 127.0.0.0/8 (and ::1) addresses.
"""

import errno
import json
import os
import socket
import struct
import subprocess
import sys
import time
from collections import Counter

from harness import held, hold, keep, proc_net_tcp, tcp_listener

# Clients per source address: distinct counts so "top remote IPs" has a clear order.
ESTABLISHED_SOURCES = {"127.0.0.2": 5, "127.0.0.3": 3, "127.0.0.4": 1}
IPV6_CONNECTIONS = 2
HALF_CLOSED_PAIRS = 2      # FIN_WAIT2 client + CLOSE_WAIT server
TIME_WAIT_COUNT = 3
SYN_RECV_SOURCES = ["127.0.0.50", "127.0.0.51", "127.0.0.52"]
SYN_RECV_PORT = 7000
BLACKHOLE_PORT = 9         # outgoing SYNs dropped: the connect stays SYN_SENT
UDP_PORT = 5353
SETTLE_TIMEOUT = 5.0

# Why the rules: SYNs to port 9 must never be answered (SYN_SENT), and the
# listener's SYN-ACKs to the forged sources must vanish, or the kernel would
# answer them with a RST and the request sockets would die (SYN_RECV).
# Why on input, not output: a SYN-ACK retransmit that fails locally (EPERM from
# an output drop) makes the kernel drop the request socket at once.
NFT_RULESET = f"""
table inet nettop_it {{
    chain in {{
        type filter hook input priority 0; policy accept;
        tcp dport {BLACKHOLE_PORT} drop
        ip daddr {SYN_RECV_SOURCES[0]}-{SYN_RECV_SOURCES[-1]} tcp sport {SYN_RECV_PORT} drop
    }}
}}
"""

# /proc/net/tcp state numbers (linux/tcp_states.h) to netstat's names.
PROC_TCP_STATES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
    5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
    9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}

def setup_namespace():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["nft", "-f", "-"], input=NFT_RULESET, text=True, check=True)
    # Longer retry chains keep SYN_SENT and SYN_RECV alive well past the test
    # (the defaults give up after about 60 s). Both sysctls are per namespace.
    for name in ("tcp_syn_retries", "tcp_synack_retries"):
        with open(f"/proc/sys/net/ipv4/{name}", "w") as f:
            f.write("10")


def listener(family, addr, port, v6only=False):
    return tcp_listener(family, addr, port, v6only, backlog=128)


def connect_pair(server, family, dest, source=None):
    """Connect a client to server's listener; return (client, accepted) sockets."""
    c = socket.socket(family, socket.SOCK_STREAM)
    if source:
        c.bind((source, 0))
    c.connect(dest)
    a, _ = server.accept()
    return c, a


def make_established(l80, l9090):
    for source, count in ESTABLISHED_SOURCES.items():
        for _ in range(count):
            held.extend(connect_pair(l80, socket.AF_INET, ("127.0.0.1", 80), source))
    for _ in range(IPV6_CONNECTIONS):
        held.extend(connect_pair(l9090, socket.AF_INET6, ("::1", 9090)))


def make_half_closed(l8000):
    # The client keeps its fd (shutdown, not close): an orphaned FIN_WAIT2
    # would time out after tcp_fin_timeout and change form meanwhile.
    for _ in range(HALF_CLOSED_PAIRS):
        c, a = connect_pair(l8000, socket.AF_INET, ("127.0.0.1", 8000))
        c.shutdown(socket.SHUT_WR)
        held.extend((c, a))


def make_time_wait(l8000):
    for _ in range(TIME_WAIT_COUNT):
        c, a = connect_pair(l8000, socket.AF_INET, ("127.0.0.1", 8000))
        c.close()
        # Wait for the client's FIN before closing, so the client is the one
        # that closed first and ends in TIME_WAIT.
        a.settimeout(SETTLE_TIMEOUT)
        if a.recv(1) != b"":
            raise RuntimeError("expected EOF on the TIME_WAIT server side")
        a.close()


def make_syn_sent():
    s = keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    s.setblocking(False)
    err = s.connect_ex(("127.0.0.1", BLACKHOLE_PORT))
    if err != errno.EINPROGRESS:
        raise RuntimeError(f"connect to the black hole port returned {os.strerror(err)}")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def syn_segment(src, dst, sport, dport):
    """A bare 20-byte TCP SYN with a valid checksum over the IPv4 pseudo-header."""
    def header(csum):
        return struct.pack("!HHIIBBHHH", sport, dport, 0x1000 + sport, 0,
                           5 << 4, 0x02, 65535, csum, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, 20)
    return header(checksum(pseudo + header(0)))


def make_syn_recv():
    for i, source in enumerate(SYN_RECV_SOURCES):
        # No IP_HDRINCL: the kernel writes the IP header with the bound source.
        with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP) as raw:
            raw.bind((source, 0))
            raw.sendto(syn_segment(source, "127.0.0.1", 40000 + i, SYN_RECV_PORT),
                       ("127.0.0.1", 0))


def make_udp():
    u4 = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u4.bind(("0.0.0.0", UDP_PORT))
    u6 = keep(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
    u6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    u6.bind(("::", UDP_PORT))
    connected = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    connected.bind(("127.0.0.1", 0))
    connected.connect(("127.0.0.1", UDP_PORT))


def expected_counts():
    established = 2 * (sum(ESTABLISHED_SOURCES.values()) + IPV6_CONNECTIONS)
    tcp = {
        "LISTEN": 5, "ESTABLISHED": established,
        "FIN_WAIT2": HALF_CLOSED_PAIRS, "CLOSE_WAIT": HALF_CLOSED_PAIRS,
        "TIME_WAIT": TIME_WAIT_COUNT, "SYN_SENT": 1,
        "SYN_RECV": len(SYN_RECV_SOURCES),
    }
    return {"tcp": tcp, "udp": {"CLOSE": 2, "ESTABLISHED": 1}}


def proc_tcp_counts():
    return dict(Counter(PROC_TCP_STATES.get(state, "UNKNOWN") for _, state in proc_net_tcp()))


def wait_settled(expected):
    """Poll until the kernel shows exactly the TCP states we built."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while (seen := proc_tcp_counts()) != expected:
        if time.monotonic() > deadline:
            raise RuntimeError(f"mix did not settle: expected {expected}, kernel has {seen}")
        time.sleep(0.05)


def build_mix():
    setup_namespace()
    l80 = listener(socket.AF_INET, "127.0.0.1", 80)
    l8000 = listener(socket.AF_INET, "0.0.0.0", 8000)
    listener(socket.AF_INET6, "::", 8080, v6only=True)
    l9090 = listener(socket.AF_INET6, "::1", 9090, v6only=True)
    listener(socket.AF_INET, "127.0.0.1", SYN_RECV_PORT)
    make_established(l80, l9090)
    make_half_closed(l8000)
    make_time_wait(l8000)
    make_syn_sent()
    make_syn_recv()
    make_udp()
    expected = expected_counts()
    wait_settled(expected["tcp"])
    return expected


def main():
    try:
        expected = build_mix()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
        print(f"sockmix: {e}", file=sys.stderr)
        return 1
    print("READY")
    print(json.dumps(expected), flush=True)
    hold()
    return 0


if __name__ == "__main__":
    sys.exit(main())
