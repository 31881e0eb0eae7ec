// RUN: tgraph-run %s --print-buffers | FileCheck %s

tgraph.kernel @fill_f64(!tgraph.buffer<f64 x ?, host>, i64, f64) cpu
tgraph.kernel @lt_i64(i64, i64) -> i1 cpu

// Tests copies: a whole-buffer copy, a copy with offsets and a size, and a
// copy predicated false that leaves its destination alone.
// CHECK: graph @copies
// CHECK: buffer #0: 3 3 3 3{{$}}
// CHECK: buffer #1: 3 3 3 3{{$}}
// CHECK: buffer #2: 0 3 3 0{{$}}
// CHECK: buffer #3: 0 0 0 0{{$}}
tgraph.graph @copies(%a: !tgraph.buffer<f64 x 4, host>, %b: !tgraph.buffer<f64 x 4, host>,
                     %c: !tgraph.buffer<f64 x 4, host>, %d: !tgraph.buffer<f64 x 4, host>) {
  %n = arith.constant 4 : i64
  %x = arith.constant 3.0 : f64
  %c1 = arith.constant 1 : i64
  %0 = tgraph.task @fill_f64(%a : write, %n, %x) : (!tgraph.buffer<f64 x 4, host>, i64, f64)
  %1 = tgraph.copy %a to %b : !tgraph.buffer<f64 x 4, host> to !tgraph.buffer<f64 x 4, host>
  %2 = tgraph.copy %b[0] to %c[1] size 2 : !tgraph.buffer<f64 x 4, host> to !tgraph.buffer<f64 x 4, host>
  %e, %lt = tgraph.task @lt_i64(%c1, %c1) : (i64, i64) -> !tgraph.value<i1>
  %p = tgraph.pred.from %lt : !tgraph.value<i1>
  %3 = tgraph.copy %a to %d if %p : !tgraph.buffer<f64 x 4, host> to !tgraph.buffer<f64 x 4, host>
  tgraph.yield
}
