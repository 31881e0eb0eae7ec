// RUN: tgraph-run %s --cpus=1 --print-buffers | FileCheck %s
// RUN: tgraph-run %s --cpus=1 --print-buffers --lowering=calls | FileCheck %s
// RUN: not tgraph-run %s --lowering=bogus 2>&1 | FileCheck %s --check-prefix=BAD

// Tests both lowerings build the same graph: a graph program (the default,
// decoded by the runtime) and one call per node, argument and edge. Every
// predicate op (from, not, and, or), else values, a task-value argument, a
// graph scalar, a copy with offsets and a join; each outcome differs when
// an opcode or an operand is misread (and vs or, which predicate, ...).
// CHECK: graph @modes
// CHECK: record order: 2 3 4 7 42{{$}}
// CHECK: result #0: -5
// CHECK: result #1: 7
// CHECK: buffer #1: 0 0 9 9 0 0 0 0
// BAD: error: {{.*}}mode must be 'program' or 'calls', not 'bogus'
tgraph.kernel @record(i64) cpu
tgraph.kernel @lt_i64(i64, i64) -> i1 cpu
tgraph.kernel @value_i64(i64) -> i64 cpu
tgraph.kernel @fill_f64(!tgraph.buffer<f64 x ?, host>, i64, f64) cpu

tgraph.graph @modes(%src: !tgraph.buffer<f64 x 8, host>,
                    %dst: !tgraph.buffer<f64 x 8, host>)
    -> (!tgraph.value<i64>, !tgraph.value<i64>) {
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %c4 = arith.constant 4 : i64
  %c5 = arith.constant 5 : i64
  %c7 = arith.constant 7 : i64
  %c42 = arith.constant 42 : i64
  %c8 = arith.constant 8 : i64
  %nine = arith.constant 9.0 : f64
  %e1, %t = tgraph.task @lt_i64(%c1, %c2) : (i64, i64) -> !tgraph.value<i1>
  %e2, %f = tgraph.task @lt_i64(%c2, %c1) : (i64, i64) -> !tgraph.value<i1>
  %p = tgraph.pred.from %t : !tgraph.value<i1>
  %q = tgraph.pred.from %f : !tgraph.value<i1>
  %and = tgraph.pred.and %p, %q
  %or = tgraph.pred.or %p, %q
  %notq = tgraph.pred.not %q
  %andn = tgraph.pred.and %p, %notq
  %a = tgraph.task @record(%c1) if %and : (i64)
  %b = tgraph.task @record(%c2) if %or : (i64)
  %c = tgraph.task @record(%c3) if %notq : (i64)
  %d = tgraph.task @record(%c4) if %andn : (i64)
  %e = tgraph.task @record(%c5) if %q : (i64)
  %v1e, %v1 = tgraph.task @value_i64(%c7) if %and else(-5 : i64) : (i64) -> !tgraph.value<i64>
  %v2e, %v2 = tgraph.task @value_i64(%c7) if %or else(-6 : i64) : (i64) -> !tgraph.value<i64>
  %r = tgraph.task @record(%v2) : (!tgraph.value<i64>)
  %fill = tgraph.task @fill_f64(%src : write, %c8, %nine) : (!tgraph.buffer<f64 x 8, host>, i64, f64)
  %cp = tgraph.copy %src[2] to %dst[2] size 2 : !tgraph.buffer<f64 x 8, host> to !tgraph.buffer<f64 x 8, host>
  %j = tgraph.join %a, %b, %c, %d, %e, %r, %cp
  %last = tgraph.task @record(%c42) await(%j) : (i64)
  tgraph.yield %v1, %v2 : !tgraph.value<i64>, !tgraph.value<i64>
}
