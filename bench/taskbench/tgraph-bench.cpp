//===- tgraph-bench.cpp - Task Bench on tgraph ----------------------------===//
//
// Task Bench's driver for tgraph: builds each graph of the command line with
// the Task Bench generator (logical form: double-buffered output slots, so
// tgraph-infer-deps derives the edges), compiles the module with the whole
// tgraph-pipeline for `-worker` CPU workers, lowers it, JIT-compiles it,
// instantiates every graph once and then replays them: one Task Bench run =
// one replay of every graph, concurrently (`-and`). Only the replays are
// timed. Every task validates its inputs' tags (TaskBenchCore.h); any
// mismatch, missed task or failed replay exits with 1. Prints Task Bench's
// report lines.
//
// Compiling and instantiating go through lib/Execution (CompiledModule),
// like tools/tgraph-run and the C++ frontend.
//
//===----------------------------------------------------------------------===//

#include "TaskBenchCore.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "tgraph/Execution/CompiledModule.h"
#include "tgraph/Runtime/tgrt.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstring>

using namespace mlir;
using namespace mlir::tgraph;

static const char *kTool = "tgraph-bench";

static int fail(const std::string &message) {
  std::fprintf(stderr, "%s: error: %s\n", kTool, message.c_str());
  return 1;
}

/// The kernel every task of every graph runs: (t, i, out, in...) words.
static int32_t taskKernel(tgrt_task_context *ctx) {
  auto *graph = static_cast<tb::GraphState *>(ctx->user_data);
  const uint64_t *a = ctx->args;
  int64_t t = static_cast<int64_t>(a[0]), i = static_cast<int64_t>(a[1]);
  if (ctx->num_args <= 2) {
    graph->executePoint(t, i, nullptr, nullptr, 0);
    return 0;
  }
  static_assert(sizeof(uint64_t) == sizeof(const uint8_t *),
                "buffer words are pointers");
  graph->executePoint(t, i, reinterpret_cast<uint8_t *>(a[2]),
                      reinterpret_cast<const uint8_t *const *>(a + 3),
                      ctx->num_args - 3);
  return 0;
}

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(
          argc, argv, kTool, options,
          "tgraph-bench only:\n"
          "  -physical     emit awaits (physical form) instead of buffer\n"
          "                accesses; tasks then get no data, and validation\n"
          "                checks that each task's dependences ran before it\n"
          "  -buffers N    output slots per point (2 = double buffering,\n"
          "                0 = one per task)\n"
          "  -spin N       the runtime's spin/yield rounds before a worker\n"
          "                sleeps (tgrt_config.spin_iterations)\n"))
    return 1;
  auto graphs = tb::makeGraphs(options);

  // 1. Generate: graph g calls kernels `tb<g>[_in<N>]`, so that each graph's
  //    kernels carry its own state.
  std::vector<taskbench::Params> params;
  for (auto &g : graphs) {
    taskbench::Params p = g->params;
    p.graphName = "task_bench_" + std::to_string(g->index);
    p.kernel = "tb" + std::to_string(g->index);
    p.physical = options.physical;
    p.buffers = options.buffers;
    params.push_back(p);
  }
  MLIRContext context;
  std::string diagnostics;
  ScopedDiagnosticHandler diagHandler(&context, [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(diagnostics);
    os << diag << "\n";
    return success();
  });
  auto module = taskbench::generateModule(&context, params);
  if (!module)
    return fail(llvm::toString(module.takeError()) + "\n" + diagnostics);
  if (options.physical)
    for (auto &g : graphs)
      g->dataless = true;

  // 2. Compile: the whole pipeline for `-worker` CPUs and no GPU, the
  //    lowering and the JIT, as tgraph-run and the C++ frontend do.
  double compileStart = tb::now();
  CompileOptions compileOptions;
  compileOptions.cpus = static_cast<unsigned>(options.workers);
  compileOptions.gpus = 0;
  auto compiled = compile(**module, compileOptions);
  if (!compiled)
    return fail(llvm::toString(compiled.takeError()));
  double jitSeconds = tb::now() - compileStart;

  // 3. Runtime and kernels: tb<g> and tb<g>_in<N> for every N that occurs.
  tgrt_config config = (*compiled)->runtimeConfig(TGRT_STREAMS_EMULATED);
  if (options.spin >= 0)
    config.spin_iterations = static_cast<uint32_t>(options.spin);
  tgrt_runtime runtime = nullptr;
  if (tgrt_runtime_create(&config, &runtime) != TGRT_OK)
    return fail(std::string("cannot create the runtime: ") + tgrt_last_error());
  for (auto &g : graphs) {
    std::string base = "tb" + std::to_string(g->index);
    std::vector<bool> seen;
    auto reg = [&](const std::string &name) {
      if (tgrt_register_cpu_kernel(runtime, name.c_str(), taskKernel,
                                   g.get()) != TGRT_OK) {
        fail("cannot register kernel " + name + ": " + tgrt_last_error());
        std::exit(1);
      }
    };
    reg(base);
    for (int64_t id = 0; id < g->numTasks(); ++id) {
      size_t n = g->numInputs(id);
      if (n >= seen.size())
        seen.resize(n + 1, false);
      if (!seen[n]) {
        seen[n] = true;
        reg(base + "_in" + std::to_string(n));
      }
    }
  }

  // 4. Instantiate every graph; bind one 64-byte-aligned buffer per buffer
  //    argument (scalars: 0).
  struct Instance {
    ExecutableGraph graph;
    std::vector<Param> params;
    std::vector<std::unique_ptr<uint8_t[]>> storage;
  };
  std::vector<Instance> instances;
  double instantiateStart = tb::now();
  for (const GraphSignature &sig : (*compiled)->graphs()) {
    auto graph = (*compiled)->instantiate(runtime, sig.name);
    if (!graph)
      return fail(llvm::toString(graph.takeError()));
    Instance inst{std::move(*graph), {}, {}};
    for (const GraphSignature::Argument &arg : sig.args) {
      if (arg.kind == GraphSignature::Argument::Scalar) {
        inst.params.push_back(Param::fromBits(0));
      } else if (arg.kind == GraphSignature::Argument::Buffer) {
        // One slot per cache line pair so that neighbours share no line.
        size_t size = (arg.bytes + 127) / 64 * 64;
        inst.storage.emplace_back(new uint8_t[size]());
        uintptr_t p = reinterpret_cast<uintptr_t>(inst.storage.back().get());
        inst.params.push_back(Param::fromBits((p + 63) / 64 * 64));
      }
    }
    instances.push_back(std::move(inst));
  }
  double compileSeconds = tb::now() - compileStart;
  if (options.verbose)
    std::printf("Compile: %.3f seconds (pipeline, lowering and JIT %.3f, "
                "instantiate %.3f)\n",
                compileSeconds, jitSeconds,
                compileSeconds - (instantiateStart - compileStart));

  // 5. Replay: an execution is one replay of every graph, concurrently, and
  //    the wait for all; tb::measure does the warm-up and the timed ones.
  std::vector<Completion> done(instances.size());
  auto execute = [&]() -> bool {
    for (size_t g = 0; g < instances.size(); ++g) {
      // No preconditions given: the graph's event arguments are triggered.
      auto completion = instances[g].graph.replay(instances[g].params);
      if (!completion)
        return fail("replay: " + llvm::toString(completion.takeError())), false;
      done[g] = std::move(*completion);
    }
    bool ok = true;
    for (Completion &c : done) {
      if (llvm::Error err = c.wait()) {
        fail("replay failed: " + llvm::toString(std::move(err)));
        ok = false;
      }
      c.reset();
    }
    return ok;
  };
  int rc = tb::measure(kTool, options, graphs, execute);
  instances.clear(); // before the runtime they live on
  tgrt_runtime_destroy(runtime);
  return rc;
}
