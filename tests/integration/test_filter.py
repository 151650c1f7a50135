#!/usr/bin/env python3
"""nettop's filter language against ss's own filter, in a private namespace.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_filter.py
(NETTOP defaults to ./nettop at the top of the repository.)

Started on its own, it re-runs itself under `bash lib.sh run`, which builds
the namespace and sockmix's socket mix and tears them down afterwards. Each
check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.

The table below gives each expression as nettop takes it and the ss command
(or commands, whose union is meant) that select the same sockets. ss takes
`state` only before its expression and only ORs states together, has no
`port`/`addr` keywords, and chooses protocols and families with -t -u -4 -6;
it also reads `a || b && c` left to right, where nettop binds && tighter, so
the table brackets such mixes; it wants a bare IPv6 address in brackets
(`src [::1]`) and `!` as a word of its own. Everything else is passed to ss
as written.

With an expression the kernel can decide whole, the check also counts the
sockets the kernel's dump returned (nettop under strace): the state mask and
the inet_diag bytecode must have done the filtering, not userspace. Other
checks read the dump requests themselves.
"""

import os
import re
import shlex
import sys
from pathlib import Path

import harness
from harness import (NETTOP, NETTOP_BINARY, SS_STATES, CheckError, check, json_endpoint, main,
                     multiset_diff, ns_run, only_sample, parse_json_lines, retried, run_all,
                     usage_error)

# ss's state-filter words naming one state, in netstat's names.
SS_STATE_WORDS = {
    "established": "ESTABLISHED", "syn-sent": "SYN_SENT", "syn-recv": "SYN_RECV",
    "fin-wait-1": "FIN_WAIT1", "fin-wait-2": "FIN_WAIT2", "time-wait": "TIME_WAIT",
    "closed": "CLOSE", "close-wait": "CLOSE_WAIT", "last-ack": "LAST_ACK",
    "listening": "LISTEN", "closing": "CLOSING",
}

ALL = "ss -tuanH"


class Case:
    """nettop's expression; ss commands whose union lists the same sockets.

    form: how nettop is given the expression: "args" (trailing words, as ss
    takes it), "-f" or "--filter" (one argument).
    exact: the kernel can decide the whole expression (states, protocols,
    families, addresses, ports), so the dump itself must return exactly the
    matching sockets: a program too loose shows there, one too strict in the
    comparison with ss.
    name: what the check is called, when not the expression.
    """

    def __init__(self, expr, *ss, form="args", exact=False, name=None):
        self.expr = expr
        self.ss = list(ss) or [f"{ALL} {expr}"]
        self.form = form
        self.exact = exact
        shown = expr if form == "args" else f"{form} '{expr}'"
        self.name = name or shown


# Long expressions whose programs outgrow the dump request's buffer: the
# compiler must keep a shorter superset and leave the rest to userspace.
LONG_OR = " or ".join(f"sport = :{port}" for port in range(1, 2001))
LONG_AND = " and ".join(f"sport != :{port}" for port in range(1, 2001))


CASES = [
    # states, one and several, both spellings, ss's groups
    Case("state established", f"{ALL} state established", exact=True),
    Case("state SYN_RECV", f"{ALL} state syn-recv", exact=True),
    Case("state time-wait", f"{ALL} state time-wait", form="-f", exact=True),
    Case("state close", f"{ALL} state closed", exact=True),
    Case("state listen,established",
         f"{ALL} state listening state established", exact=True),
    Case("state FIN_WAIT2,close-wait",
         f"{ALL} state fin-wait-2 state close-wait", exact=True),
    Case("state connected", f"{ALL} state connected", exact=True),
    Case("state synchronized", f"{ALL} state synchronized", exact=True),
    Case("state bucket", f"{ALL} state bucket", exact=True),
    Case("state big", f"{ALL} state big", exact=True),
    # ports: every operator, service names, either end
    Case("sport = :80", exact=True),
    Case("sport == :http", f"{ALL} sport = :http", form="--filter", exact=True),
    Case("dport = :9", exact=True),
    Case("dport != :80", exact=True),
    Case("sport < :8000", exact=True),
    Case("sport <= :8000", exact=True),
    Case("dport > :9090", exact=True),
    Case("dport >= :9090", exact=True),
    Case("sport gt :1024 and dport lt :1024", exact=True),
    Case("port = :8000", f"{ALL} ( sport = :8000 or dport = :8000 )", exact=True),
    # addresses: prefixes, addr:port, IPv6
    Case("src 127.0.0.0/8", exact=True),
    Case("src 127.0.0.2/32", exact=True),
    Case("dst 127.0.0.2", exact=True),
    Case("dst 127.0.0.48/30", exact=True),
    Case("dst ::1/128", exact=True),
    Case("src ::1", f"{ALL} src [::1]", exact=True),
    Case("dst 127.0.0.1:80", exact=True),
    Case("src [::1]:9090", exact=True),
    Case("src *:5353", exact=True),
    Case("addr 127.0.0.3", f"{ALL} ( src 127.0.0.3 or dst 127.0.0.3 )", exact=True),
    # and, or, not, parentheses, the aliases, juxtaposition
    Case("sport = :80 or sport = :8000", exact=True),
    Case("sport = :80 || dst ::1/128", exact=True),
    Case("not sport = :80", exact=True),
    Case("! dport = :80", exact=True),
    Case("src 127.0.0.1 and not sport = :80", exact=True),
    Case("src 127.0.0.1 && ! ( sport = :80 || sport = :7000 )", exact=True),
    Case("( sport = :80 or sport = :9090 ) and not ( dst 127.0.0.2/32 or dst 127.0.0.3 )",
         exact=True),
    Case("not ( dport = :80 or dport = :9090 ) and ( src 127.0.0.1 or src ::1 )",
         f"{ALL} not ( dport = :80 or dport = :9090 ) and ( src 127.0.0.1 or src [::1] )",
         exact=True),
    Case("src 127.0.0.1/32 sport = :8000", exact=True),
    Case("dst 127.0.0.0/8 !dport = :80 !dport = :8000",
         f"{ALL} dst 127.0.0.0/8 ! dport = :80 ! dport = :8000", exact=True),
    # states, protocols and families with the rest
    Case("state established and ( dport = :80 or sport = :9090 )",
         f"{ALL} state established ( dport = :80 or sport = :9090 )", exact=True),
    Case("state listen and src 127.0.0.1", f"{ALL} state listening src 127.0.0.1", exact=True),
    Case("tcp and src 127.0.0.1", "ss -tanH src 127.0.0.1", exact=True),
    Case("udp and sport = :5353", "ss -uanH sport = :5353", exact=True),
    Case("udp state established", "ss -uanH state established", exact=True),
    Case("ipv6 and state listen", f"{ALL} -6 state listening", exact=True),
    Case("ipv4 dport >= :40000", f"{ALL} -4 dport >= :40000", exact=True),
    Case("tcp ipv6 not sport = :9090", "ss -tanH -6 not sport = :9090", exact=True),
    # what the kernel can not decide alone: userspace keeps the expression exact
    Case("state listen or dport = :80",
         f"{ALL} state listening", f"{ALL} dport = :80"),
    Case("ipv6 or sport = :7000", f"{ALL} -6", f"{ALL} sport = :7000"),
    Case("udp or dst 127.0.0.4", "ss -uanH", f"{ALL} dst 127.0.0.4"),
    Case("not ( tcp and sport = :80 )", "ss -tanH not sport = :80", "ss -uanH"),
    Case("not ( state established or sport = :8000 )",
         f"{ALL} state all exclude established not sport = :8000"),
    Case(LONG_OR, f"{ALL} sport < :2001",
         name="sport = :1 or sport = :2 or ... sport = :2000 (a 40 KB program)"),
    Case(LONG_AND, f"{ALL} sport >= :2001",
         name="sport != :1 and ... sport != :2000 (a 40 KB program)"),
]

ERRORS = [
    ("dport", "expected a port after 'dport' at column 1"),
    ("tcp and dport", "expected a port after 'dport' at column 9"),
    ("state bogus", "unknown state 'bogus' at column 7"),
    ("state listen,bogus", "unknown state 'bogus' at column 14"),
    ("( sport = :80", "'(' is never closed at column 1"),
    ("sport = :80 )", "unexpected ')' at column 13"),
    ("src 999.1.1.1", "'999.1.1.1' is not an address"),
    ("src 999.1.1.1", "at column 5"),
    ("sport = :nosuchservice", "is not a port or service name at column 9"),
    ("sport = :80 or", "expected a condition at column 15"),
    ("and sport = :80", "expected a condition before 'and' at column 1"),
    ("( " * 300 + "sport = :80" + " )" * 300, "nested too deeply"),
    # what the user typed is quoted escaped: no control byte reaches stderr
    ("sport = :\x1b[31mx", "':\\x1b[31mx' is not a port or service name"),
    ("state \x07bogus\x9b", "unknown state '\\x07bogus\\xc2\\x9b'"),
]


# ---------------------------------------------------------------- commands

def shown_command(argv):
    """argv as a failure shows it: a long expression cut short."""
    command = shlex.join(map(str, argv))
    if len(command) > 200:
        command = f"{command[:150]}... ({len(argv)} words)"
    return command


def ns_output(argv, env=None):
    return harness.ns_output(argv, env, shown=shown_command)


def nettop_argv(case):
    argv = [NETTOP, "--batch", "--count", "1", "--json", "-a"]
    if case.form == "args":
        return argv + shlex.split(case.expr)
    return argv + [case.form, case.expr]


def nettop_sockets(argv):
    return parse_sockets(ns_output(argv))


def parse_sockets(out):
    """(proto, state, local, remote) of every socket in nettop's one JSON sample."""
    return [(s["proto"], s["state"], json_endpoint(s["local"], s["family"]),
             json_endpoint(s["remote"], s["family"]))
            for s in only_sample(parse_json_lines(out))["sockets"]]


# ---------------------------------------------------------------- ss

def ss_endpoint(text):
    """harness.ss_endpoint for lines of both families: ss writes a bare "*"
    only for a dual-stack IPv6 wildcard."""
    return harness.ss_endpoint(text, 6)


def ss_implied(argv):
    """The protocol and state ss leaves out of its lines when only one is asked for."""
    flags = "".join(a[1:] for a in argv[1:] if re.fullmatch(r"-[a-zA-Z0-9]+", a))
    protos = [p for p, letter in (("tcp", "t"), ("udp", "u")) if letter in flags]
    states = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "state"]
    state = None
    if len(states) == 1 and "exclude" not in argv:
        state = SS_STATE_WORDS.get(states[0])
    return (protos[0] if len(protos) == 1 else None), state


def ss_sockets(command):
    """(proto, state, local, remote) of every socket an ss command lists.

    ss drops its Netid column when one protocol is asked for, and its State
    column when one state is: those come from the command instead."""
    argv = shlex.split(command)
    proto, state = ss_implied(argv)
    sockets = []
    for line in ns_output(argv).splitlines():
        fields = line.split()
        lead, local, remote = fields[:-4], fields[-2], fields[-1]
        row_proto, row_state = proto, state
        for word in lead:
            if word in ("tcp", "udp"):
                row_proto = word
            else:
                row_state = SS_STATES.get(word, word)
        if row_proto is None or row_state is None:
            raise CheckError(f"cannot read ss's line {line!r} of {command!r}")
        sockets.append((row_proto, row_state, ss_endpoint(local), ss_endpoint(remote)))
    return sockets


def ss_union(commands):
    seen = set()
    for command in commands:
        seen.update(ss_sockets(command))
    return seen


def show_socket(sock):
    proto, state, local, remote = sock
    return f"{proto} {state} {local} -> {remote}"


_everything = []


def every_socket():
    """ss's whole listing, taken once: the mix does not change."""
    if not _everything:
        _everything.append(set(ss_sockets(ALL)))
    return _everything[0]


def selection_check(case):
    """nettop's selection equals ss's; for an exact case, the kernel's dump too."""
    def run():
        expected = ss_union(case.ss)
        # A case that keeps nothing or everything could not catch a filter
        # that ignores its expression.
        if not expected:
            return f"ss lists nothing for {case.ss}: the case cannot fail"
        if expected >= every_socket():
            return f"ss lists every socket for {case.ss}: the case cannot fail"
        if not case.exact:
            return multiset_diff(expected, nettop_sockets(nettop_argv(case)), show_socket)
        out, log = traced(nettop_argv(case), "recvmsg,recvfrom,read")
        detail = multiset_diff(expected, parse_sockets(out), show_socket)
        if detail:
            return detail
        if "= -1 " in log:
            return "a receive failed: " + next(l for l in log.splitlines() if "= -1 " in l)[:300]
        returned = kernel_returned(log, only_sample(parse_json_lines(out)))
        if returned != len(expected):
            return (f"the kernel's dump returned {returned} sockets, {len(expected)} match: "
                    "its program or state mask is not the expression")
        return None
    return run


for _case in CASES:
    _kind = "same as ss, kernel dump exact" if _case.exact else "same as ss"
    check(f"{_kind}: {_case.name}")(retried(selection_check(_case)))


def error_check(expr, message):
    argv = [NETTOP, "--batch", "--count", "1", "-a", *shlex.split(expr)]
    return lambda: usage_error(ns_run(argv), message)


for _expr, _message in ERRORS:
    _shown = _expr if len(_expr) <= 60 else f"{_expr[:30]}... ({len(_expr)} characters)"
    _shown = _shown if _shown.isprintable() else ascii(_shown)
    check(f"error: {_shown} -> {_message}")(error_check(_expr, _message))


# ---------------------------------------------------------------- kernel side

def traced(argv, syscalls):
    """nettop run under strace: (nettop's stdout, strace's decoded log)."""
    log = Path(f"/tmp/nettop-it-strace.{os.getpid()}")
    # LeakSanitizer (make test's SAN=1 pass) cannot run under ptrace.
    asan = ":".join(o for o in (os.environ.get("ASAN_OPTIONS"), "detect_leaks=0") if o)
    try:
        out = ns_output(["strace", "-f", "-qq", "-y", "-s", "65535", "-e", f"trace={syscalls}",
                         "-o", str(log), *argv], {**os.environ, "ASAN_OPTIONS": asan})
        return out, log.read_text()
    finally:
        log.unlink(missing_ok=True)


# What the BPF iterators write per socket when tcp_info is asked for (JSON
# is): struct nt_rec, src/sample/bpf/rec.h.
BPF_RECORD_SIZE = 128


def kernel_returned(log, sample):
    """How many sockets the kernel handed over: sock_diag messages, or the
    bytes read from the BPF iterators (traced with -y) in records, and the
    records of the BPF table walk (its program writes them into memory
    nettop maps: no system call shows them, the JSON counts them)."""
    if sample["backend"] != "bpf":
        return log.count("nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_MULTI")
    read = sum(int(n) for n in re.findall(r"read\(\d+<anon_inode:bpf_iter>,.*\) = (\d+)$",
                                          log, re.M))
    if read % BPF_RECORD_SIZE:
        raise CheckError(f"{read} bytes read from the BPF iterators: not whole records")
    return read // BPF_RECORD_SIZE + sample["bpf_walked"]


def dump_requests(log):
    """The sock_diag dump requests nettop sent, one decoded line each."""
    return [line for line in log.splitlines()
            if "sendto(" in line and "nlmsg_type=SOCK_DIAG_BY_FAMILY" in line]


def request_check(expr, want, unwanted=(), count=None):
    """Every dump request for expr holds each of want and none of unwanted
    (sock_diag's requests: whatever NETTOP_BACKEND says)."""
    def run():
        argv = [NETTOP_BINARY, "--backend", "sockdiag", "--batch", "--count", "1", "--json", "-a",
                *shlex.split(expr)]
        _, log = traced(argv, "sendto")
        requests = dump_requests(log)
        if not requests:
            return f"no sock_diag dump request seen: {log[:300]!r}"
        if count is not None and len(requests) != count:
            return f"{len(requests)} dump requests, want {count}"
        problems = []
        for text in want:
            if not all(text in r for r in requests):
                problems.append(f"a request lacks {text!r}")
        for text in unwanted:
            if any(text in r for r in requests):
                problems.append(f"a request holds {text!r}")
        if problems:
            problems.append(f"first request: {requests[0][:600]}")
        return "\n".join(problems)
    return run


BYTECODE = "nla_type=INET_DIAG_REQ_BYTECODE"
check("kernel: no filter sends no bytecode")(request_check("", [], [BYTECODE], count=4))
check("kernel: sport = :80 sends INET_DIAG_REQ_BYTECODE")(
    request_check("sport = :80", [BYTECODE, "INET_DIAG_BC_S_GE"]))
check("kernel: src 127.0.0.0/8 sends a host condition")(
    request_check("src 127.0.0.0/8", [BYTECODE, "INET_DIAG_BC_S_COND"]))
check("kernel: state listen narrows idiag_states, no bytecode")(
    request_check("state listen", ["idiag_states=1<<TCP_LISTEN,"], [BYTECODE, "TCP_ESTABLISHED"]))
check("kernel: tcp ipv6 asks for one dump")(
    request_check("tcp ipv6", ["sdiag_family=AF_INET6", "sdiag_protocol=IPPROTO_TCP"], count=1))
check("kernel: a text word or'd in leaves the dump whole (no bytecode)")(
    request_check("127.0.0.4 or sport = :80", [], [BYTECODE]))
check("kernel: user and'ed in keeps the bytecode")(
    request_check("user 0 and sport = :80", [BYTECODE, "INET_DIAG_BC_S_GE"]))


if __name__ == "__main__":
    sys.exit(main(lambda: run_all(mix_age=True), __file__))
