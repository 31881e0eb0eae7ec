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
    and joins in the graph, which the runtime keeps as each queue's order.
    A device dependence between ops on the same stream emits nothing (the
    stream's FIFO order enforces it); across streams it is one
    `tgrt_graph_add_dep(..., device)`, which the runtime turns into an event
    record and a stream wait (never a host wait).

    Before:
    ```mlir
    %0 = tgraph.task @k(%b : write) {tgraph.dep_count = 0 : i64, ...}
           : (!tgraph.buffer<i32 x 4, host>) on #tgraph.proc<cpu 0>
    ```
    After:
    ```mlir
    %s = func.call @tgrt_graph_add_task(%g, %name, %c0, %c0, %c0, %c0, %out)
           : (!llvm.ptr, !llvm.ptr, i32, i32, i32, i32, !llvm.ptr) -> i32
    %s1 = func.call @tgrt_graph_add_arg_param(%g, %c0, %c0) : (!llvm.ptr, i32, i32) -> i32
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::cf::ControlFlowDialect"];
}

#endif // TGRAPH_CONVERSION_PASSES_TD
