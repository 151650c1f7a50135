#!/usr/bin/env python3
"""The shape of the tree, as the style asks it (STYLE.md, issue 17):
- no file of src/ over 600 lines, no function over 60 lines of body;
- no exported function of src/ that only its own file calls (the unit
  tests and the fuzzers count as callers: parsers are exposed for them; a
  BPF program's __noinline global functions are global so that the
  verifier checks each once, on its own);
- one hash (src/view/hash.h): no hand-written FNV-1a loop;
- src/view/ does no I/O (view/view.h): no user, service or interface
  look-up, no file opened there;
- the printers live in src/print/ (src/out/ read like a build folder).
Debts still being paid elsewhere are listed in ALLOWED with who pays them.
Usage: python3 tests/tools/tree_check.py [REPO_ROOT]"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
FILE_MAX, FUNC_MAX = 600, 60
ALLOWED = {
}
FNV = re.compile(r"1099511628211|0x100000001b3|14695981039346656037|0xcbf29ce484222325|1469598103934665603",
                 re.I)
VIEW_IO = re.compile(r"\b(getpwnam|getpwuid|getservbyname|if_nametoindex|fopen|open|opendir|"
                     r"getaddrinfo|getnameinfo|read|write)\s*\(")
DEF = re.compile(r"^(?!static\b|typedef\b|#|\s|/\*|\*|\}|struct\s+\w+\s*\{|enum\b|union\b)"
                 r"[A-Za-z_][\w \*]*?\b(\w+)\(", re.M)


def files(pattern):
    """The files under ROOT whose path matches pattern (a '*' spans folders)."""
    rx = re.compile(re.escape(pattern).replace(r"\*", ".*") + "$")
    top = pattern.split("/")[0]
    out = []
    for d, _, names in os.walk(os.path.join(ROOT, top)):
        for n in names:
            f = os.path.relpath(os.path.join(d, n), ROOT)
            if rx.match(f):
                out.append(f)
    return sorted(out)


def read(f):
    with open(os.path.join(ROOT, f), errors="replace") as fh:
        return fh.read()


def functions(text):
    """(name, body lines) of each function defined at column 0."""
    lines = text.split("\n")
    start = None
    for i, line in enumerate(lines):
        if line == "{":
            start = i
        elif line == "}" and start is not None:
            j = start - 1
            while j > 0 and "(" not in lines[j]:
                j -= 1
            m = re.search(r"(\w+)\s*\(", lines[j])
            yield (m.group(1) if m else "?"), i - start - 1
            start = None


def main():
    problems = []
    sources = files("src/*.c") + files("src/*.h")
    texts = {f: read(f) for f in sources}
    callers = {f: read(f) for f in files("tests/unit/*.c") + files("tests/fuzz/*.c")}
    callers.update({f: t for f, t in texts.items() if f.endswith(".c")})
    for f, text in sorted(texts.items()):
        n = text.count("\n")
        if n > FILE_MAX and f not in ALLOWED:
            problems.append(f"{f}: {n} lines (at most {FILE_MAX})")
        if FNV.search(text):
            problems.append(f"{f}: a hand-written FNV-1a hash (use view/hash.h)")
        if not f.endswith(".c"):
            continue
        for name, body in functions(text):
            if body > FUNC_MAX and f"{f}:{name}" not in ALLOWED:
                problems.append(f"{f}: {name}() has {body} lines (at most {FUNC_MAX})")
        for m in DEF.finditer(text):
            name = m.group(1)
            if ";" in text[m.end():m.end() + 400].split("{")[0]:
                continue	# a declaration
            if f.endswith(".bpf.c") and m.group(0).startswith("__noinline"):
                continue	# a BPF global function: the verifier checks it on its own
            used = any(g != f and re.search(r"\b%s\b" % name, t) for g, t in callers.items())
            inline = any(g.endswith(".h") and re.search(r"\b%s\s*\(" % name, t.split(name, 1)[1] if t.count(name) > 1 else "")
                         for g, t in texts.items())
            if not used and not inline and f"{f}:{name}" not in ALLOWED:
                problems.append(f"{f}: {name}() is exported but only its own file calls it (static?)")
        if f.startswith("src/view/"):
            for m in VIEW_IO.finditer(re.sub(r"/\*.*?\*/", "", text, flags=re.S)):
                problems.append(f"{f}: {m.group(1)}() in view/, which does no I/O")
    if files("src/out/*"):
        problems.append("src/out/ exists: the printers are src/print/")
    for p in problems:
        print("not ok -", p)
    print(f"tree: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
