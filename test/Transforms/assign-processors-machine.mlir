// RUN: tgraph-opt %s -tgraph-assign-processors -split-input-file -verify-diagnostics | FileCheck %s

// Tests that the module's machine is used when no option is given, and that
// GPU copies use a compute stream when there is no copy stream.
// CHECK: #tgraph.machine<cpus = 3, gpus = 1, streams_per_gpu = 1, copy_streams = 0>
// CHECK-LABEL: tgraph.graph @module_machine
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 1>
// CHECK: tgraph.task @c() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 2>
// CHECK: tgraph.copy {{.*}} on #tgraph.proc<gpu 0, stream 0> stream_ordered
module attributes {tgraph.machine = #tgraph.machine<cpus = 3, gpus = 1, streams_per_gpu = 1, copy_streams = 0>} {
  tgraph.kernel @c() cpu
  tgraph.graph @module_machine(%h: !tgraph.buffer<f32 x 4, host>, %d: !tgraph.buffer<f32 x 4, gpu>) physical {
    %a = tgraph.task @c()
    %b = tgraph.task @c()
    %c = tgraph.task @c()
    %cp = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> stream_ordered
    tgraph.yield
  }
}

// -----

// Tests a GPU task on a machine without a GPU (the default machine).
tgraph.kernel @g() gpu stream_ordered
tgraph.graph @gpu_task() physical {
  // expected-error @+1 {{runs GPU kernel @g but the machine has no GPU; pass gpus=N (or set tgraph.machine on the module)}}
  %a = tgraph.task @g()
  tgraph.yield
}

// -----

// Tests a GPU copy on a machine without a GPU.
tgraph.graph @gpu_copy(%h: !tgraph.buffer<f32 x 4, host>, %d: !tgraph.buffer<f32 x 4, gpu>) physical {
  // expected-error @+1 {{moves GPU memory but the machine has no GPU; pass gpus=N (or set tgraph.machine on the module)}}
  %cp = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> stream_ordered
  tgraph.yield
}

// -----

// Tests a CPU task on a machine without CPU workers.
module attributes {tgraph.machine = #tgraph.machine<cpus = 0, gpus = 1, streams_per_gpu = 1, copy_streams = 1>} {
  tgraph.kernel @c() cpu
  tgraph.graph @cpu_task() physical {
    // expected-error @+1 {{needs a CPU worker but the machine has none; pass cpus=N}}
    %a = tgraph.task @c()
    tgraph.yield
  }
}

// -----

// Tests a GPU task on a machine whose GPUs have no compute stream.
module attributes {tgraph.machine = #tgraph.machine<cpus = 1, gpus = 1, streams_per_gpu = 0, copy_streams = 1>} {
  tgraph.kernel @g() gpu stream_ordered
  tgraph.graph @no_stream() physical {
    // expected-error @+1 {{needs a GPU compute stream but the machine has none; pass streams-per-gpu=N}}
    %a = tgraph.task @g()
    tgraph.yield
  }
}
