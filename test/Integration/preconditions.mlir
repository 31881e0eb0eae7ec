// RUN: tgraph-run %s --replays=2 | FileCheck %s

tgraph.kernel @record(i64) cpu

// Tests external preconditions: two event arguments, awaited by different
// tasks; the replay runs once both have triggered.
// CHECK: graph @pre: {{[0-9]+}} nodes, 2 replays
// CHECK: record order: {{[12] [12]}} 3 {{[12] [12]}} 3{{$}}
tgraph.graph @pre(%e1: !tgraph.event, %e2: !tgraph.event) {
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %a = tgraph.task @record(%c1) await(%e1) : (i64)
  %b = tgraph.task @record(%c2) await(%e2) : (i64)
  %c = tgraph.task @record(%c3) await(%a, %b) : (i64)
  tgraph.yield
}
