//===- InferDependencies.cpp - tgraph-infer-deps --------------------------===//
//
// Logical form -> physical form. One walk in program order keeps, per
// buffer, the last write phase (one writer, or a group of reducers with the
// same operator) and the readers since; each access awaits only what it must:
//
//   read            -> the last writers                      (RAW)
//   write           -> the readers since, else the writers   (WAR, WAW)
//   reduce<op>      -> like a write, but joins a running group of the same
//                      operator (reductions commute)
//
// A reader always awaited the writers before it, so a write that awaits the
// readers is ordered after the writers too. Output size is proportional to
// the needed edges.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_INFERDEPENDENCIES
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
/// What sequential execution has done to one buffer so far.
struct BufferState {
  /// The last write phase: one writer, or the members of a reduction group.
  SmallVector<Value, 2> writers;
  /// What the current reduction group awaited when it started.
  SmallVector<Value, 2> groupDeps;
  std::optional<AccessMode> reduction;
  /// Reads since the last write phase.
  SmallVector<Value, 4> readers;
};

struct Access {
  Value buffer;
  AccessMode mode;
};

/// Events a predicate depends on: the tasks whose values it is built from.
void predicateProducers(Value pred, llvm::SetVector<Value> &deps,
                        llvm::SmallPtrSetImpl<Operation *> &seen) {
  Operation *def = pred.getDefiningOp();
  if (!def || !seen.insert(def).second)
    return;
  if (auto from = dyn_cast<PredFromOp>(def)) {
    if (auto task = from.getInput().getDefiningOp<TaskOp>())
      deps.insert(task.getDone());
    return;
  }
  for (Value operand : def->getOperands())
    if (isa<PredType>(operand.getType()))
      predicateProducers(operand, deps, seen);
}

struct InferDependenciesPass
    : public ::mlir::tgraph::impl::InferDependenciesBase<
          InferDependenciesPass> {
  void runOnOperation() override {
    for (GraphOp graph : getOperation().getOps<GraphOp>())
      if (!graph.getPhysical())
        inferGraph(graph);
  }

  void inferGraph(GraphOp graph) {
    llvm::DenseMap<Value, BufferState> state;
    SmallVector<Access, 4> accesses;
    llvm::SetVector<Value> deps;
    llvm::SmallDenseSet<Value, 8> seenBuffers;
    for (Operation &op : graph.getBodyBlock()) {
      accesses.clear();
      deps.clear();
      Value done;
      if (auto task = dyn_cast<TaskOp>(op)) {
        done = task.getDone();
        SmallVector<std::optional<AccessMode>> modes = task.getAccessModes();
        for (auto [i, arg] : llvm::enumerate(task.getArgs())) {
          if (std::optional<AccessMode> mode = modes[i]) {
            accesses.push_back({arg, *mode});
          } else if (isa<ValueType>(arg.getType())) {
            // A future: wait for the task that produces it.
            if (auto producer = arg.getDefiningOp<TaskOp>())
              deps.insert(producer.getDone());
          }
        }
      } else if (auto copy = dyn_cast<CopyOp>(op)) {
        done = copy.getDone();
        accesses.push_back({copy.getSrc(), AccessMode::read});
        accesses.push_back({copy.getDst(), AccessMode::write});
      } else {
        continue;
      }
      auto predicated = cast<PredicatedOpInterface>(op);
      if (Value pred = predicated.getPred()) {
        llvm::SmallPtrSet<Operation *, 8> seen;
        predicateProducers(pred, deps, seen);
      }
      // A buffer passed twice (read twice, or the same reduction) is one
      // access. A set keeps this linear for tasks with many inputs.
      seenBuffers.clear();
      for (const Access &a : accesses)
        if (seenBuffers.insert(a.buffer).second)
          access(state[a.buffer], a.mode, done, deps);
      auto awaiting = cast<AwaitOpInterface>(op);
      SmallVector<Value> awaits(awaiting.getAwaitedEvents());
      unsigned explicitCount = awaits.size();
      for (Value d : deps)
        if (d != done && !llvm::is_contained(awaits, d))
          awaits.push_back(d);
      if (awaits.size() == explicitCount)
        continue;
      // Inferred edges get no kind yet; explicit kinds would misalign.
      if (auto task = dyn_cast<TaskOp>(op))
        task.setAwaits(awaits, nullptr);
      else
        cast<CopyOp>(op).setAwaits(awaits, nullptr);
    }
    graph.setPhysical(true);
  }

  static void access(BufferState &s, AccessMode mode, Value done,
                     llvm::SetVector<Value> &deps) {
    if (mode == AccessMode::read) {
      deps.insert(s.writers.begin(), s.writers.end());
      s.readers.push_back(done);
      return;
    }
    if (isReduction(mode) && s.reduction == mode && s.readers.empty()) {
      // Joins the running group: same predecessors, no edge to its peers.
      deps.insert(s.groupDeps.begin(), s.groupDeps.end());
      s.writers.push_back(done);
      return;
    }
    SmallVectorImpl<Value> &before =
        s.readers.empty() ? static_cast<SmallVectorImpl<Value> &>(s.writers)
                          : s.readers;
    deps.insert(before.begin(), before.end());
    if (isReduction(mode)) {
      s.groupDeps.assign(before.begin(), before.end());
      s.reduction = mode;
    } else {
      s.groupDeps.clear();
      s.reduction.reset();
    }
    s.writers.assign(1, done);
    s.readers.clear();
  }
};
} // namespace
