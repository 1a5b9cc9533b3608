#!/usr/bin/env python3
"""Finds import circles among the data crate's top-level modules.

Every `crate::a::…` path in a file of module `b` (in `use` lines, braces included, and
in code) is an edge b → a. A circle among top-level modules (say `training` uses
`participants`, which uses `training`) means neither can be read, tested or moved
without the other; the write side must be layered. Exits 1 and prints each circle.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "data/src")
edges = {}
for path in root.rglob("*.rs"):
    rel = path.relative_to(root).with_suffix("")
    if rel.parts[0] in ("lib", "main"):
        continue
    module = rel.parts[0]
    text = path.read_text()
    text = re.sub(r"//[^\n]*", "", text)
    # `use crate::{a, b::c, d::{e}}` → a, b, d; `crate::x::y` anywhere → x
    targets = set(re.findall(r"crate::([a-z_][a-z0-9_]*)", text))
    for group in re.findall(r"crate::\{([^;]*)\}", text, re.S):
        depth, item = 0, ""
        for ch in group + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                name = re.match(r"\s*([a-z_][a-z0-9_]*)", item)
                if name:
                    targets.add(name.group(1))
                item = ""
            else:
                item += ch
    targets.discard(module)
    edges.setdefault(module, set()).update(t for t in targets if (root / f"{t}.rs").exists() or (root / t).is_dir())

# Tarjan's strongly connected components.
index, low, stack, on_stack, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on_stack.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        scc = []
        while True:
            w = stack.pop(); on_stack.discard(w); scc.append(w)
            if w == v:
                break
        if len(scc) > 1:
            sccs.append(sorted(scc))
sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in index:
        visit(v)
if sccs:
    for scc in sccs:
        inner = [f"{a} → {b}" for a in scc for b in sorted(edges[a]) if b in scc]
        print("import circle among", ", ".join(scc) + ":", "; ".join(inner))
    sys.exit(1)
print(f"no import circle among the {len(edges)} top-level modules of {root}")
