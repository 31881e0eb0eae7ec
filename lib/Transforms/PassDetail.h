//===- PassDetail.h - helpers shared by the tgraph passes -------*- C++ -*-===//
//
// Small helpers that several passes need: kernel lookup, the check that a
// graph is already in the physical form, and op naming for diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_TRANSFORMS_PASSDETAIL_H
#define TGRAPH_LIB_TRANSFORMS_PASSDETAIL_H

#include "mlir/IR/SymbolTable.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tgraph {

/// The kernel a task calls (null when it is not declared; the verifier has
/// reported that already).
inline KernelOp lookupKernel(SymbolTable &symbols, TaskOp task) {
  return symbols.lookup<KernelOp>(task.getKernel());
}

/// Fails with a located error unless `graph` has been through
/// tgraph-infer-deps.
inline LogicalResult requirePhysical(GraphOp graph, StringRef pass) {
  if (graph.getPhysical())
    return success();
  return graph.emitOpError("is in the logical form; ")
         << pass << " needs explicit awaits: run tgraph-infer-deps first";
}

/// A short name for an op in diagnostics: `task @k`, `copy`, `join`.
inline std::string describe(Operation *op) { return describeOp(op); }

/// The dependence kinds of a task or copy (null for joins or when unset).
inline ArrayAttr getDepKinds(Operation *op) {
  if (auto placed = dyn_cast<PlacedOpInterface>(op))
    return placed.getDepKindsAttr();
  return nullptr;
}

/// Replaces the awaited events of a task, copy or join (and, for tasks and
/// copies, their kinds; null drops them).
inline void setAwaits(Operation *op, ValueRange events, ArrayAttr kinds) {
  if (auto task = dyn_cast<TaskOp>(op))
    return task.setAwaits(events, kinds);
  if (auto copy = dyn_cast<CopyOp>(op))
    return copy.setAwaits(events, kinds);
  cast<AwaitOpInterface>(op).getAwaitedEventsMutable().assign(events);
}

} // namespace mlir::tgraph

#endif // TGRAPH_LIB_TRANSFORMS_PASSDETAIL_H
