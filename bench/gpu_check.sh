#!/usr/bin/env bash
# The CUDA check of docs/torch.md, for a machine with an NVIDIA GPU and PyTorch (whose wheel holds
# LibTorch with CUDA): builds the headless preset against it, then measures the EfficientNet /
# EfficientNet-X B0..B3 zoo on cuda (batch 1 with a CUDA graph, batch 128), calibrates the GPU's
# profile, and times the same networks from Python (timm, when installed) for comparison.
# Usage: bench/gpu_check.sh OUTDIR [BASE_PROFILE]    (run from the repository root)
# Header-only dependencies and SQLite may come from a prefix in .devdeps/ (see docs/torch.md).
set -uo pipefail
out=${1:?usage: bench/gpu_check.sh OUTDIR [BASE_PROFILE]}
base=${2:-h200}
mkdir -p "$out"
step() { echo "== $(date +%T) $*"; }

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' | tee -a "$out/gpu.txt"

step "configure"
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
args=(--preset headless -DCMAKE_PREFIX_PATH="$prefix;$PWD/.devdeps/cmake")
if [ -d .devdeps ]; then
  args+=(-DSQLite3_INCLUDE_DIR="$PWD/.devdeps/include" -DSQLite3_LIBRARY="$PWD/.devdeps/lib/libsqlite3.a"
         -DZLIB_INCLUDE_DIR="$PWD/.devdeps/include" -DZLIB_LIBRARY="$PWD/.devdeps/lib/libz.a")
fi
[ -d /usr/local/cuda ] && args+=(-DCUDAToolkit_ROOT=/usr/local/cuda)
if ! cmake "${args[@]}" >"$out/configure.log" 2>&1; then
  tail -40 "$out/configure.log"; exit 1
fi
grep -i -E "cuda|cudnn|torch" "$out/configure.log" | head -20

step "build"
if ! cmake --build --preset headless -j "$(nproc)" >"$out/build.log" 2>&1; then
  grep -m3 -B2 -A12 "error" "$out/build.log"; exit 1
fi
cli=build-headless/app/archscope-cli
$cli --version | tee -a "$out/gpu.txt"

zoo=(efficientnet-b0 efficientnet-b1 efficientnet-b2 efficientnet-b3
     efficientnet-x-tpu-b0 efficientnet-x-tpu-b1 efficientnet-x-tpu-b2 efficientnet-x-tpu-b3
     efficientnet-x-gpu-b0 efficientnet-x-gpu-b1 efficientnet-x-gpu-b2 efficientnet-x-gpu-b3)
measure() {  # dtype batch
  step "measure $1 batch $2"
  timeout 90 $cli measure "${zoo[@]}" --device cuda --dtype "$1" --batch "$2" \
    --reps 30 --warmup 10 --json >"$out/measure-$1-b$2.json" 2>"$out/measure-$1-b$2.err"
  echo "exit $?"; tail -3 "$out/measure-$1-b$2.err"
  python3 - "$out/measure-$1-b$2.json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("no JSON:", e); sys.exit()
for r in d["models"]:
    g = r.get("graph") or {}
    print(f'{r["name"]:24s} eager {r["median_ms"]:8.3f} ms  graph {g.get("median_ms", float("nan")):8.3f} ms  {r.get("graph_note", "")}')
PY
}
measure fp32 1
measure fp32 128
step "calibrate --device cuda --base $base"
timeout 150 $cli calibrate --device cuda --base "$base" --out "$out/$base-calibrated.json" \
  --json >"$out/calibrate.json" 2>"$out/calibrate.err"
echo "exit $?"; tail -5 "$out/calibrate.err"
python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['calibration']; print({k: c[k] for k in ('fit_error_pct', 'holdout_kendall_tau', 'holdout_within_15', 'holdout_networks', 'fitted_parameters')})" "$out/calibrate.json"
measure fp16 1
measure fp16 128
measure tf32 128

step "python eager (timm) for comparison"
timeout 60 python3 - <<'PY' | tee "$out/timm.txt"
import time, torch
try:
    import timm
except ImportError:
    print("timm not installed"); raise SystemExit
torch.backends.cudnn.benchmark = True
torch.backends.cudnn.allow_tf32 = False
torch.backends.cuda.matmul.allow_tf32 = False
for name in ["efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3"]:
    m = timm.create_model(name, pretrained=False).cuda().eval()
    res = m.default_cfg["input_size"][-1]
    for batch in (1, 128):
        x = torch.randn(batch, 3, res, res, device="cuda")
        with torch.inference_mode():
            for _ in range(10): m(x)
            torch.cuda.synchronize()
            t = []
            for _ in range(30):
                s = time.perf_counter(); m(x); torch.cuda.synchronize(); t.append((time.perf_counter() - s) * 1e3)
        t.sort()
        print(f"timm {name} fp32 batch {batch} res {res}: median {t[15]:.3f} ms")
PY
step "done"
