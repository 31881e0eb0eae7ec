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

// Tests the machine model's rules for predicate modes: a copy and a CPU
// task are never guarded (the runtime would refuse it), even when their
// predicate comes from stream-ordered work on the same GPU; the copy's
// dependence on that work stays host (the predicate is resolved on the
// host), its plain stream-ordered dependence stays device.
// CHECK-LABEL: tgraph.graph @never_guarded
// CHECK: %[[V:.*]], %{{.*}} = tgraph.task @gv()
// CHECK: %[[U:.*]] = tgraph.task @g()
// CHECK: tgraph.copy {{.*}} await(%[[V]] host, %[[U]] device) if %{{.*}} wait
// CHECK: tgraph.task @c() await(%[[V]] host) if %{{.*}} wait
tgraph.graph @never_guarded(%d: !tgraph.buffer<f32 x 4, gpu>, %h: !tgraph.buffer<f32 x 4, host>) physical {
  %v, %x = tgraph.task @gv() : () -> !tgraph.value<i1> on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %u = tgraph.task @g() on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %px = tgraph.pred.from %x : !tgraph.value<i1>
  %cp = tgraph.copy %d to %h await(%v, %u) if %px : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, host> on #tgraph.proc<gpu 0, copy 0> stream_ordered
  %t = tgraph.task @c() await(%v) if %px on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @gv() -> i1 gpu stream_ordered
// Tests that an explicit guarded copy is refused, not demoted.
tgraph.graph @guarded_copy(%d: !tgraph.buffer<f32 x 4, gpu>, %h: !tgraph.buffer<f32 x 4, host>) physical {
  %v, %x = tgraph.task @gv() : () -> !tgraph.value<i1> on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %px = tgraph.pred.from %x : !tgraph.value<i1>
  // expected-error @+1 {{'tgraph.copy' op is guarded, but only a GPU task of a stream-ordered kernel can check its predicate on the device; write `wait` (or no mode) to resolve it on the host}}
  %cp = tgraph.copy %d to %h await(%v) if %px guarded : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, host> on #tgraph.proc<gpu 0, copy 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
tgraph.kernel @cv() -> i1 cpu
// Tests that an explicit guarded task whose predicate a CPU task computes
// is refused, naming that task.
tgraph.graph @guarded_from_cpu() physical {
  %w, %y = tgraph.task @cv() : () -> !tgraph.value<i1> on #tgraph.proc<cpu 0>
  %py = tgraph.pred.from %y : !tgraph.value<i1>
  // expected-error-re @+1 {{'tgraph.task' op is guarded, but its predicate is computed by task @cv (line {{[0-9]+}}), which is not stream-ordered work on the same GPU; write `wait` (or no mode) to resolve it on the host}}
  %0 = tgraph.task @g() await(%w) if %py guarded on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests that an explicit guarded task on a graph-argument predicate is
// refused.
tgraph.graph @guarded_arg(%q: !tgraph.pred) physical {
  // expected-error @+1 {{'tgraph.task' op is guarded, but its predicate is resolved on the host (a graph argument); write `wait` (or no mode) to resolve it on the host}}
  %0 = tgraph.task @g() if %q guarded on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// -----

// Tests that mark-runahead needs the physical form.
// expected-error @+1 {{is in the logical form; tgraph-mark-runahead needs explicit awaits: run tgraph-infer-deps first}}
tgraph.graph @logical() {
  tgraph.yield
}
