#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang and runs each for a short while on its seed
# corpus from tests/data and resources/. CI-able: the default is 60 s a target; a finding
# (crash, sanitizer report, timeout) exits non-zero and leaves its input in build-fuzz/findings.
#   scripts/fuzz.sh [seconds per target] [target ...]
# Long runs: scripts/fuzz.sh 600 network_json   (under `nice -n 15` on a shared machine)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(blockstring network_json profile_json runtime_json space_json import_measure import_trace)
fi

build=build-fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DARCHSCOPE_BUILD_FUZZERS=ON -DARCHSCOPE_WITH_TORCH=OFF -DARCHSCOPE_BUILD_GUI=OFF \
  -DARCHSCOPE_BUILD_TESTS=OFF -DARCHSCOPE_BUILD_BENCH=OFF \
  ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
ninja -C "$build" "${targets[@]/#/fuzz_}"

# Seeds: the files the tests already use, one directory per target.
seed() {
  local dir="$build/corpus/$1"
  mkdir -p "$dir"
  shift
  for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$dir/" || true; done
}
mkdir -p "$build/corpus/blockstring"
python3 - "$build/corpus/blockstring" resources/spaces/*.json tests/data/export/*.json <<'PY'
import json, sys, hashlib, pathlib
out = pathlib.Path(sys.argv[1])
def walk(v):
    if isinstance(v, dict):
        for x in v.values(): yield from walk(x)
    elif isinstance(v, list):
        for x in v: yield from walk(x)
    elif isinstance(v, str) and v.startswith("r") and "_k" in v:
        yield v
for f in sys.argv[2:]:
    for s in walk(json.load(open(f))):
        (out / hashlib.sha1(s.encode()).hexdigest()).write_text(s)
PY
seed network_json tests/data/export/*.json
python3 - "$build/corpus/network_json" resources/spaces/*.json <<'PY'
import json, sys, pathlib
for f in sys.argv[2:]:
    base = json.load(open(f))["base"]
    (pathlib.Path(sys.argv[1]) / ("base-" + pathlib.Path(f).name)).write_text(json.dumps(base))
PY
seed profile_json resources/profiles/*.json
seed runtime_json resources/runtimes/*.json
seed space_json resources/spaces/*.json
seed import_measure tests/data/import/measure-*.json
seed import_trace tests/data/import/*trace*.json

mkdir -p "$build/findings"
status=0
for t in "${targets[@]}"; do
  echo "== fuzz_$t: ${seconds} s"
  if ! "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
      -max_len=1048576 -print_final_stats=1 -artifact_prefix="$build/findings/$t-" \
      "$build/corpus/$t" 2>"$build/fuzz_$t.log"; then
    echo "fuzz_$t found a problem: see $build/fuzz_$t.log and $build/findings/" >&2
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" \
    "$build/fuzz_$t.log" || true
done
exit $status
