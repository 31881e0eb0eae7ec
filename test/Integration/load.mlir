// RUN: %cxx -shared -fPIC %S/Inputs/user_kernels.cpp -I%tgraph_src/include -o %t.so
// RUN: tgraph-run %s --load=%t.so | FileCheck %s
// RUN: not tgraph-run %s --load=%t.missing.so 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not tgraph-run %s 2>&1 | FileCheck %s --check-prefix=UNREGISTERED

// Tests kernels from a user library: the graph calls @triple, which only the
// loaded library registers.
// CHECK: result #0: 42
// MISSING: tgraph-run: error: cannot load {{.*}}missing.so
// UNREGISTERED: tgraph-run: error: cannot instantiate graph @g: {{.*}}triple
tgraph.kernel @triple(i64) -> i64 cpu
tgraph.graph @g() -> !tgraph.value<i64> {
  %c14 = arith.constant 14 : i64
  %e, %v = tgraph.task @triple(%c14) : (i64) -> !tgraph.value<i64>
  tgraph.yield %v : !tgraph.value<i64>
}
