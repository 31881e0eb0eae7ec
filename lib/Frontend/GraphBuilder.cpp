//===- GraphBuilder.cpp - C++ API that builds tgraph modules --------------===//
//
// Each building call creates its op at once, located at the caller's C++
// line. Mistakes the IR can express (a wrong operand type, an undeclared
// kernel, a bad else value) are built as asked and left to the verifier,
// so the user reads the same message as for a hand-written .mlir file.
// Mistakes it cannot express (a null handle, a value of another graph)
// skip the op and are recorded; finish() reports both kinds together.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Frontend/GraphBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Verifier.h"
#include "tgraph/Support/CapturedDiagnostics.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tgraph;

//===----------------------------------------------------------------------===//
// GraphBuilder
//===----------------------------------------------------------------------===//

GraphBuilder::GraphBuilder(MLIRContext &context)
    : context(&context), builder(&context) {
  context.loadDialect<TGraphDialect, arith::ArithDialect>();
  module = ModuleOp::create(builder.getUnknownLoc());
}

GraphBuilder::~GraphBuilder() = default;

Location GraphBuilder::location(SourceLoc loc) {
  if (!loc.file)
    return builder.getUnknownLoc();
  return FileLineColLoc::get(context, loc.file, loc.line, 0);
}

void GraphBuilder::recordError(SourceLoc loc, const llvm::Twine &message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (loc.file)
    os << loc.file << ':' << loc.line << ": ";
  os << "error: " << message;
  errors.push_back(std::move(text));
}

BufferType GraphBuilder::bufferType(Type elementType, int64_t size,
                                    MemoryKind memory) {
  return BufferType::get(context, elementType, size, memory);
}

void GraphBuilder::setMachine(unsigned cpus, unsigned gpus,
                              unsigned streamsPerGpu, unsigned copyStreams) {
  TGraphDialect::MachineAttrHelper(context).setAttr(
      *module,
      MachineAttr::get(context, cpus, gpus, streamsPerGpu, copyStreams));
}

Kernel GraphBuilder::declareKernel(llvm::StringRef name, const KernelSpec &spec,
                                   SourceLoc loc) {
  // Kernels go before the graphs so that the printed module reads top-down.
  auto firstGraph = module->getOps<GraphOp>();
  if (firstGraph.empty())
    builder.setInsertionPointToEnd(module->getBody());
  else
    builder.setInsertionPoint(*firstGraph.begin());
  auto type = FunctionType::get(context, spec.paramTypes, spec.resultTypes);
  IntegerAttr cost =
      spec.costNs ? builder.getI64IntegerAttr(*spec.costNs) : IntegerAttr();
  auto op = KernelOp::create(builder, location(loc), name, type, spec.target,
                             spec.isStreamOrdered, spec.hasHostAccess,
                             spec.isBlocking, spec.isSpawning, cost);
  return Kernel(op, generation);
}

Kernel GraphBuilder::lookupKernel(llvm::StringRef name) {
  return Kernel(module->lookupSymbol<KernelOp>(name), generation);
}

Graph GraphBuilder::graph(llvm::StringRef name, SourceLoc loc) {
  builder.setInsertionPointToEnd(module->getBody());
  auto op = GraphOp::create(builder, location(loc), name,
                            FunctionType::get(context, {}, {}));
  return Graph(this, op, generation);
}

void GraphBuilder::finishGraphs() {
  for (GraphOp graph : module->getOps<GraphOp>()) {
    Block &body = graph.getBodyBlock();
    if (!body.empty() && body.back().hasTrait<OpTrait::IsTerminator>())
      continue;
    builder.setInsertionPointToEnd(&body);
    YieldOp::create(builder, graph.getLoc());
  }
}

llvm::Error GraphBuilder::verify() {
  finishGraphs();
  CapturedDiagnostics diagnostics(context);
  bool verified = succeeded(mlir::verify(*module));
  if (errors.empty() && verified)
    return llvm::Error::success();
  std::string builderErrors;
  for (const std::string &e : errors)
    builderErrors += e + "\n";
  return diagnostics.takeError("the module does not verify", builderErrors);
}

llvm::Expected<OwningOpRef<ModuleOp>> GraphBuilder::finish() {
  if (llvm::Error e = verify())
    return std::move(e);
  OwningOpRef<ModuleOp> result = std::move(module);
  module = ModuleOp::create(builder.getUnknownLoc());
  constants.clear();
  ++generation;
  return std::move(result);
}

//===----------------------------------------------------------------------===//
// Graph: arguments
//===----------------------------------------------------------------------===//

OpBuilder *Graph::insertionBuilder(SourceLoc loc) {
  if (!builder)
    return nullptr;
  if (generation != builder->generation) {
    builder->recordError(loc, "graph handle used after GraphBuilder::finish() "
                              "handed its module over; start a new graph");
    return nullptr;
  }
  // Ops go before the yield when the graph already has one.
  OpBuilder &b = builder->builder;
  Block &body = op.getBodyBlock();
  if (!body.empty() && body.back().hasTrait<OpTrait::IsTerminator>())
    b.setInsertionPoint(&body.back());
  else
    b.setInsertionPointToEnd(&body);
  return &b;
}

BlockArgument Graph::addArgument(Type type, SourceLoc loc) {
  if (!insertionBuilder(loc))
    return nullptr;
  Location where = builder->location(loc);
  BlockArgument arg = op.getBodyBlock().addArgument(type, where);
  FunctionType old = op.getFunctionType();
  llvm::SmallVector<Type> inputs(old.getInputs());
  inputs.push_back(type);
  op.setFunctionType(
      FunctionType::get(op.getContext(), inputs, old.getResults()));
  return arg;
}

Event Graph::addPrecondition(SourceLoc loc) {
  return Event(addArgument(EventType::get(op.getContext()), loc));
}

Buffer Graph::addBuffer(Type elementType, int64_t size, MemoryKind memory,
                        SourceLoc loc) {
  if (!builder)
    return Buffer();
  // The type's own verifier says what is wrong (element type, size).
  CapturedDiagnostics diagnostics(op.getContext());
  auto type =
      BufferType::getChecked([&] { return emitError(builder->location(loc)); },
                             op.getContext(), elementType, size, memory);
  if (!type) {
    std::string text = diagnostics.text();
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    builder->errors.push_back(std::move(text));
    return Buffer();
  }
  return Buffer(addArgument(type, loc));
}

Scalar Graph::addScalar(Type type, SourceLoc loc) {
  return Scalar(addArgument(type, loc));
}

Pred Graph::addPredicate(SourceLoc loc) {
  return Pred(addArgument(PredType::get(op.getContext()), loc));
}

//===----------------------------------------------------------------------===//
// Graph: ops
//===----------------------------------------------------------------------===//

bool Graph::checkOperand(Value value, llvm::StringRef what, SourceLoc loc) {
  if (!value) {
    builder->recordError(loc, what + " is a null handle (default-constructed, "
                                     "or the result of a call that failed)");
    return false;
  }
  if (value.getParentRegion() == &op.getBody())
    return true;
  std::string owner = "another graph";
  if (auto other =
          dyn_cast_if_present<GraphOp>(value.getParentRegion()->getParentOp()))
    owner = ("graph @" + other.getSymName()).str();
  builder->recordError(loc, what + " belongs to " + owner + ", not to graph @" +
                                op.getSymName() +
                                "; pass it in as an argument of this graph");
  return false;
}

/// Constants are made once per graph and kept at the top of its body, in
/// the order they were first used.
static Value
constantIn(GraphOp graph, TypedAttr value, OpBuilder &b, Location loc,
           llvm::DenseMap<std::pair<Operation *, Attribute>, Value> &cache) {
  Value &slot = cache[{graph.getOperation(), value}];
  if (slot)
    return slot;
  OpBuilder::InsertionGuard guard(b);
  Block &body = graph.getBodyBlock();
  auto it = body.begin();
  while (it != body.end() && isa<arith::ConstantOp>(*it))
    ++it;
  b.setInsertionPoint(&body, it);
  slot = arith::ConstantOp::create(b, loc, value);
  return slot;
}

Scalar Graph::constant(TypedAttr value, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Scalar();
  if (!value) {
    builder->recordError(loc, "constant: null attribute");
    return Scalar();
  }
  return Scalar(
      constantIn(op, value, *b, builder->location(loc), builder->constants));
}

Value Graph::materialize(const TaskArg &arg, OpBuilder &b, Location loc) {
  TypedAttr value;
  switch (arg.kind) {
  case TaskArg::Kind::Value:
  case TaskArg::Kind::Buffer:
    return arg.value;
  case TaskArg::Kind::Int:
    value = b.getI64IntegerAttr(arg.constant);
    break;
  case TaskArg::Kind::Bool:
    value = b.getBoolAttr(arg.constant != 0);
    break;
  case TaskArg::Kind::F64:
    value = b.getF64FloatAttr(arg.floatConstant);
    break;
  case TaskArg::Kind::F32:
    value = b.getF32FloatAttr(static_cast<float>(arg.floatConstant));
    break;
  }
  return constantIn(op, value, b, loc, builder->constants);
}

Attribute Graph::elseAttr(const ElseValue &value, Type resultType) {
  Builder b(op.getContext());
  switch (value.kind) {
  case ElseValue::Kind::Attr:
    return value.attr;
  case ElseValue::Kind::Int:
    if (resultType && (resultType.isIntOrIndex()))
      return b.getIntegerAttr(resultType, value.i);
    return b.getI64IntegerAttr(value.i);
  case ElseValue::Kind::Float:
    if (auto floatType = dyn_cast_if_present<FloatType>(resultType))
      return b.getFloatAttr(floatType, value.f);
    return b.getF64FloatAttr(value.f);
  case ElseValue::Kind::Bool:
    return b.getBoolAttr(value.i != 0);
  }
  return {};
}

template <typename Derived>
bool Graph::checkAwaitsAndPred(const OpOptions<Derived> &options,
                               llvm::SmallVectorImpl<Value> &awaits,
                               Value &pred, SourceLoc loc) {
  bool ok = true;
  for (auto [i, event] : llvm::enumerate(options.awaits)) {
    if (checkOperand(event.getValue(),
                     ("awaited event #" + llvm::Twine(i)).str(), loc))
      awaits.push_back(event.getValue());
    else
      ok = false;
  }
  if (options.hasPred) {
    pred = options.pred.getValue();
    ok &= checkOperand(pred, "the predicate", loc);
  }
  return ok;
}

Task Graph::buildTask(KernelOp kernel, llvm::StringRef name,
                      llvm::ArrayRef<TaskArg> args, const TaskOptions &options,
                      SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Task();
  MLIRContext *ctx = op.getContext();
  Location where = builder->location(loc);
  bool ok = true;

  llvm::SmallVector<Value> operands;
  llvm::SmallVector<Attribute> modes;
  for (auto [i, arg] : llvm::enumerate(args)) {
    std::string what =
        ("operand #" + llvm::Twine(i) + " of the task @" + name).str();
    if (arg.kind == TaskArg::Kind::Buffer) {
      if (!checkOperand(arg.value, what, loc)) {
        ok = false;
        continue;
      }
      if (!isa<BufferType>(arg.value.getType())) {
        builder->recordError(loc, what + " has an access mode but is not a "
                                         "buffer");
        ok = false;
        continue;
      }
      modes.push_back(AccessModeAttr::get(ctx, arg.mode));
    } else if (arg.kind == TaskArg::Kind::Value) {
      if (!checkOperand(arg.value, what, loc)) {
        ok = false;
        continue;
      }
      if (isa<BufferType>(arg.value.getType())) {
        builder->recordError(loc, what + " is a buffer without an access "
                                         "mode; use read(), write(), "
                                         "readWrite() or reduce()");
        ok = false;
        continue;
      }
    }
    operands.push_back(materialize(arg, *b, where));
  }

  llvm::SmallVector<Value> awaits;
  Value pred;
  ok &= checkAwaitsAndPred(options, awaits, pred, loc);
  if (!ok)
    return Task();

  // The task's values follow the kernel's results; an undeclared kernel
  // gets none, and the verifier says it is undeclared.
  llvm::SmallVector<Type> resultTypes, valueTypes;
  if (kernel)
    resultTypes.append(kernel.getFunctionType().getResults().begin(),
                       kernel.getFunctionType().getResults().end());
  for (Type t : resultTypes)
    valueTypes.push_back(ValueType::get(ctx, t));

  ArrayAttr elseValues;
  if (options.hasElse) {
    llvm::SmallVector<Attribute> attrs;
    for (auto [i, value] : llvm::enumerate(options.elseValues))
      attrs.push_back(
          elseAttr(value, i < resultTypes.size() ? resultTypes[i] : Type()));
    elseValues = ArrayAttr::get(ctx, attrs);
  }

  auto task = TaskOp::create(
      *b, where, EventType::get(ctx), valueTypes,
      FlatSymbolRefAttr::get(ctx, name), operands, awaits, pred,
      modes.empty() ? ArrayAttr() : ArrayAttr::get(ctx, modes),
      /*dep_kinds=*/ArrayAttr(), elseValues, /*pred_mode=*/PredModeAttr(),
      /*placement=*/ProcAttr(), /*stream_ordered=*/UnitAttr());
  return Task(task);
}

Task Graph::task(Kernel kernel, llvm::ArrayRef<TaskArg> args,
                 const TaskOptions &options, SourceLoc loc) {
  if (!kernel) {
    if (builder)
      builder->recordError(loc, "task of a null kernel handle");
    return Task();
  }
  // A kernel of a module already handed over may be gone: not touched.
  if (builder && kernel.generation &&
      *kernel.generation != builder->generation) {
    builder->recordError(loc, "task of a kernel declared before "
                              "GraphBuilder::finish(); declare it again in "
                              "this module");
    return Task();
  }
  return buildTask(kernel.getOp(), kernel.getName(), args, options, loc);
}

Task Graph::task(llvm::StringRef kernel, llvm::ArrayRef<TaskArg> args,
                 const TaskOptions &options, SourceLoc loc) {
  if (!builder)
    return Task();
  KernelOp op = builder->module->lookupSymbol<KernelOp>(kernel);
  return buildTask(op, kernel, args, options, loc);
}

Event Graph::copy(Buffer src, Buffer dst, const CopyOptions &options,
                  SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Event();
  bool ok = checkOperand(src.getValue(), "the copy's source", loc);
  ok &= checkOperand(dst.getValue(), "the copy's destination", loc);
  for (Value v : {src.getValue(), dst.getValue()}) {
    if (!v || isa<BufferType>(v.getType()))
      continue;
    std::string type;
    llvm::raw_string_ostream os(type);
    os << v.getType();
    builder->recordError(loc,
                         "a copy moves buffers; got a value of type " + type);
    ok = false;
  }
  llvm::SmallVector<Value> awaits;
  Value pred;
  ok &= checkAwaitsAndPred(options, awaits, pred, loc);
  if (!ok)
    return Event();
  auto i64 = [&](std::optional<int64_t> v) {
    return v ? b->getI64IntegerAttr(*v) : IntegerAttr();
  };
  auto copy = CopyOp::create(
      *b, builder->location(loc), EventType::get(op.getContext()),
      src.getValue(), dst.getValue(), awaits, pred, i64(options.src),
      i64(options.dst), i64(options.count), /*dep_kinds=*/ArrayAttr(),
      /*pred_mode=*/PredModeAttr(), /*placement=*/ProcAttr(),
      /*stream_ordered=*/UnitAttr());
  return Event(copy.getDone());
}

Event Graph::join(llvm::ArrayRef<Event> events, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Event();
  llvm::SmallVector<Value> values;
  bool ok = true;
  for (auto [i, event] : llvm::enumerate(events)) {
    if (checkOperand(event.getValue(),
                     ("joined event #" + llvm::Twine(i)).str(), loc))
      values.push_back(event.getValue());
    else
      ok = false;
  }
  if (!ok)
    return Event();
  return Event(JoinOp::create(*b, builder->location(loc),
                              EventType::get(op.getContext()), values)
                   .getDone());
}

Event Graph::immediate(SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Event();
  return Event(ImmediateOp::create(*b, builder->location(loc)).getDone());
}

//===----------------------------------------------------------------------===//
// Graph: predicates and results
//===----------------------------------------------------------------------===//

Pred Graph::predConst(bool value, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Pred();
  return Pred(PredConstOp::create(*b, builder->location(loc),
                                  PredType::get(op.getContext()),
                                  b->getBoolAttr(value))
                  .getResult());
}

Pred Graph::predFrom(Future value, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b || !checkOperand(value.getValue(), "the predicate's value", loc))
    return Pred();
  return Pred(PredFromOp::create(*b, builder->location(loc),
                                 PredType::get(op.getContext()),
                                 value.getValue())
                  .getResult());
}

Pred Graph::predNot(Pred p, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b || !checkOperand(p.getValue(), "the negated predicate", loc))
    return Pred();
  return Pred(PredNotOp::create(*b, builder->location(loc),
                                PredType::get(op.getContext()), p.getValue())
                  .getResult());
}

Pred Graph::predAnd(Pred lhs, Pred rhs, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Pred();
  bool ok = checkOperand(lhs.getValue(), "the left predicate", loc);
  ok &= checkOperand(rhs.getValue(), "the right predicate", loc);
  if (!ok)
    return Pred();
  return Pred(PredAndOp::create(*b, builder->location(loc),
                                PredType::get(op.getContext()), lhs.getValue(),
                                rhs.getValue())
                  .getResult());
}

Pred Graph::predOr(Pred lhs, Pred rhs, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return Pred();
  bool ok = checkOperand(lhs.getValue(), "the left predicate", loc);
  ok &= checkOperand(rhs.getValue(), "the right predicate", loc);
  if (!ok)
    return Pred();
  return Pred(PredOrOp::create(*b, builder->location(loc),
                               PredType::get(op.getContext()), lhs.getValue(),
                               rhs.getValue())
                  .getResult());
}

void Graph::yield(llvm::ArrayRef<GraphResult> results, SourceLoc loc) {
  OpBuilder *b = insertionBuilder(loc);
  if (!b)
    return;
  Block &body = op.getBodyBlock();
  if (!body.empty() && body.back().hasTrait<OpTrait::IsTerminator>()) {
    builder->recordError(loc, "graph @" + op.getSymName() +
                                  " already yielded; yield once, with "
                                  "every result");
    return;
  }
  llvm::SmallVector<Value> values;
  llvm::SmallVector<Type> types;
  bool ok = true;
  for (auto [i, result] : llvm::enumerate(results)) {
    if (!checkOperand(result.value, ("result #" + llvm::Twine(i)).str(), loc)) {
      ok = false;
      continue;
    }
    values.push_back(result.value);
    types.push_back(result.value.getType());
  }
  if (!ok)
    return;
  YieldOp::create(*b, builder->location(loc), values);
  op.setFunctionType(FunctionType::get(
      op.getContext(), op.getFunctionType().getInputs(), types));
}
