//===- ReduceDependencies.cpp - tgraph-reduce-deps ------------------------===//
//
// Transitive reduction of the awaits. First awaited joins are replaced by
// the events they join (and immediate and duplicate awaits dropped). Then,
// for each op, an await is dropped when another await of the same op is
// reached from it. Longest-path levels bound the search: an event can only
// precede events of a higher level, so the backward search from the awaits
// stops at the lowest awaited level, and an op whose awaits share one level
// (every Task Bench pattern) needs no search at all.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Analysis/EventGraph.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_REDUCEDEPENDENCIES
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
/// Appends the events behind `event` (through joins) to `out`, once each;
/// `kind` follows each of them.
void expand(Value event, Attribute kind, SmallVectorImpl<Value> &out,
            SmallVectorImpl<Attribute> &kinds,
            llvm::SmallDenseMap<Value, unsigned> &position) {
  if (event.getDefiningOp<ImmediateOp>())
    return;
  if (auto join = event.getDefiningOp<JoinOp>()) {
    for (Value inner : join.getEvents())
      expand(inner, kind, out, kinds, position);
    return;
  }
  auto [it, inserted] = position.try_emplace(event, out.size());
  if (!inserted) {
    // The same event twice: keep the stricter kind.
    if (kind && cast<DepKindAttr>(kind).getValue() == DepKind::host)
      kinds[it->second] = kind;
    return;
  }
  out.push_back(event);
  kinds.push_back(kind);
}

struct ReduceDependenciesPass
    : public ::mlir::tgraph::impl::ReduceDependenciesBase<
          ReduceDependenciesPass> {
  void runOnOperation() override {
    for (GraphOp graph : getOperation().getOps<GraphOp>()) {
      if (failed(requirePhysical(graph, "tgraph-reduce-deps")))
        return signalPassFailure();
      flattenJoins(graph);
      reduce(graph);
    }
  }

  void flattenJoins(GraphOp graph) {
    SmallVector<Value> events;
    SmallVector<Attribute> kinds;
    llvm::SmallDenseMap<Value, unsigned> position;
    SmallVector<Operation *> joins;
    for (Operation &op : graph.getBodyBlock()) {
      if (isa<JoinOp, ImmediateOp>(op))
        joins.push_back(&op);
      auto awaiting = dyn_cast<AwaitOpInterface>(&op);
      if (!awaiting)
        continue;
      OperandRange awaits = awaiting.getAwaitedEvents();
      bool needed = false;
      for (Value e : awaits)
        needed |= e.getDefiningOp<JoinOp>() || e.getDefiningOp<ImmediateOp>();
      if (!needed &&
          llvm::SmallDenseSet<Value>(awaits.begin(), awaits.end()).size() ==
              awaits.size())
        continue;
      events.clear();
      kinds.clear();
      position.clear();
      ArrayAttr oldKinds = getDepKinds(&op);
      for (auto [i, e] : llvm::enumerate(awaits))
        expand(e, oldKinds ? oldKinds[i] : Attribute(), events, kinds,
               position);
      setAwaits(&op, events,
                oldKinds ? ArrayAttr::get(&getContext(), kinds) : ArrayAttr());
    }
    // Joins and immediate events nobody awaits any more go; those the yield
    // uses stay.
    for (Operation *join : llvm::reverse(joins))
      if (join->use_empty())
        join->erase();
  }

  void reduce(GraphOp graph) {
    EventGraph g(graph);
    SmallVector<unsigned> level = g.levels();
    // mark[n] == stamp: n reaches one of the current op's awaits.
    SmallVector<unsigned> mark(g.size(), 0);
    unsigned stamp = 0;
    SmallVector<unsigned> stack;
    SmallVector<Value> kept;
    SmallVector<Attribute> keptKinds;
    for (unsigned n = 0; n < g.size(); ++n) {
      ArrayRef<unsigned> preds = g.preds(n);
      bool search = preds.size() >= 2;
      unsigned lo = 0;
      if (search) {
        lo = level[preds[0]];
        unsigned hi = lo;
        for (unsigned p : preds) {
          lo = std::min(lo, level[p]);
          hi = std::max(hi, level[p]);
        }
        search = lo != hi;
      }
      // An external precondition is implied when an awaited op awaits it.
      bool externalImplied = false;
      if (g.awaitsExternal(n))
        for (unsigned p : preds)
          externalImplied |= g.awaitsExternal(p);
      if (!search && !externalImplied)
        continue;
      ++stamp;
      if (search) {
        for (unsigned p : preds)
          if (level[p] > lo)
            stack.push_back(p);
        while (!stack.empty()) {
          unsigned x = stack.pop_back_val();
          for (unsigned q : g.preds(x)) {
            if (mark[q] == stamp)
              continue;
            mark[q] = stamp;
            if (level[q] > lo)
              stack.push_back(q);
          }
        }
      }
      Operation *op = g.op(n);
      auto awaiting = cast<AwaitOpInterface>(op);
      llvm::SmallDenseSet<Value, 4> impliedExternal;
      if (externalImplied)
        for (unsigned p : preds)
          for (Value e : cast<AwaitOpInterface>(g.op(p)).getAwaitedEvents())
            if (isa<BlockArgument>(e))
              impliedExternal.insert(e);
      ArrayAttr kinds = getDepKinds(op);
      kept.clear();
      keptKinds.clear();
      bool dropped = false;
      for (auto [i, e] : llvm::enumerate(awaiting.getAwaitedEvents())) {
        EventGraph::Source src = g.sourceOf(e);
        if ((src.kind == EventGraph::Source::Node &&
             mark[src.index] == stamp) ||
            impliedExternal.contains(e)) {
          dropped = true;
          continue;
        }
        kept.push_back(e);
        if (kinds)
          keptKinds.push_back(kinds[i]);
      }
      if (dropped)
        setAwaits(op, kept,
                  kinds ? ArrayAttr::get(&getContext(), keptKinds)
                        : ArrayAttr());
    }
  }
};
} // namespace
