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

#include <cstdint>

namespace mlir::tgraph {
// Bounds of every count and index the verifier accepts, so that no pass
// loops or allocates without bound on verified input (a `cpus = -1` once
// parsed as 4294967295 workers). Generous for real machines:
constexpr unsigned kMaxCpus = 4096;         // CPU workers
constexpr unsigned kMaxGpus = 64;           // GPUs
constexpr unsigned kMaxStreamsPerGpu = 256; // compute (and copy) streams
// queue_pos, dep_count, pred_group: the runtime numbers nodes in 32 bits.
constexpr int64_t kMaxScheduleNumber = 0xffffffffLL;
// A kernel's cost, in nanoseconds (about 18 minutes): sums of costs along
// any path of a graph stay far from int64 overflow.
constexpr int64_t kMaxKernelCost = int64_t(1) << 40;
} // namespace mlir::tgraph

// The attributes come before the dialect: its discardable-attribute
// helpers (MachineAttrHelper) return them.
#define GET_ATTRDEF_CLASSES
#include "tgraph/Dialect/TGraph/TGraphAttrs.h.inc"

#include "tgraph/Dialect/TGraph/TGraphDialect.h.inc"

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_H
