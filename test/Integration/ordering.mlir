// RUN: tgraph-run %s --replays=3 | FileCheck %s
// RUN: tgraph-run %s --cpus=1 | FileCheck %s --check-prefix=ONE

tgraph.kernel @record(i64) cpu
tgraph.kernel @fill_f64(!tgraph.buffer<f64 x ?, host>, i64, f64) cpu
tgraph.kernel @sum_f64(!tgraph.buffer<f64 x ?, host>, i64) -> f64 cpu

// Tests a chain, a diamond and a dependence through a buffer (write, then
// read) executed on two workers, three replays in a row: each replay
// respects the order, and replays do not interleave.
// CHECK: runtime: 2 CPU workers, 0 GPUs, emulated streams
// CHECK: graph @order: {{[0-9]+}} nodes, 3 replays
// CHECK: record order: 1 2 3 4 {{[56] [56]}} 7 1 2 3 4 {{[56] [56]}} 7 1 2 3 4 {{[56] [56]}} 7{{$}}
// CHECK: result #0: event
// CHECK: result #1: 8
// ONE: graph @order: {{[0-9]+}} nodes, 1 replays
// ONE: record order: 1 2 3 4 {{[56] [56]}} 7{{$}}
tgraph.graph @order(%b: !tgraph.buffer<f64 x 4, host>) -> (!tgraph.event, !tgraph.value<f64>) {
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %c4 = arith.constant 4 : i64
  %c5 = arith.constant 5 : i64
  %c6 = arith.constant 6 : i64
  %c7 = arith.constant 7 : i64
  %two = arith.constant 2.0 : f64
  %r1 = tgraph.task @record(%c1) : (i64)
  %r2 = tgraph.task @record(%c2) await(%r1) : (i64)
  %r3 = tgraph.task @record(%c3) await(%r2) : (i64)
  %r4 = tgraph.task @record(%c4) await(%r3) : (i64)
  %r5 = tgraph.task @record(%c5) await(%r4) : (i64)
  %r6 = tgraph.task @record(%c6) await(%r4) : (i64)
  %r7 = tgraph.task @record(%c7) await(%r5, %r6) : (i64)
  // Program order + access modes: the sum reads what the fill wrote.
  %f = tgraph.task @fill_f64(%b : write, %c4, %two) await(%r7) : (!tgraph.buffer<f64 x 4, host>, i64, f64)
  %s, %v = tgraph.task @sum_f64(%b : read, %c4) : (!tgraph.buffer<f64 x 4, host>, i64) -> !tgraph.value<f64>
  tgraph.yield %s, %v : !tgraph.event, !tgraph.value<f64>
}
