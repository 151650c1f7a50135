#!/usr/bin/env python3
"""The history served to scripts (issue 19): --replay FILE --batch --series
NAME[,NAME...] [--csv] prints each sample's value of every series named,
and those values are the per-sample JSON counts of the same recording
(--replay FILE --batch --json): states, the kernel's rates, SYN_RECV and the
accept queue per listener, connections per remote address, interface rates.
--series list lists the names; an unknown name exits 2 naming the valid
ones; a recording with a torn end gives the series up to its last whole
sample; --history rejects 0, negative and absurd values.

Run:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_history.py
Reads the committed recordings (tests/fixtures/recordings/: quiet, busy and
flood from tests/tools/record-golden.sh, flood-rise, a SYN flood rising for
20 s, from tests/tools/record-history.sh); needs no root.
Each check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import csv
import io
import os
import sys
import tempfile
from pathlib import Path

import harness
from harness import NETTOP, check, parse_json_lines, run, summary

RECORDINGS = Path(__file__).resolve().parent.parent / "fixtures" / "recordings"


def series_names(rec):
    out = run([NETTOP, "--replay", rec, "--batch", "--series", "list"]).stdout
    return [line for line in out.splitlines() if line]


def series_values(rec, names):
    """{(time, name): value} from --series NAMES --csv."""
    out = run([NETTOP, "--replay", rec, "--batch", "--series", ",".join(names), "--csv"]).stdout
    rows = list(csv.reader(io.StringIO(out)))
    if rows[0] != ["time", "series", "value"]:
        raise harness.CheckError(f"the CSV header is {rows[0]}")
    return {(t, n): float(v) for t, n, v in rows[1:]}


def json_expected(sample):
    """{name: value} the JSON sample says, named as the history names it."""
    want = {f"states.{k}": v for k, v in sample["states"].items()}
    want["total.tcp"] = sum(sample["states"].values())
    for k, v in (sample.get("tcp_rates") or {}).items():
        want[f"tcp_rates.{k}"] = v
    for li in sample.get("flood", {}).get("listeners", []):
        want[f"listener.{li['local']}.syn_recv"] = li["syn_recv"]
        want[f"listener.{li['local']}.accept_queue"] = li["accept_queue"]
    for r in sample.get("top_remote", []):
        want[f"remote.{r['addr']}.connections"] = r["connections"]
    for i in sample.get("interfaces", []):
        for key in ("rx_bps", "tx_bps", "rx_pps", "tx_pps"):
            if i.get(key) is not None:
                want[f"iface.{i['name']}.{key}"] = i[key]
    return want


def close(a, b):
    # the JSON prints rates to a tenth; the history keeps floats
    return abs(a - b) <= 0.05 + 1e-6 * abs(b)


def compare_recording(rec):
    samples = parse_json_lines(run([NETTOP, "--replay", rec, "--batch", "--json"]).stdout)
    names = series_names(rec)
    got = series_values(rec, names)
    problems, compared = [], 0
    for s in samples:
        t = f"{s['time']:.3f}"
        for name, v in json_expected(s).items():
            if name not in names:
                problems.append(f"{t}: no series {name}")
                continue
            compared += 1
            if (t, name) not in got or not close(got[(t, name)], v):
                problems.append(f"{t} {name}: series {got.get((t, name))}, JSON {v}")
    if compared < 20 * len(samples):
        problems.append(f"only {compared} values compared over {len(samples)} samples")
    return "\n".join(problems[:10])


for rec_name in ("quiet", "busy", "flood", "flood-rise"):
    check(f"--series equals the JSON counts of {rec_name}.rec")(
        lambda rec_name=rec_name: compare_recording(RECORDINGS / f"{rec_name}.rec"))


@check("--series list names the states, rates, listeners and addresses")
def list_names():
    names = series_names(RECORDINGS / "flood.rec")
    want = ["states.SYN_RECV", "total.tcp", "tcp_rates.syncookies_sent",
            "listener.127.0.0.1:80.syn_recv", "listener.127.0.0.1:80.accept_queue",
            "remote.127.0.0.99.connections", "iface.lo.rx_bps"]
    missing = [n for n in want if n not in names]
    return f"missing {missing}" if missing else None


@check("the rising flood's SYN_RECV rises sample after sample")
def rising():
    got = series_values(RECORDINGS / "flood-rise.rec", ["states.SYN_RECV"])
    values = [v for _, v in sorted(got.items())]
    if len(values) != 20 or any(b <= a for a, b in zip(values, values[1:])):
        return f"values {values}"
    return None


@check("the text form is 'time series value' a line")
def text_form():
    out = run([NETTOP, "--replay", RECORDINGS / "flood.rec", "--batch", "--series",
               "states.SYN_RECV"]).stdout.split("\n")
    values = [line.split(" ")[2] for line in out if line]
    return None if values == ["200", "200", "400", "400"] else f"values {values}"


@check("an unknown series exits 2 and lists the valid ones")
def unknown_series():
    r = run([NETTOP, "--replay", RECORDINGS / "quiet.rec", "--batch", "--series",
             "states.SYN_RECV,no.such"], check=False)
    if r.returncode != 2:
        return f"exit {r.returncode}, want 2"
    if "no.such" not in r.stderr or "states.ESTABLISHED" not in r.stderr or r.stdout:
        return f"stderr {r.stderr[:200]!r}, stdout {r.stdout[:80]!r}"
    return None


@check("a torn recording gives the series up to its last whole sample")
def torn():
    data = (RECORDINGS / "flood.rec").read_bytes()
    with tempfile.NamedTemporaryFile(suffix=".rec") as f:
        f.write(data[:-100])
        f.flush()
        r = run([NETTOP, "--replay", f.name, "--batch", "--series", "states.SYN_RECV", "--csv"],
                check=False)
    lines = [line for line in r.stdout.splitlines()[1:] if line]
    if r.returncode != 0 or len(lines) != 3 or "after sample 3" not in r.stderr:
        return f"exit {r.returncode}, {len(lines)} samples (want 3): {r.stderr.strip()[:200]}"
    return None


@check("--history 0, negative, absurd and words exit 2; --series needs --replay")
def bad_history():
    problems = []
    for bad in (["--history", "0"], ["--history", "-5"], ["--history", "99999999"],
                ["--history", "lots"], ["--series", "list"], ["--csv"]):
        r = run([NETTOP, "--batch", *bad], check=False)
        if r.returncode != 2 or not r.stderr.strip():
            problems.append(f"{bad}: exit {r.returncode}, {r.stderr.strip()[:80]!r}")
    return "\n".join(problems)


if __name__ == "__main__":
    if not harness.nettop_executable():
        sys.exit(1)
    harness.exit_on_signals()
    sys.exit(summary([harness.run_check(name, fn) for name, fn in harness.CHECKS]))
