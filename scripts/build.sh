#!/usr/bin/env bash
# Configures (once) and builds tgraph in build/ (or $TGRAPH_BUILD_DIR) with
# Ninja and ccache. Extra arguments are passed to ninja (targets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TGRAPH_BUILD_DIR:-$root/build}
"$root/scripts/deps.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
ninja -C "$build" -j"${TGRAPH_JOBS:-2}" "$@"
