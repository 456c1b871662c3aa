#!/usr/bin/env bash
# Re-renders the committed PNG icons from the SVG (run after editing the SVG; not a build step).
# Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/icons"
for size in 48 128 256; do
  rsvg-convert -w "$size" -h "$size" org.archscope.Archscope.svg -o "org.archscope.Archscope-$size.png"
done
