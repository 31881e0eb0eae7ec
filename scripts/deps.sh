#!/usr/bin/env bash
# Installs what tgraph needs to build and test, from Debian's packages.
# Idempotent: installs only what is missing, runs 'apt-get update' at most once.
set -euo pipefail

PACKAGES=(cmake ninja-build g++ ccache python3 git
          llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
          libgtest-dev libgmock-dev libbenchmark-dev graphviz
          pkg-config libstarpu-dev clang-format-22
          clang-22 libclang-rt-22-dev)  # the last two: libFuzzer (scripts/fuzz.sh)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
