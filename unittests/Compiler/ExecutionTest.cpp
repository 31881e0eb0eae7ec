//===- ExecutionTest.cpp - build, compile, JIT and replay in-process ------===//
//
// Graphs built with the C++ frontend, compiled with CompiledModule (the
// pipeline, the lowering and the JIT in one call) and replayed on the
// runtime with kernels registered from the test: results, buffer contents,
// predicated-false tasks and copies, external preconditions, GPU tasks on
// emulated streams, and every error path (compile, instantiate, replay).
//
//===----------------------------------------------------------------------===//

#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/Frontend/GraphBuilder.h"

#include "TestUtil.h"
#include "mlir/IR/MLIRContext.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <vector>

using namespace mlir;
using namespace mlir::tgraph;
using namespace tgraph_test;

namespace {

// fill(buf, n, v): buf[0..n) = v
int32_t fillKernel(tgrt_task_context *ctx) {
  auto *p = arg<double *>(*ctx, 0);
  for (int64_t i = 0, n = arg<int64_t>(*ctx, 1); i < n; ++i)
    p[i] = arg<double>(*ctx, 2);
  return 0;
}
// axpy(y, x, n, a): y += a x
int32_t axpyKernel(tgrt_task_context *ctx) {
  auto *y = arg<double *>(*ctx, 0);
  auto *x = arg<const double *>(*ctx, 1);
  double a = arg<double>(*ctx, 3);
  for (int64_t i = 0, n = arg<int64_t>(*ctx, 2); i < n; ++i)
    y[i] += a * x[i];
  return 0;
}
// sum(buf, n) -> f64
int32_t sumKernel(tgrt_task_context *ctx) {
  auto *p = arg<const double *>(*ctx, 0);
  double s = 0;
  for (int64_t i = 0, n = arg<int64_t>(*ctx, 1); i < n; ++i)
    s += p[i];
  setResult(*ctx, 0, s);
  return 0;
}
// less(a, b) -> i1
int32_t lessKernel(tgrt_task_context *ctx) {
  setResult(*ctx, 0, arg<double>(*ctx, 0) < arg<double>(*ctx, 1));
  return 0;
}

class ExecutionTest : public ::testing::Test {
protected:
  ExecutionTest() : b(context) {
    f64 = b.f64();
    i64 = b.i64();
    BufferType buf = b.bufferType(f64);
    fill = b.declareKernel("fill",
                           KernelSpec::cpu().param(buf).param(i64).param(f64));
    axpy = b.declareKernel(
        "axpy", KernelSpec::cpu().param(buf).param(buf).param(i64).param(f64));
    sum = b.declareKernel("sum",
                          KernelSpec::cpu().param(buf).param(i64).result(f64));
    less = b.declareKernel(
        "less", KernelSpec::cpu().param(f64).param(f64).result(b.i1()));
  }

  /// A runtime for `compiled` with the test's CPU kernels registered.
  llvm::Expected<Runtime>
  makeRuntime(const CompiledModule &compiled,
              tgrt_stream_mode mode = TGRT_STREAMS_AUTO) {
    llvm::Expected<Runtime> runtime =
        Runtime::create(compiled.runtimeConfig(mode));
    if (!runtime)
      return runtime.takeError();
    const std::pair<const char *, tgrt_kernel_fn> kernels[] = {
        {"fill", fillKernel},
        {"axpy", axpyKernel},
        {"sum", sumKernel},
        {"less", lessKernel}};
    for (auto [name, fn] : kernels)
      if (llvm::Error e = runtime->registerCpuKernel(name, fn))
        return std::move(e);
    return runtime;
  }

  MLIRContext context;
  GraphBuilder b;
  Type f64, i64;
  Kernel fill, axpy, sum, less;
};

// Tests the whole path on CPU kernels: build, compile, instantiate, replay
// ten times with buffers and a scalar per replay, read a task's value and
// the buffers.
TEST_F(ExecutionTest, CompileAndReplay) {
  Graph g = b.graph("axpy_sum");
  Buffer x = g.addBuffer(f64, 8), y = g.addBuffer(f64, 8);
  Scalar a = g.addScalar(f64);
  g.task(fill, {write(x), 8, 1.0});
  g.task(fill, {write(y), 8, 2.0});
  g.task(axpy, {readWrite(y), read(x), 8, a});
  Task s = g.task(sum, {read(y), 8});
  g.yield({s.value()});
  ASSERT_EXPECTED(module, b.finish());

  ASSERT_EXPECTED(compiled, compile(*module));
  ASSERT_EQ(compiled->graphs().size(), 1u);
  const GraphSignature *sig = compiled->lookup("axpy_sum");
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(sig->numParams, 3u);
  EXPECT_EQ(sig->numPreconditions, 0u);
  EXPECT_EQ(sig->numNodes, 4u);
  EXPECT_EQ(sig->args[0].kind, GraphSignature::Argument::Buffer);
  EXPECT_EQ(sig->args[0].bytes, 64u);
  EXPECT_EQ(sig->results[0].kind, GraphSignature::Result::TaskValue);
  // compile() works on a clone: the caller's module stays logical.
  EXPECT_EQ(print(*module).find("physical"), std::string::npos);

  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "axpy_sum"));
  std::vector<double> xs(8), ys(8);
  for (int r = 0; r < 10; ++r) {
    ASSERT_NO_ERROR(graph.run({xs.data(), ys.data(), double(r)}));
    ASSERT_EXPECTED(total, graph.result<double>(0));
    EXPECT_EQ(total, 8 * (2.0 + r));
  }
  EXPECT_EQ(xs, std::vector<double>(8, 1.0));
  EXPECT_EQ(ys, std::vector<double>(8, 11.0));

  // Queued back to back, then waited for.
  std::vector<Completion> done;
  for (int r = 0; r < 5; ++r) {
    ASSERT_EXPECTED(c, graph.replay({xs.data(), ys.data(), 1.0}));
    done.push_back(std::move(c));
  }
  for (Completion &c : done)
    ASSERT_NO_ERROR(c.wait());
  EXPECT_TRUE(done.back().isDone());
  ASSERT_NO_ERROR(graph.waitIdle());
  EXPECT_EQ(*graph.result<double>(0), 24.0);
}

// Tests predication decided at replay time: a task predicated on a value
// another task computes gives its else value when the predicate is false,
// and a predicated-false copy leaves its destination alone.
TEST_F(ExecutionTest, PredicatedFalseTaskGivesElseValue) {
  Graph g = b.graph("pred");
  Buffer x = g.addBuffer(f64, 4), y = g.addBuffer(f64, 4);
  Scalar limit = g.addScalar(f64);
  g.task(fill, {write(x), 4, 1.0});
  Task s = g.task(sum, {read(x), 4});
  Task small = g.task(less, {s.value(), limit});
  Pred go = g.predFrom(small.value());
  Task guarded =
      g.task(sum, {read(x), 4}, TaskOptions().onlyIf(go).orElse({-1.0}));
  g.copy(x, y, CopyOptions().onlyIf(go));
  Task negated = g.task(sum, {read(x), 4},
                        TaskOptions().onlyIf(g.predNot(go)).orElse({-2.0}));
  g.yield({guarded.value(), small.value(), negated.value()});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "pred"));

  std::vector<double> xs(4), ys(4, 7.0);
  // 4 < 0 is false: the guarded task and the copy do not run.
  ASSERT_NO_ERROR(graph.run({xs.data(), ys.data(), 0.0}));
  EXPECT_EQ(*graph.result<double>(0), -1.0);
  EXPECT_EQ(*graph.result<bool>(1), false);
  EXPECT_EQ(*graph.result<double>(2), 4.0);
  EXPECT_EQ(ys, std::vector<double>(4, 7.0));
  // 4 < 100 is true: they run.
  ASSERT_NO_ERROR(graph.run({xs.data(), ys.data(), 100.0}));
  EXPECT_EQ(*graph.result<double>(0), 4.0);
  EXPECT_EQ(*graph.result<bool>(1), true);
  EXPECT_EQ(*graph.result<double>(2), -2.0);
  EXPECT_EQ(ys, std::vector<double>(4, 1.0));
}

// Tests a task predicated on a constant false predicate: the compiler folds
// it away and the graph's result is its else value.
TEST_F(ExecutionTest, ConstantFalsePredicateIsFolded) {
  Graph g = b.graph("folded");
  Buffer x = g.addBuffer(f64, 4);
  Task t = g.task(sum, {read(x), 4},
                  TaskOptions().onlyIf(g.predConst(false)).orElse({-3.5}));
  g.yield({t.value()});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  EXPECT_EQ(compiled->graphs()[0].results[0].kind,
            GraphSignature::Result::ConstantValue);
  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "folded"));
  std::vector<double> xs(4, 1.0);
  ASSERT_NO_ERROR(graph.run({xs.data()}));
  EXPECT_EQ(*graph.result<double>(0), -3.5);
}

// Tests CPU tasks, copies and a stream-ordered GPU task in one graph, on
// emulated streams (no GPU needed), with buffer memory from the runtime.
TEST_F(ExecutionTest, GpuTaskOnEmulatedStreams) {
  b.setMachine(/*cpus=*/1, /*gpus=*/1, /*streamsPerGpu=*/2, /*copyStreams=*/1);
  Kernel gpuScale = b.declareKernel(
      "gpu_scale",
      KernelSpec::gpu()
          .param(b.bufferType(f64, BufferType::kDynamic, MemoryKind::gpu))
          .param(i64)
          .param(f64)
          .streamOrdered()
          .cost(3000));
  Graph g = b.graph("mixed");
  Buffer h = g.addBuffer(f64, 16), out = g.addBuffer(f64, 16);
  Buffer d = g.addBuffer(f64, 16, MemoryKind::gpu);
  g.task(fill, {write(h), 16, 1.0});
  g.copy(h, d);
  g.task(gpuScale, {readWrite(d), 16, 3.0});
  g.copy(d, out);
  Task s = g.task(sum, {read(out), 16});
  g.yield({s.value()});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  EXPECT_EQ(compiled->machine().gpus, 1u);

  ASSERT_EXPECTED(runtime, makeRuntime(*compiled, TGRT_STREAMS_EMULATED));
  EXPECT_FALSE(runtime.usesCuda());
  std::atomic<int> launches{0};
  ASSERT_NO_ERROR(
      runtime.registerGpuKernel("gpu_scale", [&](tgrt_task_context &ctx) {
        // On emulated streams the body is the device work.
        ++launches;
        if (!ctx.stream)
          return 1;
        auto *p = arg<double *>(ctx, 0);
        for (int64_t i = 0, n = arg<int64_t>(ctx, 1); i < n; ++i)
          p[i] *= arg<double>(ctx, 2);
        return 0;
      }));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "mixed"));

  ASSERT_EXPECTED(hostIn, runtime.allocate(TGRT_MEM_HOST, 16 * 8));
  ASSERT_EXPECTED(hostOut, runtime.allocate(TGRT_MEM_HOST, 16 * 8));
  ASSERT_EXPECTED(device, runtime.allocate(TGRT_MEM_DEVICE, 16 * 8));
  for (int r = 0; r < 3; ++r) {
    ASSERT_NO_ERROR(graph.run({hostIn, hostOut, device}));
    EXPECT_EQ(*graph.result<double>(0), 48.0);
  }
  EXPECT_EQ(launches.load(), 3);
  std::vector<double> back(16);
  ASSERT_NO_ERROR(runtime.copy(back.data(), device, 16 * 8));
  EXPECT_EQ(back, std::vector<double>(16, 3.0));
  ASSERT_NO_ERROR(runtime.free(TGRT_MEM_HOST, hostIn));
  ASSERT_NO_ERROR(runtime.free(TGRT_MEM_HOST, hostOut));
  ASSERT_NO_ERROR(runtime.free(TGRT_MEM_DEVICE, device));
}

// Tests external preconditions: nothing runs before the caller triggers
// the event; without events the preconditions count as triggered.
TEST_F(ExecutionTest, ExternalPreconditions) {
  std::atomic<int> runs{0};
  b.declareKernel("count", KernelSpec::cpu());
  Graph g = b.graph("gated");
  Event pre = g.addPrecondition();
  Task t = g.task("count", {}, TaskOptions().await(pre));
  g.yield({t});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));
  ASSERT_NO_ERROR(runtime.registerCpuKernel("count", [&](tgrt_task_context &) {
    ++runs;
    return 0;
  }));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "gated"));

  ASSERT_EXPECTED(event, runtime.createEvent());
  ASSERT_EXPECTED(done, graph.replay({}, {event}));
  EXPECT_FALSE(done.isDone());
  EXPECT_EQ(runs.load(), 0);
  ASSERT_EQ(tgrt_event_trigger(event), TGRT_OK);
  ASSERT_NO_ERROR(done.wait());
  EXPECT_EQ(runs.load(), 1);
  tgrt_event_release(event);

  ASSERT_NO_ERROR(graph.run({}));
  EXPECT_EQ(runs.load(), 2);
  // The graph's result is an event, not a value.
  auto value = graph.resultBits(0);
  EXPECT_NE(messageOf(value).find("result #0 of graph @gated is an event"),
            std::string::npos);
}

// Tests a failing kernel: the replay reports its message.
TEST_F(ExecutionTest, TaskFailure) {
  b.declareKernel("boom", KernelSpec::cpu());
  Graph g = b.graph("failing");
  g.task("boom", {});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));
  ASSERT_NO_ERROR(runtime.registerCpuKernel("boom", [](tgrt_task_context &ctx) {
    tgrt_task_set_error(&ctx, "boom went the kernel");
    return 1;
  }));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "failing"));
  EXPECT_NE(messageOf(graph.run({})).find("boom went the kernel"),
            std::string::npos);
}

// Tests tracing through the graph's API.
TEST_F(ExecutionTest, Trace) {
  Graph g = b.graph("traced");
  g.task(fill, {write(g.addBuffer(f64, 4)), 4, 1.0});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));
  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "traced"));
  ASSERT_NO_ERROR(graph.setTracing(true));
  std::vector<double> xs(4);
  ASSERT_NO_ERROR(graph.run({xs.data()}));
  std::string path = ::testing::TempDir() + "tgraph_frontend_trace.json";
  ASSERT_NO_ERROR(graph.writeTrace(path));
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("traceEvents"), std::string::npos) << text;
  std::remove(path.c_str());
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

// Tests a contract violation found by the pipeline: a blocking kernel in a
// graph. The diagnostic (with its note) is the Error's text.
TEST_F(ExecutionTest, ErrorContractViolation) {
  b.declareKernel("blocks", KernelSpec::cpu().mayBlock());
  Graph g = b.graph("g");
  g.task("blocks", {});
  unsigned line = __LINE__ - 1;
  ASSERT_EXPECTED(module, b.finish());
  auto compiled = compile(*module);
  std::string message = messageOf(compiled);
  EXPECT_NE(message.find("ExecutionTest.cpp:" + std::to_string(line) +
                         ": error: 'tgraph.task' op calls kernel @blocks, "
                         "which may block"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("note: kernel @blocks is declared here"),
            std::string::npos)
      << message;
}

// Tests a GPU task on a machine without GPUs, and a predicate argument
// (which the runtime lowering does not support).
TEST_F(ExecutionTest, ErrorPipelineAndLowering) {
  b.declareKernel("gk", KernelSpec::gpu().streamOrdered());
  Graph g = b.graph("g");
  g.task("gk", {});
  ASSERT_EXPECTED(module, b.finish());
  auto noGpu = compile(*module);
  EXPECT_NE(messageOf(noGpu).find("the machine has no GPU"), std::string::npos)
      << messageOf(noGpu);

  GraphBuilder b2(context);
  b2.declareKernel("k", KernelSpec::cpu());
  Graph h = b2.graph("h");
  Pred p = h.addPredicate();
  h.task("k", {}, TaskOptions().onlyIf(p));
  ASSERT_EXPECTED(module2, b2.finish());
  auto lowered = compile(*module2);
  EXPECT_NE(messageOf(lowered).find("predicates passed as graph arguments "
                                    "are not supported"),
            std::string::npos);
}

// Tests instantiation and replay errors: an unregistered kernel, an unknown
// graph, wrong parameter and precondition counts, a result out of range.
TEST_F(ExecutionTest, ErrorInstantiateAndReplay) {
  b.declareKernel("unregistered", KernelSpec::cpu());
  Graph g = b.graph("g");
  g.task("unregistered", {});
  Graph h = b.graph("h");
  Buffer x = h.addBuffer(f64, 4);
  h.addPrecondition();
  h.yield({h.task(sum, {read(x), 4}).value()});
  ASSERT_EXPECTED(module, b.finish());
  ASSERT_EXPECTED(compiled, compile(*module));
  ASSERT_EXPECTED(runtime, makeRuntime(*compiled));

  auto bad = compiled->instantiate(runtime, "g");
  std::string message = messageOf(bad);
  EXPECT_NE(message.find("cannot instantiate graph @g: "), std::string::npos);
  EXPECT_NE(message.find("unregistered"), std::string::npos) << message;
  auto missing = compiled->instantiate(runtime, "nope");
  EXPECT_EQ(messageOf(missing), "no graph named 'nope'");

  ASSERT_EXPECTED(graph, compiled->instantiate(runtime, "h"));
  auto noParams = graph.replay({});
  EXPECT_EQ(messageOf(noParams),
            "graph @h takes 1 parameters (its buffer and scalar arguments, in "
            "order), got 0");
  std::vector<double> xs(4, 2.0);
  tgrt_event events[2] = {nullptr, nullptr};
  auto twoEvents = graph.replay({xs.data()}, events);
  EXPECT_EQ(messageOf(twoEvents), "graph @h takes 1 preconditions, got 2");
  ASSERT_NO_ERROR(graph.run({xs.data()}));
  EXPECT_EQ(*graph.result<double>(0), 8.0);
  auto outOfRange = graph.resultBits(3);
  EXPECT_EQ(messageOf(outOfRange), "graph @h has 1 results, not #3");
}

} // namespace
