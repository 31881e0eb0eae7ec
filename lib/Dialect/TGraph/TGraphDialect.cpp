//===- TGraphDialect.cpp - the tgraph dialect, types and attributes -------===//
//
// Registers the dialect and implements the custom syntax and verifiers of
// its types (`!tgraph.buffer<f64 x 16, gpu>`) and attributes
// (`#tgraph.proc<gpu 0, stream 1>`), and constant materialization.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Dialect/TGraph/TGraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tgraph;

#include "tgraph/Dialect/TGraph/TGraphDialect.cpp.inc"
#include "tgraph/Dialect/TGraph/TGraphEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "tgraph/Dialect/TGraph/TGraphTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tgraph/Dialect/TGraph/TGraphAttrs.cpp.inc"

void TGraphDialect::initialize() {
  registerTypes();
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "tgraph/Dialect/TGraph/TGraphOps.cpp.inc"
      >();
}

void TGraphDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "tgraph/Dialect/TGraph/TGraphTypes.cpp.inc"
      >();
}

void TGraphDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tgraph/Dialect/TGraph/TGraphAttrs.cpp.inc"
      >();
}

/// The discardable attributes of the dialect (declared in its ODS), which
/// the passes write and later passes (and the lowering) read: each must have
/// the shape those readers rely on, since hand-written or edited IR can
/// carry any value.
LogicalResult TGraphDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == QueuePosAttrHelper::getNameStr() ||
      name == DepCountAttrHelper::getNameStr() ||
      name == PredGroupAttrHelper::getNameStr()) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || !value.getType().isSignlessInteger(64) ||
        value.getValue().isNegative())
      return op->emitError("'")
             << name << "' must be a non-negative i64, got " << attr.getValue();
    if (value.getInt() > kMaxScheduleNumber)
      return op->emitError("'")
             << name << "' must be at most " << kMaxScheduleNumber
             << " (the runtime numbers nodes in 32 bits), got "
             << value.getInt();
    if (op->getDialect() != this)
      return op->emitError("'") << name << "' is only for tgraph ops";
    return success();
  }
  if (name == ScheduledAttrHelper::getNameStr()) {
    if (!isa<UnitAttr>(attr.getValue()) || !isa<GraphOp>(op))
      return op->emitError("'")
             << name << "' is a unit attribute of tgraph.graph";
    return success();
  }
  if (name == MachineAttrHelper::getNameStr()) {
    if (!isa<MachineAttr>(attr.getValue()))
      return op->emitError("'")
             << name << "' must be a #tgraph.machine<...>, got "
             << attr.getValue();
    if (!isa<ModuleOp>(op))
      return op->emitError("'") << name << "' belongs on the module";
    return success();
  }
  return op->emitError("unknown attribute '")
         << name << "'; tgraph's are " << QueuePosAttrHelper::getNameStr()
         << ", " << DepCountAttrHelper::getNameStr() << ", "
         << PredGroupAttrHelper::getNameStr() << ", "
         << ScheduledAttrHelper::getNameStr() << " and "
         << MachineAttrHelper::getNameStr();
}

Operation *TGraphDialect::materializeConstant(OpBuilder &builder,
                                              Attribute value, Type type,
                                              Location loc) {
  if (isa<PredType>(type))
    if (auto b = dyn_cast<BoolAttr>(value))
      return PredConstOp::create(builder, loc, b);
  if (isa<ValueType>(type))
    if (auto typed = dyn_cast<TypedAttr>(value))
      return ValueConstOp::create(builder, loc, typed);
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Access modes
//===----------------------------------------------------------------------===//

std::string mlir::tgraph::accessModeSpelling(AccessMode mode) {
  switch (mode) {
  case AccessMode::reduce_add:
    return "reduce<add>";
  case AccessMode::reduce_mul:
    return "reduce<mul>";
  case AccessMode::reduce_min:
    return "reduce<min>";
  case AccessMode::reduce_max:
    return "reduce<max>";
  default:
    return stringifyAccessMode(mode).str();
  }
}

bool mlir::tgraph::isReduction(AccessMode mode) {
  return mode == AccessMode::reduce_add || mode == AccessMode::reduce_mul ||
         mode == AccessMode::reduce_min || mode == AccessMode::reduce_max;
}

bool mlir::tgraph::writes(AccessMode mode) { return mode != AccessMode::read; }

bool mlir::tgraph::reads(AccessMode mode) {
  return mode == AccessMode::read || mode == AccessMode::read_write;
}

//===----------------------------------------------------------------------===//
// BufferType: `<` elem `x` (N | `?`) `,` memory `>`
//===----------------------------------------------------------------------===//

Type BufferType::parse(AsmParser &parser) {
  Type elementType;
  int64_t size = kDynamic;
  StringRef memory;
  if (parser.parseLess() || parser.parseType(elementType) ||
      parser.parseKeyword("x"))
    return {};
  if (failed(parser.parseOptionalQuestion()) && parser.parseInteger(size))
    return {};
  SMLoc memLoc = parser.getCurrentLocation();
  if (parser.parseComma() || parser.parseKeyword(&memory) ||
      parser.parseGreater())
    return {};
  std::optional<MemoryKind> kind = symbolizeMemoryKind(memory);
  if (!kind) {
    parser.emitError(memLoc, "unknown memory kind '")
        << memory << "'; expected 'host', 'pinned' or 'gpu'";
    return {};
  }
  return parser.getChecked<BufferType>(parser.getContext(), elementType, size,
                                       *kind);
}

void BufferType::print(AsmPrinter &printer) const {
  printer << '<' << getElementType() << " x ";
  if (isDynamic())
    printer << '?';
  else
    printer << getSize();
  printer << ", " << stringifyMemoryKind(getMemory()) << '>';
}

LogicalResult BufferType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 Type elementType, int64_t size,
                                 MemoryKind memory) {
  if (!elementType || !(elementType.isIntOrIndexOrFloat()))
    return emitError() << "buffer element type must be an integer, float or "
                          "index type, but got "
                       << elementType;
  if (size < 0 && size != kDynamic)
    return emitError() << "buffer size must be a non-negative element count "
                          "or '?', but got "
                       << size;
  return success();
}

int64_t BufferType::getElementBytes() const {
  Type element = getElementType();
  if (element.isIndex())
    return 8;
  return (element.getIntOrFloatBitWidth() + 7) / 8;
}

bool BufferType::accepts(BufferType actual) const {
  return actual.getElementType() == getElementType() &&
         actual.getMemory() == getMemory() &&
         (isDynamic() || actual.getSize() == getSize());
}

//===----------------------------------------------------------------------===//
// ProcAttr: `<cpu N>`, `<gpu G, stream S>`, `<gpu G, copy C>`
//===----------------------------------------------------------------------===//

Attribute ProcAttr::parse(AsmParser &parser, Type) {
  StringRef kind;
  unsigned index = 0;
  SMLoc kindLoc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&kind))
    return {};
  if (kind == "cpu") {
    if (parser.parseInteger(index) || parser.parseGreater())
      return {};
    return parser.getChecked<ProcAttr>(parser.getContext(), ProcKind::cpu,
                                       index, int64_t(-1), false);
  }
  if (kind != "gpu") {
    parser.emitError(kindLoc, "expected 'cpu N' or 'gpu G, stream S' or "
                              "'gpu G, copy C' in #tgraph.proc, got '")
        << kind << "'";
    return {};
  }
  StringRef streamKind;
  int64_t stream = 0;
  SMLoc streamLoc;
  if (parser.parseInteger(index) || parser.parseComma())
    return {};
  streamLoc = parser.getCurrentLocation();
  if (parser.parseKeyword(&streamKind) || parser.parseInteger(stream) ||
      parser.parseGreater())
    return {};
  if (streamKind != "stream" && streamKind != "copy") {
    parser.emitError(streamLoc, "expected 'stream' or 'copy' after the GPU "
                                "index, got '")
        << streamKind << "'";
    return {};
  }
  return parser.getChecked<ProcAttr>(parser.getContext(), ProcKind::gpu, index,
                                     stream, streamKind == "copy");
}

void ProcAttr::print(AsmPrinter &printer) const {
  if (isCpu()) {
    printer << "<cpu " << getIndex() << '>';
    return;
  }
  printer << "<gpu " << getIndex() << ", " << (getCopy() ? "copy " : "stream ")
          << getStream() << '>';
}

LogicalResult ProcAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ProcKind kind, unsigned index, int64_t stream,
                               bool copy) {
  if (kind == ProcKind::cpu && (stream != -1 || copy))
    return emitError() << "a CPU placement has no stream; write "
                          "#tgraph.proc<cpu N>";
  if (kind == ProcKind::gpu && stream < 0)
    return emitError() << "a GPU stream index must be non-negative, got "
                       << stream;
  if (kind == ProcKind::cpu && index >= kMaxCpus)
    return emitError() << "a CPU worker index must be below " << kMaxCpus
                       << ", got " << index;
  if (kind == ProcKind::gpu && index >= kMaxGpus)
    return emitError() << "a GPU index must be below " << kMaxGpus << ", got "
                       << index;
  if (kind == ProcKind::gpu && stream >= int64_t(kMaxStreamsPerGpu))
    return emitError() << "a " << (copy ? "copy" : "compute")
                       << " stream index must be below " << kMaxStreamsPerGpu
                       << ", got " << stream;
  return success();
}

//===----------------------------------------------------------------------===//
// MachineAttr
//===----------------------------------------------------------------------===//

LogicalResult MachineAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  unsigned cpus, unsigned gpus,
                                  unsigned streamsPerGpu,
                                  unsigned copyStreams) {
  auto check = [&](StringRef name, unsigned value,
                   unsigned max) -> LogicalResult {
    if (value <= max)
      return success();
    InFlightDiagnostic diag = emitError();
    diag << "#tgraph.machine: " << name << " must be at most " << max
         << ", got " << value;
    if (int32_t(value) < 0)
      diag << " (" << int32_t(value) << "? counts are non-negative)";
    return diag;
  };
  return success(
      succeeded(check("cpus", cpus, kMaxCpus)) &&
      succeeded(check("gpus", gpus, kMaxGpus)) &&
      succeeded(check("streams_per_gpu", streamsPerGpu, kMaxStreamsPerGpu)) &&
      succeeded(check("copy_streams", copyStreams, kMaxStreamsPerGpu)));
}
