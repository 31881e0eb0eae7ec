// A 1-D stencil over 4 points and 3 timesteps in the logical form: each
// point reads its neighbours from the previous step (double-buffered) and
// writes its own value. `tgraph-opt --tgraph-pipeline` turns it into per-worker
// queues with explicit awaits.
!buf = !tgraph.buffer<f64 x 64, host>
tgraph.kernel @init(!tgraph.buffer<f64 x ?, host>) cpu cost 500
tgraph.kernel @step(!tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>,
                    !tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>) cpu cost 2000

tgraph.graph @stencil(%pre: !tgraph.event,
                      %a0: !buf, %a1: !buf, %a2: !buf, %a3: !buf,
                      %b0: !buf, %b1: !buf, %b2: !buf, %b3: !buf) -> !tgraph.event {
  %i0 = tgraph.task @init(%a0 : write) await(%pre) : (!buf)
  %i1 = tgraph.task @init(%a1 : write) await(%pre) : (!buf)
  %i2 = tgraph.task @init(%a2 : write) await(%pre) : (!buf)
  %i3 = tgraph.task @init(%a3 : write) await(%pre) : (!buf)
  // step 1: a -> b
  %s10 = tgraph.task @step(%a0 : read, %a0 : read, %a1 : read, %b0 : write) : (!buf, !buf, !buf, !buf)
  %s11 = tgraph.task @step(%a0 : read, %a1 : read, %a2 : read, %b1 : write) : (!buf, !buf, !buf, !buf)
  %s12 = tgraph.task @step(%a1 : read, %a2 : read, %a3 : read, %b2 : write) : (!buf, !buf, !buf, !buf)
  %s13 = tgraph.task @step(%a2 : read, %a3 : read, %a3 : read, %b3 : write) : (!buf, !buf, !buf, !buf)
  // step 2: b -> a
  %s20 = tgraph.task @step(%b0 : read, %b0 : read, %b1 : read, %a0 : write) : (!buf, !buf, !buf, !buf)
  %s21 = tgraph.task @step(%b0 : read, %b1 : read, %b2 : read, %a1 : write) : (!buf, !buf, !buf, !buf)
  %s22 = tgraph.task @step(%b1 : read, %b2 : read, %b3 : read, %a2 : write) : (!buf, !buf, !buf, !buf)
  %s23 = tgraph.task @step(%b2 : read, %b3 : read, %b3 : read, %a3 : write) : (!buf, !buf, !buf, !buf)
  // step 3: a -> b
  %s30 = tgraph.task @step(%a0 : read, %a0 : read, %a1 : read, %b0 : write) : (!buf, !buf, !buf, !buf)
  %s31 = tgraph.task @step(%a0 : read, %a1 : read, %a2 : read, %b1 : write) : (!buf, !buf, !buf, !buf)
  %s32 = tgraph.task @step(%a1 : read, %a2 : read, %a3 : read, %b2 : write) : (!buf, !buf, !buf, !buf)
  %s33 = tgraph.task @step(%a2 : read, %a3 : read, %a3 : read, %b3 : write) : (!buf, !buf, !buf, !buf)
  %done = tgraph.join %s30, %s31, %s32, %s33
  tgraph.yield %done : !tgraph.event
}
