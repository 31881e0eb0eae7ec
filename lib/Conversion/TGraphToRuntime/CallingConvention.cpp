//===- CallingConvention.cpp - how a graph is called ----------------------===//
//
// Parameter numbering, node ids and the word encoding of constants, shared
// by the lowering and compile() (see CallingConvention.h).
//
//===----------------------------------------------------------------------===//

#include "tgraph/Conversion/CallingConvention.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"

using namespace mlir;
using namespace mlir::tgraph;

std::string mlir::tgraph::instantiateFunctionName(StringRef graph) {
  return ("tgraph_instantiate_" + graph).str();
}

llvm::DenseMap<Operation *, unsigned>
mlir::tgraph::runtimeNodeIds(GraphOp graph) {
  llvm::DenseMap<Operation *, unsigned> ids;
  for (Operation &op : graph.getBodyBlock())
    if (isa<TaskOp, CopyOp, JoinOp>(op))
      ids.try_emplace(&op, ids.size());
  return ids;
}

SmallVector<std::optional<unsigned>> mlir::tgraph::graphParams(GraphOp graph) {
  SmallVector<std::optional<unsigned>> params;
  unsigned next = 0;
  for (BlockArgument arg : graph.getBodyBlock().getArguments()) {
    if (isa<EventType, PredType>(arg.getType()))
      params.push_back(std::nullopt);
    else
      params.push_back(next++);
  }
  return params;
}

std::optional<uint64_t> mlir::tgraph::wordOf(Attribute attr) {
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    if (i.getType().isInteger(1))
      return i.getValue().getBoolValue() ? 1 : 0;
    return uint64_t(i.getValue().getSExtValue());
  }
  if (auto b = dyn_cast<BoolAttr>(attr))
    return b.getValue() ? 1 : 0;
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValue().bitcastToAPInt().getZExtValue();
  return std::nullopt;
}
