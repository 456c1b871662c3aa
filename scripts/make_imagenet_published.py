#!/usr/bin/env python3
"""Writes resources/accuracy/imagenet-published.json from the published figures it cites.

Sources (never invented; each entry names its own):
- Tan & Le, ICML 2019, Table 2: EfficientNet-B0..B7 top-1 (AutoAugment), as copied in
  /work/shared/reference/efficientnet-x.md ("Published ImageNet top-1").
- timm results-imagenet.csv (huggingface/pytorch-image-models, results/results-imagenet.csv),
  shared copy: shared/reference/measurements/timm_results-imagenet.csv, one row per model and
  evaluation resolution; the row's line number is cited.
Architectures: a zoo name (+ the evaluated resolution), or explicit block strings at width 1.0 /
depth 1.0 with the channel and repeat counts the reference builders compute (EfficientNet-Lite:
tensorflow/tpu models/official/efficientnet/lite/efficientnet_lite_builder.py, w/d coefficients
lite0 1.0/1.0, lite1 1.0/1.1, lite2 1.1/1.2, lite3 1.2/1.4, lite4 1.4/1.8; fixed 32-channel
stem and 1280-channel head, unscaled first and last stage repeats, ReLU6, no SE. MnasNet-B1 as
timm's _gen_mnasnet_b1). The C++ test checks every parameter count against the CSV within 1%.
"""
import csv, json, math, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/measurements/timm_results-imagenet.csv"
CSV_CITE = "shared/reference/measurements/timm_results-imagenet.csv"
TIMM = "timm results-imagenet.csv (huggingface/pytorch-image-models results/)"


def round_filters(f, w, divisor=8):
    f *= w
    new = max(divisor, int(f + divisor / 2) // divisor * divisor)
    if new < 0.9 * f:
        new += divisor
    return int(new)


EFF_BASE = [  # k, s, e, i, o, r
    (3, 1, 1, 32, 16, 1), (3, 2, 6, 16, 24, 2), (5, 2, 6, 24, 40, 2), (3, 2, 6, 40, 80, 3),
    (5, 1, 6, 80, 112, 3), (5, 2, 6, 112, 192, 4), (3, 1, 6, 192, 320, 1)]
LITE = {0: (1.0, 1.0), 1: (1.0, 1.1), 2: (1.1, 1.2), 3: (1.2, 1.4), 4: (1.4, 1.8)}


def lite_network(level, resolution):
    w, d = LITE[level]
    blocks = []
    prev_out = 32  # fixed stem
    for idx, (k, s, e, i, o, r) in enumerate(EFF_BASE):
        reps = r if idx in (0, len(EFF_BASE) - 1) else int(math.ceil(d * r))
        # e1 first stage: the depthwise runs on the stem's 32 channels; the nominal input filters
        # matter only for expansion (e != 1) and SE (none here).
        nin = prev_out if idx == 0 else round_filters(i, w)
        out = round_filters(o, w)
        blocks.append(f"r{reps}_k{k}_s{s}{s}_e{e}_i{nin}_o{out}")
        prev_out = out
    return {"format": "archscope-network", "version": 1, "name": f"efficientnet-lite{level}",
            "blocks": blocks, "width": 1.0, "depth": 1.0, "resolution": resolution,
            "activation": "relu6", "stem": {"filters": 32}, "head_filters": 1280}


def mnasnet_b1(resolution):
    return {"format": "archscope-network", "version": 1, "name": "mnasnet-b1",
            "blocks": ["r1_k3_s11_e1_i32_o16_noskip", "r3_k3_s22_e3_i16_o24",
                       "r3_k5_s22_e3_i24_o40", "r3_k5_s22_e6_i40_o80", "r2_k3_s11_e6_i80_o96",
                       "r4_k5_s22_e6_i96_o192", "r1_k3_s11_e6_i192_o320_noskip"],
            "width": 1.0, "depth": 1.0, "resolution": resolution, "activation": "relu",
            "stem": {"filters": 32}, "head_filters": 1280}


# timm tag -> recipe. AutoAugment (`.aa_in1k`) rows are the paper's own checkpoints: the paper
# Table 2 figure is used for them instead (one figure per architecture and recipe).
RECIPES = {
    "in1k": "tf-baseline", "ra_in1k": "randaugment", "ap_in1k": "advprop",
    "ns_jft_in1k": "noisy-student-jft",
}
TIMM_NATIVE = {
    "ra_in1k": "timm-ra", "ra2_in1k": "timm-ra2", "ft_in1k": "timm-ra2-ft",
    "ra4_e3600_r224_in1k": "timm-ra4", "ra4_e3600_r240_in1k": "timm-ra4",
    "sw_in12k_ft_in1k": "timm-in12k-ft", "sw_r448_e450_in1k": "timm-sw",
    "rmsp_in1k": "timm-rmsprop",
}


def main():
    rows = []
    seen = set()
    with open(CSV) as f:
        for lineno, row in enumerate(csv.DictReader(f), start=2):
            key = (row["model"], row["img_size"])
            if key in seen:
                continue  # the file repeats its first two rows
            seen.add(key)
            rows.append((lineno, row))

    entries = []
    top1_paper = [77.1, 79.1, 80.1, 81.6, 82.9, 83.6, 84.0, 84.3]
    res_paper = [224, 240, 260, 300, 380, 456, 528, 600]
    params_paper = [5.29, 7.79, 9.11, 12.23, 19.34, 30.39, 43.04, 66.35]
    for b in range(8):
        entries.append({
            "name": f"efficientnet-b{b} (paper)", "family": "efficientnet",
            "architecture": {"zoo": f"efficientnet-b{b}", "resolution": res_paper[b]},
            "top1": top1_paper[b], "params_m": params_paper[b], "recipe": "autoaugment",
            "source": "Tan & Le, ICML 2019, Table 2 (as in shared/reference/efficientnet-x.md); "
                      "params: shared/reference/efficientnet-x.md expected counts"})
    dropped = []
    for lineno, row in rows:
        model, tag = row["model"].split(".", 1)
        res = int(row["img_size"])
        arch = family = recipe = None
        if model.startswith("tf_efficientnet_b") and tag in RECIPES:
            arch = {"zoo": "efficientnet-" + model[len("tf_efficientnet_"):], "resolution": res}
            family, recipe = "efficientnet", RECIPES[tag]
        elif model.startswith("efficientnet_b") and tag in TIMM_NATIVE:
            arch = {"zoo": "efficientnet-" + model[len("efficientnet_"):], "resolution": res}
            family, recipe = "efficientnet", TIMM_NATIVE[tag]
        elif model.startswith("tf_efficientnet_lite") and tag == "in1k":
            arch = {"network": lite_network(int(model[-1]), res)}
            family, recipe = "efficientnet-lite", "tf-baseline"
        elif model == "efficientnet_lite0" and tag == "ra_in1k":
            arch = {"network": lite_network(0, res)}
            family, recipe = "efficientnet-lite", "timm-ra"
        elif model == "mobilenetv2_100":
            arch = {"zoo": "mobilenet-v2", "resolution": res}
            family, recipe = "mobilenet-v2", TIMM_NATIVE[tag]
        elif model == "mnasnet_100":
            arch = {"network": mnasnet_b1(res)}
            family, recipe = "mnasnet", TIMM_NATIVE[tag]
        elif model in ("efficientnet_x_b5", "efficientnet_h_b5"):
            arch = {"zoo": model.replace("_", "-"), "resolution": res}
            family, recipe = model.replace("_", "-")[:-3], TIMM_NATIVE[tag]
        if arch is None:
            if tag != "aa_in1k":
                dropped.append(row["model"] + "@" + row["img_size"])
            continue
        entries.append({
            "name": f"{row['model']}@{res}", "family": family, "architecture": arch,
            "top1": float(row["top1"]), "params_m": float(row["param_count"]), "recipe": recipe,
            "source": f"{TIMM}: {CSV_CITE} line {lineno}"})
    doc = {"format": "archscope-imagenet-published", "version": 1,
           "about": "Published ImageNet-1k top-1 of networks the block-string grammar expresses "
                    "exactly; generated by scripts/make_imagenet_published.py. params_m is the "
                    "source's parameter count (millions); the tests check the IR within 1%.",
           "networks": entries}
    out = os.path.join(ROOT, "resources/accuracy/imagenet-published.json")
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(len(entries), "entries; not expressible:", ", ".join(sorted(set(d.split("@")[0] for d in dropped))))


main()
