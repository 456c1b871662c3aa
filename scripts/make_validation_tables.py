#!/usr/bin/env python3
"""Converts the public latency tables in shared/reference/measurements/ into
resources/validation/<name>.json (format "archscope-validation", version 1).

Every latency is copied exactly as the source gives it; the only change is a unit conversion
where the source gives throughput or a per-image time (stated per table in "conversion").
Rows whose network the Archscope zoo cannot express exactly are dropped and listed in "dropped".

Usage: scripts/make_validation_tables.py [--measurements DIR] [--out DIR]
"""

import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MEASUREMENTS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "reference",
                                                     "measurements"))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "validation"))

# EfficientNet-B0..B7 input resolutions (Tan & Le 2019), used only where the source names the
# model but not the resolution and the model's default is the paper's.
PAPER_RESOLUTION = [224, 240, 260, 300, 380, 456, 528, 600]

TF32_NOTE = ("A100 'fp32'/'TF32' runs: PyTorch (convolutions, cuDNN default) and TensorFlow >= 2.4 "
             "run fp32 convolutions on TF32 Tensor Cores by default.")


def read_csv(measurements, name):
    with open(os.path.join(measurements, name), newline="") as f:
        return list(csv.DictReader(f))


def number(text, unit=""):
    """'130 img/s' -> 130.0 with the unit checked; '9.33' -> 9.33."""
    text = text.strip()
    if unit:
        if not text.endswith(" " + unit):
            raise ValueError("expected a value in %s, got %r" % (unit, text))
        text = text[: -len(unit) - 1]
    return float(text)


def table(name, title, shared_file, citation, platform, runtime, software, dtype, conversion,
          notes=None):
    return {
        "format": "archscope-validation",
        "format_version": 1,
        "name": name,
        "title": title,
        "source": {
            "shared_file": "shared/reference/measurements/" + shared_file,
            # The shared files carry no URL or citation of their own; this names where their
            # file name and columns (e.g. readme_line) say they come from.
            "citation": citation,
            "citation_in_file": False,
        },
        "platform": platform,
        "runtime": runtime,
        "software": software,
        "dtype": dtype,
        "role": "holdout",
        "conversion": conversion,
        "notes": notes or [],
        "rows": [],
        "dropped": [],
    }


def drop(t, source_row, reason):
    t["dropped"].append({"source_row": source_row, "reason": reason})


# --- NVIDIA DeepLearningExamples, PyTorch EfficientNet --------------------------------------------

DLE_PT_EFFNET = "nvidia_dle_pytorch_efficientnet_inference.csv"
DLE_PT_EFFNET_CITATION = ("NVIDIA DeepLearningExamples, PyTorch/Classification/ConvNets/efficientnet "
                          "README, inference performance tables (readme_line = line in that README)")
WIDESE_REASON = ("wide-SE variant (SE width taken from the expanded channels): the block-string "
                 "grammar's se ratio is relative to the block input and limited to <= 1")


def dle_pytorch_efficientnet(measurements):
    rows = read_csv(measurements, DLE_PT_EFFNET)
    specs = [
        ("A100-80GB", "TF32 Inference Latency", "a100", "tf32", "dle-pytorch-a100-tf32",
         "PyTorch (NGC container) eager, TF32 (default fp32 path), DLE ConvNets inference benchmark"),
        ("A100-80GB", "Mixed Precision Inference Latency", "a100", "fp16", "dle-pytorch-a100-fp16",
         "PyTorch (NGC container) eager, AMP fp16, DLE ConvNets inference benchmark"),
        ("V100-16GB", "FP32 Inference Latency", "v100", "fp32", "dle-pytorch-v100-fp32",
         "PyTorch (NGC container) eager, fp32, DLE ConvNets inference benchmark"),
        ("V100-16GB", "Mixed Precision Inference Latency", "v100", "fp16", "dle-pytorch-v100-fp16",
         "PyTorch (NGC container) eager, AMP fp16, DLE ConvNets inference benchmark"),
    ]
    out = []
    for gpu, kind, platform, dtype, name, software in specs:
        notes = ["latency_avg is the mean per-batch latency as published; in some rows it exceeds "
                 "the p95 (outliers), and batch / throughput_avg differs from it (kept in "
                 "source_row).",
                 "efficientnet-b4 resolution 380 px: the EfficientNet-B4 default; the shared file "
                 "does not state the resolution."]
        if platform == "a100" and dtype == "tf32":
            notes.append(TF32_NOTE)
        t = table(name, "DLE PyTorch EfficientNet, %s, %s" % (gpu, kind), DLE_PT_EFFNET,
                  DLE_PT_EFFNET_CITATION, platform, "pytorch-eager", software, dtype,
                  "none: latency_avg is milliseconds per batch as published", notes)
        for r in rows:
            if r["gpu"] != gpu or r["table"] != kind:
                continue
            source_row = "%s | %s | %s | bs %s | %s | latency_avg %s | readme_line %s" % (
                r["gpu"], r["table"], r["model"], r["batch_size"], r["throughput_avg"],
                r["latency_avg"], r["readme_line"])
            model = r["model"]
            if model.startswith("efficientnet-widese"):
                drop(t, source_row, WIDESE_REASON)
                continue
            level = int(model[-1])
            t["rows"].append({"model": model, "batch": int(r["batch_size"]),
                              "resolution": PAPER_RESOLUTION[level],
                              "latency_ms": number(r["latency_avg"], "ms"),
                              "source_row": source_row})
        out.append(t)
    return out


# --- NVIDIA DeepLearningExamples, PyTorch ResNet-50 v1.5 ------------------------------------------

DLE_PT_RN50 = "nvidia_dle_pytorch_resnet50v1.5_inference.csv"
DLE_PT_RN50_CITATION = ("NVIDIA DeepLearningExamples, PyTorch/Classification/ConvNets/resnet50v1.5 "
                        "README, inference performance tables (readme_line = line in that README)")


def dle_pytorch_resnet50(measurements):
    rows = read_csv(measurements, DLE_PT_RN50)
    specs = [
        ("NVIDIA DGX-1 (1x V100 16GB)", "FP32 Inference Latency", "v100", "fp32", "fp32"),
        ("NVIDIA DGX-1 (1x V100 16GB)", "Mixed Precision Inference Latency", "v100", "fp16",
         "AMP fp16"),
        ("NVIDIA T4", "FP32 Inference Latency", "t4", "fp32", "fp32"),
        ("NVIDIA T4", "Mixed Precision Inference Latency", "t4", "fp16", "AMP fp16"),
    ]
    out = []
    for gpu, kind, platform, dtype, precision in specs:
        t = table("dle-pytorch-resnet50-%s-%s" % (platform, dtype),
                  "DLE PyTorch ResNet-50 v1.5, %s, %s" % (gpu, kind), DLE_PT_RN50,
                  DLE_PT_RN50_CITATION, platform, "pytorch-eager",
                  "PyTorch (NGC container) eager, %s, DLE ConvNets inference benchmark" % precision,
                  dtype, "none: latency_avg is milliseconds per batch as published",
                  ["ResNet-50 v1.5 (stride on the 3x3 conv) is the zoo's resnet-50; 224 px, the "
                   "model's default (the shared file does not state the resolution).",
                   "latency_avg is the mean per-batch latency as published; batch / "
                   "throughput_avg differs from it (kept in source_row)."])
        for r in rows:
            if r["gpu"] != gpu or r["table"] != kind:
                continue
            source_row = "%s | %s | %s | bs %s | %s | latency_avg %s | readme_line %s" % (
                r["gpu"], r["table"], r["model"], r["batch_size"], r["throughput_avg"],
                r["latency_avg"], r["readme_line"])
            t["rows"].append({"model": "resnet-50", "batch": int(r["batch_size"]),
                              "resolution": 224, "latency_ms": number(r["latency_avg"], "ms"),
                              "source_row": source_row})
        out.append(t)
    return out


# --- NVIDIA DeepLearningExamples, TensorFlow 2 EfficientNet v1 ------------------------------------

DLE_TF2 = "nvidia_dle_tf2_efficientnet_v1_inference.csv"
DLE_TF2_CITATION = ("NVIDIA DeepLearningExamples, TensorFlow2/Classification/ConvNets/efficientnet_v1 "
                    "README, inference performance tables (readme_line = line in that README)")


def dle_tf2_efficientnet(measurements):
    rows = read_csv(measurements, DLE_TF2)
    a100, v100 = "NVIDIA DGX A100 (1x A100 80GB)", "NVIDIA DGX-1 (1x V100 32GB)"
    specs = [
        (a100, ("FP16 Inference Latency",), "a100", "fp16", "AMP fp16"),
        (a100, ("TF32 Inference Latency",), "a100", "tf32", "TF32"),
        (v100, ("FP16 Inference Latency",), "v100", "fp16", "AMP fp16"),
        # V100 has no TF32: the source's B4 "TF32" table on V100 runs in fp32, like B0's "FP32".
        (v100, ("FP32 Inference Latency", "TF32 Inference Latency"), "v100", "fp32", "fp32"),
    ]
    out = []
    for gpu, kinds, platform, dtype, precision in specs:
        notes = ["The DLE TF2 EfficientNet scripts use XLA; the shared file itself does not say "
                 "so (runtime 'xla' is the nearest class, see docs/validation.md)."]
        if platform == "a100" and dtype == "tf32":
            notes.append(TF32_NOTE)
        if platform == "v100" and dtype == "fp32":
            notes.append("The source titles the V100 B0 table 'FP32 Inference Latency' and the "
                         "V100 B4 table 'TF32 Inference Latency'; V100 has no TF32 Tensor "
                         "Cores, so both are taken as fp32.")
        t = table("dle-tf2-%s-%s" % (platform, dtype),
                  "DLE TF2 EfficientNet v1, %s, %s" % (gpu, " / ".join(kinds)),
                  DLE_TF2, DLE_TF2_CITATION, platform, "xla",
                  "TensorFlow 2 (NGC container), XLA, %s, DLE efficientnet_v1 inference benchmark"
                  % precision, dtype, "none: latency_avg_ms is milliseconds per batch as published",
                  notes)
        for r in rows:
            if r["gpu"] != gpu or r["table"] not in kinds:
                continue
            source_row = "%s | %s | %s | bs %s | %s | %s img/s | latency_avg_ms %s | readme_line %s" % (
                r["model"], r["gpu"], r["table"], r["batch_size"], r["resolution"],
                r["throughput_avg_img_s"], r["latency_avg_ms"], r["readme_line"])
            level = int(r["model"][-1])
            side = r["resolution"].split("x")
            if side[0] != side[1]:
                drop(t, source_row, "non-square input")
                continue
            t["rows"].append({"model": "efficientnet-b%d" % level, "batch": int(r["batch_size"]),
                              "resolution": int(side[0]),
                              "latency_ms": float(r["latency_avg_ms"]), "source_row": source_row})
        out.append(t)
    return out


# --- Keras Applications ---------------------------------------------------------------------------

KERAS = "keras_applications_a100_bs32.csv"
KERAS_CITATION = ("Keras Applications page (keras.io/api/applications), table 'Available models': "
                  "time (ms) per inference step, GPU column, batch size 32")


def keras_applications(measurements):
    rows = read_csv(measurements, KERAS)
    t = table("keras-a100-tf32", "Keras Applications, A100, batch 32", KERAS, KERAS_CITATION,
              "a100", "pytorch-eager",
              "TensorFlow/Keras model.predict (graph executor, one kernel per op, no XLA stated), "
              "float32 (TF32 convolutions)", "tf32",
              "none: gpu_a100_ms_per_step_bs32 is milliseconds per inference step of 32 images",
              [TF32_NOTE,
               "runtime 'pytorch-eager' is the nearest class: a per-op framework executor "
               "without a whole-graph compiler; the software was TensorFlow, not PyTorch.",
               "Keras EfficientNet models include their input Rescaling/Normalization layers, "
               "which the zoo networks do not have."])
    mapping = {"EfficientNetB%d" % i: ("efficientnet-b%d" % i, PAPER_RESOLUTION[i]) for i in range(8)}
    mapping["MobileNetV2"] = ("mobilenet-v2", 224)
    reasons = {
        "ResNet50": "Keras ResNet50 is v1 (stride 2 on the first 1x1 conv); the zoo's resnet-50 is v1.5",
    }
    for r in rows:
        source_row = "%s | params %s | gpu_a100_ms_per_step_bs32 %s" % (
            r["model"], r["params"], r["gpu_a100_ms_per_step_bs32"])
        if r["model"] not in mapping:
            drop(t, source_row, reasons.get(r["model"], "not in the Archscope zoo"))
            continue
        model, res = mapping[r["model"]]
        t["rows"].append({"model": model, "batch": 32, "resolution": res,
                          "latency_ms": float(r["gpu_a100_ms_per_step_bs32"]),
                          "source_row": source_row})
    return [t]


# --- PaddleClas -----------------------------------------------------------------------------------

PADDLE_V100 = "paddleclas_efficientnet_v100_fp32_bs1.csv"
PADDLE_T4 = "paddleclas_efficientnet_t4_bs1_4_8.csv"
PADDLE_CITATION = ("PaddleClas documentation, EfficientNet model page, inference speed table "
                   "(%s)")
SMALL_REASON = ("EfficientNetB0_small: PaddleClas variant without SE (different params), not in "
                "the zoo")


def paddle_model(name):
    """'EfficientNetB3' -> ('efficientnet-b3', 3); None for variants."""
    if len(name) == len("EfficientNetB0") and name.startswith("EfficientNetB") and name[-1].isdigit():
        return "efficientnet-b" + name[-1]
    return None


def paddleclas(measurements):
    out = []
    t = table("paddleclas-v100-fp32", "PaddleClas EfficientNet, V100, fp32, batch 1", PADDLE_V100,
              PADDLE_CITATION % "V100 GPU", "v100", "tensorrt",
              "Paddle Inference (graph optimised, fused conv+bn+act); use of TensorRT not stated "
              "in the shared file", "fp32", "none: v100_fp32_bs1_ms is milliseconds per batch of 1",
              ["runtime 'tensorrt' is the nearest class: an inference engine that fuses "
               "elementwise ops into convolutions.",
               "resolution = crop_size of the source row."])
    for r in read_csv(measurements, PADDLE_V100):
        source_row = "%s | crop %s | v100_fp32_bs1_ms %s" % (r["model"], r["crop_size"],
                                                             r["v100_fp32_bs1_ms"])
        model = paddle_model(r["model"])
        if not model:
            drop(t, source_row, SMALL_REASON)
            continue
        t["rows"].append({"model": model, "batch": 1, "resolution": int(r["crop_size"]),
                          "latency_ms": float(r["v100_fp32_bs1_ms"]), "source_row": source_row})
    out.append(t)

    t4_rows = read_csv(measurements, PADDLE_T4)
    for dtype in ("fp16", "fp32"):
        t = table("paddleclas-t4-%s" % dtype, "PaddleClas EfficientNet, T4, %s, batch 1/4/8" % dtype,
                  PADDLE_T4, PADDLE_CITATION % "T4 GPU", "t4", "tensorrt",
                  "Paddle Inference with TensorRT, %s (TensorRT as the PaddleClas T4 benchmarks "
                  "describe; not stated in the shared file)" % dtype, dtype,
                  "none: <dtype>_bs<N>_ms is milliseconds per batch of N",
                  ["resolution = crop_size of the source row.",
                   "'-' in the source (not measured) rows are skipped, not listed as dropped."])
        for r in t4_rows:
            model = paddle_model(r["model"])
            for batch in (1, 4, 8):
                column = "%s_bs%d_ms" % (dtype, batch)
                source_row = "%s | crop %s | %s %s" % (r["model"], r["crop_size"], column, r[column])
                if r[column].strip() == "-":
                    continue
                if not model:
                    drop(t, source_row, SMALL_REASON)
                    continue
                t["rows"].append({"model": model, "batch": batch,
                                  "resolution": int(r["crop_size"]),
                                  "latency_ms": float(r[column]), "source_row": source_row})
        out.append(t)
    return out


# --- timm benchmark CSVs (RTX 3090) ---------------------------------------------------------------

TIMM_CITATION = ("huggingface/pytorch-image-models (timm), results/%s, produced by timm "
                 "benchmark.py")
TIMM_FILES = [
    ("timm_benchmark-infer-amp-nchw-pt113-cu117-rtx3090.csv", "timm-rtx3090-pt113-nchw-fp16",
     "PyTorch 1.13, CUDA 11.7, eager, AMP, NCHW, timm benchmark.py"),
    ("timm_benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv", "timm-rtx3090-pt240-nchw-fp16",
     "PyTorch 2.4.0, CUDA 12.4, eager, AMP, NCHW, timm benchmark.py"),
    ("timm_benchmark-infer-amp-nhwc-pt240-cu124-rtx3090.csv", "timm-rtx3090-pt240-nhwc-fp16",
     "PyTorch 2.4.0, CUDA 12.4, eager, AMP, NHWC (channels_last), timm benchmark.py"),
]


def timm_model(name):
    """timm's native efficientnet_b0..b7 and resnet50 (v1.5: stride on the 3x3) map exactly."""
    if name.startswith("efficientnet_b") and len(name) == len("efficientnet_b0") and name[-1].isdigit():
        return "efficientnet-b" + name[-1]
    if name == "resnet50":
        return "resnet-50"
    if name == "mobilenetv2_100":
        return "mobilenet-v2"
    return None


def timm_reason(name):
    if name.startswith("tf_efficientnet_b") and len(name) == len("tf_efficientnet_b0"):
        return ("TF port with 'same' padding: explicit pad ops the zoo network does not have; "
                "the native efficientnet_bN rows measure the same architecture")
    return "not in the Archscope zoo"


def timm_tables(measurements):
    out = []
    for shared_file, name, software in TIMM_FILES:
        t = table(name, "timm benchmark, RTX 3090, " + software.split(", timm")[0], shared_file,
                  TIMM_CITATION % shared_file[len("timm_"):], "rtx3090", "pytorch-eager", software,
                  "fp16",
                  "none: infer_step_time is milliseconds per batch of infer_batch_size "
                  "(= batch / infer_samples_per_sec x 1000 to within rounding; checked)",
                  ["AMP: convolutions in fp16 under torch.autocast.",
                   "resolution = infer_img_size of the source row (timm's efficientnet_bN "
                   "defaults differ from the paper's; the architecture is the same)."])
        for r in read_csv(measurements, shared_file):
            batch = int(r["infer_batch_size"])
            step = float(r["infer_step_time"])
            rate = float(r["infer_samples_per_sec"])
            if abs(batch / rate * 1000.0 - step) > 0.01 * step:
                sys.exit("%s: %s: step time and throughput disagree" % (shared_file, r["model"]))
            source_row = "%s | img %s | bs %d | %s img/s | infer_step_time %s" % (
                r["model"], r["infer_img_size"], batch, r["infer_samples_per_sec"],
                r["infer_step_time"])
            model = timm_model(r["model"])
            if not model:
                drop(t, source_row, timm_reason(r["model"]))
                continue
            t["rows"].append({"model": model, "batch": batch, "resolution": int(r["infer_img_size"]),
                              "latency_ms": step, "source_row": source_row})
        out.append(t)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measurements", default=DEFAULT_MEASUREMENTS)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    tables = (dle_pytorch_efficientnet(args.measurements) + dle_pytorch_resnet50(args.measurements)
              + dle_tf2_efficientnet(args.measurements) + keras_applications(args.measurements)
              + paddleclas(args.measurements) + timm_tables(args.measurements))
    os.makedirs(args.out, exist_ok=True)
    for t in tables:
        if len(t["rows"]) < 2:
            sys.exit("%s: fewer than 2 rows" % t["name"])
        with open(os.path.join(args.out, t["name"] + ".json"), "w") as f:
            json.dump(t, f, indent=1)
            f.write("\n")
        print("%-32s %-8s %-14s %-5s rows %3d dropped %3d" % (
            t["name"], t["platform"], t["runtime"], t["dtype"], len(t["rows"]), len(t["dropped"])))


if __name__ == "__main__":
    main()
