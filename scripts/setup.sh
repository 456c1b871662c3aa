#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/setup.sh run    install dependencies, build, start the GUI
#   scripts/setup.sh test   install dependencies, build, run every test
# Re-running is cheap: installed packages are skipped and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in
  run|test|build) ;;
  *) echo "usage: scripts/setup.sh run|test|build" >&2; exit 2 ;;
esac

bash scripts/install-deps.sh
cmake --preset default
cmake --build --preset default

case "$mode" in
  run)  exec ./build/app/archscope ;;
  test) ctest --preset default ;;
  build) ;;
esac
