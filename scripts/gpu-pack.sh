#!/usr/bin/env bash
# gpu-pack.sh - gather the GPU-relevant binaries of a build (made on a machine
# with nvcc, and MLIR for the ahead-of-time ones) into one folder, with the
# shared libraries they need that a bare CUDA machine may lack, so that
# `scripts/gpu-validate.sh OUT --prebuilt DIR` can run them on a GPU machine
# that has neither MLIR nor GoogleTest nor Google Benchmark.
#
# Usage: scripts/gpu-pack.sh [BUILD_DIR [DEST]]   (defaults: build, .devrun)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
dest=${2:-$root/.devrun}
rm -rf "$dest"
mkdir -p "$dest/lib"
for f in unittests/Runtime/tgrt_gpu_tests unittests/Runtime/tgrt_tests \
         unittests/Runtime/tgrt_alloc_tests bench/runtime/tgrt_bench_gpu \
         bench/runtime/tgrt_bench_cpu bin/tgraph-aot-mixed bin/tgraph-aot-pipeline \
         bin/tgraph-bench-gpu; do
  [ -x "$build/$f" ] && cp "$build/$f" "$dest/"
done
# Task Bench dependence tables written next to tgraph-bench-gpu.
cp "$build"/bin/tb_*.deps "$dest/" 2>/dev/null || true
[ -x "$dest/tgrt_gpu_tests" ] ||
  echo "gpu-pack.sh: warning: no tgrt_gpu_tests in $build (built without CUDA or GoogleTest?)" >&2
# Shared libraries outside the C/C++ runtime: the CUDA runtime and Google
# Benchmark (GoogleTest is linked statically by Debian's packages; taken
# too should a build link it dynamically).
for exe in "$dest"/*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  if ldd "$exe" | grep -q "not found"; then
    echo "gpu-pack.sh: warning: $exe has unresolved libraries here:" >&2
    ldd "$exe" | grep "not found" >&2
  fi
  ldd "$exe" | awk '/=> \// {print $3}' |
    grep -E 'libcudart|libbenchmark|libgtest|libgmock' || true
done | sort -u | while read -r lib; do cp -L "$lib" "$dest/lib/"; done
echo "$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo +dirty), built $(date -u +%Y-%m-%dT%H:%MZ) on $(. /etc/os-release; echo "$PRETTY_NAME")" >"$dest/BUILD_INFO"
du -sh "$dest"
