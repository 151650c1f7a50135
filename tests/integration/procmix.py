#!/usr/bin/env python3
"""Processes that own known sockets, for the process-attribution tests.

Run inside the test's private network namespace only (all traffic is on lo,
127.0.0.0/8 and ::1):  ip netns exec NS python3 procmix.py ROLE [ARG...]

Every role but pidreuse prints "READY <json>" once its sockets exist (the JSON
says which pids it made and under which names), then holds them until stdin
closes or SIGTERM, and exits 0. Names are given in hex (bytes.hex()), so that
names with control bytes travel safely on a command line.

Roles:
  server NAME_HEX       listeners 127.0.0.1:7100 and [::]:7200 (dual stack),
                        with a server-side TIME_WAIT on each (the one on 7200
                        is IPv4-mapped), and a connection left in the accept
                        queue of 127.0.0.1:7101 (inode 0 until accepted);
                        accepts and holds whatever else connects to 7100/7200
  client NAME_HEX       connects twice to 127.0.0.1:7100, once to [::1]:7200 and
                        once to 127.0.0.1:7200; one connected UDP socket
  listen NAME_HEX ADDR PORT [tw]
                        a TCP listener (with tw: and a server-side TIME_WAIT)
  udp NAME_HEX ADDR PORT
                        a bound UDP socket
  share NAME_HEX CHILD_HEX
                        a listener on 127.0.0.1:7400 shared with a forked child
                        that renames itself CHILD and binds UDP 127.0.0.1:7401
  holder NAME_HEX PORT  a listener on 127.0.0.1:PORT (0: none; inherited
                        descriptors are kept as they are)
  execer NAME_HEX PORT  a listener on 127.0.0.1:PORT; on a line on stdin, execs
                        /bin/sleep with the listener and nothing else added, so
                        the descriptor count stays the same across the exec
  emigrant NAME_HEX PORT
                        a listener on 127.0.0.1:PORT, then moves itself to a
                        network namespace of its own (unshare), keeping it
  churn NAME_HEX SECONDS LOOPS
                        opens and closes TCP and UDP sockets in a loop, and every
                        few rounds forks a short-lived child ("churnkid") that
                        does the same; prints "CHILD <pid>" for each child and
                        stops after SECONDS, LOOPS rounds or when stdin closes
  pidreuse NETTOP MODE PID
                        run as pid 1 of a fresh pid namespace (unshare --pid
                        --fork --mount-proc): runs nettop, starts "alpha" as
                        PID, swaps it for "beta" with the same PID, and prints
                        one JSON line with what it saw (MODE fresh: each has a
                        socket of its own; inherited: both hold one socket that
                        this driver also holds, with equal descriptor counts)
"""

import ctypes
import json
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time

from harness import LineReader, hold, hold_until_stdin_closes, keep, proc_net_tcp, tcp_listener

PR_SET_NAME = 15
SETTLE_TIMEOUT = 5.0


def set_name(name):
    """prctl(PR_SET_NAME): what /proc/PID/comm (and so ss and nettop) shows."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NAME)")


def comm(pid="self"):
    with open(f"/proc/{pid}/comm", "rb") as f:
        return f.read()[:-1]


def ready(**info):
    print("READY " + json.dumps(info), flush=True)


def listener(family, addr, port, v6only=True, backlog=16):
    return tcp_listener(family, addr, port, v6only, backlog)


def server_time_wait(lsock, family, dest):
    """A connection to lsock that the server side closes first: TIME_WAIT on
    the listener's port, with no inode and no process."""
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect(dest)
    a, _ = lsock.accept()
    a.close()
    c.settimeout(SETTLE_TIMEOUT)
    if c.recv(1) != b"":
        raise RuntimeError("expected EOF from the server side")
    c.close()


def wait_for(predicate, what):
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.02)


def proc_net_states(port):
    """TCP states (numbers) of sockets whose local port is port."""
    return [state for local, state in proc_net_tcp() if local == port]


TCP_TIME_WAIT = 6


def accept_forever(listeners):
    while True:
        readable, _, _ = select.select(listeners, [], [])
        for lsock in readable:
            try:
                keep(lsock.accept()[0])
            except OSError:
                pass


# ---------------------------------------------------------------- roles

def role_server(name):
    set_name(name)
    l7100 = listener(socket.AF_INET, "127.0.0.1", 7100)
    l7200 = listener(socket.AF_INET6, "::", 7200, v6only=False)
    l7101 = listener(socket.AF_INET, "127.0.0.1", 7101)
    server_time_wait(l7100, socket.AF_INET, ("127.0.0.1", 7100))
    server_time_wait(l7200, socket.AF_INET, ("127.0.0.1", 7200))
    keep(socket.create_connection(("127.0.0.1", 7101)))  # never accepted
    wait_for(lambda: proc_net_states(7100).count(TCP_TIME_WAIT) == 1
             and proc_net_states(7200).count(TCP_TIME_WAIT) == 1, "server-side TIME_WAIT")
    threading.Thread(target=accept_forever, args=([l7100, l7200],), daemon=True).start()
    ready(pids={os.getpid(): name.hex()})


def role_client(name):
    set_name(name)
    for dest, family in ((("127.0.0.1", 7100), socket.AF_INET),
                         (("127.0.0.1", 7100), socket.AF_INET),
                         (("::1", 7200), socket.AF_INET6),
                         (("127.0.0.1", 7200), socket.AF_INET)):
        keep(socket.socket(family, socket.SOCK_STREAM)).connect(dest)
    u = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.bind(("127.0.0.1", 0))
    u.connect(("127.0.0.1", 7102))
    ready(pids={os.getpid(): name.hex()})


def role_listen(name, addr, port, tw=None):
    set_name(name)
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    lsock = listener(family, addr, int(port))
    if tw == "tw":
        server_time_wait(lsock, family, (addr, int(port)))
    ready(pids={os.getpid(): name.hex()})


def role_udp(name, addr, port):
    set_name(name)
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    keep(socket.socket(family, socket.SOCK_DGRAM)).bind((addr, int(port)))
    ready(pids={os.getpid(): name.hex()})


def role_share(name, child_name):
    set_name(name)
    listener(socket.AF_INET, "127.0.0.1", 7400)
    rfd, wfd = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(rfd)
        try:
            set_name(child_name)
            keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)).bind(("127.0.0.1", 7401))
            os.write(wfd, b"x")
            # The child lives as long as its parent's stdin stays open.
            hold_until_stdin_closes()
        finally:
            os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as r:
        if r.read(1) != b"x":
            raise RuntimeError("shared child failed")
    try:
        ready(pids={os.getpid(): name.hex(), child: child_name.hex()})
        hold_until_stdin_closes()
    finally:
        os.kill(child, signal.SIGTERM)
        os.waitpid(child, 0)
    sys.exit(0)


def role_holder(name, port):
    set_name(name)
    if int(port):
        listener(socket.AF_INET, "127.0.0.1", int(port))
    ready(pids={os.getpid(): name.hex()}, nfds=len(os.listdir("/proc/self/fd")) - 1)


def role_execer(name, port):
    set_name(name)
    lsock = listener(socket.AF_INET, "127.0.0.1", int(port))
    os.set_inheritable(lsock.fileno(), True)
    ready(pids={os.getpid(): name.hex()}, nfds=len(os.listdir("/proc/self/fd")) - 1)
    if sys.stdin.buffer.readline():
        os.execv("/bin/sleep", ["sleep", "60"])


CLONE_NEWNET = 0x40000000


def role_emigrant(name, port):
    set_name(name)
    listener(socket.AF_INET, "127.0.0.1", int(port))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET)")
    ready(pids={os.getpid(): name.hex()}, netns=os.stat("/proc/self/ns/net").st_ino)


CHURN_POOL = 6     # connections a churner keeps open at any time


def churn_round(rounds, pool):
    """One round: a new TCP connection (its own listener) joins the pool and
    the oldest leaves it (alternating which side closes first); a UDP socket
    is opened, used and closed. Everything is on 127.0.0.1."""
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(4)
    c = socket.create_connection(lsock.getsockname())
    a, _ = lsock.accept()
    c.sendall(b"x")
    a.recv(1)
    pool.append((lsock, c, a))
    while len(pool) > CHURN_POOL:
        lsock, c, a = pool.pop(0)
        first, second = (a, c) if rounds % 2 else (c, a)
        first.close()
        second.close()
        lsock.close()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u1, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u2:
        u1.bind(("127.0.0.1", 0))
        u2.sendto(b"y", u1.getsockname())
        u1.recv(1)


def role_churn(name, seconds, loops):
    set_name(name)
    ready(pids={os.getpid(): name.hex()})
    deadline = time.monotonic() + float(seconds)
    children, pool = [], []
    rounds = 0
    while rounds < int(loops) and time.monotonic() < deadline:
        if select.select([sys.stdin], [], [], 0)[0] and not os.read(sys.stdin.fileno(), 4096):
            break
        churn_round(rounds, pool)
        if rounds % 10 == 0:
            pid = os.fork()
            if pid == 0:
                try:
                    set_name(b"churnkid")
                    mine = []
                    for i in range(3):
                        churn_round(i, mine)
                    time.sleep(0.05)
                finally:
                    os._exit(0)
            print(f"CHILD {pid}", flush=True)
            children.append(pid)
        children = [c for c in children if os.waitpid(c, os.WNOHANG)[0] == 0]
        rounds += 1
        time.sleep(0.01)
    for c in children:
        os.waitpid(c, 0)
    print(f"DONE {rounds}", flush=True)


# ---------------------------------------------------------------- pid reuse

NS_LAST_PID = "/proc/sys/kernel/ns_last_pid"
REUSE_PORT = {"shared": 7700, "alpha": 7701, "beta": 7702}


def spawn_at(pid, argv, pass_fds=()):
    """Starts argv as pid in this pid namespace (nothing else forks here)."""
    for _ in range(3):
        with open(NS_LAST_PID, "w") as f:
            f.write(str(pid - 1))
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                pass_fds=pass_fds)
        if proc.pid == pid:
            return proc
        proc.stdin.close()
        proc.wait()
    raise RuntimeError(f"could not start a process as pid {pid}")


def read_ready(proc):
    if not select.select([proc.stdout], [], [], SETTLE_TIMEOUT)[0]:
        raise RuntimeError("helper not READY in time")
    line = proc.stdout.readline().decode()
    if not line.startswith("READY "):
        raise RuntimeError(f"helper printed {line!r}")
    return json.loads(line[6:])


def next_sample(lines, timeout=30):
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise RuntimeError(f"no sample from nettop in {timeout} s") from None
    return None if line is None else json.loads(line)


def sample_shows(sample, pid, name, port):
    return any(s.get("pid") == pid and s.get("process") == name
               and s["local"].endswith(f":{port}") for s in sample["sockets"])


def role_pidreuse(nettop, mode, pid):
    """Runs as pid 1 of a private pid namespace, so pids are ours to choose."""
    pid = int(pid)
    me = os.path.abspath(__file__)
    result = {"mode": mode, "target": pid, "samples": 0}
    shared = None
    pass_fds = ()
    if mode == "inherited":
        shared = listener(socket.AF_INET, "127.0.0.1", REUSE_PORT["shared"])
        pass_fds = (shared.fileno(),)
    port = {"alpha": REUSE_PORT["alpha"], "beta": REUSE_PORT["beta"]}
    if mode == "inherited":
        port = {"alpha": 0, "beta": 0}
    watch = {name: (port[name] or REUSE_PORT["shared"]) for name in port}

    nettop_proc = subprocess.Popen([nettop, "--batch", "-p", "--json", "--count", "100",
                                    "--interval", "0.2"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    lines = LineReader(nettop_proc.stdout, lambda line: line).lines
    alpha = beta = None
    try:
        alpha = spawn_at(pid, [sys.executable, me, "holder", b"alpha".hex(),
                               str(port["alpha"])], pass_fds)
        result["alpha"] = read_ready(alpha)
        # The cache must know alpha before alpha goes: two samples after alpha
        # was ready (the second began after it), one of them showing alpha
        # where its socket is its alone.
        seen, after = False, 0
        while after < 2 or (mode == "fresh" and not seen and after < 50):
            sample = next_sample(lines)
            if sample is None:
                break
            result["samples"] += 1
            after += 1
            seen = seen or sample_shows(sample, pid, "alpha", watch["alpha"])
        result["alpha_seen"] = seen
        result["alpha_samples"] = after
        # No sample may fall between alpha's exit and beta's start: the cache
        # must meet the new process under the old pid with the old entry.
        nettop_proc.send_signal(signal.SIGSTOP)
        time.sleep(0.2)
        while not lines.empty():    # samples taken before the stop
            if lines.get() is None:
                break
            result["samples"] += 1
        alpha.stdin.close()
        alpha.wait(timeout=SETTLE_TIMEOUT)
        beta = spawn_at(pid, [sys.executable, me, "holder", b"beta".hex(),
                              str(port["beta"])], pass_fds)
        result["beta"] = read_ready(beta)
        result["beta_comm"] = comm(beta.pid).decode(errors="replace")
        nettop_proc.send_signal(signal.SIGCONT)
        # The first sample may have begun before the stop; the later ones
        # began after the swap.
        last = None
        for _ in range(3):
            sample = next_sample(lines)
            if sample is None:
                break
            result["samples"] += 1
            last = sample
        result["last"] = last
        result["ss"] = subprocess.run(["ss", "-tanpH"], capture_output=True,
                                      timeout=30).stdout.decode(errors="replace")
    finally:
        nettop_proc.send_signal(signal.SIGCONT)
        nettop_proc.terminate()
        for p in (alpha, beta):
            if p and p.poll() is None:
                p.stdin.close()
                p.wait(timeout=SETTLE_TIMEOUT)
    try:
        result["nettop_status"] = nettop_proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        nettop_proc.kill()
        result["nettop_status"] = nettop_proc.wait()
    while (line := lines.get(timeout=10)) is not None:
        json.loads(line)    # every line up to the end must still be JSON
    result["nettop_stderr"] = nettop_proc.stderr.read().decode(errors="replace")
    print(json.dumps(result), flush=True)


ROLES = {
    "server": (role_server, 1), "client": (role_client, 1), "listen": (role_listen, 3),
    "udp": (role_udp, 3), "share": (role_share, 2), "holder": (role_holder, 2),
    "execer": (role_execer, 2), "emigrant": (role_emigrant, 2),
    "churn": (role_churn, 3), "pidreuse": (role_pidreuse, 3),
}
HEX_ARGS = {"server": 1, "client": 1, "listen": 1, "udp": 1, "share": 2, "holder": 1,
            "execer": 1, "emigrant": 1, "churn": 1, "pidreuse": 0}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ROLES:
        print(__doc__, file=sys.stderr)
        return 2
    role, args = sys.argv[1], sys.argv[2:]
    fn, nargs = ROLES[role]
    if len(args) < nargs:
        print(f"procmix: {role} needs {nargs} arguments", file=sys.stderr)
        return 2
    args = [bytes.fromhex(a) if i < HEX_ARGS[role] else a for i, a in enumerate(args)]
    try:
        fn(*args)
    except (OSError, RuntimeError, subprocess.SubprocessError, queue.Empty, ValueError) as e:
        print(f"procmix {role}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if role not in ("churn", "pidreuse", "share", "execer"):
        hold()
    return 0


if __name__ == "__main__":
    sys.exit(main())
