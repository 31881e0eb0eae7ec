//===- Passes.h - tgraph passes ---------------------------------*- C++ -*-===//
//
// The one registration point of the tgraph passes and the tgraph-pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_TRANSFORMS_PASSES_H
#define TGRAPH_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"

namespace mlir::tgraph {

#define GEN_PASS_DECL
#include "tgraph/Transforms/Passes.h.inc"

/// Options of `tgraph-pipeline`: the machine model.
struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  Option<unsigned> cpus{*this, "cpus", llvm::cl::desc("CPU workers"),
                        llvm::cl::init(2)};
  Option<unsigned> gpus{*this, "gpus", llvm::cl::desc("GPUs"),
                        llvm::cl::init(0)};
  Option<unsigned> streamsPerGpu{*this, "streams-per-gpu",
                                 llvm::cl::desc("Compute streams per GPU"),
                                 llvm::cl::init(2)};
  Option<unsigned> copyStreams{*this, "copy-streams",
                               llvm::cl::desc("Copy streams per GPU"),
                               llvm::cl::init(1)};
};

/// Adds the whole pipeline, verify-contracts to schedule, to `pm`.
void buildPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Registers every tgraph pass (registerTGraphPasses, generated) and
/// `tgraph-pipeline`.
void registerTGraphPassesAndPipelines();

#define GEN_PASS_REGISTRATION
#include "tgraph/Transforms/Passes.h.inc"

} // namespace mlir::tgraph

#endif // TGRAPH_TRANSFORMS_PASSES_H
