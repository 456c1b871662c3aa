#!/usr/bin/python3
"""Params and MACs of the EfficientNet / EfficientNet-X reference families, derived without Archscope.

Written from the rules of ../shared/reference/efficientnet-x.md (the TF reference builder,
tensorflow/tpu models/official/efficientnet): block strings, round_filters, round_repeats, the
space-to-depth bookkeeping of efficientnet_model.Model._build, SE width, TF 'SAME' shapes.
Each network is counted twice, independently of each other and of Archscope's C++ IR:

  analytic  pure Python arithmetic over the resolved blocks (no torch);
  torch     a PyTorch module built here (not Archscope's export), parameters from numel(),
            MACs from forward hooks on the real output shapes (a meta-device forward pass).

Both must reproduce the 24 rows of the reference table ("Expected counts") to the table's printed
precision before the 14 networks the reference gives no counts for are trusted. With --cli, the
counts must equal `archscope-cli zoo --json` exactly, and the parameters of every module that
`archscope-cli export-arch NAME --format pytorch` writes must equal them too.

MACs (multiply-adds, batch 1) count convolutions, the FC layer, the SE 1x1 convolutions and the SE
gate multiply (one per element), as the reference table does; params include BN scale and shift
and every bias.

Run with Debian's python3 (python3-torch):
  /usr/bin/python3 scripts/zoo_counts.py [--cli build/app/archscope-cli] [--markdown]
Exit status 0 when every check passes.
"""
import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F
from torch import nn

EFFICIENTNET_BLOCKS = [
    "r1_k3_s11_e1_i32_o16_se0.25", "r2_k3_s22_e6_i16_o24_se0.25",
    "r2_k5_s22_e6_i24_o40_se0.25", "r3_k3_s22_e6_i40_o80_se0.25",
    "r3_k5_s11_e6_i80_o112_se0.25", "r4_k5_s22_e6_i112_o192_se0.25",
    "r1_k3_s11_e6_i192_o320_se0.25",
]
X_BLOCKS_V1 = [
    "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1",
    "r2_k5_s22_e6_i24_o40_se0.25_f1_a1", "r3_k3_s22_e6_i40_o80_se0.25_a0",
    "r3_k5_s11_e6_i80_o112_se0.25_a0", "r4_k5_s22_e6_i112_o192_se0.25_a0",
    "r1_k3_s11_e6_i192_o320_se0.25_a0",
]
X_BLOCKS_V2 = [
    "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e4_i16_o24_se0.25_f1_d2_a1",
    "r2_k5_s22_e4_i24_o40_se0.25_f1_a1", "r3_k3_s22_e4_i40_o80_se0.25_a0",
    "r3_k5_s11_e6_i80_o112_se0.25_a0", "r4_k5_s22_e6_i112_o192_se0.25_a0",
    "r1_k3_s11_e6_i192_o320_se0.25_a0",
]

# (width, depth, resolution, dropout, se_coefficient), from the reference file's tables.
EFFICIENTNET = [(1.0, 1.0, 224, 0.2, 0), (1.0, 1.1, 240, 0.2, 0), (1.1, 1.2, 260, 0.3, 0),
                (1.2, 1.4, 300, 0.3, 0), (1.4, 1.8, 380, 0.4, 0), (1.6, 2.2, 456, 0.4, 0),
                (1.8, 2.6, 528, 0.5, 0), (2.0, 3.1, 600, 0.5, 0)]
X_TPU = [(1.0, 1.0, 224, 0.2, 4), (1.05, 1.09, 229, 0.2, 2), (1.13, 1.29, 244, 0.3, 1),
         (1.27, 1.62, 263, 0.3, 1), (1.54, 2.38, 299, 0.4, 1), (1.96, 2.76, 332, 0.4, 1),
         (2.75, 3.01, 328, 0.5, 1), (3.26, 3.44, 350, 0.5, 1)]
X_GPU = [(1.0, 1.0, 224, 0.2, 4), (1.05, 1.09, 229, 0.2, 2), (1.13, 1.24, 237, 0.3, 1),
         (1.31, 1.63, 255, 0.3, 1), (1.63, 2.4, 282, 0.4, 1), (1.94, 3.29, 306, 0.4, 1),
         (2.25, 4.28, 328, 0.5, 1), (2.58, 5.46, 350, 0.5, 1)]
X_FLOPS = [(1.0, 1.0, 224, 0.2, 4), (1.0, 1.1, 240, 0.2, 2), (1.1, 1.2, 260, 0.3, 1),
           (1.2, 1.4, 300, 0.3, 1), (1.4, 1.8, 380, 0.4, 1), (1.6, 2.2, 456, 0.4, 1),
           (1.8, 2.6, 528, 0.5, 1), (2.0, 3.1, 600, 0.5, 1)]
H = {5: (1.92, 2.2, 456, 0.4, 1), 6: (2.16, 2.6, 528, 0.5, 1), 7: (2.4, 3.1, 600, 0.5, 1)}
H_TPU = {5: (2.3, 2.76, 332, 0.4, 1), 6: (3.0, 3.01, 328, 0.5, 1), 7: (3.6, 3.44, 350, 0.5, 1)}


def zoo():
    """name -> (blocks, scaling, default activation)."""
    nets = {}
    for k in range(8):
        nets["efficientnet-b%d" % k] = (EFFICIENTNET_BLOCKS, EFFICIENTNET[k], "swish")
        nets["efficientnet-x-tpu-b%d" % k] = (X_BLOCKS_V1, X_TPU[k], "relu")
        nets["efficientnet-x-gpu-b%d" % k] = (X_BLOCKS_V1, X_GPU[k], "relu")
        nets["efficientnet-x-b%d" % k] = (X_BLOCKS_V1, X_FLOPS[k], "relu")
    for k in (5, 6, 7):
        nets["efficientnet-h-b%d" % k] = (X_BLOCKS_V2, H[k], "relu")
        nets["efficientnet-h-tpu-b%d" % k] = (X_BLOCKS_V2, H_TPU[k], "relu")
    return nets


# The reference table ("Expected counts"): params in M (2 decimals), GMACs (3 decimals).
REFERENCE = {
    "efficientnet-b0": (5.29, 0.388), "efficientnet-b1": (7.79, 0.691),
    "efficientnet-b2": (9.11, 0.999), "efficientnet-b3": (12.23, 1.836),
    "efficientnet-b4": (19.34, 4.413), "efficientnet-b5": (30.39, 10.307),
    "efficientnet-b6": (43.04, 19.137), "efficientnet-b7": (66.35, 37.869),
    "efficientnet-x-tpu-b0": (7.58, 0.923), "efficientnet-x-gpu-b0": (7.58, 0.923),
    "efficientnet-x-tpu-b1": (10.42, 1.597), "efficientnet-x-gpu-b1": (10.42, 1.597),
    "efficientnet-x-tpu-b2": (11.49, 2.703), "efficientnet-x-tpu-b3": (15.77, 4.215),
    "efficientnet-x-tpu-b4": (33.98, 10.949), "efficientnet-x-tpu-b5": (59.92, 24.415),
    "efficientnet-x-tpu-b6": (137.20, 53.877), "efficientnet-x-tpu-b7": (198.64, 85.543),
    "efficientnet-x-gpu-b2": (10.75, 2.535), "efficientnet-x-gpu-b3": (16.81, 4.270),
    "efficientnet-x-gpu-b4": (37.11, 10.058), "efficientnet-x-gpu-b5": (72.09, 24.562),
    "efficientnet-x-gpu-b6": (122.19, 46.895), "efficientnet-x-gpu-b7": (196.73, 84.627),
}


# --- the reference builder's rules -----------------------------------------------------------

def parse_block(text):
    b = {"r": 1, "k": 3, "s": (1, 1), "e": 1, "i": 0, "o": 0, "se": None, "f": 0, "d": 0,
         "a": None, "skip": True}
    for opt in text.split("_"):
        if opt == "noskip":
            b["skip"] = False
        elif opt.startswith("se"):
            b["se"] = float(opt[2:])
        elif opt[0] == "s":
            b["s"] = (int(opt[1]), int(opt[2]))
        else:
            b[opt[0]] = int(opt[1:])
    return b


def round_filters(f, width, divisor=8):
    f *= width
    new = max(divisor, int(f + divisor / 2) // divisor * divisor)
    if new < 0.9 * f:
        new += divisor
    return int(new)


def round_repeats(r, depth):
    return int(math.ceil(depth * r))


def resolve(blocks, scaling, default_act):
    """The blocks as efficientnet_model.Model._build creates them (block args per instance)."""
    width, depth, _res, _drop, se_coef = scaling
    out = []
    for text in blocks:
        a = parse_block(text)
        args = dict(inf=round_filters(a["i"], width), outf=round_filters(a["o"], width),
                    k=a["k"], s=a["s"], e=a["e"], se=a["se"], fused=bool(a["f"]), d=a["d"],
                    act={0: "relu", 1: "swish", None: default_act}[a["a"]], skip=a["skip"])
        base_in, base_out, base_k = args["inf"], args["outf"], args["k"]
        repeats = round_repeats(a["r"], depth)
        if args["d"] == 0:
            out.append(dict(args))
        else:
            factor = int(4 / args["s"][0] / args["s"][1])
            args.update(inf=args["inf"] * factor, outf=args["outf"] * factor,
                        k=(args["k"] + 1) // 2 if factor > 1 else args["k"])
            if args["s"] == (2, 2):
                args["s"] = (1, 1)
                out.append(dict(args))
                args.update(d=0, inf=base_in, outf=base_out, k=base_k)
            elif args["d"] == 1:
                out.append(dict(args))
                args["d"] = 2
            else:
                out.append(dict(args))
        if repeats > 1:
            args.update(inf=args["outf"], s=(1, 1))
        for _ in range(repeats - 1):
            out.append(dict(args))
    for b in out:
        if b["se"] is not None and 0 < b["se"] <= 1:
            reduced = max(1, int(b["inf"] * b["se"] * (se_coef if se_coef else 1)))
            b["se_reduced"] = max(1, reduced // 4) if b["d"] == 1 else reduced
        else:
            b["se_reduced"] = 0
    return out


def same_out(size, stride):
    return -(-size // stride)


# --- count 1: analytic ------------------------------------------------------------------------

def analytic(name):
    blocks, scaling, act = zoo()[name]
    width, res = scaling[0], scaling[2]
    params = macs = 0

    def conv(h, cin, cout, k, s, groups=1, bias=False):
        nonlocal params, macs
        ho = same_out(h, s)
        params += cout * (cin // groups) * k * k + (cout if bias else 0)
        macs += ho * ho * cout * (cin // groups) * k * k
        return ho

    def bn(c):
        nonlocal params
        params += 2 * c

    stem = round_filters(32, width)
    h = conv(res, 3, stem, 3, 2)
    bn(stem)
    c = stem
    for b in resolve(blocks, scaling, act):
        if b["d"] == 1:
            h = conv(h, c, b["inf"], 2, 2)
            bn(b["inf"])
            c = b["inf"]
        expanded = b["inf"] * b["e"]
        if b["fused"]:
            h = conv(h, c, expanded, b["k"], b["s"][0])
            bn(expanded)
            c = expanded
        else:
            if b["e"] != 1:
                h = conv(h, c, expanded, 1, 1)
                bn(expanded)
                c = expanded
            h = conv(h, c, c, b["k"], b["s"][0], groups=c)
            bn(c)
        if b["se_reduced"]:
            r = b["se_reduced"]
            params += c * r + r + r * c + c
            macs += c * r + r * c + h * h * c  # reduce, expand, gate multiply
        h = conv(h, c, b["outf"], 1, 1)
        bn(b["outf"])
        c = b["outf"]
    head = round_filters(1280, width)
    h = conv(h, c, head, 1, 1)
    bn(head)
    params += head * 1000 + 1000
    macs += head * 1000
    return params, macs


# --- count 2: a PyTorch module ----------------------------------------------------------------

class SameConv(nn.Conv2d):
    def forward(self, x):
        def pads(size, k, s):
            total = max((same_out(size, s) - 1) * s + k - size, 0)
            return total // 2, total - total // 2  # the odd pixel bottom/right, as TF
        t, b = pads(x.shape[-2], self.kernel_size[0], self.stride[0])
        l, r = pads(x.shape[-1], self.kernel_size[1], self.stride[1])
        return F.conv2d(F.pad(x, (l, r, t, b)), self.weight, self.bias, self.stride, 0, 1,
                        self.groups)


def act_module(name):
    return nn.SiLU() if name == "swish" else nn.ReLU()


def conv_bn_act(cin, cout, k, s, act, groups=1):
    layers = [SameConv(cin, cout, k, s, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return layers + ([act_module(act)] if act else [])


class SE(nn.Module):
    def __init__(self, c, r, act):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, r, 1), act_module(act), nn.Conv2d(r, c, 1))
        self.gate_macs = 0

    def forward(self, x):
        self.gate_macs = x.numel()
        return x * torch.sigmoid(self.body(x.mean((2, 3), keepdim=True)))


class Block(nn.Module):
    def __init__(self, cin, b):
        super().__init__()
        layers = []
        c = cin
        if b["d"] == 1:
            layers += conv_bn_act(c, b["inf"], 2, 2, b["act"])
            c = b["inf"]
        expanded = b["inf"] * b["e"]
        if b["fused"]:
            layers += conv_bn_act(c, expanded, b["k"], b["s"][0], b["act"])
            c = expanded
        else:
            if b["e"] != 1:
                layers += conv_bn_act(c, expanded, 1, 1, b["act"])
                c = expanded
            layers += conv_bn_act(c, c, b["k"], b["s"][0], b["act"], groups=c)
        if b["se_reduced"]:
            layers.append(SE(c, b["se_reduced"], b["act"]))
        layers += conv_bn_act(c, b["outf"], 1, 1, None)
        self.body = nn.Sequential(*layers)
        # TF: identity skip when the block args have stride 1 and equal input/output filters.
        self.skip = b["skip"] and b["s"] == (1, 1) and b["inf"] == b["outf"]

    def forward(self, x):
        y = self.body(x)
        if self.skip:
            assert y.shape == x.shape, (x.shape, y.shape)
            return x + y
        return y


def torch_net(name, device):
    blocks, scaling, act = zoo()[name]
    width = scaling[0]
    stem = round_filters(32, width)
    layers = conv_bn_act(3, stem, 3, 2, act)
    c = stem
    for b in resolve(blocks, scaling, act):
        layers.append(Block(c, b))
        c = b["outf"]
    head = round_filters(1280, width)
    layers += conv_bn_act(c, head, 1, 1, act)
    net = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(scaling[3]),
                        nn.Linear(head, 1000))
    return net.to(device), scaling[2]


def torch_counts(name):
    net, res = torch_net(name, "meta")
    params = sum(p.numel() for p in net.parameters())
    macs = 0

    def hook(module, inputs, output):
        nonlocal macs
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            macs += output.numel() * (module.in_channels // module.groups) * k
        elif isinstance(module, nn.Linear):
            macs += module.in_features * module.out_features

    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.register_forward_hook(hook)
    with torch.no_grad():
        out = net(torch.empty(1, 3, res, res, device="meta"))
    assert tuple(out.shape) == (1, 1000), out.shape
    macs += sum(m.gate_macs for m in net.modules() if isinstance(m, SE))
    return params, macs


# --- checks -----------------------------------------------------------------------------------

def exported_params(cli, name):
    """Parameters of the module `archscope-cli export-arch --format pytorch` writes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "net.py")
        subprocess.run([cli, "export-arch", name, "--format", "pytorch", "--out", path],
                       check=True, capture_output=True)
        spec = importlib.util.spec_from_file_location("exported_net", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return sum(p.numel() for p in module.build().parameters())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", help="archscope-cli: compare with `zoo --json` and export-arch")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()

    failures = []
    ir = {}
    if args.cli:
        doc = json.loads(subprocess.run([args.cli, "zoo", "--json"], check=True,
                                        capture_output=True, text=True).stdout)
        ir = {m["name"]: (m["params"], m["macs"]) for m in doc["models"]}

    rows = []
    for name in zoo():
        a = analytic(name)
        t = torch_counts(name)
        if a != t:
            failures.append("%s: analytic %s != torch %s" % (name, a, t))
        if name in REFERENCE:
            p_ref, g_ref = REFERENCE[name]
            if round(a[0] / 1e6, 2) != p_ref or round(a[1] / 1e9, 3) != g_ref:
                failures.append("%s: %.4f M / %.5f G vs reference %.2f M / %.3f G"
                                % (name, a[0] / 1e6, a[1] / 1e9, p_ref, g_ref))
        if args.cli:
            if ir.get(name) != a:
                failures.append("%s: archscope-cli zoo %s != %s" % (name, ir.get(name), a))
            if name not in REFERENCE:
                e = exported_params(args.cli, name)
                if e != a[0]:
                    failures.append("%s: exported PyTorch module %d params != %d"
                                    % (name, e, a[0]))
        rows.append((name, a, name in REFERENCE))

    if args.markdown:
        print("| model | resolution | params | params (M) | MACs | GMACs |")
        print("|---|---|---|---|---|---|")
    for name, (p, m), in_ref in rows:
        if in_ref and args.markdown:
            continue
        res = zoo()[name][1][2]
        if args.markdown:
            print("| %s | %d | %d | %.2f | %d | %.3f |" % (name, res, p, p / 1e6, m, m / 1e9))
        else:
            print("%-24s %4d %12d %14d%s" % (name, res, p, m, "  (reference row)" if in_ref else ""))
    checks = "analytic == torch module; 24 reference rows to the table's precision"
    if args.cli:
        checks += "; == archscope-cli zoo --json; export-arch module params"
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("all checks passed (%s)" % checks, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
