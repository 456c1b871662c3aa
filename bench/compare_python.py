#!/usr/bin/env python3
"""The same network as `archscope-cli measure` builds, in PyTorch from Python, timed the same way.

The architecture comes from `archscope-cli show MODEL --json` (the IR's layer list), so both sides
run exactly the same operators: TF 'SAME' padding (explicit F.pad when asymmetric), conv + BN +
activation units, SE with biases, residual adds, eval mode, inference_mode, flushed denormals,
in-place activations. Prints one JSON document: params, median/p10/p90 in ms.
Usage: compare_python.py SHOW_JSON --threads N --reps N --warmup N [--channels-last]
"""
import argparse
import json
import re
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

ACTIVATIONS = {"relu": 0, "swish": 1, "relu6": 2}


def activate(x, code):
    if code == 0:
        return torch.relu_(x)
    if code == 1:
        return F.silu(x, inplace=True)
    return F.hardtanh(x, 0.0, 6.0, inplace=True)


def same_padding(size, kernel, stride):
    out = (size + stride - 1) // stride
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class ConvBnAct(nn.Module):
    def __init__(self, layer, act):
        super().__init__()
        n, h, w, cin = layer["in"]
        cout = layer["out"][3]
        k, s = layer["kernel"][0], layer["stride"][0]
        top, bottom = same_padding(h, k, s)
        left, right = same_padding(w, k, s)
        symmetric = top == bottom and left == right
        self.pad = None if symmetric else (left, right, top, bottom)
        self.conv = nn.Conv2d(cin, cout, k, s, padding=(top, left) if symmetric else 0,
                              groups=layer["groups"], bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)
        self.act = act

    def forward(self, x):
        if self.pad is not None:
            x = F.pad(x, self.pad)
        x = self.bn(self.conv(x))
        return x if self.act is None else activate(x, self.act)


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduced, act):
        super().__init__()
        self.reduce = nn.Conv2d(channels, reduced, 1)
        self.expand = nn.Conv2d(reduced, channels, 1)
        self.act = act

    def forward(self, x):
        gate = x.mean((2, 3), keepdim=True)
        gate = activate(self.reduce(gate), self.act)
        return x * self.expand(gate).sigmoid_()


def conv_units(layers, act):
    """conv + bn (+ act) triples keyed by their name ("expand", "dw", "conv1", ...)."""
    units = {}
    for i, l in enumerate(layers):
        if l["op"] in ("conv", "conv1x1", "dwconv", "s2d-conv"):
            has_act = i + 2 < len(layers) and layers[i + 2]["op"] == "act"
            units[l["name"].split("/")[1]] = ConvBnAct(l, act if has_act else None)
    return units


class MBConv(nn.Module):
    def __init__(self, layers, act):
        super().__init__()
        u = conv_units(layers, act)
        ops = {l["name"].split("/")[1]: l for l in layers}
        self.s2d = u.get("s2d")
        self.expand = u.get("expand") or u.get("fused")
        self.dw = u.get("dw")
        self.se = (SqueezeExcite(ops["se-reduce"]["in"][3], ops["se-reduce"]["out"][3], act)
                   if "se-reduce" in ops else None)
        self.project = u["project"]
        self.residual = "add" in ops

    def forward(self, x):
        inp = x
        if self.s2d is not None:
            x = self.s2d(x)
        if self.expand is not None:
            x = self.expand(x)
        if self.dw is not None:
            x = self.dw(x)
        if self.se is not None:
            x = self.se(x)
        x = self.project(x)
        return x.add_(inp) if self.residual else x


class Bottleneck(nn.Module):
    def __init__(self, layers, act):
        super().__init__()
        u = conv_units(layers, act)
        self.conv1, self.conv2, self.conv3 = u["conv1"], u["conv2"], u["conv3"]
        self.shortcut = u.get("shortcut")
        self.act = act

    def forward(self, x):
        y = self.conv3(self.conv2(self.conv1(x)))
        y.add_(self.shortcut(x) if self.shortcut is not None else x)
        return activate(y, self.act)


class Stem(nn.Module):
    def __init__(self, layers, act):
        super().__init__()
        self.conv = conv_units(layers, act)["conv"]
        pool = [l for l in layers if l["op"] == "maxpool"]
        self.pool_pad = None
        if pool:
            h, w = pool[0]["in"][1:3]
            self.pool_pad = same_padding(w, 3, 2) + same_padding(h, 3, 2)

    def forward(self, x):
        x = self.conv(x)
        if self.pool_pad is not None:
            x = F.max_pool2d(F.pad(x, self.pool_pad, value=float("-inf")), 3, 2)
        return x


class Head(nn.Module):
    def __init__(self, layers, act, dropout):
        super().__init__()
        self.conv = conv_units(layers, act).get("conv")
        fc = [l for l in layers if l["op"] == "fc"][0]
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(fc["in"][3], fc["out"][3])

    def forward(self, x):
        if self.conv is not None:
            x = self.conv(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(self.dropout(x))


class Net(nn.Module):
    def __init__(self, show):
        super().__init__()
        spec = show["network"]
        default_act = ACTIVATIONS[spec["activation"]]
        groups = {}
        for l in show["layers"]:
            groups.setdefault(l["name"].split("/")[0], []).append(l)
        stages = []
        for name, layers in groups.items():
            stage = layers[0]["stage"]
            act = default_act
            if stage >= 0:
                m = re.search(r"_a(\d)", spec["blocks"][stage])
                act = int(m.group(1)) if m else default_act
            if name == "stem":
                stages.append(Stem(layers, act))
            elif name == "head":
                stages.append(Head(layers, act, spec["dropout"]))
            elif any(l["name"].endswith("/conv1") for l in layers):
                stages.append(Bottleneck(layers, act))
            else:
                stages.append(MBConv(layers, act))
        self.stages = nn.ModuleList(stages)

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return x


def quantile(sorted_samples, q):
    pos = q * (len(sorted_samples) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_samples) - 1)
    return sorted_samples[lo] + (pos - lo) * (sorted_samples[hi] - sorted_samples[lo])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("show_json")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--reps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--channels-last", action="store_true")
    a = p.parse_args()
    with open(a.show_json) as f:
        show = json.load(f)
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    net = Net(show).eval()
    n, h, w, c = show["layers"][0]["in"]
    x = torch.randn(n, c, h, w)
    if a.channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    samples = []
    with torch.inference_mode():
        out = net(x)
        assert list(out.shape) == [n, show["layers"][-1]["out"][3]], out.shape
        for _ in range(a.warmup):
            net(x)
        for _ in range(a.reps):
            start = time.perf_counter()
            net(x)
            samples.append((time.perf_counter() - start) * 1e3)
    samples.sort()
    print(json.dumps({
        "name": show["name"], "params": sum(p.numel() for p in net.parameters()),
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "median_ms": quantile(samples, 0.5), "p10_ms": quantile(samples, 0.1),
        "p90_ms": quantile(samples, 0.9), "mean_ms": statistics.fmean(samples), "reps": len(samples),
    }))


if __name__ == "__main__":
    main()
