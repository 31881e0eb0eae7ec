// CPU tasks, GPU tasks and copies in one graph: the host fills x, copies it
// to the GPU, two stream-ordered GPU axpys run ahead of the host on the
// device, the result comes back and a CPU task sums it. With --device=emulated
// (no GPU needed) CPU threads act as the streams; on a GPU machine the same
// graph runs on CUDA streams with a GPU implementation of gpu_axpy_f64.
!h = !tgraph.buffer<f64 x 16, host>
!d = !tgraph.buffer<f64 x 16, gpu>
module attributes {tgraph.machine = #tgraph.machine<cpus = 1, gpus = 1, streams_per_gpu = 2, copy_streams = 1>} {
  tgraph.kernel @fill_f64(!tgraph.buffer<f64 x ?, host>, i64, f64) cpu
  tgraph.kernel @gpu_axpy_f64(!tgraph.buffer<f64 x ?, gpu>, !tgraph.buffer<f64 x ?, gpu>, i64, f64) gpu stream_ordered cost 3000
  tgraph.kernel @sum_f64(!tgraph.buffer<f64 x ?, host>, i64) -> f64 cpu

  tgraph.graph @mixed(%x: !h, %y: !h, %dx: !d, %dy: !d) -> !tgraph.value<f64> {
    %n = arith.constant 16 : i64
    %one = arith.constant 1.0 : f64
    %two = arith.constant 2.0 : f64
    %0 = tgraph.task @fill_f64(%x : write, %n, %one) : (!h, i64, f64)
    %1 = tgraph.copy %x to %dx : !h to !d
    %2 = tgraph.copy %x to %dy : !h to !d
    // dy = dx + 2 dx = 3
    %3 = tgraph.task @gpu_axpy_f64(%dy : read_write, %dx : read, %n, %two) : (!d, !d, i64, f64)
    %4 = tgraph.copy %dy to %y : !d to !h
    %5, %s = tgraph.task @sum_f64(%y : read, %n) : (!h, i64) -> !tgraph.value<f64>
    tgraph.yield %s : !tgraph.value<f64>
  }
}
