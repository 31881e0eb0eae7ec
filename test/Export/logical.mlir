// RUN: tgraph-translate --tgraph-to-dot %s | FileCheck %s

// Tests a logical graph: one node per task, nothing placed, and no edges
// between tasks (the logical form orders them by buffer accesses, which
// are not drawn); only the yielded event reaches the sink. Constant
// operands show by value (i1 as true/false, integers signed, floats short).
// CHECK-LABEL: digraph "logical" {
// CHECK-NEXT:   label="@logical (logical)";
// CHECK-NOT:    subgraph
// CHECK:        n0 [label="@fill #0\n(2.5)", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK-NEXT:   n1 [label="@fill #1\n(%arg1)", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK-NEXT:   n2 [label="@sum #2", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK-NEXT:   n3 [label="@flag #3\n(true, -3)", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK-NEXT:   yield [label="yield", shape=Msquare];
// CHECK-NEXT:   n2 -> yield [style=dotted];
// CHECK-NEXT: }
tgraph.kernel @fill(!tgraph.buffer<f32 x ?, host>, f32) cpu
tgraph.kernel @flag(i1, i32) cpu
tgraph.kernel @sum(!tgraph.buffer<f32 x ?, host>, !tgraph.buffer<f32 x ?, host>) cpu
tgraph.graph @logical(%a: !tgraph.buffer<f32 x 8, host>, %s: f32,
                      %b: !tgraph.buffer<f32 x 8, host>) -> !tgraph.event {
  %c = arith.constant 2.5 : f32
  %0 = tgraph.task @fill(%a : write, %c) : (!tgraph.buffer<f32 x 8, host>, f32)
  %1 = tgraph.task @fill(%b : write, %s) : (!tgraph.buffer<f32 x 8, host>, f32)
  %2 = tgraph.task @sum(%a : read, %b : read_write)
         : (!tgraph.buffer<f32 x 8, host>, !tgraph.buffer<f32 x 8, host>)
  %t = arith.constant true
  %m = arith.constant -3 : i32
  %3 = tgraph.task @flag(%t, %m) : (i1, i32)
  tgraph.yield %2 : !tgraph.event
}
