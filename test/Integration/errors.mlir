// RUN: not tgraph-run %s --device=tpu 2>&1 | FileCheck %s --check-prefix=DEVICE
// RUN: not tgraph-run %s.missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not tgraph-run %s --graph=nope 2>&1 | FileCheck %s --check-prefix=NOGRAPH
// RUN: not tgraph-run %s --scalar=abc 2>&1 | FileCheck %s --check-prefix=SCALAR
// RUN: echo "tgraph.graph @g( {" | not tgraph-run - 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: echo "tgraph.kernel @k() gpu stream_ordered tgraph.graph @g() { %%0 = tgraph.task @k() tgraph.yield }" | not tgraph-run - 2>&1 | FileCheck %s --check-prefix=NOGPU
// RUN: echo "module {}" | not tgraph-run - 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: tgraph-run %s --scalar=5 | FileCheck %s --check-prefix=OK

// Tests tgraph-run's errors: each is a message and exit code 1.
// DEVICE: tgraph-run: error: unknown --device 'tpu'; expected auto, emulated or cuda
// MISSING: tgraph-run: error: cannot open input file
// NOGRAPH: tgraph-run: error: no graph named 'nope'
// SCALAR: tgraph-run: error: --scalar 'abc' is not an integer
// PARSE: <stdin>:1:{{[0-9]+}}: error:
// NOGPU: error: 'tgraph.task' op runs GPU kernel @k but the machine has no GPU
// EMPTY: tgraph-run: error: the module has no tgraph.graph
// Tests a scalar argument given on the command line.
// OK: result #0: 5
tgraph.kernel @value_i64(i64) -> i64 cpu
tgraph.graph @g(%n: i64) -> !tgraph.value<i64> {
  %e, %v = tgraph.task @value_i64(%n) : (i64) -> !tgraph.value<i64>
  tgraph.yield %v : !tgraph.value<i64>
}
