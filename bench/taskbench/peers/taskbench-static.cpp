//===- taskbench-static.cpp - Task Bench as a hand-written static schedule ===//
//
// The multi-core floor: what `-worker` threads on this machine can do with
// the same task bodies when nobody pays for a runtime. Point i of every graph
// belongs to one worker (contiguous blocks); each worker walks its points
// timestep by timestep and spins on per-point progress counters, one per
// cache line: for the points it reads (read after write) and for the readers
// of the slot it overwrites (write after read: outputs are double-buffered,
// as in the other drivers). No queue, no counter per task, no allocation;
// the threads persist across executions. Same flags, tasks, validation and
// report as tgraph-bench. Not a peer runtime (the schedule is written by
// hand for these graphs); metg.py reports it beside `serial` as a floor.
//
//===----------------------------------------------------------------------===//

#include "../TaskBenchCore.h"

#include <atomic>
#include <cstdio>
#include <thread>

static const char *kTool = "taskbench-static";

namespace {

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// Spins until `a` reaches `v`; yields after a while so that an
/// oversubscribed machine still makes progress.
[[gnu::noinline]] void spinUntil(const std::atomic<int64_t> &a, int64_t v) {
  for (unsigned n = 0; a.load(std::memory_order_acquire) < v; ++n) {
    if (n < 4096)
      cpuRelax();
    else
      std::this_thread::yield();
  }
}
inline void waitAtLeast(const std::atomic<int64_t> &a, int64_t v) {
  if (__builtin_expect(a.load(std::memory_order_acquire) < v, 0))
    spinUntil(a, v);
}

struct alignas(64) Progress {
  /// epoch base + t + 1 once (t, i) has run in the current execution.
  std::atomic<int64_t> done{0};
};

/// One graph's schedule data.
struct Plan {
  tb::InputPlan inputs;
  /// Readers of task id: the points of the next row that read its output.
  std::vector<int64_t> readerStart;
  std::vector<int32_t> readers;
  /// The task that last wrote the slot task id overwrites (-1: none), and
  /// its row: with rows of changing width (tree, fft) it need not be t - 2.
  std::vector<int64_t> prevWriter, prevRow;
  std::unique_ptr<Progress[]> progress; // per point
  std::vector<int64_t> blockStart;      // worker w owns [w], [w + 1])
  bool outputs = false;
};

Plan makePlan(tb::GraphState &g, int64_t workers) {
  Plan p;
  p.inputs = tb::makeInputPlan(g);
  const int64_t n = g.numTasks();
  p.readerStart.assign(n + 1, 0);
  for (int64_t t = 1; t < g.params.steps; ++t)
    for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
      int64_t id = g.taskId(t, i);
      for (int64_t k = 0; k < g.numInputs(id); ++k)
        ++p.readerStart[g.taskId(t - 1, g.inputsBegin(id)[k]) + 1];
    }
  for (int64_t id = 0; id < n; ++id)
    p.readerStart[id + 1] += p.readerStart[id];
  p.readers.resize(p.readerStart.back());
  std::vector<int64_t> fill(p.readerStart.begin(), p.readerStart.end() - 1);
  for (int64_t t = 1; t < g.params.steps; ++t)
    for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
      int64_t id = g.taskId(t, i);
      for (int64_t k = 0; k < g.numInputs(id); ++k)
        p.readers[fill[g.taskId(t - 1, g.inputsBegin(id)[k])]++] =
            static_cast<int32_t>(i);
    }
  p.prevWriter.assign(n, -1);
  p.prevRow.assign(n, -1);
  std::vector<int64_t> last(2 * g.params.width, -1),
      lastRow(2 * g.params.width);
  for (int64_t t = 0; t < g.params.steps; ++t)
    for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
      int64_t id = g.taskId(t, i), at = (t % 2) * g.params.width + i;
      p.prevWriter[id] = last[at];
      p.prevRow[id] = lastRow[at];
      last[at] = id;
      lastRow[at] = t;
    }
  p.progress.reset(new Progress[g.params.width]);
  for (int64_t w = 0; w <= workers; ++w)
    p.blockStart.push_back(w * g.params.width / workers);
  p.outputs = g.hasOutputs();
  return p;
}

} // namespace

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(argc, argv, kTool, options))
    return 1;
  auto graphs = tb::makeGraphs(options);
  const int64_t workers = std::max<int64_t>(1, options.workers);
  std::vector<Plan> plans;
  int64_t maxSteps = 0;
  for (auto &g : graphs) {
    plans.push_back(makePlan(*g, workers));
    maxSteps = std::max(maxSteps, g->params.steps);
  }

  // Epochs keep the progress counters monotonic: no reset between
  // executions. Row t of execution e is done at base(e) + t + 1.
  int64_t base = 0;
  auto runWorker = [&](int64_t w) {
    const int64_t b = base;
    for (int64_t t = 0; t < maxSteps; ++t)
      for (size_t gi = 0; gi < graphs.size(); ++gi) {
        tb::GraphState &g = *graphs[gi];
        const Plan &p = plans[gi];
        if (t >= g.params.steps)
          continue;
        const int64_t lo = std::max(g.offsetAt(t), p.blockStart[w]);
        const int64_t hi =
            std::min(g.offsetAt(t) + g.widthAt(t), p.blockStart[w + 1]);
        // Raw pointers in registers: the atomics below would otherwise make
        // the compiler reload every vector's data pointer per task.
        Progress *const progress = p.progress.get();
        const int64_t *const readerStart = p.readerStart.data();
        const int32_t *const readers = p.readers.data();
        const int64_t *const prevWriter = p.prevWriter.data();
        const int64_t *const prevRow = p.prevRow.data();
        const uint8_t *const *const inputs = p.inputs.inputs.data();
        const int64_t *const inputStart = p.inputs.start.data();
        const bool outputs = p.outputs;
        for (int64_t i = lo; i < hi; ++i) {
          const int64_t id = g.taskId(t, i);
          const int32_t *deps = g.inputsBegin(id);
          const int64_t n = inputStart[id + 1] - inputStart[id];
          for (int64_t k = 0; k < n; ++k)
            waitAtLeast(progress[deps[k]].done, b + t); // (t - 1, j) ran
          const int64_t prev = prevWriter[id];
          if (prev >= 0 && outputs) // the slot's readers are done with it
            for (int64_t r = readerStart[prev]; r < readerStart[prev + 1]; ++r)
              waitAtLeast(progress[readers[r]].done, b + prevRow[id] + 2);
          g.executePoint(t, i, outputs ? g.slot(t % 2, i) : nullptr,
                         inputs + inputStart[id], n);
          progress[i].done.store(b + t + 1, std::memory_order_release);
        }
      }
  };

  // Workers 1..W-1 are threads that wait for a new generation; worker 0 is
  // the measuring thread. An execution ends when every worker has finished
  // its points.
  std::atomic<int64_t> generation{0}, finished{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int64_t w = 1; w < workers; ++w)
    threads.emplace_back([&, w] {
      int64_t seen = 0;
      for (;;) {
        waitAtLeast(generation, seen + 1);
        if (stop.load(std::memory_order_acquire))
          return;
        ++seen;
        runWorker(w);
        finished.fetch_add(1, std::memory_order_acq_rel);
      }
    });
  int rc = tb::measure(kTool, options, graphs, [&] {
    finished.store(0, std::memory_order_relaxed);
    generation.fetch_add(1, std::memory_order_acq_rel);
    runWorker(0);
    waitAtLeast(finished, workers - 1);
    base += maxSteps + 1;
    return true;
  });
  stop.store(true, std::memory_order_release);
  generation.fetch_add(1, std::memory_order_acq_rel);
  for (std::thread &t : threads)
    t.join();
  return rc;
}
