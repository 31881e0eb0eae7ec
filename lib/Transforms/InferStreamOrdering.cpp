//===- InferStreamOrdering.cpp - tgraph-infer-stream-ordering -------------===//
//
// Decides which ops queue their work asynchronously on a stream: the
// device-side effects that later passes may let run ahead of the host.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Transforms/Passes.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_INFERSTREAMORDERING
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
struct InferStreamOrderingPass
    : public ::mlir::tgraph::impl::InferStreamOrderingBase<
          InferStreamOrderingPass> {
  void runOnOperation() override {
    SymbolTable symbols(getOperation());
    for (GraphOp graph : getOperation().getOps<GraphOp>()) {
      for (Operation &op : graph.getBodyBlock()) {
        if (auto task = dyn_cast<TaskOp>(op)) {
          KernelOp kernel = lookupKernel(symbols, task);
          bool async = kernel && kernel.isRunaheadEligible();
          if (ProcAttr placement = task.getPlacementAttr())
            async &= placement.isGpu();
          task.setStreamOrdered(async);
        } else if (auto copy = dyn_cast<CopyOp>(op)) {
          // Any copy that touches GPU memory is a cudaMemcpyAsync on a
          // stream, unless a CPU worker was told to do it synchronously.
          bool touchesGpu =
              cast<BufferType>(copy.getSrc().getType()).isOnGpu() ||
              cast<BufferType>(copy.getDst().getType()).isOnGpu();
          ProcAttr placement = copy.getPlacementAttr();
          copy.setStreamOrdered(touchesGpu &&
                                !(placement && placement.isCpu()));
        }
      }
    }
  }
};
} // namespace
