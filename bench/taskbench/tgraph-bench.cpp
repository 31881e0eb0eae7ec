//===- tgraph-bench.cpp - Task Bench on tgraph ----------------------------===//
//
// Task Bench's driver for tgraph: builds each graph of the command line with
// the Task Bench generator (logical form: double-buffered output slots, so
// tgraph-infer-deps derives the edges), compiles the module with the whole
// tgraph-pipeline for `-worker` CPU workers, lowers it, JIT-compiles it,
// instantiates every graph once and then replays them: one Task Bench run =
// one replay of every graph, concurrently (`-and`). Only the replays are
// timed. Every task validates its inputs' tags (TaskBenchCore.h); any
// mismatch, missed task or failed replay exits with 1. Prints Task Bench's
// report lines.
//
// The compile-and-instantiate steps are local (below): the same steps as
// tools/tgraph-run, except that the JIT is a plain LLJIT at -O0.
//
//===----------------------------------------------------------------------===//

#include "TaskBenchCore.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Runtime/tgrt.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstring>

using namespace mlir;
using namespace mlir::tgraph;

static const char *kTool = "tgraph-bench";

static int fail(const std::string &message) {
  std::fprintf(stderr, "%s: error: %s\n", kTool, message.c_str());
  return 1;
}

/// The kernel every task of every graph runs: (t, i, out, in...) words.
static int32_t taskKernel(tgrt_task_context *ctx) {
  auto *graph = static_cast<tb::GraphState *>(ctx->user_data);
  const uint64_t *a = ctx->args;
  int64_t t = static_cast<int64_t>(a[0]), i = static_cast<int64_t>(a[1]);
  if (ctx->num_args <= 2) {
    graph->executePoint(t, i, nullptr, nullptr, 0);
    return 0;
  }
  static_assert(sizeof(uint64_t) == sizeof(const uint8_t *),
                "buffer words are pointers");
  graph->executePoint(t, i, reinterpret_cast<uint8_t *>(a[2]),
                      reinterpret_cast<const uint8_t *const *>(a + 3),
                      ctx->num_args - 3);
  return 0;
}

namespace {
/// What one graph takes per replay, read from the scheduled IR.
struct GraphArgs {
  std::string name;
  unsigned numPreconditions = 0;
  std::vector<uint64_t> bufferBytes; ///< per parameter (0 for a scalar)
};

GraphArgs describe(GraphOp graph) {
  GraphArgs info;
  info.name = graph.getSymName().str();
  for (BlockArgument arg : graph.getBodyBlock().getArguments()) {
    Type type = arg.getType();
    if (isa<EventType>(type)) {
      ++info.numPreconditions;
    } else if (auto buffer = dyn_cast<BufferType>(type)) {
      Type elem = buffer.getElementType();
      int64_t width = elem.isIndex() ? 8 : (elem.getIntOrFloatBitWidth() + 7) / 8;
      info.bufferBytes.push_back(buffer.getSize() * width);
    } else if (!isa<PredType>(type)) {
      info.bufferBytes.push_back(0);
    }
  }
  return info;
}
} // namespace

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(
          argc, argv, kTool, options,
          "tgraph-bench only:\n"
          "  -physical     emit awaits (physical form) instead of buffer\n"
          "                accesses; tasks then get no data, and validation\n"
          "                checks that each task's dependences ran before it\n"
          "  -buffers N    output slots per point (2 = double buffering,\n"
          "                0 = one per task)\n"
          "  -spin N       the runtime's spin/yield rounds before a worker\n"
          "                sleeps (tgrt_config.spin_iterations)\n"))
    return 1;
  auto graphs = tb::makeGraphs(options);

  // 1. Generate: graph g calls kernels `tb<g>[_in<N>]`, so that each graph's
  //    kernels carry its own state.
  std::vector<taskbench::Params> params;
  for (auto &g : graphs) {
    taskbench::Params p = g->params;
    p.graphName = "task_bench_" + std::to_string(g->index);
    p.kernel = "tb" + std::to_string(g->index);
    p.physical = options.physical;
    p.buffers = options.buffers;
    params.push_back(p);
  }
  MLIRContext context;
  context.loadDialect<TGraphDialect, func::FuncDialect, arith::ArithDialect,
                      cf::ControlFlowDialect, LLVM::LLVMDialect>();
  registerBuiltinDialectTranslation(context);
  registerLLVMDialectTranslation(context);
  std::string diagnostics;
  ScopedDiagnosticHandler diagHandler(&context, [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(diagnostics);
    os << diag << "\n";
    return success();
  });
  auto module = taskbench::generateModule(&context, params);
  if (!module)
    return fail(llvm::toString(module.takeError()));
  if (options.physical)
    for (auto &g : graphs)
      g->dataless = true;

  // 2. Compile: the whole pipeline, for `workers` CPUs and no GPU.
  double compileStart = tb::now();
  {
    PassManager pm(&context);
    PipelineOptions pipeline;
    pipeline.cpus = options.workers;
    pipeline.gpus = 0;
    buildPipeline(pm, pipeline);
    if (failed(pm.run(**module)))
      return fail("the tgraph pipeline failed:\n" + diagnostics);
  }
  double pipelineSeconds = tb::now() - compileStart;
  std::vector<GraphArgs> infos;
  for (GraphOp graph : (*module)->getOps<GraphOp>())
    infos.push_back(describe(graph));
  {
    PassManager lower(&context);
    buildLowerToLLVMPipeline(lower);
    if (failed(lower.run(**module)))
      return fail("lowering failed:\n" + diagnostics);
  }
  double lowerSeconds = tb::now() - compileStart - pipelineSeconds;
  // JIT: the instantiate functions are straight-line code run once, so they
  // are compiled at -O0 (fast register allocation). MLIR's ExecutionEngine
  // with jitCodeGenOptLevel = None still ran the greedy allocator here
  // (LiveIntervals in the profile): 12-19 s for a 2000-task graph against
  // 0.7 s with plain LLJIT at -O0.
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto llvmContext = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(**module, *llvmContext);
  if (!llvmModule)
    return fail("translation to LLVM IR failed:\n" + diagnostics);
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return fail("no JIT target: " + llvm::toString(machineBuilder.takeError()));
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::None);
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*machineBuilder))
                 .create();
  if (!jit)
    return fail("cannot create the JIT: " + llvm::toString(jit.takeError()));
  llvmModule->setDataLayout((*jit)->getDataLayout());
  {
    // The lowered code calls the runtime linked into this tool.
    llvm::orc::SymbolMap map;
    llvm::orc::MangleAndInterner interner((*jit)->getExecutionSession(),
                                          (*jit)->getDataLayout());
#define TGRT_SYMBOL(name, params)                                              \
  map[interner(#name)] = {llvm::orc::ExecutorAddr::fromPtr(&name),             \
                          llvm::JITSymbolFlags::Exported};
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
    if (llvm::Error err = (*jit)->getMainJITDylib().define(
            llvm::orc::absoluteSymbols(std::move(map))))
      return fail("cannot define the runtime symbols: " +
                  llvm::toString(std::move(err)));
  }
  if (llvm::Error err = (*jit)->addIRModule(llvm::orc::ThreadSafeModule(
          std::move(llvmModule), std::move(llvmContext))))
    return fail("JIT compilation failed: " + llvm::toString(std::move(err)));

  // 3. Runtime and kernels: tb<g> and tb<g>_in<N> for every N that occurs.
  tgrt_config config;
  tgrt_config_init(&config);
  config.num_cpu_workers = options.workers;
  config.num_gpus = 0;
  config.stream_mode = TGRT_STREAMS_EMULATED;
  if (options.spin >= 0)
    config.spin_iterations = static_cast<uint32_t>(options.spin);
  tgrt_runtime runtime = nullptr;
  if (tgrt_runtime_create(&config, &runtime) != TGRT_OK)
    return fail(std::string("cannot create the runtime: ") +
                tgrt_last_error());
  for (auto &g : graphs) {
    std::string base = "tb" + std::to_string(g->index);
    std::vector<bool> seen;
    auto reg = [&](const std::string &name) {
      if (tgrt_register_cpu_kernel(runtime, name.c_str(), taskKernel,
                                   g.get()) != TGRT_OK) {
        fail("cannot register kernel " + name + ": " + tgrt_last_error());
        std::exit(1);
      }
    };
    reg(base);
    for (int64_t id = 0; id < g->numTasks(); ++id) {
      size_t n = g->numInputs(id);
      if (n >= seen.size())
        seen.resize(n + 1, false);
      if (!seen[n]) {
        seen[n] = true;
        reg(base + "_in" + std::to_string(n));
      }
    }
  }

  // 4. Instantiate every graph; bind one 64-byte-aligned buffer per argument.
  struct Instance {
    tgrt_graph graph = nullptr;
    std::vector<uint64_t> params;
    std::vector<tgrt_event> pre;
    std::vector<std::unique_ptr<uint8_t[]>> storage;
  };
  std::vector<Instance> instances(infos.size());
  double instantiateSeconds = 0;
  for (size_t g = 0; g < infos.size(); ++g) {
    auto fn = (*jit)->lookup(instantiateFunctionName(infos[g].name));
    if (!fn)
      return fail("no instantiate function for @" + infos[g].name + ": " +
                  llvm::toString(fn.takeError()));
    auto instantiate = fn->toPtr<tgrt_graph (*)(tgrt_runtime)>();
    Instance &inst = instances[g];
    double callStart = tb::now();
    inst.graph = instantiate(runtime);
    instantiateSeconds += tb::now() - callStart;
    if (!inst.graph)
      return fail("cannot instantiate @" + infos[g].name + ": " +
                  tgrt_last_error());
    for (uint64_t bytes : infos[g].bufferBytes) {
      if (!bytes) {
        inst.params.push_back(0);
        continue;
      }
      // One slot per cache line pair so that neighbours do not share lines.
      size_t size = (bytes + 127) / 64 * 64;
      inst.storage.emplace_back(new uint8_t[size]());
      uintptr_t p = reinterpret_cast<uintptr_t>(inst.storage.back().get());
      inst.params.push_back((p + 63) / 64 * 64);
    }
    inst.pre.resize(infos[g].numPreconditions);
  }
  double compileSeconds = tb::now() - compileStart;
  if (options.verbose)
    std::printf("Compile: %.3f seconds (pipeline %.3f, lowering %.3f, JIT "
                "%.3f, instantiate %.3f)\n",
                compileSeconds, pipelineSeconds, lowerSeconds,
                compileSeconds - pipelineSeconds - lowerSeconds -
                    instantiateSeconds,
                instantiateSeconds);

  // 5. Replay: an execution is one replay of every graph, concurrently, and
  //    the wait for all; tb::measure does the warm-up and the timed ones.
  std::vector<tgrt_event> done(instances.size());
  auto execute = [&]() -> bool {
    for (size_t g = 0; g < instances.size(); ++g) {
      Instance &inst = instances[g];
      for (tgrt_event &e : inst.pre)
        if (tgrt_event_create(runtime, &e) != TGRT_OK ||
            tgrt_event_trigger(e) != TGRT_OK)
          return fail(std::string("precondition: ") + tgrt_last_error()), false;
      tgrt_status s =
          tgrt_graph_replay(inst.graph, inst.pre.data(), inst.pre.size(),
                            inst.params.data(), inst.params.size(), &done[g]);
      for (tgrt_event e : inst.pre)
        tgrt_event_release(e);
      if (s != TGRT_OK)
        return fail(std::string("replay: ") + tgrt_last_error()), false;
    }
    bool ok = true;
    for (tgrt_event &e : done) {
      if (tgrt_event_wait(e) != TGRT_OK) {
        fail(std::string("replay failed: ") + tgrt_last_error());
        ok = false;
      }
      tgrt_event_release(e);
    }
    return ok;
  };
  int rc = tb::measure(kTool, options, graphs, execute);
  for (Instance &inst : instances)
    tgrt_graph_destroy(inst.graph);
  tgrt_runtime_destroy(runtime);
  return rc;
}
