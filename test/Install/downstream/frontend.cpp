// A downstream frontend program built against an installed tgraph: it
// builds a graph with GraphBuilder, compiles it in-process (pipeline,
// lowering, JIT) and replays it on the runtime. y += a x, then the sum of y:
// after 3 replays with a = 0.5 and x = 1, y = 1.5 everywhere and the sum is
// 1.5 * n.
#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/Frontend/GraphBuilder.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <vector>

using namespace mlir;
using namespace mlir::tgraph;

namespace {
constexpr int64_t kSize = 64;
constexpr int kReplays = 3;

// axpy(y, x, a): y += a x.
int32_t axpy(tgrt_task_context *ctx) {
  auto *y = arg<double *>(*ctx, 0);
  auto *x = arg<const double *>(*ctx, 1);
  double a = arg<double>(*ctx, 2);
  for (int64_t i = 0; i < kSize; ++i)
    y[i] += a * x[i];
  return 0;
}

// sum(y) -> f64.
int32_t sum(tgrt_task_context *ctx) {
  auto *y = arg<const double *>(*ctx, 0);
  double total = 0;
  for (int64_t i = 0; i < kSize; ++i)
    total += y[i];
  setResult(*ctx, 0, total);
  return 0;
}

int fail(llvm::Error error) {
  llvm::errs() << "downstream: frontend error: "
               << llvm::toString(std::move(error)) << "\n";
  return 1;
}
} // namespace

int main() {
  MLIRContext context;
  GraphBuilder b(context);
  BufferType any = b.bufferType(b.f64());
  Kernel axpyK = b.declareKernel(
      "axpy", KernelSpec::cpu().param(any).param(any).param(b.f64()));
  Kernel sumK =
      b.declareKernel("sum", KernelSpec::cpu().param(any).result(b.f64()));
  Graph g = b.graph("step");
  Buffer x = g.addBuffer(b.f64(), kSize), y = g.addBuffer(b.f64(), kSize);
  Scalar a = g.addScalar(b.f64());
  g.task(axpyK, {readWrite(y), read(x), a});
  Task total = g.task(sumK, {read(y)}); // after axpy: inferred
  g.yield({total.value()});
  auto module = b.finish();
  if (!module)
    return fail(module.takeError());

  auto compiled = compile(**module);
  if (!compiled)
    return fail(compiled.takeError());
  auto runtime = Runtime::create((*compiled)->runtimeConfig());
  if (!runtime)
    return fail(runtime.takeError());
  if (llvm::Error e = runtime->registerCpuKernel("axpy", axpy))
    return fail(std::move(e));
  if (llvm::Error e = runtime->registerCpuKernel("sum", sum))
    return fail(std::move(e));
  auto graph = (*compiled)->instantiate(*runtime, "step");
  if (!graph)
    return fail(graph.takeError());

  std::vector<double> xs(kSize, 1.0), ys(kSize, 0.0);
  for (int r = 0; r < kReplays; ++r)
    if (llvm::Error e = graph->run({xs.data(), ys.data(), 0.5}))
      return fail(std::move(e));
  auto result = graph->result<double>(0);
  if (!result)
    return fail(result.takeError());
  double expected = 0.5 * kReplays * kSize;
  std::printf("downstream: frontend replayed %d times, sum %g (expected %g)\n",
              kReplays, *result, expected);
  return *result == expected ? 0 : 1;
}
