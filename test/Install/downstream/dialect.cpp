// A downstream program built against an installed tgraph's compiler
// libraries only (no runtime, no CUDA): it parses a tgraph module, runs the
// tgraph pipeline and the lowering to the LLVM dialect, and checks that the
// graph's instantiate function was generated.
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Transforms/Passes.h"

#include <cstdio>

int main() {
  mlir::MLIRContext context;
  context.loadDialect<mlir::tgraph::TGraphDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect, mlir::cf::ControlFlowDialect,
                      mlir::LLVM::LLVMDialect>();
  auto module =
      mlir::parseSourceString<mlir::ModuleOp>("tgraph.kernel @k() cpu\n"
                                              "tgraph.graph @g() {\n"
                                              "  %0 = tgraph.task @k()\n"
                                              "  %1 = tgraph.task @k()\n"
                                              "  tgraph.yield\n"
                                              "}\n",
                                              &context);
  if (!module || mlir::failed(mlir::verify(*module))) {
    std::printf("downstream: the module does not parse or verify\n");
    return 1;
  }
  mlir::PassManager pm(&context);
  mlir::tgraph::buildPipeline(pm, mlir::tgraph::PipelineOptions());
  mlir::tgraph::buildLowerToLLVMPipeline(pm);
  if (mlir::failed(pm.run(*module))) {
    std::printf("downstream: the pipeline or the lowering failed\n");
    return 1;
  }
  std::string fn = mlir::tgraph::instantiateFunctionName("g");
  if (!module->lookupSymbol<mlir::LLVM::LLVMFuncOp>(fn)) {
    std::printf("downstream: no LLVM function %s after the lowering\n",
                fn.c_str());
    return 1;
  }
  std::printf("downstream: compiler scheduled and lowered a tgraph module\n");
  return 0;
}
