//===- VerifyContracts.cpp - tgraph-verify-contracts ----------------------===//
//
// A task in a compiled graph must make forward progress (no blocking, no
// spawning), and only stream-ordered GPU kernels that leave their data alone
// on the host may run ahead. The first is an error; the second a remark.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Transforms/Passes.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_VERIFYCONTRACTS
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
struct VerifyContractsPass
    : public ::mlir::tgraph::impl::VerifyContractsBase<VerifyContractsPass> {
  using Base::Base;
  void runOnOperation() override {
    SymbolTable symbols(getOperation());
    bool failed = false;
    getOperation().walk([&](TaskOp task) {
      if (!task->getParentOfType<GraphOp>())
        return;
      KernelOp kernel = lookupKernel(symbols, task);
      if (!kernel)
        return;
      auto fail = [&](StringRef what) {
        InFlightDiagnostic diag = task.emitOpError("calls kernel @")
                                  << kernel.getSymName() << ", which " << what;
        diag.attachNote(kernel.getLoc())
            << "kernel @" << kernel.getSymName() << " is declared here";
        failed = true;
      };
      if (kernel.getMayBlock())
        fail("may block on events; a task in a graph must never block "
             "(forward progress): drop 'may_block' or run it outside the "
             "graph");
      if (kernel.getSpawns())
        fail("spawns tasks; a task in a graph must not launch work the graph "
             "does not know: drop 'spawns' or add the work to the graph");
      if (remarks && kernel.isGpu() && !kernel.isRunaheadEligible()) {
        InFlightDiagnostic diag =
            task.emitRemark("GPU kernel @")
            << kernel.getSymName()
            << (kernel.getHostAccess() ? " touches its data from the host"
                                       : " is not stream_ordered")
            << ", so its dependences wait on the host "
               "(no runahead)";
        diag.attachNote(kernel.getLoc()) << "kernel declared here";
      }
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
