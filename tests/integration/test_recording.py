#!/usr/bin/env python3
"""Recordings that are damaged, hostile or cut short by a full disk
(issue 16): --replay FILE --batch says what is wrong and where (the file, the
frame's number and byte offset) and exits 2 when nothing could be read;
--record FILE on a full file system keeps only complete frames, names the
real error and exits 1.

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_recording.py
(NETTOP defaults to ./nettop at the top of the repository.)

The recordings are written here frame by frame (doc/recording.md). The full
disk is a 16 KiB tmpfs mounted in a private mount namespace (unshare -m), with
nettop sampling a private, empty network namespace (unshare -n): both go away
with the unshare process. Nothing here is timed.

Each check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import os
import shlex
import struct
import sys
import tempfile
import zlib

import harness
from harness import CheckError, check, exit_on_signals, parse_json_lines, run, summary

FRAME_MAGIC = 0x4c504d53
HEADER = b"NETTOPRC" + struct.pack("<II", 1, 0)
ST_LISTEN = 10


class W:
    tmp = None


def varint(v):
    out = bytearray()
    while True:
        out.append((v & 0x7f) | (0x80 if v > 0x7f else 0))
        v >>= 7
        if not v:
            return bytes(out)


def svarint(v):
    return varint(((v << 1) ^ (v >> 63)) & (2**64 - 1))


def new_sock(lport):
    """A NEW op: an IPv4 listener on 127.0.0.1:lport, no owner."""
    return (bytes([1, 0, ST_LISTEN, 0, 0]) + bytes([127, 0, 0, 1]) + bytes(4) +
            varint(lport) + varint(0) + varint(lport) + varint(0) * 6 + svarint(-1))


def copy(start, run_length):
    return bytes([0]) + varint(start) + varint(run_length)


def payload(second, nsocks, ops, run_start=False):
    """A sample at wall and monotonic clock `second`: no counters,
    processes, SYN sources or interfaces; nsocks sockets made by ops."""
    return (varint(1 if run_start else 0) + svarint(second) + varint(0) + svarint(second) +
            varint(0) + varint(0) + varint(0) + varint(0) * 6 + varint(nsocks) + ops)


def frame(body):
    return struct.pack("<II", FRAME_MAGIC, len(body)) + body + struct.pack("<I", zlib.crc32(body))


def write(name, data):
    path = os.path.join(W.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def replay(path, *extra):
    return run([harness.NETTOP, "--replay", path, "--batch", "--json", *extra], check=False)


def expect(result, status, *words, samples=None):
    """'' when result exited with status, its stderr holds every word and
    (if given) stdout holds that many samples; else what differs."""
    problems = []
    if result.returncode != status:
        problems.append(f"exit status {result.returncode}, want {status}")
    for w in words:
        if w not in result.stderr:
            problems.append(f"stderr lacks {w!r}")
    if samples is not None and len(parse_json_lines(result.stdout)) != samples:
        problems.append(f"{len(parse_json_lines(result.stdout))} samples printed, want {samples}")
    if problems:
        problems.append(f"stderr: {result.stderr.strip()[:400]}")
    return "\n".join(problems)


# ---------------------------------------------------------------- replay

@check("replay: 1 socket then 3 (a capacity of 1 grew to 1, the heap broke)")
def one_then_three():
    path = write("one-then-three.rec", HEADER +
                 frame(payload(1, 1, new_sock(80), run_start=True)) +
                 frame(payload(2, 3, copy(0, 1) + new_sock(81) + new_sock(82))) +
                 frame(payload(3, 4, copy(0, 3) + new_sock(83))))
    result = replay(path)
    problem = expect(result, 0, samples=3)
    if problem:
        return problem
    counts = [len(s["sockets"]) for s in parse_json_lines(result.stdout)]
    return "" if counts == [1, 3, 4] else f"socket counts {counts}, want [1, 3, 4]"


@check("replay: a range copied twice is refused (sockets doubled every frame)")
def copied_twice():
    data = HEADER + frame(payload(1, 1, new_sock(80), run_start=True))
    offset = len(data)
    n = 1
    for second in range(2, 14):
        data += frame(payload(second, 2 * n, copy(0, n) + copy(0, n)))
        n *= 2
    path = write("doubling.rec", data)
    return expect(replay(path), 0, path, f"sample 2 (frame at byte {offset}) is malformed", samples=1)


# ---------------------------------------------------------------- damage

@check("replay: a header-only file exits 2 and says it holds no sample")
def header_only():
    path = write("header-only.rec", HEADER)
    return expect(replay(path), 2, path, "holds no sample", samples=0)


@check("replay: a first frame failing its CRC exits 2, naming frame 1 at byte 16")
def bad_crc_first():
    good = frame(payload(1, 1, new_sock(80), run_start=True))
    bad = good[:-1] + bytes([good[-1] ^ 0xff])
    path = write("bad-crc.rec", HEADER + bad + good)
    return expect(replay(path), 2, path, "frame 1 (byte 16) fails its CRC", "nothing could be read",
                  samples=0)


@check("replay: a first frame without its mark exits 2")
def bad_magic_first():
    path = write("bad-magic.rec", HEADER + b"JUNK" + frame(payload(1, 0, b""))[4:])
    return expect(replay(path), 2, path, "frame 1 (byte 16) does not start with SMPL", samples=0)


@check("replay: a first frame claiming more than the file holds exits 2")
def huge_length_first():
    path = write("huge.rec", HEADER + struct.pack("<II", FRAME_MAGIC, (1 << 30) - 1) + b"x" * 8)
    return expect(replay(path), 2, path, "frame 1 (byte 16) is cut short", samples=0)


@check("replay: a malformed first sample (its CRC right) exits 2, naming it")
def malformed_first():
    path = write("malformed.rec", HEADER + frame(b"\x01\x02\x03"))
    return expect(replay(path), 2, path, "sample 1 (frame at byte 16) is malformed", samples=0)


@check("replay: a recording cut in frame 3 prints 2 samples and says where")
def cut_in_third():
    frames = [frame(payload(i, 1, new_sock(80 + i), run_start=True)) for i in range(1, 4)]
    at = len(HEADER) + len(frames[0]) + len(frames[1])
    path = write("cut.rec", HEADER + frames[0] + frames[1] + frames[2][:-5])
    return expect(replay(path), 0, path, f"frame 3 (byte {at}) is cut short", samples=2)


# ---------------------------------------------------------------- a full disk

@check("record: a full file system: exit 1, the real error, only whole frames kept")
def record_enospc():
    mnt = os.path.join(W.tmp, "full")
    os.mkdir(mnt)
    rec = os.path.join(mnt, "r.rec")
    out = os.path.join(W.tmp, "enospc.out")
    nettop = shlex.quote(harness.NETTOP)
    # a page left after the filler: tens of frames, then ENOSPC in the middle of one
    # (at the shortest interval the bounds allow, 0.05 s: a few seconds)
    script = (f"mount -t tmpfs -o size=16k tmpfs {mnt} && ip link set lo up && "
              f"head -c 8192 /dev/zero >{mnt}/filler && "
              f"{{ {nettop} --batch --record {rec} --count 5000 --interval 0.05 >/dev/null 2>{out}.err; "
              f"echo $? >{out}.status; }} && "
              f"{nettop} --replay {rec} --batch --json >{out}.json 2>{out}.replay-err; "
              f"echo $? >{out}.replay-status; stat -c %s {rec} >{out}.size")
    run(["unshare", "-m", "-n", "sh", "-c", script], timeout=120)

    def read(suffix):
        with open(out + suffix) as f:
            return f.read().strip()
    problems = []
    if read(".status") != "1":
        problems.append(f"--record exited {read('.status')}, want 1")
    if "No space left on device" not in read(".err"):
        problems.append(f"the message does not name ENOSPC: {read('.err')!r}")
    if read(".replay-status") != "0" or read(".replay-err"):
        problems.append(f"the file does not replay whole (exit {read('.replay-status')}): "
                        f"{read('.replay-err')!r}")
    samples = len(parse_json_lines(read(".json")))
    if samples < 2:
        problems.append(f"{samples} samples replayed, want the ones before the disk filled")
    if int(read(".size")) < 4096:
        problems.append(f"the file holds {read('.size')} bytes: the disk filled too early to tell")
    return "\n".join(problems)


def run_all():
    exit_on_signals()
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-recording.")
        results = [harness.run_check(name, fn) for name, fn in harness.CHECKS]
    finally:
        harness.cleanup(W.tmp, lambda proc: None)
    return summary(results)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("not ok - test_recording.py needs root (unshare -m, mount)")
        sys.exit(1)
    sys.exit(run_all() if harness.nettop_executable() else 1)
