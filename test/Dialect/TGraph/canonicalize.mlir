// RUN: tgraph-opt %s -canonicalize -split-input-file | FileCheck %s

tgraph.kernel @k() cpu
tgraph.kernel @v() -> f64 cpu
tgraph.kernel @two() -> (f64, i1) cpu

// Tests that a join of one event is that event.
// CHECK-LABEL: tgraph.graph @join_one(
// CHECK-SAME: %[[E:[^:]*]]: !tgraph.event
// CHECK-NEXT: tgraph.yield %[[E]]
tgraph.graph @join_one(%e: !tgraph.event) -> !tgraph.event {
  %j = tgraph.join %e
  tgraph.yield %j : !tgraph.event
}

// Tests that immediate events and duplicates are dropped from joins.
// CHECK-LABEL: tgraph.graph @join_simplify(
// CHECK-SAME: %[[A:[^:]*]]: !tgraph.event, %[[B:[^:]*]]: !tgraph.event
// CHECK-NEXT: %[[J:.*]] = tgraph.join %[[A]], %[[B]]
// CHECK-NEXT: tgraph.yield %[[J]]
tgraph.graph @join_simplify(%a: !tgraph.event, %b: !tgraph.event) -> !tgraph.event {
  %i = tgraph.event.immediate
  %j = tgraph.join %a, %i, %b, %a
  tgraph.yield %j : !tgraph.event
}

// Tests that a join of immediate events is immediate.
// CHECK-LABEL: tgraph.graph @join_immediate(
// CHECK-NEXT: %[[I:.*]] = tgraph.event.immediate
// CHECK-NEXT: tgraph.yield %[[I]]
tgraph.graph @join_immediate() -> !tgraph.event {
  %i = tgraph.event.immediate
  %j = tgraph.join %i, %i
  tgraph.yield %j : !tgraph.event
}

// Tests that nested joins are flattened when the inner one has no other use,
// and kept when it is shared.
// CHECK-LABEL: tgraph.graph @join_nested(
// CHECK-SAME: %[[A:[^:]*]]: !tgraph.event, %[[B:[^:]*]]: !tgraph.event, %[[C:[^:]*]]: !tgraph.event, %[[D:[^:]*]]: !tgraph.event
// CHECK-NEXT: %[[S:.*]] = tgraph.join %[[C]], %[[D]]
// CHECK-NEXT: %[[J:.*]] = tgraph.join %[[A]], %[[B]], %[[S]]
// CHECK-NEXT: %[[K:.*]] = tgraph.join %[[S]], %[[A]]
// CHECK-NEXT: tgraph.yield %[[J]], %[[K]]
tgraph.graph @join_nested(%a: !tgraph.event, %b: !tgraph.event, %c: !tgraph.event, %d: !tgraph.event) -> (!tgraph.event, !tgraph.event) {
  %inner = tgraph.join %a, %b
  %shared = tgraph.join %c, %d
  %j = tgraph.join %inner, %shared
  %k = tgraph.join %shared, %a
  tgraph.yield %j, %k : !tgraph.event, !tgraph.event
}

// Tests that immediate and duplicate awaits are dropped; a duplicate keeps
// the stricter kind (host).
// CHECK-LABEL: tgraph.graph @awaits(
// CHECK-SAME: %[[A:[^:]*]]: !tgraph.event, %[[B:[^:]*]]: !tgraph.event
// CHECK: tgraph.task @k() await(%[[A]])
// CHECK: tgraph.task @k() await(%[[A]] host, %[[B]] device)
// CHECK: tgraph.copy %{{.*}} to %{{.*}} await(%[[B]])
tgraph.graph @awaits(%a: !tgraph.event, %b: !tgraph.event, %x: !tgraph.buffer<f32 x 4, host>, %y: !tgraph.buffer<f32 x 4, host>) {
  %i = tgraph.event.immediate
  %0 = tgraph.task @k() await(%i, %a, %a)
  %1 = tgraph.task @k() await(%a device, %i device, %b device, %a host)
  %2 = tgraph.copy %x to %y await(%b, %b, %i) : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, host>
  tgraph.yield
}

// Tests that a join used only by an await is expanded into the await list.
// CHECK-LABEL: tgraph.graph @await_join(
// CHECK-SAME: %[[A:[^:]*]]: !tgraph.event, %[[B:[^:]*]]: !tgraph.event
// CHECK-NOT: tgraph.join
// CHECK: tgraph.task @k() await(%[[A]], %[[B]])
tgraph.graph @await_join(%a: !tgraph.event, %b: !tgraph.event) {
  %j = tgraph.join %a, %b
  %0 = tgraph.task @k() await(%j)
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
tgraph.kernel @v() -> f64 cpu
tgraph.kernel @two() -> (f64, i1) cpu

// Tests the folds of constant predicates.
// CHECK-LABEL: tgraph.graph @pred_folds(
// CHECK-SAME: %[[P:[^:]*]]: !tgraph.pred
// CHECK-DAG: %[[T:.*]] = tgraph.pred.const true
// CHECK-DAG: %[[F:.*]] = tgraph.pred.const false
// CHECK: tgraph.yield %[[F]], %[[P]], %[[P]], %[[F]], %[[P]], %[[T]], %[[P]], %[[P]], %[[T]]
tgraph.graph @pred_folds(%p: !tgraph.pred) -> (!tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred) {
  %t = tgraph.pred.const true
  %f = tgraph.pred.const false
  %not_t = tgraph.pred.not %t
  %n = tgraph.pred.not %p
  %nn = tgraph.pred.not %n
  %and_t = tgraph.pred.and %p, %t
  %and_f = tgraph.pred.and %f, %p
  %or_f = tgraph.pred.or %p, %f
  %or_t = tgraph.pred.or %t, %p
  %and_self = tgraph.pred.and %p, %p
  %or_self = tgraph.pred.or %p, %p
  %v = tgraph.value.const true
  %from = tgraph.pred.from %v : !tgraph.value<i1>
  tgraph.yield %not_t, %nn, %and_t, %and_f, %or_f, %or_t, %and_self, %or_self, %from : !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred, !tgraph.pred
}

// Tests that a task predicated on constant true becomes unpredicated.
// CHECK-LABEL: tgraph.graph @pred_true(
// CHECK-NOT: tgraph.pred.const
// CHECK: %{{.*}}, %[[V:.*]] = tgraph.task @v() await(%{{.*}}) : () -> !tgraph.value<f64>
// CHECK: tgraph.copy %{{.*}} to %{{.*}} : !tgraph.buffer
tgraph.graph @pred_true(%e: !tgraph.event, %x: !tgraph.buffer<f32 x 4, host>, %y: !tgraph.buffer<f32 x 4, host>) -> !tgraph.value<f64> {
  %t = tgraph.pred.const true
  %0, %v = tgraph.task @v() await(%e) if %t guarded else(2.0 : f64) : () -> !tgraph.value<f64>
  %1 = tgraph.copy %x to %y if %t : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, host>
  tgraph.yield %v : !tgraph.value<f64>
}

// Tests that a task predicated on constant false becomes a join of its awaits
// and its results become the else values.
// CHECK-LABEL: tgraph.graph @pred_false(
// CHECK-SAME: %[[A:[^:]*]]: !tgraph.event, %[[B:[^:]*]]: !tgraph.event
// CHECK-NOT: tgraph.task
// CHECK-DAG: %[[J:.*]] = tgraph.join %[[A]], %[[B]]
// CHECK-DAG: %[[V0:.*]] = tgraph.value.const 2.500000e+00 : f64
// CHECK-DAG: %[[V1:.*]] = tgraph.value.const true
// CHECK: tgraph.yield %[[J]], %[[V0]], %[[V1]]
tgraph.graph @pred_false(%a: !tgraph.event, %b: !tgraph.event) -> (!tgraph.event, !tgraph.value<f64>, !tgraph.value<i1>) {
  %f = tgraph.pred.const false
  %0, %v0, %v1 = tgraph.task @two() await(%a, %b) if %f else(2.5 : f64, true) : () -> (!tgraph.value<f64>, !tgraph.value<i1>)
  tgraph.yield %0, %v0, %v1 : !tgraph.event, !tgraph.value<f64>, !tgraph.value<i1>
}

// Tests that a copy predicated on constant false is removed; its event is
// that of its await.
// CHECK-LABEL: tgraph.graph @copy_false(
// CHECK-SAME: %[[A:[^:]*]]: !tgraph.event
// CHECK-NOT: tgraph.copy
// CHECK: tgraph.yield %[[A]]
tgraph.graph @copy_false(%a: !tgraph.event, %x: !tgraph.buffer<f32 x 4, host>, %y: !tgraph.buffer<f32 x 4, host>) -> !tgraph.event {
  %f = tgraph.pred.const false
  %n = tgraph.pred.not %f
  %nn = tgraph.pred.not %n
  %0 = tgraph.copy %x to %y await(%a) if %nn : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, host>
  tgraph.yield %0 : !tgraph.event
}

// Tests that an unused task is kept (it writes buffers) while unused pure
// ops are removed.
// CHECK-LABEL: tgraph.graph @keep_effects(
// CHECK: tgraph.task @k()
// CHECK-NOT: tgraph.pred
// CHECK-NOT: tgraph.join
tgraph.graph @keep_effects(%a: !tgraph.event, %p: !tgraph.pred) {
  %0 = tgraph.task @k()
  %1 = tgraph.pred.not %p
  %2 = tgraph.join %a, %0
  tgraph.yield
}
