// RUN: tgraph-opt %s --tgraph-pipeline="cpus=1" | FileCheck %s --check-prefix=IR
// RUN: tgraph-run %s --cpus=1 --replays=2 | FileCheck %s
// RUN: tgraph-run %s --cpus=1 --lowering=calls | FileCheck %s --check-prefix=ONE

// Tests that the runtime runs the queue the compiler chose, not block
// order: on one worker, tgraph-assign-processors' list schedule starts
// record(2) first (the longest path hangs below it), then record(1), then
// record(3), which awaits record(2). Block order would print 1 2 3. (Needs
// the runtime that executes tgrt_graph_set_queue_pos.)
// IR-LABEL: tgraph.graph @order
// IR: tgraph.task @record(%{{.*}}) {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 1 : i64}
// IR: tgraph.task @record(%{{.*}}) {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64}
// IR: tgraph.task @record(%{{.*}}) await(%{{.*}} host) {tgraph.dep_count = 1 : i64, tgraph.queue_pos = 2 : i64}
// CHECK: graph @order: {{[0-9]+}} nodes, 2 replays
// CHECK: record order: 2 1 3 2 1 3{{$}}
// ONE: record order: 2 1 3{{$}}
tgraph.kernel @record(i64) cpu

tgraph.graph @order() {
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %r1 = tgraph.task @record(%c1) : (i64)
  %r2 = tgraph.task @record(%c2) : (i64)
  %r3 = tgraph.task @record(%c3) await(%r2) : (i64)
  tgraph.yield
}
