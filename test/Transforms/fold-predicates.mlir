// RUN: tgraph-opt %s -tgraph-fold-predicates | FileCheck %s

tgraph.kernel @a() cpu
tgraph.kernel @v() -> i1 cpu
tgraph.kernel @f() -> f64 cpu

// Tests that predicate identities fold across the graph and that ops sharing
// one predicate get one group.
// CHECK-LABEL: tgraph.graph @groups
// CHECK-SAME: (%[[P:[^:]*]]: !tgraph.pred, %[[Q:[^:]*]]: !tgraph.pred)
// CHECK: tgraph.task @a() if %[[P]] {tgraph.pred_group = 0 : i64}
// CHECK: tgraph.task @a() if %[[P]] {tgraph.pred_group = 0 : i64}
// CHECK: tgraph.task @a() if %[[Q]] {tgraph.pred_group = 1 : i64}
// CHECK: tgraph.task @a(){{$}}
tgraph.graph @groups(%p: !tgraph.pred, %q: !tgraph.pred) physical {
  %t = tgraph.pred.const true
  %pt = tgraph.pred.and %p, %t
  %n = tgraph.pred.not %q
  %nn = tgraph.pred.not %n
  %0 = tgraph.task @a() if %pt
  %1 = tgraph.task @a() if %p
  %2 = tgraph.task @a() if %nn
  %3 = tgraph.task @a() if %t
  tgraph.yield
}

// Tests that a predicate computed from the value of a task predicated false
// folds: the task becomes a join, its value the else value, and the
// dependent task, predicated on that value, disappears too.
// CHECK-LABEL: tgraph.graph @from_values
// CHECK-SAME: (%[[PRE:[^:]*]]: !tgraph.event)
// CHECK-NOT: tgraph.task
// CHECK: tgraph.yield %[[PRE]]
tgraph.graph @from_values(%pre: !tgraph.event) -> !tgraph.event physical {
  %f = tgraph.pred.const false
  %e, %v = tgraph.task @v() await(%pre) if %f else(false) : () -> !tgraph.value<i1>
  %p = tgraph.pred.from %v : !tgraph.value<i1>
  %e2 = tgraph.task @a() await(%e) if %p
  tgraph.yield %e2 : !tgraph.event
}

// Tests a predicate from a live value: nothing folds, the group is kept.
// CHECK-LABEL: tgraph.graph @live
// CHECK: %{{.*}}, %[[V:.*]] = tgraph.task @v()
// CHECK: %[[P:.*]] = tgraph.pred.from %[[V]]
// CHECK: tgraph.task @f() await(%{{.*}}) if %[[P]] else(1.000000e+00 : f64) {tgraph.pred_group = 0 : i64}
tgraph.graph @live() -> !tgraph.value<f64> physical {
  %e, %v = tgraph.task @v() : () -> !tgraph.value<i1>
  %p = tgraph.pred.from %v : !tgraph.value<i1>
  %e2, %r = tgraph.task @f() await(%e) if %p else(1.0 : f64) : () -> !tgraph.value<f64>
  tgraph.yield %r : !tgraph.value<f64>
}
