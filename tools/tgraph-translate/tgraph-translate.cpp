//===- tgraph-translate.cpp - tgraph IR to other formats ------------------===//
//
// An mlir-translate driver for tgraph. `--tgraph-to-dot` writes each
// `tgraph.graph` of the input as a Graphviz digraph (see
// tgraph/Export/Dot.h); `--tgraph-dot-graph=NAME` keeps only one graph,
// which `dot -Tpng` needs when a module holds several.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Export/Dot.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

static llvm::cl::opt<std::string> dotGraphName(
    "tgraph-dot-graph",
    llvm::cl::desc("With --tgraph-to-dot: export only the graph of this name"),
    llvm::cl::value_desc("name"), llvm::cl::init(""));

int main(int argc, char **argv) {
  TranslateFromMLIRRegistration toDot(
      "tgraph-to-dot", "Write each tgraph.graph as a Graphviz digraph",
      [](Operation *op, llvm::raw_ostream &os) {
        return tgraph::exportDot(op, os, dotGraphName);
      },
      [](DialectRegistry &registry) {
        registry.insert<tgraph::TGraphDialect, func::FuncDialect,
                        arith::ArithDialect>();
      });
  return failed(mlirTranslateMain(argc, argv, "tgraph translation driver"));
}
