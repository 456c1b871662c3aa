#!/usr/bin/env python3
"""Lists C++ function bodies longer than a limit (default 80 lines) under the given folders.

A brace counter, not a parser: it strips comments, strings and character literals, then takes a
top-level (namespace-depth) `{` whose preceding text ends in `)` or a trailing qualifier
(`const`, `noexcept`, `override`, an initializer list) as the start of a function body. Class,
struct, enum, namespace and lambda-at-namespace-scope bodies are skipped. A function that stays
long on purpose says why in a comment on one of the three lines above it containing
"long" (e.g. "// Long because it is a table"); such functions are listed as "explained".

Usage: scripts/long_functions.py [--limit N] [--all] DIR_OR_FILE...   (exit 1 if any unexplained)
"""
import argparse
import pathlib
import re
import sys

SOURCE = {".cpp", ".h", ".hpp", ".cc"}
STRIP = re.compile(r'//[^\n]*|/\*.*?\*/|R"(?P<d>[^(]*)\(.*?\)(?P=d)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                   re.S)
NOT_FUNCTION = re.compile(r'\b(class|struct|enum|namespace|union)\b[^;{}()]*$|=\s*$|\[[^\]]*\]\s*\([^)]*\)[^{;]*$')


def blank(match):
    return re.sub(r'[^\n]', ' ', match.group(0))


def functions(path):
    raw = path.read_text(encoding="utf-8", errors="replace")
    text = STRIP.sub(blank, raw)
    lines = raw.split("\n")
    depth, scopes, out = 0, [], []  # scopes: (kind, depth, start offset)
    last = 0
    for i, ch in enumerate(text):
        if ch == "{":
            inside_function = any(k == "fn" for k, _, _ in scopes)
            head = text[last:i]
            head_tail = head[-400:]
            kind = "block"
            if not inside_function:
                stripped = head_tail.rstrip()
                if NOT_FUNCTION.search(stripped):
                    kind = "type"
                elif re.search(r'\)\s*(const|noexcept|override|final|mutable|->\s*[\w:<>,\s*&]+|\s)*$', stripped) \
                        or re.search(r'\)\s*:\s*[\s\S]*\)$', stripped) or re.search(r'\)\s*:[\s\S]*\}$', stripped):
                    kind = "fn"
            scopes.append((kind, depth, i))
            depth += 1
            last = i + 1
        elif ch == "}":
            depth -= 1
            if scopes:
                kind, _, start = scopes.pop()
                if kind == "fn":
                    first = text.count("\n", 0, start) + 1
                    end = text.count("\n", 0, i) + 1
                    # The signature line: walk back from the brace to the line that opens it.
                    sig = first
                    while sig > 1 and "(" not in lines[sig - 1] and sig > first - 6:
                        sig -= 1
                    out.append((sig, end, lines[sig - 1].strip()))
            last = i + 1
        elif ch == ";":
            last = i + 1
    return out, lines


def explained(lines, sig):
    above = lines[max(0, sig - 4):sig - 1]
    return any(l.strip().startswith("//") and "long" in l.lower() for l in above)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("--all", action="store_true", help="also list the explained ones")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    rows = []
    for d in a.dirs:
        root = pathlib.Path(d)
        for p in [root] if root.is_file() else sorted(root.rglob("*")):
            if p.suffix not in SOURCE or not p.is_file():
                continue
            fns, lines = functions(p)
            for sig, end, name in fns:
                n = end - sig + 1
                if n > a.limit:
                    rows.append((n, str(p), sig, name[:70], explained(lines, sig)))
    rows.sort(reverse=True)
    bad = 0
    for n, p, sig, name, ok in rows:
        if ok and not a.all:
            continue
        bad += not ok
        print(f"{n:4d} {p}:{sig} {'(explained) ' if ok else ''}{name}")
    print(f"{bad} unexplained function(s) over {a.limit} lines", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
