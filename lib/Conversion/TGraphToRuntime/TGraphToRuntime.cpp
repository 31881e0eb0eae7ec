//===- TGraphToRuntime.cpp - convert-tgraph-to-runtime --------------------===//
//
// Lowers each scheduled graph to a function that builds it once through the
// tgrt C ABI and returns the graph handle (replays are tgrt_graph_replay
// calls by the host). Each kind of op has its own lowering method; every
// call's status is checked and the first failure returns null, so
// tgrt_last_error() names the first problem.
//
//===----------------------------------------------------------------------===//

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "tgraph/Conversion/Passes.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_CONVERTTGRAPHTORUNTIME
#include "tgraph/Conversion/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

// Values of the tgrt.h enums the lowering emits.
namespace {
enum : int32_t { kProcCpu = 0, kProcGpu = 1, kProcCopy = 2 };
enum : int32_t { kDepHost = 0, kDepDevice = 1 };
enum : int32_t { kMemHost = 0, kMemDevice = 1 };
enum : int32_t { kPredWait = 0, kPredGuarded = 1 };

/// The runtime symbol table (include/tgraph/Runtime/tgrt_symbols.def).
const llvm::StringMap<llvm::StringRef> &runtimeSymbols() {
  static const llvm::StringMap<llvm::StringRef> table = {
#define TGRT_SYMBOL(name, params) {#name, params},
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
  };
  return table;
}

/// The 64-bit word a scalar constant is passed as.
std::optional<uint64_t> wordOf(Attribute attr) {
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    if (i.getType().isInteger(1))
      return i.getValue().getBoolValue() ? 1 : 0;
    return uint64_t(i.getValue().getSExtValue());
  }
  if (auto b = dyn_cast<BoolAttr>(attr))
    return b.getValue() ? 1 : 0;
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    llvm::APInt bits = f.getValue().bitcastToAPInt();
    return bits.getZExtValue();
  }
  return std::nullopt;
}

class GraphLowering {
public:
  GraphLowering(GraphOp graph, OpBuilder &builder,
                llvm::StringMap<LLVM::GlobalOp> &strings)
      : graph(graph), b(builder), loc(graph.getLoc()), strings(strings),
        nodeIds(runtimeNodeIds(graph)) {}

  LogicalResult run();

private:
  GraphOp graph;
  OpBuilder &b;
  Location loc;
  llvm::StringMap<LLVM::GlobalOp> &strings;
  llvm::DenseMap<Operation *, unsigned> nodeIds;
  llvm::DenseMap<Value, unsigned> predIds;
  llvm::DenseMap<unsigned, unsigned> paramOfArg;
  unsigned numPreds = 0;
  Value graphHandle, outSlot;
  Block *failBlock = nullptr;

  Value i32(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  }
  Value i64(uint64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
  Value string(StringRef s);
  /// Calls a runtime function; on a non-zero status, returns null from the
  /// instantiate function. Continues in a new block.
  void call(StringRef name, ArrayRef<Value> args);
  func::FuncOp declare(StringRef name);

  LogicalResult lowerTask(TaskOp task);
  LogicalResult lowerCopy(CopyOp copy);
  LogicalResult lowerJoin(JoinOp join);
  LogicalResult lowerAwaits(Operation *op, unsigned node);
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

std::string mlir::tgraph::instantiateFunctionName(StringRef graph) {
  return ("tgraph_instantiate_" + graph).str();
}

llvm::DenseMap<Operation *, unsigned>
mlir::tgraph::runtimeNodeIds(GraphOp graph) {
  llvm::DenseMap<Operation *, unsigned> ids;
  for (Operation &op : graph.getBodyBlock())
    if (isa<TaskOp, CopyOp, JoinOp>(op))
      ids.try_emplace(&op, ids.size());
  return ids;
}

func::FuncOp GraphLowering::declare(StringRef name) {
  auto module = graph->getParentOfType<ModuleOp>();
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  StringRef params = runtimeSymbols().lookup(name);
  SmallVector<Type> types;
  auto ptr = LLVM::LLVMPointerType::get(b.getContext());
  for (char c : params)
    types.push_back(c == 'p' ? Type(ptr)
                    : c == 'i' ? Type(b.getI32Type())
                               : Type(b.getI64Type()));
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

void GraphLowering::call(StringRef name, ArrayRef<Value> args) {
  func::FuncOp fn = declare(name);
  Value status = func::CallOp::create(b, loc, fn, args).getResult(0);
  Value failed = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                       status, i32(0));
  Block *current = b.getInsertionBlock();
  Block *next = b.createBlock(current->getParent());
  b.setInsertionPointToEnd(current);
  cf::CondBranchOp::create(b, loc, failed, failBlock, ValueRange(), next,
                           ValueRange());
  b.setInsertionPointToStart(next);
}

FailureOr<GraphLowering::Processor>
GraphLowering::processorOf(Operation *op) {
  auto placement = op->getAttrOfType<ProcAttr>("placement");
  if (!placement)
    return op->emitOpError("has no placement; run tgraph-pipeline (or "
                           "tgraph-assign-processors) before "
                           "convert-tgraph-to-runtime");
  int32_t kind = placement.isCpu()     ? kProcCpu
                 : placement.getCopy() ? kProcCopy
                                       : kProcGpu;
  return Processor{kind, placement.getIndex(),
                   placement.isCpu() ? 0u : unsigned(placement.getStream())};
}

LogicalResult GraphLowering::lowerAwaits(Operation *op, unsigned node) {
  ArrayAttr kinds;
  if (auto task = dyn_cast<TaskOp>(op))
    kinds = task.getDepKindsAttr();
  else if (auto copy = dyn_cast<CopyOp>(op))
    kinds = copy.getDepKindsAttr();
  for (auto [i, event] :
       llvm::enumerate(cast<AwaitOpInterface>(op).getAwaitedEvents())) {
    // External preconditions gate the whole replay; immediate events are
    // already done.
    if (isa<BlockArgument>(event) || event.getDefiningOp<ImmediateOp>())
      continue;
    auto producer = nodeIds.find(event.getDefiningOp());
    if (producer == nodeIds.end())
      return op->emitOpError("awaits an event the runtime lowering cannot "
                             "name; only tasks, copies, joins, immediate "
                             "events and graph arguments are supported");
    int32_t kind = kDepHost;
    if (kinds && i < kinds.size())
      if (auto k = dyn_cast<DepKindAttr>(kinds[i]))
        kind = k.getValue() == DepKind::device ? kDepDevice : kDepHost;
    // A device dependence on the same stream needs nothing: the stream runs
    // its queue in order, and the runtime keeps the creation (block) order.
    auto here = op->getAttrOfType<ProcAttr>("placement");
    if (kind == kDepDevice && here && here.isGpu() &&
        here == event.getDefiningOp()->getAttrOfType<ProcAttr>("placement"))
      continue;
    call("tgrt_graph_add_dep",
         {graphHandle, i32(producer->second), i32(node), i32(kind)});
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
  auto emit = [&](StringRef fn, SmallVector<Value> args) {
    args.insert(args.begin(), graphHandle);
    args.push_back(outSlot);
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
  auto mode = op->getAttrOfType<PredModeAttr>("pred_mode");
  int32_t m = mode && mode.getValue() == PredMode::guarded ? kPredGuarded
                                                           : kPredWait;
  call("tgrt_graph_set_predicate",
       {graphHandle, i32(node), i32(*id), i32(m)});
  if (ArrayAttr elseValues = predicated.getElseValuesAttr()) {
    for (auto [i, attr] : llvm::enumerate(elseValues)) {
      std::optional<uint64_t> word = wordOf(attr);
      if (!word)
        return op->emitOpError("has an else value the runtime cannot hold: ")
               << attr;
      call("tgrt_graph_set_else_value",
           {graphHandle, i32(node), i32(i), i64(*word)});
    }
  }
  return success();
}

LogicalResult GraphLowering::lowerTask(TaskOp task) {
  unsigned node = nodeIds.lookup(task);
  FailureOr<Processor> proc = processorOf(task);
  if (failed(proc))
    return failure();
  call("tgrt_graph_add_task",
       {graphHandle, string(task.getKernel()), i32(proc->kind),
        i32(proc->index), i32(proc->stream), i32(task.getValues().size()),
        outSlot});
  for (Value arg : task.getArgs()) {
    if (auto blockArg = dyn_cast<BlockArgument>(arg)) {
      call("tgrt_graph_add_arg_param",
           {graphHandle, i32(node), i32(paramOfArg.lookup(
                                        blockArg.getArgNumber()))});
      continue;
    }
    if (auto producer = arg.getDefiningOp<TaskOp>()) {
      unsigned result = cast<OpResult>(arg).getResultNumber() - 1;
      call("tgrt_graph_add_arg_value",
           {graphHandle, i32(node), i32(nodeIds.lookup(producer)),
            i32(result)});
      continue;
    }
    Attribute constant;
    if (matchPattern(arg, m_Constant(&constant)))
      if (std::optional<uint64_t> word = wordOf(constant)) {
        call("tgrt_graph_add_arg", {graphHandle, i32(node), i64(*word)});
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
  int64_t elem = (src.getElementType().getIntOrFloatBitWidth() + 7) / 8;
  if (src.getElementType().isIndex())
    elem = 8;
  auto offset = [](IntegerAttr attr) { return attr ? attr.getInt() : 0; };
  Value null = LLVM::ZeroOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()));
  call("tgrt_graph_add_copy",
       {graphHandle, i32(proc->kind), i32(proc->index), i32(proc->stream), null,
        i32(dst.isOnGpu() ? kMemDevice : kMemHost),
        i64(offset(copy.getDstOffsetAttr()) * elem), null,
        i32(src.isOnGpu() ? kMemDevice : kMemHost),
        i64(offset(copy.getSrcOffsetAttr()) * elem),
        i64(copy.getNumElements() * elem), outSlot});
  call("tgrt_graph_copy_bind_param",
       {graphHandle, i32(node), i32(0),
        i32(paramOfArg.lookup(dstArg.getArgNumber()))});
  call("tgrt_graph_copy_bind_param",
       {graphHandle, i32(node), i32(1),
        i32(paramOfArg.lookup(srcArg.getArgNumber()))});
  if (failed(setPredicate(copy, node)))
    return failure();
  return lowerAwaits(copy, node);
}

LogicalResult GraphLowering::lowerJoin(JoinOp join) {
  call("tgrt_graph_add_join", {graphHandle, outSlot});
  return lowerAwaits(join, nodeIds.lookup(join));
}

LogicalResult GraphLowering::run() {
  if (!graph->hasAttr("tgraph.scheduled"))
    return graph.emitOpError("is not scheduled; run tgraph-pipeline before "
                             "convert-tgraph-to-runtime");
  // Parameters: the non-event, non-predicate arguments, in order.
  unsigned numParams = 0;
  for (BlockArgument arg : graph.getBodyBlock().getArguments())
    if (!isa<EventType, PredType>(arg.getType()))
      paramOfArg[arg.getArgNumber()] = numParams++;

  MLIRContext *ctx = b.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  b.setInsertionPoint(graph);
  auto fn = func::FuncOp::create(b, loc,
                                 instantiateFunctionName(graph.getSymName()),
                                 b.getFunctionType({ptr}, {ptr}));
  Block *entry = fn.addEntryBlock();
  failBlock = b.createBlock(&fn.getBody());
  b.setInsertionPointToStart(failBlock);
  func::ReturnOp::create(b, loc, ValueRange{LLVM::ZeroOp::create(b, loc, ptr)});

  b.setInsertionPointToStart(entry);
  Value one = i64(1);
  outSlot = LLVM::AllocaOp::create(b, loc, ptr, b.getI32Type(), one);
  Value graphSlot = LLVM::AllocaOp::create(b, loc, ptr, ptr, one);
  call("tgrt_graph_create",
       {entry->getArgument(0), string(graph.getSymName()), graphSlot});
  graphHandle = LLVM::LoadOp::create(b, loc, ptr, graphSlot);
  call("tgrt_graph_set_num_params", {graphHandle, i32(numParams)});

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
  call("tgrt_graph_finalize", {graphHandle});
  func::ReturnOp::create(b, loc, graphHandle);
  return success();
}

namespace {
struct ConvertTGraphToRuntimePass
    : public ::mlir::tgraph::impl::ConvertTGraphToRuntimeBase<
          ConvertTGraphToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder builder(&getContext());
    llvm::StringMap<LLVM::GlobalOp> strings;
    for (GraphOp graph : llvm::make_early_inc_range(module.getOps<GraphOp>())) {
      GraphLowering lowering(graph, builder, strings);
      if (failed(lowering.run()))
        return signalPassFailure();
      graph.erase();
    }
    for (KernelOp kernel : llvm::make_early_inc_range(module.getOps<KernelOp>()))
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
    module->removeAttr("tgraph.machine");
  }
};
} // namespace

void mlir::tgraph::buildLowerToLLVMPipeline(OpPassManager &pm) {
  pm.addPass(createConvertTGraphToRuntime());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::tgraph::registerTGraphConversionPassesAndPipelines() {
  registerTGraphConversionPasses();
  PassPipelineRegistration<>(
      "tgraph-lower-to-llvm",
      "convert-tgraph-to-runtime, then func, arith and cf to the LLVM "
      "dialect (ready for mlir-translate --mlir-to-llvmir)",
      buildLowerToLLVMPipeline);
}
