//===- CompiledModule.cpp - compile, JIT and replay tgraph modules --------===//
//
// compile(): pipeline -> signatures read from the scheduled IR -> lowering ->
// ExecutionEngine with the runtime's symbols. The signatures are taken
// before lowering because the lowering replaces the graphs with their
// instantiate functions.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Execution/CompiledModule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "tgraph/Analysis/MachineModel.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Support/CapturedDiagnostics.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdlib>
#include <mutex>
#include <vector>

using namespace mlir;
using namespace mlir::tgraph;

//===----------------------------------------------------------------------===//
// Words and signatures
//===----------------------------------------------------------------------===//

ScalarType ScalarType::fromType(Type type) {
  ScalarType t;
  if (type.isIndex()) {
    t.kind = Index;
    t.width = 64;
  } else if (isa<FloatType>(type)) {
    t.kind = Float;
    t.width = type.getIntOrFloatBitWidth();
    t.isBF16 = type.isBF16();
  } else if (type.isIntOrFloat()) {
    t.kind = Integer;
    t.width = type.getIntOrFloatBitWidth();
    t.isUnsigned = type.isUnsignedInteger();
  }
  return t;
}

std::string mlir::tgraph::formatWord(ScalarType type, uint64_t word) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (type.isF64()) {
    os << llvm::format("%g", fromWord<double>(word));
  } else if (type.isF32()) {
    os << llvm::format("%g", fromWord<float>(word));
  } else if (type.kind == ScalarType::Float && type.width == 16) {
    llvm::APFloat half(type.isBF16 ? llvm::APFloat::BFloat()
                                   : llvm::APFloat::IEEEhalf(),
                       llvm::APInt(16, word & 0xffff));
    os << llvm::format("%g", half.convertToFloat());
  } else if (type.isI1()) {
    os << ((word & 1) ? "true" : "false");
  } else if (type.kind == ScalarType::Integer && type.width < 64) {
    if (type.isUnsigned)
      os << (word & ((uint64_t(1) << type.width) - 1));
    else
      os << llvm::SignExtend64(word, type.width);
  } else {
    os << static_cast<int64_t>(word);
  }
  return s;
}

std::optional<uint64_t> mlir::tgraph::parseWord(ScalarType type,
                                                llvm::StringRef text) {
  std::string str = text.str();
  if (type.kind == ScalarType::Float) {
    double d = std::strtod(str.c_str(), nullptr);
    return type.isF32() ? toWord(static_cast<float>(d)) : toWord(d);
  }
  char *end = nullptr;
  long long v = std::strtoll(str.c_str(), &end, 0);
  if (!end || *end != '\0')
    return std::nullopt;
  return static_cast<uint64_t>(v);
}

static GraphSignature describeGraph(GraphOp graph) {
  GraphSignature sig;
  sig.name = graph.getSymName().str();
  llvm::DenseMap<Operation *, unsigned> ids = runtimeNodeIds(graph);
  SmallVector<std::optional<unsigned>> params = graphParams(graph);
  sig.numNodes = ids.size();
  for (BlockArgument arg : graph.getBodyBlock().getArguments()) {
    GraphSignature::Argument a;
    Type type = arg.getType();
    if (isa<EventType>(type)) {
      a.kind = GraphSignature::Argument::Precondition;
      ++sig.numPreconditions;
    } else if (isa<PredType>(type)) {
      a.kind = GraphSignature::Argument::Predicate;
    } else if (auto buffer = dyn_cast<BufferType>(type)) {
      a.kind = GraphSignature::Argument::Buffer;
      a.param = *params[arg.getArgNumber()];
      ++sig.numParams;
      a.type = ScalarType::fromType(buffer.getElementType());
      a.numElements = buffer.getSize();
      a.bytes = uint64_t(buffer.getSize()) * a.type.byteWidth();
      a.onGpu = buffer.isOnGpu();
    } else {
      a.kind = GraphSignature::Argument::Scalar;
      a.param = *params[arg.getArgNumber()];
      ++sig.numParams;
      a.type = ScalarType::fromType(type);
    }
    sig.args.push_back(a);
  }
  auto yield = cast<YieldOp>(graph.getBodyBlock().getTerminator());
  for (Value v : yield.getOperands()) {
    GraphSignature::Result r;
    if (auto value = dyn_cast<ValueType>(v.getType())) {
      r.type = ScalarType::fromType(value.getType());
      if (auto task = v.getDefiningOp<TaskOp>()) {
        r.kind = GraphSignature::Result::TaskValue;
        r.node = ids.lookup(task);
        r.index = cast<OpResult>(v).getResultNumber() - 1;
      } else {
        r.kind = GraphSignature::Result::ConstantValue;
        if (auto c = v.getDefiningOp<ValueConstOp>()) {
          llvm::raw_string_ostream os(r.constantText);
          c.getValue().print(os, /*elideType=*/true);
          r.constantBits = wordOf(c.getValue()).value_or(0);
        }
      }
    } else if (isa<EventType>(v.getType())) {
      r.kind = GraphSignature::Result::Event;
    } else {
      r.kind = GraphSignature::Result::Predicate;
    }
    sig.results.push_back(r);
  }
  return sig;
}

//===----------------------------------------------------------------------===//
// CompiledModule
//===----------------------------------------------------------------------===//

static bool isScheduled(ModuleOp module) {
  for (GraphOp graph : module.getOps<GraphOp>())
    if (!TGraphDialect::ScheduledAttrHelper(module.getContext())
             .isAttrPresent(graph))
      return false;
  return true;
}

/// The tgrt functions the lowered code calls, resolved to the runtime linked
/// into this process.
static llvm::orc::SymbolMap
runtimeSymbolMap(llvm::orc::MangleAndInterner interner) {
  using llvm::JITSymbolFlags;
  using llvm::orc::ExecutorAddr;
  llvm::orc::SymbolMap map;
#define TGRT_SYMBOL(NAME, PARAMS, OP)                                          \
  map[interner(#NAME)] = {ExecutorAddr::fromPtr(&NAME),                        \
                          JITSymbolFlags::Exported};
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
  return map;
}

llvm::Expected<std::unique_ptr<CompiledModule>>
CompiledModule::compile(ModuleOp module, const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  context->loadDialect<TGraphDialect, func::FuncDialect, arith::ArithDialect,
                       cf::ControlFlowDialect, LLVM::LLVMDialect>();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  CapturedDiagnostics diagnostics(context, options.forwardDiagnostics);

  // The machine: the options, else the module's, else the defaults (the
  // passes resolve it the same way).
  std::unique_ptr<CompiledModule> result(new CompiledModule());
  FailureOr<Machine> resolved =
      resolveMachine(module, {options.cpus, options.gpus, options.streamsPerGpu,
                              options.copyStreams});
  if (failed(resolved))
    return diagnostics.takeError("the machine model is out of bounds");
  MachineConfig &machine = result->machineConfig;
  machine = *resolved;

  // The caller keeps its module as it was (e.g. the logical form it built).
  OwningOpRef<ModuleOp> clone(module.clone());
  if (!isScheduled(*clone)) {
    PassManager pm(context);
    PipelineOptions pipeline;
    pipeline.cpus = machine.cpus;
    pipeline.gpus = machine.gpus;
    pipeline.streamsPerGpu = machine.streamsPerGpu;
    pipeline.copyStreams = machine.copyStreams;
    buildPipeline(pm, pipeline);
    if (failed(pm.run(*clone)))
      return diagnostics.takeError("the tgraph pipeline failed");
  }

  for (GraphOp graph : clone->getOps<GraphOp>())
    result->signatures.push_back(describeGraph(graph));

  PassManager lower(context);
  buildLowerToLLVMPipeline(lower, options.lowering);
  if (failed(lower.run(*clone)))
    return diagnostics.takeError("the lowering to the LLVM dialect failed");
  if (options.printLowered)
    clone->print(*options.printLowered);

  static std::once_flag initTargets;
  std::call_once(initTargets, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  // The instantiate functions are straight-line code that runs once per
  // instantiation: compile them fast (-O0, no IR optimisation) rather than
  // well.
  ExecutionEngineOptions engineOptions;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::None;
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::None);
  auto targetMachine = machineBuilder->createTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();
  auto engine =
      ExecutionEngine::create(*clone, engineOptions, std::move(*targetMachine));
  if (!engine)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "JIT compilation failed: " +
                                       llvm::toString(engine.takeError()));
  (*engine)->registerSymbols(runtimeSymbolMap);
  result->engine = std::move(*engine);
  return std::move(result);
}

CompiledModule::~CompiledModule() = default;

const GraphSignature *CompiledModule::lookup(llvm::StringRef name) const {
  for (const GraphSignature &sig : signatures)
    if (sig.name == name)
      return &sig;
  return nullptr;
}

tgrt_config CompiledModule::runtimeConfig(tgrt_stream_mode mode) const {
  tgrt_config config;
  tgrt_config_init(&config);
  config.num_cpu_workers = machineConfig.cpus;
  config.num_gpus = machineConfig.gpus;
  config.streams_per_gpu = std::max(1u, machineConfig.streamsPerGpu);
  config.copy_streams_per_gpu = machineConfig.copyStreams;
  config.stream_mode = mode;
  return config;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error mlir::tgraph::runtimeError(llvm::StringRef prefix) {
  std::string message = tgrt_last_error();
  return makeError(prefix + message);
}

llvm::Expected<ExecutableGraph>
CompiledModule::instantiate(tgrt_runtime runtime, llvm::StringRef name) const {
  const GraphSignature *sig = lookup(name);
  if (!sig)
    return makeError("no graph named '" + name + "'");
  auto fn = engine->lookup(instantiateFunctionName(name));
  if (!fn)
    return makeError("no instantiate function for @" + name + ": " +
                     llvm::toString(fn.takeError()));
  auto instantiateFn = reinterpret_cast<tgrt_graph (*)(tgrt_runtime)>(*fn);
  tgrt_graph graph = instantiateFn(runtime);
  if (!graph)
    return runtimeError(("cannot instantiate graph @" + name + ": ").str());
  return ExecutableGraph(runtime, graph, *sig);
}

//===----------------------------------------------------------------------===//
// Completion and ExecutableGraph
//===----------------------------------------------------------------------===//

/// A failed tgrt call as an Error: the runtime's message, else the status.
static llvm::Error statusError(tgrt_status status) {
  if (status == TGRT_OK)
    return llvm::Error::success();
  std::string message = tgrt_last_error();
  if (message.empty())
    message = tgrt_status_string(status);
  return makeError(message);
}

Completion &Completion::operator=(Completion &&other) noexcept {
  if (this != &other) {
    reset();
    event = other.release();
  }
  return *this;
}

void Completion::reset() {
  if (event)
    tgrt_event_release(event);
  event = nullptr;
}

llvm::Error Completion::wait() const {
  if (!event)
    return makeError("waiting on an empty completion");
  return statusError(tgrt_event_wait(event));
}

bool Completion::isDone() const {
  return event && tgrt_event_query(event) != TGRT_ERROR_NOT_READY;
}

ExecutableGraph::ExecutableGraph(ExecutableGraph &&other) noexcept
    : runtime(other.runtime), graph(other.graph), sig(std::move(other.sig)) {
  other.graph = nullptr;
}

ExecutableGraph &ExecutableGraph::operator=(ExecutableGraph &&other) noexcept {
  if (this != &other) {
    if (graph)
      tgrt_graph_destroy(graph);
    runtime = other.runtime;
    graph = other.graph;
    sig = std::move(other.sig);
    other.graph = nullptr;
  }
  return *this;
}

ExecutableGraph::~ExecutableGraph() {
  if (graph)
    tgrt_graph_destroy(graph);
}

llvm::Expected<Completion>
ExecutableGraph::replay(llvm::ArrayRef<Param> params,
                        llvm::ArrayRef<tgrt_event> preconditions) {
  if (!graph)
    return makeError("replaying a graph that was moved from");
  if (params.size() != sig.numParams)
    return makeError("graph @" + sig.name + " takes " +
                     llvm::Twine(sig.numParams) +
                     " parameters (its buffer and scalar arguments, in "
                     "order), got " +
                     llvm::Twine(params.size()));
  if (!preconditions.empty() && preconditions.size() != sig.numPreconditions)
    return makeError(
        "graph @" + sig.name + " takes " + llvm::Twine(sig.numPreconditions) +
        " preconditions, got " + llvm::Twine(preconditions.size()));
  llvm::SmallVector<uint64_t, 16> words;
  words.reserve(params.size());
  for (const Param &p : params)
    words.push_back(p.bits);

  // No preconditions given: the graph's event arguments count as triggered.
  llvm::SmallVector<tgrt_event, 4> triggered;
  llvm::scope_exit releaseTriggered([&] {
    for (tgrt_event e : triggered)
      tgrt_event_release(e);
  });
  if (preconditions.empty() && sig.numPreconditions) {
    for (unsigned i = 0; i < sig.numPreconditions; ++i) {
      tgrt_event e = nullptr;
      if (tgrt_status s = tgrt_event_create(runtime, &e))
        return statusError(s);
      triggered.push_back(e);
      if (tgrt_status s = tgrt_event_trigger(e))
        return statusError(s);
    }
    preconditions = triggered;
  }

  tgrt_event done = nullptr;
  if (tgrt_status s =
          tgrt_graph_replay(graph, preconditions.data(), preconditions.size(),
                            words.data(), words.size(), &done))
    return statusError(s);
  return Completion(done);
}

llvm::Error ExecutableGraph::run(llvm::ArrayRef<Param> params,
                                 llvm::ArrayRef<tgrt_event> preconditions) {
  llvm::Expected<Completion> done = replay(params, preconditions);
  if (!done)
    return done.takeError();
  return done->wait();
}

llvm::Error ExecutableGraph::waitIdle() {
  return statusError(tgrt_graph_wait_idle(graph));
}

llvm::Expected<uint64_t> ExecutableGraph::resultBits(unsigned i) const {
  if (i >= sig.results.size())
    return makeError("graph @" + sig.name + " has " +
                     llvm::Twine(sig.results.size()) + " results, not #" +
                     llvm::Twine(i));
  const GraphSignature::Result &r = sig.results[i];
  switch (r.kind) {
  case GraphSignature::Result::TaskValue: {
    uint64_t word = 0;
    if (llvm::Error e =
            statusError(tgrt_graph_get_result(graph, r.node, r.index, &word)))
      return std::move(e);
    return word;
  }
  case GraphSignature::Result::ConstantValue:
    return r.constantBits;
  case GraphSignature::Result::Event:
    return makeError("result #" + llvm::Twine(i) + " of graph @" + sig.name +
                     " is an event, not a value");
  case GraphSignature::Result::Predicate:
    return makeError("result #" + llvm::Twine(i) + " of graph @" + sig.name +
                     " is a predicate, not a value");
  }
  return makeError("unknown result kind");
}

llvm::Error ExecutableGraph::setTracing(bool enabled) {
  return statusError(tgrt_graph_set_tracing(graph, enabled ? 1 : 0));
}

llvm::Error ExecutableGraph::writeTrace(llvm::StringRef path) {
  return statusError(tgrt_graph_write_trace(graph, path.str().c_str()));
}

//===----------------------------------------------------------------------===//
// Runtime
//===----------------------------------------------------------------------===//

Runtime::State::~State() {
  if (runtime)
    tgrt_runtime_destroy(runtime);
}

llvm::Expected<Runtime> Runtime::create(const tgrt_config &config) {
  auto state = std::make_unique<State>();
  if (tgrt_status s = tgrt_runtime_create(&config, &state->runtime))
    return statusError(s);
  return Runtime(std::move(state));
}

Runtime &Runtime::operator=(Runtime &&other) noexcept {
  state = std::move(other.state);
  return *this;
}

Runtime::~Runtime() = default;

bool Runtime::usesCuda() const {
  int32_t uses = 0;
  return state && tgrt_runtime_uses_cuda(state->runtime, &uses) == TGRT_OK &&
         uses;
}

/// Calls the std::function kept as a kernel's user data.
static int32_t callKernelFn(tgrt_task_context *ctx) {
  return (*static_cast<Runtime::KernelFn *>(ctx->user_data))(*ctx);
}

llvm::Error Runtime::registerCpuKernel(llvm::StringRef name, KernelFn fn) {
  if (!state)
    return makeError("the runtime was moved from");
  state->kernels.push_back(std::move(fn));
  return registerCpuKernel(name, callKernelFn, &state->kernels.back());
}

llvm::Error Runtime::registerGpuKernel(llvm::StringRef name, KernelFn fn,
                                       uint32_t flags) {
  if (!state)
    return makeError("the runtime was moved from");
  state->kernels.push_back(std::move(fn));
  return registerGpuKernel(name, callKernelFn, &state->kernels.back(), flags);
}

llvm::Error Runtime::registerCpuKernel(llvm::StringRef name, tgrt_kernel_fn fn,
                                       void *userData) {
  return statusError(
      tgrt_register_cpu_kernel(get(), name.str().c_str(), fn, userData));
}

llvm::Error Runtime::registerGpuKernel(llvm::StringRef name, tgrt_kernel_fn fn,
                                       void *userData, uint32_t flags) {
  return statusError(
      tgrt_register_gpu_kernel(get(), name.str().c_str(), fn, userData, flags));
}

llvm::Expected<tgrt_event> Runtime::createEvent() {
  tgrt_event e = nullptr;
  if (tgrt_status s = tgrt_event_create(get(), &e))
    return statusError(s);
  return e;
}

llvm::Expected<void *> Runtime::allocate(tgrt_mem_kind kind, uint64_t bytes) {
  void *pointer = nullptr;
  if (tgrt_status s = tgrt_mem_alloc(get(), kind, bytes, &pointer))
    return statusError(s);
  // Zeroed, like a fresh std::vector: the replay may read before it writes.
  std::vector<char> zeros(bytes, 0);
  if (tgrt_status s = tgrt_mem_copy(get(), pointer, zeros.data(), bytes)) {
    tgrt_mem_free(get(), kind, pointer);
    return statusError(s);
  }
  return pointer;
}

llvm::Error Runtime::free(tgrt_mem_kind kind, void *pointer) {
  return statusError(tgrt_mem_free(get(), kind, pointer));
}

llvm::Error Runtime::copy(void *dst, const void *src, uint64_t bytes) {
  return statusError(tgrt_mem_copy(get(), dst, src, bytes));
}
