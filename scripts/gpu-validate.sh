#!/usr/bin/env bash
# gpu-validate.sh - run tgraph's GPU tests and GPU benchmarks on a machine
# with an NVIDIA GPU, and write everything to OUTDIR.
#
# Usage:
#   scripts/gpu-validate.sh OUTDIR              build the runtime alone with nvcc
#                                               (no MLIR), then run
#   scripts/gpu-validate.sh OUTDIR --prebuilt D run the binaries in D, built on
#                                               another machine (see
#                                               scripts/gpu-pack.sh); D/lib is
#                                               put on LD_LIBRARY_PATH
#   env TGRAPH_GPU_BUILD_DIR  build folder (default: <repo>/build-gpu)
#   env JOBS                  build parallelism (default: nproc)
#   env TGRAPH_GPU_QUICK=1    skip compute-sanitizer and the CPU benchmarks
#   env TGRAPH_GPU_STEP_TIMEOUT  seconds per step (default 180; 124 = hung)
#   env TGRAPH_GPU_DEADLINE   seconds for the whole run (default 500): steps
#                             that would start later are reported "not run",
#                             and each step's bound is cut to what is left, so
#                             the script ends (and its summary is written)
#                             inside a device call's 600 s limit
#
# On the device tool (which returns at most 8 files from $OUT), pack OUTDIR
# afterwards; the deadline makes the script end, and the packing run, inside
# the call's time limit (timeout_s above TGRAPH_GPU_DEADLINE + 30):
#   bash scripts/gpu-validate.sh /tmp/gv --prebuilt .devrun; rc=$?;
#   tar czf $OUT/gv.tgz -C /tmp/gv .; cp /tmp/gv/summary.txt $OUT/; exit $rc
#
# What runs (each step that has its binary; missing ones are reported):
#   tgrt_gpu_tests        GoogleTest, real CUDA streams (label gpu)
#   compute-sanitizer     memcheck over tgrt_gpu_tests (when the tool exists)
#   tgrt_tests, tgrt_alloc_tests   the CPU/emulated runtime tests
#   tgraph-aot-mixed      examples/mixed.mlir compiled ahead of time, on CUDA
#   tgraph-aot-pipeline   examples/gpu_pipeline.mlir (all GPU): a device graph
#   tgrt_bench_gpu        host cost and makespan of 1000-kernel graphs:
#                         tgrt replay vs direct stream launches vs a CUDA graph
#   tgraph-bench-gpu      Task Bench on GPU tasks: tgraph vs direct vs CUDA graph
#   tgrt_bench_cpu        the CPU replay benchmarks (skipped when quick)
# The exit status is 0 only when every step that ran passed.
set -uo pipefail

out=${1:?usage: scripts/gpu-validate.sh OUTDIR [--prebuilt DIR]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prebuilt=""
if [ "${2:-}" = "--prebuilt" ]; then
  prebuilt=$(cd "${3:?--prebuilt needs a folder}" && pwd)
fi
jobs=${JOBS:-$(nproc 2>/dev/null || echo 4)}
deadline=${TGRAPH_GPU_DEADLINE:-500}
mkdir -p "$out"
out=$(cd "$out" && pwd)
summary="$out/summary.txt"
: >"$summary"
note() { echo "$*" | tee -a "$summary"; }
status=0

note "== tgraph GPU validation, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
note "host: $(uname -n), $(nproc) cores"
if nvidia-smi >"$out/nvidia-smi.txt" 2>&1; then
  note "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
else
  note "gpu: nvidia-smi failed (see nvidia-smi.txt)"
fi

# --- The binaries: prebuilt, or a runtime-only build here.
if [ -n "$prebuilt" ]; then
  bin=$prebuilt
  export LD_LIBRARY_PATH="$prebuilt/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  note "binaries: prebuilt in $prebuilt ($(cat "$prebuilt/BUILD_INFO" 2>/dev/null || echo 'no BUILD_INFO'))"
else
  build=${TGRAPH_GPU_BUILD_DIR:-$root/build-gpu}
  nvcc=${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
  note "nvcc: $("$nvcc" --version 2>/dev/null | tail -1)"
  generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  if ! cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DTGRAPH_BUILD_COMPILER=OFF -DTGRAPH_ENABLE_CUDA=ON \
      -DCMAKE_CUDA_COMPILER="$nvcc" >"$out/configure.log" 2>&1; then
    note "FAIL: configure failed, see configure.log"
    exit 1
  fi
  if ! cmake --build "$build" -j "$jobs" >"$out/build.log" 2>&1; then
    note "FAIL: build failed, see build.log"
    tail -30 "$out/build.log"
    exit 1
  fi
  grep -q "GTest" "$out/configure.log" && note "note: see configure.log for GoogleTest/Benchmark"
  bin=$build/bin
  mkdir -p "$bin"
  for f in "$build"/unittests/Runtime/tgrt_*tests "$build"/bench/runtime/tgrt_bench_*; do
    [ -x "$f" ] && ln -sf "$f" "$bin/"
  done
  note "build: ok"
fi

# step NAME LOG CMD... : runs CMD with its output in OUTDIR/LOG; records
# pass/fail (or "missing" when the binary is not there). With skip_if=REGEX
# set for the call, a successful run whose output matches REGEX counts as
# skipped (for programs that report "no GPU" but exit 0).
step() {
  local name=$1 log=$2
  shift 2
  if [ ! -x "$1" ] && ! command -v "$1" >/dev/null 2>&1; then
    note "$name: missing ($1)"
    return
  fi
  # A bound per step, so that a hang costs minutes, not the GPU session;
  # and a bound for the whole run (see TGRAPH_GPU_DEADLINE).
  local limit=${TGRAPH_GPU_STEP_TIMEOUT:-180} left=$((deadline - SECONDS))
  if [ "$left" -lt 15 ]; then
    note "$name: not run (the ${deadline} s deadline of the run is reached)"
    status=1
    return
  fi
  [ "$left" -lt "$limit" ] && limit=$left
  local start=$SECONDS
  local rc=0
  timeout -k 10 "$limit" "$@" >"$out/$log" 2>&1 || rc=$?
  if [ "$rc" = 0 ] && [ -n "${skip_if:-}" ] && grep -Eq -- "$skip_if" "$out/$log"; then
    rc=77
  fi
  if [ "$rc" = 0 ]; then
    note "$name: ok ($((SECONDS - start)) s, $log)"
  elif [ "$rc" = 77 ]; then
    note "$name: skipped (no GPU), $log"
    status=1
  else
    note "$name: FAIL (exit $rc$([ "$rc" = 124 ] || [ "$rc" = 137 ] && echo ', timed out'), $((SECONDS - start)) s, $log)"
    tail -20 "$out/$log"
    status=1
  fi
}

# GoogleTest exits 0 when every test skipped (GTEST_SKIP without a GPU).
skip_if='^\[  PASSED  \] 0 tests' \
  step "gpu tests" gpu-tests.txt "$bin/tgrt_gpu_tests" --gtest_color=no
grep -E "^\[  (PASSED|FAILED|SKIPPED) " "$out/gpu-tests.txt" 2>/dev/null | tee -a "$summary"
if grep -q "\[  SKIPPED \]" "$out/gpu-tests.txt" 2>/dev/null; then
  note "WARNING: GPU tests skipped (no GPU visible?)"
  status=1
fi
sanitizer=$(command -v compute-sanitizer || true)
if [ -z "$sanitizer" ]; then
  for d in "${CUDA_HOME:-/usr/local/cuda}/bin" "${CUDA_HOME:-/usr/local/cuda}/compute-sanitizer"; do
    [ -x "$d/compute-sanitizer" ] && sanitizer=$d/compute-sanitizer && break
  done
fi
if [ "${TGRAPH_GPU_QUICK:-0}" != 1 ] && [ -n "$sanitizer" ]; then
  skip_if='^\[  PASSED  \] 0 tests' \
    step "compute-sanitizer memcheck" sanitizer.txt "$sanitizer" \
    --tool memcheck --error-exitcode 3 "$bin/tgrt_gpu_tests" --gtest_color=no
  grep -E "ERROR SUMMARY" "$out/sanitizer.txt" 2>/dev/null | tee -a "$summary"
fi
step "runtime tests" runtime-tests.txt "$bin/tgrt_tests" --gtest_color=no --gtest_brief=1
step "allocation tests" alloc-tests.txt "$bin/tgrt_alloc_tests" --gtest_color=no --gtest_brief=1
step "aot mixed (cuda)" aot-mixed.txt "$bin/tgraph-aot-mixed" --device=cuda
grep -E "^aot mixed" "$out/aot-mixed.txt" 2>/dev/null | tee -a "$summary"
step "aot device graph (cuda)" aot-pipeline.txt "$bin/tgraph-aot-pipeline" \
  --device=cuda --replays=200
grep -E "^aot pipeline" "$out/aot-pipeline.txt" 2>/dev/null | tee -a "$summary"
# Google Benchmark exits 0 when every benchmark skipped itself.
skip_if='no CUDA GPU present' \
  step "gpu runtime benchmarks" runtime-gpu.txt "$bin/tgrt_bench_gpu" \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/runtime-gpu.json" --benchmark_out_format=json
if [ -x "$bin/tgraph-bench-gpu" ]; then
  for type in trivial stencil_1d nearest spread; do
    # -require-gpu: exit 77 without a GPU (else it runs all of it on
    # emulated streams, minutes per pattern).
    step "taskbench gpu $type" "taskbench-gpu-$type.txt" "$bin/tgraph-bench-gpu" \
      -type "$type" -kernel compute_bound -system all -require-gpu \
      -iters 1,4,16,64,256,1024,4096,16384 -replays 20 -warmup 3 -deps-dir "$bin"
  done
  step "taskbench gpu empty makespan" taskbench-gpu-empty.txt "$bin/tgraph-bench-gpu" \
    -type stencil_1d -kernel empty -system all -require-gpu -iters 0 -replays 50 \
    -warmup 5 -deps-dir "$bin"
fi
if [ "${TGRAPH_GPU_QUICK:-0}" != 1 ]; then
  step "cpu runtime benchmarks" runtime-cpu.txt "$bin/tgrt_bench_cpu" \
    --benchmark_min_time=0.2 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/runtime-cpu.json" --benchmark_out_format=json
fi
note "exit status: $status"
exit $status
