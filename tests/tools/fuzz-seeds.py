#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (tests/fuzz/corpus/NAME/) from the
recorded fixtures and a few hand-made inputs. Deterministic: running it again
on the same fixtures gives the same files. Usage: fuzz-seeds.py [REPO_ROOT]"""

import os
import shutil
import struct
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
SEQ = 0x4E54
NLMSG_ERROR, NLMSG_DONE, RTM_NEWLINK = 2, 3, 16
NLM_F_MULTI, NLM_F_DUMP_INTR = 0x2, 0x10


def frames(name):
    data = open(os.path.join(FIXTURES, "netlink", name), "rb").read()
    out, off = [], 0
    while off + 4 <= len(data):
        (n,) = struct.unpack_from("<I", data, off)
        out.append(data[off + 4:off + 4 + n])
        off += 4 + n
    return out


def messages(buf):
    out, off = [], 0
    while off + 16 <= len(buf):
        (n,) = struct.unpack_from("<I", buf, off)
        if n < 16 or off + n > len(buf):
            break
        out.append(buf[off:off + n])
        off += (n + 3) & ~3
    return out


def nlmsg(mtype, payload, flags=NLM_F_MULTI):
    return struct.pack("<IHHII", 16 + len(payload), mtype, flags, SEQ, 0) + payload


def attr(atype, payload):
    a = struct.pack("<HH", 4 + len(payload), atype) + payload
    return a + b"\0" * (-len(a) % 4)


# /proc/PID/cgroup texts (fuzz_cgroup): a runtime, a pod, a hybrid host, LXC.
CGROUP_ID = b"4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8"
CGROUPS = {
    "docker": b"0::/system.slice/docker-" + CGROUP_ID + b".scope\n",
    "kubepods": b"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_5e6f"
                b".slice/cri-containerd-4f1c2a3b5d6e7f80.scope\n",
    "hybrid": b"12:memory:/x\n1:name=systemd:/system.slice/sshd.service\n0::/\n",
    "lxc": b"0::/lxc.payload.web1\n",
}


def write(kind, name, data):
    d = os.path.join(CORPUS, kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def sockdiag():
    for fix in ("tcp4_info", "tcp6", "udp4", "udp6"):
        fr = frames(fix + ".bin")
        for i, f in enumerate(fr):
            write("sockdiag", f"{fix}-frame{i}", f)
        msgs = messages(fr[0])
        for i in sorted({0, len(msgs) // 2, len(msgs) - 1}):
            write("sockdiag", f"{fix}-msg{i}", msgs[i])
        # the first message flagged as from an interrupted dump
        m = bytearray(msgs[0])
        struct.pack_into("<H", m, 6, NLM_F_MULTI | NLM_F_DUMP_INTR)
        write("sockdiag", f"{fix}-intr", bytes(m))
    err = struct.pack("<i", -1) + nlmsg(20, b"")[:16]
    write("sockdiag", "error-eperm", nlmsg(NLMSG_ERROR, err))
    write("sockdiag", "done", nlmsg(NLMSG_DONE, struct.pack("<i", 0)))


def cookie():
    """Answers to the walk's cookie lookups: sock_diag messages whose
    sequence numbers are the requests' places, and a lookup's error."""
    msgs = messages(frames("tcp4_info.bin")[0])
    answers = []
    for seq, m in enumerate(msgs[:4]):
        m = bytearray(m)
        struct.pack_into("<HI", m, 6, 0, seq)  # flags 0, the sequence
        answers.append(bytes(m))
        write("cookie", f"answer{seq}", bytes(m))
    write("cookie", "batch", b"".join(answers))
    err = struct.pack("<i", -2) + nlmsg(20, b"")[:16]
    e = bytearray(nlmsg(NLMSG_ERROR, err))
    struct.pack_into("<I", e, 8, 1)
    write("cookie", "error-enoent", bytes(e))


def events():
    """The recorded destroy events, one per frame, and two frames joined."""
    fr = frames("destroy.bin")
    for i, f in enumerate(fr):
        write("events", f"destroy-frame{i}", f)
    write("events", "destroy-two", fr[0] + fr[4])
    # found by fuzz_events: a 95-byte UDP event whose protocol attribute's
    # padding the message's end cuts (16 + 72 + 5 + 2 bytes)
    write("events", "events-protocol-unpadded", bytes.fromhex(
        "5f000000140000000000000000000000"
        "02410000954614e97f00000100000000"
        "00000000000000007f00000100000000"
        "0000000000000000000000003bc61900"
        "000000000000000100000000000000ff"
        "000000000000000005000a00110000"))


def link():
    fr = frames("link.bin")
    for i, f in enumerate(fr):
        write("link", f"lo-frame{i}", f)
    ifi = struct.pack("<BBHiII", 0, 0, 1, 2, 0x1043, 0)       # ifindex 2, UP|BROADCAST|RUNNING
    stats64 = struct.pack("<8Q", 10, 20, 3000, 4000, 1, 2, 3, 4)
    write("link", "eth0-stats64", nlmsg(RTM_NEWLINK, ifi + attr(3, b"eth0\0") +
                                        attr(4, struct.pack("<I", 1500)) + attr(23, stats64)))
    stats32 = struct.pack("<8I", 10, 20, 3000, 4000, 1, 2, 3, 4)
    write("link", "eth1-stats32-unterminated",
          nlmsg(RTM_NEWLINK, ifi + attr(3, b"eth1") + attr(7, stats32)))
    write("link", "escape-name", nlmsg(RTM_NEWLINK, ifi + attr(3, b"\x1b[2J\0")))


def procnet():
    d = os.path.join(FIXTURES, "procnet")
    for name in sorted(os.listdir(d)):
        shutil.copyfile(os.path.join(d, name), os.path.join(CORPUS, "procnet", name))
    write("procnet", "pair-short", b"Tcp: ActiveOpens PassiveOpens\nTcp: 1\n")
    write("procnet", "sockstat-line", b"TCP: inuse 3 orphan 0 tw 1 alloc 5 mem 1\n")


FILTERS = [
    "", "state established", "state listen,syn-recv,time-wait", "STATE Fin-Wait-1",
    "state connected", "state synchronized", "state bucket", "state big", "state all",
    "tcp", "udp ipv6", "ipv4 and tcp", "dport = :443", "sport >= 1024", "port ne 22",
    "dport gt https", "sport le ssh", "src 10.0.0.0/8", "dst 192.0.2.7:50001",
    "dst [2001:db8::beef]:40000", "addr *:80", "src ::ffff:10.0.0.1",
    "( sport >= 1024 or dport == 80 ) and not src 10.0.0.0/8",
    "! state time-wait && ( port 80 || port 443 )", "proc nginx", "pid 4242", "user root",
    "user 33", "dev lo", "nginx 8080", ":22", "192.0.2", "state", "dport", "((", ")",
    "not", "src 300.1.1.1", "state bogus", "dport = 99999", "src 10.0.0.0/33",
    "netns 'pod-*' or cgroup \"/kubepods/*\"", "cgroup", "netns '",
]

ESCAPES = [
    b"", b"plain", b"\x1b[2J\x1b]0;title\x07", b"a\\b", b"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
    b"\xc2\x85\xc2\x9b\xc2\xa0", b"\xc0\xaf\xe0\x80\xaf\xf0\x80\x80\xaf", b"\xed\xa0\x80\xf4\x90\x80\x80",
    b"\xe2\x80\xae\xe2\x81\xa6", b"\xff\xfe\x80\x00\x7f", b"\xe2\x82", bytes(range(256)),
]


def netstat_more():
    """route, unix and conntrack: the recorded dumps, whole and message by
    message, and a dump that ends in NLMSG_DONE carrying an error."""
    for kind, fix in (("route", "route4"), ("route", "route6"), ("unix", "unix"),
                      ("conntrack", "conntrack")):
        fr = frames(fix + ".bin")
        for i, f in enumerate(fr):
            write(kind, f"{fix}-frame{i}", f)
        for i, m in enumerate(messages(fr[0])):
            write(kind, f"{fix}-msg{i}", m)
        write(kind, "done-enoent", nlmsg(NLMSG_DONE, struct.pack("<i", -2)))
    # netstat -ie: the recorded links, then addresses of lo (ifindex 1)
    for i, f in enumerate(frames("link.bin")):
        write("ifconf", f"link-frame{i}", f)
    lo = messages(frames("link.bin")[0])[0]
    v4 = nlmsg(20, struct.pack("<BBBBI", 2, 8, 0x80, 254, 1) + attr(2, bytes([127, 0, 0, 1])) +
               attr(1, bytes([127, 0, 0, 1])) + attr(3, b"lo\0"))
    v6 = nlmsg(20, struct.pack("<BBBBI", 10, 128, 0x80, 254, 1) + attr(1, bytes(15) + b"\1"))
    write("ifconf", "lo-addresses", lo + v4 + v6)
    write("mcast", "igmp", b"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
          b"1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n")
    write("mcast", "igmp6", b"1    lo              ff020000000000000000000000000001     1 0000000C 0\n")


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    os.makedirs(os.path.join(CORPUS, "procnet"))
    sockdiag()
    cookie()
    events()
    link()
    netstat_more()
    procnet()
    for i, f in enumerate(FILTERS):
        write("filter", f"expr{i:02d}", f.encode())
    for i, e in enumerate(ESCAPES):
        write("escape", f"text{i:02d}", e)
    for name, text in CGROUPS.items():
        write("cgroup", name, text)
    for kind in sorted(os.listdir(CORPUS)):
        print(kind, len(os.listdir(os.path.join(CORPUS, kind))))


if __name__ == "__main__":
    main()
