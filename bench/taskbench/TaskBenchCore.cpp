//===- TaskBenchCore.cpp - what every Task Bench driver here shares -------===//
//
// Flags, the per-graph dependence tables, the task body (validate, kernel,
// tag) and the report of the Task Bench drivers in this folder. The kernels
// live here, compiled once, so that every system runs the same machine code.
//
//===----------------------------------------------------------------------===//

#include "TaskBenchCore.h"

#include "llvm/Support/Error.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace tb;

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

// Keeps results alive: a kernel whose result is unused could be removed.
static volatile double gDoubleSink;
static volatile uint64_t gIntSink;

/// Task Bench's busy_wait: a dependent integer recurrence, `iterations` steps.
static void busyWait(int64_t iterations) {
  uint64_t acc = 113;
  for (int64_t k = 0; k < iterations; ++k)
    acc = acc * 139 % 2082;
  if (acc == 1) // never: the recurrence never reaches 1 from 113
    gIntSink = acc;
}

/// Task Bench's compute_bound: 16 registers of 4 doubles, each updated with
/// A = A * A + A (one FMA per element: 128 FLOP per iteration). Starting in
/// (-1, 0) the values drift to 0 like -1/n: no overflow, no denormals, so
/// the rate does not depend on `iterations`.
typedef double V4 __attribute__((vector_size(32)));
static void computeBound(int64_t iterations) {
  V4 a0 = {-0.50, -0.51, -0.52, -0.53}, a1 = a0 - 0.04, a2 = a1 - 0.04,
     a3 = a2 - 0.04, a4 = a3 - 0.04, a5 = a4 - 0.04, a6 = a5 - 0.04,
     a7 = a6 - 0.04, a8 = a7 - 0.04, a9 = a8 - 0.04, a10 = a9 - 0.04,
     a11 = a10 - 0.04, a12 = a11 - 0.04, a13 = a12 - 0.04, a14 = a13 - 0.04,
     a15 = a14 - 0.04;
  for (int64_t k = 0; k < iterations; ++k) {
#define TB_FMA(a) a = a * a + a
    TB_FMA(a0);
    TB_FMA(a1);
    TB_FMA(a2);
    TB_FMA(a3);
    TB_FMA(a4);
    TB_FMA(a5);
    TB_FMA(a6);
    TB_FMA(a7);
    TB_FMA(a8);
    TB_FMA(a9);
    TB_FMA(a10);
    TB_FMA(a11);
    TB_FMA(a12);
    TB_FMA(a13);
    TB_FMA(a14);
    TB_FMA(a15);
#undef TB_FMA
  }
  V4 s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) +
         ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
  double sum = s[0] + s[1] + s[2] + s[3];
  if (sum > 0.0) // never: every element stays negative
    gDoubleSink = sum;
}

/// Task Bench's memory_bound: streams over the point's scratch buffer,
/// copying one half onto the other (alternating), once per iteration:
/// `scratchBytes` bytes moved per iteration.
static void memoryBound(int64_t iterations, uint8_t *scratch,
                        int64_t scratchBytes) {
  int64_t half = scratchBytes / 2;
  if (half <= 0)
    return;
  for (int64_t k = 0; k < iterations; ++k) {
    uint8_t *a = scratch, *b = scratch + half;
    if (k & 1)
      std::swap(a, b);
    std::memcpy(b, a, half);
  }
  gIntSink = scratch[half - 1];
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

static void printUsage(const char *tool, const char *extraHelp) {
  std::printf(
      "usage: %s [graph flags] [-and graph flags ...] [run flags]\n\n"
      "Task Bench (Slaughter et al., SC20) flags, per graph (-and starts the\n"
      "next graph; the graphs run concurrently):\n"
      "  -steps N      timesteps (default 4)\n"
      "  -width N      points per timestep (default: the number of workers)\n"
      "  -type T       trivial no_comm stencil_1d stencil_1d_periodic dom\n"
      "                tree fft all_to_all nearest spread random_nearest\n"
      "  -radix N      dependences per task (nearest, spread, random_nearest)\n"
      "  -period N     dependence sets (spread, random_nearest)\n"
      "  -fraction F   kept fraction of dependences (random_nearest)\n"
      "  -kernel K     empty busy_wait compute_bound memory_bound\n"
      "  -iter N       kernel iterations\n"
      "  -output N     bytes each task writes (>= 16, default 16)\n"
      "  -scratch N    scratch bytes per point (memory_bound)\n"
      "Run flags (any group):\n"
      "  -worker N     CPU workers (default 1)\n"
      "  -replays N    timed executions of the graphs; the mean is reported\n"
      "  -warmup N     untimed executions first (default 1)\n"
      "  -iters A,B,.. one measurement per value (overrides -iter), in one\n"
      "                process: one report block per value, each after an\n"
      "                'Iterations N' line\n"
      "  -v            print the configuration\n"
      "%s",
      tool, extraHelp);
}

static bool parseInt(const char *tool, const char *flag, const char *text,
                     int64_t &out) {
  char *end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (!end || *end || end == text) {
    std::fprintf(stderr, "%s: error: %s expects an integer, got '%s'\n", tool,
                 flag, text);
    return false;
  }
  out = v;
  return true;
}

bool tb::parseOptions(int argc, char **argv, const char *tool, Options &options,
                      const char *extraHelp) {
  options.graphs.assign(1, GraphConfig());
  std::vector<bool> widthGiven(1, false);
  int64_t workers = 1, replays = 1, warmup = 1;
  for (int k = 1; k < argc; ++k) {
    std::string flag = argv[k];
    GraphConfig &g = options.graphs.back();
    auto value = [&](const char *&out) {
      if (k + 1 >= argc) {
        std::fprintf(stderr, "%s: error: %s needs a value\n", tool,
                     flag.c_str());
        return false;
      }
      out = argv[++k];
      return true;
    };
    auto intValue = [&](int64_t &out) {
      const char *text;
      return value(text) && parseInt(tool, flag.c_str(), text, out);
    };
    const char *text = nullptr;
    if (flag == "-h" || flag == "-help" || flag == "--help") {
      printUsage(tool, extraHelp);
      std::exit(0);
    } else if (flag == "-and") {
      options.graphs.emplace_back();
      widthGiven.push_back(false);
    } else if (flag == "-steps") {
      if (!intValue(g.params.steps))
        return false;
    } else if (flag == "-width") {
      if (!intValue(g.params.width))
        return false;
      widthGiven.back() = true;
    } else if (flag == "-type") {
      if (!value(text))
        return false;
      auto pattern = taskbench::parsePattern(text);
      if (!pattern) {
        std::fprintf(stderr,
                     "%s: error: -type '%s' is not a Task Bench "
                     "pattern; expected one of:",
                     tool, text);
        for (llvm::StringRef name : taskbench::getPatternNames())
          std::fprintf(stderr, " %s", name.str().c_str());
        std::fprintf(stderr, "\n");
        return false;
      }
      g.params.pattern = *pattern;
    } else if (flag == "-radix") {
      if (!intValue(g.params.radix))
        return false;
    } else if (flag == "-period") {
      if (!intValue(g.params.period))
        return false;
    } else if (flag == "-fraction") {
      if (!value(text))
        return false;
      char *end = nullptr;
      g.params.fraction = std::strtod(text, &end);
      if (!end || *end) {
        std::fprintf(stderr,
                     "%s: error: -fraction expects a number, got "
                     "'%s'\n",
                     tool, text);
        return false;
      }
    } else if (flag == "-kernel") {
      if (!value(text))
        return false;
      std::string k = text;
      if (k == "empty")
        g.kernel = KernelType::Empty;
      else if (k == "busy_wait")
        g.kernel = KernelType::BusyWait;
      else if (k == "compute_bound")
        g.kernel = KernelType::ComputeBound;
      else if (k == "memory_bound")
        g.kernel = KernelType::MemoryBound;
      else {
        std::fprintf(stderr,
                     "%s: error: -kernel '%s' is not supported; "
                     "expected empty, busy_wait, compute_bound or "
                     "memory_bound\n",
                     tool, text);
        return false;
      }
    } else if (flag == "-iter") {
      if (!intValue(g.iterations))
        return false;
    } else if (flag == "-output") {
      if (!intValue(g.params.outputBytes))
        return false;
    } else if (flag == "-scratch") {
      if (!intValue(g.scratchBytes))
        return false;
    } else if (flag == "-worker") {
      if (!intValue(workers))
        return false;
    } else if (flag == "-replays") {
      if (!intValue(replays))
        return false;
    } else if (flag == "-iters") {
      if (!value(text))
        return false;
      llvm::SmallVector<llvm::StringRef> parts;
      llvm::StringRef(text).split(parts, ',', -1, false);
      for (llvm::StringRef part : parts) {
        int64_t n;
        if (!parseInt(tool, "-iters", part.str().c_str(), n))
          return false;
        if (n < 0) {
          std::fprintf(stderr, "%s: error: -iters values must be >= 0\n", tool);
          return false;
        }
        options.iterList.push_back(n);
      }
    } else if (flag == "-warmup") {
      if (!intValue(warmup))
        return false;
    } else if (flag == "-buffers") {
      if (!intValue(options.buffers))
        return false;
    } else if (flag == "-taskwait-every") {
      if (!intValue(options.taskwaitEvery))
        return false;
    } else if (flag == "-spin") {
      if (!intValue(options.spin))
        return false;
    } else if (flag == "-physical") {
      options.physical = true;
    } else if (flag == "-inject-error") {
      options.injectError = true;
    } else if (flag == "-v") {
      options.verbose = true;
    } else {
      std::fprintf(stderr, "%s: error: unknown flag '%s' (-help lists them)\n",
                   tool, flag.c_str());
      return false;
    }
  }
  if (workers < 1 || workers > 1024) {
    std::fprintf(stderr,
                 "%s: error: -worker %" PRId64 " must be in [1, 1024]\n", tool,
                 workers);
    return false;
  }
  if (replays < 1 || warmup < 0) {
    std::fprintf(stderr, "%s: error: -replays must be >= 1 and -warmup >= 0\n",
                 tool);
    return false;
  }
  options.workers = workers;
  options.replays = replays;
  options.warmup = warmup;
  for (size_t g = 0; g < options.graphs.size(); ++g) {
    GraphConfig &c = options.graphs[g];
    if (!widthGiven[g])
      c.params.width = workers; // Task Bench: one point per core by default
    c.params.graphIndex = g;
    if (c.iterations < 0 || c.scratchBytes < 0) {
      std::fprintf(stderr, "%s: error: -iter and -scratch must be >= 0\n",
                   tool);
      return false;
    }
    if (llvm::Error err = taskbench::checkParams(c.params)) {
      std::fprintf(stderr, "%s: error: graph %zu: %s\n", tool, g,
                   llvm::toString(std::move(err)).c_str());
      return false;
    }
    if (c.params.width > INT32_MAX) {
      std::fprintf(stderr, "%s: error: -width too large\n", tool);
      return false;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// GraphState
//===----------------------------------------------------------------------===//

void GraphState::AlignedDeleter::operator()(uint8_t *p) const { std::free(p); }

static uint8_t *alignedZeroed(int64_t bytes) {
  size_t size = (std::max<int64_t>(bytes, 64) + 63) / 64 * 64;
  auto *p = static_cast<uint8_t *>(std::aligned_alloc(64, size));
  if (!p) {
    std::fprintf(stderr, "error: out of memory (%zu bytes)\n", size);
    std::exit(1);
  }
  std::memset(p, 0, size);
  return p;
}

GraphState::GraphState(const GraphConfig &config, int64_t index,
                       bool injectError)
    : config(config), params(config.params), index(index),
      outputBytes(config.params.outputBytes) {
  iterationsNow = config.iterations;
  const int64_t steps = params.steps;
  rowBase.assign(steps + 1, 0);
  rowOffset.assign(steps, 0);
  for (int64_t t = 0; t < steps; ++t) {
    rowOffset[t] = taskbench::offsetAt(params, t);
    rowBase[t + 1] = rowBase[t] + taskbench::widthAt(params, t);
  }
  depStart.assign(numTasks() + 1, 0);
  llvm::SmallVector<taskbench::Interval, 8> deps;
  for (int64_t t = 0; t < steps; ++t)
    for (int64_t i = rowOffset[t], e = i + widthAt(t); i < e; ++i) {
      int64_t id = taskId(t, i);
      taskbench::dependencies(params, t, i, deps);
      for (taskbench::Interval d : deps)
        for (int64_t j = d.first; j <= d.second; ++j)
          depPoints.push_back(static_cast<int32_t>(j));
      depStart[id + 1] = depPoints.size();
    }
  runCount.reset(new uint32_t[numTasks()]());
  if (config.kernel == KernelType::MemoryBound && config.scratchBytes > 0) {
    scratchStride = (config.scratchBytes + 63) / 64 * 64;
    scratch.reset(alignedZeroed(scratchStride * params.width));
  }
  slotStride = (outputBytes + 63) / 64 * 64;
  slots.reset(alignedZeroed(2 * params.width * slotStride));

  if (injectError) {
    // The producer of the first input of the first task that has one writes
    // a wrong tag; with no inputs anywhere (trivial), task 0 is not counted.
    injectTask = 0;
    for (int64_t id = 0; id < numTasks(); ++id)
      if (numInputs(id) > 0) {
        int64_t t = 0;
        while (rowBase[t + 1] <= id)
          ++t;
        injectTask = taskId(t - 1, *inputsBegin(id));
        break;
      }
  }
}

bool GraphState::hasOutputs() const {
  return params.pattern != taskbench::DependenceType::Trivial;
}

void GraphState::fail(const std::string &message) {
  if (errors.fetch_add(1) == 0) {
    std::lock_guard<std::mutex> lock(errorMutex);
    firstError = message;
  }
}

static inline uint64_t tagWord(int64_t graph, int64_t t) {
  return (static_cast<uint64_t>(graph) << 48) | static_cast<uint64_t>(t);
}

void GraphState::executePoint(int64_t t, int64_t i, uint8_t *output,
                              const uint8_t *const *inputs, int64_t n) {
  const int64_t id = taskId(t, i);
  if (dataless) {
    // Each dependence must have run as often as this task has, plus one.
    const int32_t *expected = inputsBegin(id);
    for (int64_t k = 0, e = numInputs(id); k < e; ++k) {
      int64_t dep = taskId(t - 1, expected[k]);
      if (__atomic_load_n(&runCount[dep], __ATOMIC_ACQUIRE) != runCount[id] + 1)
        fail("task (" + std::to_string(t) + ", " + std::to_string(i) +
             ") of graph " + std::to_string(index) + " ran before (" +
             std::to_string(t - 1) + ", " + std::to_string(expected[k]) + ")");
    }
    if (id != injectTask)
      __atomic_store_n(&runCount[id], runCount[id] + 1, __ATOMIC_RELEASE);
    n = 0;
    output = nullptr;
  } else if (id != injectTask || hasOutputs()) {
    ++runCount[id];
  }

  // Validate: input k must be the output of (t - 1, expected[k]).
  const int64_t expectedCount = dataless ? 0 : numInputs(id);
  if (n != expectedCount) {
    fail("task (" + std::to_string(t) + ", " + std::to_string(i) +
         ") of graph " + std::to_string(index) + " got " + std::to_string(n) +
         " inputs, expected " + std::to_string(expectedCount));
  } else {
    const int32_t *expected = inputsBegin(id);
    const uint64_t want0 = tagWord(index, t - 1);
    for (int64_t k = 0; k < n; ++k) {
      const uint8_t *in = inputs[k];
      for (int64_t off = 0; off + 16 <= outputBytes; off += 16) {
        uint64_t w[2];
        std::memcpy(w, in + off, 16);
        if (w[0] != want0 || w[1] != static_cast<uint64_t>(expected[k])) {
          fail("task (" + std::to_string(t) + ", " + std::to_string(i) +
               ") of graph " + std::to_string(index) + ": input " +
               std::to_string(k) + " holds the output of (" +
               std::to_string(int64_t(w[0] & 0xffffffffffff)) + ", " +
               std::to_string(int64_t(w[1])) + ") of graph " +
               std::to_string(w[0] >> 48) + ", expected (" +
               std::to_string(t - 1) + ", " + std::to_string(expected[k]) +
               ") of graph " + std::to_string(index));
          break;
        }
      }
    }
  }

  switch (config.kernel) {
  case KernelType::Empty:
    break;
  case KernelType::BusyWait:
    busyWait(iterationsNow);
    break;
  case KernelType::ComputeBound:
    computeBound(iterationsNow);
    break;
  case KernelType::MemoryBound:
    if (scratch)
      memoryBound(iterationsNow, scratch.get() + i * scratchStride,
                  config.scratchBytes);
    break;
  }

  if (output) {
    uint64_t w[2] = {tagWord(index, t), static_cast<uint64_t>(i)};
    if (id == injectTask)
      w[1] += 1; // -inject-error: claim to be the neighbour
    for (int64_t off = 0; off + 16 <= outputBytes; off += 16)
      std::memcpy(output + off, w, 16);
  }
}

std::string GraphState::finish(uint64_t executions) {
  if (errors.load())
    return std::to_string(errors.load()) + " validation error(s) in graph " +
           std::to_string(index) + "; the first: " + firstError;
  for (int64_t t = 0; t < params.steps; ++t)
    for (int64_t i = rowOffset[t], e = i + widthAt(t); i < e; ++i)
      if (runCount[taskId(t, i)] != executions)
        return "task (" + std::to_string(t) + ", " + std::to_string(i) +
               ") of graph " + std::to_string(index) + " ran " +
               std::to_string(runCount[taskId(t, i)]) + " times in " +
               std::to_string(executions) + " executions";
  return "";
}

uint64_t GraphState::flops() const {
  if (config.kernel != KernelType::ComputeBound)
    return 0;
  return uint64_t(numTasks()) * 128u * uint64_t(iterationsNow);
}

uint64_t GraphState::bytes() const {
  if (config.kernel != KernelType::MemoryBound)
    return 0;
  return uint64_t(numTasks()) * uint64_t(iterationsNow) *
         uint64_t(config.scratchBytes / 2 * 2);
}

//===----------------------------------------------------------------------===//
// Run helpers
//===----------------------------------------------------------------------===//

std::vector<std::unique_ptr<GraphState>>
tb::makeGraphs(const Options &options) {
  std::vector<std::unique_ptr<GraphState>> graphs;
  for (size_t g = 0; g < options.graphs.size(); ++g)
    graphs.push_back(std::make_unique<GraphState>(
        options.graphs[g], g, options.injectError && g == 0));
  return graphs;
}

static const char *kernelName(KernelType k) {
  switch (k) {
  case KernelType::Empty:
    return "empty";
  case KernelType::BusyWait:
    return "busy_wait";
  case KernelType::ComputeBound:
    return "compute_bound";
  case KernelType::MemoryBound:
    return "memory_bound";
  }
  return "?";
}

void tb::report(const Options &options,
                const std::vector<std::unique_ptr<GraphState>> &graphs,
                double elapsed) {
  uint64_t tasks = 0, deps = 0, flops = 0, bytes = 0;
  for (const auto &g : graphs) {
    tasks += taskbench::countTasks(g->params);
    deps += taskbench::countDependencies(g->params);
    flops += g->flops();
    bytes += g->bytes();
  }
  if (options.verbose) {
    std::printf("Running Task Benchmark\n  Configuration:\n");
    for (const auto &g : graphs)
      std::printf("    Task Graph %" PRId64 ":\n      Time Steps: %" PRId64
                  "\n      Max Width: %" PRId64
                  "\n      Dependence Type: %s\n      Radix: %" PRId64
                  "\n      Period: %" PRId64 "\n      Fraction Connected: %f"
                  "\n      Kernel:\n        Type: %s\n        Iterations: "
                  "%" PRId64 "\n      Output Bytes: %" PRId64
                  "\n      Scratch Bytes: %" PRId64 "\n",
                  g->index + 1, g->params.steps, g->params.width,
                  taskbench::getPatternName(g->params.pattern).str().c_str(),
                  g->params.radix, g->params.period, g->params.fraction,
                  kernelName(g->config.kernel), g->iterations(),
                  g->params.outputBytes, g->config.scratchBytes);
    std::printf("  Workers: %u, timed executions: %u (mean reported), "
                "warm-up: %u\n",
                options.workers, options.replays, options.warmup);
  }
  std::printf("Total Tasks %" PRIu64 "\n", tasks);
  std::printf("Total Dependencies %" PRIu64 "\n", deps);
  std::printf("Total FLOPs %" PRIu64 "\n", flops);
  std::printf("Total Bytes %" PRIu64 "\n", bytes);
  std::printf("Elapsed Time %e seconds\n", elapsed);
  std::printf("FLOP/s %e\n", elapsed > 0 ? flops / elapsed : 0.0);
  std::printf("B/s %e\n", elapsed > 0 ? bytes / elapsed : 0.0);
  std::fflush(stdout);
}

bool tb::finishAll(const char *tool,
                   std::vector<std::unique_ptr<GraphState>> &graphs,
                   uint64_t executions) {
  for (auto &g : graphs) {
    std::string problem = g->finish(executions);
    if (!problem.empty()) {
      std::fprintf(stderr, "%s: validation failed: %s\n", tool,
                   problem.c_str());
      return false;
    }
  }
  return true;
}

double tb::now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int tb::measure(const char *tool, const Options &options,
                std::vector<std::unique_ptr<GraphState>> &graphs,
                const std::function<bool()> &execute) {
  std::vector<int64_t> iters = options.iterList;
  const bool sweep = !iters.empty();
  if (!sweep)
    iters.push_back(-1); // keep each graph's own -iter
  uint64_t executions = 0;
  for (int64_t n : iters) {
    if (sweep) {
      for (auto &g : graphs)
        g->setIterations(n);
      std::printf("Iterations %" PRId64 "\n", n);
    }
    for (unsigned r = 0; r < options.warmup; ++r, ++executions)
      if (!execute())
        return 1;
    double start = now();
    for (unsigned r = 0; r < options.replays; ++r, ++executions)
      if (!execute())
        return 1;
    double elapsed = (now() - start) / options.replays;
    if (!finishAll(tool, graphs, executions))
      return 1;
    report(options, graphs, elapsed);
  }
  return 0;
}

tb::InputPlan tb::makeInputPlan(GraphState &g) {
  InputPlan plan;
  plan.start.assign(g.numTasks() + 1, 0);
  for (int64_t id = 0; id < g.numTasks(); ++id)
    plan.start[id + 1] = plan.start[id] + g.numInputs(id);
  plan.inputs.resize(plan.start.back());
  for (int64_t t = 0; t < g.params.steps; ++t)
    for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
      int64_t id = g.taskId(t, i);
      for (int64_t k = 0; k < g.numInputs(id); ++k)
        plan.inputs[plan.start[id] + k] =
            g.slot((t - 1) % 2, g.inputsBegin(id)[k]);
    }
  return plan;
}
