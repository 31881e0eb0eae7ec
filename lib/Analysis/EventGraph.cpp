//===- EventGraph.cpp - the dependence graph of a tgraph.graph ------------===//
//
// Builds the CSR predecessor and successor lists of a graph's awaits.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Analysis/EventGraph.h"

using namespace mlir;
using namespace mlir::tgraph;

EventGraph::EventGraph(GraphOp graph) {
  for (Operation &op : graph.getBodyBlock())
    if (isTimelineOp(&op)) {
      index[&op] = nodes.size();
      nodes.push_back(&op);
    }
  unsigned n = nodes.size();
  predStart.assign(n + 1, 0);
  external.assign(n, false);
  llvm::SmallVector<unsigned> succCount(n, 0);
  for (unsigned i = 0; i < n; ++i) {
    predStart[i] = predList.size();
    for (Value event : cast<AwaitOpInterface>(nodes[i]).getAwaitedEvents()) {
      Source src = sourceOf(event);
      if (src.kind == Source::Node) {
        predList.push_back(src.index);
        ++succCount[src.index];
      } else if (src.kind == Source::External) {
        external[i] = true;
      }
    }
  }
  predStart[n] = predList.size();
  succStart.assign(n + 1, 0);
  for (unsigned i = 0; i < n; ++i)
    succStart[i + 1] = succStart[i] + succCount[i];
  succList.resize(predList.size());
  llvm::SmallVector<unsigned> fill(succStart.begin(), succStart.end() - 1);
  for (unsigned i = 0; i < n; ++i)
    for (unsigned p : preds(i))
      succList[fill[p]++] = i;
}

int EventGraph::nodeOf(Operation *op) const {
  auto it = index.find(op);
  return it == index.end() ? -1 : int(it->second);
}

EventGraph::Source EventGraph::sourceOf(Value event) const {
  if (auto arg = dyn_cast<BlockArgument>(event))
    return {Source::External, arg.getArgNumber()};
  int node = nodeOf(event.getDefiningOp());
  if (node >= 0)
    return {Source::Node, unsigned(node)};
  return {Source::Other, 0};
}

llvm::SmallVector<unsigned> EventGraph::levels() const {
  llvm::SmallVector<unsigned> level(size(), 0);
  for (unsigned i = 0; i < size(); ++i)
    for (unsigned p : preds(i))
      level[i] = std::max(level[i], level[p] + 1);
  return level;
}
