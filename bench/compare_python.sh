#!/usr/bin/env bash
# C++ (archscope-cli measure) vs Python (PyTorch, same library, same network) CPU latency.
# Usage: bench/compare_python.sh [BUILD_DIR] [MODEL] [THREADS] [REPS] [ROUNDS]
# Both sides build the same operators from the IR (compare_python.py reads `show --json`), use
# the same threads, warm-up and repetitions, and run in alternating rounds so that drift in the
# machine's load hits both alike. Prints each round's medians and the median over rounds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-torch}
model=${2:-efficientnet-b0}
threads=${3:-$(nproc)}
reps=${4:-30}
rounds=${5:-3}
warmup=5
cli=$build/app/archscope-cli
python=${PYTHON:-/usr/bin/python3}  # Debian's python3-torch lives in the system interpreter
show=$(mktemp)
trap 'rm -f "$show"' EXIT
"$cli" show "$model" --json > "$show"

median_of() { "$python" -c 'import json,sys; print("%.2f" % json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }
cpp_all=() py_all=()
echo "model $model, batch 1, CPU, $threads threads, $warmup warm-up + $reps reps per round"
for round in $(seq 1 "$rounds"); do
    cpp=$("$cli" measure "$model" --device cpu --threads "$threads" --reps "$reps" \
          --warmup "$warmup" --json | "$python" -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["models"][0]["median_ms"])')
    py=$("$python" "$here/compare_python.py" "$show" --threads "$threads" --reps "$reps" \
         --warmup "$warmup" | median_of median_ms)
    echo "round $round: C++ (LibTorch) median $cpp ms   Python (PyTorch) median $py ms"
    cpp_all+=("$cpp") py_all+=("$py")
done
"$python" - "${cpp_all[*]}" "${py_all[*]}" <<'PY'
import statistics, sys
cpp = [float(v) for v in sys.argv[1].split()]
py = [float(v) for v in sys.argv[2].split()]
c, p = statistics.median(cpp), statistics.median(py)
print(f"median over rounds: C++ {c:.2f} ms, Python {p:.2f} ms, C++/Python = {c / p:.3f}")
PY
