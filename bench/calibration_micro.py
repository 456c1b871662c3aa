#!/usr/bin/python3
"""Single ops under LibTorch's CPU kernels, one thread, as docs/calibration.md quotes them.

Shows why the calibration keeps glibc's freed memory (steady allocator): with glibc's defaults a
stride-1 depthwise conv over a large map faults in fresh pages on every call. Run it twice:

  /usr/bin/python3 bench/calibration_micro.py
  MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 \
      /usr/bin/python3 bench/calibration_micro.py

(the same settings `archscope-cli calibrate` applies with mallopt). Times are this thread's CPU
time (time.thread_time), median of 20 calls after 3 warm-up calls; faults are minor page faults
per call (getrusage). Debian's python3-torch is the same LibTorch the CLI links.
"""
import resource
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_flush_denormal(True)


def timed(f, x, n=20):
    with torch.inference_mode():
        for _ in range(3):
            f(x)
        samples = []
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(n):
            start = time.thread_time()
            f(x)
            samples.append(time.thread_time() - start)
        faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / n
    samples.sort()
    return "%7.3f ms %6d faults/call" % (samples[n // 2] * 1e3, faults)


for c, h in [(96, 112), (144, 112), (192, 112), (144, 150)]:
    x = torch.randn(1, c, h, h)
    w = torch.randn(c, 1, 3, 3)
    print("%3d ch %3d px (%4.1f MB)  dw3x3 s1 %s   dw3x3 s2 %s" % (
        c, h, x.numel() * 4 / 1e6,
        timed(lambda v: F.conv2d(v, w, padding=1, groups=c), x),
        timed(lambda v: F.conv2d(v, w, stride=2, groups=c), x)))
x = torch.randn(1, 96, 112, 112)
print("96 ch 112 px: relu %s  batchnorm %s  silu %s" % (
    timed(F.relu, x), timed(torch.nn.BatchNorm2d(96).eval(), x), timed(F.silu, x)))
fc = torch.nn.Linear(1280, 1000).eval()
print("fc 1280 -> 1000, batch 1: %s" % timed(fc, torch.randn(1, 1280)))
# The same after streaming 256 MB through the caches, as a whole network's other weights and
# activations do between two uses of the FC weights; the eviction alone is timed to subtract it.
evict = torch.randn(64 << 20)
print("  after evicting the caches: %s (eviction alone %s)" % (
    timed(lambda v: (evict.mul_(1.0), fc(v)), torch.randn(1, 1280)),
    timed(lambda v: evict.mul_(1.0), None)))
print("1x1 conv 320 -> 1280 at 7x7: %s" % timed(torch.nn.Conv2d(320, 1280, 1, bias=False).eval(),
                                                torch.randn(1, 320, 7, 7)))
