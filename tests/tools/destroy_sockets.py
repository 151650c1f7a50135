#!/usr/bin/env python3
"""Makes and closes the sockets whose destroy events tests/fixtures/netlink/
destroy.bin holds (run by record-events.sh in a private namespace, lo only):

  1. TCP/IPv4: 127.0.0.2 connects to 127.0.0.1:8080, sends 5000 bytes, gets
     1000, both close: two events (client, server).
  2. TCP/IPv6: [::1] to [::1]:8443, 300 bytes sent, 200 back: two events.
  3. UDP/IPv4 connected to 127.0.0.1:5353, one datagram: one event.
  4. UDP/IPv6 bound to [::1]:5354: one event.
  5. The two listeners close: two events (no remote).
Eight events in all.
"""
import socket
import threading


def pair(family, server, port, client, up, down):
    l = socket.socket(family, socket.SOCK_STREAM)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((server, port))
    l.listen(8)

    def serve():
        c, _ = l.accept()
        got = 0
        while got < up:
            got += len(c.recv(65536))
        c.sendall(b"s" * down)
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.socket(family, socket.SOCK_STREAM)
    if client:
        c.bind((client, 0))
    c.connect((server, port))
    c.sendall(b"c" * up)
    got = 0
    while (d := c.recv(65536)):
        got += len(d)
    c.close()
    t.join()
    return l


listeners = [pair(socket.AF_INET, "127.0.0.1", 8080, "127.0.0.2", 5000, 1000),
             pair(socket.AF_INET6, "::1", 8443, None, 300, 200)]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.connect(("127.0.0.1", 5353))
u.send(b"x")
u.close()
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(("::1", 5354))
u6.close()
for l in listeners:
    l.close()
