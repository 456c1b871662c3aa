#!/usr/bin/env python3
"""Writes a large PyTorch profiler Chrome trace for the import memory check (docs/reliability.md).

It repeats the forward passes of the committed EfficientNet-B0 trace
(tests/data/import/efficientnet-b0-cpu.pytorch-trace.json), each copy shifted past the last, until
the file reaches the asked size, in the {"traceEvents": [...]} layout torch.profiler writes.
  scripts/make_big_trace.py OUT.json [megabytes, default 50]
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
source = root / "tests/data/import/efficientnet-b0-cpu.pytorch-trace.json"
out = pathlib.Path(sys.argv[1])
target = int(float(sys.argv[2]) * 1e6) if len(sys.argv) > 2 else 50_000_000

events = json.loads(source.read_text())
if isinstance(events, dict):
    events = events["traceEvents"]
span = max(e["ts"] + e.get("dur", 0) for e in events) - min(e["ts"] for e in events) + 1000

written = 0
copies = 0
with out.open("w") as f:
    f.write('{"traceEvents": [')
    first = True
    while written < target:
        for e in events:
            e = dict(e, ts=e["ts"] + copies * span)
            text = ("" if first else ",\n") + json.dumps(e, separators=(",", ":"))
            first = False
            f.write(text)
            written += len(text)
        copies += 1
    f.write('],\n"displayTimeUnit": "ms"}\n')
print(f"{out}: {copies} copies of {len(events)} events, {out.stat().st_size / 1e6:.1f} MB")
