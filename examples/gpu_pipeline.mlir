// An all-GPU graph: the input is copied to the GPU twice, two stream-ordered
// axpys run on two streams, and both results come back, every op on the
// streams of one GPU with only device dependences. The runtime issues it
// from one thread and, since tgraph-run's GPU built-ins are capturable,
// replays it as a recorded device graph (a CUDA graph on a GPU; an op list
// on emulated streams) from its second replay on.
//   tgraph-run examples/gpu_pipeline.mlir --device=emulated --replays=10
// y = x + 2x = 3x and z = x + x = 2x, every replay.
!h = !tgraph.buffer<f64 x 1024, host>
!d = !tgraph.buffer<f64 x 1024, gpu>
module attributes {tgraph.machine = #tgraph.machine<cpus = 1, gpus = 1, streams_per_gpu = 2, copy_streams = 1>} {
  tgraph.kernel @gpu_axpy_f64(!tgraph.buffer<f64 x ?, gpu>, !tgraph.buffer<f64 x ?, gpu>, i64, f64) gpu stream_ordered cost 3000

  tgraph.graph @pipeline(%x: !h, %y: !h, %z: !h, %dx: !d, %dy: !d, %dz: !d) {
    %n = arith.constant 1024 : i64
    %one = arith.constant 1.0 : f64
    %two = arith.constant 2.0 : f64
    %0 = tgraph.copy %x to %dx : !h to !d
    %1 = tgraph.copy %x to %dy : !h to !d
    %2 = tgraph.copy %x to %dz : !h to !d
    %3 = tgraph.task @gpu_axpy_f64(%dy : read_write, %dx : read, %n, %two) : (!d, !d, i64, f64)
    %4 = tgraph.task @gpu_axpy_f64(%dz : read_write, %dx : read, %n, %one) : (!d, !d, i64, f64)
    %5 = tgraph.copy %dy to %y : !d to !h
    %6 = tgraph.copy %dz to %z : !d to !h
    tgraph.yield
  }
}
