//===- Dot.h - tgraph graphs as Graphviz DOT --------------------*- C++ -*-===//
//
// Draws a `tgraph.graph` (logical or physical) as a Graphviz digraph, to see
// what the passes did: one node per task, copy and join; one cluster per
// processor of the `placement` attributes; one edge per awaited event,
// styled by its dependence kind. Render with `dot -Tpng g.dot -o g.png`.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_EXPORT_DOT_H
#define TGRAPH_EXPORT_DOT_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tgraph {

/// Writes `graph` as one DOT `digraph`:
///  * a node per task (label: `@kernel #N`, N its position among the graph's
///    tasks, copies and joins, plus its constant scalar operands), copy
///    (`copy #N`) and join (`join #N`, a small circle); CPU tasks are blue,
///    GPU tasks green, copies yellow;
///  * predicated ops get a dashed border and an `if %p` line (`guarded`
///    when so resolved); `%p` is the SSA name the IR printer uses;
///  * placed ops sit in `subgraph cluster_cpu<N>`, `cluster_gpu<G>_stream<S>`
///    or `cluster_gpu<G>_copy<C>`; unplaced ops sit outside any cluster;
///  * each event block argument is a source node (`%argN`), the yield a sink
///    (`yield`, drawn when it yields something drawn), an `event.immediate`
///    a point;
///  * an edge per awaited event (and per join operand and yielded event):
///    solid for `host`, dashed for `device`, dotted where no kind is known.
/// Logical graphs have no awaits, hence no edges between tasks. The output
/// depends only on the IR (op order, sorted clusters): it is deterministic.
void exportDot(GraphOp graph, llvm::raw_ostream &os);

/// Writes every graph of `root` (a module, or a graph itself), one digraph
/// each, or only the graph named `onlyGraph` when it is not empty. Fails with
/// a diagnostic when there is no graph (or no graph of that name).
LogicalResult exportDot(Operation *root, llvm::raw_ostream &os,
                        llvm::StringRef onlyGraph = "");

} // namespace mlir::tgraph

#endif // TGRAPH_EXPORT_DOT_H
