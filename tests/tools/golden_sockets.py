#!/usr/bin/env python3
"""The sockets of the golden-screen recordings (tests/tools/record-golden.sh).

Run inside a private network namespace whose only link is lo:
    ip netns exec NS python3 golden_sockets.py quiet|flood|busy

quiet: a few servers (TCP 127.0.0.1:8080, [::1]:8080, 0.0.0.0:5432, UDP
       127.0.0.1:5353) and two idle connections from 127.0.0.2.
flood: a web server on 127.0.0.1:80 (backlog 4096, never accepting the
       flood) with three connections from 127.0.0.2; the SYNs come from
       synflood.c, run by the caller once READY is printed.
busy:  a server on 127.0.0.1:443 with connections from 127.0.0.2..127.0.0.60
       (1 to 5 each), some half closed (CLOSE_WAIT, FIN_WAIT2) or closed
       (TIME_WAIT), and a trickle of data on a few so that rates show.

Prints READY once everything is set up, then holds every socket until stdin
closes or SIGTERM.
"""

import os
import socket
import sys
import threading
import time

# listen(), connect() and the list that keeps every socket open: the screen
# tests' own (tests/ui/socks.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ui"))
from socks import connect, held, listen  # noqa: E402


def quiet():
    web = listen(socket.AF_INET, "127.0.0.1", 8080)
    listen(socket.AF_INET6, "::1", 8080)
    listen(socket.AF_INET, "0.0.0.0", 5432)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 5353))
    held.append(u)
    for _ in range(2):
        connect("127.0.0.2", web, 8080)


def flood():
    web = listen(socket.AF_INET, "127.0.0.1", 80, 4096)
    for _ in range(3):
        connect("127.0.0.2", web, 80)


def trickle(pairs):
    """Sends a little on each pair, both ways, every 50 ms."""
    while True:
        for c, a in pairs:
            c.send(b"x" * 1400)
            a.recv(65536)
            a.send(b"y" * 4000)
            c.recv(65536)
        time.sleep(0.05)


def busy():
    srv = listen(socket.AF_INET, "127.0.0.1", 443, 1024)
    listen(socket.AF_INET, "127.0.0.1", 80, 1024)
    pairs = []
    for host in range(2, 61):
        for _ in range(1 + host % 5):
            pairs.append(connect(f"127.0.0.{host}", srv, 443))
    # the client half-closes: CLOSE_WAIT here, FIN_WAIT2 there
    for c, _ in pairs[0:6]:
        c.shutdown(socket.SHUT_WR)
    # closed from the client's side first: TIME_WAIT at the client
    for c, a in pairs[6:14]:
        c.close()
        a.close()
    threading.Thread(target=trickle, args=(pairs[20:26],), daemon=True).start()


def main():
    modes = {"quiet": quiet, "flood": flood, "busy": busy}
    if len(sys.argv) != 2 or sys.argv[1] not in modes:
        print("usage: golden_sockets.py quiet|flood|busy", file=sys.stderr)
        return 2
    modes[sys.argv[1]]()
    print("READY", flush=True)
    sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
