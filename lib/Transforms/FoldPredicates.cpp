//===- FoldPredicates.cpp - tgraph-fold-predicates ------------------------===//
//
// Runs the predicate folds and the constant-predicate rewrites of the dialect
// over each graph to a fixed point (a predicate computed from the value of a
// task that is itself predicated false folds too), then numbers the groups
// of ops that share one predicate.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "tgraph/Transforms/Passes.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_FOLDPREDICATES
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

using namespace mlir;
using namespace mlir::tgraph;

namespace {
struct FoldPredicatesPass
    : public ::mlir::tgraph::impl::FoldPredicatesBase<FoldPredicatesPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    TaskOp::getCanonicalizationPatterns(patterns, ctx);
    CopyOp::getCanonicalizationPatterns(patterns, ctx);
    JoinOp::getCanonicalizationPatterns(patterns, ctx);
    FrozenRewritePatternSet frozen(std::move(patterns));
    TGraphDialect::PredGroupAttrHelper predGroup(ctx);
    for (GraphOp graph : getOperation().getOps<GraphOp>()) {
      // Most graphs have no predicates: then there is nothing to fold, and
      // a greedy rewrite over every task would cost a full walk and a
      // worklist for nothing.
      bool hasPredicates =
          llvm::any_of(graph.getBodyBlock(), [](Operation &op) {
            if (auto predicated = dyn_cast<PredicatedOpInterface>(op))
              return bool(predicated.getPred());
            return llvm::any_of(op.getResultTypes(), llvm::IsaPred<PredType>);
          });
      if (hasPredicates &&
          failed(applyPatternsGreedily(graph.getBody(), frozen)))
        return signalPassFailure();
      llvm::DenseMap<Value, int64_t> groups;
      for (Operation &op : graph.getBodyBlock()) {
        auto predicated = dyn_cast<PredicatedOpInterface>(&op);
        if (!predicated || !predicated.getPred()) {
          if (predGroup.isAttrPresent(&op))
            predGroup.removeAttr(&op);
          continue;
        }
        auto [it, inserted] =
            groups.try_emplace(predicated.getPred(), groups.size());
        predGroup.setAttr(
            &op, IntegerAttr::get(IntegerType::get(ctx, 64), it->second));
      }
    }
  }
};
} // namespace
