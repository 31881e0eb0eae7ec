#!/usr/bin/env bash
# The main job: builds tgraph (installing what is missing), then compiles and
# replays an example graph end to end with tgraph-run: the conjugate-gradient
# solver whose iterations are predicated on "not converged yet". Prints the
# schedule's summary, the result, and where the timeline was written.
#   scripts/run-example.sh [example.mlir] [tgraph-run options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TGRAPH_BUILD_DIR:-$root/build}
example=${1:-$root/examples/cg.mlir}
shift || true
"$root/scripts/build.sh" tgraph-opt tgraph-run >/dev/null
echo "== compiling $example with tgraph-pipeline (first lines of the schedule):"
"$build/bin/tgraph-opt" "$example" --tgraph-pipeline -o "$build/scheduled.mlir"
grep -m 6 -E "tgraph.(task|copy)" "$build/scheduled.mlir" | cut -c1-160
echo "   ... (whole schedule: $build/scheduled.mlir)"
trace="$build/$(basename "$example" .mlir)-trace.json"
echo "== replaying it 100 times with tgraph-run:"
if [ "$example" = "$root/examples/cg.mlir" ] && [ $# -eq 0 ]; then
  # |r|^2 tolerance; x must come out as (i + 1)(16 - i) / 2 = 8 15 21 26 ...
  set -- --scalar=1e-20 --print-buffers
fi
"$build/bin/tgraph-run" "$example" --replays=100 --trace="$trace" "$@"
echo "== timeline (Chrome trace, open in ui.perfetto.dev): $trace"
