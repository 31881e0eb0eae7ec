//===- CpuReplayBench.cpp - Per-task overhead of replaying on CPU workers -===//
//
// Replays graphs of empty tasks (a chain on one worker, fan-out/fan-in, and
// Task Bench's stencil_1d with width = workers) and reports ns per task, side
// by side with (a) a plain loop calling the same kernel function through the
// same context (the floor) and (b) a dynamic baseline that builds, finalizes
// and replays the same graph every iteration through the same runtime (what
// compiling the graph saves). Each iteration = one replay + wait.
//
// Run: tgrt_bench_cpu [--benchmark_min_time=1s]   (per_task column: time per
// task)
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

namespace {

int32_t emptyKernel(tgrt_task_context *) { return 0; }

void check(tgrt_status s) {
  if (s != TGRT_OK) {
    std::fprintf(stderr, "tgrt error %s: %s\n", tgrt_status_string(s),
                 tgrt_last_error());
    std::abort();
  }
}

tgrt_runtime makeRuntime(uint32_t workers) {
  tgrt_config c;
  check(tgrt_config_init(&c));
  c.num_cpu_workers = workers;
  if (const char *spin = std::getenv("TGRT_BENCH_SPIN"))
    c.spin_iterations = static_cast<uint32_t>(std::strtoul(spin, nullptr, 10));
  tgrt_runtime rt;
  check(tgrt_runtime_create(&c, &rt));
  check(tgrt_register_cpu_kernel(rt, "empty", emptyKernel, nullptr));
  return rt;
}

uint32_t task(tgrt_graph g, uint32_t worker) {
  uint32_t n;
  check(tgrt_graph_add_task(g, "empty", TGRT_PROC_CPU, worker, 0, 0, &n));
  return n;
}

/// The shapes. Each returns the number of tasks it added.
uint32_t buildChain(tgrt_graph g, uint32_t tasks, uint32_t) {
  uint32_t prev = task(g, 0);
  for (uint32_t i = 1; i < tasks; ++i) {
    uint32_t n = task(g, 0);
    check(tgrt_graph_add_dep(g, prev, n, TGRT_DEP_HOST));
    prev = n;
  }
  return tasks;
}

uint32_t buildFan(tgrt_graph g, uint32_t tasks, uint32_t workers) {
  uint32_t src = task(g, 0);
  uint32_t sink = task(g, 0);
  for (uint32_t i = 0; i + 2 < tasks; ++i) {
    uint32_t n = task(g, i % workers);
    check(tgrt_graph_add_dep(g, src, n, TGRT_DEP_HOST));
    check(tgrt_graph_add_dep(g, n, sink, TGRT_DEP_HOST));
  }
  return tasks;
}

uint32_t buildStencil(tgrt_graph g, uint32_t tasks, uint32_t workers) {
  const uint32_t width = workers, steps = tasks / workers;
  std::vector<uint32_t> prev(width), cur(width);
  for (uint32_t t = 0; t < steps; ++t) {
    for (uint32_t i = 0; i < width; ++i) {
      cur[i] = task(g, i);
      if (t == 0)
        continue;
      for (int d = -1; d <= 1; ++d) {
        int j = static_cast<int>(i) + d;
        if (j >= 0 && j < static_cast<int>(width))
          check(tgrt_graph_add_dep(g, prev[j], cur[i], TGRT_DEP_HOST));
      }
    }
    prev.swap(cur);
  }
  return steps * width;
}

using Builder = uint32_t (*)(tgrt_graph, uint32_t, uint32_t);

void replayAndWait(tgrt_graph g) {
  tgrt_event done;
  check(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done));
  check(tgrt_event_wait(done));
  check(tgrt_event_release(done));
}

void setCounter(benchmark::State &state, uint32_t tasks) {
  // Seconds per task (printed with an SI prefix: "29.1n" = 29.1 ns).
  state.counters["per_task"] =
      benchmark::Counter(static_cast<double>(tasks),
                         benchmark::Counter::kIsIterationInvariantRate |
                             benchmark::Counter::kInvert);
  state.counters["tasks"] = tasks;
}

/// Compiled: finalize once, replay every iteration.
void BM_Replay(benchmark::State &state, Builder build, uint32_t workers) {
  tgrt_runtime rt = makeRuntime(workers);
  tgrt_graph g;
  check(tgrt_graph_create(rt, "bench", &g));
  uint32_t tasks = build(g, static_cast<uint32_t>(state.range(0)), workers);
  check(tgrt_graph_finalize(g));
  for (int i = 0; i < 10; ++i)
    replayAndWait(g);
  for (auto _ : state)
    replayAndWait(g);
  setCounter(state, tasks);
  check(tgrt_runtime_destroy(rt));
}

/// Dynamic: build, finalize, replay and destroy every iteration.
void BM_Dynamic(benchmark::State &state, Builder build, uint32_t workers) {
  tgrt_runtime rt = makeRuntime(workers);
  uint32_t tasks = 0;
  for (auto _ : state) {
    tgrt_graph g;
    check(tgrt_graph_create(rt, "bench", &g));
    tasks = build(g, static_cast<uint32_t>(state.range(0)), workers);
    check(tgrt_graph_finalize(g));
    replayAndWait(g);
    check(tgrt_graph_destroy(g));
  }
  setCounter(state, tasks);
  check(tgrt_runtime_destroy(rt));
}

/// The floor: the same kernel through a function pointer, same context.
void BM_Loop(benchmark::State &state) {
  const uint32_t tasks = static_cast<uint32_t>(state.range(0));
  tgrt_kernel_fn volatile fn = emptyKernel;
  tgrt_task_context ctx{};
  for (auto _ : state)
    for (uint32_t i = 0; i < tasks; ++i) {
      int32_t rc = fn(&ctx);
      benchmark::DoNotOptimize(rc);
    }
  setCounter(state, tasks);
}

} // namespace

constexpr int64_t kTasks = 1000;

/// The machine this runs on may be shared (a 2-core CI box running a
/// compiler build): a descheduled worker stalls a whole stencil step. The
/// minimum over repetitions estimates the uncontended cost; the median is
/// what a shared machine gives.
double minOf(const std::vector<double> &v) {
  return *std::min_element(v.begin(), v.end());
}

#define TGRT_BENCH(fn, name, builder, workers)                                 \
  BENCHMARK_CAPTURE(fn, name, builder, workers)                                \
      ->Arg(kTasks)                                                            \
      ->UseRealTime()                                                          \
      ->ComputeStatistics("min", minOf)

BENCHMARK(BM_Loop)
    ->Arg(kTasks)
    ->Name("loop/any_shape")
    ->ComputeStatistics("min", minOf);
TGRT_BENCH(BM_Replay, chain_1w, buildChain, 1);
// One task: the fixed cost of a replay round trip (start, wake the worker,
// complete, wake the waiting thread), which a 1000-task replay amortizes.
BENCHMARK_CAPTURE(BM_Replay, one_task_latency, buildChain, 1)
    ->Arg(1)
    ->UseRealTime()
    ->ComputeStatistics("min", minOf);
TGRT_BENCH(BM_Dynamic, chain_1w, buildChain, 1);
TGRT_BENCH(BM_Replay, fanout_fanin_2w, buildFan, 2);
TGRT_BENCH(BM_Dynamic, fanout_fanin_2w, buildFan, 2);
TGRT_BENCH(BM_Replay, stencil_1d_2w, buildStencil, 2);
TGRT_BENCH(BM_Dynamic, stencil_1d_2w, buildStencil, 2);

BENCHMARK_MAIN();
