//===- TGraphOps.cpp - tgraph operations ----------------------------------===//
//
// Custom syntax, verifiers, folders and canonicalization patterns of the
// tgraph ops. The verifiers say what is wrong and what would be right.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Dialect/TGraph/TGraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::tgraph;

#include "tgraph/Dialect/TGraph/TGraphInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// True for the scalar types a kernel may take or return.
static bool isScalar(Type type) { return type.isIntOrIndexOrFloat(); }

/// The scalar a kernel parameter of `paramType` sees for an argument of
/// `argType`: a `!tgraph.value<T>` future is passed as its T.
static Type scalarOf(Type argType) {
  if (auto value = dyn_cast<ValueType>(argType))
    return value.getType();
  return argType;
}

/// Kernel signatures: `(T, ...)` or `(T, ...) -> R` or `-> (R, ...)`.
static ParseResult parseKernelSignature(OpAsmParser &parser,
                                        TypeAttr &signature,
                                        TargetAttr &target) {
  SmallVector<Type> inputs, results;
  if (parser.parseLParen())
    return failure();
  if (failed(parser.parseOptionalRParen())) {
    if (parser.parseTypeList(inputs) || parser.parseRParen())
      return failure();
  }
  if (parser.parseOptionalArrowTypeList(results))
    return failure();
  signature =
      TypeAttr::get(FunctionType::get(parser.getContext(), inputs, results));
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<Target> t = symbolizeTarget(keyword);
  if (!t)
    return parser.emitError(loc, "expected the kernel's target, 'cpu' or "
                                 "'gpu', got '")
           << keyword << "'";
  target = TargetAttr::get(parser.getContext(), *t);
  return success();
}

static void printKernelSignature(OpAsmPrinter &p, Operation *,
                                 TypeAttr signature, TargetAttr target) {
  auto type = cast<FunctionType>(signature.getValue());
  p << '(';
  llvm::interleaveComma(type.getInputs(), p);
  p << ')';
  if (type.getNumResults() == 1) {
    p << " -> " << type.getResult(0);
  } else if (type.getNumResults() > 1) {
    p << " -> (";
    llvm::interleaveComma(type.getResults(), p);
    p << ')';
  }
  p << ' ' << stringifyTarget(target.getValue());
}

/// `await(%a, %b device)`: the awaited events and, optionally, their kinds.
/// Either every event has a kind or none has.
static ParseResult
parseAwaits(OpAsmParser &parser,
            SmallVectorImpl<OpAsmParser::UnresolvedOperand> &awaits,
            ArrayAttr &kinds) {
  if (failed(parser.parseOptionalKeyword("await")))
    return success();
  SmallVector<Attribute> kindAttrs;
  bool anyKind = false, anyMissing = false;
  SMLoc loc = parser.getCurrentLocation();
  auto parseOne = [&]() -> ParseResult {
    OpAsmParser::UnresolvedOperand event;
    if (parser.parseOperand(event))
      return failure();
    awaits.push_back(event);
    StringRef kind;
    if (succeeded(parser.parseOptionalKeyword(&kind, {"host", "device"}))) {
      anyKind = true;
      kindAttrs.push_back(
          DepKindAttr::get(parser.getContext(), *symbolizeDepKind(kind)));
    } else {
      anyMissing = true;
    }
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, parseOne))
    return failure();
  if (anyKind && anyMissing)
    return parser.emitError(loc, "either every awaited event has a "
                                 "dependence kind ('host' or 'device') or "
                                 "none has");
  if (anyKind)
    kinds = ArrayAttr::get(parser.getContext(), kindAttrs);
  return success();
}

static void printAwaits(OpAsmPrinter &p, OperandRange awaits, ArrayAttr kinds) {
  if (awaits.empty())
    return;
  p << " await(";
  for (auto [i, event] : llvm::enumerate(awaits)) {
    if (i)
      p << ", ";
    p << event;
    if (kinds && i < kinds.size())
      if (auto kind = dyn_cast<DepKindAttr>(kinds[i]))
        p << ' ' << stringifyDepKind(kind.getValue());
  }
  p << ')';
}

/// `if %p [guarded] [else(attr, ...)]`.
static ParseResult
parsePredicate(OpAsmParser &parser,
               std::optional<OpAsmParser::UnresolvedOperand> &pred,
               PredModeAttr &mode, ArrayAttr &elseValues, bool allowElse) {
  if (failed(parser.parseOptionalKeyword("if")))
    return success();
  OpAsmParser::UnresolvedOperand operand;
  if (parser.parseOperand(operand))
    return failure();
  pred = operand;
  if (succeeded(parser.parseOptionalKeyword("guarded")))
    mode = PredModeAttr::get(parser.getContext(), PredMode::guarded);
  else if (succeeded(parser.parseOptionalKeyword("wait")))
    mode = PredModeAttr::get(parser.getContext(), PredMode::wait);
  if (!allowElse)
    return success();
  if (failed(parser.parseOptionalKeyword("else")))
    return success();
  SmallVector<Attribute> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() {
        Attribute value;
        if (parser.parseAttribute(value))
          return failure();
        values.push_back(value);
        return success();
      }))
    return failure();
  elseValues = ArrayAttr::get(parser.getContext(), values);
  return success();
}

static void printPredicate(OpAsmPrinter &p, Value pred,
                           std::optional<PredMode> mode, ArrayAttr elseValues) {
  if (!pred)
    return;
  p << " if " << pred;
  if (mode)
    p << ' ' << stringifyPredMode(*mode);
  if (elseValues) {
    p << " else(";
    llvm::interleaveComma(elseValues, p,
                          [&](Attribute a) { p.printAttribute(a); });
    p << ')';
  }
}

/// `on #tgraph.proc<...>` and the `stream_ordered` marker.
static ParseResult parsePlacement(OpAsmParser &parser, OperationState &result,
                                  StringAttr placementName,
                                  StringAttr streamOrderedName) {
  if (succeeded(parser.parseOptionalKeyword("on"))) {
    Attribute placement;
    SMLoc loc = parser.getCurrentLocation();
    // The placement comes last: an attribute followed by ':' would take the
    // type list for its own type.
    if (parser.parseAttribute(placement))
      return failure();
    if (!isa<ProcAttr>(placement))
      return parser.emitError(loc, "expected a placement such as "
                                   "#tgraph.proc<cpu 0> after 'on'");
    result.addAttribute(placementName, placement);
  }
  if (succeeded(parser.parseOptionalKeyword("stream_ordered")))
    result.addAttribute(streamOrderedName, parser.getBuilder().getUnitAttr());
  return success();
}

static void printPlacement(OpAsmPrinter &p, ProcAttr placement,
                           bool streamOrdered) {
  if (placement) {
    p << " on ";
    p.printAttribute(placement);
  }
  if (streamOrdered)
    p << " stream_ordered";
}

/// Checks what tasks and copies share: dependence kinds, predicate mode.
static LogicalResult verifyAwaitsAndPredicate(Operation *op,
                                              OperandRange awaits,
                                              ArrayAttr kinds, Value pred,
                                              PredModeAttr mode) {
  if (kinds && kinds.size() != awaits.size())
    return op->emitOpError("has ")
           << kinds.size() << " dependence kinds for " << awaits.size()
           << " awaited events; give one kind per event";
  if (mode && !pred)
    return op->emitOpError("has a predicate mode but no predicate; add "
                           "'if %p' or drop the mode");
  return success();
}

/// Replaces `awaits` (and their kinds) of a task or copy: shared by both.
static void setAwaitsOf(Operation *op, MutableOperandRange range,
                        ValueRange events, ArrayAttr kinds,
                        StringAttr kindsName) {
  range.assign(events);
  if (kinds)
    op->setAttr(kindsName, kinds);
  else
    op->removeAttr(kindsName);
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

LogicalResult KernelOp::verify() {
  FunctionType type = getFunctionType();
  for (auto [i, param] : llvm::enumerate(type.getInputs())) {
    if (isa<BufferType>(param) || isScalar(param))
      continue;
    return emitOpError("parameter #")
           << i << " has type " << param
           << "; a kernel takes buffers (!tgraph.buffer<...>) and integer, "
              "float or index scalars";
  }
  for (auto [i, res] : llvm::enumerate(type.getResults()))
    if (!isScalar(res))
      return emitOpError("result #")
             << i << " has type " << res
             << "; a kernel returns integer, float or index scalars";
  if (getCostAttr() && getCostAttr().getInt() < 0)
    return emitOpError("cost must be a non-negative number of nanoseconds, "
                       "got ")
           << getCostAttr().getInt();
  if (getCostAttr() && getCostAttr().getInt() > kMaxKernelCost)
    return emitOpError("cost must be at most ")
           << kMaxKernelCost << " nanoseconds, got " << getCostAttr().getInt();
  if (getStreamOrdered() && !isGpu())
    return emitOpError("is a CPU kernel marked stream_ordered; only GPU "
                       "kernels queue work on a stream");
  return success();
}

//===----------------------------------------------------------------------===//
// GraphOp
//===----------------------------------------------------------------------===//

void GraphOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                    FunctionType type) {
  state.addAttribute(SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name), TypeAttr::get(type));
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Type t : type.getInputs())
    block->addArgument(t, state.location);
}

ParseResult GraphOp::parse(OpAsmParser &parser, OperationState &result) {
  StringAttr name;
  if (parser.parseSymbolName(name, SymbolTable::getSymbolAttrName(),
                             result.attributes))
    return failure();
  SmallVector<OpAsmParser::Argument> args;
  SmallVector<Type> resultTypes;
  SmallVector<DictionaryAttr> resultAttrs;
  bool isVariadic = false;
  if (function_interface_impl::parseFunctionSignatureWithArguments(
          parser, /*allowVariadic=*/false, args, isVariadic, resultTypes,
          resultAttrs))
    return failure();
  SmallVector<Type> argTypes;
  for (auto &arg : args)
    argTypes.push_back(arg.type);
  Builder &b = parser.getBuilder();
  result.addAttribute(getFunctionTypeAttrName(result.name),
                      TypeAttr::get(b.getFunctionType(argTypes, resultTypes)));
  if (succeeded(parser.parseOptionalKeyword("physical")))
    result.addAttribute(getPhysicalAttrName(result.name), b.getUnitAttr());
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  call_interface_impl::addArgAndResultAttrs(b, result, args, resultAttrs,
                                            getArgAttrsAttrName(result.name),
                                            getResAttrsAttrName(result.name));
  Region *body = result.addRegion();
  SMLoc bodyLoc = parser.getCurrentLocation();
  OptionalParseResult parsed =
      parser.parseOptionalRegion(*body, args, /*enableNameShadowing=*/false);
  if (!parsed.has_value())
    return parser.emitError(bodyLoc, "a graph needs a body: '{ ... }'");
  if (failed(*parsed))
    return failure();
  if (body->empty())
    return parser.emitError(bodyLoc, "a graph needs a body: '{ ... }'");
  GraphOp::ensureTerminator(*body, b, result.location);
  return success();
}

void GraphOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printSymbolName(getSymName());
  function_interface_impl::printFunctionSignature(
      p, *this, getArgumentTypes(), /*isVariadic=*/false, getResultTypes());
  if (getPhysical())
    p << " physical";
  function_interface_impl::printFunctionAttributes(
      p, *this,
      {getFunctionTypeAttrName(), getArgAttrsAttrName(), getResAttrsAttrName(),
       getPhysicalAttrName(), getSymVisibilityAttrName()});
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

LogicalResult GraphOp::verify() {
  for (auto [i, type] : llvm::enumerate(getArgumentTypes())) {
    if (isa<EventType, PredType>(type) || isScalar(type))
      continue;
    if (auto buffer = dyn_cast<BufferType>(type)) {
      if (buffer.isDynamic())
        return emitOpError("argument #")
               << i << " is a buffer of unknown size " << type
               << "; graph buffers need a static element count";
      continue;
    }
    return emitOpError("argument #")
           << i << " has type " << type
           << "; a graph takes events (external preconditions), buffers, "
              "predicates and integer, float or index scalars";
  }
  for (auto [i, type] : llvm::enumerate(getResultTypes()))
    if (!isa<EventType, PredType, ValueType>(type))
      return emitOpError("result #")
             << i << " has type " << type
             << "; a graph returns events, predicates and !tgraph.value";
  return success();
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  auto graph = (*this)->getParentOfType<GraphOp>();
  ArrayRef<Type> expected = graph.getResultTypes();
  if (getNumOperands() != expected.size())
    return emitOpError("yields ")
           << getNumOperands() << " values but graph @" << graph.getSymName()
           << " returns " << expected.size();
  for (auto [i, value, type] : llvm::enumerate(getOperands(), expected))
    if (value.getType() != type)
      return emitOpError("operand #")
             << i << " has type " << value.getType() << " but graph @"
             << graph.getSymName() << " returns " << type << " there";
  return success();
}

//===----------------------------------------------------------------------===//
// TaskOp
//===----------------------------------------------------------------------===//

static ParseResult parseAccessMode(OpAsmParser &parser, AccessMode &mode) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  if (keyword == "reduce") {
    StringRef op;
    if (parser.parseLess() || parser.parseKeyword(&op) || parser.parseGreater())
      return failure();
    std::optional<AccessMode> m = symbolizeAccessMode(("reduce_" + op).str());
    if (!m)
      return parser.emitError(loc, "unknown reduction '")
             << op
             << "'; expected reduce<add>, reduce<mul>, reduce<min> or "
                "reduce<max>";
    mode = *m;
    return success();
  }
  std::optional<AccessMode> m = symbolizeAccessMode(keyword);
  if (!m || isReduction(*m))
    return parser.emitError(loc, "unknown access mode '")
           << keyword << "'; expected read, write, read_write or reduce<op>";
  mode = *m;
  return success();
}

ParseResult TaskOp::parse(OpAsmParser &parser, OperationState &result) {
  MLIRContext *ctx = parser.getContext();
  FlatSymbolRefAttr kernel;
  if (parser.parseAttribute(kernel, getKernelAttrName(result.name),
                            result.attributes))
    return failure();

  // Operands, each with an optional access mode.
  SmallVector<OpAsmParser::UnresolvedOperand> args;
  SmallVector<std::optional<AccessMode>> modes;
  SmallVector<SMLoc> argLocs;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() {
        argLocs.push_back(parser.getCurrentLocation());
        OpAsmParser::UnresolvedOperand arg;
        if (parser.parseOperand(arg))
          return failure();
        args.push_back(arg);
        modes.emplace_back();
        if (succeeded(parser.parseOptionalColon())) {
          AccessMode mode;
          if (parseAccessMode(parser, mode))
            return failure();
          modes.back() = mode;
        }
        return success();
      }))
    return failure();

  SmallVector<OpAsmParser::UnresolvedOperand> awaits;
  ArrayAttr kinds, elseValues;
  std::optional<OpAsmParser::UnresolvedOperand> pred;
  PredModeAttr mode;
  if (parseAwaits(parser, awaits, kinds) ||
      parsePredicate(parser, pred, mode, elseValues, /*allowElse=*/true) ||
      parser.parseOptionalAttrDict(result.attributes))
    return failure();
  if (kinds)
    result.addAttribute(getDepKindsAttrName(result.name), kinds);
  if (mode)
    result.addAttribute(getPredModeAttrName(result.name), mode);
  if (elseValues)
    result.addAttribute(getElseValuesAttrName(result.name), elseValues);

  // `: (operand types) [-> value types]`; omitted when both are empty.
  SmallVector<Type> argTypes, valueTypes;
  if (succeeded(parser.parseOptionalColon())) {
    if (parser.parseLParen())
      return failure();
    if (failed(parser.parseOptionalRParen()) &&
        (parser.parseTypeList(argTypes) || parser.parseRParen()))
      return failure();
    if (parser.parseOptionalArrowTypeList(valueTypes))
      return failure();
  }
  if (parsePlacement(parser, result, getPlacementAttrName(result.name),
                     getStreamOrderedAttrName(result.name)))
    return failure();
  if (argTypes.size() != args.size())
    return parser.emitError(parser.getNameLoc(), "task has ")
           << args.size() << " operands but " << argTypes.size()
           << " operand types; list one type per operand after ':'";

  SmallVector<Attribute> access;
  for (auto [i, type] : llvm::enumerate(argTypes)) {
    bool isBuffer = isa<BufferType>(type);
    if (isBuffer && !modes[i])
      return parser.emitError(argLocs[i], "buffer operand #")
             << i
             << " needs an access mode: read, write, read_write or "
                "reduce<op>";
    if (!isBuffer && modes[i])
      return parser.emitError(argLocs[i], "operand #")
             << i << " of type " << type
             << " is not a buffer and takes no access mode";
    if (isBuffer)
      access.push_back(AccessModeAttr::get(ctx, *modes[i]));
  }
  if (!access.empty())
    result.addAttribute(getAccessAttrName(result.name),
                        ArrayAttr::get(ctx, access));

  Type eventType = EventType::get(ctx);
  if (parser.resolveOperands(args, argTypes, parser.getNameLoc(),
                             result.operands) ||
      parser.resolveOperands(awaits, eventType, result.operands))
    return failure();
  if (pred && parser.resolveOperand(*pred, PredType::get(ctx), result.operands))
    return failure();
  result.addAttribute(
      getOperandSegmentSizesAttrName(result.name),
      parser.getBuilder().getDenseI32ArrayAttr(
          {int32_t(args.size()), int32_t(awaits.size()), pred ? 1 : 0}));
  result.addTypes(eventType);
  result.addTypes(valueTypes);
  return success();
}

void TaskOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printAttributeWithoutType(getKernelAttr());
  p << '(';
  SmallVector<std::optional<AccessMode>> modes = getAccessModes();
  for (auto [i, arg] : llvm::enumerate(getArgs())) {
    if (i)
      p << ", ";
    p << arg;
    if (std::optional<AccessMode> mode = modes[i])
      p << " : " << accessModeSpelling(*mode);
  }
  p << ')';
  printAwaits(p, getAwaits(), getDepKindsAttr());
  printPredicate(p, getPred(), getPredMode(), getElseValuesAttr());
  p.printOptionalAttrDict((*this)->getAttrs(), getAttributeNames());
  if (!getArgs().empty() || !getValues().empty()) {
    p << " : (";
    llvm::interleaveComma(getArgs().getTypes(), p);
    p << ')';
    if (getValues().size() == 1) {
      p << " -> " << getValues().front().getType();
    } else if (!getValues().empty()) {
      p << " -> (";
      llvm::interleaveComma(getValues().getTypes(), p);
      p << ')';
    }
  }
  printPlacement(p, getPlacementAttr(), getStreamOrdered());
}

SmallVector<std::optional<AccessMode>> TaskOp::getAccessModes() {
  SmallVector<std::optional<AccessMode>> modes(getArgs().size());
  ArrayAttr access = getAccessAttr();
  unsigned bufferIndex = 0;
  for (auto [i, arg] : llvm::enumerate(getArgs())) {
    if (!isa<BufferType>(arg.getType()))
      continue;
    if (access && bufferIndex < access.size())
      if (auto mode = dyn_cast<AccessModeAttr>(access[bufferIndex]))
        modes[i] = mode.getValue();
    ++bufferIndex;
  }
  return modes;
}

void TaskOp::setAwaits(ValueRange events, ArrayAttr kinds) {
  setAwaitsOf(*this, getAwaitsMutable(), events, kinds, getDepKindsAttrName());
}

LogicalResult TaskOp::verify() {
  unsigned numBuffers = 0;
  for (auto [i, arg] : llvm::enumerate(getArgs())) {
    Type type = arg.getType();
    if (isa<BufferType>(type)) {
      ++numBuffers;
      continue;
    }
    if (isScalar(type) || isa<ValueType>(type))
      continue;
    if (isa<EventType>(type))
      return emitOpError("operand #")
             << i
             << " is an event; a task waits for events with "
                "'await(...)', not as an operand";
    return emitOpError("operand #")
           << i << " has type " << type
           << "; a task takes buffers, scalars and !tgraph.value operands";
  }
  unsigned numModes = getAccessAttr() ? getAccessAttr().size() : 0;
  if (numModes != numBuffers)
    return emitOpError("has ")
           << numBuffers << " buffer operands but " << numModes
           << " access modes; give one mode per buffer operand";

  // One buffer passed twice: fine when both only read or both reduce with
  // the same operator; anything else is ambiguous (which write wins?).
  llvm::SmallDenseMap<Value, std::pair<unsigned, AccessMode>> seen;
  SmallVector<std::optional<AccessMode>> modes = getAccessModes();
  for (auto [i, arg] : llvm::enumerate(getArgs())) {
    std::optional<AccessMode> mode = modes[i];
    if (!mode)
      continue;
    auto [it, inserted] = seen.try_emplace(arg, i, *mode);
    if (inserted)
      continue;
    AccessMode first = it->second.second;
    bool compatible =
        first == *mode && (first == AccessMode::read || isReduction(first));
    if (!compatible)
      return emitOpError("accesses one buffer as operands #")
             << it->second.first << " and #" << i << " with conflicting modes '"
             << accessModeSpelling(first) << "' and '"
             << accessModeSpelling(*mode)
             << "'; pass it once with the combined mode (e.g. 'read_write')";
  }

  if (failed(verifyAwaitsAndPredicate(*this, getAwaits(), getDepKindsAttr(),
                                      getPred(), getPredModeAttr())))
    return failure();

  ArrayAttr elseValues = getElseValuesAttr();
  if (elseValues && !getPred())
    return emitOpError("has else values but no predicate; add 'if %p' or "
                       "drop 'else(...)'");
  if (getPred() && !getValues().empty()) {
    if (!elseValues)
      return emitOpError("is predicated and returns ")
             << getValues().size()
             << " values, so it needs one else value per result: add "
                "'else(...)'";
    if (elseValues.size() != getValues().size())
      return emitOpError("has ")
             << elseValues.size() << " else values for " << getValues().size()
             << " results; give one per result";
    for (auto [i, attr, result] : llvm::enumerate(elseValues, getValues())) {
      Type expected = cast<ValueType>(result.getType()).getType();
      auto typed = dyn_cast<TypedAttr>(attr);
      if (!typed || typed.getType() != expected)
        return emitOpError("else value #")
               << i << " is " << attr << " but result #" << i
               << " is a value of " << expected << "; write a constant of "
               << expected;
    }
  } else if (elseValues && elseValues.size() != getValues().size()) {
    return emitOpError("has ")
           << elseValues.size() << " else values for " << getValues().size()
           << " results; give one per result";
  }
  return success();
}

LogicalResult TaskOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto kernel =
      symbolTable.lookupNearestSymbolFrom<KernelOp>(*this, getKernelAttr());
  if (!kernel)
    return emitOpError("calls kernel ")
           << getKernelAttr()
           << ", which is not declared; declare it at module level with "
              "'tgraph.kernel "
           << getKernelAttr() << "(...) cpu|gpu'";
  FunctionType sig = kernel.getFunctionType();
  if (sig.getNumInputs() != getArgs().size())
    return emitOpError("passes ")
           << getArgs().size() << " operands but kernel " << getKernelAttr()
           << " takes " << sig.getNumInputs();
  for (auto [i, arg, param] : llvm::enumerate(getArgs(), sig.getInputs())) {
    Type type = arg.getType();
    if (auto paramBuffer = dyn_cast<BufferType>(param)) {
      auto buffer = dyn_cast<BufferType>(type);
      if (buffer && paramBuffer.accepts(buffer))
        continue;
    } else if (scalarOf(type) == param) {
      continue;
    }
    return emitOpError("operand #")
           << i << " has type " << type << " but kernel " << getKernelAttr()
           << " expects " << param;
  }
  if (sig.getNumResults() != getValues().size())
    return emitOpError("returns ")
           << getValues().size() << " values but kernel " << getKernelAttr()
           << " returns " << sig.getNumResults();
  for (auto [i, result, type] : llvm::enumerate(getValues(), sig.getResults()))
    if (cast<ValueType>(result.getType()).getType() != type)
      return emitOpError("result #")
             << i << " is " << result.getType() << " but kernel "
             << getKernelAttr() << " returns " << type << "; expected "
             << ValueType::get(getContext(), type);
  if (ProcAttr placement = getPlacementAttr()) {
    if (kernel.isGpu() && (placement.isCpu() || placement.getCopy()))
      return emitOpError("kernel ")
             << getKernelAttr() << " is a GPU kernel but is placed on "
             << placement << "; place it on a GPU stream "
             << "(#tgraph.proc<gpu G, stream S>)";
    if (!kernel.isGpu() && placement.isGpu())
      return emitOpError("kernel ")
             << getKernelAttr() << " is a CPU kernel but is placed on "
             << placement << "; place it on a CPU worker "
             << "(#tgraph.proc<cpu N>)";
  }
  return success();
}

OperandRange TaskOp::getAwaitedEvents() { return getAwaits(); }
MutableOperandRange TaskOp::getAwaitedEventsMutable() {
  return getAwaitsMutable();
}
Value TaskOp::getDoneEvent() { return getDone(); }
ResultRange TaskOp::getValueResults() { return getValues(); }
void TaskOp::dropPredicate() {
  getPredMutable().clear();
  removePredModeAttr();
  removeElseValuesAttr();
}

//===----------------------------------------------------------------------===//
// CopyOp
//===----------------------------------------------------------------------===//

static ParseResult parseOptionalOffset(OpAsmParser &parser,
                                       OperationState &result,
                                       StringAttr name) {
  if (failed(parser.parseOptionalLSquare()))
    return success();
  int64_t offset;
  if (parser.parseInteger(offset) || parser.parseRSquare())
    return failure();
  result.addAttribute(name, parser.getBuilder().getI64IntegerAttr(offset));
  return success();
}

ParseResult CopyOp::parse(OpAsmParser &parser, OperationState &result) {
  MLIRContext *ctx = parser.getContext();
  OpAsmParser::UnresolvedOperand src, dst;
  if (parser.parseOperand(src) ||
      parseOptionalOffset(parser, result, getSrcOffsetAttrName(result.name)) ||
      parser.parseKeyword("to") || parser.parseOperand(dst) ||
      parseOptionalOffset(parser, result, getDstOffsetAttrName(result.name)))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("size"))) {
    int64_t size;
    if (parser.parseInteger(size))
      return failure();
    result.addAttribute(getSizeAttrName(result.name),
                        parser.getBuilder().getI64IntegerAttr(size));
  }
  SmallVector<OpAsmParser::UnresolvedOperand> awaits;
  ArrayAttr kinds, elseValues;
  std::optional<OpAsmParser::UnresolvedOperand> pred;
  PredModeAttr mode;
  Type srcType, dstType;
  if (parseAwaits(parser, awaits, kinds) ||
      parsePredicate(parser, pred, mode, elseValues, /*allowElse=*/false) ||
      parser.parseOptionalAttrDict(result.attributes) || parser.parseColon() ||
      parser.parseType(srcType) || parser.parseKeyword("to") ||
      parser.parseType(dstType) ||
      parsePlacement(parser, result, getPlacementAttrName(result.name),
                     getStreamOrderedAttrName(result.name)))
    return failure();
  if (kinds)
    result.addAttribute(getDepKindsAttrName(result.name), kinds);
  if (mode)
    result.addAttribute(getPredModeAttrName(result.name), mode);
  Type eventType = EventType::get(ctx);
  if (parser.resolveOperand(src, srcType, result.operands) ||
      parser.resolveOperand(dst, dstType, result.operands) ||
      parser.resolveOperands(awaits, eventType, result.operands))
    return failure();
  if (pred && parser.resolveOperand(*pred, PredType::get(ctx), result.operands))
    return failure();
  result.addAttribute(getOperandSegmentSizesAttrName(result.name),
                      parser.getBuilder().getDenseI32ArrayAttr(
                          {1, 1, int32_t(awaits.size()), pred ? 1 : 0}));
  result.addTypes(eventType);
  return success();
}

void CopyOp::print(OpAsmPrinter &p) {
  p << ' ' << getSrc();
  if (getSrcOffsetAttr())
    p << '[' << getSrcOffsetAttr().getInt() << ']';
  p << " to " << getDst();
  if (getDstOffsetAttr())
    p << '[' << getDstOffsetAttr().getInt() << ']';
  if (getSizeAttr())
    p << " size " << getSizeAttr().getInt();
  printAwaits(p, getAwaits(), getDepKindsAttr());
  printPredicate(p, getPred(), getPredMode(), nullptr);
  p.printOptionalAttrDict((*this)->getAttrs(), getAttributeNames());
  p << " : " << getSrc().getType() << " to " << getDst().getType();
  printPlacement(p, getPlacementAttr(), getStreamOrdered());
}

/// A signed view of an optional I64 attribute (ODS getters are unsigned).
static int64_t signedOr(IntegerAttr attr, int64_t otherwise) {
  return attr ? attr.getInt() : otherwise;
}

int64_t CopyOp::getNumElements() {
  if (getSizeAttr())
    return getSizeAttr().getInt();
  return cast<BufferType>(getSrc().getType()).getSize();
}

void CopyOp::setAwaits(ValueRange events, ArrayAttr kinds) {
  setAwaitsOf(*this, getAwaitsMutable(), events, kinds, getDepKindsAttrName());
}

LogicalResult CopyOp::verify() {
  auto src = cast<BufferType>(getSrc().getType());
  auto dst = cast<BufferType>(getDst().getType());
  if (src.getElementType() != dst.getElementType())
    return emitOpError("copies ")
           << src.getElementType() << " elements into a buffer of "
           << dst.getElementType()
           << "; source and destination need the same element type";
  if (src.isDynamic() || dst.isDynamic())
    return emitOpError("copies between buffers of unknown size; give both "
                       "buffers a static element count");
  int64_t srcOffset = signedOr(getSrcOffsetAttr(), 0);
  int64_t dstOffset = signedOr(getDstOffsetAttr(), 0);
  if (srcOffset < 0 || dstOffset < 0)
    return emitOpError("has a negative offset; offsets count elements from 0");
  if (!getSizeAttr()) {
    if (src.getSize() != dst.getSize())
      return emitOpError("copies between buffers of different sizes (")
             << src.getSize() << " and " << dst.getSize()
             << " elements) without an explicit size; add 'size N'";
    if (srcOffset || dstOffset)
      return emitOpError("has an offset but no size; add 'size N'");
  }
  int64_t size = getNumElements();
  if (size < 0)
    return emitOpError("has negative size ") << size;
  if (srcOffset + size > src.getSize())
    return emitOpError("reads elements [")
           << srcOffset << ", " << srcOffset + size << ") of a source with "
           << src.getSize() << " elements";
  if (dstOffset + size > dst.getSize())
    return emitOpError("writes elements [")
           << dstOffset << ", " << dstOffset + size
           << ") of a destination with " << dst.getSize() << " elements";
  return verifyAwaitsAndPredicate(*this, getAwaits(), getDepKindsAttr(),
                                  getPred(), getPredModeAttr());
}

OperandRange CopyOp::getAwaitedEvents() { return getAwaits(); }
MutableOperandRange CopyOp::getAwaitedEventsMutable() {
  return getAwaitsMutable();
}
Value CopyOp::getDoneEvent() { return getDone(); }
ResultRange CopyOp::getValueResults() {
  return getOperation()->getResults().drop_front();
}
ArrayAttr CopyOp::getElseValuesAttr() { return nullptr; }
void CopyOp::dropPredicate() {
  getPredMutable().clear();
  removePredModeAttr();
}

//===----------------------------------------------------------------------===//
// JoinOp, WaitOp
//===----------------------------------------------------------------------===//

OpFoldResult JoinOp::fold(FoldAdaptor) {
  if (getEvents().size() == 1)
    return getEvents().front();
  return {};
}

OperandRange JoinOp::getAwaitedEvents() { return getEvents(); }
MutableOperandRange JoinOp::getAwaitedEventsMutable() {
  return getEventsMutable();
}
Value JoinOp::getDoneEvent() { return getDone(); }

LogicalResult WaitOp::verify() {
  if (auto graph = (*this)->getParentOfType<GraphOp>())
    return emitOpError("blocks the host inside graph @")
           << graph.getSymName()
           << "; a graph must never block: await the event instead, or wait "
              "on the graph's result outside it";
  return success();
}

//===----------------------------------------------------------------------===//
// Canonicalization of awaits: drop immediate events, drop duplicates, and
// flatten joins that have no other use.
//===----------------------------------------------------------------------===//

namespace {
/// Simplifies an event list; returns true when anything changed. `kinds`
/// (optional) stays aligned with `events`; a duplicate keeps the stricter
/// kind (`host`).
bool simplifyEventList(SmallVectorImpl<Value> &events,
                       SmallVectorImpl<Attribute> *kinds, bool flattenJoins) {
  bool changed = false;
  SmallVector<Value> outEvents;
  SmallVector<Attribute> outKinds;
  llvm::SmallDenseMap<Value, unsigned> index;
  auto add = [&](Value e, Attribute kind) {
    if (e.getDefiningOp<ImmediateOp>()) {
      changed = true;
      return;
    }
    auto [it, inserted] = index.try_emplace(e, outEvents.size());
    if (!inserted) {
      changed = true;
      if (kinds && kind && cast<DepKindAttr>(kind).getValue() == DepKind::host)
        outKinds[it->second] = kind;
      return;
    }
    outEvents.push_back(e);
    if (kinds)
      outKinds.push_back(kind);
  };
  for (auto [i, e] : llvm::enumerate(events)) {
    Attribute kind = kinds ? (*kinds)[i] : Attribute();
    auto join = e.getDefiningOp<JoinOp>();
    if (flattenJoins && join && e.hasOneUse()) {
      changed = true;
      for (Value inner : join.getEvents())
        add(inner, kind);
      continue;
    }
    add(e, kind);
  }
  if (!changed)
    return false;
  events.assign(outEvents.begin(), outEvents.end());
  if (kinds)
    kinds->assign(outKinds.begin(), outKinds.end());
  return true;
}

struct SimplifyJoin : public OpRewritePattern<JoinOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(JoinOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> events(op.getEvents());
    bool changed = simplifyEventList(events, nullptr, /*flattenJoins=*/true);
    if (events.empty()) {
      rewriter.replaceOpWithNewOp<ImmediateOp>(op);
      return success();
    }
    if (events.size() == 1) {
      rewriter.replaceOp(op, events.front());
      return success();
    }
    if (!changed)
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op.getEventsMutable().assign(events); });
    return success();
  }
};

/// Awaits of a task or copy: drop immediates and duplicates. Joins in awaits
/// are kept (expanding a shared join would multiply edges); a join used only
/// here is expanded, which removes it.
template <typename OpTy> struct SimplifyAwaits : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> events(op.getAwaits());
    ArrayAttr kindsAttr = op.getDepKindsAttr();
    SmallVector<Attribute> kinds;
    if (kindsAttr)
      kinds.assign(kindsAttr.begin(), kindsAttr.end());
    if (!simplifyEventList(events, kindsAttr ? &kinds : nullptr,
                           /*flattenJoins=*/true))
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      op.setAwaits(events,
                   kindsAttr ? rewriter.getArrayAttr(kinds) : ArrayAttr());
    });
    return success();
  }
};

/// A task or copy predicated on a constant: true drops the predicate; false
/// replaces the op by a join of its awaits and its values by the else values.
template <typename OpTy>
struct FoldConstantPredicate : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value pred = op.getPred();
    if (!pred)
      return failure();
    auto constant = pred.template getDefiningOp<PredConstOp>();
    if (!constant)
      return failure();
    if (constant.getValue()) {
      rewriter.modifyOpInPlace(op, [&] { op.dropPredicate(); });
      return success();
    }
    SmallVector<Value> replacements;
    replacements.push_back(
        JoinOp::create(rewriter, op.getLoc(), op.getAwaits()).getResult());
    ArrayAttr elseValues = op.getElseValuesAttr();
    for (auto [i, result] : llvm::enumerate(op.getValueResults()))
      replacements.push_back(ValueConstOp::create(
          rewriter, op.getLoc(), cast<TypedAttr>(elseValues[i])));
    rewriter.replaceOp(op, replacements);
    return success();
  }
};
} // namespace

void JoinOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<SimplifyJoin>(context);
}

void TaskOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<SimplifyAwaits<TaskOp>, FoldConstantPredicate<TaskOp>>(context);
}

void CopyOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<SimplifyAwaits<CopyOp>, FoldConstantPredicate<CopyOp>>(context);
}

//===----------------------------------------------------------------------===//
// Predicates and values
//===----------------------------------------------------------------------===//

OpFoldResult PredConstOp::fold(FoldAdaptor) { return getValueAttr(); }

static std::optional<bool> constantBool(Attribute attr) {
  if (auto b = dyn_cast_if_present<BoolAttr>(attr))
    return b.getValue();
  if (auto i = dyn_cast_if_present<IntegerAttr>(attr))
    if (i.getType().isInteger(1))
      return !i.getValue().isZero();
  return std::nullopt;
}

LogicalResult PredFromOp::verify() {
  if (auto value = dyn_cast<ValueType>(getInput().getType()))
    if (!value.getType().isInteger(1))
      return emitOpError("needs a boolean; got ")
             << getInput().getType() << ", expected !tgraph.value<i1> or i1";
  return success();
}

OpFoldResult PredFromOp::fold(FoldAdaptor adaptor) {
  if (std::optional<bool> b = constantBool(adaptor.getInput()))
    return BoolAttr::get(getContext(), *b);
  return {};
}

OpFoldResult PredNotOp::fold(FoldAdaptor adaptor) {
  if (std::optional<bool> b = constantBool(adaptor.getInput()))
    return BoolAttr::get(getContext(), !*b);
  if (auto inner = getInput().getDefiningOp<PredNotOp>())
    return inner.getInput();
  return {};
}

/// and/or: `absorbing` is the constant that decides the result (false for
/// and, true for or); the other constant is the identity.
static OpFoldResult foldPredBinary(Value lhs, Value rhs, Attribute lhsAttr,
                                   Attribute rhsAttr, bool absorbing) {
  MLIRContext *ctx = lhs.getContext();
  std::optional<bool> l = constantBool(lhsAttr), r = constantBool(rhsAttr);
  if ((l && *l == absorbing) || (r && *r == absorbing))
    return BoolAttr::get(ctx, absorbing);
  if (l)
    return rhs;
  if (r)
    return lhs;
  if (lhs == rhs)
    return lhs;
  return {};
}

OpFoldResult PredAndOp::fold(FoldAdaptor adaptor) {
  return foldPredBinary(getLhs(), getRhs(), adaptor.getLhs(), adaptor.getRhs(),
                        /*absorbing=*/false);
}

OpFoldResult PredOrOp::fold(FoldAdaptor adaptor) {
  return foldPredBinary(getLhs(), getRhs(), adaptor.getLhs(), adaptor.getRhs(),
                        /*absorbing=*/true);
}

OpFoldResult ValueConstOp::fold(FoldAdaptor) { return getValueAttr(); }

LogicalResult ValueConstOp::verify() {
  if (!isScalar(getValue().getType()))
    return emitOpError("needs an integer, float or index constant, got ")
           << getValue();
  return success();
}

LogicalResult ValueConstOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto value = dyn_cast_if_present<TypedAttr>(adaptor.getValueAttr());
  if (!value)
    return emitOptionalError(location, "tgraph.value.const needs a typed "
                                       "constant such as '1.0 : f64'");
  inferredReturnTypes.push_back(ValueType::get(context, value.getType()));
  return success();
}

#define GET_OP_CLASSES
#include "tgraph/Dialect/TGraph/TGraphOps.cpp.inc"

std::string mlir::tgraph::describeOp(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (auto task = dyn_cast<TaskOp>(op))
    os << "task @" << task.getKernel();
  else
    os << op->getName().stripDialect();
  if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
    os << " (line " << loc.getLine() << ")";
  return s;
}
