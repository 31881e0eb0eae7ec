// RUN: tgraph-translate --tgraph-to-dot %s | FileCheck %s

// Tests predicated ops: a dashed border and an `if %p` line naming the
// predicate as the IR printer does, with the resolution mode when one is
// given; the predicate may be a graph argument or computed in the graph.
// CHECK-LABEL: digraph "pred" {
// CHECK: n0 [label="@norm #0\nif %arg1 guarded", shape=box, style="filled,dashed", fillcolor="#d9ead3"];
// CHECK: n1 [label="@check #1\n(%values)", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK: n2 [label="@norm #2\nif %0 wait", shape=box, style="filled,dashed", fillcolor="#d9ead3"];
// CHECK: n3 [label="copy #3\n%arg2 to %arg3\nif %1", shape=box, style="filled,dashed", fillcolor="#fff2cc"];
// CHECK: arg0 -> n0 [style=solid];
// CHECK-NEXT: n0 -> n1 [style=solid];
// CHECK-NEXT: n1 -> n2 [style=dashed, color="#38761d"];
// CHECK-NEXT: n1 -> n3 [style=dotted];
tgraph.kernel @norm(!tgraph.buffer<f64 x ?, gpu>) -> f64 gpu stream_ordered
tgraph.kernel @check(f64) -> i1 cpu
tgraph.graph @pred(%pre: !tgraph.event, %go: !tgraph.pred,
                   %x: !tgraph.buffer<f64 x 8, gpu>, %y: !tgraph.buffer<f64 x 8, gpu>)
    -> !tgraph.event physical {
  %e0, %n = tgraph.task @norm(%x : read) await(%pre host) if %go guarded else(0.0 : f64)
              : (!tgraph.buffer<f64 x 8, gpu>) -> !tgraph.value<f64>
  %e1, %c = tgraph.task @check(%n) await(%e0 host) : (!tgraph.value<f64>) -> !tgraph.value<i1>
  %p = tgraph.pred.from %c : !tgraph.value<i1>
  %e2, %m = tgraph.task @norm(%x : read) await(%e1 device) if %p wait else(1.0 : f64)
              : (!tgraph.buffer<f64 x 8, gpu>) -> !tgraph.value<f64>
  %q = tgraph.pred.not %p
  %e3 = tgraph.copy %x to %y await(%e1) if %q
          : !tgraph.buffer<f64 x 8, gpu> to !tgraph.buffer<f64 x 8, gpu>
  %all = tgraph.join %e2, %e3
  tgraph.yield %all : !tgraph.event
}
