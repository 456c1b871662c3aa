#!/usr/bin/env python3
"""Mutation run over the input formats (issue 16's "Done when"; figures in docs/reliability.md).

Takes the test fixtures (an architecture, a profile, a search space, a measurement import and both
trace imports), writes one mutated copy per (field, impossible value), runs the CLI command that
reads that format on it, and counts:
  - silent accepts: exit 0 on a value that no reader may accept (a negative count, size or time,
    1e308, a fraction for a whole number, a boolean or string for a number, a number for a string,
    except on fields listed in FREE_FIELDS with the reason; null and 4294967297 are tried too;
  - impossible numbers written: negative or non-finite figures in a store or in the command's JSON;
  - files changed by a failed command (the folder is compared byte for byte before and after);
  - crashes (exit other than 0, 1 and CLI11's 105-109) and sanitizer reports on stderr
    ("runtime error:", "AddressSanitizer"), which matter when the CLI is a debug-preset build.
  scripts/mutate_inputs.py CLI [--per-file N] [--seed S] [--verbose]
Exit 1 when any count is not zero.
"""
import argparse
import copy
import hashlib
import json
import math
import pathlib
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Fields where an "impossible" value is not impossible, with the reason (matched on the last key).
FREE_FIELDS = {
    "ts": "a trace timestamp may be negative (only its duration may not)",
    "tid": "thread ids are labels; any JSON value groups events",
    "pid": "process ids are labels; any JSON value groups events",
    "description": "free text",
    "source": "free text",
    "assumption": "free text",
    "note": "free text",
    "notes": "free text",
    "graph_note": "free text, stored as given",
    "repeats_delta": "a space's signed change of the base's repeats (-1: one block fewer)",
    "graph": "a label of how the model ran, stored as given",
    "timestamp": "when it was measured, stored as given",
    "device": "a measurement file's top-level copy of context.device, which is not read",
    # measure --json context: descriptive, stored with the figures as given, used by no computation
    "channels_last": "descriptive context",
    "device_kind": "descriptive context",
    "libtorch": "descriptive context",
    "threads": "descriptive context",
    "warmup": "descriptive context",
}
# Real-valued fields that a fixture happens to write as a whole number: 3.5 is no error there
# (profile figures are "value"s with a unit: 128 cycles, 4 ops an element; trace times in us).
REAL_FIELDS = {"se_coefficient", "dropout", "width", "depth", "value", "dur", "ts"}
# Trace args, device properties and an XProf trace's "metadata" object are descriptive (not read
# or not figures Archscope uses).
FREE_PARENTS = {"args", "deviceProperties", "metadata"}


def leaves(value, path=()):
    """(path, value) of every scalar in a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, path + (i,))
    else:
        yield path, value


def impossible_values(value, key):
    if isinstance(value, bool):
        return [2, "true"]
    if isinstance(value, int):
        return [-1, 1e308, True, "7"] + ([] if key in REAL_FIELDS else [3.5])
    if isinstance(value, float):
        return [-1.0, 1e308, True, "7"]
    if isinstance(value, str):
        return [7]
    return []


def set_path(doc, path, value):
    d = doc
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value


def free(path):
    keys = [k for k in path if isinstance(k, str)]
    if keys and keys[-1] in FREE_FIELDS:
        return True
    return any(k in FREE_PARENTS for k in keys[:-1])


def snapshot(folder):
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def bad_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and (
        (isinstance(x, float) and not math.isfinite(x)) or x < 0)


def impossible_in_json(value, path=()):
    """Paths of negative or non-finite figures in a command's JSON output."""
    # block/stage: -1 stem, -2 head (show --json); seq: -1 for search --json's reference models,
    # which are not evaluations of the run
    signed = {"delta", "delta_ms", "delta_pct", "speedup_delta", "ts", "residual", "error_pct",
              "block", "stage", "seq"}
    for p, v in leaves(value, path):
        key = next((k for k in reversed(p) if isinstance(k, str)), "")
        if bad_number(v) and key not in signed and "delta" not in key and "error" not in key:
            yield "/".join(map(str, p))


def impossible_in_store(db):
    if not db.exists():
        return []
    found = []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for table, cols in {
        "evaluations": ["batch", "macs", "params", "predicted_ms", "measured_median_ms",
                        "measured_p10_ms", "measured_p90_ms", "measured_reps", "accuracy",
                        "cost_s"],
        "layer_costs": ["macs", "params", "bytes", "predicted_ms", "measured_ms"],
    }.items():
        for c in cols:
            n = con.execute(f"SELECT count(*) FROM {table} WHERE {c} < 0 OR {c} > 1e300 "
                            f"OR ({c} IS NOT NULL AND {c} != {c})").fetchone()[0]
            if n:
                found.append(f"{table}.{c}: {n} rows")
    con.close()
    return found


class Runner:
    def __init__(self, cli, verbose):
        self.cli = cli
        self.verbose = verbose
        self.counts = dict(runs=0, accepted=0, refused=0, silent_accepts=0, impossible_written=0,
                           files_changed=0, crashes=0, sanitizer_reports=0)
        self.findings = []

    def finding(self, kind, what):
        self.counts[kind] += 1
        self.findings.append(f"{kind}: {what}")
        if self.verbose:
            print(f"  {kind}: {what}", file=sys.stderr)

    def run(self, label, args, folder, impossible, db=None):
        before = snapshot(folder)
        r = subprocess.run([self.cli] + args, cwd=folder, capture_output=True, text=True,
                           timeout=300, errors="replace")
        self.counts["runs"] += 1
        if "runtime error:" in r.stderr or "AddressSanitizer" in r.stderr:
            self.finding("sanitizer_reports", f"{label}: {r.stderr[-300:]}")
        if r.returncode not in (0, 1) and not 105 <= r.returncode <= 109:
            self.finding("crashes", f"{label}: exit {r.returncode} {r.stderr[-200:]}")
        if r.returncode != 0:
            self.counts["refused"] += 1
            if snapshot(folder) != before:
                self.finding("files_changed", f"{label}: {sorted(snapshot(folder))}")
            return
        self.counts["accepted"] += 1
        if impossible:
            self.finding("silent_accepts", label)
        try:
            bad = list(impossible_in_json(json.loads(r.stdout)))
        except json.JSONDecodeError:
            bad = []
        if db is not None:
            bad += impossible_in_store(db)
        if bad:
            self.finding("impossible_written", f"{label}: {bad[:3]}")


def mutations(doc, per_file, rng):
    def key(path):
        return next((k for k in reversed(path) if isinstance(k, str)), "")

    cases = [(p, v, True) for p, old in leaves(doc) for v in impossible_values(old, key(p))]
    # For crashes and wrap-around only (not impossible everywhere: a 71-minute trace op is not):
    # null for a missing value, 2^32 + 1.
    cases += [(p, None, False) for p, _ in leaves(doc)]
    cases += [(p, 4294967297, False) for p, v in leaves(doc) if type(v) is int]
    rng.shuffle(cases)
    return cases[:per_file]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--per-file", type=int, default=150)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    cli = str(pathlib.Path(a.cli).resolve())
    rng = random.Random(a.seed)
    runner = Runner(cli, a.verbose)

    imports = ROOT / "tests/data/import"
    formats = {
        # name: (fixture, file name, command with F for the file and D for the folder, store?)
        "architecture": (ROOT / "tests/data/export/custom-mixed.json", "a.json",
                         [["show", "F", "--json"], ["predict", "F", "--hw", "tpuv3", "--json"]],
                         False),
        "profile": (ROOT / "resources/profiles/tpuv3.json", "p.json",
                    [["predict", "efficientnet-b0", "--hw", "F", "--json"]], False),
        "space": (ROOT / "resources/spaces/efficientnet-x.json", "s.json",
                  [["search", "--space", "F", "--hw", "tpuv3", "--accuracy", "imagenet",
                    "--budget", "2", "--db", "new.db", "--json"]], True),
        "measure import": (imports / "measure-cpu.json", "m.json",
                           [["import", "F", "--db", "store.db", "--json"]], True),
        "xprof import": (imports / "efficientnet-b0-synthetic.xprof-trace.json", "x.json",
                         [["import", "F", "--db", "store.db", "--model", "efficientnet-b0",
                           "--json"]], True),
        "pytorch import": (imports / "efficientnet-b0-cpu.pytorch-trace.json", "t.json",
                           [["import", "F", "--db", "store.db", "--json"]], True),
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        template = tmp / "template.db"  # an Archscope store with one run, for the imports
        subprocess.run([cli, "import", str(imports / "measure-cpu.json"), "--db", str(template)],
                       check=True, capture_output=True)
        per_format = {}
        for name, (fixture, file_name, commands, uses_store) in formats.items():
            doc = json.loads(fixture.read_text())
            before = dict(runner.counts)
            for path, value, impossible in mutations(doc, a.per_file, rng):
                impossible = impossible and not free(path)
                mutated = copy.deepcopy(doc)
                set_path(mutated, path, value)
                for command in commands:
                    folder = tmp / "case"
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir()
                    (folder / file_name).write_text(json.dumps(mutated))
                    if "store.db" in command:
                        shutil.copy(template, folder / "store.db")
                    args = [file_name if x == "F" else x for x in command]
                    db = None
                    if uses_store:
                        db = folder / ("store.db" if "store.db" in command else "new.db")
                    label = f"{name} {'/'.join(map(str, path))}={json.dumps(value)}: {command[0]}"
                    runner.run(label, args, folder, impossible, db)
            per_format[name] = {k: runner.counts[k] - before[k] for k in runner.counts}
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in per_format[name].items()),
                  flush=True)
    print("total: " + ", ".join(f"{k} {v}" for k, v in runner.counts.items()))
    for f in runner.findings:
        print(f)
    bad = sum(runner.counts[k] for k in ("silent_accepts", "impossible_written", "files_changed",
                                         "crashes", "sanitizer_reports"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
