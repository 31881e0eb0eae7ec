// RUN: tgraph-opt %s -tgraph-infer-stream-ordering | FileCheck %s

tgraph.kernel @cpu() cpu
tgraph.kernel @gpu() gpu stream_ordered
tgraph.kernel @sync() gpu
tgraph.kernel @peek() gpu stream_ordered host_access

// Tests which tasks and copies are stream-ordered: stream-ordered GPU
// kernels without host access, and copies that touch GPU memory unless a
// CPU worker does them.
// CHECK-LABEL: tgraph.graph @g
// CHECK: tgraph.task @cpu(){{$}}
// CHECK: tgraph.task @gpu() stream_ordered
// CHECK: tgraph.task @sync(){{$}}
// CHECK: tgraph.task @peek(){{$}}
// CHECK: tgraph.copy {{.*}} : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> stream_ordered
// CHECK: tgraph.copy {{.*}} : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, pinned> stream_ordered
// CHECK: tgraph.copy {{.*}} : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, gpu> stream_ordered
// CHECK: tgraph.copy {{.*}} : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, pinned>{{$}}
// CHECK: tgraph.copy {{.*}} : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> on #tgraph.proc<cpu 0>{{$}}
// CHECK: tgraph.task @cpu(){{$}}
tgraph.graph @g(%h: !tgraph.buffer<f32 x 4, host>, %p: !tgraph.buffer<f32 x 4, pinned>,
                %d: !tgraph.buffer<f32 x 4, gpu>, %d2: !tgraph.buffer<f32 x 4, gpu>) physical {
  %0 = tgraph.task @cpu()
  %1 = tgraph.task @gpu()
  %2 = tgraph.task @sync()
  %3 = tgraph.task @peek()
  %4 = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu>
  %5 = tgraph.copy %d to %p : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, pinned>
  %6 = tgraph.copy %d to %d2 : !tgraph.buffer<f32 x 4, gpu> to !tgraph.buffer<f32 x 4, gpu>
  %7 = tgraph.copy %h to %p : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, pinned>
  %8 = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> on #tgraph.proc<cpu 0>
  // A stale marker on a CPU task is removed.
  %9 = tgraph.task @cpu() stream_ordered
  tgraph.yield
}
