//===- GraphBuilder.h - C++ API that builds tgraph modules -------*- C++
//-*-===//
//
// The C++ frontend: build task graphs the way a Legion/Realm/Taskflow user
// thinks of them (kernels with a contract, graphs whose arguments are
// buffers, scalars and external preconditions, tasks that name the buffers
// they touch and how) and get a verified tgraph module in the logical form.
// Nothing here aborts on a mistake: every op is built as asked, and
// GraphBuilder::finish() runs the verifier and returns its diagnostics as an
// llvm::Error, each one located at the C++ line that built the op.
//
//   GraphBuilder b(context);
//   Kernel scale = b.declareKernel("scale", KernelSpec::cpu()
//       .param(b.bufferType(b.f64())).param(b.f64()));
//   Graph g = b.graph("step");
//   Buffer x = g.addBuffer(b.f64(), 64);
//   Task t = g.task(scale, {readWrite(x), 2.0});
//   g.yield({t});
//   llvm::Expected<OwningOpRef<ModuleOp>> module = b.finish();
//
// Compile and replay the result with tgraph/Execution/CompiledModule.h.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_FRONTEND_GRAPHBUILDER_H
#define TGRAPH_FRONTEND_GRAPHBUILDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tgraph {

class GraphBuilder;
class Graph;

/// Where in the caller's C++ code a builder call was made; it becomes the
/// location of the op, so that diagnostics name the caller's line. Every
/// building method takes one as its last, defaulted argument (the
/// std::source_location idea, with the GCC/Clang builtins C++17 has).
struct SourceLoc {
  const char *file = nullptr;
  unsigned line = 0;
  static SourceLoc current(const char *file = __builtin_FILE(),
                           unsigned line = __builtin_LINE()) {
    return SourceLoc{file, line};
  }
};

//===----------------------------------------------------------------------===//
// Handles to values of a graph under construction
//===----------------------------------------------------------------------===//

/// Common part of the handles: an SSA value of one graph (null when default
/// constructed, or when the op that should define it could not be built).
class Handle {
public:
  Handle() = default;
  explicit Handle(Value value) : value(value) {}
  Value getValue() const { return value; }
  Type getType() const { return value ? value.getType() : Type(); }
  explicit operator bool() const { return static_cast<bool>(value); }

private:
  Value value;
};

/// A completion token: a task's or copy's event, a join, a precondition.
class Event : public Handle {
public:
  using Handle::Handle;
};

/// A buffer argument of a graph (element type, element count, memory).
class Buffer : public Handle {
public:
  using Handle::Handle;
  BufferType getBufferType() const {
    return llvm::dyn_cast_if_present<BufferType>(getType());
  }
};

/// A scalar: a per-replay scalar argument or a constant.
class Scalar : public Handle {
public:
  using Handle::Handle;
};

/// A future: value `i` a task returns (a `!tgraph.value<T>`).
class Future : public Handle {
public:
  using Handle::Handle;
  /// T.
  Type getValueType() const {
    auto type = llvm::dyn_cast_if_present<ValueType>(getType());
    return type ? type.getType() : Type();
  }
};

/// A predicate that guards tasks and copies.
class Pred : public Handle {
public:
  using Handle::Handle;
};

/// A task that was built: its completion event and its values.
class Task {
public:
  Task() = default;
  explicit Task(TaskOp op) : op(op) {}
  TaskOp getOp() const { return op; }
  explicit operator bool() const { return static_cast<bool>(op); }
  /// The task's completion event; a Task can be awaited directly.
  Event done() const { return op ? Event(op.getDone()) : Event(); }
  operator Event() const { return done(); }
  unsigned getNumValues() const { return op ? op.getValues().size() : 0; }
  /// Value `i` (a null Future if there is no such value).
  Future value(unsigned i = 0) const {
    return op && i < op.getValues().size() ? Future(op.getValues()[i])
                                           : Future();
  }

private:
  // Op classes are value handles whose accessors are not const.
  mutable TaskOp op;
};

//===----------------------------------------------------------------------===//
// Operands, options and results
//===----------------------------------------------------------------------===//

/// One operand of a task: a buffer with its access mode (read(x),
/// write(x), readWrite(x), reduce(x, AccessMode::reduce_add)), a scalar or
/// future, or a C++ constant (int and int64_t become i64, double f64, float
/// f32, bool i1; any other type with Graph::constant).
class TaskArg {
public:
  TaskArg(Scalar scalar) : value(scalar.getValue()), kind(Kind::Value) {}
  TaskArg(Future future) : value(future.getValue()), kind(Kind::Value) {}
  TaskArg(int v) : constant(int64_t(v)), kind(Kind::Int) {}
  TaskArg(int64_t v) : constant(v), kind(Kind::Int) {}
  TaskArg(double v) : floatConstant(v), kind(Kind::F64) {}
  TaskArg(float v) : floatConstant(v), kind(Kind::F32) {}
  TaskArg(bool v) : constant(v), kind(Kind::Bool) {}
  static TaskArg buffer(Buffer buffer, AccessMode mode) {
    TaskArg a(buffer.getValue(), Kind::Buffer);
    a.mode = mode;
    return a;
  }

private:
  friend class Graph;
  enum class Kind { Value, Buffer, Int, F64, F32, Bool };
  TaskArg(Value value, Kind kind) : value(value), kind(kind) {}
  Value value;
  int64_t constant = 0;
  double floatConstant = 0;
  AccessMode mode = AccessMode::read;
  Kind kind;
};

inline TaskArg read(Buffer b) { return TaskArg::buffer(b, AccessMode::read); }
inline TaskArg write(Buffer b) { return TaskArg::buffer(b, AccessMode::write); }
inline TaskArg readWrite(Buffer b) {
  return TaskArg::buffer(b, AccessMode::read_write);
}
/// `mode` is one of the reduce_* access modes.
inline TaskArg reduce(Buffer b, AccessMode mode) {
  return TaskArg::buffer(b, mode);
}

/// The value a predicated task's result takes when the predicate is false.
/// Numbers take the result's type when they are of its kind (an integer for
/// an integer result, a float for a float result); anything else is kept as
/// given and the verifier reports the mismatch.
class ElseValue {
public:
  ElseValue(int v) : i(v), kind(Kind::Int) {}
  ElseValue(int64_t v) : i(v), kind(Kind::Int) {}
  ElseValue(double v) : f(v), kind(Kind::Float) {}
  ElseValue(float v) : f(v), kind(Kind::Float) {}
  ElseValue(bool v) : i(v), kind(Kind::Bool) {}
  ElseValue(TypedAttr attr) : attr(attr), kind(Kind::Attr) {}

private:
  friend class Graph;
  int64_t i = 0;
  double f = 0;
  TypedAttr attr;
  enum class Kind { Int, Float, Bool, Attr } kind;
};

/// Awaits and predication, shared by tasks and copies.
template <typename Derived> class OpOptions {
public:
  /// Events the op waits for besides those the compiler infers from the
  /// access modes (e.g. external preconditions).
  Derived &await(Event event) {
    awaits.push_back(event);
    return self();
  }
  Derived &await(llvm::ArrayRef<Event> events) {
    awaits.append(events.begin(), events.end());
    return self();
  }
  Derived &await(std::initializer_list<Event> events) {
    awaits.append(events.begin(), events.end());
    return self();
  }
  /// Runs the op only when `p` holds; otherwise it does nothing, still
  /// completes, and its values take their else values.
  Derived &onlyIf(Pred p) {
    pred = p;
    hasPred = true;
    return self();
  }

protected:
  friend class Graph;
  Derived &self() { return static_cast<Derived &>(*this); }
  llvm::SmallVector<Event, 4> awaits;
  Pred pred;
  bool hasPred = false;
};

struct TaskOptions : public OpOptions<TaskOptions> {
  /// One value per kernel result, taken when the predicate is false.
  TaskOptions &orElse(std::initializer_list<ElseValue> values) {
    elseValues.assign(values.begin(), values.end());
    hasElse = true;
    return *this;
  }
  TaskOptions &orElse(llvm::ArrayRef<ElseValue> values) {
    elseValues.assign(values.begin(), values.end());
    hasElse = true;
    return *this;
  }

private:
  friend class Graph;
  std::vector<ElseValue> elseValues;
  bool hasElse = false;
};

/// Element offsets and count of a copy; without a size the whole buffer.
struct CopyOptions : public OpOptions<CopyOptions> {
  CopyOptions &srcOffset(int64_t elements) {
    src = elements;
    return *this;
  }
  CopyOptions &dstOffset(int64_t elements) {
    dst = elements;
    return *this;
  }
  CopyOptions &size(int64_t elements) {
    count = elements;
    return *this;
  }

private:
  friend class Graph;
  std::optional<int64_t> src, dst, count;
};

/// One result of a graph (a postcondition): an event, a task's value, a
/// predicate, or a task (its completion event).
class GraphResult {
public:
  GraphResult(Event e) : value(e.getValue()) {}
  GraphResult(Future f) : value(f.getValue()) {}
  GraphResult(Pred p) : value(p.getValue()) {}
  GraphResult(const Task &t) : value(t.done().getValue()) {}

private:
  friend class Graph;
  Value value;
};

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// A kernel's signature and contract (see `tgraph.kernel`).
class KernelSpec {
public:
  static KernelSpec cpu() { return KernelSpec(Target::cpu); }
  static KernelSpec gpu() { return KernelSpec(Target::gpu); }
  explicit KernelSpec(Target target) : target(target) {}

  /// Appends a parameter: a buffer type (size may be dynamic) or a scalar.
  KernelSpec &param(Type type) {
    paramTypes.push_back(type);
    return *this;
  }
  KernelSpec &params(llvm::ArrayRef<Type> types) {
    paramTypes.append(types.begin(), types.end());
    return *this;
  }
  /// Appends a result: a scalar the kernel returns (a future of the task).
  KernelSpec &result(Type type) {
    resultTypes.push_back(type);
    return *this;
  }
  /// All device work is queued on the stream it is given (GPU kernels).
  KernelSpec &streamOrdered(bool on = true) {
    isStreamOrdered = on;
    return *this;
  }
  /// It touches its data from the host.
  KernelSpec &hostAccess(bool on = true) {
    hasHostAccess = on;
    return *this;
  }
  /// It may block on events (not allowed inside graphs).
  KernelSpec &mayBlock(bool on = true) {
    isBlocking = on;
    return *this;
  }
  /// It may launch tasks (not allowed inside graphs).
  KernelSpec &spawns(bool on = true) {
    isSpawning = on;
    return *this;
  }
  /// Estimated run time in nanoseconds, for the scheduler.
  KernelSpec &cost(int64_t nanoseconds) {
    costNs = nanoseconds;
    return *this;
  }

private:
  friend class GraphBuilder;
  Target target;
  llvm::SmallVector<Type> paramTypes, resultTypes;
  bool isStreamOrdered = false, hasHostAccess = false, isBlocking = false,
       isSpawning = false;
  std::optional<int64_t> costNs;
};

/// A declared kernel; valid in the module it was declared in (until
/// GraphBuilder::finish() hands that module over).
class Kernel {
public:
  Kernel() = default;
  explicit Kernel(KernelOp op) : op(op) {}
  KernelOp getOp() const { return op; }
  llvm::StringRef getName() const { return op ? op.getSymName() : ""; }
  explicit operator bool() const { return static_cast<bool>(op); }

private:
  friend class GraphBuilder;
  friend class Graph;
  Kernel(KernelOp op, unsigned generation) : op(op), generation(generation) {}
  mutable KernelOp op;
  /// The builder's module generation it belongs to; none when wrapped by
  /// the user.
  std::optional<unsigned> generation;
};

//===----------------------------------------------------------------------===//
// Graph and GraphBuilder
//===----------------------------------------------------------------------===//

/// Builds the body of one `tgraph.graph`, in program order. A light handle:
/// copy it freely while its GraphBuilder is alive and not finished.
class Graph {
public:
  Graph() = default;
  GraphOp getOp() const { return op; }
  llvm::StringRef getName() const { return op ? op.getSymName() : ""; }

  // --- Arguments: what each replay passes in, in this order.
  /// An external precondition: an event the replay's caller triggers.
  Event addPrecondition(SourceLoc loc = SourceLoc::current());
  /// A buffer of `size` elements of `elementType` in `memory`.
  Buffer addBuffer(Type elementType, int64_t size,
                   MemoryKind memory = MemoryKind::host,
                   SourceLoc loc = SourceLoc::current());
  /// A scalar (integer, float or index) passed per replay.
  Scalar addScalar(Type type, SourceLoc loc = SourceLoc::current());
  /// A predicate passed per replay. (The runtime lowering does not support
  /// predicate arguments yet; compute predicates inside the graph.)
  Pred addPredicate(SourceLoc loc = SourceLoc::current());

  // --- Ops.
  /// A constant scalar (an `arith.constant` in the graph).
  Scalar constant(TypedAttr value, SourceLoc loc = SourceLoc::current());
  /// A task running `kernel` with `args`; its values follow the kernel's
  /// results.
  Task task(Kernel kernel, llvm::ArrayRef<TaskArg> args,
            const TaskOptions &options = {},
            SourceLoc loc = SourceLoc::current());
  Task task(Kernel kernel, std::initializer_list<TaskArg> args,
            const TaskOptions &options = {},
            SourceLoc loc = SourceLoc::current()) {
    return task(kernel, llvm::ArrayRef<TaskArg>(args.begin(), args.size()),
                options, loc);
  }
  /// The same, naming the kernel; an undeclared name is reported by finish().
  Task task(llvm::StringRef kernel, llvm::ArrayRef<TaskArg> args,
            const TaskOptions &options = {},
            SourceLoc loc = SourceLoc::current());
  Task task(llvm::StringRef kernel, std::initializer_list<TaskArg> args,
            const TaskOptions &options = {},
            SourceLoc loc = SourceLoc::current()) {
    return task(kernel, llvm::ArrayRef<TaskArg>(args.begin(), args.size()),
                options, loc);
  }
  /// Copies elements of `src` to `dst`.
  Event copy(Buffer src, Buffer dst, const CopyOptions &options = {},
             SourceLoc loc = SourceLoc::current());
  /// An event that triggers when all of `events` have.
  Event join(llvm::ArrayRef<Event> events,
             SourceLoc loc = SourceLoc::current());
  Event join(std::initializer_list<Event> events,
             SourceLoc loc = SourceLoc::current()) {
    return join(llvm::ArrayRef<Event>(events.begin(), events.size()), loc);
  }
  /// An event that has already triggered.
  Event immediate(SourceLoc loc = SourceLoc::current());

  // --- Predicates.
  Pred predConst(bool value, SourceLoc loc = SourceLoc::current());
  /// True when the task's i1 future is.
  Pred predFrom(Future value, SourceLoc loc = SourceLoc::current());
  Pred predNot(Pred p, SourceLoc loc = SourceLoc::current());
  Pred predAnd(Pred lhs, Pred rhs, SourceLoc loc = SourceLoc::current());
  Pred predOr(Pred lhs, Pred rhs, SourceLoc loc = SourceLoc::current());

  // --- Results.
  /// The graph's postconditions; at most once per graph (a graph that never
  /// yields returns nothing).
  void yield(llvm::ArrayRef<GraphResult> results,
             SourceLoc loc = SourceLoc::current());
  void yield(std::initializer_list<GraphResult> results,
             SourceLoc loc = SourceLoc::current()) {
    yield(llvm::ArrayRef<GraphResult>(results.begin(), results.size()), loc);
  }

private:
  friend class GraphBuilder;
  Graph(GraphBuilder *builder, GraphOp op, unsigned generation)
      : builder(builder), op(op), generation(generation) {}
  /// Null (and an error recorded) when the handle is not usable.
  OpBuilder *insertionBuilder(SourceLoc loc);
  BlockArgument addArgument(Type type, SourceLoc loc);
  /// Checks that `value` may be used in this graph; records an error if not.
  bool checkOperand(Value value, llvm::StringRef what, SourceLoc loc);
  /// The awaited events and the predicate of a task or copy, checked;
  /// false (errors recorded) when any is unusable.
  template <typename Derived>
  bool checkAwaitsAndPred(const OpOptions<Derived> &options,
                          llvm::SmallVectorImpl<Value> &awaits, Value &pred,
                          SourceLoc loc);
  Value materialize(const TaskArg &arg, OpBuilder &b, Location loc);
  Attribute elseAttr(const ElseValue &value, Type resultType);
  Task buildTask(KernelOp kernel, llvm::StringRef name,
                 llvm::ArrayRef<TaskArg> args, const TaskOptions &options,
                 SourceLoc loc);

  GraphBuilder *builder = nullptr;
  mutable GraphOp op;
  unsigned generation = 0;
};

/// Builds one module: kernels and graphs. Owns the module until finish().
class GraphBuilder {
public:
  /// Loads the dialects the frontend emits into `context`.
  explicit GraphBuilder(MLIRContext &context);
  ~GraphBuilder();
  GraphBuilder(const GraphBuilder &) = delete;
  GraphBuilder &operator=(const GraphBuilder &) = delete;

  MLIRContext &getContext() { return *context; }

  // --- Types.
  Type i1() { return builder.getI1Type(); }
  Type i32() { return builder.getI32Type(); }
  Type i64() { return builder.getI64Type(); }
  Type f32() { return builder.getF32Type(); }
  Type f64() { return builder.getF64Type(); }
  Type index() { return builder.getIndexType(); }
  /// A buffer type; the default size `?` is for kernel parameters.
  BufferType bufferType(Type elementType, int64_t size = BufferType::kDynamic,
                        MemoryKind memory = MemoryKind::host);

  // --- Module contents.
  /// The processors the pipeline schedules for (`tgraph.machine`); without
  /// it, compile options or 2 CPU workers.
  void setMachine(unsigned cpus, unsigned gpus, unsigned streamsPerGpu = 2,
                  unsigned copyStreams = 1);
  Kernel declareKernel(llvm::StringRef name, const KernelSpec &spec,
                       SourceLoc loc = SourceLoc::current());
  /// The kernel named `name`, if declared.
  Kernel lookupKernel(llvm::StringRef name);
  /// Starts a new graph; build its body through the returned handle.
  Graph graph(llvm::StringRef name, SourceLoc loc = SourceLoc::current());

  /// The module under construction (not yet verified).
  ModuleOp getModule() { return *module; }
  /// Verifies the module; its diagnostics (and the builder's own) on
  /// failure. The builder keeps the module.
  llvm::Error verify();
  /// Verifies the module and hands it over; the builder starts a new, empty
  /// module and earlier Graph handles become unusable.
  llvm::Expected<OwningOpRef<ModuleOp>> finish();

private:
  friend class Graph;
  /// A builder error (a misuse the verifier cannot see, e.g. a null handle),
  /// reported by verify()/finish() with the caller's location.
  void recordError(SourceLoc loc, const llvm::Twine &message);
  Location location(SourceLoc loc);
  void finishGraphs();

  MLIRContext *context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> errors;
  unsigned generation = 0;
  /// Per graph: the arith.constant values made so far, by attribute, so
  /// that each constant is materialized once per graph.
  llvm::DenseMap<std::pair<Operation *, Attribute>, Value> constants;
};

} // namespace mlir::tgraph

#endif // TGRAPH_FRONTEND_GRAPHBUILDER_H
