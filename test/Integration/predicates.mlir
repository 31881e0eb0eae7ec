// RUN: tgraph-run %s | FileCheck %s

tgraph.kernel @record(i64) cpu
tgraph.kernel @lt_i64(i64, i64) -> i1 cpu
tgraph.kernel @value_i64(i64) -> i64 cpu

// Tests predicates resolved at replay time from task values: the true branch
// runs, the false branch does not (its event still triggers, so the task
// after it runs), and a skipped task's result is its else value.
// CHECK: graph @branches
// CHECK: record order: 1 3{{$}}
// CHECK: result #0: 10
// CHECK: result #1: -1
tgraph.graph @branches() -> (!tgraph.value<i64>, !tgraph.value<i64>) {
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %c10 = arith.constant 10 : i64
  %e, %lt = tgraph.task @lt_i64(%c1, %c2) : (i64, i64) -> !tgraph.value<i1>
  %yes = tgraph.pred.from %lt : !tgraph.value<i1>
  %no = tgraph.pred.not %yes
  %a = tgraph.task @record(%c1) if %yes : (i64)
  %b = tgraph.task @record(%c2) if %no : (i64)
  %c = tgraph.task @record(%c3) await(%a, %b) : (i64)
  %v1e, %v1 = tgraph.task @value_i64(%c10) if %yes else(-1 : i64) : (i64) -> !tgraph.value<i64>
  %v2e, %v2 = tgraph.task @value_i64(%c10) if %no else(-1 : i64) : (i64) -> !tgraph.value<i64>
  tgraph.yield %v1, %v2 : !tgraph.value<i64>, !tgraph.value<i64>
}

// Tests constant predicates, folded away by the compiler.
// CHECK: graph @constants
// CHECK: record order: 7{{$}}
// CHECK: result #0: 5
tgraph.graph @constants() -> !tgraph.value<i64> {
  %c7 = arith.constant 7 : i64
  %c8 = arith.constant 8 : i64
  %t = tgraph.pred.const true
  %f = tgraph.pred.not %t
  %a = tgraph.task @record(%c7) if %t : (i64)
  %b = tgraph.task @record(%c8) if %f : (i64)
  %e, %v = tgraph.task @value_i64(%c8) if %f else(5 : i64) : (i64) -> !tgraph.value<i64>
  tgraph.yield %v : !tgraph.value<i64>
}
