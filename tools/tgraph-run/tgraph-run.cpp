//===- tgraph-run.cpp - compile and replay a task graph -------------------===//
//
// Runs a .mlir file end to end: parses it, applies tgraph-pipeline when the
// graphs are not scheduled yet, lowers them to the runtime calls and the
// LLVM dialect, JIT-compiles that with MLIR's ExecutionEngine, instantiates
// each graph once on a tgraph runtime (CUDA streams when a GPU is present,
// emulated streams otherwise), binds fresh zeroed buffers and the given
// scalars, replays it N times and prints the results and timings.
//
//===----------------------------------------------------------------------===//

#include "BuiltinKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Runtime/tgrt.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <vector>

using namespace mlir;
using namespace mlir::tgraph;
namespace cl = llvm::cl;

static cl::OptionCategory category("tgraph-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<unsigned> replays("replays", cl::desc("Replays of each graph"),
                                 cl::init(1), cl::cat(category));
static cl::opt<std::string>
    device("device", cl::desc("auto (CUDA when a GPU is present), emulated, cuda"),
           cl::init("auto"), cl::cat(category));
static cl::list<std::string>
    loads("load", cl::desc("Shared library exporting "
                           "`int tgraph_register_kernels(tgrt_runtime)`"),
          cl::cat(category));
static cl::opt<std::string> trace("trace",
                                  cl::desc("Write the last replay's timeline "
                                           "(Chrome trace JSON) here"),
                                  cl::cat(category));
static cl::list<std::string>
    scalars("scalar", cl::desc("Value of the next scalar graph argument, in "
                               "order (integers or floats); default 0"),
            cl::cat(category));
static cl::opt<std::string> graphName("graph",
                                      cl::desc("Run only this graph"),
                                      cl::cat(category));
static cl::opt<bool> printBuffers("print-buffers",
                                  cl::desc("Print the first elements of each "
                                           "buffer argument after the replays"),
                                  cl::cat(category));
static cl::opt<unsigned> cpus("cpus", cl::desc("CPU workers (pipeline and "
                                               "runtime); default: the "
                                               "module's machine, else 2"),
                              cl::cat(category));
static cl::opt<unsigned> gpus("gpus", cl::desc("GPUs; default: the module's "
                                               "machine, else 0"),
                              cl::cat(category));
static cl::opt<bool> printIR("print-lowered",
                             cl::desc("Print the lowered LLVM-dialect module"),
                             cl::cat(category));

namespace {
int fail(const llvm::Twine &message) {
  llvm::errs() << "tgraph-run: error: " << message << "\n";
  return 1;
}

std::string lastError() { return tgrt_last_error(); }

bool isScheduled(ModuleOp module) {
  for (GraphOp graph : module.getOps<GraphOp>())
    if (!graph->hasAttr("tgraph.scheduled"))
      return false;
  return true;
}

/// What a graph argument becomes at replay time.
struct ArgInfo {
  Type type;
  unsigned param = 0;
  uint64_t bytes = 0;     // buffers: their size
  int32_t memKind = 0;    // buffers: TGRT_MEM_HOST or TGRT_MEM_DEVICE
  void *buffer = nullptr; // buffers: zeroed memory from tgrt_mem_alloc
};

/// One graph to run: its arguments and results, read from the scheduled IR
/// before lowering.
struct GraphInfo {
  std::string name;
  std::vector<ArgInfo> args;
  unsigned numPreconditions = 0, numParams = 0, numNodes = 0;
  /// Results that are task values: (node, result index, type).
  struct Result {
    int node = -1;
    unsigned index = 0;
    Type type;
    std::string what;
  };
  std::vector<Result> results;
};

uint64_t wordFor(Type type, const std::string &text, bool &ok) {
  ok = true;
  if (isa<FloatType>(type)) {
    double d = std::strtod(text.c_str(), nullptr);
    if (type.isF32()) {
      float f = d;
      uint32_t b;
      std::memcpy(&b, &f, 4);
      return b;
    }
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return b;
  }
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 0);
  ok = end && *end == '\0';
  return static_cast<uint64_t>(v);
}

std::string format(Type type, uint64_t word) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (type.isF64()) {
    double d;
    std::memcpy(&d, &word, 8);
    os << llvm::format("%g", d);
  } else if (type.isF32()) {
    float f;
    uint32_t b = uint32_t(word);
    std::memcpy(&f, &b, 4);
    os << llvm::format("%g", f);
  } else if (type.isInteger(1)) {
    os << (word ? "true" : "false");
  } else {
    os << static_cast<int64_t>(word);
  }
  return s;
}

GraphInfo describeGraph(GraphOp graph) {
  GraphInfo info;
  info.name = graph.getSymName().str();
  auto ids = runtimeNodeIds(graph);
  info.numNodes = ids.size();
  for (BlockArgument arg : graph.getBodyBlock().getArguments()) {
    ArgInfo a;
    a.type = arg.getType();
    if (isa<EventType>(a.type)) {
      ++info.numPreconditions;
    } else if (!isa<PredType>(a.type)) {
      a.param = info.numParams++;
      if (auto buffer = dyn_cast<BufferType>(a.type)) {
        Type elem = buffer.getElementType();
        int64_t bytes =
            buffer.getSize() *
            (elem.isIndex() ? 8 : (elem.getIntOrFloatBitWidth() + 7) / 8);
        a.bytes = std::max<int64_t>(bytes, 8);
        a.memKind = buffer.isOnGpu() ? TGRT_MEM_DEVICE : TGRT_MEM_HOST;
      }
    }
    info.args.push_back(std::move(a));
  }
  auto yield = cast<YieldOp>(graph.getBodyBlock().getTerminator());
  for (Value v : yield.getOperands()) {
    GraphInfo::Result r;
    r.type = v.getType();
    if (auto value = dyn_cast<ValueType>(v.getType())) {
      r.type = value.getType();
      if (auto task = v.getDefiningOp<TaskOp>()) {
        r.node = ids.lookup(task);
        r.index = cast<OpResult>(v).getResultNumber() - 1;
      } else if (auto c = v.getDefiningOp<ValueConstOp>()) {
        std::string s;
        llvm::raw_string_ostream os(s);
        c.getValue().print(os, /*elideType=*/true);
        r.what = s;
      }
    } else {
      r.what = isa<EventType>(v.getType()) ? "event" : "predicate";
    }
    info.results.push_back(r);
  }
  return info;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  std::string overview =
      "tgraph-run: compile and replay task graphs\n\nBuilt-in kernels:\n" +
      tgraph_run::builtinKernelHelp();
  cl::ParseCommandLineOptions(argc, argv, overview);

  MLIRContext context;
  context.loadDialect<TGraphDialect, func::FuncDialect, arith::ArithDialect,
                      cf::ControlFlowDialect, LLVM::LLVMDialect>();
  registerBuiltinDialectTranslation(context);
  registerLLVMDialectTranslation(context);

  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  // The machine: flags, else the module's, else 2 CPU workers.
  unsigned numCpus = 2, numGpus = 0, streams = 2, copyStreams = 1;
  if (auto m = (*module)->getAttrOfType<MachineAttr>("tgraph.machine")) {
    numCpus = m.getCpus();
    numGpus = m.getGpus();
    streams = m.getStreamsPerGpu();
    copyStreams = m.getCopyStreams();
  }
  if (cpus.getNumOccurrences())
    numCpus = cpus;
  if (gpus.getNumOccurrences())
    numGpus = gpus;

  if (!isScheduled(*module)) {
    PassManager pm(&context);
    PipelineOptions options;
    options.cpus = numCpus;
    options.gpus = numGpus;
    options.streamsPerGpu = streams;
    options.copyStreams = copyStreams;
    // The pipeline records the machine it used on the module.
    buildPipeline(pm, options);
    if (failed(pm.run(*module)))
      return 1;
  }

  std::vector<GraphInfo> graphs;
  for (GraphOp graph : module->getOps<GraphOp>())
    if (graphName.empty() || graph.getSymName() == graphName)
      graphs.push_back(describeGraph(graph));
  if (graphs.empty())
    return fail(graphName.empty() ? "the module has no tgraph.graph"
                                  : "no graph named '" + graphName + "'");

  PassManager lower(&context);
  buildLowerToLLVMPipeline(lower);
  if (failed(lower.run(*module)))
    return 1;
  if (printIR)
    module->print(llvm::outs());

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  ExecutionEngineOptions engineOptions;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return fail("JIT compilation failed: " + llvm::toString(engine.takeError()));
  // The lowered code calls the runtime linked into this tool.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
#define TGRT_SYMBOL(name, params)                                              \
  map[interner(#name)] = {llvm::orc::ExecutorAddr::fromPtr(&name),             \
                          llvm::JITSymbolFlags::Exported};
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
    return map;
  });

  // The runtime.
  tgrt_config config;
  tgrt_config_init(&config);
  config.num_cpu_workers = numCpus;
  config.num_gpus = numGpus;
  config.streams_per_gpu = std::max(1u, streams);
  config.copy_streams_per_gpu = copyStreams;
  if (device == "emulated")
    config.stream_mode = TGRT_STREAMS_EMULATED;
  else if (device == "cuda")
    config.stream_mode = TGRT_STREAMS_CUDA;
  else if (device == "auto")
    config.stream_mode = TGRT_STREAMS_AUTO;
  else
    return fail("unknown --device '" + device + "'; expected auto, emulated "
                "or cuda");
  tgrt_runtime runtime = nullptr;
  if (tgrt_runtime_create(&config, &runtime) != TGRT_OK)
    return fail("cannot create the runtime: " + lastError());
  auto destroyRuntime = llvm::make_scope_exit([&] { tgrt_runtime_destroy(runtime); });
  int32_t usesCuda = 0;
  tgrt_runtime_uses_cuda(runtime, &usesCuda);
  if (tgraph_run::registerBuiltinKernels(runtime, usesCuda) != TGRT_OK)
    return fail("cannot register the built-in kernels: " + lastError());
  for (const std::string &path : loads) {
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      return fail("cannot load " + path + ": " + dlerror());
    using RegisterFn = int (*)(tgrt_runtime);
    auto registerKernels =
        reinterpret_cast<RegisterFn>(dlsym(handle, "tgraph_register_kernels"));
    if (!registerKernels)
      return fail(path + " does not export tgraph_register_kernels");
    if (registerKernels(runtime) != 0)
      return fail(path + ": tgraph_register_kernels failed: " + lastError());
  }
  llvm::outs() << "runtime: " << numCpus << " CPU workers, " << numGpus
               << " GPUs, " << (usesCuda ? "CUDA" : "emulated") << " streams\n";

  int exitCode = 0;
  for (GraphInfo &info : graphs) {
    auto fn = (*engine)->lookup(instantiateFunctionName(info.name));
    if (!fn)
      return fail("no instantiate function for @" + info.name + ": " +
                  llvm::toString(fn.takeError()));
    auto instantiate = reinterpret_cast<tgrt_graph (*)(tgrt_runtime)>(*fn);
    tgrt_graph graph = instantiate(runtime);
    if (!graph)
      return fail("cannot instantiate graph @" + info.name + ": " +
                  lastError());
    if (!trace.empty())
      tgrt_graph_set_tracing(graph, 1);

    // Parameters: buffers are fresh zeroed runtime memory (device memory
    // for gpu buffers on CUDA streams); scalars in order.
    std::vector<uint64_t> params(info.numParams, 0);
    unsigned nextScalar = 0;
    for (ArgInfo &a : info.args) {
      if (isa<EventType, PredType>(a.type))
        continue;
      if (a.bytes) {
        std::vector<char> zeros(a.bytes, 0);
        if (tgrt_mem_alloc(runtime, a.memKind, a.bytes, &a.buffer) !=
                TGRT_OK ||
            tgrt_mem_copy(runtime, a.buffer, zeros.data(), a.bytes) != TGRT_OK)
          return fail("cannot allocate a buffer: " + lastError());
        params[a.param] = reinterpret_cast<uintptr_t>(a.buffer);
      } else if (nextScalar < scalars.size()) {
        bool ok;
        params[a.param] = wordFor(a.type, scalars[nextScalar++], ok);
        if (!ok)
          return fail("--scalar '" + scalars[nextScalar - 1] +
                      "' is not an integer");
      }
    }

    // Preconditions: one user event per event argument, triggered at once.
    std::vector<tgrt_event> pre(info.numPreconditions);
    auto start = std::chrono::steady_clock::now();
    tgrt_event done = nullptr;
    tgrt_status status = TGRT_OK;
    std::string failure;
    for (unsigned r = 0; r < replays && status == TGRT_OK; ++r) {
      for (tgrt_event &e : pre)
        if (tgrt_event_create(runtime, &e) != TGRT_OK ||
            tgrt_event_trigger(e) != TGRT_OK)
          return fail("cannot create a precondition: " + lastError());
      if (done)
        tgrt_event_release(done);
      done = nullptr;
      status = tgrt_graph_replay(graph, pre.data(), pre.size(), params.data(),
                                 params.size(), &done);
      if (status != TGRT_OK)
        failure = lastError();
      for (tgrt_event e : pre)
        tgrt_event_release(e);
    }
    if (done && status == TGRT_OK) {
      status = tgrt_event_wait(done);
      if (status != TGRT_OK)
        failure = lastError();
    }
    tgrt_graph_wait_idle(graph);
    auto elapsed = std::chrono::duration<double, std::nano>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    if (done)
      tgrt_event_release(done);

    llvm::outs() << "graph @" << info.name << ": " << info.numNodes
                 << " nodes, " << replays << " replays";
    if (status != TGRT_OK) {
      llvm::outs() << ", FAILED: " << failure << "\n";
      exitCode = 1;
    } else {
      llvm::outs() << llvm::format(", %.0f ns per replay", elapsed / replays);
      if (info.numNodes)
        llvm::outs() << llvm::format(", %.1f ns per node",
                                     elapsed / replays / info.numNodes);
      llvm::outs() << "\n";
    }
    std::vector<int64_t> log = tgraph_run::takeRecordLog();
    if (!log.empty()) {
      // Long logs (many replays) are cut: the order is in the first ones.
      constexpr size_t kShown = 64;
      llvm::outs() << "record order:";
      for (size_t k = 0; k < std::min(log.size(), kShown); ++k)
        llvm::outs() << ' ' << log[k];
      if (log.size() > kShown)
        llvm::outs() << " ... (" << log.size() - kShown << " more)";
      llvm::outs() << "\n";
    }
    for (auto [i, r] : llvm::enumerate(info.results)) {
      llvm::outs() << "result #" << i << ": ";
      if (r.node >= 0) {
        uint64_t word = 0;
        if (tgrt_graph_get_result(graph, r.node, r.index, &word) != TGRT_OK)
          llvm::outs() << "unavailable (" << lastError() << ")\n";
        else
          llvm::outs() << format(r.type, word) << "\n";
      } else {
        llvm::outs() << r.what << "\n";
      }
    }
    if (printBuffers) {
      for (auto [i, a] : llvm::enumerate(info.args)) {
        auto buffer = dyn_cast<BufferType>(a.type);
        if (!buffer)
          continue;
        llvm::outs() << "buffer #" << i << ":";
        std::vector<char> contents(a.bytes);
        if (tgrt_mem_copy(runtime, contents.data(), a.buffer, a.bytes) !=
            TGRT_OK)
          return fail("cannot read a buffer back: " + lastError());
        Type elem = buffer.getElementType();
        unsigned width = elem.isIndex() ? 8 : (elem.getIntOrFloatBitWidth() + 7) / 8;
        for (int64_t k = 0; k < std::min<int64_t>(buffer.getSize(), 8); ++k) {
          uint64_t word = 0;
          std::memcpy(&word, contents.data() + k * width, width);
          llvm::outs() << ' ' << format(elem, word);
        }
        llvm::outs() << (buffer.getSize() > 8 ? " ...\n" : "\n");
      }
    }
    if (!trace.empty()) {
      if (tgrt_graph_write_trace(graph, trace.c_str()) != TGRT_OK)
        return fail("cannot write the trace: " + lastError());
      llvm::outs() << "trace: " << trace << "\n";
    }
    tgrt_graph_destroy(graph);
    for (ArgInfo &a : info.args)
      if (a.buffer)
        tgrt_mem_free(runtime, a.memKind, a.buffer);
  }
  return exitCode;
}
