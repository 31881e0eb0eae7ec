//===- tgraph-opt.cpp - the tgraph optimizer driver -----------------------===//
//
// MlirOptMain with the tgraph dialect and passes, plus what a user needs
// beside them: builtin, func and arith, and the generic transforms
// (canonicalize, cse, symbol-dce, ...).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#ifdef TGRAPH_HAVE_PASSES
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Transforms/Passes.h"
#endif

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
#ifdef TGRAPH_HAVE_PASSES
  mlir::tgraph::registerTGraphPassesAndPipelines();
  mlir::tgraph::registerTGraphConversionPassesAndPipelines();
#endif
  mlir::DialectRegistry registry;
  registry.insert<mlir::tgraph::TGraphDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::cf::ControlFlowDialect,
                  mlir::LLVM::LLVMDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "tgraph optimizer: verifies, transforms and schedules task graphs\n",
      registry));
}
