//===- TaskBenchCore.h - what every Task Bench driver here shares -*- C++
//-*-===//
//
// The part of Task Bench (Slaughter et al., SC20) that does not depend on the
// runtime under test, shared by tgraph-bench and its peers (OpenMP, StarPU,
// a serial loop) so that a comparison differs only in how tasks are run:
//  * the command line (Task Bench's flags and meanings, `-and` between
//    graphs, plus -worker/-replays/-warmup),
//  * per graph: the task numbering and every task's expected inputs, taken
//    from the generator's dependencies() (the very function the tgraph IR is
//    built from), computed once before anything is timed,
//  * executePoint(): the body of every task in every system: check that each
//    input carries the tag (graph, t - 1, j) of the dependence it stands for,
//    run the kernel (empty, busy_wait, compute_bound, memory_bound), then tag
//    the output with (graph, t, i),
//  * the end-of-run checks (every task ran once per execution, no tag was
//    wrong) and Task Bench's report lines.
//
// Output slots are double-buffered like the generator's logical form: task
// (t, i) writes slot [t % 2][i] and reads slots [(t - 1) % 2][j]. A system that
// misses a dependence (RAW) or an anti-dependence (a slot overwritten before
// its readers ran) shows up as a wrong tag.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_BENCH_TASKBENCH_TASKBENCHCORE_H
#define TGRAPH_BENCH_TASKBENCH_TASKBENCHCORE_H

#include "tgraph/TaskBench/Generator.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tb {

namespace taskbench = mlir::tgraph::taskbench;

enum class KernelType { Empty, BusyWait, ComputeBound, MemoryBound };

/// One Task Bench graph: the generator's parameters plus its kernel.
struct GraphConfig {
  taskbench::Params params;
  KernelType kernel = KernelType::Empty;
  int64_t iterations = 0;   ///< -iter
  int64_t scratchBytes = 0; ///< -scratch, per point (memory_bound)
};

/// A whole command line.
struct Options {
  std::vector<GraphConfig> graphs;
  unsigned workers = 1; ///< -worker
  unsigned replays = 1; ///< -replays: timed executions (the mean is reported)
  unsigned warmup = 1;  ///< -warmup: untimed executions before them
  /// -iters a,b,...: one measurement (warm-up, replays, report) per value,
  /// overriding every graph's -iter, in the same process (metg.py uses it
  /// so that tgraph compiles each graph once per sweep).
  std::vector<int64_t> iterList;
  bool injectError = false; ///< -inject-error (tests): one wrong tag
  bool verbose = false;     ///< -v: print the configuration
  /// tgraph-bench only: emit the physical form / use `buffers` slots.
  bool physical = false;
  int64_t buffers = 2;
  /// tgraph-bench only: the runtime's spin_iterations (-1 = its default).
  int64_t spin = -1;
  /// taskbench-openmp only: `taskwait` after every N timesteps (0 = only at
  /// the end, Task Bench's structure).
  int64_t taskwaitEvery = 0;
};

/// Parses Task Bench's flags. `extraHelp` is appended to -help. On error
/// prints the message (naming the flag) and returns false; `-help` prints
/// usage and exits 0.
bool parseOptions(int argc, char **argv, const char *tool, Options &options,
                  const char *extraHelp = "");

/// Everything a task of one graph needs at run time. Built once.
class GraphState {
public:
  GraphState(const GraphConfig &config, int64_t index, bool injectError);

  const GraphConfig &config;
  const taskbench::Params &params;
  const int64_t index;
  const int64_t outputBytes;

  /// Dense task number of (t, i), row by row.
  int64_t taskId(int64_t t, int64_t i) const {
    return rowBase[t] + (i - rowOffset[t]);
  }
  int64_t numTasks() const { return rowBase.back(); }
  int64_t offsetAt(int64_t t) const { return rowOffset[t]; }
  int64_t widthAt(int64_t t) const { return rowBase[t + 1] - rowBase[t]; }
  /// The points of row t - 1 that task `id` reads, in the generator's order.
  const int32_t *inputsBegin(int64_t id) const {
    return depPoints.data() + depStart[id];
  }
  int64_t numInputs(int64_t id) const {
    return depStart[id + 1] - depStart[id];
  }
  /// Whether tasks have output slots (trivial's have none).
  bool hasOutputs() const;
  /// Tasks get no data (tgraph's physical form): instead of tags, each task
  /// checks that its dependences already ran in this execution.
  bool dataless = false;

  /// The body of task (t, i): validate `inputs` (n of them), run the kernel,
  /// tag `output` (nullptr for trivial). Thread-safe for distinct tasks.
  void executePoint(int64_t t, int64_t i, uint8_t *output,
                    const uint8_t *const *inputs, int64_t n);

  /// After `executions` runs: checks every task ran exactly that often and no
  /// validation failed. Returns an empty string or the first problem.
  std::string finish(uint64_t executions);

  /// The kernel iterations in force (-iter, or the current -iters value).
  int64_t iterations() const { return iterationsNow; }
  void setIterations(int64_t n) { iterationsNow = n; }

  /// Task Bench's per-graph totals.
  uint64_t flops() const;
  uint64_t bytes() const;

  /// Output storage for the peers: 2 slots per point, each on its own cache
  /// lines: slot(s, i).
  uint8_t *slot(int64_t s, int64_t i) {
    return slots.get() + (s * params.width + i) * slotStride;
  }

private:
  void fail(const std::string &message);

  std::vector<int64_t> rowBase, rowOffset;
  std::vector<int64_t> depStart;
  std::vector<int32_t> depPoints;
  std::unique_ptr<uint32_t[]> runCount;
  struct AlignedDeleter {
    void operator()(uint8_t *p) const;
  };
  std::unique_ptr<uint8_t, AlignedDeleter> scratch, slots;
  int64_t scratchStride = 0;
  int64_t slotStride = 0;
  int64_t iterationsNow = 0;
  int64_t injectTask = -1; ///< corrupt this task's output (or its count)
  std::atomic<uint64_t> errors{0};
  std::mutex errorMutex;
  std::string firstError;
};

/// All graphs of a run.
std::vector<std::unique_ptr<GraphState>> makeGraphs(const Options &options);

/// Prints Task Bench's report lines for the graphs and the mean elapsed
/// seconds of one execution (of all graphs).
void report(const Options &options,
            const std::vector<std::unique_ptr<GraphState>> &graphs,
            double elapsedSeconds);

/// Runs the end-of-run checks of every graph after `executions`
/// executions; prints the first problem and returns false if any.
bool finishAll(const char *tool,
               std::vector<std::unique_ptr<GraphState>> &graphs,
               uint64_t executions);

/// The measurement loop every driver shares: for each iteration count (the
/// graphs' -iter, or each -iters value), `warmup` untimed and `replays`
/// timed calls of `execute` (one execution of every graph; false = failed),
/// the end-of-run checks, then the report. Returns the exit code (0, or 1
/// on a failed execution or validation).
int measure(const char *tool, const Options &options,
            std::vector<std::unique_ptr<GraphState>> &graphs,
            const std::function<bool()> &execute);

/// Monotonic seconds.
double now();

/// The input pointers of every task, built once before timing, for the
/// peers that call the task body themselves: task `id`'s inputs are
/// inputs[start[id] .. start[id + 1]).
struct InputPlan {
  std::vector<const uint8_t *> inputs;
  std::vector<int64_t> start;
};
InputPlan makeInputPlan(GraphState &g);

} // namespace tb

#endif // TGRAPH_BENCH_TASKBENCH_TASKBENCHCORE_H
