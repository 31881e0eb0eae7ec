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
  Option<int> cpus{*this, "cpus",
                   llvm::cl::desc("CPU workers (default: the module's "
                                  "tgraph.machine, else 2)"),
                   llvm::cl::init(-1)};
  Option<int> gpus{*this, "gpus",
                   llvm::cl::desc("GPUs (default: the module's, else 0)"),
                   llvm::cl::init(-1)};
  Option<int> streamsPerGpu{*this, "streams-per-gpu",
                            llvm::cl::desc("Compute streams per GPU "
                                           "(default: the module's, else 2)"),
                            llvm::cl::init(-1)};
  Option<int> copyStreams{*this, "copy-streams",
                          llvm::cl::desc("Copy streams per GPU (default: "
                                         "the module's, else 1)"),
                          llvm::cl::init(-1)};
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
