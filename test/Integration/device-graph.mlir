// RUN: tgraph-run %s --device=emulated --replays=4 | FileCheck %s
// RUN: tgraph-run %s --device=emulated --replays=1 | FileCheck %s --check-prefix=ONCE

// Tests an all-GPU graph (stream-ordered built-ins on two streams, device
// dependences only, a final join) replays from a recorded device graph
// after its first replay, in dependence order every time; a single replay
// is issued op by op.
// CHECK: graph @chain: {{[0-9]+}} nodes, 4 replays, {{.*}}, as a device graph{{$}}
// CHECK: record order: 1 {{[23] [23]}} 4 1 {{[23] [23]}} 4 1 {{[23] [23]}} 4 1 {{[23] [23]}} 4{{$}}
// ONCE: graph @chain: {{[0-9]+}} nodes, 1 replays, {{.*}} ns per node{{$}}
module attributes {tgraph.machine = #tgraph.machine<cpus = 1, gpus = 1, streams_per_gpu = 2, copy_streams = 1>} {
  tgraph.kernel @gpu_record(i64) gpu stream_ordered
  tgraph.graph @chain() -> !tgraph.event {
    %c1 = arith.constant 1 : i64
    %c2 = arith.constant 2 : i64
    %c3 = arith.constant 3 : i64
    %c4 = arith.constant 4 : i64
    %a = tgraph.task @gpu_record(%c1) : (i64)
    %b = tgraph.task @gpu_record(%c2) await(%a) : (i64)
    %c = tgraph.task @gpu_record(%c3) await(%a) : (i64) on #tgraph.proc<gpu 0, stream 1>
    %d = tgraph.task @gpu_record(%c4) await(%b, %c) : (i64)
    %j = tgraph.join %b, %c, %d
    tgraph.yield %j : !tgraph.event
  }
}
