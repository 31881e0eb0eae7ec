//===- TGraphInterfaces.h - tgraph op interfaces ----------------*- C++ -*-===//
//
// AwaitOpInterface (tasks, copies, joins) and PredicatedOpInterface (tasks,
// copies).
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHINTERFACES_H
#define TGRAPH_DIALECT_TGRAPH_TGRAPHINTERFACES_H

#include "mlir/IR/OpDefinition.h"

#include "tgraph/Dialect/TGraph/TGraphInterfaces.h.inc"

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHINTERFACES_H
