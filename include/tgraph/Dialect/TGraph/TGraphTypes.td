//===- TGraphTypes.td - tgraph types -----------------------*- tablegen -*-===//
//
// Events, predicates, buffers and values (futures).
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHTYPES_TD
#define TGRAPH_DIALECT_TGRAPH_TGRAPHTYPES_TD

include "tgraph/Dialect/TGraph/TGraphAttrs.td"

def TGraph_EventType : TGraph_Type<"Event", "event"> {
  let summary = "A completion token";
  let description = [{
    An event triggers once when the op that produced it has completed (host
    and device work). Graph block arguments of this type are per-replay
    external preconditions.

    ```mlir
    %e = tgraph.task @k() await(%pre)
    ```
  }];
}

def TGraph_PredType : TGraph_Type<"Pred", "pred"> {
  let summary = "A predicate that guards tasks and copies";
  let description = [{
    A boolean resolved at replay time. A task or copy predicated on a false
    predicate does not run, but its event still triggers after its awaited
    events, and its values take their `else` values.

    ```mlir
    %p = tgraph.pred.from %converged : !tgraph.value<i1>
    ```
  }];
}

def TGraph_BufferType : TGraph_Type<"Buffer", "buffer"> {
  let summary = "A data instance: element type, element count, memory kind";
  let description = [{
    `!tgraph.buffer<ELEM x N, MEM>` holds N elements of ELEM in memory MEM
    (`host`, `pinned` or `gpu`). In a kernel declaration N may be `?`: the
    kernel accepts a buffer of any size.

    ```mlir
    !tgraph.buffer<f64 x 4096, gpu>
    !tgraph.buffer<i32 x ?, host>
    ```
  }];
  let parameters = (ins "::mlir::Type":$elementType, "int64_t":$size,
                        "::mlir::tgraph::MemoryKind":$memory);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    static constexpr int64_t kDynamic = -1;
    bool isDynamic() const { return getSize() == kDynamic; }
    bool isOnGpu() const { return getMemory() == MemoryKind::gpu; }
    /// Whether a value of `actual` type may be passed where this type is
    /// declared: same element type and memory, same size unless this is `?`.
    bool accepts(BufferType actual) const;
    /// Bytes one element takes in memory (`index` is 64-bit, as in the
    /// runtime's words).
    int64_t getElementBytes() const;
  }];
}

def TGraph_ValueType : TGraph_Type<"Value", "value"> {
  let summary = "A future: a scalar that a task returns";
  let description = [{
    A task returns one `!tgraph.value<T>` per result of its kernel. Values are
    passed to later tasks, turned into predicates, or yielded from a graph.

    ```mlir
    %e, %n = tgraph.task @norm(%x : read) : (!tgraph.buffer<f64 x 8, host>)
               -> !tgraph.value<f64>
    ```
  }];
  let parameters = (ins "::mlir::Type":$type);
  let assemblyFormat = "`<` $type `>`";
}

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHTYPES_TD
