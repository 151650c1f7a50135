#!/usr/bin/env python3
"""A small, steady set of sockets for the screen tests.

Run inside a private network namespace only:  ip netns exec NS python3 socks.py

Listens on 127.0.0.1:8001-8003 and [::1]:8004 (TCP) and 127.0.0.1:5353 (UDP),
opens ESTABLISHED connections to 127.0.0.1:8001 from 127.0.0.2 (3) and
127.0.0.3 (2), then prints READY. Nothing is ever closed, so no TIME_WAIT or
FIN_WAIT sockets come and go while the screen is being read.

Each line on stdin "open SRC" opens one more connection from SRC (a
127.0.0.0/8 address) to 127.0.0.1:8002 and prints "OPENED SRC"; "listen PORT
BACKLOG" listens on 127.0.0.1:PORT with that backlog (a SYN flood's target,
never accepting) and prints "LISTENING PORT". Exits when stdin closes or on
SIGTERM.
"""

import socket
import sys

LISTEN_V4 = [8001, 8002, 8003]
LISTEN_V6 = 8004
UDP_PORT = 5353
ESTABLISHED_FROM = {"127.0.0.2": 3, "127.0.0.3": 2}

held = []  # every socket stays referenced, so none is closed by the collector


def listen(family, addr, port, backlog=64):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    held.append(s)
    return s


def connect(src, listener, port):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.bind((src, 0))
    c.connect(("127.0.0.1", port))
    a, _ = listener.accept()
    held.extend([c, a])
    return c, a


def main():
    listeners = {p: listen(socket.AF_INET, "127.0.0.1", p) for p in LISTEN_V4}
    listen(socket.AF_INET6, "::1", LISTEN_V6)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", UDP_PORT))
    held.append(u)
    for src, n in ESTABLISHED_FROM.items():
        for _ in range(n):
            connect(src, listeners[8001], 8001)
    print("READY", flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) == 2 and words[0] == "open" and words[1].startswith("127."):
            connect(words[1], listeners[8002], 8002)
            print("OPENED", words[1], flush=True)
        elif len(words) == 3 and words[0] == "listen" and words[1].isdigit() and words[2].isdigit():
            listen(socket.AF_INET, "127.0.0.1", int(words[1]), int(words[2]))
            print("LISTENING", words[1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
