"""Sends PORT on 127.0.0.1 two requests libmicrohttpd refuses, each on a
connection of its own: HTTP/1.1 without Host, and a header line without a
colon. Used by test_prom.py and tests/ui/test_ui.sh.
Usage: python3 http_malformed.py PORT"""
import socket
import sys

for req in (b"GET /metrics HTTP/1.1\r\n\r\n",
            b"GET /metrics HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(req)
    s.settimeout(5)
    s.recv(4096)
    s.close()
