//===- MarkRunahead.cpp - tgraph-mark-runahead ----------------------------===//
//
// Classifies every await as `device` (the host may issue the consumer once
// the producer is issued; the GPU orders them) or `host` (the consumer waits
// for the producer's full completion), and picks a resolution mode for each
// predicated op that has none. It emits only what the runtime honours
// (tgraph/Analysis/MachineModel.h): `device` between stream-ordered ops of
// one GPU, `guarded` for GPU tasks of stream-ordered kernels; an explicit
// `guarded` that cannot be honoured is an error, not a silent demotion.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Analysis/MachineModel.h"
#include "tgraph/Transforms/Passes.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_MARKRUNAHEAD
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
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

struct MarkRunaheadPass
    : public ::mlir::tgraph::impl::MarkRunaheadBase<MarkRunaheadPass> {
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
        auto predicated = cast<PredicatedOpInterface>(op);

        // A predicate computed by stream-ordered work on the GPU of a
        // stream-ordered task can be checked on the device (guarded);
        // anything else is resolved on the host before issue (wait).
        SmallVector<Operation *> sources;
        bool guardable = false;
        if (Value pred = predicated.getPred()) {
          bool computable = predicateSources(pred, sources);
          guardable = canGuard(&op) && computable;
          Operation *hostSource = nullptr;
          for (Operation *src : sources)
            if (!canAwaitOnDevice(src, &op)) {
              guardable = false;
              hostSource = hostSource ? hostSource : src;
            }
          auto placed = cast<PlacedOpInterface>(op);
          PredModeAttr mode = placed.getPredModeAttr();
          if (!mode) {
            placed.setPredModeAttr(PredModeAttr::get(
                ctx, guardable ? PredMode::guarded : PredMode::wait));
          } else if (mode.getValue() == PredMode::guarded && !guardable) {
            InFlightDiagnostic diag = op.emitOpError("is guarded, but ");
            if (!canGuard(&op))
              diag << "only a GPU task of a stream-ordered kernel can check "
                      "its predicate on the device";
            else if (hostSource)
              diag << "its predicate is computed by " << describe(hostSource)
                   << ", which is not stream-ordered work on the same GPU";
            else
              diag << "its predicate is resolved on the host (a graph "
                      "argument)";
            diag << "; write `wait` (or no mode) to resolve it on the host";
            return signalPassFailure();
          } else {
            guardable &= mode.getValue() == PredMode::guarded;
          }
        }

        SmallVector<Attribute> kinds;
        for (Value event : cast<AwaitOpInterface>(op).getAwaitedEvents()) {
          Operation *producer = event.getDefiningOp();
          bool isDevice = producer && canAwaitOnDevice(producer, &op);
          // A predicate resolved on the host needs its producer complete.
          if (isDevice && !guardable && llvm::is_contained(sources, producer))
            isDevice = false;
          kinds.push_back(isDevice ? device : host);
        }
        setAwaits(
            &op,
            SmallVector<Value>(cast<AwaitOpInterface>(op).getAwaitedEvents()),
            kinds.empty() ? ArrayAttr() : ArrayAttr::get(ctx, kinds));
      }
    }
  }
};
} // namespace
