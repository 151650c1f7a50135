#!/usr/bin/env python3
"""Holds the known sockets the netlink fixtures are recorded from.

Run only inside a private network namespace with lo up (record-netlink.sh does
that). All traffic is on lo. Prints "READY" once every socket is in place and
holds them until stdin closes or SIGTERM.

TCP over IPv4 (listener 127.0.0.1:8080):
  - an established pair; the client sent 1000 bytes and the server read 500
    (server Recv-Q 500); the server sent 100 the client has not read
    (client Recv-Q 100)
  - a half-closed pair: client FIN_WAIT2, server CLOSE_WAIT
  - a TIME_WAIT socket from 127.0.0.2 (the client closed first)
  - a SYN_RECV request socket: a listener on 127.0.0.1:8081 with
    TCP_DEFER_ACCEPT, and a client that connected and sent nothing
  - a v4 client of the dual-stack listener [::]:8444 (its server side is an
    IPv6 socket with IPv4-mapped addresses)
TCP over IPv6: listener [::1]:8443 (v6 only) with an established pair; the
  dual-stack listener [::]:8444 and its accepted, v4-mapped socket.
UDP: 127.0.0.1:5353 bound; a client connected to it that sent one datagram
  (unread); [::1]:5354 bound.
"""

import select
import signal
import socket
import sys
import time

held = []


def hold(s):
    held.append(s)
    return s


def tcp_listener(family, addr, port, backlog=16, v6only=None, defer=False):
    s = hold(socket.socket(family, socket.SOCK_STREAM))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    if defer:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 30)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def tcp_pair(listener, family, addr, port, source=None):
    c = hold(socket.socket(family, socket.SOCK_STREAM))
    if source:
        c.bind((source, 0))
    c.connect((addr, port))
    srv, _ = listener.accept()
    return c, hold(srv)


def recv_exactly(s, n):
    got = 0
    while got < n:
        got += len(s.recv(n - got))


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    l4 = tcp_listener(socket.AF_INET, "127.0.0.1", 8080)

    c, s = tcp_pair(l4, socket.AF_INET, "127.0.0.1", 8080)
    c.sendall(b"x" * 1000)
    recv_exactly(s, 500)
    s.sendall(b"y" * 100)

    c, s = tcp_pair(l4, socket.AF_INET, "127.0.0.1", 8080)
    c.shutdown(socket.SHUT_WR)          # client FIN_WAIT2, server CLOSE_WAIT

    c, s = tcp_pair(l4, socket.AF_INET, "127.0.0.1", 8080, source="127.0.0.2")
    held.remove(c)
    held.remove(s)
    c.close()                           # the client closes first: TIME_WAIT
    time.sleep(0.1)
    s.close()

    defer = tcp_listener(socket.AF_INET, "127.0.0.1", 8081, defer=True)
    hold(socket.create_connection(("127.0.0.1", 8081)))   # stays SYN_RECV there
    del defer

    l6 = tcp_listener(socket.AF_INET6, "::1", 8443, v6only=True)
    tcp_pair(l6, socket.AF_INET6, "::1", 8443)

    dual = tcp_listener(socket.AF_INET6, "::", 8444, v6only=False)
    tcp_pair(dual, socket.AF_INET, "127.0.0.1", 8444)

    u = hold(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.bind(("127.0.0.1", 5353))
    uc = hold(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    uc.connect(("127.0.0.1", 5353))
    uc.send(b"hello")
    u6 = hold(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
    u6.bind(("::1", 5354))

    time.sleep(0.3)                     # let the FINs and ACKs settle on lo
    print("READY", flush=True)
    select.select([sys.stdin], [], [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
