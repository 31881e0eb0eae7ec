#!/usr/bin/env bash
# The main job: builds tgraph (installing what is missing), compiles the
# example task graph with the full pipeline and prints the scheduled graph.
#   scripts/run-example.sh [example.mlir] [pipeline options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
example=${1:-$root/examples/stencil.mlir}
options=${2:-cpus=2}
"$root/scripts/build.sh" tgraph-opt >/dev/null
build=${TGRAPH_BUILD_DIR:-$root/build}
echo "== $example, compiled with --tgraph-pipeline=\"$options\""
"$build/bin/tgraph-opt" "$example" --tgraph-pipeline="$options"
