// RUN: tgraph-opt %tgraph_src/examples/stencil.mlir --tgraph-pipeline | FileCheck %s --check-prefix=STENCIL
// RUN: tgraph-opt %tgraph_src/examples/cg_step.mlir --tgraph-pipeline="cpus=1 gpus=1 streams-per-gpu=1" | FileCheck %s --check-prefix=CG
// RUN: tgraph-opt %tgraph_src/examples/cg_step.mlir --tgraph-pipeline="gpus=1" --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: not tgraph-opt %tgraph_src/examples/cg_step.mlir --tgraph-pipeline=gpus=0 2>&1 | FileCheck %s --check-prefix=NOGPU
// RUN: tgraph-opt %s --tgraph-pipeline | tgraph-opt --tgraph-pipeline | FileCheck %s

// Tests the whole pipeline on the examples: every op is placed, every await
// has a kind, and the graph is scheduled.
// STENCIL: module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 0, streams_per_gpu = 2, copy_streams = 1>}
// STENCIL: tgraph.graph @stencil({{.*}}) -> !tgraph.event physical attributes {tgraph.scheduled}
// STENCIL-COUNT-4: tgraph.task @fill_f64({{.*}} : write, {{.*}}) await(%arg0 host) {tgraph.dep_count = 0 : i64
// STENCIL: tgraph.task @stencil3_f64({{.*}}) await(%{{.*}} host, %{{.*}} host) {tgraph.dep_count = 2 : i64
// STENCIL-NOT: tgraph.task {{.*}}await({{[^)]*}}%arg0

// CG-LABEL: tgraph.graph @cg_step
// CG: tgraph.task @axpy({{.*}}) await(%arg0 host) if %arg3 wait {{.*}} on #tgraph.proc<gpu 0, stream 0> stream_ordered
// CG: tgraph.task @norm({{.*}}) if %arg3 wait else(0.000000e+00 : f64) {{.*}} on #tgraph.proc<gpu 0, stream 0> stream_ordered
// CG: tgraph.task @check({{.*}}) await(%{{.*}} host) {{.*}} on #tgraph.proc<cpu 0>

// Tests that the pipeline is the registered sequence of passes.
// AFTER: IR Dump After VerifyContracts (tgraph-verify-contracts)
// AFTER: IR Dump After InferDependencies (tgraph-infer-deps)
// AFTER: IR Dump After ReduceDependencies (tgraph-reduce-deps)
// AFTER: IR Dump After FoldPredicates (tgraph-fold-predicates)
// AFTER: IR Dump After Canonicalizer (canonicalize)
// AFTER: IR Dump After InferStreamOrdering (tgraph-infer-stream-ordering)
// AFTER: IR Dump After AssignProcessors (tgraph-assign-processors)
// AFTER: IR Dump After MarkRunahead (tgraph-mark-runahead)
// AFTER: IR Dump After Schedule (tgraph-schedule)

// Tests that a GPU graph on a machine without GPU (the option overrides the
// module's machine) is a clear error.
// NOGPU: error: 'tgraph.task' op runs GPU kernel @axpy but the machine has no GPU

// Tests that the pipeline is idempotent on its own output.
// CHECK-LABEL: tgraph.graph @twice
// CHECK: %[[A:.*]] = tgraph.task @k(%{{.*}} : write) {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64} : {{.*}} on #tgraph.proc<cpu 0>
// CHECK: tgraph.task @k(%{{.*}} : write) await(%[[A]] host) {tgraph.dep_count = 1 : i64, tgraph.queue_pos = 1 : i64} : {{.*}} on #tgraph.proc<cpu 0>
tgraph.kernel @k(!tgraph.buffer<i32 x ?, host>) cpu
tgraph.graph @twice(%b: !tgraph.buffer<i32 x 4, host>) {
  %0 = tgraph.task @k(%b : write) : (!tgraph.buffer<i32 x 4, host>)
  %1 = tgraph.task @k(%b : write) : (!tgraph.buffer<i32 x 4, host>)
  tgraph.yield
}
