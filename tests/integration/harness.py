"""What nettop's integration tests share: the check registry and runner, the
commands run in a namespace, ss's and nettop's forms made comparable, diffs,
namespaces of a test's own, and (for sockmix.py and procmix.py, inside the
namespace) holding sockets until stdin closes.

A check is a function registered with @check(NAME): it returns None or ""
when it passes, else the detail to print (or raises CheckError). run_check
prints "ok - NAME", or "not ok - NAME: first line" and the detail's other
lines as "#   LINE"; summary prints the last line, "N passed, M failed", and
gives the exit status: 1 when anything failed.

The suites that run against lib.sh's namespace and socket mix call main(),
which re-runs the script under `bash lib.sh run` when it is started on its
own: lib.sh owns that namespace's life. A suite that makes namespaces of its
own registers them in NAMESPACES and its background processes in STARTED,
and calls cleanup() in a finally block, with exit_on_signals() so that
SIGINT, SIGTERM and SIGHUP become plain exits that reach it.
"""

import atexit
import ipaddress
import json
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NETTOP = os.path.abspath(os.environ.get("NETTOP", ROOT / "nettop"))
# NETTOP_BACKEND=bpf|sockdiag: every run of nettop as root gets --backend X
# (tests/run.sh runs suites once per backend), through a wrapper script so
# that NETTOP stays one path for argv lists and shell snippets alike. Runs
# as another user (setpriv) keep the default, auto: BPF needs root there,
# and those checks are of the fallback.
BACKEND = os.environ.get("NETTOP_BACKEND", "")
NETTOP_BINARY = NETTOP
WRAPPER_DIR = None


def remove_backend_wrapper():
    if WRAPPER_DIR:
        shutil.rmtree(WRAPPER_DIR, ignore_errors=True)


if BACKEND:
    if BACKEND not in ("auto", "bpf", "sockdiag"):
        sys.exit(f"NETTOP_BACKEND={BACKEND}: not auto, bpf or sockdiag")
    WRAPPER_DIR = tempfile.mkdtemp(prefix="nettop-backend-")
    os.chmod(WRAPPER_DIR, 0o755)
    NETTOP = os.path.join(WRAPPER_DIR, "nettop")
    with open(NETTOP, "w") as f:
        f.write(f'#!/bin/sh\nif [ "$(id -u)" -eq 0 ]; then exec "{NETTOP_BINARY}" --backend {BACKEND} "$@"; fi\n'
                f'exec "{NETTOP_BINARY}" "$@"\n')
    os.chmod(NETTOP, 0o755)
    atexit.register(remove_backend_wrapper)
SYNFLOOD_SRC = ROOT / "tests" / "tools" / "synflood.c"
COMMAND_TIMEOUT = 30
# TIME_WAIT sockets vanish 60 s after sockmix made them; past this the mix is
# no longer the one described, and a failure may be the clock's fault.
MIX_LIFETIME = 55
MIX_STARTED = time.monotonic()

TCP_STATES = ["ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
              "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN",
              "CLOSING", "UNKNOWN"]
# ss's state column in netstat's names.
SS_STATES = {
    "ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
    "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2", "TIME-WAIT": "TIME_WAIT",
    "UNCONN": "CLOSE", "CLOSE": "CLOSE", "CLOSE-WAIT": "CLOSE_WAIT",
    "LAST-ACK": "LAST_ACK", "LISTEN": "LISTEN", "CLOSING": "CLOSING",
}
WILDCARD = {4: "0.0.0.0", 6: "::"}


class CheckError(Exception):
    """A check's failure, with the detail to print."""


class Stop(SystemExit):
    """A signal turned into an exit, so that finally blocks run."""


# ---------------------------------------------------------------- checks

CHECKS = []         # (name, function) of every check, in the order registered


def check(name):
    def register(fn):
        CHECKS.append((name, fn))
        return fn
    return register


def retried(fn, attempts=3):
    """Runs fn until it passes: two dumps taken a moment apart may straddle a change."""
    def run_retried():
        for attempt in range(attempts):
            detail = fn()
            if not detail:
                return None
            if attempt + 1 < attempts:
                time.sleep(0.3)
        return detail
    return run_retried


# ---------------------------------------------------------------- runner

# What a check may raise and still be reported as a failure of its own.
CHECK_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                StopIteration, subprocess.TimeoutExpired)


def run_check(name, fn, mix_age=False, known_bug=None, strict=False):
    """Runs one check and prints its line: True when it passed, False when it
    failed, None when it failed as a known bug (known_bug says which) and
    strict is off. mix_age: add a note to a failure once lib.sh's mix is
    older than its TIME_WAIT sockets."""
    try:
        detail = fn()
    except CheckError as e:
        detail = str(e)
    except CHECK_ERRORS as e:
        detail = f"{type(e).__name__}: {e}"
    if not detail:
        suffix = (" (marked as a known bug in KNOWN_BUGS: it is fixed, remove the mark)"
                  if known_bug else "")
        print(f"ok - {name}{suffix}", flush=True)
        return True
    if mix_age and time.monotonic() - MIX_STARTED > MIX_LIFETIME:
        detail += "\n(the mix is older than TIME_WAIT's 60 s: it may have changed)"
    first, *rest = detail.splitlines()
    tolerated = bool(known_bug) and not strict
    if tolerated:
        print(f"not ok - {name}: {first} # TODO known bug: {known_bug}", flush=True)
    else:
        print(f"not ok - {name}: {first}", flush=True)
    for line in rest:
        print(f"#   {line}", flush=True)
    return None if tolerated else False


def summary(results, empty_ok=False):
    """Prints the last line; the exit status: 0 when nothing failed (and,
    unless empty_ok, something ran)."""
    passed, failed = results.count(True), results.count(False)
    if None in results:
        print(f"# {results.count(None)} known bug(s), not counted: see the TODO lines")
    print(f"{passed} passed, {failed} failed")
    return 0 if not failed and (results or empty_ok) else 1


def run_all(mix_age=False):
    """Every registered check in order, then the last line."""
    return summary([run_check(name, fn, mix_age) for name, fn in CHECKS])


def nettop_executable():
    """True if NETTOP can run; else says so as a failed check."""
    if os.access(NETTOP_BINARY, os.X_OK):
        return True
    print(f"not ok - nettop is executable: {NETTOP} is missing or not executable")
    print("0 passed, 1 failed")
    return False


def may_start(needs):
    """True if a suite of its own namespaces can start: NETTOP runs and we
    are root (needs: what root is for, in the failed check); else says why
    as a failed check, and the signals that end a run are armed either way."""
    if not nettop_executable():
        return False
    if os.geteuid() != 0:
        print(f"not ok - runs as root: {needs} need it")
        print("0 passed, 1 failed")
        return False
    exit_on_signals()
    return True


def main(run, script):
    """A suite on lib.sh's namespace: run() under `bash lib.sh run`."""
    if not nettop_executable():
        return 1
    if "NETTOP_IT_NS" not in os.environ:
        # lib.sh owns the namespace's life: it deletes it however we exit, and
        # kills whatever is left in it (sockmix, procmix, a pid-reuse driver).
        remove_backend_wrapper()    # the re-run makes its own
        os.execvp("bash", ["bash", str(HERE / "lib.sh"), "run",
                           sys.executable, str(Path(script).resolve()), *sys.argv[1:]])
    return run()


# ---------------------------------------------------------------- commands

def command_line(argv):
    return " ".join(map(str, argv))


def failed(command, result):
    """The CheckError for a command that exited non-zero."""
    err = result.stderr
    if isinstance(err, bytes):
        err = err.decode(errors="replace")
    return CheckError(f"{command} exited {result.returncode}: {err.strip()[:300]}")


def run(argv, timeout=COMMAND_TIMEOUT, check=True, env=None):
    """Runs argv; never waits forever, never reads our stdin."""
    result = subprocess.run(list(map(str, argv)), stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise failed(command_line(argv), result)
    return result


def ns_argv(argv, ns=None):
    """argv run in ns, lib.sh's namespace by default (ip netns exec execs it: same pid)."""
    return ["ip", "netns", "exec", ns or os.environ["NETTOP_IT_NS"], *map(str, argv)]


def ns_run(argv, env=None, timeout=COMMAND_TIMEOUT, text=True):
    """Runs argv in lib.sh's namespace; never waits forever, never reads our stdin."""
    return subprocess.run(ns_argv(argv), stdin=subprocess.DEVNULL, capture_output=True,
                          text=text, timeout=timeout, env=env)


def ns_output(argv, env=None, timeout=COMMAND_TIMEOUT, text=True, shown=command_line):
    """argv's stdout in lib.sh's namespace; CheckError (argv as shown() writes it)
    if it fails."""
    result = ns_run(argv, env, timeout, text)
    if result.returncode != 0:
        raise failed(shown(argv), result)
    return result.stdout


# ---------------------------------------------------------------- nettop's output

def parse_json_lines(out):
    """Every line of nettop's JSON output (str, or bytes in UTF-8), parsed."""
    try:
        text = out.decode("utf-8") if isinstance(out, bytes) else out
        return [json.loads(line) for line in text.splitlines()]
    except ValueError as e:     # UnicodeDecodeError too
        raise CheckError(f"nettop printed invalid JSON ({e}): {out[:300]!r}") from None


def only_sample(samples):
    """The one sample of a --count 1 run."""
    if len(samples) != 1:
        raise CheckError(f"--count 1 printed {len(samples)} samples")
    return samples[0]


def usage_error(result, message=None):
    """'' when result is a refusal: exit status 2, a message on stderr (holding
    message, if given) and nothing on stdout; else what is wrong."""
    problems = []
    if result.returncode != 2:
        problems.append(f"exit status {result.returncode}, want 2")
    if message is None:
        if not result.stderr.strip():
            problems.append("no message on stderr")
    elif message not in result.stderr:
        problems.append(f"stderr {result.stderr.strip()!r} lacks {message!r}")
    if result.stdout:
        problems.append(f"stdout not empty: {result.stdout[:100]!r}")
    return "; ".join(problems)


# ---------------------------------------------------------------- addresses

def split_endpoint(text):
    """'addr:port' or '[addr]:port' -> (addr, port), or None."""
    if text.startswith("["):
        addr, sep, port = text[1:].partition("]:")
    else:
        addr, sep, port = text.rpartition(":")
    return (addr, port) if sep else None


def canonical_addr(addr):
    """One spelling per address (ss and nettop may compress IPv6 differently)."""
    return ipaddress.ip_address(addr.strip("[]")).compressed


def format_endpoint(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def ss_endpoint(text, family):
    """ss's forms ("*:8080", "0.0.0.0:*", "[::1]:9090", "1.2.3.4%lo:53") made
    canonical; a bare "*" is family's wildcard."""
    addr, port = split_endpoint(text)
    addr = addr.partition("%")[0]
    addr = WILDCARD[family] if addr == "*" else canonical_addr(addr)
    return format_endpoint(addr, 0 if port == "*" else int(port))


def json_endpoint(text, family):
    """nettop's endpoint made canonical; anything off-format stays as is, to show in a diff."""
    parts = split_endpoint(text)
    try:
        addr = ipaddress.ip_address(parts[0])
        bracketed = text.startswith("[")
        if addr.version == family and bracketed == (family == 6):
            return format_endpoint(addr.compressed, int(parts[1]))
    except (TypeError, ValueError):
        pass
    return f"malformed:{text}"


def json_socket(s):
    """(proto, family, state, local, remote) of one socket of nettop's JSON."""
    return (s["proto"], s["family"], s["state"], json_endpoint(s["local"], s["family"]),
            json_endpoint(s["remote"], s["family"]))


# ---------------------------------------------------------------- diffs

def show_socket(sock):
    """A (proto, family, state, local, remote) socket, as a diff shows it."""
    proto, family, state, local, remote = sock
    return f"{proto}{family} {state} {local} -> {remote}"


def multiset_diff(expected, actual, show=str, limit=20, counts=True):
    """'' when equal, else what actual lacks (-) and has in excess (+); with
    counts, how many times when more than once."""
    expected, actual = Counter(expected), Counter(actual)

    def lines(sign, extra):
        return [f"{sign} {show(x)}" + (f" (x{n})" if counts and n > 1 else "")
                for x, n in extra.items()]
    return "\n".join(sorted(lines("-", expected - actual) + lines("+", actual - expected))[:limit])


def dict_diff(expected, actual, limit=20):
    """'' when equal, else a line per key whose value differs (limit: at most
    that many lines; None: all)."""
    keys = sorted(set(expected) | set(actual), key=str)
    lines = [f"{k}: expected {expected.get(k)}, got {actual.get(k)}"
             for k in keys if expected.get(k) != actual.get(k)]
    return "\n".join(lines[:limit])


# ---------------------------------------------------------------- namespaces of a suite's own

STARTED = []        # Popen objects of every process started in the background
NAMESPACES = []     # names of the namespaces created here (not lib.sh's)
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

# Half-open entries that stay for minutes: no syncookies, queues large enough,
# SYN-ACKs retried long, and (NFT_DROP_SYNACK) never delivered: without that
# rule every SYN-ACK reaches its (local, spoofed) 127.0.0.0/8 destination,
# whose RST frees the request at once.
HALF_OPEN_SYSCTLS = {"net.ipv4.tcp_syncookies": 0, "net.core.somaxconn": 65535,
                     "net.ipv4.tcp_max_syn_backlog": 65535, "net.ipv4.tcp_synack_retries": 8}
NFT_DROP_SYNACK = [
    ["nft", "add", "table", "inet", "flood"],
    ["nft", "add", "chain", "inet", "flood", "pre",
     "{ type filter hook prerouting priority -300; }"],
    ["nft", "add", "rule", "inet", "flood", "pre", "tcp flags & (syn|ack) == syn|ack drop"],
]


class Namespace:
    """A network namespace by name: lib.sh's, or one of ours once created."""

    def __init__(self, name):
        self.name = name

    def create(self, sysctls=None):
        """Adds it (deleted by cleanup or delete), with lo up and sysctls set."""
        run(["ip", "netns", "add", self.name])
        NAMESPACES.append(self.name)
        self.run(["ip", "link", "set", "lo", "up"])
        if sysctls:
            self.run(["sysctl", "-qw", *(f"{k}={v}" for k, v in sysctls.items())])

    def delete(self):
        delete_namespace(self.name)
        NAMESPACES.remove(self.name)

    def argv(self, argv):
        return ns_argv(argv, self.name)

    def run(self, argv, timeout=COMMAND_TIMEOUT, check=True):
        return run(self.argv(argv), timeout, check)

    def output(self, argv):
        return self.run(argv).stdout

    def popen(self, argv, **kwargs):
        """Starts argv in the namespace (ip netns exec execs it: same pid)."""
        proc = subprocess.Popen(self.argv(argv), text=True, **kwargs)
        STARTED.append(proc)
        return proc

    def drop_synacks(self):
        for argv in NFT_DROP_SYNACK:
            self.run(argv)


def delete_namespace(name):
    # Anything left inside was started by this run (through ip netns exec).
    for pid in run(["ip", "netns", "pids", name], check=False).stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    result = run(["ip", "netns", "del", name], check=False)
    if result.returncode != 0:
        print(f"# could not delete namespace {name}: {result.stderr.strip()}", flush=True)


def cleanup(tmpdir, stop):
    """Stops every process in STARTED with stop(proc), by its pid; deletes
    every namespace in NAMESPACES and tmpdir. Signals are ignored meanwhile."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    for proc in STARTED:
        stop(proc)
    for name in NAMESPACES:
        delete_namespace(name)
    if tmpdir:
        shutil.rmtree(tmpdir, ignore_errors=True)


def on_signal(sig, frame):
    raise Stop(128 + sig)


def exit_on_signals():
    for sig in SIGNALS:
        signal.signal(sig, on_signal)


def build_synflood(tmpdir):
    """tests/tools/synflood.c built in tmpdir; its path."""
    path = os.path.join(tmpdir, "synflood")
    run(["cc", "-O2", "-o", path, SYNFLOOD_SRC])
    return path


def settle(measure, want, timeout, pause):
    """measure()'s last list, taken every pause seconds until it holds want
    items or stops growing, or timeout passes."""
    deadline, last, value = time.monotonic() + timeout, -1, []
    while time.monotonic() < deadline:
        value = measure()
        if len(value) >= want or len(value) == last:
            break
        last = len(value)
        time.sleep(pause)
    return value


def stop_process(proc, close=True, grace=2):
    """Stops one process we started, by its pid: SIGTERM, then SIGKILL after
    grace seconds; with close, closes its pipes (LineReader threads read
    them, so this waits rather than communicates)."""
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
    if not close:
        return
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream:
            try:
                stream.close()
            except OSError:
                pass


class LineReader:
    """A stream read line by line by a thread of its own: convert(line) for
    each line in lines (a queue), then None."""

    def __init__(self, stream, convert=lambda line: line.rstrip("\n")):
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, args=(stream, convert), daemon=True).start()

    def _pump(self, stream, convert):
        for line in stream:
            self.lines.put(convert(line))
        self.lines.put(None)

    def get(self, timeout):
        """The next line, or None at the end or after timeout seconds."""
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None


# ---------------------------------------------------------------- inside the namespace
# (sockmix.py and procmix.py, run there by lib.sh and test_procs.py)

held = []  # every socket kept open, so none is garbage-collected


def keep(sock):
    held.append(sock)
    return sock


def tcp_listener(family, addr, port, v6only, backlog):
    """A kept listener (SO_REUSEADDR; an IPv6 one with IPV6_V6ONLY as v6only says)."""
    s = keep(socket.socket(family, socket.SOCK_STREAM))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(v6only))
    s.bind((addr, port))
    s.listen(backlog)
    return s


def proc_net_tcp():
    """(local port, state number) of every TCP socket in /proc/net/tcp and tcp6."""
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                yield int(fields[1].rsplit(":", 1)[1], 16), int(fields[3], 16)


def hold_until_stdin_closes():
    # SIGTERM becomes an exception so the same clean exit path serves both.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        select.select([sys.stdin], [], [])
        if not os.read(sys.stdin.fileno(), 4096):
            return


def hold():
    """hold_until_stdin_closes, with Ctrl-C as good as a closed stdin."""
    try:
        hold_until_stdin_closes()
    except KeyboardInterrupt:
        pass
