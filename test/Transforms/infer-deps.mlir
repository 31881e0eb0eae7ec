// RUN: tgraph-opt %s -tgraph-infer-deps | FileCheck %s

!b = !tgraph.buffer<f32 x 4, host>
!g = !tgraph.buffer<f32 x 4, gpu>
tgraph.kernel @r(!tgraph.buffer<f32 x ?, host>) cpu
tgraph.kernel @w(!tgraph.buffer<f32 x ?, host>) cpu
tgraph.kernel @rw2(!tgraph.buffer<f32 x ?, host>, !tgraph.buffer<f32 x ?, host>) cpu
tgraph.kernel @val() -> i1 cpu
tgraph.kernel @use(i1) cpu

// Tests read-after-write, read-after-read (no edge) and write-after-read:
// the write awaits every reader since the last write, not the writer.
// CHECK-LABEL: tgraph.graph @raw_war
// CHECK-SAME: physical
// CHECK: %[[W0:.*]] = tgraph.task @w(%{{.*}} : write) :
// CHECK: %[[R1:.*]] = tgraph.task @r(%{{.*}} : read) await(%[[W0]])
// CHECK: %[[R2:.*]] = tgraph.task @r(%{{.*}} : read) await(%[[W0]])
// CHECK: %[[W3:.*]] = tgraph.task @w(%{{.*}} : write) await(%[[R1]], %[[R2]])
// CHECK: tgraph.task @r(%{{.*}} : read) await(%[[W3]])
tgraph.graph @raw_war(%a: !b) {
  %0 = tgraph.task @w(%a : write) : (!b)
  %1 = tgraph.task @r(%a : read) : (!b)
  %2 = tgraph.task @r(%a : read) : (!b)
  %3 = tgraph.task @w(%a : write) : (!b)
  %4 = tgraph.task @r(%a : read) : (!b)
  tgraph.yield
}

// Tests write-after-write and read_write as a write that reads.
// CHECK-LABEL: tgraph.graph @waw
// CHECK: %[[W0:.*]] = tgraph.task @w(%{{.*}} : write) :
// CHECK: %[[W1:.*]] = tgraph.task @w(%{{.*}} : read_write) await(%[[W0]])
// CHECK: tgraph.task @w(%{{.*}} : write) await(%[[W1]])
tgraph.graph @waw(%a: !b) {
  %0 = tgraph.task @w(%a : write) : (!b)
  %1 = tgraph.task @w(%a : read_write) : (!b)
  %2 = tgraph.task @w(%a : write) : (!b)
  tgraph.yield
}

// Tests that independent buffers do not order, and that a task touching two
// buffers awaits the last writer of each.
// CHECK-LABEL: tgraph.graph @two_buffers
// CHECK: %[[A:.*]] = tgraph.task @w(%[[BA:[^ ]*]] : write) :
// CHECK: %[[B:.*]] = tgraph.task @w(%{{.*}} : write) :
// CHECK: tgraph.task @rw2(%{{.*}} : read, %{{.*}} : read) await(%[[A]], %[[B]])
tgraph.graph @two_buffers(%a: !b, %c: !b) {
  %0 = tgraph.task @w(%a : write) : (!b)
  %1 = tgraph.task @w(%c : write) : (!b)
  %2 = tgraph.task @rw2(%a : read, %c : read) : (!b, !b)
  tgraph.yield
}

// Tests that reductions with the same operator commute (no edge between
// them, same predecessors), and order with reads and other reductions.
// CHECK-LABEL: tgraph.graph @reductions
// CHECK: %[[W:.*]] = tgraph.task @w(%{{.*}} : write) :
// CHECK: %[[S1:.*]] = tgraph.task @w(%{{.*}} : reduce<add>) await(%[[W]])
// CHECK: %[[S2:.*]] = tgraph.task @w(%{{.*}} : reduce<add>) await(%[[W]])
// CHECK: %[[M:.*]] = tgraph.task @w(%{{.*}} : reduce<max>) await(%[[S1]], %[[S2]])
// CHECK: %[[R:.*]] = tgraph.task @r(%{{.*}} : read) await(%[[M]])
// CHECK: tgraph.task @w(%{{.*}} : reduce<max>) await(%[[R]])
tgraph.graph @reductions(%a: !b) {
  %0 = tgraph.task @w(%a : write) : (!b)
  %1 = tgraph.task @w(%a : reduce<add>) : (!b)
  %2 = tgraph.task @w(%a : reduce<add>) : (!b)
  %3 = tgraph.task @w(%a : reduce<max>) : (!b)
  %4 = tgraph.task @r(%a : read) : (!b)
  %5 = tgraph.task @w(%a : reduce<max>) : (!b)
  tgraph.yield
}

// Tests that a copy reads its source and writes its destination.
// CHECK-LABEL: tgraph.graph @copies
// CHECK: %[[W:.*]] = tgraph.task @w(%{{.*}} : write) :
// CHECK: %[[C:.*]] = tgraph.copy %{{.*}} to %{{.*}} await(%[[W]])
// CHECK: %[[C2:.*]] = tgraph.copy %{{.*}} to %{{.*}} await(%[[C]])
// CHECK: tgraph.task @w(%{{.*}} : write) await(%[[C]])
tgraph.graph @copies(%a: !b, %d: !g, %e: !g) {
  %0 = tgraph.task @w(%a : write) : (!b)
  %1 = tgraph.copy %a to %d : !b to !g
  %2 = tgraph.copy %d to %e : !g to !g
  %3 = tgraph.task @w(%a : write) : (!b)
  tgraph.yield
}

// Tests that explicit awaits are kept, that values and predicates computed
// from values order after their producer, and that predicated ops keep
// their dependences.
// CHECK-LABEL: tgraph.graph @values_and_predicates
// CHECK-SAME: (%[[PRE:[^:]*]]: !tgraph.event
// CHECK: %[[V:.*]], %[[X:.*]] = tgraph.task @val() await(%[[PRE]])
// CHECK: %[[U:.*]] = tgraph.task @use(%[[X]]) await(%[[V]])
// CHECK: %[[P:.*]] = tgraph.pred.from %[[X]]
// CHECK: %[[NP:.*]] = tgraph.pred.not %[[P]]
// CHECK: %[[W:.*]] = tgraph.task @w(%{{.*}} : write) await(%[[V]]) if %[[NP]]
// CHECK: tgraph.task @r(%{{.*}} : read) await(%[[W]])
tgraph.graph @values_and_predicates(%pre: !tgraph.event, %a: !b) {
  %v, %x = tgraph.task @val() await(%pre) : () -> !tgraph.value<i1>
  %u = tgraph.task @use(%x) : (!tgraph.value<i1>)
  %p = tgraph.pred.from %x : !tgraph.value<i1>
  %np = tgraph.pred.not %p
  %w = tgraph.task @w(%a : write) if %np : (!b)
  %r = tgraph.task @r(%a : read) : (!b)
  tgraph.yield
}

// Tests that a physical graph is left alone.
// CHECK-LABEL: tgraph.graph @already_physical
// CHECK: tgraph.task @r(%{{.*}} : read) :
tgraph.graph @already_physical(%a: !b) physical {
  %0 = tgraph.task @w(%a : write) : (!b)
  %1 = tgraph.task @r(%a : read) : (!b)
  tgraph.yield
}
