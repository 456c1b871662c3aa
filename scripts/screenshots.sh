#!/usr/bin/env bash
# Renders the README's screenshots (docs/screenshots/*.png, 1280x800, offscreen) from a fresh
# demo store: a 300-candidate search of the efficientnet-x space on tpuv3, then every view.
# Usage: scripts/screenshots.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
build=${1:-build}
out=${2:-docs/screenshots}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
"$build/app/archscope-cli" search --space efficientnet-x --hw tpuv3 --budget 300 --seed 1 \
    --db "$work/demo.db" >/dev/null
mkdir -p "$out"
for view in models space run pareto trials breakdown compare flops graph history validation lacs; do
    "$build/app/archscope" --db "$work/demo.db" --run 1 --view "$view" \
        --screenshot "$out/$view.png" 2>/dev/null
done
"$build/app/archscope" --db "$work/demo.db" --lecture --screenshot "$out/lecture.png" 2>/dev/null
ls -l "$out"
