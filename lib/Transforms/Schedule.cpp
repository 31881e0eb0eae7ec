//===- Schedule.cpp - tgraph-schedule -------------------------------------===//
//
// Freezes each processor's queue and each op's dependency count, then
// proves that the queues plus the dependences are acyclic. A queue keeps
// the positions it is given (tgraph-assign-processors writes its list
// schedule's order), renumbered 0..k-1 as the runtime requires; a queue
// with none is taken in block order (a topological order). The dependency
// count of an op is the number of distinct ops of the graph it awaits, which
// is what the lowering hands the runtime (tgrt_graph_add_dep) and checks it
// against; graph-argument events are replay preconditions, not counted. A
// stream runs its queue in order, so a queue that puts an op before one it
// depends on deadlocks the device: that is rejected here, with the ops of the
// cycle named, instead of hanging at replay time.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Analysis/EventGraph.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_SCHEDULE
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
struct SchedulePass : public ::mlir::tgraph::impl::ScheduleBase<SchedulePass> {
  void runOnOperation() override {
    for (GraphOp graph : getOperation().getOps<GraphOp>())
      if (failed(requirePhysical(graph, "tgraph-schedule")) ||
          failed(schedule(graph)))
        return signalPassFailure();
  }

  LogicalResult schedule(GraphOp graph) {
    MLIRContext *ctx = &getContext();
    TGraphDialect::QueuePosAttrHelper queuePos(ctx);
    TGraphDialect::DepCountAttrHelper depCountAttr(ctx);
    StringAttr posName = queuePos.getName();
    StringAttr countName = depCountAttr.getName();
    Type i64 = IntegerType::get(ctx, 64);
    EventGraph g(graph);

    // Distinct producers per op (an op may await one producer twice).
    SmallVector<unsigned> depCount(g.size(), 0);
    SmallVector<int> seenBy(g.size(), -1);
    for (unsigned i = 0; i < g.size(); ++i)
      for (unsigned p : g.preds(i))
        if (seenBy[p] != int(i)) {
          seenBy[p] = i;
          ++depCount[i];
        }

    // Queues in block order; positions given in the input are kept.
    llvm::MapVector<Attribute, SmallVector<unsigned>> queues;
    for (unsigned i = 0; i < g.size(); ++i) {
      Operation *op = g.op(i);
      if (isa<JoinOp>(op)) {
        depCountAttr.setAttr(op, IntegerAttr::get(i64, depCount[i]));
        continue;
      }
      ProcAttr placement = cast<PlacedOpInterface>(op).getPlacementAttr();
      if (!placement)
        return op->emitOpError("has no placement; run "
                               "tgraph-assign-processors before "
                               "tgraph-schedule");
      queues[placement].push_back(i);
    }
    // Queue successor of each node (or -1).
    SmallVector<int> next(g.size(), -1);
    for (auto &[placement, queue] : queues) {
      unsigned given = 0;
      for (unsigned i : queue)
        given += queuePos.isAttrPresent(g.op(i));
      if (given && given != queue.size())
        return g.op(queue.front())->emitOpError("shares ")
               << placement << " with ops that have a tgraph.queue_pos and "
               << "ops that have none; give every op of a queue a position "
                  "or none";
      auto posOf = [&](unsigned i) {
        return queuePos.getAttr(g.op(i)).getInt();
      };
      if (given) {
        llvm::stable_sort(
            queue, [&](unsigned a, unsigned b) { return posOf(a) < posOf(b); });
        for (unsigned k = 0; k + 1 < queue.size(); ++k)
          if (posOf(queue[k]) == posOf(queue[k + 1]))
            return g.op(queue[k + 1])->emitOpError("has tgraph.queue_pos ")
                   << posOf(queue[k]) << ", as does "
                   << describe(g.op(queue[k])) << " on " << placement
                   << "; each op of a queue needs its own position";
      }
      // Positions 0..k-1 in queue order. Both attributes in one dictionary
      // update per op: each setAttr rebuilds the op's dictionary.
      for (auto [pos, i] : llvm::enumerate(queue)) {
        Operation *op = g.op(i);
        NamedAttrList attrs(op->getDiscardableAttrDictionary());
        attrs.set(countName, IntegerAttr::get(i64, depCount[i]));
        attrs.set(posName, IntegerAttr::get(i64, pos));
        op->setDiscardableAttrs(attrs.getDictionary(ctx));
      }
      for (unsigned k = 0; k + 1 < queue.size(); ++k)
        next[queue[k]] = queue[k + 1];
    }

    // Kahn's algorithm over dependences + queue order.
    SmallVector<unsigned> indegree(g.size(), 0);
    for (unsigned i = 0; i < g.size(); ++i) {
      indegree[i] += g.preds(i).size();
      if (next[i] >= 0)
        ++indegree[next[i]];
    }
    SmallVector<unsigned> ready;
    for (unsigned i = 0; i < g.size(); ++i)
      if (!indegree[i])
        ready.push_back(i);
    unsigned done = 0;
    while (!ready.empty()) {
      unsigned i = ready.pop_back_val();
      ++done;
      for (unsigned s : g.succs(i))
        if (!--indegree[s])
          ready.push_back(s);
      if (next[i] >= 0 && !--indegree[next[i]])
        ready.push_back(next[i]);
    }
    if (done == g.size()) {
      TGraphDialect::ScheduledAttrHelper(ctx).setAttr(graph,
                                                      UnitAttr::get(ctx));
      return success();
    }
    return reportCycle(g, next, indegree);
  }

  /// Every node left with a non-zero indegree lies on or behind a cycle;
  /// walking backwards through such nodes must close one.
  LogicalResult reportCycle(EventGraph &g, ArrayRef<int> next,
                            ArrayRef<unsigned> indegree) {
    SmallVector<int> prevInQueue(g.size(), -1);
    for (unsigned i = 0; i < g.size(); ++i)
      if (next[i] >= 0)
        prevInQueue[next[i]] = i;
    unsigned start = 0;
    while (!indegree[start])
      ++start;
    SmallVector<int> seenAt(g.size(), -1);
    SmallVector<unsigned> path;
    unsigned cur = start;
    while (seenAt[cur] < 0) {
      seenAt[cur] = path.size();
      path.push_back(cur);
      int back = -1;
      for (unsigned p : g.preds(cur))
        if (indegree[p]) {
          back = p;
          break;
        }
      if (back < 0 && prevInQueue[cur] >= 0 && indegree[prevInQueue[cur]])
        back = prevInQueue[cur];
      cur = back;
    }
    // path[seenAt[cur]..] walks the cycle backwards; print it forwards.
    SmallVector<unsigned> cycle(path.begin() + seenAt[cur], path.end());
    std::reverse(cycle.begin(), cycle.end());
    // Start at the op that comes first in the graph, for a stable message.
    std::rotate(cycle.begin(), llvm::min_element(cycle), cycle.end());
    std::string names;
    for (unsigned i : cycle)
      names += describe(g.op(i)) + " -> ";
    names += describe(g.op(cycle.front()));
    InFlightDiagnostic diag =
        g.op(cycle.front())
            ->emitOpError("stream order and dependences form a cycle, which "
                          "would deadlock the device: ")
        << names;
    for (unsigned i : cycle)
      diag.attachNote(g.op(i)->getLoc())
          << "on the cycle: " << describe(g.op(i));
    return failure();
  }
};
} // namespace
