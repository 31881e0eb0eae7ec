#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/, clang 22, ASan+UBSan) and runs
# each one: first once over its committed regression inputs
# (fuzz/regressions/<target>/), then for a bounded time from a scratch copy
# of its seed corpus (fuzz/corpus/<target>/; nothing is written into the
# repository). Fails on any crash, sanitizer report, timeout, leak or
# out-of-memory. See fuzz/README.md.
#
#   scripts/fuzz.sh [seconds-per-target]    default 15 (about a minute in all)
#   TGRAPH_FUZZ_TARGETS="capi graph-build"  runs only those targets
#   TGRAPH_FUZZ_BUILD_DIR=...               default build-fuzz
#   TGRAPH_JOBS=N                           build parallelism (default 2)
# Crash inputs land in $TGRAPH_FUZZ_BUILD_DIR/fuzz-artifacts/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-15}
dir=${TGRAPH_FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=${TGRAPH_FUZZ_TARGETS:-"pipeline pipeline-gen graph-build capi"}

"$root/scripts/deps.sh"
if [ ! -f "$dir/build.ninja" ]; then
  ccache=()
  if command -v ccache >/dev/null; then
    ccache=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  CC=clang-22 CXX=clang++-22 cmake -S "$root" -B "$dir" -G Ninja \
    -DTGRAPH_BUILD_FUZZERS=ON -DTGRAPH_ENABLE_CUDA=OFF \
    -DTGRAPH_BUILD_BENCHMARKS=OFF -DTGRAPH_BUILD_TESTS=OFF \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir "${ccache[@]}"
fi
# Only the targets and what they link: not the JIT, tools or docs.
ninja -C "$dir" -j"${TGRAPH_JOBS:-2}" $(printf 'tgraph-fuzz-%s ' $targets)

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$dir/fuzz-artifacts"
failed=()
summary=()

for t in $targets; do
  bin="$dir/bin/tgraph-fuzz-$t"
  mkdir -p "$artifacts/$t"
  flags=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/$t/")
  if [ -f "$root/fuzz/$t.dict" ]; then
    flags+=(-dict="$root/fuzz/$t.dict")
  fi

  # 1. The regression inputs: each file once.
  regressions=()
  if [ -d "$root/fuzz/regressions/$t" ]; then
    mapfile -t regressions < <(find "$root/fuzz/regressions/$t" -type f ! -name '*.md' | sort)
  fi
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "== fuzz $t: ${#regressions[@]} regression inputs"
    if ! "$bin" "${flags[@]}" "${regressions[@]}" >"$work/$t.regressions.log" 2>&1; then
      tail -n 60 "$work/$t.regressions.log"
      failed+=("$t (regressions)")
    fi
  fi

  # 2. Fuzz from a scratch copy of the seed corpus.
  mkdir -p "$work/$t"
  cp -r "$root/fuzz/corpus/$t/." "$work/$t/"
  echo "== fuzz $t: ${seconds}s from $(ls "$work/$t" | wc -l) seeds"
  status=0
  # The outer timeout only guards against a fuzzer that cannot stop.
  timeout --signal=KILL $((seconds * 2 + 120)) \
    "$bin" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      "$work/$t" >"$work/$t.log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log" | tail -1)
  cov=$(grep -oE '(DONE|INITED|pulse|NEW|REDUCE) +cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' \
          "$work/$t.log" | tail -1 | sed -E 's/^[A-Z]+ +//')
  line="$t: executions ${execs:-?}, ${rate:-?} exec/s, ${cov:-no coverage line}"
  if [ "$status" -ne 0 ]; then
    tail -n 80 "$work/$t.log"
    failed+=("$t (exit $status; inputs in $artifacts/$t/)")
    line="$line, FAILED"
  fi
  echo "$line"
  summary+=("$line")
done

echo "== fuzz summary (${seconds}s per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
