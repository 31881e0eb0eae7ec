// RUN: not tgraph-run %s --replays=2 | FileCheck %s

tgraph.kernel @record(i64) cpu
tgraph.kernel @fail() cpu

// Tests a failing task: the replay reports the failure and its message,
// the task's dependents do not run, independent work does, and nothing
// hangs; the next replay runs (and fails) the same way.
// CHECK: graph @failing: {{[0-9]+}} nodes, 2 replays, FAILED: {{.*}}task 'fail' (node {{[0-9]+}}) failed: the task failed on purpose
// CHECK: record order: 1 1{{$}}
tgraph.graph @failing() {
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %f = tgraph.task @fail()
  %a = tgraph.task @record(%c1) : (i64)
  %b = tgraph.task @record(%c2) await(%f) : (i64)
  tgraph.yield
}
