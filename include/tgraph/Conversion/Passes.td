//===- Passes.td - tgraph conversion passes ----------------*- tablegen -*-===//
//
// Lowering of scheduled tgraph graphs to calls into the runtime C ABI.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_CONVERSION_PASSES_TD
#define TGRAPH_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTGraphToRuntime
    : Pass<"convert-tgraph-to-runtime", "::mlir::ModuleOp"> {
  let summary = "Lowers scheduled graphs to calls into the tgrt C ABI";
  let description = [{
    Replaces each scheduled `tgraph.graph @g` by a function
    `@tgraph_instantiate_g(%runtime: !llvm.ptr) -> !llvm.ptr` that builds the
    graph once through `tgrt.h` (`tgrt_graph_create`, `tgrt_graph_add_task`,
    `tgrt_graph_add_dep`, ..., `tgrt_graph_finalize`) and returns its handle,
    or null when the runtime refused it (`tgrt_last_error()` says why). Each
    replay is then one `tgrt_graph_replay` call. Only the runtime symbols
    used are declared; kernels are referenced by name.

    The graph's non-event arguments become the replay parameters, in order
    (buffers as pointers, scalars as 64-bit words); its event arguments are
    the replay's preconditions. Node ids follow the order of tasks, copies
    and joins in the graph.

    The compiler decides, the lowering carries: the graph must be scheduled
    (`tgraph.scheduled`); each task and copy gets its `tgraph.queue_pos`
    (`tgrt_graph_set_queue_pos`; the positions of each processor must be
    0..k-1) and each op its `tgraph.dep_count` (`tgrt_graph_expect_deps`),
    which must equal the number of distinct ops of the graph it awaits: one
    `tgrt_graph_add_dep` each, with the kind `tgraph-mark-runahead` chose.
    A device dependence on the same stream costs the device nothing (FIFO
    order); across streams the runtime turns it into an event record and a
    stream wait (never a host wait). A device dependence or a `guarded`
    predicate that the runtime cannot honour is an error here, on the op.

    By default (`mode=program`) those calls are not emitted one by one but
    encoded as a *graph program*: constant bytes (an opcode per call, then
    its operands, each number as unsigned LEB128; `tgrt_program_op` in
    `tgrt.h`) and a table of kernel names, run by one `tgrt_graph_build`
    call. A graph of a million ops is
    then a constant array rather than a million calls of straight-line code,
    which LLVM takes minutes to compile. `mode=calls` emits the calls
    themselves (readable; what the example below shows).

    Before:
    ```mlir
    %0 = tgraph.task @k(%b : write) {tgraph.dep_count = 0 : i64,
                                     tgraph.queue_pos = 0 : i64}
           : (!tgraph.buffer<i32 x 4, host>) on #tgraph.proc<cpu 0>
    ```
    After:
    ```mlir
    %s = func.call @tgrt_graph_add_task(%g, %name, %c0, %c0, %c0, %c0, %out)
           : (!llvm.ptr, !llvm.ptr, i32, i32, i32, i32, !llvm.ptr) -> i32
    %s1 = func.call @tgrt_graph_set_queue_pos(%g, %c0, %c0) : (!llvm.ptr, i32, i32) -> i32
    %s2 = func.call @tgrt_graph_add_arg_param(%g, %c0, %c0) : (!llvm.ptr, i32, i32) -> i32
    %s3 = func.call @tgrt_graph_expect_deps(%g, %c0, %c0) : (!llvm.ptr, i32, i32) -> i32
    ```
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"program\"",
           "How the instantiate function builds the graph: 'program' (one "
           "tgrt_graph_build call running a constant program: the code LLVM "
           "compiles does not grow with the graph) or 'calls' (one tgrt "
           "call per node, argument and edge: readable IR)">
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::cf::ControlFlowDialect"];
}

#endif // TGRAPH_CONVERSION_PASSES_TD
