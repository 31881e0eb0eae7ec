//===- Passes.td - tgraph passes ---------------------------*- tablegen -*-===//
//
// Every tgraph pass, in pipeline order. Each runs on the module and handles
// each tgraph.graph in it; `tgraph-pipeline` runs them all.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_TRANSFORMS_PASSES_TD
#define TGRAPH_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def VerifyContracts : Pass<"tgraph-verify-contracts", "::mlir::ModuleOp"> {
  let summary = "Checks that kernels used in graphs honour the task contract";
  let description = [{
    A task inside a compiled graph must make forward progress: its kernel
    must not block on events (`may_block`) or launch tasks (`spawns`). A GPU
    kernel that is not `stream_ordered`, or that touches its data from the
    host (`host_access`), is legal but never runs ahead: the pass reports it
    as a remark when `remarks` is set.

    Before:
    ```mlir
    tgraph.kernel @io() cpu may_block
    tgraph.graph @g() {
      %0 = tgraph.task @io()
      tgraph.yield
    }
    ```
    After: `error: 'tgraph.task' op calls kernel @io, which may block on
    events; a task in a graph must not block` with a note at the kernel.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", "false",
           "Report GPU kernels that are not eligible for runahead">,
  ];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def InferDependencies : Pass<"tgraph-infer-deps", "::mlir::ModuleOp"> {
  let summary = "Turns the logical form into explicit awaits (RAW, WAR, WAW)";
  let description = [{
    Walks each logical graph in program order and, per buffer, adds the
    awaits that sequential semantics need: read-after-write, write-after-read
    and write-after-write. Reads do not order with reads; reductions with the
    same operator commute with each other and order with everything else. A
    copy reads its source and writes its destination. A task that uses a
    `!tgraph.value` or a predicate computed from one awaits its producer.
    Only necessary edges are added (the last writers, or the readers since),
    so the output is proportional to the needed edges. Awaits already
    present are kept. The graph is marked `physical`.

    Before:
    ```mlir
    %0 = tgraph.task @w(%b : write) : (!tgraph.buffer<f32 x 4, host>)
    %1 = tgraph.task @r(%b : read) : (!tgraph.buffer<f32 x 4, host>)
    ```
    After:
    ```mlir
    %0 = tgraph.task @w(%b : write) : (!tgraph.buffer<f32 x 4, host>)
    %1 = tgraph.task @r(%b : read) await(%0) : (!tgraph.buffer<f32 x 4, host>)
    ```
  }];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def ReduceDependencies : Pass<"tgraph-reduce-deps", "::mlir::ModuleOp"> {
  let summary = "Transitive reduction of awaits; flattens joins";
  let description = [{
    Drops an await that is implied by another awaited event (it happens
    before it), drops duplicate and immediate awaits, and replaces an awaited
    join by the events it joins. Uses longest-path levels to prune: an event
    can only precede events of a higher level, so awaits of one level (every
    Task Bench pattern) cost nothing to check.

    Before:
    ```mlir
    %1 = tgraph.task @b() await(%0)
    %2 = tgraph.task @c() await(%0, %1)
    ```
    After:
    ```mlir
    %2 = tgraph.task @c() await(%1)
    ```
  }];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def FoldPredicates : Pass<"tgraph-fold-predicates", "::mlir::ModuleOp"> {
  let summary = "Folds predicates across graphs and groups ops by predicate";
  let description = [{
    Applies the predicate folds of the dialect across each graph (constants,
    not/not, and/or identities, predicates from constant values, ops
    predicated on constants), then numbers the groups of tasks and copies that
    share one predicate (`tgraph.pred_group = N`), so that lowering can turn a
    group into one host branch or one CUDA conditional node.

    Before:
    ```mlir
    %t = tgraph.pred.const true
    %q = tgraph.pred.and %p, %t
    %0 = tgraph.task @a() if %q
    %1 = tgraph.task @b() if %p
    ```
    After:
    ```mlir
    %0 = tgraph.task @a() if %p {tgraph.pred_group = 0 : i64}
    %1 = tgraph.task @b() if %p {tgraph.pred_group = 0 : i64}
    ```
  }];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def InferStreamOrdering : Pass<"tgraph-infer-stream-ordering", "::mlir::ModuleOp"> {
  let summary = "Marks tasks and copies whose effects are stream-ordered";
  let description = [{
    Marks `stream_ordered` every op whose work is queued asynchronously on a
    stream: tasks of GPU kernels declared `stream_ordered` without
    `host_access`, and copies that touch GPU memory (host to device, device
    to host, device to device) unless placed on a CPU worker. Host to host
    copies and CPU tasks run synchronously on a worker.

    Before:
    ```mlir
    %0 = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu>
    ```
    After:
    ```mlir
    %0 = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> stream_ordered
    ```
  }];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def AssignProcessors : Pass<"tgraph-assign-processors", "::mlir::ModuleOp"> {
  let summary = "Places tasks and copies on CPU workers, GPU streams and copy streams";
  let description = [{
    List scheduling in the HEFT style: ops are taken by decreasing upward
    rank (their cost plus the longest path below them) and each goes to the
    eligible processor where it finishes first, counting a transfer cost for
    edges that cross processors, so dependent chains stay on one stream.
    CPU kernels and host copies go to CPU workers, GPU kernels to compute
    streams, asynchronous copies to copy streams. Costs come from the
    kernels' `cost` (nanoseconds) or defaults; copies cost by size. Explicit
    placements are kept (and checked against the machine). Each machine
    parameter comes from its option, else from the module's `tgraph.machine`
    attribute, else the defaults (2 CPUs, no GPU, 2 streams and 1 copy
    stream per GPU); the machine used is recorded on the module. Ties are
    broken by program order, so the result is deterministic.

    The list schedule is also the queue order: each op's `tgraph.queue_pos`
    is its rank among the ops of its processor by scheduled start time
    (which need not be program order: an op with a long path below it starts
    first). A graph that already carries positions keeps them (they are the
    user's schedule; `tgraph-schedule` checks them).

    Before:
    ```mlir
    %0 = tgraph.task @k() await(%pre)
    ```
    After:
    ```mlir
    %0 = tgraph.task @k() await(%pre) {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
    ```
  }];
  let options = [
    Option<"cpus", "cpus", "int", "-1",
           "CPU workers (default: the module's tgraph.machine, else 2)">,
    Option<"gpus", "gpus", "int", "-1",
           "GPUs (default: the module's tgraph.machine, else 0)">,
    Option<"streamsPerGpu", "streams-per-gpu", "int", "-1",
           "Compute streams per GPU (default: the module's, else 2)">,
    Option<"copyStreams", "copy-streams", "int", "-1",
           "Copy streams per GPU (default: the module's, else 1)">,
  ];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def MarkRunahead : Pass<"tgraph-mark-runahead", "::mlir::ModuleOp"> {
  let summary = "Classifies each dependence as host or device";
  let description = [{
    A dependence is `device` when producer and consumer are both
    stream-ordered and placed on streams of the same GPU, inside the graph:
    the host may issue the consumer as soon as the producer is issued
    (runahead), and the device orders them (nothing on one stream, an event
    record and a stream wait across streams). Every other dependence is
    `host`: a CPU task, a non-stream-ordered task, an external precondition,
    or a predicate resolved on the host is involved. Predicated ops without a
    mode get one: `guarded` when the op is a GPU task of a stream-ordered
    kernel and its predicate comes from stream-ordered work on its GPU, else
    `wait` (copies and CPU tasks are always `wait`). These are the rules the
    runtime honours (one rule for CUDA and emulated streams); an explicit
    `guarded` that breaks them is an error.

    Before:
    ```mlir
    %0 = tgraph.task @a() await(%pre) on #tgraph.proc<gpu 0, stream 0> stream_ordered
    %1 = tgraph.task @b() await(%0) on #tgraph.proc<gpu 0, stream 1> stream_ordered
    ```
    After:
    ```mlir
    %0 = tgraph.task @a() await(%pre host) on #tgraph.proc<gpu 0, stream 0> stream_ordered
    %1 = tgraph.task @b() await(%0 device) on #tgraph.proc<gpu 0, stream 1> stream_ordered
    ```
  }];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

def Schedule : Pass<"tgraph-schedule", "::mlir::ModuleOp"> {
  let summary = "Per-processor queues, dependency counts and a deadlock check";
  let description = [{
    Gives each task and copy its position in its processor's queue
    (`tgraph.queue_pos`) and each task, copy and join its dependency count
    (`tgraph.dep_count`: the number of distinct ops of the graph it awaits;
    graph-argument events are replay preconditions and do not count), and
    marks the graph `tgraph.scheduled`. The order of positions already
    present (those `tgraph-assign-processors` writes) is kept and renumbered
    0..k-1 per processor; two ops of one queue at one position are an error;
    a processor whose ops have none gets program order (a topological
    order). The lowering hands both to the runtime, which runs the queues as
    given and checks the counts. A stream executes its queue in order, so the queues plus the
    dependences must be acyclic, or the graph deadlocks on the device: such
    a graph is rejected with an error naming the ops of the cycle.

    Before:
    ```mlir
    %0 = tgraph.task @a() await(%pre host) on #tgraph.proc<cpu 0>
    %1 = tgraph.task @b() await(%0 host) on #tgraph.proc<cpu 0>
    ```
    After:
    ```mlir
    %0 = tgraph.task @a() await(%pre host) {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
    %1 = tgraph.task @b() await(%0 host) {tgraph.dep_count = 1 : i64, tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
    ```
  }];
  let dependentDialects = ["::mlir::tgraph::TGraphDialect"];
}

#endif // TGRAPH_TRANSFORMS_PASSES_TD
