//===- EventGraph.h - the dependence graph of a tgraph.graph ----*- C++ -*-===//
//
// A compact (CSR) view of the awaits of a physical graph: one node per op
// that awaits events (task, copy, join), in block order, which is a
// topological order (SSA values are defined before use). Passes build it
// once, in O(V + E), instead of chasing use lists.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_ANALYSIS_EVENTGRAPH_H
#define TGRAPH_ANALYSIS_EVENTGRAPH_H

#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::tgraph {

class EventGraph {
public:
  /// What an awaited event comes from.
  struct Source {
    enum Kind { Node, External, Other } kind;
    /// The node index (Node) or the block argument number (External).
    unsigned index;
  };

  explicit EventGraph(GraphOp graph);

  unsigned size() const { return nodes.size(); }
  Operation *op(unsigned node) const { return nodes[node]; }
  /// The node of `op`, or -1 when it is not a node.
  int nodeOf(Operation *op) const;
  /// Where `event` comes from.
  Source sourceOf(Value event) const;

  /// Producer nodes awaited by `node`, in await order (external events and
  /// immediate events left out).
  llvm::ArrayRef<unsigned> preds(unsigned node) const {
    return llvm::ArrayRef(predList).slice(predStart[node], predStart[node + 1] -
                                                               predStart[node]);
  }
  /// Consumer nodes of `node`.
  llvm::ArrayRef<unsigned> succs(unsigned node) const {
    return llvm::ArrayRef(succList).slice(succStart[node], succStart[node + 1] -
                                                               succStart[node]);
  }
  /// Whether `node` awaits an external precondition (a block argument).
  bool awaitsExternal(unsigned node) const { return external[node]; }

  /// Longest-path level from the sources (a node's level is greater than
  /// each of its predecessors').
  llvm::SmallVector<unsigned> levels() const;

private:
  llvm::SmallVector<Operation *> nodes;
  llvm::DenseMap<Operation *, unsigned> index;
  llvm::SmallVector<unsigned> predStart, predList, succStart, succList;
  llvm::SmallVector<bool> external;
};

/// The ops of `graph` in block order that take part in the timeline: tasks,
/// copies and joins.
inline bool isTimelineOp(Operation *op) { return isa<AwaitOpInterface>(op); }

} // namespace mlir::tgraph

#endif // TGRAPH_ANALYSIS_EVENTGRAPH_H
