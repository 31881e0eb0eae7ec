// One step of a conjugate-gradient-like solver: GPU work predicated on
// "not yet converged", a CPU task that checks convergence. The module names
// the machine it is compiled for.
module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 1, streams_per_gpu = 2, copy_streams = 1>} {
tgraph.kernel @axpy(!tgraph.buffer<f64 x ?, gpu>, !tgraph.buffer<f64 x ?, gpu>, f64) gpu stream_ordered cost 5000
tgraph.kernel @norm(!tgraph.buffer<f64 x ?, gpu>) -> f64 gpu stream_ordered cost 3000
tgraph.kernel @check(f64, f64) -> i1 cpu cost 100

tgraph.graph @cg_step(%pre: !tgraph.event, %x: !tgraph.buffer<f64 x 4096, gpu>,
                      %r: !tgraph.buffer<f64 x 4096, gpu>, %go: !tgraph.pred,
                      %alpha: f64, %tol: f64) -> (!tgraph.event, !tgraph.pred) {
  %0 = tgraph.task @axpy(%x : read_write, %r : read, %alpha) await(%pre) if %go
         : (!tgraph.buffer<f64 x 4096, gpu>, !tgraph.buffer<f64 x 4096, gpu>, f64)
  %1, %n = tgraph.task @norm(%r : read) if %go else(0.0 : f64)
         : (!tgraph.buffer<f64 x 4096, gpu>) -> !tgraph.value<f64>
  %2, %c = tgraph.task @check(%n, %tol) : (!tgraph.value<f64>, f64) -> !tgraph.value<i1>
  %p = tgraph.pred.from %c : !tgraph.value<i1>
  %done = tgraph.join %0, %1, %2
  tgraph.yield %done, %p : !tgraph.event, !tgraph.pred
}
}
