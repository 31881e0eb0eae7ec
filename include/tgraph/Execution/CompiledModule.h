//===- CompiledModule.h - compile, JIT and replay tgraph modules -*- C++
//-*-===//
//
// The in-process path from a tgraph module to replays on the runtime: the
// tgraph pipeline, the lowering to the LLVM dialect and MLIR's
// ExecutionEngine JIT in one call (`compile`), then one instantiated graph
// per `instantiate` call, replayed with per-replay parameters and external
// preconditions. tgraph-run and the C++ frontend (GraphBuilder.h) share it.
//
// Everything a caller needs after compilation is plain data (GraphSignature):
// a CompiledModule keeps no MLIR IR, so the module may be destroyed once
// `compile` returns. Errors are llvm::Error values carrying the compiler's
// diagnostics or the runtime's message; nothing aborts.
//
// Lifetimes: a Runtime outlives the ExecutableGraphs instantiated on it; an
// ExecutableGraph may outlive its CompiledModule.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_EXECUTION_COMPILEDMODULE_H
#define TGRAPH_EXECUTION_COMPILEDMODULE_H

#include "mlir/IR/BuiltinOps.h"
#include "tgraph/Analysis/MachineModel.h"
#include "tgraph/Conversion/CallingConvention.h"
#include "tgraph/Runtime/tgrt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class ExecutionEngine;

namespace tgraph {

//===----------------------------------------------------------------------===//
// Words: how scalars travel through the runtime
//===----------------------------------------------------------------------===//

// toWord and fromWord (tgraph/Conversion/CallingConvention.h): the runtime
// passes every scalar, pointer and task value as a 64-bit word.

/// Argument `i` of a running kernel, e.g. `arg<double *>(ctx, 0)`.
template <typename T> T arg(const tgrt_task_context &ctx, unsigned i) {
  return fromWord<T>(ctx.args[i]);
}
/// Writes result `i` of a running kernel.
template <typename T>
void setResult(tgrt_task_context &ctx, unsigned i, T value) {
  ctx.results[i] = toWord(value);
}

/// One per-replay parameter (a buffer's address or a scalar), in the order
/// of the graph's non-event, non-predicate arguments.
struct Param {
  uint64_t bits = 0;
  Param() = default;
  Param(const void *pointer) : bits(toWord(pointer)) {}
  Param(double value) : bits(toWord(value)) {}
  Param(float value) : bits(toWord(value)) {}
  Param(int value) : bits(toWord(value)) {}
  Param(unsigned value) : bits(value) {}
  Param(int64_t value) : bits(toWord(value)) {}
  Param(uint64_t word) : bits(word) {}
  Param(bool value) : bits(value ? 1 : 0) {}
  static Param fromBits(uint64_t word) { return Param(word); }
};

//===----------------------------------------------------------------------===//
// Signatures: what a compiled graph takes and returns
//===----------------------------------------------------------------------===//

/// A scalar or element type as the runtime sees it.
struct ScalarType {
  enum Kind : uint8_t { Integer, Float, Index } kind = Integer;
  unsigned width = 64;     // bits; 64 for index
  bool isUnsigned = false; // an unsigned integer (`ui32`)
  bool isBF16 = false;     // bf16 rather than f16
  bool isF64() const { return kind == Float && width == 64; }
  bool isF32() const { return kind == Float && width == 32; }
  bool isI1() const { return kind == Integer && width == 1; }
  /// Bytes one element takes in a buffer.
  unsigned byteWidth() const { return kind == Index ? 8 : (width + 7) / 8; }
  static ScalarType fromType(Type type);
};

/// `word` printed as a value of `type`: %g for floats, true/false for i1,
/// an integer of the type's width and signedness otherwise.
std::string formatWord(ScalarType type, uint64_t word);
/// Parses `text` as a value of `type` (floats with strtod, integers in any
/// C base); none if an integer is malformed.
std::optional<uint64_t> parseWord(ScalarType type, llvm::StringRef text);

struct GraphSignature {
  struct Argument {
    enum Kind : uint8_t { Precondition, Buffer, Scalar, Predicate } kind;
    /// Index among the per-replay parameters (buffers and scalars).
    unsigned param = 0;
    /// A scalar's type, or a buffer's element type.
    ScalarType type;
    /// Buffers: element count, bytes and whether the memory is the GPU's.
    int64_t numElements = 0;
    uint64_t bytes = 0;
    bool onGpu = false;
  };
  struct Result {
    enum Kind : uint8_t { Event, Predicate, TaskValue, ConstantValue } kind;
    /// TaskValue: runtime node id of the task and the index of its value.
    unsigned node = 0, index = 0;
    ScalarType type;
    /// ConstantValue (a folded predicated-false task): its bits and text.
    uint64_t constantBits = 0;
    std::string constantText;
  };

  std::string name;
  llvm::SmallVector<Argument> args;
  llvm::SmallVector<Result> results;
  unsigned numPreconditions = 0, numParams = 0, numNodes = 0;
};

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// The processors a module is scheduled for and a runtime is created with
/// (the compiler's machine model, tgraph/Analysis/MachineModel.h).
using MachineConfig = Machine;

struct CompileOptions {
  /// Override the module's `tgraph.machine` (else 2 CPUs, 0 GPUs, 2 streams
  /// per GPU, 1 copy stream).
  std::optional<unsigned> cpus, gpus, streamsPerGpu, copyStreams;
  /// Diagnostics always become the returned Error's text; with this set they
  /// also reach the context's other handlers (a tool's SourceMgr handler).
  bool forwardDiagnostics = false;
  /// If set, the lowered LLVM-dialect module is printed here.
  llvm::raw_ostream *printLowered = nullptr;
  /// convert-tgraph-to-runtime's mode: "program" (one tgrt_graph_build call
  /// per graph; compile time independent of the graph's size) or "calls".
  std::string lowering = "program";
};

class ExecutableGraph;

/// A JIT-compiled module: one instantiate function per graph.
class CompiledModule {
public:
  /// Runs tgraph-pipeline (unless every graph is already scheduled) and the
  /// lowering on a clone of `module` (which is left as it is), then
  /// JIT-compiles the result.
  static llvm::Expected<std::unique_ptr<CompiledModule>>
  compile(ModuleOp module, const CompileOptions &options = {});
  ~CompiledModule();

  const MachineConfig &machine() const { return machineConfig; }
  llvm::ArrayRef<GraphSignature> graphs() const { return signatures; }
  /// The signature of graph `name`, or null.
  const GraphSignature *lookup(llvm::StringRef name) const;
  /// A runtime configuration with this module's processors.
  tgrt_config runtimeConfig(tgrt_stream_mode mode = TGRT_STREAMS_AUTO) const;

  /// Builds graph `name` on `runtime` (whose kernels must be registered).
  llvm::Expected<ExecutableGraph> instantiate(tgrt_runtime runtime,
                                              llvm::StringRef name) const;

private:
  CompiledModule() = default;
  std::unique_ptr<ExecutionEngine> engine;
  MachineConfig machineConfig;
  llvm::SmallVector<GraphSignature> signatures;
};

/// Shorthand for CompiledModule::compile.
inline llvm::Expected<std::unique_ptr<CompiledModule>>
compile(ModuleOp module, const CompileOptions &options = {}) {
  return CompiledModule::compile(module, options);
}

//===----------------------------------------------------------------------===//
// Replays
//===----------------------------------------------------------------------===//

/// The completion event of one replay; released when destroyed.
class Completion {
public:
  Completion() = default;
  explicit Completion(tgrt_event event) : event(event) {}
  Completion(Completion &&other) noexcept : event(other.release()) {}
  Completion &operator=(Completion &&other) noexcept;
  Completion(const Completion &) = delete;
  Completion &operator=(const Completion &) = delete;
  ~Completion() { reset(); }

  /// Blocks until the replay has completed; its failure, if it failed.
  llvm::Error wait() const;
  /// Whether the replay has completed (successfully or not).
  bool isDone() const;
  tgrt_event get() const { return event; }
  /// Gives up ownership (the caller calls tgrt_event_release).
  tgrt_event release() {
    tgrt_event e = event;
    event = nullptr;
    return e;
  }
  void reset();
  explicit operator bool() const { return event != nullptr; }

private:
  tgrt_event event = nullptr;
};

/// One graph instantiated on a runtime; replay it as often as needed.
class ExecutableGraph {
public:
  ExecutableGraph(tgrt_runtime runtime, tgrt_graph graph,
                  GraphSignature signature)
      : runtime(runtime), graph(graph), sig(std::move(signature)) {}
  ExecutableGraph(ExecutableGraph &&other) noexcept;
  ExecutableGraph &operator=(ExecutableGraph &&other) noexcept;
  ExecutableGraph(const ExecutableGraph &) = delete;
  ExecutableGraph &operator=(const ExecutableGraph &) = delete;
  /// Waits for the replays in flight, then frees the graph.
  ~ExecutableGraph();

  const GraphSignature &signature() const { return sig; }
  tgrt_graph handle() const { return graph; }
  unsigned numNodes() const { return sig.numNodes; }

  /// Queues one replay and returns at once. `params` has one word per
  /// buffer or scalar argument, in argument order. `preconditions` has one
  /// event per event argument; empty means "all already triggered".
  llvm::Expected<Completion>
  replay(llvm::ArrayRef<Param> params,
         llvm::ArrayRef<tgrt_event> preconditions = {});
  /// Replays and waits for completion.
  llvm::Error run(llvm::ArrayRef<Param> params,
                  llvm::ArrayRef<tgrt_event> preconditions = {});
  /// Waits until no replay is queued or running.
  llvm::Error waitIdle();

  /// Result `i` of the graph (its yield operand `i`) as left by the last
  /// completed replay: a task value, or the constant a folded task left.
  llvm::Expected<uint64_t> resultBits(unsigned i) const;
  template <typename T> llvm::Expected<T> result(unsigned i) const {
    llvm::Expected<uint64_t> bits = resultBits(i);
    if (!bits)
      return bits.takeError();
    return fromWord<T>(*bits);
  }

  /// Chrome-trace timelines of the last completed replay.
  llvm::Error setTracing(bool enabled);
  llvm::Error writeTrace(llvm::StringRef path);

private:
  tgrt_runtime runtime = nullptr;
  tgrt_graph graph = nullptr;
  GraphSignature sig;
};

//===----------------------------------------------------------------------===//
// Runtime
//===----------------------------------------------------------------------===//

/// An owned tgrt_runtime, with kernels that may be C++ callables.
class Runtime {
public:
  using KernelFn = std::function<int32_t(tgrt_task_context &)>;

  static llvm::Expected<Runtime> create(const tgrt_config &config);
  Runtime(Runtime &&other) noexcept = default;
  Runtime &operator=(Runtime &&other) noexcept;
  ~Runtime();

  tgrt_runtime get() const { return state ? state->runtime : nullptr; }
  operator tgrt_runtime() const { return get(); }
  bool usesCuda() const;

  llvm::Error registerCpuKernel(llvm::StringRef name, KernelFn fn);
  /// `flags`: tgrt_kernel_flags. TGRT_KERNEL_STREAM_ORDERED (the default):
  /// all work goes to ctx.stream (runahead-eligible); with
  /// TGRT_KERNEL_CAPTURABLE too, all-device graphs are recorded into device
  /// graphs (docs/runtime.md).
  llvm::Error registerGpuKernel(llvm::StringRef name, KernelFn fn,
                                uint32_t flags = TGRT_KERNEL_STREAM_ORDERED);
  llvm::Error registerCpuKernel(llvm::StringRef name, tgrt_kernel_fn fn,
                                void *userData = nullptr);
  llvm::Error registerGpuKernel(llvm::StringRef name, tgrt_kernel_fn fn,
                                void *userData, uint32_t flags);

  /// A user event (an external precondition), not yet triggered.
  llvm::Expected<tgrt_event> createEvent();

  /// Buffer memory of `kind` (device memory for TGRT_MEM_DEVICE on CUDA
  /// streams, host memory otherwise), zeroed; free it with `free`.
  llvm::Expected<void *> allocate(tgrt_mem_kind kind, uint64_t bytes);
  llvm::Error free(tgrt_mem_kind kind, void *pointer);
  /// A synchronous copy between any two buffers of this runtime.
  llvm::Error copy(void *dst, const void *src, uint64_t bytes);

private:
  struct State {
    tgrt_runtime runtime = nullptr;
    // Callables live here so that their addresses, given to the runtime as
    // user data, stay valid until the runtime is gone.
    std::deque<KernelFn> kernels;
    ~State();
  };
  explicit Runtime(std::unique_ptr<State> state) : state(std::move(state)) {}
  std::unique_ptr<State> state;
};

/// The message of the calling thread's last failing tgrt call as an Error.
llvm::Error runtimeError(llvm::StringRef prefix = "");

} // namespace tgraph
} // namespace mlir

#endif // TGRAPH_EXECUTION_COMPILEDMODULE_H
