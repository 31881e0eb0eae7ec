//===- TGraphAttrs.td - tgraph enums and attributes --------*- tablegen -*-===//
//
// Access modes, dependence kinds, predicate resolution modes, kernel targets,
// memory kinds, processor placements and the machine model.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHATTRS_TD
#define TGRAPH_DIALECT_TGRAPH_TGRAPHATTRS_TD

include "tgraph/Dialect/TGraph/TGraphDialect.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def TGraph_Target : I32Enum<"Target", "where a kernel runs", [
    I32EnumCase<"cpu", 0>, I32EnumCase<"gpu", 1>]> {
  let cppNamespace = "::mlir::tgraph";
}
def TGraph_TargetAttr : EnumAttr<TGraph_Dialect, TGraph_Target, "target"> {
  let summary = "Where a kernel runs: `cpu` (a worker thread) or `gpu` (a stream)";
}

def TGraph_MemoryKind : I32Enum<"MemoryKind", "where a buffer lives", [
    I32EnumCase<"host", 0>, I32EnumCase<"pinned", 1>, I32EnumCase<"gpu", 2>]> {
  let cppNamespace = "::mlir::tgraph";
}

def TGraph_AccessMode : I32Enum<"AccessMode", "how a task accesses a buffer", [
    I32EnumCase<"read", 0>, I32EnumCase<"write", 1>,
    I32EnumCase<"read_write", 2>, I32EnumCase<"reduce_add", 3>,
    I32EnumCase<"reduce_mul", 4>, I32EnumCase<"reduce_min", 5>,
    I32EnumCase<"reduce_max", 6>]> {
  let cppNamespace = "::mlir::tgraph";
}
def TGraph_AccessModeAttr
    : EnumAttr<TGraph_Dialect, TGraph_AccessMode, "access"> {
  let assemblyFormat = "`<` $value `>`";
  let summary = "How a task accesses one buffer operand";
  let description = [{
    `read`, `write`, `read_write`, or a reduction `reduce_add`, `reduce_mul`,
    `reduce_min`, `reduce_max` (written `reduce<add>` etc. in a task's operand
    list). Reads do not order with reads; reductions with the same operator
    commute with each other and order with everything else.

    ```mlir
    #tgraph.access<read_write>
    ```
  }];
}
def TGraph_AccessModeArrayAttr
    : TypedArrayAttrBase<TGraph_AccessModeAttr, "array of access modes">;

def TGraph_DepKind : I32Enum<"DepKind", "how a dependence is enforced", [
    I32EnumCase<"host", 0>, I32EnumCase<"device", 1>]> {
  let cppNamespace = "::mlir::tgraph";
}
def TGraph_DepKindAttr : EnumAttr<TGraph_Dialect, TGraph_DepKind, "dep"> {
  let assemblyFormat = "`<` $value `>`";
  let summary = "How a dependence is enforced: `host` or `device`";
  let description = [{
    `host`: the consumer is released when the producer has fully completed
    (host and device work). `device`: producer and consumer are both
    stream-ordered; the host releases the consumer as soon as the producer is
    issued, and the device orders them (same stream: nothing; other stream:
    an event record and a stream wait).

    ```mlir
    #tgraph.dep<device>
    ```
  }];
}
def TGraph_DepKindArrayAttr
    : TypedArrayAttrBase<TGraph_DepKindAttr, "array of dependence kinds">;

def TGraph_PredMode : I32Enum<"PredMode", "how a predicate is resolved", [
    I32EnumCase<"wait", 0>, I32EnumCase<"guarded", 1>]> {
  let cppNamespace = "::mlir::tgraph";
}
def TGraph_PredModeAttr : EnumAttr<TGraph_Dialect, TGraph_PredMode, "pred_mode"> {
  let assemblyFormat = "`<` $value `>`";
  let summary = "How a predicate is resolved: `wait` or `guarded`";
  let description = [{
    `wait`: the host resolves the predicate, then issues the op or skips it.
    `guarded`: the op is issued early and checks a device-side flag when it
    runs (a stream-ordered task, or a CUDA conditional node).

    ```mlir
    #tgraph.pred_mode<guarded>
    ```
  }];
}

def TGraph_ProcKind : I32Enum<"ProcKind", "kind of processor", [
    I32EnumCase<"cpu", 0>, I32EnumCase<"gpu", 1>]> {
  let cppNamespace = "::mlir::tgraph";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def TGraph_ProcAttr : TGraph_Attr<"Proc", "proc"> {
  let summary = "A processor placement: a CPU worker, a GPU stream or a copy stream";
  let description = [{
    `#tgraph.proc<cpu N>` is CPU worker N. `#tgraph.proc<gpu G, stream S>` is
    compute stream S of GPU G; `#tgraph.proc<gpu G, copy C>` is copy stream C
    of GPU G. N < 4096, G < 64, S and C < 256 (the machine model's bounds).

    ```mlir
    %e = tgraph.task @k() on #tgraph.proc<gpu 0, stream 1>
    ```
  }];
  let parameters = (ins "::mlir::tgraph::ProcKind":$kind, "unsigned":$index,
                        "int64_t":$stream, "bool":$copy);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    static ProcAttr getCpu(::mlir::MLIRContext *ctx, unsigned worker) {
      return get(ctx, ProcKind::cpu, worker, -1, false);
    }
    static ProcAttr getStream(::mlir::MLIRContext *ctx, unsigned gpu,
                              int64_t stream) {
      return get(ctx, ProcKind::gpu, gpu, stream, false);
    }
    static ProcAttr getCopyStream(::mlir::MLIRContext *ctx, unsigned gpu,
                                  int64_t stream) {
      return get(ctx, ProcKind::gpu, gpu, stream, true);
    }
    bool isCpu() const { return getKind() == ProcKind::cpu; }
    bool isGpu() const { return getKind() == ProcKind::gpu; }
  }];
}

def TGraph_MachineAttr : TGraph_Attr<"Machine", "machine"> {
  let summary = "A machine model: CPU workers, GPUs and streams";
  let description = [{
    The processors that `tgraph-assign-processors` may use. Put it on the
    module as `tgraph.machine`, or give the pass options instead. At most
    4096 CPU workers, 64 GPUs, 256 compute and 256 copy streams per GPU.

    ```mlir
    module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 1,
                       streams_per_gpu = 2, copy_streams = 1>} {}
    ```
  }];
  let parameters = (ins "unsigned":$cpus, "unsigned":$gpus,
                        "unsigned":$streams_per_gpu, "unsigned":$copy_streams);
  let assemblyFormat = "`<` struct(params) `>`";
  // Bounds: cpus <= 4096, gpus <= 64, streams_per_gpu and copy_streams
  // <= 256 (kMax* in TGraphDialect.h).
  let genVerifyDecl = 1;
}

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHATTRS_TD
