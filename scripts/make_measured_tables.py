#!/usr/bin/env python3
"""Turns Archscope's own GPU measurements (bench/gpu_check.sh output in bench/results/) into
validation tables (resources/validation/archscope-*.json): measured, not published, and labelled
so. Stdlib only; rerunning it reproduces the files exactly.

    scripts/make_measured_tables.py [--results bench/results/h200-2026-11-29]
"""
import argparse
import glob
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Which tables the pytorch-eager runtime is fitted on (role "fit"); every other table, these
# measurements at other precisions and every public table, is held out.
FIT = {"fp32"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=os.path.join(ROOT, "bench/results/h200-2026-11-29"))
    parser.add_argument("--platform", default="h200")
    parser.add_argument("--out", default=os.path.join(ROOT, "resources/validation"))
    args = parser.parse_args()
    by_dtype = {}
    for path in sorted(glob.glob(os.path.join(args.results, "measure-*-b*.json"))):
        dtype, batch = re.match(r"measure-(\w+)-b(\d+)\.json", os.path.basename(path)).groups()
        with open(path) as f:
            doc = json.load(f)
        by_dtype.setdefault(dtype, []).append((int(batch), os.path.relpath(path, ROOT), doc))
    for dtype, runs in sorted(by_dtype.items()):
        first = runs[0][2]["context"]
        name = "archscope-%s-%s" % (args.platform, dtype)
        t = {
            "format": "archscope-validation",
            "format_version": 1,
            "name": name,
            "title": "Archscope measure, %s, LibTorch eager, %s" % (first["device"], dtype),
            "source": {
                "shared_file": ", ".join(r[1] for r in sorted(runs)),
                "citation": "measured by `archscope-cli measure --device cuda` (bench/gpu_check.sh) "
                            "on %s with LibTorch %s, %s" % (first["device"], first["libtorch"],
                                                             first["timestamp"][:10]),
                "citation_in_file": True,
            },
            "platform": args.platform,
            "runtime": "pytorch-eager",
            "software": "LibTorch %s eager (C++, no CUDA graph), cuDNN benchmark mode, NCHW, "
                        "median of 30 passes after 10 warm-up" % first["libtorch"],
            "dtype": dtype,
            "role": "fit" if dtype in FIT else "holdout",
            "conversion": "none: median_ms is milliseconds per batch",
            "notes": ["Archscope's own measurement, not a published figure: it checks the model "
                      "against the runtime a user measures with this tool.",
                      "tf32: fp32 tensors with cuDNN/cuBLAS TF32 math (PyTorch's default for "
                      "convolutions); fp32: TF32 off." if dtype in ("tf32", "fp32") else
                      "fp16 weights and activations."],
            "rows": [],
            "dropped": [],
        }
        for batch, path, doc in sorted(runs):
            for m in doc["models"]:
                t["rows"].append({
                    "model": m["name"],
                    "batch": batch,
                    "resolution": m["resolution"],
                    "latency_ms": m["median_ms"],
                    "source_row": "%s | %s | batch %d | median %.4f ms | graph median %s ms" % (
                        path, m["name"], batch, m["median_ms"],
                        "%.4f" % m["graph"]["median_ms"] if m.get("graph") else "-"),
                })
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(t, f, indent=1)
            f.write("\n")
        print("%-28s %-5s rows %3d role %s" % (name, dtype, len(t["rows"]), t["role"]))


if __name__ == "__main__":
    main()
