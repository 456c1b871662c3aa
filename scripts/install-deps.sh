#!/usr/bin/env bash
# Installs every Debian 12 package Archscope needs to build, test and run.
# Idempotent: on a ready machine it checks with dpkg and returns in seconds.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6 libgl-dev
  libtorch-dev libopenblas0-openmp
  libsqlite3-dev nlohmann-json3-dev libcli11-dev libbenchmark-dev zlib1g-dev libnlopt-dev
  libopenmpi-dev openmpi-bin
  dataset-fashion-mnist
  python3-torch
  appstream help2man
  clang libclang-rt-14-dev
  fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
