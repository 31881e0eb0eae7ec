//===- TGraphOps.h - tgraph operations --------------------------*- C++ -*-===//
//
// Everything of the tgraph dialect: include this one header.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHOPS_H
#define TGRAPH_DIALECT_TGRAPH_TGRAPHOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "tgraph/Dialect/TGraph/TGraphAttrs.h"
#include "tgraph/Dialect/TGraph/TGraphDialect.h"
#include "tgraph/Dialect/TGraph/TGraphInterfaces.h"
#include "tgraph/Dialect/TGraph/TGraphTypes.h"

namespace mlir::tgraph {
/// The memory-effect resource of the buffers that tasks and copies touch.
struct BufferResource : public SideEffects::Resource::Base<BufferResource> {
  llvm::StringRef getName() final { return "tgraph.buffers"; }
};
} // namespace mlir::tgraph

#define GET_OP_CLASSES
#include "tgraph/Dialect/TGraph/TGraphOps.h.inc"

namespace mlir::tgraph {
/// A short name for an op in diagnostics that name other ops:
/// `task @k (line 3)`, `copy (line 5)`, `join`.
std::string describeOp(Operation *op);
} // namespace mlir::tgraph

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHOPS_H
