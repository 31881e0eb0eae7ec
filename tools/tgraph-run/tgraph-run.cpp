//===- tgraph-run.cpp - compile and replay a task graph -------------------===//
//
// Runs a .mlir file end to end: parses it, compiles it with CompiledModule
// (tgraph-pipeline when the graphs are not scheduled yet, the lowering to
// the runtime calls and the LLVM dialect, MLIR's ExecutionEngine JIT),
// instantiates each graph once on a tgraph runtime (CUDA streams when a GPU
// is present, emulated streams otherwise), binds fresh zeroed buffers and
// the given scalars (or .npy files: --input), replays it N times, prints
// the results and timings and writes buffers to .npy files (--output).
//
//===----------------------------------------------------------------------===//

#include "BufferFiles.h"
#include "BuiltinKernels.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/AsmParser/AsmParserState.h"
#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/Runtime/tgrt.h"
#include "tgraph/Support/CapturedDiagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <optional>
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
    device("device",
           cl::desc("auto (CUDA when a GPU is present), emulated, cuda"),
           cl::init("auto"), cl::cat(category));
static cl::list<std::string>
    loads("load",
          cl::desc("Shared library exporting "
                   "`int tgraph_register_kernels(tgrt_runtime)`"),
          cl::cat(category));
static cl::opt<std::string> trace("trace",
                                  cl::desc("Write the last replay's timeline "
                                           "(Chrome trace JSON) here"),
                                  cl::cat(category));
static cl::list<std::string>
    scalars("scalar",
            cl::desc("Value of the next scalar graph argument, in "
                     "order (integers or floats); default 0"),
            cl::cat(category));
static cl::opt<std::string> graphName("graph", cl::desc("Run only this graph"),
                                      cl::cat(category));
static cl::opt<bool> printBuffers("print-buffers",
                                  cl::desc("Print the first elements of each "
                                           "buffer argument after the replays"),
                                  cl::cat(category));
static cl::list<std::string>
    inputs("input",
           cl::desc("NAME=FILE.npy: initialise buffer argument NAME (%NAME "
                    "in the source, or #N for argument N; GRAPH.NAME with "
                    "several graphs) from a NumPy .npy file"),
           cl::value_desc("NAME=FILE.npy"), cl::cat(category));
static cl::list<std::string>
    outputs("output",
            cl::desc("NAME=FILE.npy: write buffer argument NAME to a NumPy "
                     ".npy file after the replays"),
            cl::value_desc("NAME=FILE.npy"), cl::cat(category));
static cl::opt<unsigned> cpus("cpus",
                              cl::desc("CPU workers (pipeline and "
                                       "runtime); default: the "
                                       "module's machine, else 2"),
                              cl::cat(category));
static cl::opt<unsigned> gpus("gpus",
                              cl::desc("GPUs; default: the module's "
                                       "machine, else 0"),
                              cl::cat(category));
static cl::opt<bool> printIR("print-lowered",
                             cl::desc("Print the lowered LLVM-dialect module"),
                             cl::cat(category));
static cl::opt<std::string>
    lowering("lowering",
             cl::desc("convert-tgraph-to-runtime's mode: program (default; "
                      "one tgrt_graph_build call) or calls (one call per "
                      "node, argument and edge)"),
             cl::init("program"), cl::cat(category));

namespace {
int fail(const llvm::Twine &message) {
  llvm::errs() << "tgraph-run: error: " << message << "\n";
  return 1;
}

std::string lastError() { return tgrt_last_error(); }

/// Parses the main file of `sourceMgr` into a module; with `argNames`, keeps
/// the names the source gives to each graph's arguments (`%x` is "x"; MLIR
/// keeps no value names in the IR) there, by graph. The parser's state that
/// holds them costs time and memory on big modules: only --input and
/// --output need it.
OwningOpRef<ModuleOp>
parseModule(llvm::SourceMgr &sourceMgr, MLIRContext &context,
            llvm::StringMap<std::vector<std::string>> *argNames) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  // Bytecode has no names: its arguments are #N only.
  if (!argNames || isBytecode(buffer->getMemBufferRef()))
    return parseSourceFile<ModuleOp>(sourceMgr, &context);
  AsmParserState asmState;
  Block block;
  ParserConfig config(&context);
  if (failed(parseAsmSourceFile(sourceMgr, &block, config, &asmState)))
    return nullptr;
  auto fileLoc =
      FileLineColLoc::get(&context, buffer->getBufferIdentifier(), 0, 0);
  OwningOpRef<ModuleOp> module =
      mlir::detail::constructContainerOpForParserIfNecessary<ModuleOp>(
          &block, &context, fileLoc);
  if (!module)
    return nullptr;
  for (GraphOp graph : module->getOps<GraphOp>()) {
    Block &body = graph.getBodyBlock();
    const AsmParserState::BlockDefinition *def = asmState.getBlockDef(&body);
    if (!def || def->arguments.size() != body.getNumArguments())
      continue;
    std::vector<std::string> &names = (*argNames)[graph.getSymName()];
    for (const AsmParserState::SMDefinition &arg : def->arguments) {
      llvm::StringRef text(arg.loc.Start.getPointer(),
                           arg.loc.End.getPointer() -
                               arg.loc.Start.getPointer());
      names.push_back(text.starts_with("%") ? text.drop_front().str() : "");
    }
  }
  return module;
}

/// A buffer argument's memory for the replays.
struct BufferArg {
  unsigned arg = 0;
  uint64_t bytes = 0;
  int32_t memKind = TGRT_MEM_HOST;
  void *pointer = nullptr;
};
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

  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  llvm::StringMap<std::vector<std::string>> argNames;
  bool useFiles = !inputs.empty() || !outputs.empty();
  OwningOpRef<ModuleOp> module =
      parseModule(sourceMgr, context, useFiles ? &argNames : nullptr);
  if (!module)
    return 1;

  // --input and --output: every file is read and checked (and every output
  // path tried) before anything is compiled or runs. The graphs are those
  // that will run: compile() describes the module's top-level graphs.
  std::optional<tgraph_run::BufferFiles> bufferFiles;
  if (useFiles) {
    std::vector<tgraph_run::GraphInfo> infos;
    for (GraphOp op : module->getOps<GraphOp>()) {
      if (!graphName.empty() && op.getSymName() != graphName)
        continue;
      tgraph_run::GraphInfo info;
      info.name = op.getSymName().str();
      auto names = argNames.find(info.name);
      for (BlockArgument arg : op.getBodyBlock().getArguments()) {
        tgraph_run::ArgumentInfo a;
        a.type = arg.getType();
        if (names != argNames.end())
          a.name = names->second[arg.getArgNumber()];
        info.args.push_back(std::move(a));
      }
      infos.push_back(std::move(info));
    }
    // Without graphs, the error is the one below ("no graph named ...").
    if (!infos.empty()) {
      auto prepared = tgraph_run::BufferFiles::prepare(inputs, outputs, infos);
      if (!prepared)
        return fail(llvm::toString(prepared.takeError()));
      bufferFiles = std::move(*prepared);
    }
  }

  // The machine: flags, else the module's, else 2 CPU workers. The
  // diagnostics of the pipeline and the lowering go to the source manager's
  // handler (with the source lines), so only other errors are printed here.
  CompileOptions options;
  options.lowering = lowering;
  if (cpus.getNumOccurrences())
    options.cpus = cpus;
  if (gpus.getNumOccurrences())
    options.gpus = gpus;
  options.forwardDiagnostics = true;
  if (printIR)
    options.printLowered = &llvm::outs();
  auto compiled = CompiledModule::compile(*module, options);
  if (!compiled) {
    int exitCode = 1;
    llvm::handleAllErrors(
        compiled.takeError(), [](const DiagnosticsError &) {},
        [&](const llvm::ErrorInfoBase &e) { exitCode = fail(e.message()); });
    return exitCode;
  }

  std::vector<const GraphSignature *> graphs;
  for (const GraphSignature &sig : (*compiled)->graphs())
    if (graphName.empty() || sig.name == graphName)
      graphs.push_back(&sig);
  if (graphs.empty())
    return fail(graphName.empty() ? "the module has no tgraph.graph"
                                  : "no graph named '" + graphName + "'");

  // The runtime.
  const MachineConfig &machine = (*compiled)->machine();
  tgrt_stream_mode mode;
  if (device == "emulated")
    mode = TGRT_STREAMS_EMULATED;
  else if (device == "cuda")
    mode = TGRT_STREAMS_CUDA;
  else if (device == "auto")
    mode = TGRT_STREAMS_AUTO;
  else
    return fail("unknown --device '" + device +
                "'; expected auto, emulated "
                "or cuda");
  tgrt_config config = (*compiled)->runtimeConfig(mode);
  tgrt_runtime runtime = nullptr;
  if (tgrt_runtime_create(&config, &runtime) != TGRT_OK)
    return fail("cannot create the runtime: " + lastError());
  llvm::scope_exit destroyRuntime([&] { tgrt_runtime_destroy(runtime); });
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
  llvm::outs() << "runtime: " << machine.cpus << " CPU workers, "
               << machine.gpus << " GPUs, " << (usesCuda ? "CUDA" : "emulated")
               << " streams\n";

  int exitCode = 0;
  for (const GraphSignature *info : graphs) {
    // Declared before the graph so that they are freed after it is.
    std::vector<BufferArg> buffers;
    llvm::scope_exit freeBuffers([&] {
      for (BufferArg &b : buffers)
        tgrt_mem_free(runtime, b.memKind, b.pointer);
    });
    auto instantiated = (*compiled)->instantiate(runtime, info->name);
    if (!instantiated)
      return fail(llvm::toString(instantiated.takeError()));
    ExecutableGraph &graph = *instantiated;
    if (!trace.empty())
      llvm::consumeError(graph.setTracing(true));

    // Parameters: buffers are fresh runtime memory (device memory for gpu
    // buffers on CUDA streams), zeroed or holding their --input file's
    // elements; scalars in order.
    std::vector<Param> params(info->numParams);
    unsigned nextScalar = 0;
    for (auto [i, a] : llvm::enumerate(info->args)) {
      if (a.kind == GraphSignature::Argument::Buffer) {
        BufferArg b;
        b.arg = i;
        b.bytes = std::max<uint64_t>(a.bytes, 8);
        b.memKind = a.onGpu ? TGRT_MEM_DEVICE : TGRT_MEM_HOST;
        std::vector<char> initial(b.bytes, 0);
        const tgraph_run::BufferFile *input =
            bufferFiles ? bufferFiles->input(info->name, i) : nullptr;
        if (input)
          std::copy(input->data.begin(),
                    input->data.begin() +
                        std::min<uint64_t>(input->data.size(), b.bytes),
                    initial.begin());
        if (tgrt_mem_alloc(runtime, b.memKind, b.bytes, &b.pointer) != TGRT_OK)
          return fail("cannot allocate a buffer: " + lastError());
        buffers.push_back(b);
        if (tgrt_mem_copy(runtime, b.pointer, initial.data(), b.bytes) !=
            TGRT_OK)
          return fail((input ? input->flag + ": cannot copy the data into "
                                             "the buffer: "
                             : std::string("cannot initialise a buffer: ")) +
                      lastError());
        params[a.param] = Param(b.pointer);
      } else if (a.kind == GraphSignature::Argument::Scalar &&
                 nextScalar < scalars.size()) {
        std::optional<uint64_t> word = parseWord(a.type, scalars[nextScalar++]);
        if (!word)
          return fail("--scalar '" + scalars[nextScalar - 1] +
                      "' is not an integer");
        params[a.param] = Param::fromBits(*word);
      }
    }

    // Preconditions: one user event per event argument, triggered at once.
    std::vector<tgrt_event> pre(info->numPreconditions);
    auto start = std::chrono::steady_clock::now();
    Completion done;
    bool ok = true;
    std::string failure;
    for (unsigned r = 0; r < replays && ok; ++r) {
      for (tgrt_event &e : pre)
        if (tgrt_event_create(runtime, &e) != TGRT_OK ||
            tgrt_event_trigger(e) != TGRT_OK)
          return fail("cannot create a precondition: " + lastError());
      done.reset();
      auto replayed = graph.replay(params, pre);
      if (replayed) {
        done = std::move(*replayed);
      } else {
        ok = false;
        failure = llvm::toString(replayed.takeError());
      }
      for (tgrt_event e : pre)
        tgrt_event_release(e);
    }
    if (done && ok) {
      if (llvm::Error e = done.wait()) {
        ok = false;
        failure = llvm::toString(std::move(e));
      }
    }
    llvm::consumeError(graph.waitIdle());
    auto elapsed = std::chrono::duration<double, std::nano>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    done.reset();

    llvm::outs() << "graph @" << info->name << ": " << info->numNodes
                 << " nodes, " << replays << " replays";
    if (!ok) {
      llvm::outs() << ", FAILED: " << failure << "\n";
      exitCode = 1;
    } else {
      llvm::outs() << llvm::format(", %.0f ns per replay", elapsed / replays);
      if (info->numNodes)
        llvm::outs() << llvm::format(", %.1f ns per node",
                                     elapsed / replays / info->numNodes);
      // All-GPU graphs of capturable kernels (the GPU built-ins are)
      // replay from a recorded device graph (docs/runtime.md).
      int32_t recorded = 0;
      if (tgrt_graph_last_replay_captured(graph.handle(), &recorded) ==
              TGRT_OK &&
          recorded)
        llvm::outs() << ", as a device graph";
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
    for (auto [i, r] : llvm::enumerate(info->results)) {
      llvm::outs() << "result #" << i << ": ";
      switch (r.kind) {
      case GraphSignature::Result::TaskValue: {
        auto word = graph.resultBits(i);
        if (!word)
          llvm::outs() << "unavailable (" << llvm::toString(word.takeError())
                       << ")\n";
        else
          llvm::outs() << formatWord(r.type, *word) << "\n";
        break;
      }
      case GraphSignature::Result::ConstantValue:
        llvm::outs() << r.constantText << "\n";
        break;
      case GraphSignature::Result::Event:
        llvm::outs() << "event\n";
        break;
      case GraphSignature::Result::Predicate:
        llvm::outs() << "predicate\n";
        break;
      }
    }
    if (printBuffers) {
      for (const BufferArg &b : buffers) {
        const GraphSignature::Argument &a = info->args[b.arg];
        llvm::outs() << "buffer #" << b.arg << ":";
        std::vector<char> contents(b.bytes);
        if (tgrt_mem_copy(runtime, contents.data(), b.pointer, b.bytes) !=
            TGRT_OK)
          return fail("cannot read a buffer back: " + lastError());
        unsigned width = a.type.byteWidth();
        for (int64_t k = 0; k < std::min<int64_t>(a.numElements, 8); ++k) {
          uint64_t word = 0;
          std::memcpy(&word, contents.data() + k * width, width);
          llvm::outs() << ' ' << formatWord(a.type, word);
        }
        llvm::outs() << (a.numElements > 8 ? " ...\n" : "\n");
      }
    }
    if (bufferFiles) {
      for (const tgraph_run::BufferFile *output :
           bufferFiles->outputsOf(info->name)) {
        if (!ok) {
          llvm::errs() << "tgraph-run: error: " << output->flag
                       << ": not written: graph @" << info->name << " failed\n";
          continue;
        }
        auto b = llvm::find_if(
            buffers, [&](const BufferArg &b) { return b.arg == output->arg; });
        if (b == buffers.end())
          return fail(output->flag + ": argument #" + llvm::Twine(output->arg) +
                      " of graph @" + info->name + " has no buffer");
        const GraphSignature::Argument &a = info->args[output->arg];
        std::vector<char> contents(b->bytes);
        if (tgrt_mem_copy(runtime, contents.data(), b->pointer, b->bytes) !=
            TGRT_OK)
          return fail(output->flag +
                      ": cannot read the buffer back: " + lastError());
        contents.resize(a.bytes);
        if (llvm::Error e = tgraph_run::BufferFiles::write(*output, contents))
          return fail(llvm::toString(std::move(e)));
        llvm::outs() << "output " << output->label << ": " << output->path
                     << "\n";
      }
    }
    if (!trace.empty()) {
      if (llvm::Error e = graph.writeTrace(trace))
        return fail("cannot write the trace: " + llvm::toString(std::move(e)));
      llvm::outs() << "trace: " << trace << "\n";
    }
  }
  return exitCode;
}
