#!/usr/bin/env bash
# Times the whole tgraph-pipeline on Task Bench graphs of 10k, 100k and 1M
# tasks (stencil_1d, nearest radix 5), then the lowering + JIT + instantiation
# with graph programs (and, at 10k, with one call per node and edge, the
# old lowering), and writes bench/results/compiler-pipeline.md.
#   bench/compiler/run-pipeline-scale.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
ninja -C "$build" tgraph-bench-pipeline >/dev/null
out="$root/bench/results/compiler-pipeline.md"
{
  echo "# tgraph-pipeline scaling on Task Bench graphs"
  echo
  echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "command: \`bench/compiler/run-pipeline-scale.sh\` (one process per size;"
  echo "generate = building the logical-form IR in memory, pipeline = all passes"
  echo "from tgraph-verify-contracts to tgraph-schedule, cpus=2; lower+jit ="
  echo "convert-tgraph-to-runtime in the given mode, the LLVM dialect and"
  echo "creating MLIR's ExecutionEngine (-O0); instantiate = looking up the"
  echo "instantiate function, which JIT-compiles it, and running it: building"
  echo "and finalizing the runtime graph)."
  echo
  echo '```'
  for spec in "stencil_1d 100 100 3" "stencil_1d 100 1000 3" "stencil_1d 1000 1000 3" \
              "nearest 100 100 5" "nearest 100 1000 5" "nearest 1000 1000 5"; do
    set -- $spec
    "$build/bin/tgraph-bench-pipeline" -type "$1" -width "$2" -steps "$3" -radix "$4" \
      -compile=program
    if [ "$3" = 100 ]; then
      "$build/bin/tgraph-bench-pipeline" -type "$1" -width "$2" -steps "$3" \
        -radix "$4" -compile=calls | grep lowering=
    fi
  done
  echo '```'
} | tee "$out"
