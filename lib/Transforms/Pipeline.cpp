//===- Pipeline.cpp - tgraph-pipeline and pass registration ---------------===//
//
// The one registration point: every pass from Passes.td plus the
// `tgraph-pipeline` that runs them in order with the machine options.
//
//===----------------------------------------------------------------------===//

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "tgraph/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::tgraph;

void mlir::tgraph::buildPipeline(OpPassManager &pm,
                                 const PipelineOptions &options) {
  pm.addPass(createVerifyContracts());
  pm.addPass(createInferDependencies());
  pm.addPass(createReduceDependencies());
  pm.addPass(createFoldPredicates());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createInferStreamOrdering());
  AssignProcessorsOptions machine;
  machine.cpus = options.cpus;
  machine.gpus = options.gpus;
  machine.streamsPerGpu = options.streamsPerGpu;
  machine.copyStreams = options.copyStreams;
  pm.addPass(createAssignProcessors(machine));
  pm.addPass(createMarkRunahead());
  pm.addPass(createSchedule());
}

void mlir::tgraph::registerTGraphPassesAndPipelines() {
  registerTGraphPasses();
  PassPipelineRegistration<PipelineOptions>(
      "tgraph-pipeline",
      "Compiles task graphs: verify contracts, infer and reduce "
      "dependences, fold predicates, infer stream ordering, assign "
      "processors, mark runahead, schedule",
      buildPipeline);
}
