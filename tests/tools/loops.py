#!/usr/bin/env python3
"""loops.py BUILD [--max-ui N] [--calls-only]: the loops of includes and calls among src/.

A module is a .c file with its .h (src/ui/table.c and src/ui/table.h); a
header without a .c is a module of its own. A uses B when A's .c or .h
includes B's header, or when A's object (BUILD/src/.../A.o, read with nm)
calls or reads a symbol B's object defines. A loop is a strongly connected
component of that graph. Prints the loops; exits 1 when a loop joins a file
of src/ui/ with one outside it, or a loop inside src/ui/ spans more than N
modules (--max-ui, default 10). --calls-only leaves the includes out.
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(root):
    mods = set()
    for d, _, files in os.walk(os.path.join(root, 'src')):
        for f in files:
            if f.endswith(('.c', '.h')):
                mods.add(os.path.relpath(os.path.join(d, f[:-2]), root))
    return mods


def includes(root, mod, mods):
    out = set()
    for ext in ('.c', '.h'):
        path = os.path.join(root, mod + ext)
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8', errors='replace') as fh:
            for inc in INCLUDE.findall(fh.read()):
                target = os.path.normpath(os.path.join(os.path.dirname(mod), inc))
                if target.endswith('.h') and target[:-2] in mods:
                    out.add(target[:-2])
    return out


def symbols(build, mod):
    obj = os.path.join(build, mod + '.o')
    if not os.path.exists(obj):
        return set(), set()
    text = subprocess.run(['nm', obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == 'U':
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in 'TDBR':
            defined.add(parts[2])
    return defined, undefined


def tarjan(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    args = sys.argv[1:]
    max_ui = 10
    calls_only = '--calls-only' in args
    if calls_only:
        args.remove('--calls-only')
    if '--max-ui' in args:
        i = args.index('--max-ui')
        max_ui = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    build, root = args[0], '.'
    mods = modules(root)
    owner, syms = {}, {}
    for m in mods:
        defined, undefined = symbols(build, m)
        syms[m] = undefined
        for s in defined:
            owner[s] = m
    graph = {m: set() for m in mods}
    for m in mods:
        if not calls_only:
            graph[m] |= includes(root, m, mods)
        graph[m] |= {owner[s] for s in syms[m] if s in owner}
        graph[m].discard(m)
    bad = 0
    largest_ui = 0
    for comp in tarjan(graph):
        if len(comp) < 2:
            continue
        in_ui = [m for m in comp if m.startswith('src/ui/')]
        if in_ui and len(in_ui) != len(comp):
            print('loop joins src/ui/ and outside:', ' '.join(comp))
            bad = 1
        elif in_ui:
            largest_ui = max(largest_ui, len(comp))
            if len(comp) > max_ui:
                print('loop of %d src/ui/ modules (over %d):' % (len(comp), max_ui), ' '.join(comp))
                bad = 1
            else:
                print('loop of %d src/ui/ modules:' % len(comp), ' '.join(comp))
        else:
            print('loop of %d modules:' % len(comp), ' '.join(comp))
    print('largest loop inside src/ui/: %d modules' % largest_ui)
    return bad


if __name__ == '__main__':
    sys.exit(main())
