// A 4-point, 3-step stencil on one GPU with two streams, a copy in and
// out, and a host check: the source of stencil.png (docs/graphviz.md).
tgraph.kernel @stencil(i64, i64) gpu stream_ordered
tgraph.kernel @check() -> i1 cpu
tgraph.graph @stencil_step(%pre: !tgraph.event, %hx: !tgraph.buffer<f32 x 4096, host>,
                           %dx: !tgraph.buffer<f32 x 4096, gpu>) -> !tgraph.event physical {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %up = tgraph.copy %hx to %dx await(%pre host)
          : !tgraph.buffer<f32 x 4096, host> to !tgraph.buffer<f32 x 4096, gpu>
          on #tgraph.proc<gpu 0, copy 0> stream_ordered
  %t0_0 = tgraph.task @stencil(%c0, %c0) await(%up device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %t0_1 = tgraph.task @stencil(%c0, %c1) await(%up device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %t0_2 = tgraph.task @stencil(%c0, %c2) await(%up device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %t0_3 = tgraph.task @stencil(%c0, %c3) await(%up device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %t1_0 = tgraph.task @stencil(%c1, %c0) await(%t0_0 device, %t0_1 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %t1_1 = tgraph.task @stencil(%c1, %c1) await(%t0_0 device, %t0_1 device, %t0_2 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %t1_2 = tgraph.task @stencil(%c1, %c2) await(%t0_1 device, %t0_2 device, %t0_3 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %t1_3 = tgraph.task @stencil(%c1, %c3) await(%t0_2 device, %t0_3 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %t2_0 = tgraph.task @stencil(%c2, %c0) await(%t1_0 device, %t1_1 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %t2_1 = tgraph.task @stencil(%c2, %c1) await(%t1_0 device, %t1_1 device, %t1_2 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %t2_2 = tgraph.task @stencil(%c2, %c2) await(%t1_1 device, %t1_2 device, %t1_3 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %t2_3 = tgraph.task @stencil(%c2, %c3) await(%t1_2 device, %t1_3 device) : (i64, i64)
          on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %down = tgraph.copy %dx to %hx await(%t2_0 device, %t2_1 device, %t2_2 device, %t2_3 device)
          : !tgraph.buffer<f32 x 4096, gpu> to !tgraph.buffer<f32 x 4096, host>
          on #tgraph.proc<gpu 0, copy 1> stream_ordered
  %ok, %good = tgraph.task @check() await(%down host) : () -> !tgraph.value<i1>
          on #tgraph.proc<cpu 0>
  tgraph.yield %ok : !tgraph.event
}
