#!/usr/bin/env bash
# gpu-validate.sh - build only the tgraph runtime with nvcc (no MLIR) on a
# machine with an NVIDIA GPU, run the runtime tests (GPU ones included) and
# the runtime benchmarks, and write everything to OUTDIR.
#
# Usage: scripts/gpu-validate.sh OUTDIR
#   env TGRAPH_GPU_BUILD_DIR  build folder (default: <repo>/build-gpu)
#   env JOBS                  build parallelism (default: nproc)
#
# Needs CMake >= 3.20 and the CUDA toolkit. GoogleTest and Google Benchmark
# are optional: without GoogleTest no tests are built (reported in
# OUTDIR/summary.txt); without Google Benchmark no benchmarks are built.
set -uo pipefail

out=${1:?usage: scripts/gpu-validate.sh OUTDIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TGRAPH_GPU_BUILD_DIR:-$root/build-gpu}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 4)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
summary="$out/summary.txt"
: >"$summary"
note() { echo "$*" | tee -a "$summary"; }

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
nvcc=${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}

note "== tgraph runtime GPU validation, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
note "host: $(uname -n) $(nproc) cores"
nvidia-smi >"$out/nvidia-smi.txt" 2>&1 && note "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)" \
  || note "gpu: nvidia-smi failed (see nvidia-smi.txt)"
note "nvcc: $("$nvcc" --version 2>/dev/null | tail -1)"

configure() {
  cmake -S "$root" -B "$build" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Release \
    -DTGRAPH_BUILD_COMPILER=OFF \
    -DTGRAPH_ENABLE_CUDA=ON \
    -DCMAKE_CUDA_COMPILER="$nvcc" \
    "$@" >"$out/configure.log" 2>&1
}

tests=ON
if ! configure -DTGRAPH_BUILD_TESTS=ON; then
  note "configure with tests failed (GoogleTest missing?); retrying without tests"
  rm -rf "$build"
  tests=OFF
  if ! configure -DTGRAPH_BUILD_TESTS=OFF; then
    note "FAIL: configure failed, see configure.log"
    exit 1
  fi
fi
if ! cmake --build "$build" -j "$jobs" >"$out/build.log" 2>&1; then
  note "FAIL: build failed, see build.log"
  tail -30 "$out/build.log"
  exit 1
fi
note "build: ok (tests $tests)"

status=0
if [ "$tests" = ON ]; then
  ctest --test-dir "$build" -L gpu --output-on-failure >"$out/gpu-tests.log" 2>&1 \
    || status=1
  note "gpu tests: $(grep -E 'tests passed' "$out/gpu-tests.log" || echo 'no result')"
  if grep -q "Skipped" "$out/gpu-tests.log"; then
    note "WARNING: some GPU tests skipped (no GPU visible?)"
  fi
  ctest --test-dir "$build" -L runtime -j "$jobs" --output-on-failure \
    >"$out/runtime-tests.log" 2>&1 || status=1
  note "runtime tests (CPU + emulated streams): $(grep -E 'tests passed' "$out/runtime-tests.log" || echo 'no result')"
fi

bench="$build/bench/runtime"
if [ -x "$bench/tgrt_bench_gpu" ]; then
  "$bench/tgrt_bench_gpu" --benchmark_out="$out/runtime-gpu.json" \
    --benchmark_out_format=json >"$out/runtime-gpu.txt" 2>&1 || status=1
  note "gpu benchmarks: runtime-gpu.txt / runtime-gpu.json"
else
  note "gpu benchmarks: not built (Google Benchmark missing?)"
fi
if [ -x "$bench/tgrt_bench_cpu" ]; then
  "$bench/tgrt_bench_cpu" --benchmark_out="$out/runtime-cpu.json" \
    --benchmark_out_format=json >"$out/runtime-cpu.txt" 2>&1 || status=1
  note "cpu benchmarks: runtime-cpu.txt / runtime-cpu.json"
fi
note "exit status: $status"
exit $status
