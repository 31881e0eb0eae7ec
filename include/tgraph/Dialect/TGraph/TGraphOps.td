//===- TGraphOps.td - tgraph operations --------------------*- tablegen -*-===//
//
// Kernel declarations, graphs, tasks, copies, joins, events, host waits,
// predicates and constant values. This file includes every other .td of the
// dialect, so the generated documentation covers the whole dialect.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHOPS_TD
#define TGRAPH_DIALECT_TGRAPH_TGRAPHOPS_TD

include "tgraph/Dialect/TGraph/TGraphDialect.td"
include "tgraph/Dialect/TGraph/TGraphAttrs.td"
include "tgraph/Dialect/TGraph/TGraphTypes.td"
include "tgraph/Dialect/TGraph/TGraphInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"

// Tasks and copies read and write buffers that the graph's caller owns. One
// resource for all of them keeps them ordered against each other and keeps
// them alive through DCE and CSE.
def TGraph_BufferResource : Resource<"::mlir::tgraph::BufferResource">;

def TGraph_ScalarType : AnyTypeOf<[AnySignlessInteger, AnyFloat, Index],
                                  "integer, float or index">;

//===----------------------------------------------------------------------===//
// tgraph.kernel
//===----------------------------------------------------------------------===//

def TGraph_KernelOp : TGraph_Op<"kernel", [Symbol]> {
  let summary = "Declares a task implementation and its contract";
  let description = [{
    Declares a kernel that tasks call by name, its signature and its
    *contract*:

    * target `cpu` (runs on a worker thread) or `gpu` (enqueues work on the
      CUDA stream it is given);
    * `stream_ordered`: all of its device work is queued on the stream it is
      given, so a successor may be issued before it completes (runahead);
    * `host_access`: it touches its data from the host;
    * `may_block`: it may block on events;
    * `spawns`: it may launch further tasks;
    * `cost N`: an estimate of its run time in nanoseconds, for the scheduler.

    A kernel used inside a graph must not block or spawn (checked by
    `tgraph-verify-contracts`). Buffer parameters may have size `?`; scalar
    parameters accept a scalar or a `!tgraph.value` of that type. Each kernel
    result becomes a `!tgraph.value` result of the task.

    ```mlir
    tgraph.kernel @axpy(!tgraph.buffer<f64 x ?, gpu>, !tgraph.buffer<f64 x ?, gpu>, f64) gpu stream_ordered
    tgraph.kernel @norm(!tgraph.buffer<f64 x ?, gpu>) -> f64 gpu stream_ordered cost 2000
    tgraph.kernel @check(f64) -> i1 cpu
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       TGraph_TargetAttr:$target, UnitAttr:$stream_ordered,
                       UnitAttr:$host_access, UnitAttr:$may_block,
                       UnitAttr:$spawns, OptionalAttr<I64Attr>:$cost);
  let assemblyFormat = [{
    $sym_name `` custom<KernelSignature>($function_type, $target)
    (`stream_ordered` $stream_ordered^)? (`host_access` $host_access^)?
    (`may_block` $may_block^)? (`spawns` $spawns^)? (`cost` $cost^)? attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    bool isGpu() { return getTarget() == Target::gpu; }
    /// Runahead-eligible: a stream-ordered GPU kernel that leaves its data
    /// alone on the host.
    bool isRunaheadEligible() {
      return isGpu() && getStreamOrdered() && !getHostAccess();
    }
  }];
}

//===----------------------------------------------------------------------===//
// tgraph.graph and tgraph.yield
//===----------------------------------------------------------------------===//

def TGraph_GraphOp : TGraph_Op<"graph", [
    IsolatedFromAbove, FunctionOpInterface,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "A replayable task graph";
  let description = [{
    A graph is compiled once and replayed many times. Its block arguments are
    the per-replay interpolations: external preconditions
    (`!tgraph.event`), buffers, scalars and predicates. Its results are
    postconditions: events, values and predicates.

    In the logical form the body lists tasks and copies in program order; the
    meaning is sequential execution. After `tgraph-infer-deps` the graph
    carries the `physical` attribute and every dependence is an explicit
    await.

    ```mlir
    tgraph.graph @g(%pre: !tgraph.event, %b: !tgraph.buffer<f32 x 16, host>)
        -> !tgraph.event {
      %0 = tgraph.task @fill(%b : write) await(%pre)
             : (!tgraph.buffer<f32 x 16, host>)
      tgraph.yield %0 : !tgraph.event
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       OptionalAttr<StrAttr>:$sym_visibility,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs,
                       UnitAttr:$physical);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name,
                                 "::mlir::FunctionType":$type)>];
  let extraClassDeclaration = [{
    ::mlir::Region *getCallableRegion() { return &getBody(); }
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def TGraph_YieldOp : TGraph_Op<"yield", [
    Pure, HasParent<"GraphOp">, ReturnLike, Terminator]> {
  let summary = "Returns a graph's postconditions";
  let description = [{
    Terminates a `tgraph.graph`; its operands must match the graph's result
    types.

    ```mlir
    tgraph.yield %done, %p : !tgraph.event, !tgraph.pred
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$operands);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($operands^ `:` type($operands))?";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// tgraph.task and tgraph.copy
//===----------------------------------------------------------------------===//

def TGraph_TaskOp : TGraph_Op<"task", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>,
    DeclareOpInterfaceMethods<TGraph_AwaitOpInterface>,
    DeclareOpInterfaceMethods<TGraph_PredicatedOpInterface>,
    TGraph_PlacedOpInterface,
    MemoryEffects<[MemRead<TGraph_BufferResource>,
                   MemWrite<TGraph_BufferResource>]>]> {
  let summary = "Runs a kernel on buffers, scalars and values";
  let description = [{
    Calls kernel `@k` with its operands. Each buffer operand carries an
    access mode: `read`, `write`, `read_write` or `reduce<add|mul|min|max>`.
    Scalar operands and `!tgraph.value` operands carry none.

    * `await(%e, ...)`: events that must trigger before the task starts; after
      `tgraph-mark-runahead` each one carries its kind, `host` or `device`.
    * `if %p [guarded] else(attrs)`: predication; when `%p` is false the task
      does not run, its event triggers after its awaits, and each value result
      takes the matching `else` value.
    * `on #tgraph.proc<...>`: placement, written last (after the types).

    The first result is the task's completion event; one `!tgraph.value`
    follows per kernel result. The trailing type list gives the operand types
    and, after `->`, the value result types.

    ```mlir
    %e0 = tgraph.task @axpy(%x : read_write, %r : read, %a) await(%pre)
            : (!tgraph.buffer<f64 x 4096, gpu>, !tgraph.buffer<f64 x 4096, gpu>, f64)
            on #tgraph.proc<gpu 0, stream 0>
    %e1, %n = tgraph.task @norm(%r : read) await(%e0 device) if %go else(0.0 : f64)
            : (!tgraph.buffer<f64 x 4096, gpu>) -> !tgraph.value<f64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$kernel, Variadic<AnyType>:$args,
                       Variadic<TGraph_EventType>:$awaits,
                       Optional<TGraph_PredType>:$pred,
                       OptionalAttr<TGraph_AccessModeArrayAttr>:$access,
                       OptionalAttr<TGraph_DepKindArrayAttr>:$dep_kinds,
                       OptionalAttr<ArrayAttr>:$else_values,
                       OptionalAttr<TGraph_PredModeAttr>:$pred_mode,
                       OptionalAttr<TGraph_ProcAttr>:$placement,
                       UnitAttr:$stream_ordered);
  let results = (outs TGraph_EventType:$done,
                      Variadic<TGraph_ValueType>:$values);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// The access mode of each argument (none for non-buffers), in one
    /// pass over the arguments.
    ::llvm::SmallVector<std::optional<AccessMode>> getAccessModes();
    /// Sets the awaited events and their kinds (null `kinds`: none).
    void setAwaits(::mlir::ValueRange events, ::mlir::ArrayAttr kinds);
  }];
}

def TGraph_CopyOp : TGraph_Op<"copy", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<TGraph_AwaitOpInterface>,
    DeclareOpInterfaceMethods<TGraph_PredicatedOpInterface>,
    TGraph_PlacedOpInterface,
    MemoryEffects<[MemRead<TGraph_BufferResource>,
                   MemWrite<TGraph_BufferResource>]>]> {
  let summary = "Copies elements from one buffer to another";
  let description = [{
    Reads `size` elements of `%src` starting at element `src_offset` and
    writes them to `%dst` starting at `dst_offset`. Without `size` the two
    buffers must have the same number of elements and the whole buffer is
    copied. A copy between host and GPU memory, or between GPU buffers, is
    asynchronous (stream-ordered) work. Awaits, predicates and placement work
    as for `tgraph.task`; a predicated-false copy moves nothing and still
    completes.

    ```mlir
    %e = tgraph.copy %h[0] to %d[128] size 64 await(%pre)
           : !tgraph.buffer<f32 x 256, host> to !tgraph.buffer<f32 x 256, gpu>
           on #tgraph.proc<gpu 0, copy 0>
    ```
  }];
  let arguments = (ins TGraph_BufferType:$src, TGraph_BufferType:$dst,
                       Variadic<TGraph_EventType>:$awaits,
                       Optional<TGraph_PredType>:$pred,
                       OptionalAttr<I64Attr>:$src_offset,
                       OptionalAttr<I64Attr>:$dst_offset,
                       OptionalAttr<I64Attr>:$size,
                       OptionalAttr<TGraph_DepKindArrayAttr>:$dep_kinds,
                       OptionalAttr<TGraph_PredModeAttr>:$pred_mode,
                       OptionalAttr<TGraph_ProcAttr>:$placement,
                       UnitAttr:$stream_ordered);
  let results = (outs TGraph_EventType:$done);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// Number of elements moved.
    int64_t getNumElements();
    void setAwaits(::mlir::ValueRange events, ::mlir::ArrayAttr kinds);
  }];
}

//===----------------------------------------------------------------------===//
// Events
//===----------------------------------------------------------------------===//

def TGraph_JoinOp : TGraph_Op<"join", [
    Pure, DeclareOpInterfaceMethods<TGraph_AwaitOpInterface>]> {
  let summary = "Merges events into one";
  let description = [{
    The result triggers when all operands have triggered. A join of one
    event is that event; immediate events are dropped; nested joins are
    flattened; a join of nothing is an immediate event.

    ```mlir
    %all = tgraph.join %a, %b, %c
    ```
  }];
  let arguments = (ins Variadic<TGraph_EventType>:$events);
  let results = (outs TGraph_EventType:$done);
  let assemblyFormat = "$events attr-dict";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def TGraph_ImmediateOp : TGraph_Op<"event.immediate", [Pure]> {
  let summary = "An event that has already triggered";
  let description = [{
    Awaiting an immediate event is a no-op; canonicalization drops it from
    joins and awaits.

    ```mlir
    %e = tgraph.event.immediate
    ```
  }];
  let results = (outs TGraph_EventType:$done);
  let assemblyFormat = "attr-dict";
}

def TGraph_WaitOp : TGraph_Op<"wait"> {
  let summary = "Blocks the host until an event has triggered";
  let description = [{
    The only host-blocking op. It is allowed only outside graphs: a task in a
    graph must never block (forward progress).

    ```mlir
    tgraph.wait %done
    ```
  }];
  let arguments = (ins TGraph_EventType:$event);
  let assemblyFormat = "$event attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Predicates and values
//===----------------------------------------------------------------------===//

def TGraph_PredConstOp : TGraph_Op<"pred.const", [ConstantLike, Pure]> {
  let summary = "A constant predicate";
  let description = [{
    ```mlir
    %t = tgraph.pred.const true
    ```
  }];
  let arguments = (ins BoolAttr:$value);
  let results = (outs TGraph_PredType:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
}

def TGraph_PredFromOp : TGraph_Op<"pred.from", [Pure]> {
  let summary = "A predicate from a boolean value";
  let description = [{
    Turns a task's `!tgraph.value<i1>` (or an `i1` scalar) into a predicate.
    The predicate resolves when the producing task completes.

    ```mlir
    %p = tgraph.pred.from %not_converged : !tgraph.value<i1>
    ```
  }];
  let arguments = (ins AnyTypeOf<[I1, TGraph_ValueType]>:$input);
  let results = (outs TGraph_PredType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TGraph_PredNotOp : TGraph_Op<"pred.not", [Pure]> {
  let summary = "Negates a predicate";
  let description = [{
    ```mlir
    %q = tgraph.pred.not %p
    ```
  }];
  let arguments = (ins TGraph_PredType:$input);
  let results = (outs TGraph_PredType:$result);
  let assemblyFormat = "$input attr-dict";
  let hasFolder = 1;
}

class TGraph_PredBinaryOp<string mnemonic, string what>
    : TGraph_Op<mnemonic, [Pure, Commutative]> {
  let summary = "The " # what # " of two predicates";
  let description = [{
    ```mlir
    %r = tgraph.}] # mnemonic # [{ %p, %q
    ```
  }];
  let arguments = (ins TGraph_PredType:$lhs, TGraph_PredType:$rhs);
  let results = (outs TGraph_PredType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
  let hasFolder = 1;
}
def TGraph_PredAndOp : TGraph_PredBinaryOp<"pred.and", "conjunction">;
def TGraph_PredOrOp : TGraph_PredBinaryOp<"pred.or", "disjunction">;

def TGraph_ValueConstOp : TGraph_Op<"value.const", [
    ConstantLike, Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "A constant value (future that is already resolved)";
  let description = [{
    Produced when a predicated-false task is folded away: its results become
    its `else` values.

    ```mlir
    %v = tgraph.value.const 0.0 : f64
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value);
  let results = (outs TGraph_ValueType:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let hasVerifier = 1;
}

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHOPS_TD
