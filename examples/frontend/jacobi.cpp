//===- jacobi.cpp - a Jacobi solver built with the C++ frontend -----------===//
//
// Solves -u'' = 1 on (0, 1) with u(0) = u(1) = 0 on 16 interior points
// split into 4 blocks (one buffer each), by Jacobi sweeps. The graph is
// built in C++ with GraphBuilder, compiled in-process, and replayed 100
// times; each replay continues from the state the previous one left:
//
//   1. the residual max |(2u_i - u_{i-1} - u_{i+1}) / h^2 - 1|: one task
//      per block, all reducing (reduce<max>) into one accumulator, so they
//      run in any order, in parallel;
//   2. go = !(residual < tol), from a task's value, decided at replay time;
//   3. 16 sweeps, ping-ponging between u and v, each block reading its
//      neighbours; every sweep task is predicated on `go`.
//
// Once converged the sweeps are skipped: the replay only checks the
// residual. The dependences (which sweep waits for which) are inferred by
// the compiler from the access modes. Central differences are exact for a
// quadratic, so the answer is u(x) = x (1 - x) / 2 at the grid points.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/Frontend/GraphBuilder.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace mlir;
using namespace mlir::tgraph;

namespace {
constexpr int kBlocks = 4, kPerBlock = 4, kPoints = kBlocks * kPerBlock;
constexpr int kSweepsPerReplay = 16, kReplays = 100;
constexpr double kTolerance = 1e-6;

std::atomic<int> sweepsRun{0};

/// The neighbours of block point i: from the neighbour blocks at the edges,
/// 0 (the boundary) where there is none.
struct Stencil {
  const double *left, *mid, *right;
  int64_t m, flags;
  double at(int64_t i) const {
    if (i < 0)
      return (flags & 1) ? left[m - 1] : 0.0;
    if (i >= m)
      return (flags & 2) ? right[0] : 0.0;
    return mid[i];
  }
};
Stencil stencilOf(const tgrt_task_context &ctx, unsigned first) {
  return Stencil{arg<const double *>(ctx, first),
                 arg<const double *>(ctx, first + 1),
                 arg<const double *>(ctx, first + 2),
                 arg<int64_t>(ctx, first + 3), arg<int64_t>(ctx, first + 4)};
}

// sweep(out, left, mid, right, m, flags, h2): one Jacobi sweep of a block.
int32_t sweep(tgrt_task_context *ctx) {
  auto *out = arg<double *>(*ctx, 0);
  Stencil s = stencilOf(*ctx, 1);
  double h2 = arg<double>(*ctx, 6);
  for (int64_t i = 0; i < s.m; ++i)
    out[i] = (s.at(i - 1) + s.at(i + 1) + h2) / 2;
  ++sweepsRun;
  return 0;
}

// residual(acc, left, mid, right, m, flags, h2): acc = max(acc, |r_i|).
// Tasks reducing into one buffer may run at the same time: atomic max.
int32_t residual(tgrt_task_context *ctx) {
  auto *acc = arg<double *>(*ctx, 0);
  Stencil s = stencilOf(*ctx, 1);
  double h2 = arg<double>(*ctx, 6);
  double worst = 0;
  for (int64_t i = 0; i < s.m; ++i)
    worst = std::max(
        worst, std::fabs((2 * s.at(i) - s.at(i - 1) - s.at(i + 1)) / h2 - 1));
  auto *bits = reinterpret_cast<uint64_t *>(acc);
  uint64_t seen = __atomic_load_n(bits, __ATOMIC_RELAXED);
  while (fromWord<double>(seen) < worst &&
         !__atomic_compare_exchange_n(bits, &seen, toWord(worst), true,
                                      __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
  return 0;
}

int32_t zero(tgrt_task_context *ctx) {
  *arg<double *>(*ctx, 0) = 0;
  return 0;
}
int32_t load(tgrt_task_context *ctx) {
  setResult(*ctx, 0, *arg<const double *>(*ctx, 0));
  return 0;
}
int32_t less(tgrt_task_context *ctx) {
  setResult(*ctx, 0, arg<double>(*ctx, 0) < arg<double>(*ctx, 1));
  return 0;
}

int fail(llvm::Error error) {
  llvm::errs() << "jacobi: error: " << llvm::toString(std::move(error)) << "\n";
  return 1;
}

/// The graph: see the file comment.
llvm::Expected<OwningOpRef<ModuleOp>> buildJacobi(GraphBuilder &b) {
  Type f64 = b.f64(), i64 = b.i64();
  BufferType any = b.bufferType(f64);
  KernelSpec stencilKernel = KernelSpec::cpu()
                                 .param(any)
                                 .param(any)
                                 .param(any)
                                 .param(any)
                                 .param(i64)
                                 .param(i64)
                                 .param(f64)
                                 .cost(200);
  Kernel sweepK = b.declareKernel("sweep", stencilKernel);
  Kernel residualK = b.declareKernel("residual", stencilKernel);
  Kernel zeroK = b.declareKernel("zero", KernelSpec::cpu().param(any));
  Kernel loadK =
      b.declareKernel("load", KernelSpec::cpu().param(any).result(f64));
  Kernel lessK = b.declareKernel(
      "less", KernelSpec::cpu().param(f64).param(f64).result(b.i1()));
  b.setMachine(/*cpus=*/2, /*gpus=*/0);

  Graph g = b.graph("jacobi");
  std::vector<Buffer> u, v;
  for (int k = 0; k < kBlocks; ++k)
    u.push_back(g.addBuffer(f64, kPerBlock));
  for (int k = 0; k < kBlocks; ++k)
    v.push_back(g.addBuffer(f64, kPerBlock));
  Buffer acc = g.addBuffer(f64, 1);
  Scalar tol = g.addScalar(f64);
  double h = 1.0 / (kPoints + 1);

  // The stencil operands of block k of `from`: neighbours and edge flags.
  auto neighbours = [&](std::vector<Buffer> &from, int k,
                        llvm::SmallVectorImpl<TaskArg> &args) {
    int left = k > 0 ? k - 1 : k, right = k + 1 < kBlocks ? k + 1 : k;
    args.push_back(read(from[left]));
    args.push_back(read(from[k]));
    args.push_back(read(from[right]));
    args.push_back(int64_t(kPerBlock));
    args.push_back(int64_t((k > 0 ? 1 : 0) | (k + 1 < kBlocks ? 2 : 0)));
    args.push_back(h * h);
  };

  // 1. The residual of u.
  g.task(zeroK, {write(acc)});
  for (int k = 0; k < kBlocks; ++k) {
    llvm::SmallVector<TaskArg> args{reduce(acc, AccessMode::reduce_max)};
    neighbours(u, k, args);
    g.task(residualK, args);
  }
  Task res = g.task(loadK, {read(acc)});
  // 2. Sweep only while not converged.
  Task converged = g.task(lessK, {res.value(), tol});
  Pred go = g.predNot(g.predFrom(converged.value()));
  // 3. The sweeps, u -> v -> u ...
  for (int s = 0; s < kSweepsPerReplay; ++s) {
    std::vector<Buffer> &from = s % 2 ? v : u, &to = s % 2 ? u : v;
    for (int k = 0; k < kBlocks; ++k) {
      llvm::SmallVector<TaskArg> args{write(to[k])};
      neighbours(from, k, args);
      g.task(sweepK, args, TaskOptions().onlyIf(go));
    }
  }
  g.yield({res.value(), converged.value()});
  // Verified; a mistake above would come back as a diagnostic naming the
  // line of this file that built the op.
  return b.finish();
}
} // namespace

int main() {
  MLIRContext context;
  GraphBuilder builder(context);
  auto module = buildJacobi(builder);
  if (!module)
    return fail(module.takeError());

  auto compiled = compile(**module);
  if (!compiled)
    return fail(compiled.takeError());
  auto runtime = Runtime::create((*compiled)->runtimeConfig());
  if (!runtime)
    return fail(runtime.takeError());
  const std::pair<const char *, tgrt_kernel_fn> kernels[] = {
      {"sweep", sweep},
      {"residual", residual},
      {"zero", zero},
      {"load", load},
      {"less", less}};
  for (auto [name, fn] : kernels)
    if (llvm::Error e = runtime->registerCpuKernel(name, fn))
      return fail(std::move(e));
  auto graph = (*compiled)->instantiate(*runtime, "jacobi");
  if (!graph)
    return fail(graph.takeError());

  // The buffers live in this program; each replay gets their addresses.
  std::vector<std::vector<double>> u(kBlocks, std::vector<double>(kPerBlock)),
      v = u;
  std::vector<double> acc(1);
  std::vector<Param> params;
  for (auto &block : u)
    params.push_back(block.data());
  for (auto &block : v)
    params.push_back(block.data());
  params.push_back(acc.data());
  params.push_back(kTolerance);

  int convergedAt = -1;
  for (int r = 0; r < kReplays; ++r) {
    if (llvm::Error e = graph->run(params))
      return fail(std::move(e));
    if (convergedAt < 0 && *graph->result<bool>(1))
      convergedAt = r;
  }

  double worst = 0, h = 1.0 / (kPoints + 1);
  llvm::outs() << "graph @jacobi: " << graph->numNodes() << " nodes, "
               << kReplays << " replays\n";
  llvm::outs() << "u:";
  for (int i = 0; i < kPoints; ++i) {
    double x = (i + 1) * h, got = u[i / kPerBlock][i % kPerBlock];
    worst = std::max(worst, std::fabs(got - x * (1 - x) / 2));
    char text[32];
    std::snprintf(text, sizeof text, " %.4f", got);
    llvm::outs() << text;
  }
  char summary[160];
  std::snprintf(summary, sizeof summary,
                "\nresidual %.3g after %d sweeps (converged in replay %d; "
                "later replays skipped the sweeps)\nmax error vs x(1-x)/2: "
                "%.3g\n",
                *graph->result<double>(0), sweepsRun.load() / kBlocks,
                convergedAt, worst);
  llvm::outs() << summary;
  bool ok = convergedAt >= 0 && worst < 1e-6;
  llvm::outs() << (ok ? "PASS" : "FAIL") << "\n";
  return ok ? 0 : 1;
}
