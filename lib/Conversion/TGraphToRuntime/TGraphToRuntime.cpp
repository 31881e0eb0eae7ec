//===- TGraphToRuntime.cpp - convert-tgraph-to-runtime --------------------===//
//
// Lowers each scheduled graph to a function that builds it once through the
// tgrt C ABI and returns the graph handle (replays are tgrt_graph_replay
// calls by the host). Each kind of op has its own lowering method, which
// describes the runtime calls it needs; they are emitted either as a graph
// program (mode=program, the default: constant bytes run by one
// tgrt_graph_build call, so a big graph compiles to data, not code) or as
// the calls themselves (mode=calls: readable IR). Either way the first
// failing call makes the instantiate function return null, and
// tgrt_last_error() names the problem.
//
// The compiler decides, the lowering carries: each task and copy gets its
// queue position (tgrt_graph_set_queue_pos) and each op its dependency count
// (tgrt_graph_expect_deps) from tgraph-schedule's attributes, one add_dep
// per distinct awaited op with the kind tgraph-mark-runahead chose. What
// the runtime would refuse (a missing or inconsistent position, a count
// that does not match the awaits, a device dependence or a guarded
// predicate its backends cannot honour) is reported here, on the op.
//
//===----------------------------------------------------------------------===//

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "tgraph/Analysis/MachineModel.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Runtime/tgrt.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/LEB128.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_CONVERTTGRAPHTORUNTIME
#include "tgraph/Conversion/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
/// A row of the runtime symbol table
/// (include/tgraph/Runtime/tgrt_symbols.def).
struct RuntimeSymbol {
  llvm::StringRef params; ///< p/s/o = pointer, i = i32, l = i64
  int opcode;             ///< its tgrt_program_op, or 0
};
const llvm::StringMap<RuntimeSymbol> &runtimeSymbols() {
  static const llvm::StringMap<RuntimeSymbol> table = {
#define TGRT_SYMBOL(name, params, opcode) {#name, {params, opcode}},
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
  };
  return table;
}

class GraphLowering {
public:
  GraphLowering(GraphOp graph, OpBuilder &builder,
                llvm::StringMap<LLVM::GlobalOp> &strings, bool asProgram)
      : graph(graph), b(builder), loc(graph.getLoc()), strings(strings),
        asProgram(asProgram), nodeIds(runtimeNodeIds(graph)) {}

  LogicalResult run();

private:
  /// One argument of a runtime call, as the op lowerings describe it.
  struct Operand {
    enum Kind { Graph, Out, Null, Str, I32, I64 } kind;
    uint64_t value = 0;
    StringRef str = {};
  };
  static Operand graphArg() { return {Operand::Graph}; }
  static Operand out() { return {Operand::Out}; }
  static Operand null() { return {Operand::Null}; }
  static Operand str(StringRef s) { return {Operand::Str, 0, s}; }
  static Operand i32(int64_t v) { return {Operand::I32, uint64_t(v)}; }
  static Operand i64(uint64_t v) { return {Operand::I64, v}; }

  GraphOp graph;
  OpBuilder &b;
  Location loc;
  llvm::StringMap<LLVM::GlobalOp> &strings;
  bool asProgram;
  llvm::DenseMap<Operation *, unsigned> nodeIds;
  llvm::DenseMap<Value, unsigned> predIds;
  llvm::DenseMap<unsigned, unsigned> paramOfArg;
  unsigned numPreds = 0;
  // mode=calls: the IR being built.
  Value graphHandle, outSlot;
  Block *failBlock = nullptr;
  // mode=program: the program (LEB128 numbers, see tgrt.h) and the string
  // table being built.
  std::string program;
  llvm::raw_string_ostream programOS{program};
  std::string programStrings;
  llvm::StringMap<uint64_t> stringOffsets;

  Value constI32(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  }
  Value constI64(uint64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
  Value string(StringRef s);
  LLVM::GlobalOp constantGlobal(StringRef name, Type type, Attribute value,
                                uint64_t alignment);
  /// A runtime call: appended to the program, or emitted as a call that
  /// returns null from the instantiate function on a non-zero status (the
  /// code continues in a new block).
  void call(StringRef name, ArrayRef<Operand> args);
  void emitCall(StringRef name, ArrayRef<Value> args);
  func::FuncOp declare(StringRef name);
  void beginFunction();
  LogicalResult lowerOps();

  LogicalResult lowerTask(TaskOp task);
  LogicalResult lowerCopy(CopyOp copy);
  LogicalResult lowerJoin(JoinOp join);
  LogicalResult lowerAwaits(Operation *op, unsigned node);
  LogicalResult setQueuePos(Operation *op, unsigned node);
  LogicalResult checkQueues();
  FailureOr<unsigned> lowerPredicate(Value pred);
  LogicalResult setPredicate(Operation *op, unsigned node);
  /// The runtime processor of an op: tgrt_proc_kind, index, stream.
  struct Processor {
    int32_t kind;
    unsigned index, stream;
  };
  FailureOr<Processor> processorOf(Operation *op);
};
} // namespace

func::FuncOp GraphLowering::declare(StringRef name) {
  auto module = graph->getParentOfType<ModuleOp>();
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  StringRef params = runtimeSymbols().lookup(name).params;
  SmallVector<Type> types;
  auto ptr = LLVM::LLVMPointerType::get(b.getContext());
  for (char c : params)
    types.push_back(c == 'i'   ? Type(b.getI32Type())
                    : c == 'l' ? Type(b.getI64Type())
                               : Type(ptr)); // p, s, o
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto fn = func::FuncOp::create(b, loc, name,
                                 b.getFunctionType(types, b.getI32Type()));
  fn.setPrivate();
  return fn;
}

Value GraphLowering::string(StringRef s) {
  LLVM::GlobalOp &global = strings[s];
  if (!global) {
    auto module = graph->getParentOfType<ModuleOp>();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    std::string data = s.str();
    data.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), data.size());
    global = LLVM::GlobalOp::create(
        b, loc, type, /*isConstant=*/true, LLVM::Linkage::Internal,
        "__tgraph_str_" + std::to_string(strings.size()),
        b.getStringAttr(data));
  }
  return LLVM::AddressOfOp::create(b, loc, global);
}

LLVM::GlobalOp GraphLowering::constantGlobal(StringRef name, Type type,
                                             Attribute value,
                                             uint64_t alignment) {
  auto module = graph->getParentOfType<ModuleOp>();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                LLVM::Linkage::Internal, name, value,
                                alignment);
}

void GraphLowering::call(StringRef name, ArrayRef<Operand> args) {
  if (asProgram) {
    const int opcode = runtimeSymbols().lookup(name).opcode;
    assert(opcode > 0 && "a call with no program opcode in a program");
    llvm::encodeULEB128(uint64_t(opcode), programOS);
    for (const Operand &a : args) {
      switch (a.kind) {
      case Operand::Graph:
      case Operand::Out:
        break; // implicit in a program
      case Operand::Null:
        llvm::encodeULEB128(0, programOS);
        break;
      case Operand::Str: {
        auto [it, inserted] =
            stringOffsets.try_emplace(a.str, programStrings.size());
        if (inserted) {
          programStrings.append(a.str.begin(), a.str.end());
          programStrings.push_back('\0');
        }
        llvm::encodeULEB128(it->second, programOS);
        break;
      }
      case Operand::I32: // zero-extended, like the C call's 32 bits
        llvm::encodeULEB128(uint32_t(a.value), programOS);
        break;
      case Operand::I64:
        llvm::encodeULEB128(a.value, programOS);
        break;
      }
    }
    return;
  }
  SmallVector<Value> values;
  for (const Operand &a : args) {
    switch (a.kind) {
    case Operand::Graph:
      values.push_back(graphHandle);
      break;
    case Operand::Out:
      values.push_back(outSlot);
      break;
    case Operand::Null:
      values.push_back(LLVM::ZeroOp::create(
          b, loc, LLVM::LLVMPointerType::get(b.getContext())));
      break;
    case Operand::Str:
      values.push_back(string(a.str));
      break;
    case Operand::I32:
      values.push_back(constI32(int64_t(a.value)));
      break;
    case Operand::I64:
      values.push_back(constI64(a.value));
      break;
    }
  }
  emitCall(name, values);
}

void GraphLowering::emitCall(StringRef name, ArrayRef<Value> args) {
  func::FuncOp fn = declare(name);
  Value status = func::CallOp::create(b, loc, fn, args).getResult(0);
  Value failed = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, status,
                                       constI32(0));
  Block *current = b.getInsertionBlock();
  Block *next = b.createBlock(current->getParent());
  b.setInsertionPointToEnd(current);
  cf::CondBranchOp::create(b, loc, failed, failBlock, ValueRange(), next,
                           ValueRange());
  b.setInsertionPointToStart(next);
}

FailureOr<GraphLowering::Processor> GraphLowering::processorOf(Operation *op) {
  ProcAttr placement = cast<PlacedOpInterface>(op).getPlacementAttr();
  if (!placement)
    return op->emitOpError("has no placement; run tgraph-pipeline (or "
                           "tgraph-assign-processors) before "
                           "convert-tgraph-to-runtime");
  int32_t kind = placement.isCpu()     ? TGRT_PROC_CPU
                 : placement.getCopy() ? TGRT_PROC_COPY
                                       : TGRT_PROC_GPU;
  return Processor{kind, placement.getIndex(),
                   placement.isCpu() ? 0u : unsigned(placement.getStream())};
}

LogicalResult GraphLowering::lowerAwaits(Operation *op, unsigned node) {
  auto placed = dyn_cast<PlacedOpInterface>(op); // null for joins
  // One dependence per distinct producer (host if any of its awaits is),
  // in the order of the first await: what tgraph.dep_count counts.
  llvm::SmallMapVector<Operation *, int32_t, 4> producers;
  for (auto [i, event] :
       llvm::enumerate(cast<AwaitOpInterface>(op).getAwaitedEvents())) {
    // External preconditions gate the whole replay; immediate events are
    // already done.
    if (isa<BlockArgument>(event) || event.getDefiningOp<ImmediateOp>())
      continue;
    Operation *producer = event.getDefiningOp();
    if (!nodeIds.count(producer))
      return op->emitOpError("awaits an event the runtime lowering cannot "
                             "name; only tasks, copies, joins, immediate "
                             "events and graph arguments are supported");
    int32_t kind = placed && placed.getDepKind(i) == DepKind::device
                       ? TGRT_DEP_DEVICE
                       : TGRT_DEP_HOST;
    if (kind == TGRT_DEP_DEVICE && !canAwaitOnDevice(producer, op))
      return op->emitOpError("awaits ")
             << describeOp(producer)
             << " with a device dependence, but only stream-ordered ops on "
                "streams of one GPU can be ordered on the device; make it "
                "`host` (tgraph-mark-runahead does)";
    auto [it, inserted] = producers.try_emplace(producer, kind);
    if (!inserted && kind == TGRT_DEP_HOST)
      it->second = TGRT_DEP_HOST;
  }
  TGraphDialect::DepCountAttrHelper depCount(op->getContext());
  IntegerAttr count = depCount.getAttr(op);
  if (count) {
    if (uint64_t(count.getInt()) != producers.size())
      return op->emitOpError("has tgraph.dep_count = ")
             << count.getInt() << " but awaits " << producers.size()
             << " distinct ops of graph @" << graph.getSymName()
             << "; run tgraph-schedule again";
  }
  for (auto [producer, kind] : producers)
    call("tgrt_graph_add_dep",
         {graphArg(), i32(nodeIds.lookup(producer)), i32(node), i32(kind)});
  if (count)
    call("tgrt_graph_expect_deps",
         {graphArg(), i32(node), i32(producers.size())});
  return success();
}

LogicalResult GraphLowering::setQueuePos(Operation *op, unsigned node) {
  IntegerAttr pos =
      TGraphDialect::QueuePosAttrHelper(op->getContext()).getAttr(op);
  call("tgrt_graph_set_queue_pos", {graphArg(), i32(node), i32(pos.getInt())});
  return success();
}

/// Every task and copy has a queue position, and the positions of each
/// processor are exactly 0..k-1: the runtime runs queues as given.
LogicalResult GraphLowering::checkQueues() {
  TGraphDialect::QueuePosAttrHelper queuePos(graph.getContext());
  llvm::DenseMap<Attribute, SmallVector<Operation *>> queues;
  for (Operation &op : graph.getBodyBlock()) {
    auto placed = dyn_cast<PlacedOpInterface>(op);
    if (!placed)
      continue;
    ProcAttr placement = placed.getPlacementAttr();
    if (!placement)
      return op.emitOpError("has no placement; run tgraph-pipeline (or "
                            "tgraph-assign-processors) before "
                            "convert-tgraph-to-runtime");
    if (!queuePos.isAttrPresent(&op))
      return op.emitOpError("has no tgraph.queue_pos in scheduled graph @")
             << graph.getSymName()
             << "; run tgraph-schedule before convert-tgraph-to-runtime";
    queues[placement].push_back(&op);
  }
  for (auto &[placement, ops] : queues) {
    SmallVector<Operation *> slots(ops.size(), nullptr);
    for (Operation *op : ops) {
      int64_t pos = queuePos.getAttr(op).getInt();
      if (pos >= int64_t(ops.size()))
        return op->emitOpError("has tgraph.queue_pos ")
               << pos << " but " << placement << " runs " << ops.size()
               << " ops of graph @" << graph.getSymName() << " (positions 0.."
               << ops.size() - 1 << "); run tgraph-schedule";
      if (slots[pos])
        return op->emitOpError("has tgraph.queue_pos ")
               << pos << ", as does " << describeOp(slots[pos]) << " on "
               << placement << "; run tgraph-schedule";
      slots[pos] = op;
    }
  }
  return success();
}

FailureOr<unsigned> GraphLowering::lowerPredicate(Value pred) {
  auto it = predIds.find(pred);
  if (it != predIds.end())
    return it->second;
  Operation *def = pred.getDefiningOp();
  if (!def)
    return emitError(pred.getLoc(),
                     "predicates passed as graph arguments are not supported "
                     "by the runtime lowering; compute the predicate inside "
                     "the graph (tgraph.pred.const or tgraph.pred.from)");
  auto emit = [&](StringRef fn, SmallVector<Operand> args) {
    args.insert(args.begin(), graphArg());
    args.push_back(out());
    call(fn, args);
    predIds[pred] = numPreds;
    return numPreds++;
  };
  if (auto c = dyn_cast<PredConstOp>(def))
    return emit("tgrt_graph_pred_const", {i32(c.getValue() ? 1 : 0)});
  if (auto from = dyn_cast<PredFromOp>(def)) {
    auto task = from.getInput().getDefiningOp<TaskOp>();
    if (!task)
      return from.emitOpError("takes a value the runtime lowering cannot "
                              "name; use a task's !tgraph.value<i1> result");
    unsigned result = cast<OpResult>(from.getInput()).getResultNumber() - 1;
    return emit("tgrt_graph_pred_from_value",
                {i32(nodeIds.lookup(task)), i32(result)});
  }
  if (auto n = dyn_cast<PredNotOp>(def)) {
    FailureOr<unsigned> in = lowerPredicate(n.getInput());
    if (failed(in))
      return failure();
    return emit("tgrt_graph_pred_not", {i32(*in)});
  }
  if (isa<PredAndOp, PredOrOp>(def)) {
    FailureOr<unsigned> lhs = lowerPredicate(def->getOperand(0));
    FailureOr<unsigned> rhs = lowerPredicate(def->getOperand(1));
    if (failed(lhs) || failed(rhs))
      return failure();
    return emit(isa<PredAndOp>(def) ? "tgrt_graph_pred_and"
                                    : "tgrt_graph_pred_or",
                {i32(*lhs), i32(*rhs)});
  }
  return def->emitOpError("is not a predicate the runtime lowering knows");
}

LogicalResult GraphLowering::setPredicate(Operation *op, unsigned node) {
  auto predicated = cast<PredicatedOpInterface>(op);
  Value pred = predicated.getPred();
  if (!pred)
    return success();
  FailureOr<unsigned> id = lowerPredicate(pred);
  if (failed(id))
    return failure();
  PredModeAttr mode = cast<PlacedOpInterface>(op).getPredModeAttr();
  int32_t m = mode && mode.getValue() == PredMode::guarded ? TGRT_PRED_GUARDED
                                                           : TGRT_PRED_WAIT;
  if (m == TGRT_PRED_GUARDED && !canGuard(op))
    return op->emitOpError("is guarded, but only a GPU task of a "
                           "stream-ordered kernel can check its predicate on "
                           "the device; make it `wait` "
                           "(tgraph-mark-runahead does)");
  call("tgrt_graph_set_predicate", {graphArg(), i32(node), i32(*id), i32(m)});
  if (ArrayAttr elseValues = predicated.getElseValuesAttr()) {
    for (auto [i, attr] : llvm::enumerate(elseValues)) {
      std::optional<uint64_t> word = wordOf(attr);
      if (!word)
        return op->emitOpError("has an else value the runtime cannot hold: ")
               << attr;
      call("tgrt_graph_set_else_value",
           {graphArg(), i32(node), i32(i), i64(*word)});
    }
  }
  return success();
}

LogicalResult GraphLowering::lowerTask(TaskOp task) {
  unsigned node = nodeIds.lookup(task);
  if (task.getKernel().contains('\0'))
    return task.emitOpError("calls a kernel whose name contains a NUL "
                            "character, which the runtime cannot look up");
  FailureOr<Processor> proc = processorOf(task);
  if (failed(proc))
    return failure();
  call("tgrt_graph_add_task",
       {graphArg(), str(task.getKernel()), i32(proc->kind), i32(proc->index),
        i32(proc->stream), i32(task.getValues().size()), out()});
  if (failed(setQueuePos(task, node)))
    return failure();
  for (Value arg : task.getArgs()) {
    if (auto blockArg = dyn_cast<BlockArgument>(arg)) {
      call("tgrt_graph_add_arg_param",
           {graphArg(), i32(node),
            i32(paramOfArg.lookup(blockArg.getArgNumber()))});
      continue;
    }
    if (auto producer = arg.getDefiningOp<TaskOp>()) {
      unsigned result = cast<OpResult>(arg).getResultNumber() - 1;
      call("tgrt_graph_add_arg_value",
           {graphArg(), i32(node), i32(nodeIds.lookup(producer)), i32(result)});
      continue;
    }
    Attribute constant;
    if (matchPattern(arg, m_Constant(&constant)))
      if (std::optional<uint64_t> word = wordOf(constant)) {
        call("tgrt_graph_add_arg", {graphArg(), i32(node), i64(*word)});
        continue;
      }
    return task.emitOpError("passes an operand the runtime lowering cannot "
                            "express; use graph arguments, constants or "
                            "task values");
  }
  if (failed(setPredicate(task, node)))
    return failure();
  return lowerAwaits(task, node);
}

LogicalResult GraphLowering::lowerCopy(CopyOp copy) {
  unsigned node = nodeIds.lookup(copy);
  FailureOr<Processor> proc = processorOf(copy);
  if (failed(proc))
    return failure();
  auto src = cast<BufferType>(copy.getSrc().getType());
  auto dst = cast<BufferType>(copy.getDst().getType());
  auto srcArg = dyn_cast<BlockArgument>(copy.getSrc());
  auto dstArg = dyn_cast<BlockArgument>(copy.getDst());
  if (!srcArg || !dstArg)
    return copy.emitOpError("copies a buffer that is not a graph argument");
  int64_t elem = src.getElementBytes();
  auto offset = [](IntegerAttr attr) { return attr ? attr.getInt() : 0; };
  call("tgrt_graph_add_copy",
       {graphArg(), i32(proc->kind), i32(proc->index), i32(proc->stream),
        null(), i32(dst.isOnGpu() ? TGRT_MEM_DEVICE : TGRT_MEM_HOST),
        i64(offset(copy.getDstOffsetAttr()) * elem), null(),
        i32(src.isOnGpu() ? TGRT_MEM_DEVICE : TGRT_MEM_HOST),
        i64(offset(copy.getSrcOffsetAttr()) * elem),
        i64(copy.getNumElements() * elem), out()});
  if (failed(setQueuePos(copy, node)))
    return failure();
  call("tgrt_graph_copy_bind_param",
       {graphArg(), i32(node), i32(0),
        i32(paramOfArg.lookup(dstArg.getArgNumber()))});
  call("tgrt_graph_copy_bind_param",
       {graphArg(), i32(node), i32(1),
        i32(paramOfArg.lookup(srcArg.getArgNumber()))});
  if (failed(setPredicate(copy, node)))
    return failure();
  return lowerAwaits(copy, node);
}

LogicalResult GraphLowering::lowerJoin(JoinOp join) {
  call("tgrt_graph_add_join", {graphArg(), out()});
  return lowerAwaits(join, nodeIds.lookup(join));
}

LogicalResult GraphLowering::lowerOps() {
  for (Operation &op : graph.getBodyBlock()) {
    LogicalResult result = success();
    if (auto task = dyn_cast<TaskOp>(op))
      result = lowerTask(task);
    else if (auto copy = dyn_cast<CopyOp>(op))
      result = lowerCopy(copy);
    else if (auto join = dyn_cast<JoinOp>(op))
      result = lowerJoin(join);
    if (failed(result))
      return failure();
  }
  return success();
}

/// The instantiate function up to its entry block: the insertion point is
/// left there; `failBlock` returns null.
void GraphLowering::beginFunction() {
  auto ptr = LLVM::LLVMPointerType::get(b.getContext());
  b.setInsertionPoint(graph);
  auto fn =
      func::FuncOp::create(b, loc, instantiateFunctionName(graph.getSymName()),
                           b.getFunctionType({ptr}, {ptr}));
  Block *entry = fn.addEntryBlock();
  failBlock = b.createBlock(&fn.getBody());
  b.setInsertionPointToStart(failBlock);
  func::ReturnOp::create(b, loc, ValueRange{LLVM::ZeroOp::create(b, loc, ptr)});
  b.setInsertionPointToStart(entry);
}

LogicalResult GraphLowering::run() {
  if (!TGraphDialect::ScheduledAttrHelper(graph.getContext())
           .isAttrPresent(graph))
    return graph.emitOpError("is not scheduled; run tgraph-pipeline before "
                             "convert-tgraph-to-runtime");
  if (failed(checkQueues()))
    return failure();
  // Parameters: the non-event, non-predicate arguments, in order.
  unsigned numParams = 0;
  for (auto [arg, param] : llvm::enumerate(graphParams(graph)))
    if (param) {
      paramOfArg[arg] = *param;
      ++numParams;
    }

  auto ptr = LLVM::LLVMPointerType::get(b.getContext());
  if (asProgram) {
    llvm::encodeULEB128(TGRT_PROGRAM_VERSION, programOS);
    call("tgrt_graph_set_num_params", {graphArg(), i32(numParams)});
    if (failed(lowerOps()))
      return failure();
    // The program and the strings as constants, and one call that runs
    // them. Prefixes no graph name can make collide: __tgraph_program_<g>
    // and __tgraph_strings_<g> (kernel and graph names: __tgraph_str_<n>).
    std::string name = graph.getSymName().str();
    auto bytes = [&](StringRef global, std::string &data) {
      auto type = LLVM::LLVMArrayType::get(b.getI8Type(), data.size());
      return constantGlobal(global, type, b.getStringAttr(data), 1);
    };
    LLVM::GlobalOp programGlobal = bytes("__tgraph_program_" + name, program);
    programStrings.push_back('\0'); // never empty
    LLVM::GlobalOp stringsGlobal =
        bytes("__tgraph_strings_" + name, programStrings);
    beginFunction();
    Value graphSlot = LLVM::AllocaOp::create(b, loc, ptr, ptr, constI64(1));
    Block *entry = b.getInsertionBlock();
    emitCall("tgrt_graph_build",
             {entry->getParent()->getArgument(0), string(graph.getSymName()),
              LLVM::AddressOfOp::create(b, loc, programGlobal),
              constI64(program.size()),
              LLVM::AddressOfOp::create(b, loc, stringsGlobal),
              constI64(programStrings.size()), graphSlot});
    func::ReturnOp::create(
        b, loc, ValueRange{LLVM::LoadOp::create(b, loc, ptr, graphSlot)});
    return success();
  }

  beginFunction();
  outSlot = LLVM::AllocaOp::create(b, loc, ptr, b.getI32Type(), constI64(1));
  Value runtime = b.getInsertionBlock()->getParent()->getArgument(0);
  Value graphSlot = LLVM::AllocaOp::create(b, loc, ptr, ptr, constI64(1));
  emitCall("tgrt_graph_create",
           {runtime, string(graph.getSymName()), graphSlot});
  graphHandle = LLVM::LoadOp::create(b, loc, ptr, graphSlot);
  call("tgrt_graph_set_num_params", {graphArg(), i32(numParams)});
  if (failed(lowerOps()))
    return failure();
  call("tgrt_graph_finalize", {graphArg()});
  func::ReturnOp::create(b, loc, graphHandle);
  return success();
}

namespace {
struct ConvertTGraphToRuntimePass
    : public ::mlir::tgraph::impl::ConvertTGraphToRuntimeBase<
          ConvertTGraphToRuntimePass> {
  using ConvertTGraphToRuntimeBase::ConvertTGraphToRuntimeBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder builder(&getContext());
    llvm::StringMap<LLVM::GlobalOp> strings;
    if (mode != "program" && mode != "calls") {
      emitError(module.getLoc(), "convert-tgraph-to-runtime: mode must be "
                                 "'program' or 'calls', not '")
          << mode << "'";
      return signalPassFailure();
    }
    for (GraphOp graph : llvm::make_early_inc_range(module.getOps<GraphOp>())) {
      GraphLowering lowering(graph, builder, strings, mode == "program");
      if (failed(lowering.run()))
        return signalPassFailure();
      graph.erase();
    }
    for (KernelOp kernel :
         llvm::make_early_inc_range(module.getOps<KernelOp>()))
      kernel.erase();
    WalkResult leftover = module.walk([](Operation *op) {
      if (isa<TGraphDialect>(op->getDialect())) {
        op->emitOpError("is not supported outside graphs by the runtime "
                        "lowering");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (leftover.wasInterrupted())
      return signalPassFailure();
    TGraphDialect::MachineAttrHelper machine(&getContext());
    if (machine.isAttrPresent(module))
      machine.removeAttr(module);
  }
};
} // namespace

namespace {
struct LowerToLLVMOptions : public PassPipelineOptions<LowerToLLVMOptions> {
  Option<std::string> mode{
      *this, "mode",
      llvm::cl::desc("convert-tgraph-to-runtime's mode: program or calls"),
      llvm::cl::init("program")};
};
} // namespace

void mlir::tgraph::buildLowerToLLVMPipeline(OpPassManager &pm, StringRef mode) {
  ConvertTGraphToRuntimeOptions options;
  options.mode = mode.str();
  pm.addPass(createConvertTGraphToRuntime(options));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::tgraph::registerTGraphConversionPassesAndPipelines() {
  registerTGraphConversionPasses();
  PassPipelineRegistration<LowerToLLVMOptions>(
      "tgraph-lower-to-llvm",
      "convert-tgraph-to-runtime, then func, arith and cf to the LLVM "
      "dialect (ready for mlir-translate --mlir-to-llvmir)",
      [](OpPassManager &pm, const LowerToLLVMOptions &options) {
        buildLowerToLLVMPipeline(pm, options.mode);
      });
}
