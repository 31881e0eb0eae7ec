//===- QueueOrder.cpp - makespan of the compiler's queue order ------------===//
//
// tgraph-bench-queue-order: how much the order of each worker's queue
// matters, now that the order the compiler chooses is the order that runs.
// It builds a tiled Cholesky-shaped graph (potrf, trsm, syrk, gemm tasks on
// a T x T lower triangle of tiles, each task spinning for a time in the
// ratio of its flops: 1 : 3 : 3 : 6), runs tgraph-pipeline on it, and
// replays it twice over with the same placement: once with the queue order
// tgraph-assign-processors chose (HEFT: by scheduled start time) and once
// with each queue rewritten into block order (program order). The
// difference is what the schedule's order buys on a DAG with a critical
// path. Timings go to stdout as a Markdown table; nothing here is a test.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/Frontend/GraphBuilder.h"
#include "tgraph/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace mlir;
using namespace mlir::tgraph;

namespace {
llvm::cl::list<int> tileCounts("tiles", llvm::cl::desc("tiles per side"),
                               llvm::cl::CommaSeparated);
llvm::cl::opt<int> unitUs("unit-us",
                          llvm::cl::desc("microseconds of a potrf task"),
                          llvm::cl::init(20));
llvm::cl::opt<int> replays("replays", llvm::cl::desc("replays per variant"),
                           llvm::cl::init(20));
llvm::cl::opt<int> rounds("rounds",
                          llvm::cl::desc("alternating rounds (best is kept)"),
                          llvm::cl::init(3));
llvm::cl::opt<int> cpus("cpus", llvm::cl::desc("CPU workers"),
                        llvm::cl::init(2));

using Clock = std::chrono::steady_clock;

/// spin(buffer..., i64 ns): busy for ns nanoseconds (its last argument).
int32_t spin(tgrt_task_context *ctx) {
  auto ns = static_cast<int64_t>(ctx->args[ctx->num_args - 1]);
  auto end = Clock::now() + std::chrono::nanoseconds(ns);
  while (Clock::now() < end) {
  }
  return 0;
}

struct Costs {
  int64_t potrf, trsm, syrk, gemm;
};

OwningOpRef<ModuleOp> buildCholesky(GraphBuilder &b, int tiles, Costs c,
                                    int64_t &totalNs, int64_t &criticalNs) {
  Type f64 = b.f64(), i64 = b.i64();
  BufferType any = b.bufferType(f64);
  auto spec = [&](int buffers, int64_t cost) {
    KernelSpec s = KernelSpec::cpu();
    for (int i = 0; i < buffers; ++i)
      s.param(any);
    return s.param(i64).cost(cost);
  };
  Kernel potrf = b.declareKernel("potrf", spec(1, c.potrf));
  Kernel trsm = b.declareKernel("trsm", spec(2, c.trsm));
  Kernel syrk = b.declareKernel("syrk", spec(2, c.syrk));
  Kernel gemm = b.declareKernel("gemm", spec(3, c.gemm));
  b.setMachine(cpus, /*gpus=*/0);
  Graph g = b.graph("cholesky");
  std::vector<std::vector<Buffer>> a(tiles);
  for (int i = 0; i < tiles; ++i)
    for (int j = 0; j <= i; ++j)
      a[i].push_back(g.addBuffer(f64, 1));
  // The critical path of the tile DAG: potrf, trsm, syrk per panel.
  totalNs = 0;
  criticalNs = 0;
  for (int k = 0; k < tiles; ++k) {
    g.task(potrf, {readWrite(a[k][k]), c.potrf});
    totalNs += c.potrf;
    criticalNs += c.potrf + (k + 1 < tiles ? c.trsm + c.syrk : 0);
    for (int i = k + 1; i < tiles; ++i) {
      g.task(trsm, {read(a[k][k]), readWrite(a[i][k]), c.trsm});
      totalNs += c.trsm;
    }
    for (int i = k + 1; i < tiles; ++i) {
      g.task(syrk, {read(a[i][k]), readWrite(a[i][i]), c.syrk});
      totalNs += c.syrk;
      for (int j = k + 1; j < i; ++j) {
        g.task(gemm,
               {read(a[i][k]), read(a[j][k]), readWrite(a[i][j]), c.gemm});
        totalNs += c.gemm;
      }
    }
  }
  auto module = b.finish();
  if (!module) {
    llvm::errs() << llvm::toString(module.takeError()) << "\n";
    return {};
  }
  return std::move(*module);
}

/// Rewrites each processor's queue positions into block order.
void useBlockOrder(ModuleOp module) {
  for (GraphOp graph : module.getOps<GraphOp>()) {
    llvm::DenseMap<Attribute, int64_t> next;
    graph.getBody().walk([&](Operation *op) {
      auto pos = op->getAttrOfType<IntegerAttr>("tgraph.queue_pos");
      auto placement = op->getAttrOfType<Attribute>("placement");
      if (!pos || !placement)
        return;
      op->setAttr("tgraph.queue_pos",
                  IntegerAttr::get(pos.getType(), next[placement]++));
    });
  }
}

/// Whether the queue order differs from block order anywhere.
bool differsFromBlockOrder(ModuleOp module) {
  bool differs = false;
  for (GraphOp graph : module.getOps<GraphOp>()) {
    llvm::DenseMap<Attribute, int64_t> next;
    graph.getBody().walk([&](Operation *op) {
      auto pos = op->getAttrOfType<IntegerAttr>("tgraph.queue_pos");
      auto placement = op->getAttrOfType<Attribute>("placement");
      if (pos && placement && pos.getInt() != next[placement]++)
        differs = true;
    });
  }
  return differs;
}

/// Mean wall time of one replay, in seconds.
double timeReplays(ExecutableGraph &graph, llvm::ArrayRef<Param> params) {
  if (llvm::Error e = graph.run(params)) { // warm-up
    llvm::errs() << llvm::toString(std::move(e)) << "\n";
    std::exit(1);
  }
  auto start = Clock::now();
  for (int r = 0; r < replays; ++r)
    if (llvm::Error e = graph.run(params)) {
      llvm::errs() << llvm::toString(std::move(e)) << "\n";
      std::exit(1);
    }
  return std::chrono::duration<double>(Clock::now() - start).count() / replays;
}
} // namespace

int main(int argc, char **argv) {
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "Makespan of a tiled-Cholesky-shaped graph: the compiler's (HEFT) "
      "queue order against block order, same placement\n");
  std::vector<int> sizes(tileCounts.begin(), tileCounts.end());
  if (sizes.empty())
    sizes = {4, 8, 12};
  const int64_t unit = int64_t(unitUs) * 1000;
  Costs costs{unit, 3 * unit, 3 * unit, 6 * unit};

  std::printf(
      "| tiles | nodes | work/%d (ms) | critical path (ms) | HEFT order "
      "(ms) | block order (ms) | block / HEFT |\n",
      int(cpus));
  std::printf("|---|---|---|---|---|---|---|\n");
  for (int tiles : sizes) {
    MLIRContext context;
    GraphBuilder builder(context);
    int64_t total = 0, critical = 0;
    OwningOpRef<ModuleOp> heft =
        buildCholesky(builder, tiles, costs, total, critical);
    if (!heft)
      return 1;
    PassManager pm(&context);
    PipelineOptions options;
    buildPipeline(pm, options);
    if (failed(pm.run(*heft))) {
      llvm::errs() << "the pipeline failed\n";
      return 1;
    }
    OwningOpRef<ModuleOp> block = heft->clone();
    useBlockOrder(*block);
    if (!differsFromBlockOrder(*heft))
      llvm::errs() << "note: " << tiles
                   << " tiles: the compiler's order is block order\n";

    auto heftCompiled = compile(*heft);
    auto blockCompiled = compile(*block);
    if (!heftCompiled || !blockCompiled) {
      llvm::errs() << "compile failed: "
                   << (heftCompiled ? std::string()
                                    : llvm::toString(heftCompiled.takeError()))
                   << (blockCompiled
                           ? std::string()
                           : llvm::toString(blockCompiled.takeError()))
                   << "\n";
      return 1;
    }
    auto runtime = Runtime::create((*heftCompiled)->runtimeConfig());
    if (!runtime) {
      llvm::errs() << llvm::toString(runtime.takeError()) << "\n";
      return 1;
    }
    for (const char *name : {"potrf", "trsm", "syrk", "gemm"})
      if (llvm::Error e = runtime->registerCpuKernel(
              name, [](tgrt_task_context &ctx) { return spin(&ctx); })) {
        llvm::errs() << llvm::toString(std::move(e)) << "\n";
        return 1;
      }
    auto heftGraph = (*heftCompiled)->instantiate(*runtime, "cholesky");
    auto blockGraph = (*blockCompiled)->instantiate(*runtime, "cholesky");
    if (!heftGraph || !blockGraph) {
      llvm::errs() << "instantiate failed\n";
      return 1;
    }
    std::vector<double> storage(tiles * (tiles + 1) / 2);
    std::vector<Param> params;
    for (double &d : storage)
      params.push_back(&d);
    double bestHeft = 1e30, bestBlock = 1e30;
    for (int r = 0; r < rounds; ++r) {
      bestHeft = std::min(bestHeft, timeReplays(*heftGraph, params));
      bestBlock = std::min(bestBlock, timeReplays(*blockGraph, params));
    }
    std::printf("| %d | %u | %.2f | %.2f | %.2f | %.2f | %.3f |\n", tiles,
                heftGraph->numNodes(), total / 1e6 / cpus, critical / 1e6,
                bestHeft * 1e3, bestBlock * 1e3, bestBlock / bestHeft);
  }
  return 0;
}
