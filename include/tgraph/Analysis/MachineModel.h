//===- MachineModel.h - the machine the compiler targets --------*- C++ -*-===//
//
// The one place that knows the machine: how many CPU workers, GPUs and
// streams a module is compiled for (resolved from pass options, then the
// module's #tgraph.machine, then defaults), and what the runtime can honour
// on it: which dependences may be `device` (stream-ordered on both sides,
// one GPU) and which predicated ops may be `guarded` (a GPU task of a
// stream-ordered kernel). The passes decide with these rules and the
// lowering checks against them, so the runtime never has to demote a
// decision the compiler made.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_ANALYSIS_MACHINEMODEL_H
#define TGRAPH_ANALYSIS_MACHINEMODEL_H

#include "mlir/IR/BuiltinOps.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"

#include <optional>

namespace mlir::tgraph {

/// The processors a module is compiled for (and a runtime created with).
struct Machine {
  unsigned cpus = 2, gpus = 0, streamsPerGpu = 2, copyStreams = 1;

  MachineAttr toAttr(MLIRContext *ctx) const {
    return MachineAttr::get(ctx, cpus, gpus, streamsPerGpu, copyStreams);
  }
};

/// Values that override the module's machine; unset ones leave it alone.
struct MachineOverrides {
  std::optional<unsigned> cpus, gpus, streamsPerGpu, copyStreams;

  /// From pass options, where a negative value means "unset".
  static MachineOverrides fromOptions(int cpus, int gpus, int streamsPerGpu,
                                      int copyStreams);
};

/// The machine of `module`: `overrides`, else the module's
/// `tgraph.machine`, else the defaults of Machine. Fails, with an error on
/// the module, when an override is beyond the machine model's bounds
/// (MachineAttr's verifier).
FailureOr<Machine> resolveMachine(ModuleOp module,
                                  const MachineOverrides &overrides);

/// Whether `op` queues its work on a GPU stream in order: a stream-ordered
/// copy, or a task of a stream-ordered kernel, placed on a GPU.
bool isStreamOrderedOnGpu(Operation *op);

/// Whether `consumer` may await `producer` with a `device` dependence: both
/// stream-ordered on streams of the same GPU.
bool canAwaitOnDevice(Operation *producer, Operation *consumer);

/// Whether a predicated `op` may be `guarded` (issued early, checking its
/// predicate on the device): only a GPU task of a stream-ordered kernel.
/// Copies and CPU tasks are resolved on the host (`wait`).
bool canGuard(Operation *op);

} // namespace mlir::tgraph

#endif // TGRAPH_ANALYSIS_MACHINEMODEL_H
