//===- FuzzPipeline.cpp - fuzz the compiler: parse, pipeline, lowering ----===//
//
// libFuzzer target tgraph-fuzz-pipeline. The input is the text of a .mlir
// module. It is parsed (and verified) in a fresh context with the dialects
// tgraph-opt registers, then `tgraph-pipeline` runs on it, then
// `convert-tgraph-to-runtime`. Diagnostics (parse errors, verifier and pass
// failures) are expected and swallowed; crashes, sanitizer reports, hangs
// and leaks are bugs.
//
// The lowering's output is then checked against the runtime: every graph
// program it emits (mode=program) must build with tgrt_graph_build on a
// runtime of the module's machine (emulated streams) with the module's
// kernels registered (harmless bodies), and a graph without arguments is
// replayed once. A refusal is a contract bug between compiler and runtime
// and aborts.
//
// An optional first line sets the pipeline's machine and the lowering mode:
//   // fuzz-options: cpus=2 gpus=1 streams-per-gpu=2 copy-streams=1 mode=calls
// (each key optional; values are clamped to -1..64, -1 = the module's).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Runtime/tgrt.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#ifdef TGRAPH_FUZZ_GENERATE
#include "ModuleGenerator.h"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace mlir;

namespace {

struct FuzzOptions {
  int cpus = -1, gpus = -1, streamsPerGpu = -1, copyStreams = -1;
  bool callsMode = false;
};

/// Reads `key=N` from the options line; leaves `out` alone if absent.
void readInt(llvm::StringRef line, llvm::StringRef key, int &out) {
  size_t pos = line.find((key + "=").str());
  if (pos == llvm::StringRef::npos)
    return;
  llvm::StringRef rest = line.drop_front(pos + key.size() + 1);
  long long v = 0;
  if (rest.consumeInteger(10, v))
    return;
  out = static_cast<int>(v < -1 ? -1 : v > 64 ? 64 : v);
}

FuzzOptions readOptions(llvm::StringRef text) {
  FuzzOptions o;
  llvm::StringRef line = text.split('\n').first;
  if (!line.starts_with("// fuzz-options:"))
    return o;
  readInt(line, "cpus", o.cpus);
  readInt(line, "gpus", o.gpus);
  readInt(line, "streams-per-gpu", o.streamsPerGpu);
  readInt(line, "copy-streams", o.copyStreams);
  o.callsMode = line.contains("mode=calls");
  return o;
}

bool allScheduled(ModuleOp module) {
  for (tgraph::GraphOp graph : module.getOps<tgraph::GraphOp>())
    if (!graph->hasAttr("tgraph.scheduled"))
      return false;
  return true;
}

/// What the runtime check needs of the scheduled module (the lowering
/// replaces the graphs).
struct ScheduledModule {
  tgraph::MachineAttr machine;
  struct Kernel {
    std::string name;
    bool gpu, streamOrdered;
  };
  std::vector<Kernel> kernels;
  std::map<std::string, bool> graphHasArgs;
};

ScheduledModule describe(ModuleOp module) {
  ScheduledModule m;
  m.machine = module->getAttrOfType<tgraph::MachineAttr>("tgraph.machine");
  for (tgraph::KernelOp kernel : module.getOps<tgraph::KernelOp>())
    m.kernels.push_back({kernel.getSymName().str(),
                         kernel.getTarget() == tgraph::Target::gpu,
                         kernel.getStreamOrdered()});
  for (tgraph::GraphOp graph : module.getOps<tgraph::GraphOp>())
    m.graphHasArgs[graph.getSymName().str()] =
        graph.getBodyBlock().getNumArguments() != 0;
  return m;
}

int32_t harmlessKernel(tgrt_task_context *ctx) {
  for (uint32_t i = 0; i < ctx->num_results; ++i)
    ctx->results[i] = 0;
  return 0;
}

/// A runtime of `config` with `kernels` registered. Starting one (a thread
/// per worker and emulated stream) costs more than compiling a small
/// module, so the last few are kept (their threads sleep when idle); the
/// generated modules always declare the same kernels.
tgrt_runtime runtimeFor(const tgrt_config &config,
                        const std::vector<ScheduledModule::Kernel> &kernels) {
  std::string key = std::to_string(config.num_cpu_workers) + "/" +
                    std::to_string(config.num_gpus) + "/" +
                    std::to_string(config.streams_per_gpu) + "/" +
                    std::to_string(config.copy_streams_per_gpu);
  for (const ScheduledModule::Kernel &k : kernels)
    key += " " + k.name + (k.gpu ? (k.streamOrdered ? ":gs" : ":g") : ":c");
  static std::vector<std::pair<std::string, tgrt_runtime>> cache;
  for (auto &[cachedKey, cachedRuntime] : cache)
    if (cachedKey == key)
      return cachedRuntime;
  tgrt_runtime rt = nullptr;
  if (tgrt_runtime_create(&config, &rt) != TGRT_OK)
    return nullptr;
  for (const ScheduledModule::Kernel &k : kernels) {
    if (k.gpu)
      tgrt_register_gpu_kernel(rt, k.name.c_str(), harmlessKernel, nullptr,
                               k.streamOrdered ? TGRT_KERNEL_STREAM_ORDERED
                                               : 0);
    else
      tgrt_register_cpu_kernel(rt, k.name.c_str(), harmlessKernel, nullptr);
  }
  if (cache.size() == 8) {
    tgrt_runtime_destroy(cache.front().second);
    cache.erase(cache.begin());
  }
  cache.push_back({key, rt});
  return rt;
}

[[noreturn]] void contractFailure(const std::string &graph, const char *what) {
  std::fprintf(stderr,
               "fuzz: the runtime refused graph @%s as lowered by "
               "convert-tgraph-to-runtime: %s: %s\n",
               graph.c_str(), what, tgrt_last_error());
  std::abort();
}

/// Builds (and, without arguments, replays) every graph program of the
/// lowered module on a runtime of the scheduled module's machine.
void checkPrograms(ModuleOp lowered, const ScheduledModule &scheduled) {
  std::map<std::string, std::pair<std::string, std::string>> programs;
  for (LLVM::GlobalOp global : lowered.getOps<LLVM::GlobalOp>()) {
    auto value = dyn_cast_or_null<StringAttr>(global.getValueOrNull());
    if (!value)
      continue;
    llvm::StringRef name = global.getSymName();
    if (name.consume_front("__tgraph_program_"))
      programs[name.str()].first = value.getValue().str();
    else if (name.consume_front("__tgraph_strings_"))
      programs[name.str()].second = value.getValue().str();
  }
  if (programs.empty())
    return;
  tgrt_config config;
  tgrt_config_init(&config);
  if (scheduled.machine) {
    config.num_cpu_workers = scheduled.machine.getCpus();
    config.num_gpus = scheduled.machine.getGpus();
    config.streams_per_gpu = scheduled.machine.getStreamsPerGpu();
    config.copy_streams_per_gpu = scheduled.machine.getCopyStreams();
  } else {
    config.num_cpu_workers = 2;
  }
  // A thread per worker and per emulated stream: keep it small.
  if (config.num_cpu_workers > 8 || config.num_gpus > 2 ||
      config.streams_per_gpu > 8 || config.copy_streams_per_gpu > 4)
    return;
  config.stream_mode = TGRT_STREAMS_EMULATED;
  tgrt_runtime rt = runtimeFor(config, scheduled.kernels);
  if (!rt)
    return; // e.g. a machine the runtime does not take (0 streams)
  for (const auto &[graph, program] : programs) {
    const std::string &bytes = program.first;
    const std::string &strings = program.second;
    tgrt_graph g = nullptr;
    if (tgrt_graph_build(
            rt, graph.c_str(), reinterpret_cast<const uint8_t *>(bytes.data()),
            bytes.size(), strings.data(), strings.size(), &g) != TGRT_OK)
      contractFailure(graph, "tgrt_graph_build");
    auto it = scheduled.graphHasArgs.find(graph);
    if (it != scheduled.graphHasArgs.end() && !it->second) {
      tgrt_event done = nullptr;
      if (tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done) != TGRT_OK)
        contractFailure(graph, "tgrt_graph_replay");
      tgrt_event_wait(done);
      tgrt_event_release(done);
    }
    tgrt_graph_destroy(g);
  }
}

LogicalResult lower(MLIRContext &context, ModuleOp module, bool callsMode) {
  PassManager pm(&context);
  tgraph::ConvertTGraphToRuntimeOptions options;
  options.mode = callsMode ? "calls" : "program";
  pm.addPass(tgraph::createConvertTGraphToRuntime(options));
  if (failed(pm.run(module)))
    return failure();
  // The printers of whatever the lowering left behind.
  module.print(llvm::nulls());
  return success();
}

} // namespace

// LLVM's BumpPtrAllocator poisons and unpoisons its slabs for ASan in its
// inline code, which Debian's uninstrumented libMLIR.so shares without the
// unpoisoning: objects that libMLIR allocates in a slab this code poisoned
// read as "use-after-poison". Only manual poisoning is turned off; every
// other ASan check stays.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Bound the work per input: the pipeline is superlinear in places, and a
  // 100 KB module is not a smaller test case than a 16 KB one.
  if (size > (16 << 10))
    return -1;
#ifdef TGRAPH_FUZZ_GENERATE
  // tgraph-fuzz-pipeline-gen: the bytes choose a well-formed module.
  std::string text = tgraph_fuzz::generateModule(data, size);
  static const bool print = std::getenv("TGRAPH_FUZZ_PRINT") != nullptr;
  if (print)
    std::fprintf(stderr, "%s", text.c_str());
#else
  std::string text(reinterpret_cast<const char *>(data), size);
#endif
  const FuzzOptions fuzzOptions = readOptions(text);

  DialectRegistry registry;
  registry.insert<tgraph::TGraphDialect, func::FuncDialect, arith::ArithDialect,
                  cf::ControlFlowDialect, LLVM::LLVMDialect>();
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  // Swallow every diagnostic (parse errors, verifier, passes).
  ScopedDiagnosticHandler swallow(&context,
                                  [](Diagnostic &) { return success(); });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz-input"), llvm::SMLoc());
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, config);
  if (!module) {
#ifdef TGRAPH_FUZZ_GENERATE
    if (print)
      std::fprintf(stderr, "fuzz: the generated module does not parse\n");
#endif
    return 0;
  }

  // Already scheduled input (as in the Conversion tests): lower it as is too.
  if (allScheduled(*module)) {
    OwningOpRef<ModuleOp> clone(module->clone());
    (void)lower(context, *clone, fuzzOptions.callsMode);
  }

  PassManager pm(&context);
  tgraph::PipelineOptions pipeline;
  pipeline.cpus = fuzzOptions.cpus;
  pipeline.gpus = fuzzOptions.gpus;
  pipeline.streamsPerGpu = fuzzOptions.streamsPerGpu;
  pipeline.copyStreams = fuzzOptions.copyStreams;
  tgraph::buildPipeline(pm, pipeline);
  if (failed(pm.run(*module))) {
#ifdef TGRAPH_FUZZ_GENERATE
    if (print)
      std::fprintf(stderr, "fuzz: the pipeline failed\n");
#endif
    return 0;
  }
  // The printers of the scheduled form (what tgraph-opt would print).
  module->print(llvm::nulls());
  const ScheduledModule scheduled = describe(*module);
  if (succeeded(lower(context, *module, fuzzOptions.callsMode)) &&
      !fuzzOptions.callsMode)
    checkPrograms(*module, scheduled);
  return 0;
}
