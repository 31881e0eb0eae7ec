//===- TGraphDialect.h - the tgraph dialect ---------------------*- C++ -*-===//
//
// The dialect class and its enums. Include TGraphOps.h for everything.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_H
#define TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "mlir/IR/BuiltinAttributes.h"

#include "tgraph/Dialect/TGraph/TGraphEnums.h.inc"

// The attributes come before the dialect: its discardable-attribute
// helpers (MachineAttrHelper) return them.
#define GET_ATTRDEF_CLASSES
#include "tgraph/Dialect/TGraph/TGraphAttrs.h.inc"

#include "tgraph/Dialect/TGraph/TGraphDialect.h.inc"

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_H
