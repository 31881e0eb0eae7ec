// RUN: tgraph-translate --tgraph-to-dot %s | FileCheck %s
// RUN: tgraph-translate --tgraph-to-dot --tgraph-dot-graph=second %s | FileCheck %s --check-prefix=ONE
// RUN: tgraph-translate --tgraph-to-dot --allow-unregistered-dialect %S/Inputs/unregistered.mlir | FileCheck %s --check-prefix=OTHER
// RUN: tgraph-translate --tgraph-to-dot --tgraph-dot-graph=third %s | FileCheck %s --check-prefix=NOYIELD
// RUN: tgraph-gen -type stencil_1d -steps 2 -width 2 -physical | tgraph-translate --tgraph-to-dot | FileCheck %s --check-prefix=GEN

// Tests a module with two graphs: one digraph each, in order; quotes and
// backslashes in names are escaped; an immediate event is a point.
// CHECK-LABEL: digraph "first" {
// CHECK:       imm0 [label="", shape=point];
// CHECK-NEXT:  n0 [label="@we\"ird\\name #0", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK:       imm0 -> n0 [style=dotted];
// CHECK:       }
// CHECK-LABEL: digraph "second" {
// CHECK:       arg0 -> n0 [style=solid];
// CHECK-NEXT:  arg1 -> n0 [style=dashed, color="#38761d"];

// Tests --tgraph-dot-graph: only the named graph.
// ONE-NOT: digraph "first"
// ONE: digraph "second"

// Tests a graph that yields nothing: no sink node.
// NOYIELD: digraph "third"
// NOYIELD: n0 [label="@we
// NOYIELD-NOT: yield
// NOYIELD: }

// Tests an op of another dialect that makes an event: drawn with its name,
// so no edge dangles.
// OTHER: op0 [label="test.make_event", shape=box, style="filled", fillcolor="white"];
// OTHER: op0 -> n0 [style=dotted];

// Tests a generated Task Bench graph: labels carry (timestep, point).
// GEN: n0 [label="@empty #0\n(0, 0)"
// GEN: n3 [label="@empty #3\n(1, 1)"
// GEN: n4 [label="join #4"
// GEN: arg0 -> n0 [style=dotted];
tgraph.kernel @"we\"ird\\name"() cpu
tgraph.graph @first() -> !tgraph.event {
  %i = tgraph.event.immediate
  %0 = tgraph.task @"we\"ird\\name"() await(%i) : ()
  tgraph.yield %0 : !tgraph.event
}
tgraph.graph @second(%a: !tgraph.event, %b: !tgraph.event) -> !tgraph.event physical {
  %0 = tgraph.task @"we\"ird\\name"() await(%a host, %b device) : ()
  tgraph.yield %0 : !tgraph.event
}
tgraph.graph @third() {
  %0 = tgraph.task @"we\"ird\\name"() : ()
  tgraph.yield
}
