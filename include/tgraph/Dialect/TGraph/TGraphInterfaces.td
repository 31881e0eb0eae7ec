//===- TGraphInterfaces.td - tgraph op interfaces ----------*- tablegen -*-===//
//
// Interfaces that let a pass handle every op that awaits events, or every op
// that can be predicated, with one piece of code.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHINTERFACES_TD
#define TGRAPH_DIALECT_TGRAPH_TGRAPHINTERFACES_TD

include "mlir/IR/OpBase.td"

def TGraph_AwaitOpInterface : OpInterface<"AwaitOpInterface"> {
  let cppNamespace = "::mlir::tgraph";
  let description = [{
    An op on the graph's timeline: it starts once the events it awaits have
    triggered and produces one event that triggers when it completes
    (tasks, copies and joins).
  }];
  let methods = [
    InterfaceMethod<"The events this op waits for.", "::mlir::OperandRange",
                    "getAwaitedEvents">,
    InterfaceMethod<"The events this op waits for, mutable.",
                    "::mlir::MutableOperandRange", "getAwaitedEventsMutable">,
    InterfaceMethod<"The event that triggers when this op has completed.",
                    "::mlir::Value", "getDoneEvent">,
  ];
}

def TGraph_PredicatedOpInterface : OpInterface<"PredicatedOpInterface"> {
  let cppNamespace = "::mlir::tgraph";
  let description = [{
    An op that may carry a predicate (`if %p`): tasks and copies. When the
    predicate is false the op does not run, its event still triggers after
    its awaited events, and each value result takes its `else` value.
  }];
  let methods = [
    InterfaceMethod<"The predicate, or null.", "::mlir::Value", "getPred">,
    InterfaceMethod<"The predicate operand, mutable.",
                    "::mlir::MutableOperandRange", "getPredMutable">,
    InterfaceMethod<"The value results (without the event).",
                    "::mlir::ResultRange", "getValueResults">,
    InterfaceMethod<"The else value of each value result, or null.",
                    "::mlir::ArrayAttr", "getElseValuesAttr">,
    InterfaceMethod<"Drops the predicate, its mode and the else values.",
                    "void", "dropPredicate">,
  ];
}

def TGraph_PlacedOpInterface : OpInterface<"PlacedOpInterface"> {
  let cppNamespace = "::mlir::tgraph";
  let description = [{
    An op that runs on a processor (tasks and copies), as IREE's
    AffinityOpInterface: its placement, whether its work is queued on a
    stream in order, the kind of each of its awaits and how its predicate is
    resolved. Passes and the lowering read these decisions through this
    interface, never by attribute name.
  }];
  let methods = [
    InterfaceMethod<"The placement, or null before tgraph-assign-processors.",
                    "::mlir::tgraph::ProcAttr", "getPlacementAttr">,
    InterfaceMethod<"Places the op.", "void", "setPlacementAttr",
                    (ins "::mlir::tgraph::ProcAttr":$placement)>,
    InterfaceMethod<"Whether the op queues its work on a stream in order "
                    "(tgraph-infer-stream-ordering).",
                    "bool", "getStreamOrdered">,
    InterfaceMethod<"Marks the op stream-ordered or not.", "void",
                    "setStreamOrdered", (ins "bool":$ordered)>,
    InterfaceMethod<"The kind of each await (#tgraph.dep), or null before "
                    "tgraph-mark-runahead.",
                    "::mlir::ArrayAttr", "getDepKindsAttr">,
    InterfaceMethod<"How the predicate is resolved, or null.",
                    "::mlir::tgraph::PredModeAttr", "getPredModeAttr">,
    InterfaceMethod<"Sets how the predicate is resolved.", "void",
                    "setPredModeAttr",
                    (ins "::mlir::tgraph::PredModeAttr":$mode)>,
  ];
  let extraClassDeclaration = [{
    /// The kind of await `i` (host when unset).
    ::mlir::tgraph::DepKind getDepKind(unsigned i) {
      ::mlir::ArrayAttr kinds = getDepKindsAttr();
      if (kinds && i < kinds.size())
        if (auto kind = ::llvm::dyn_cast<::mlir::tgraph::DepKindAttr>(kinds[i]))
          return kind.getValue();
      return ::mlir::tgraph::DepKind::host;
    }
  }];
}

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHINTERFACES_TD
