//===- PipelineScale.cpp - time tgraph-pipeline on Task Bench graphs ------===//
//
// Generates a Task Bench-shaped graph in the logical form (in memory, no
// text), runs the full tgraph-pipeline on it and reports the time of each
// pass and the process's peak memory. With -compile=program|calls it then
// lowers (convert-tgraph-to-runtime in that mode), JIT-compiles and
// instantiates the graph on the runtime: everything a user waits for before
// the first replay. One size per process, so that peak memory is that
// size's: bench/compiler/run-pipeline-scale.sh drives it.
//
//   tgraph-bench-pipeline -type stencil_1d -width 1000 -steps 1000 \
//                         -compile=program
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/TaskBench/Generator.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <sys/resource.h>

using namespace mlir;
using namespace mlir::tgraph;
namespace cl = llvm::cl;

static cl::OptionCategory category("tgraph-bench-pipeline options");
static cl::opt<std::string> type("type", cl::desc("Task Bench pattern"),
                                 cl::init("stencil_1d"), cl::cat(category));
static cl::opt<int64_t> width("width", cl::desc("Tasks per step"),
                              cl::init(100), cl::cat(category));
static cl::opt<int64_t> steps("steps", cl::desc("Steps"), cl::init(100),
                              cl::cat(category));
static cl::opt<int64_t> radix("radix", cl::desc("Dependences per task"),
                              cl::init(3), cl::cat(category));
static cl::opt<bool> passTiming("pass-timing",
                                cl::desc("Print MLIR's per-pass timing"),
                                cl::cat(category));
static cl::opt<std::string>
    compileMode("compile",
                cl::desc("Then lower (program or calls), JIT and instantiate"),
                cl::init(""), cl::cat(category));

static int32_t noop(tgrt_task_context *) { return 0; }

/// Lowers, JIT-compiles and instantiates the scheduled `module`; prints the
/// two times.
static int compileAndInstantiate(ModuleOp module) {
  using clock = std::chrono::steady_clock;
  auto sec = [](auto a, auto b) {
    return std::chrono::duration<double>(b - a).count();
  };
  auto t0 = clock::now();
  CompileOptions options;
  options.lowering = compileMode;
  auto compiled = compile(module, options);
  if (!compiled) {
    llvm::errs() << llvm::toString(compiled.takeError()) << "\n";
    return 1;
  }
  auto t1 = clock::now();
  auto runtime =
      Runtime::create((*compiled)->runtimeConfig(TGRT_STREAMS_EMULATED));
  if (!runtime) {
    llvm::errs() << llvm::toString(runtime.takeError()) << "\n";
    return 1;
  }
  for (KernelOp kernel : module.getOps<KernelOp>())
    if (llvm::Error e =
            runtime->registerCpuKernel(kernel.getSymName(), noop, nullptr)) {
      llvm::errs() << llvm::toString(std::move(e)) << "\n";
      return 1;
    }
  auto t2 = clock::now();
  auto graph = (*compiled)->instantiate(*runtime, "task_bench");
  if (!graph) {
    llvm::errs() << llvm::toString(graph.takeError()) << "\n";
    return 1;
  }
  auto t3 = clock::now();
  llvm::outs() << llvm::formatv(
      "  lowering={0} lower+jit={1:f3}s instantiate={2:f3}s\n", compileMode,
      sec(t0, t1), sec(t2, t3));
  return 0;
}

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "time tgraph-pipeline\n");
  MLIRContext context;
  context.disableMultithreading();
  context.loadDialect<TGraphDialect, arith::ArithDialect, func::FuncDialect>();

  taskbench::Params params;
  auto pattern = taskbench::parsePattern(type);
  if (!pattern) {
    llvm::errs() << "unknown -type " << type << "\n";
    return 1;
  }
  params.pattern = *pattern;
  params.width = width;
  params.steps = steps;
  params.radix = radix;
  if (llvm::Error e = taskbench::checkParams(params)) {
    llvm::errs() << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  auto module = taskbench::generateModule(&context, {params});
  if (!module) {
    llvm::errs() << llvm::toString(module.takeError()) << "\n";
    return 1;
  }
  auto t1 = clock::now();

  PassManager pm(&context);
  pm.enableVerifier(false); // timed separately below
  if (passTiming)
    pm.enableTiming();
  PipelineOptions options;
  options.cpus = 2;
  buildPipeline(pm, options);
  if (failed(pm.run(**module)))
    return 1;
  auto t2 = clock::now();
  if (failed(verify(**module)))
    return 1;
  auto t3 = clock::now();

  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  auto sec = [](auto a, auto b) {
    return std::chrono::duration<double>(b - a).count();
  };
  uint64_t tasks = taskbench::countTasks(params);
  llvm::outs() << llvm::formatv(
      "{0} width={1} steps={2} radix={3}: tasks={4} deps={5} "
      "generate={6:f3}s pipeline={7:f3}s verify={8:f3}s peak_rss={9}MiB\n",
      type, width, steps, radix, tasks, taskbench::countDependencies(params),
      sec(t0, t1), sec(t1, t2), sec(t2, t3), usage.ru_maxrss / 1024);
  if (!compileMode.empty())
    return compileAndInstantiate(**module);
  return 0;
}
