// RUN: tgraph-opt %s -tgraph-assign-processors="cpus=2 gpus=1 streams-per-gpu=2 copy-streams=1" -split-input-file -verify-diagnostics | FileCheck %s
// RUN: tgraph-opt %s -tgraph-assign-processors="cpus=2 gpus=1 streams-per-gpu=2 copy-streams=1" -split-input-file -verify-diagnostics | tgraph-opt -tgraph-assign-processors="cpus=2 gpus=1 streams-per-gpu=2 copy-streams=1" -split-input-file | FileCheck %s

tgraph.kernel @c() cpu cost 1000
tgraph.kernel @g() gpu stream_ordered cost 1000

// Tests that two independent CPU tasks go to two workers, a dependent chain
// stays on one worker, GPU tasks go to streams (a chain on one stream),
// copies touching GPU memory go to the copy stream, host copies to a worker,
// and the machine is recorded on the module.
// CHECK: module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 1, streams_per_gpu = 2, copy_streams = 1>}
// CHECK-LABEL: tgraph.graph @place
// CHECK: %[[A:.*]] = tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 1>
// CHECK: tgraph.task @c() await(%[[A]]) {tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
// CHECK: %[[G1:.*]] = tgraph.task @g() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
// CHECK: %[[G2:.*]] = tgraph.task @g() await(%[[G1]]) {tgraph.queue_pos = 1 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
// CHECK: tgraph.task @g() await(%[[G2]]) {tgraph.queue_pos = 2 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
tgraph.graph @place() physical {
  %a = tgraph.task @c()
  %b = tgraph.task @c()
  %c = tgraph.task @c() await(%a)
  %g1 = tgraph.task @g() stream_ordered
  %g2 = tgraph.task @g() await(%g1) stream_ordered
  %g3 = tgraph.task @g() await(%g2) stream_ordered
  tgraph.yield
}

// Tests copies: GPU copies on the copy stream, host copies on a worker.
// CHECK-LABEL: tgraph.graph @copies
// CHECK: tgraph.copy {{.*}} {tgraph.queue_pos = 0 : i64} : {{.*}} on #tgraph.proc<gpu 0, copy 0> stream_ordered
// CHECK: tgraph.copy {{.*}} {tgraph.queue_pos = 0 : i64} : {{.*}} on #tgraph.proc<cpu 0>
tgraph.graph @copies(%h: !tgraph.buffer<f32 x 4, host>, %h2: !tgraph.buffer<f32 x 4, host>,
                     %d: !tgraph.buffer<f32 x 4, gpu>) physical {
  %cp = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> stream_ordered
  %cp2 = tgraph.copy %h to %h2 : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, host>
  tgraph.yield
}

// Tests that explicit placements are kept and that the scheduler works
// around them.
// CHECK-LABEL: tgraph.graph @explicit
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 1>
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @g() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 1>
tgraph.graph @explicit() physical {
  %a = tgraph.task @c() on #tgraph.proc<cpu 1>
  %b = tgraph.task @c()
  %g = tgraph.task @g() on #tgraph.proc<gpu 0, stream 1>
  tgraph.yield
}

// Tests that the queue order is the list schedule's start order, not block
// order: on one worker (and on one stream) the op with the longest path
// below it starts first; ties keep block order.
// CHECK-LABEL: tgraph.graph @heft_order
// CHECK: tgraph.task @c() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
// CHECK: %[[B:.*]] = tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @c() await(%[[B]]) {tgraph.queue_pos = 2 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @g() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
// CHECK: %[[H:.*]] = tgraph.task @g() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
// CHECK: tgraph.task @g() await(%[[H]]) {tgraph.queue_pos = 2 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
tgraph.graph @heft_order() physical {
  %a = tgraph.task @c() on #tgraph.proc<cpu 0>
  %b = tgraph.task @c() on #tgraph.proc<cpu 0>
  %c = tgraph.task @c() await(%b) on #tgraph.proc<cpu 0>
  %g = tgraph.task @g() on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %h = tgraph.task @g() on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %i = tgraph.task @g() await(%h) on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// Tests that positions already in the graph are the user's schedule and
// are left alone.
// CHECK-LABEL: tgraph.graph @given_positions
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @c() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @c() await(%{{.*}}) {tgraph.queue_pos = 2 : i64} on #tgraph.proc<cpu 0>
tgraph.graph @given_positions() physical {
  %a = tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  %b = tgraph.task @c() {tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
  %c = tgraph.task @c() await(%b) {tgraph.queue_pos = 2 : i64} on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @c() cpu
// Tests a placement beyond the machine's CPU workers.
tgraph.graph @bad_cpu() physical {
  // expected-error @+1 {{is placed on #tgraph.proc<cpu 5> but the machine has 2 CPU workers; pass cpus=N or place it on a worker below 2}}
  %a = tgraph.task @c() on #tgraph.proc<cpu 5>
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests a placement beyond the machine's GPUs.
tgraph.graph @bad_gpu() physical {
  // expected-error @+1 {{is placed on #tgraph.proc<gpu 3, stream 0> but the machine has 1 GPUs; pass gpus=N or place it on a GPU below 1}}
  %a = tgraph.task @g() on #tgraph.proc<gpu 3, stream 0>
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests a placement beyond the compute streams.
tgraph.graph @bad_stream() physical {
  // expected-error @+1 {{is placed on #tgraph.proc<gpu 0, stream 7> but each GPU has 2 compute streams (streams-per-gpu=N)}}
  %a = tgraph.task @g() on #tgraph.proc<gpu 0, stream 7>
  tgraph.yield
}

// -----

// Tests a placement beyond the copy streams.
tgraph.graph @bad_copy_stream(%h: !tgraph.buffer<f32 x 4, host>, %d: !tgraph.buffer<f32 x 4, gpu>) physical {
  // expected-error @+1 {{is placed on #tgraph.proc<gpu 0, copy 2> but each GPU has 1 copy streams (copy-streams=N)}}
  %cp = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> on #tgraph.proc<gpu 0, copy 2> stream_ordered
  tgraph.yield
}

// -----

// Tests that assign-processors needs the physical form.
// expected-error @+1 {{is in the logical form; tgraph-assign-processors needs explicit awaits: run tgraph-infer-deps first}}
tgraph.graph @logical() {
  tgraph.yield
}
