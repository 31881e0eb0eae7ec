// A 1-D stencil over 4 points and 3 timesteps in the logical form: each
// point reads itself and its neighbours (clamped) from the previous step
// (double-buffered: a -> b -> a -> b) and writes its own value. The compiler
// infers the dependences from the access modes; `tgraph-run` replays it.
// Point values start at 0, 3, 6, 9.
!buf = !tgraph.buffer<f64 x 1, host>
tgraph.kernel @fill_f64(!tgraph.buffer<f64 x ?, host>, i64, f64) cpu cost 500
tgraph.kernel @stencil3_f64(!tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>,
                            !tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>) cpu cost 2000

tgraph.graph @stencil(%pre: !tgraph.event,
                      %a0: !buf, %a1: !buf, %a2: !buf, %a3: !buf,
                      %b0: !buf, %b1: !buf, %b2: !buf, %b3: !buf) -> !tgraph.event {
  %one = arith.constant 1 : i64
  %v0 = arith.constant 0.0 : f64
  %v1 = arith.constant 3.0 : f64
  %v2 = arith.constant 6.0 : f64
  %v3 = arith.constant 9.0 : f64
  %i0 = tgraph.task @fill_f64(%a0 : write, %one, %v0) await(%pre) : (!buf, i64, f64)
  %i1 = tgraph.task @fill_f64(%a1 : write, %one, %v1) await(%pre) : (!buf, i64, f64)
  %i2 = tgraph.task @fill_f64(%a2 : write, %one, %v2) await(%pre) : (!buf, i64, f64)
  %i3 = tgraph.task @fill_f64(%a3 : write, %one, %v3) await(%pre) : (!buf, i64, f64)
  // step 1: a -> b
  %s10 = tgraph.task @stencil3_f64(%a0 : read, %a0 : read, %a1 : read, %b0 : write) : (!buf, !buf, !buf, !buf)
  %s11 = tgraph.task @stencil3_f64(%a0 : read, %a1 : read, %a2 : read, %b1 : write) : (!buf, !buf, !buf, !buf)
  %s12 = tgraph.task @stencil3_f64(%a1 : read, %a2 : read, %a3 : read, %b2 : write) : (!buf, !buf, !buf, !buf)
  %s13 = tgraph.task @stencil3_f64(%a2 : read, %a3 : read, %a3 : read, %b3 : write) : (!buf, !buf, !buf, !buf)
  // step 2: b -> a
  %s20 = tgraph.task @stencil3_f64(%b0 : read, %b0 : read, %b1 : read, %a0 : write) : (!buf, !buf, !buf, !buf)
  %s21 = tgraph.task @stencil3_f64(%b0 : read, %b1 : read, %b2 : read, %a1 : write) : (!buf, !buf, !buf, !buf)
  %s22 = tgraph.task @stencil3_f64(%b1 : read, %b2 : read, %b3 : read, %a2 : write) : (!buf, !buf, !buf, !buf)
  %s23 = tgraph.task @stencil3_f64(%b2 : read, %b3 : read, %b3 : read, %a3 : write) : (!buf, !buf, !buf, !buf)
  // step 3: a -> b
  %s30 = tgraph.task @stencil3_f64(%a0 : read, %a0 : read, %a1 : read, %b0 : write) : (!buf, !buf, !buf, !buf)
  %s31 = tgraph.task @stencil3_f64(%a0 : read, %a1 : read, %a2 : read, %b1 : write) : (!buf, !buf, !buf, !buf)
  %s32 = tgraph.task @stencil3_f64(%a1 : read, %a2 : read, %a3 : read, %b2 : write) : (!buf, !buf, !buf, !buf)
  %s33 = tgraph.task @stencil3_f64(%a2 : read, %a3 : read, %a3 : read, %b3 : write) : (!buf, !buf, !buf, !buf)
  %done = tgraph.join %s30, %s31, %s32, %s33
  tgraph.yield %done : !tgraph.event
}
