//===- TGraphAttrs.h - tgraph attributes ------------------------*- C++ -*-===//
//
// Processor placements, the machine model and the enum attributes.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHATTRS_H
#define TGRAPH_DIALECT_TGRAPH_TGRAPHATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
// The attribute classes are declared with the dialect (its helpers use
// them).
#include "tgraph/Dialect/TGraph/TGraphDialect.h"

namespace mlir::tgraph {
/// The spelling of an access mode in a task's operand list:
/// `read`, `write`, `read_write`, `reduce<add>`, ...
std::string accessModeSpelling(AccessMode mode);
/// True when the mode is a reduction.
bool isReduction(AccessMode mode);
/// True when the mode may change the buffer (write, read_write, reductions).
bool writes(AccessMode mode);
/// True when the mode observes the previous contents (read, read_write).
bool reads(AccessMode mode);
} // namespace mlir::tgraph

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHATTRS_H
