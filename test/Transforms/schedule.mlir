// RUN: tgraph-opt %s -tgraph-schedule -split-input-file -verify-diagnostics | FileCheck %s

tgraph.kernel @c() cpu
tgraph.kernel @g() gpu stream_ordered

// Tests queue positions per processor in block order and dependency counts
// (distinct ops awaited; external preconditions and joins: see below).
// CHECK-LABEL: tgraph.graph @queues
// CHECK-SAME: attributes {tgraph.scheduled}
// CHECK: tgraph.task @c() await(%{{.*}} host) {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @c() {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 1>
// CHECK: tgraph.task @g() await(%{{.*}} host, %{{.*}} host) {tgraph.dep_count = 2 : i64, tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0>
// CHECK: tgraph.task @c() await(%{{.*}} host) {tgraph.dep_count = 1 : i64, tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.join {{.*}} {tgraph.dep_count = 2 : i64}
tgraph.graph @queues(%pre: !tgraph.event) -> !tgraph.event physical {
  %a = tgraph.task @c() await(%pre host) on #tgraph.proc<cpu 0>
  %b = tgraph.task @c() on #tgraph.proc<cpu 1>
  %g = tgraph.task @g() await(%a host, %b host) on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %d = tgraph.task @c() await(%g host) on #tgraph.proc<cpu 0>
  %j = tgraph.join %d, %b
  tgraph.yield %j : !tgraph.event
}

// Tests that given positions keep their order, renumbered 0..k-1.
// CHECK-LABEL: tgraph.graph @given
// CHECK: tgraph.task @g() {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 1 : i64}
// CHECK: tgraph.task @g() {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64}
tgraph.graph @given() physical {
  %a = tgraph.task @g() {tgraph.queue_pos = 5 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %b = tgraph.task @g() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests that a stream order that contradicts the dependences is rejected,
// naming the ops of the cycle.
tgraph.graph @deadlock() physical {
  // expected-error @+2 {{stream order and dependences form a cycle, which would deadlock the device: task @g (line 42) -> task @g (line 44) -> task @g (line 42)}}
  // expected-note @+1 {{on the cycle: task @g (line 42)}}
  %a = tgraph.task @g() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  // expected-note @+1 {{on the cycle: task @g (line 44)}}
  %b = tgraph.task @g() await(%a device) {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests a cycle through two streams: each stream's queue puts an op before
// one that the other stream waits for.
tgraph.graph @cross() physical {
  // expected-error @+2 {{stream order and dependences form a cycle, which would deadlock the device: task @g (line 56) -> task @g (line 58) -> task @g (line 60) -> task @g (line 62) -> task @g (line 56)}}
  // expected-note @+1 {{on the cycle: task @g (line 56)}}
  %x = tgraph.task @g() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  // expected-note @+1 {{on the cycle: task @g (line 58)}}
  %b = tgraph.task @g() await(%x device) {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 1> stream_ordered
  // expected-note @+1 {{on the cycle: task @g (line 60)}}
  %y = tgraph.task @g() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<gpu 0, stream 1> stream_ordered
  // expected-note @+1 {{on the cycle: task @g (line 62)}}
  %a = tgraph.task @g() await(%y device) {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @c() cpu
// Tests an op without a placement.
tgraph.graph @unplaced() physical {
  // expected-error @+1 {{has no placement; run tgraph-assign-processors before tgraph-schedule}}
  %a = tgraph.task @c()
  tgraph.yield
}

// -----

tgraph.kernel @c() cpu
// Tests a queue where only some ops have positions.
tgraph.graph @partial() physical {
  // expected-error @+1 {{shares #tgraph.proc<cpu 0> with ops that have a tgraph.queue_pos and ops that have none; give every op of a queue a position or none}}
  %a = tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  %b = tgraph.task @c() on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

// Tests that schedule needs the physical form.
// expected-error @+1 {{is in the logical form; tgraph-schedule needs explicit awaits: run tgraph-infer-deps first}}
tgraph.graph @logical() {
  tgraph.yield
}

// -----

tgraph.kernel @c() cpu
// Tests dependency counts: external preconditions are replay preconditions
// (not counted), an op awaiting one producer twice counts it once, and a
// join counts its producers.
// CHECK-LABEL: tgraph.graph @counts
// CHECK: tgraph.task @c() await(%{{.*}} host) {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64}
// CHECK: tgraph.task @c() await(%{{.*}} host, %{{.*}} host, %{{.*}} host) {tgraph.dep_count = 1 : i64, tgraph.queue_pos = 1 : i64}
// CHECK: tgraph.join {{.*}} {tgraph.dep_count = 2 : i64}
tgraph.graph @counts(%pre: !tgraph.event) -> !tgraph.event physical {
  %a = tgraph.task @c() await(%pre host) on #tgraph.proc<cpu 0>
  %b = tgraph.task @c() await(%a host, %pre host, %a host) on #tgraph.proc<cpu 0>
  %j = tgraph.join %a, %b
  tgraph.yield %j : !tgraph.event
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests that two ops of one queue cannot share a position.
tgraph.graph @same_pos() physical {
  %a = tgraph.task @g() {tgraph.queue_pos = 3 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  // expected-error @+1 {{has tgraph.queue_pos 3, as does task @g (line 117) on #tgraph.proc<gpu 0, stream 0>; each op of a queue needs its own position}}
  %b = tgraph.task @g() {tgraph.queue_pos = 3 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}
