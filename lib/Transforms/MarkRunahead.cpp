//===- MarkRunahead.cpp - tgraph-mark-runahead ----------------------------===//
//
// Classifies every await as `device` (the host may issue the consumer once
// the producer is issued; the GPU orders them) or `host` (the consumer waits
// for the producer's full completion), and picks a resolution mode for each
// predicated op that has none.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Transforms/Passes.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_MARKRUNAHEAD
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
/// The placement of a stream-ordered task or copy, or null.
ProcAttr streamPlacement(Operation *op) {
  if (!op)
    return nullptr;
  bool async = false;
  ProcAttr placement;
  if (auto task = dyn_cast<TaskOp>(op)) {
    async = task.getStreamOrdered();
    placement = task.getPlacementAttr();
  } else if (auto copy = dyn_cast<CopyOp>(op)) {
    async = copy.getStreamOrdered();
    placement = copy.getPlacementAttr();
  }
  return async && placement && placement.isGpu() ? placement : nullptr;
}

/// The ops whose values a predicate is computed from; false when it depends
/// on anything else (a block argument is resolved on the host).
bool predicateSources(Value pred, SmallVectorImpl<Operation *> &sources) {
  Operation *def = pred.getDefiningOp();
  if (!def)
    return false;
  if (isa<PredConstOp>(def))
    return true;
  if (auto from = dyn_cast<PredFromOp>(def)) {
    Operation *producer = from.getInput().getDefiningOp();
    if (!producer || !isa<TaskOp>(producer))
      return false;
    sources.push_back(producer);
    return true;
  }
  for (Value operand : def->getOperands())
    if (!predicateSources(operand, sources))
      return false;
  return true;
}

struct MarkRunaheadPass : public ::mlir::tgraph::impl::MarkRunaheadBase<MarkRunaheadPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    auto host = DepKindAttr::get(ctx, DepKind::host);
    auto device = DepKindAttr::get(ctx, DepKind::device);
    for (GraphOp graph : getOperation().getOps<GraphOp>()) {
      if (failed(requirePhysical(graph, "tgraph-mark-runahead")))
        return signalPassFailure();
      for (Operation &op : graph.getBodyBlock()) {
        if (!isa<TaskOp, CopyOp>(op))
          continue;
        ProcAttr consumer = streamPlacement(&op);
        auto predicated = cast<PredicatedOpInterface>(op);

        // A predicate computed by stream-ordered work on the consumer's GPU
        // can be checked on the device (guarded); anything else is
        // resolved on the host before issue (wait).
        SmallVector<Operation *> sources;
        bool guardable = false;
        if (Value pred = predicated.getPred()) {
          guardable = consumer && predicateSources(pred, sources);
          for (Operation *src : sources) {
            ProcAttr p = streamPlacement(src);
            guardable &= p && p.getIndex() == consumer.getIndex();
          }
          auto modeName = StringAttr::get(ctx, "pred_mode");
          if (!op.getAttr(modeName))
            op.setAttr(modeName,
                       PredModeAttr::get(ctx, guardable ? PredMode::guarded
                                                        : PredMode::wait));
          else
            guardable &= cast<PredModeAttr>(op.getAttr(modeName)).getValue() ==
                         PredMode::guarded;
        }

        SmallVector<Attribute> kinds;
        for (Value event : cast<AwaitOpInterface>(op).getAwaitedEvents()) {
          ProcAttr producer = streamPlacement(event.getDefiningOp());
          bool isDevice = consumer && producer &&
                          producer.getIndex() == consumer.getIndex();
          // A predicate resolved on the host needs its producer complete.
          if (isDevice && !guardable &&
              llvm::is_contained(sources, event.getDefiningOp()))
            isDevice = false;
          kinds.push_back(isDevice ? device : host);
        }
        setAwaits(&op, SmallVector<Value>(
                           cast<AwaitOpInterface>(op).getAwaitedEvents()),
                  kinds.empty() ? ArrayAttr() : ArrayAttr::get(ctx, kinds));
      }
    }
  }
};
} // namespace
