// RUN: tgraph-run %s --device=emulated --replays=2 --trace=%t.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=TRACE < %t.json

// Tests GPU work on emulated streams: stream-ordered tasks on two streams
// with device dependences (runahead), a CPU task after them (a host
// dependence), and the timeline written as a Chrome trace.
// CHECK: runtime: 1 CPU workers, 1 GPUs, emulated streams
// CHECK: graph @gpu: {{[0-9]+}} nodes, 2 replays
// CHECK: record order: 1 {{[23] [23]}} 4 5 1 {{[23] [23]}} 4 5{{$}}
// CHECK: trace:
// TRACE: traceEvents
module attributes {tgraph.machine = #tgraph.machine<cpus = 1, gpus = 1, streams_per_gpu = 2, copy_streams = 1>} {
  tgraph.kernel @gpu_record(i64) gpu stream_ordered
  tgraph.kernel @record(i64) cpu
  tgraph.graph @gpu() {
    %c1 = arith.constant 1 : i64
    %c2 = arith.constant 2 : i64
    %c3 = arith.constant 3 : i64
    %c4 = arith.constant 4 : i64
    %c5 = arith.constant 5 : i64
    %a = tgraph.task @gpu_record(%c1) : (i64)
    %b = tgraph.task @gpu_record(%c2) await(%a) : (i64)
    %c = tgraph.task @gpu_record(%c3) await(%a) : (i64) on #tgraph.proc<gpu 0, stream 1>
    %d = tgraph.task @gpu_record(%c4) await(%b, %c) : (i64)
    %e = tgraph.task @record(%c5) await(%d) : (i64)
    tgraph.yield
  }
}
