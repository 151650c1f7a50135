#!/usr/bin/env python3
"""The files nettop writes: --prometheus FILE (replaced atomically, never
through a planted link, exit status 1 when it cannot be written) and
--record FILE (never through a symbolic link: exit status 2).

Run as root:  NETTOP=/abs/path/to/nettop python3 tests/integration/test_files.py
(NETTOP defaults to ./nettop at the top of the repository.)

Every nettop runs under `unshare --net --mount`: it samples a private, empty
network namespace, and the file systems that refuse a write (a read-only
tmpfs, a full one: as root, permissions would not stop it) are mounted in a
private mount namespace that vanishes with the command, so nothing is left
to clean up but the temporary directory, removed however the run ends.

Each check prints "ok - NAME" or "not ok - NAME: detail"; the last line is
"N passed, M failed", and the exit status is 1 when anything failed.
"""

import os
import sys
import tempfile

import harness
from harness import (NETTOP, CheckError, check, exit_on_signals, nettop_executable, run,
                     run_check, summary, usage_error)

PRIVATE = ["unshare", "--net", "--mount", "--propagation", "private"]
METRICS_END = "nettop_sample_timestamp_seconds"     # one of the last series written

# Runs inside PRIVATE as `sh -c SCRIPT sh DIR NETTOP SIZE [ro|full]`: a tmpfs
# at DIR holding m.prom ("old"), made read-only or full; then nettop writes
# m.prom there. Prints nettop's status, what DIR holds and m.prom's text.
TMPFS_RUN = r"""
set -e
dir=$1 nettop=$2
mount -t tmpfs -o "size=$3" tmpfs "$dir"
printf 'old\n' > "$dir/m.prom"
case $4 in
ro) mount -o remount,ro "$dir" ;;
full) dd if=/dev/zero of="$dir/filler" bs=4k 2>/dev/null || true ;;
esac
set +e
"$nettop" --prometheus "$dir/m.prom" --count 1 </dev/null
echo "status=$?"
ls -A "$dir" | tr '\n' ' '
echo
cat "$dir/m.prom"
"""


class World:
    tmp = None


W = World()


def private(argv, **kwargs):
    """argv in a private network and mount namespace."""
    return run(PRIVATE + list(map(str, argv)), check=False, **kwargs)


def fresh_dir(name):
    path = os.path.join(W.tmp, name)
    os.mkdir(path)
    return path


def read(path):
    with open(path) as f:
        return f.read()


def whole_metrics(text):
    """'' when text is a whole exposition (HELP first, the last series, a
    final newline); else what is wrong."""
    if not text.startswith("# HELP nettop_") or METRICS_END not in text or not text.endswith("\n"):
        return f"not a whole metrics file: {text[:80]!r}...{text[-80:]!r}"
    return ""


def write_failure(status, stderr, cause, path):
    """'' when nettop's exit status and stderr tell a write failure: status 1
    and a message naming --prometheus PATH and the cause; else what is wrong."""
    problems = []
    if status != 1:
        problems.append(f"exit status {status}, want 1")
    want = f"--prometheus {path}: {cause}"
    if want not in stderr:
        problems.append(f"stderr {stderr.strip()!r} lacks {want!r}")
    return "; ".join(problems)


def prom_failure(path, cause):
    """Runs nettop --prometheus PATH --count 1: '' when it fails as it should."""
    result = private([NETTOP, "--prometheus", path, "--count", 1])
    problems = [write_failure(result.returncode, result.stderr, cause, path)]
    if result.stdout:
        problems.append(f"printed {result.stdout[:100]!r}")
    return "; ".join(p for p in problems if p)


# ---------------------------------------------------------------- --prometheus

@check("--prometheus: a link planted at FILE.tmp.PID is not followed; FILE is whole")
def check_planted_temporary():
    shared = fresh_dir("shared")
    os.chmod(shared, 0o1777)
    victim = os.path.join(W.tmp, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    path = os.path.join(shared, "m.prom")
    # exec keeps the shell's pid: the old temporary name, FILE.tmp.PID
    result = private(["sh", "-c", 'ln -s "$1" "$2.tmp.$$" && exec "$3" --prometheus "$2" --count 1',
                      "sh", victim, path, NETTOP])
    problems = []
    if result.returncode != 0:
        problems.append(f"exit status {result.returncode}: {result.stderr.strip()[:200]}")
    if read(victim) != "precious\n":
        problems.append(f"the link's target was written: {read(victim)[:60]!r}")
    if os.path.islink(path) or not os.path.isfile(path):
        problems.append(f"{path} is not a regular file")
    else:
        problems.append(whole_metrics(read(path)))
    left = sorted(f for f in os.listdir(shared) if not os.path.islink(os.path.join(shared, f)))
    if left != ["m.prom"]:
        problems.append(f"the directory holds {left}, want only m.prom (and the planted link)")
    return "; ".join(p for p in problems if p)


@check("--prometheus FILE that is a link: the link is replaced, its target untouched")
def check_file_is_link():
    d = fresh_dir("linked")
    victim = os.path.join(d, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    path = os.path.join(d, "m.prom")
    os.symlink(victim, path)
    result = private([NETTOP, "--prometheus", path, "--count", 1])
    problems = []
    if result.returncode != 0:
        problems.append(f"exit status {result.returncode}: {result.stderr.strip()[:200]}")
    if read(victim) != "precious\n":
        problems.append(f"the link's target was written: {read(victim)[:60]!r}")
    if os.path.islink(path):
        problems.append("FILE is still the link")
    else:
        problems.append(whole_metrics(read(path)))
    return "; ".join(p for p in problems if p)


@check("--prometheus in a missing directory: exit status 1, the cause")
def check_missing_dir():
    path = os.path.join(W.tmp, "no-such-dir", "m.prom")
    return prom_failure(path, "No such file or directory")


@check("--prometheus FILE where a directory is: exit status 1; the directory as it was")
def check_directory_in_the_way():
    d = fresh_dir("way")
    path = os.path.join(d, "m.prom")
    os.mkdir(path)
    problems = [prom_failure(path, "Is a directory")]
    if os.listdir(d) != ["m.prom"] or os.listdir(path):
        problems.append(f"left behind: {os.listdir(d)}, in the directory {os.listdir(path)}")
    return "; ".join(p for p in problems if p)


def tmpfs_check(mode, size, cause):
    def run_check():
        d = fresh_dir(f"tmpfs-{mode}")
        path = os.path.join(d, "m.prom")
        result = private(["sh", "-c", TMPFS_RUN, "sh", d, NETTOP, size, mode])
        lines = result.stdout.split("\n", 2)
        if result.returncode != 0 or len(lines) < 3 or not lines[0].startswith("status="):
            raise CheckError(f"the script exited {result.returncode}: {result.stdout[:200]!r} "
                             f"{result.stderr.strip()[:300]!r}")
        status, files, text = int(lines[0][len("status="):]), lines[1].split(), lines[2]
        problems = [write_failure(status, result.stderr, cause, path)]
        if text != "old\n":
            problems.append(f"m.prom is now {text[:80]!r}, want the old text whole")
        want = ["filler", "m.prom"] if mode == "full" else ["m.prom"]
        if sorted(files) != want:
            problems.append(f"the file system holds {sorted(files)}, want {want}")
        return "; ".join(p for p in problems if p)
    return run_check


check("--prometheus on a read-only file system: exit status 1; the old file whole")(
    tmpfs_check("ro", "64k", "Read-only file system"))
check("--prometheus on a full file system: exit status 1; the old file whole, no temporary")(
    tmpfs_check("full", "64k", "No space left on device"))


# ---------------------------------------------------------------- --record

def record_link_check(target_exists):
    def run_check():
        d = fresh_dir("record-" + ("link" if target_exists else "dangling"))
        target, path = os.path.join(d, "target"), os.path.join(d, "rec")
        if target_exists:
            with open(target, "w") as f:
                f.write("precious\n")
        os.symlink(target, path)
        result = private([NETTOP, "--batch", "--record", path, "--count", 1])
        problems = [usage_error(result, f"--record {path}: is a symbolic link")]
        if target_exists and read(target) != "precious\n":
            problems.append(f"the link's target was written: {read(target)[:60]!r}")
        if not target_exists and os.path.lexists(target):
            problems.append("the link's target was created")
        if not os.path.islink(path):
            problems.append("the link was replaced")
        return "; ".join(p for p in problems if p)
    return run_check


check("--record FILE that is a link to a file: exit status 2, the reason; the file untouched")(
    record_link_check(True))
check("--record FILE that is a dangling link: exit status 2; nothing created")(
    record_link_check(False))


@check("--record FILE (a regular file) records, and appends on the next run")
def check_record_plain():
    path = os.path.join(fresh_dir("record-plain"), "rec")
    sizes = []
    for _ in range(2):
        result = private([NETTOP, "--batch", "--record", path, "--count", 1])
        if result.returncode != 0:
            return f"exit status {result.returncode}: {result.stderr.strip()[:200]}"
        sizes.append(os.path.getsize(path))
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic != b"NETTOPRC" or not sizes[0] < sizes[1]:
        return f"magic {magic!r}, sizes {sizes} (want a recording that grew)"
    return None


# ---------------------------------------------------------------- runner

def run_all():
    exit_on_signals()
    results = []
    try:
        W.tmp = tempfile.mkdtemp(prefix="nettop-files.")
        results = [run_check(name, fn) for name, fn in harness.CHECKS]
    finally:
        harness.cleanup(W.tmp, lambda proc: None)
    return summary(results)


if __name__ == "__main__":
    sys.exit(run_all() if nettop_executable() else 1)
