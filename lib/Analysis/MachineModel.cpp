//===- MachineModel.cpp - the machine the compiler targets ----------------===//
//
// Resolves the machine model of a module and states the rules of the
// runtime's backends (CUDA and emulated streams alike) for dependence kinds
// and predicate modes.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Analysis/MachineModel.h"

using namespace mlir;
using namespace mlir::tgraph;

MachineOverrides MachineOverrides::fromOptions(int cpus, int gpus,
                                               int streamsPerGpu,
                                               int copyStreams) {
  auto opt = [](int v) -> std::optional<unsigned> {
    if (v < 0)
      return std::nullopt;
    return unsigned(v);
  };
  return {opt(cpus), opt(gpus), opt(streamsPerGpu), opt(copyStreams)};
}

FailureOr<Machine>
mlir::tgraph::resolveMachine(ModuleOp module,
                             const MachineOverrides &overrides) {
  Machine m;
  if (MachineAttr attr =
          TGraphDialect::MachineAttrHelper(module.getContext()).getAttr(module))
    m = {attr.getCpus(), attr.getGpus(), attr.getStreamsPerGpu(),
         attr.getCopyStreams()};
  m.cpus = overrides.cpus.value_or(m.cpus);
  m.gpus = overrides.gpus.value_or(m.gpus);
  m.streamsPerGpu = overrides.streamsPerGpu.value_or(m.streamsPerGpu);
  m.copyStreams = overrides.copyStreams.value_or(m.copyStreams);
  if (!MachineAttr::getChecked([&] { return emitError(module.getLoc()); },
                               module.getContext(), m.cpus, m.gpus,
                               m.streamsPerGpu, m.copyStreams))
    return failure();
  return m;
}

/// The GPU placement of a stream-ordered task or copy, or null.
static ProcAttr gpuStreamOf(Operation *op) {
  auto placed = dyn_cast_or_null<PlacedOpInterface>(op);
  if (!placed || !placed.getStreamOrdered())
    return nullptr;
  ProcAttr placement = placed.getPlacementAttr();
  return placement && placement.isGpu() ? placement : nullptr;
}

bool mlir::tgraph::isStreamOrderedOnGpu(Operation *op) {
  return bool(gpuStreamOf(op));
}

bool mlir::tgraph::canAwaitOnDevice(Operation *producer, Operation *consumer) {
  ProcAttr from = gpuStreamOf(producer), to = gpuStreamOf(consumer);
  return from && to && from.getIndex() == to.getIndex();
}

bool mlir::tgraph::canGuard(Operation *op) {
  return isa_and_nonnull<TaskOp>(op) && isStreamOrderedOnGpu(op);
}
