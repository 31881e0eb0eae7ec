//===- TGraphTypes.h - tgraph types -----------------------------*- C++ -*-===//
//
// Events, predicates, buffers and values.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHTYPES_H
#define TGRAPH_DIALECT_TGRAPH_TGRAPHTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"
#include "tgraph/Dialect/TGraph/TGraphDialect.h"

#define GET_TYPEDEF_CLASSES
#include "tgraph/Dialect/TGraph/TGraphTypes.h.inc"

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHTYPES_H
