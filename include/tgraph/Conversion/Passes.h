//===- Passes.h - tgraph conversion passes ----------------------*- C++ -*-===//
//
// convert-tgraph-to-runtime and the lowering pipeline to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_CONVERSION_PASSES_H
#define TGRAPH_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"
#include "tgraph/Conversion/CallingConvention.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"

namespace mlir::tgraph {

#define GEN_PASS_DECL
#include "tgraph/Conversion/Passes.h.inc"

/// convert-tgraph-to-runtime (with its `mode`: "program" or "calls")
/// followed by the standard lowering of func, arith and cf to the LLVM
/// dialect.
void buildLowerToLLVMPipeline(OpPassManager &pm,
                              llvm::StringRef mode = "program");

/// Registers convert-tgraph-to-runtime and the `tgraph-lower-to-llvm`
/// pipeline.
void registerTGraphConversionPassesAndPipelines();

#define GEN_PASS_REGISTRATION
#include "tgraph/Conversion/Passes.h.inc"

} // namespace mlir::tgraph

#endif // TGRAPH_CONVERSION_PASSES_H
