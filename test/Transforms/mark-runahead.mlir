// RUN: tgraph-opt %s -tgraph-mark-runahead -split-input-file -verify-diagnostics | FileCheck %s

tgraph.kernel @g() gpu stream_ordered
tgraph.kernel @gv() -> i1 gpu stream_ordered
tgraph.kernel @c() cpu
tgraph.kernel @cv() -> i1 cpu

// Tests the dependence kinds: device between stream-ordered ops on one GPU
// (same stream or not), host for external preconditions, CPU tasks, other
// GPUs and ops that are not stream-ordered.
// CHECK-LABEL: tgraph.graph @kinds
// CHECK-SAME: (%[[PRE:[^:]*]]: !tgraph.event
// CHECK: %[[A:.*]] = tgraph.task @g() await(%[[PRE]] host) on #tgraph.proc<gpu 0, stream 0>
// CHECK: %[[B:.*]] = tgraph.task @g() await(%[[A]] device) on #tgraph.proc<gpu 0, stream 0>
// CHECK: %[[C:.*]] = tgraph.task @g() await(%[[A]] device) on #tgraph.proc<gpu 0, stream 1>
// CHECK: %[[D:.*]] = tgraph.task @c() await(%[[B]] host) on #tgraph.proc<cpu 0>
// CHECK: %[[E:.*]] = tgraph.task @g() await(%[[D]] host, %[[C]] device) on #tgraph.proc<gpu 0, stream 0>
// CHECK: tgraph.task @g() await(%[[E]] host) on #tgraph.proc<gpu 1, stream 0>
// CHECK: tgraph.task @g() await(%[[E]] host) on #tgraph.proc<gpu 0, stream 1>{{$}}
// CHECK: tgraph.copy {{.*}} await(%[[E]] device) {{.*}} on #tgraph.proc<gpu 0, copy 0> stream_ordered
tgraph.graph @kinds(%pre: !tgraph.event, %d: !tgraph.buffer<f32 x 4, gpu>, %h: !tgraph.buffer<f32 x 4, host>) physical {
  %a = tgraph.task @g() await(%pre) on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %b = tgraph.task @g() await(%a) on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %c = tgraph.task @g() await(%a) on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %d1 = tgraph.task @c() await(%b) on #tgraph.proc<cpu 0>
  %e = tgraph.task @g() await(%d1, %c) on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %f = tgraph.task @g() await(%e) on #tgraph.proc<gpu 1, stream 0> stream_ordered
  // Not stream-ordered: host.
  %n = tgraph.task @g() await(%e) on #tgraph.proc<gpu 0, stream 1>
  %cp = tgraph.copy %d to %h await(%e) : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, host> on #tgraph.proc<gpu 0, copy 0> stream_ordered
  tgraph.yield
}

// Tests predicate modes: guarded when a stream-ordered op's predicate comes
// from stream-ordered work on its GPU (its producer edge stays device), wait
// for a host-computed predicate or a block argument (the producer edge
// becomes host), and explicit modes are kept.
// CHECK-LABEL: tgraph.graph @predicates
// CHECK: %[[V:.*]], %[[X:.*]] = tgraph.task @gv()
// CHECK: %[[W:.*]], %[[Y:.*]] = tgraph.task @cv()
// CHECK: tgraph.task @g() await(%[[V]] device) if %{{.*}} guarded
// CHECK: tgraph.task @g() await(%[[W]] host) if %{{.*}} wait
// CHECK: tgraph.task @g() await(%[[V]] host) if %{{.*}} wait
// CHECK: tgraph.task @g() if %{{.*}} wait
// CHECK: tgraph.task @c() await(%[[V]] host) if %{{.*}} wait
tgraph.graph @predicates(%q: !tgraph.pred) physical {
  %v, %x = tgraph.task @gv() : () -> !tgraph.value<i1> on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %w, %y = tgraph.task @cv() : () -> !tgraph.value<i1> on #tgraph.proc<cpu 0>
  %px = tgraph.pred.from %x : !tgraph.value<i1>
  %py = tgraph.pred.from %y : !tgraph.value<i1>
  %0 = tgraph.task @g() await(%v) if %px on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %1 = tgraph.task @g() await(%w) if %py on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %2 = tgraph.task @g() await(%v) if %px wait on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %3 = tgraph.task @g() if %q on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %4 = tgraph.task @c() await(%v) if %px on #tgraph.proc<cpu 1>
  tgraph.yield
}

// -----

// Tests that mark-runahead needs the physical form.
// expected-error @+1 {{is in the logical form; tgraph-mark-runahead needs explicit awaits: run tgraph-infer-deps first}}
tgraph.graph @logical() {
  tgraph.yield
}
