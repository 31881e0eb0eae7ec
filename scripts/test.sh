#!/usr/bin/env bash
# Builds everything and runs every test: the lit suite and GoogleTest (ctest),
# then the runtime tests again under AddressSanitizer+UBSan and under
# ThreadSanitizer. Installs missing packages first. Works from any state.
#   TGRAPH_SKIP_SANITIZERS=1  skips the two sanitizer builds.
#   TGRAPH_SKIP_FUZZ=1        skips the fuzz targets (scripts/fuzz.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
ctest --test-dir "${TGRAPH_BUILD_DIR:-$root/build}" --output-on-failure -j2

if [ "${TGRAPH_SKIP_SANITIZERS:-0}" != 1 ]; then
  for san in "address;undefined" "thread"; do
    dir="$root/build-${san%%;*}"
    if [ ! -f "$dir/build.ninja" ]; then
      cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
        -DTGRAPH_BUILD_COMPILER=OFF -DTGRAPH_ENABLE_CUDA=OFF \
        -DTGRAPH_BUILD_BENCHMARKS=OFF "-DTGRAPH_SANITIZE=$san"
    fi
    ninja -C "$dir" -j"${TGRAPH_JOBS:-2}"
    echo "== runtime tests under -fsanitize=$san"
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
      ctest --test-dir "$dir" --output-on-failure -j2
  done
fi

if [ "${TGRAPH_SKIP_FUZZ:-0}" != 1 ]; then
  "$root/scripts/fuzz.sh"
fi
