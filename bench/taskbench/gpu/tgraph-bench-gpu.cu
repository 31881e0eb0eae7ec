//===- tgraph-bench-gpu.cu - Task Bench on one GPU ------------------------===//
//
// The GPU version of Task Bench (Slaughter et al., SC20): one Task Bench
// graph (width 8, one point per stream) whose tasks are GPU kernels, run
// three ways with the very same kernel and launch shape:
//  * tgraph: the graph compiled ahead of time (tgraph-gen -gpu -physical |
//    tgraph-opt | mlir-translate | llc, at build time) and replayed by the
//    runtime with stream-ordered kernels (runahead: device dependences are
//    cudaStreamWaitEvent, not host waits),
//  * direct: a host loop launching the tasks in (t, i) order on 8 CUDA
//    streams, with an event record/wait for every cross-stream dependence,
//  * cudagraph: that exact launch sequence captured once into a CUDA graph.
// For each -iters value it reports Task Bench's lines, then a table with the
// task granularity (elapsed x 8 streams / tasks), efficiency against the best
// FLOP/s of the run and METG(50%) per system.
//
// Every task is one <<<1, 32>>> kernel that checks the tags of its inputs,
// runs the kernel's FMA loop and writes its own tag. The dependences come
// from `tgraph-gen -print-deps` (written next to the executable at build
// time), the same generator function the compiled graph was built from.
// Without a GPU, tgraph runs on emulated streams with a CPU body of the task
// (so the driver and its validation are tested anywhere); direct and
// cudagraph are skipped.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

//===----------------------------------------------------------------------===//
// The ahead-of-time compiled graphs.
//===----------------------------------------------------------------------===//

extern "C" {
tgrt_graph tgraph_instantiate_tb_trivial(tgrt_runtime runtime);
tgrt_graph tgraph_instantiate_tb_stencil_1d(tgrt_runtime runtime);
tgrt_graph tgraph_instantiate_tb_nearest(tgrt_runtime runtime);
tgrt_graph tgraph_instantiate_tb_spread(tgrt_runtime runtime);
}

namespace {

const char *const kTool = "tgraph-bench-gpu";

struct Pattern {
  const char *name;
  tgrt_graph (*instantiate)(tgrt_runtime);
};
const Pattern kPatterns[] = {
    {"trivial", tgraph_instantiate_tb_trivial},
    {"stencil_1d", tgraph_instantiate_tb_stencil_1d},
    {"nearest", tgraph_instantiate_tb_nearest},
    {"spread", tgraph_instantiate_tb_spread},
};

/// The "cores" of the granularity: compute streams, one point each.
constexpr int kStreams = 8;
/// Threads of one task: one warp.
constexpr int kLanes = 32;
/// compute_bound: independent FMA chains per thread (each iteration is one
/// FMA per chain, i.e. 2 FLOPs per chain).
constexpr int kChains = 16;
constexpr uint64_t kFlopsPerIteration = uint64_t(kLanes) * kChains * 2;
/// Exit code for "cannot run here" (ctest SKIP_RETURN_CODE).
constexpr int kSkipCode = 77;

#define CUDA_CHECK(expr)                                                       \
  do {                                                                         \
    cudaError_t err_ = (expr);                                                 \
    if (err_ != cudaSuccess) {                                                 \
      std::fprintf(stderr, "%s: %s failed: %s (%s:%d)\n", kTool, #expr,        \
                   cudaGetErrorString(err_), __FILE__, __LINE__);              \
      std::exit(1);                                                            \
    }                                                                          \
  } while (0)

#define TGRT_CHECK(expr)                                                       \
  do {                                                                         \
    tgrt_status st_ = (expr);                                                  \
    if (st_ != TGRT_OK) {                                                      \
      std::fprintf(stderr, "%s: %s failed: %s: %s\n", kTool, #expr,            \
                   tgrt_status_string(st_), tgrt_last_error());                \
      std::exit(1);                                                            \
    }                                                                          \
  } while (0)

//===----------------------------------------------------------------------===//
// Command line.
//===----------------------------------------------------------------------===//

enum class System { Tgraph, TgraphIssue, Direct, CudaGraph };
const char *systemName(System s) {
  switch (s) {
  case System::Tgraph:
    return "tgraph";
  case System::TgraphIssue:
    return "tgraph-issue";
  case System::Direct:
    return "direct";
  case System::CudaGraph:
    return "cudagraph";
  }
  return "?";
}

struct Options {
  const Pattern *pattern = &kPatterns[1];
  bool computeBound = true;
  std::vector<int64_t> iters{65536, 16384, 4096, 1024, 256, 64, 16, 4, 1};
  int64_t replays = 5;
  int64_t warmup = 1;
  std::vector<System> systems{System::Tgraph, System::TgraphIssue,
                              System::Direct, System::CudaGraph};
  std::string depsDir; ///< empty: the executable's directory
  bool injectError = false;
  bool emulated = false;   ///< act as if there were no GPU
  bool requireGpu = false; ///< exit 77 without one
};

void usage() {
  std::printf(
      "usage: %s [flags]\n"
      "  -type P            trivial | stencil_1d (default) | nearest | "
      "spread\n"
      "                     (width 8, compiled ahead of time; nearest and "
      "spread: radix 5)\n"
      "  -kernel K          compute_bound (default) | empty\n"
      "  -iters A,B,...     kernel iterations, one measurement each "
      "(default\n"
      "                     65536,16384,4096,1024,256,64,16,4,1)\n"
      "  -replays N         timed executions per measurement, mean reported "
      "(5)\n"
      "  -warmup N          untimed executions before them (1)\n"
      "  -system S          tgraph | tgraph-issue | direct | cudagraph | all\n"
      "                     (default all; tgraph-issue: tgraph without device\n"
      "                     graphs, every task issued on every replay)\n"
      "  -deps-dir DIR      where tb_<P>.deps is (default: the executable's "
      "folder)\n"
      "  -emulated          run as if there were no GPU (tgraph on emulated "
      "streams,\n"
      "                     direct and cudagraph skipped)\n"
      "  -require-gpu       exit %d (\"no CUDA GPU present\") without a GPU\n"
      "  -inject-error      one task writes a wrong tag: validation must fail "
      "(exit 1)\n"
      "  -help\n"
      "compute_bound: each task is <<<1, 32>>>; every thread runs %d "
      "independent\n"
      "double FMA chains, %llu FLOPs per task and iteration in all.\n",
      kTool, kSkipCode, kChains,
      static_cast<unsigned long long>(kFlopsPerIteration));
}

bool parseInt(const char *flag, const char *text, int64_t min, int64_t &out) {
  char *end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (end == text || *end || v < min) {
    std::fprintf(stderr, "%s: %s expects an integer >= %lld, got '%s'\n", kTool,
                 flag, static_cast<long long>(min), text);
    return false;
  }
  out = v;
  return true;
}

bool parseOptions(int argc, char **argv, Options &o) {
  for (int a = 1; a < argc; ++a) {
    std::string flag = argv[a];
    if (flag.size() > 2 && flag[0] == '-' && flag[1] == '-')
      flag.erase(0, 1);
    if (flag == "-help" || flag == "-h") {
      usage();
      std::exit(0);
    }
    if (flag == "-inject-error") {
      o.injectError = true;
      continue;
    }
    if (flag == "-emulated") {
      o.emulated = true;
      continue;
    }
    if (flag == "-require-gpu") {
      o.requireGpu = true;
      continue;
    }
    if (a + 1 >= argc) {
      std::fprintf(stderr, "%s: unknown flag or missing value: %s (-help)\n",
                   kTool, argv[a]);
      return false;
    }
    const char *value = argv[++a];
    if (flag == "-type") {
      o.pattern = nullptr;
      for (const Pattern &p : kPatterns)
        if (!std::strcmp(p.name, value))
          o.pattern = &p;
      if (!o.pattern) {
        std::fprintf(stderr,
                     "%s: -type %s is not compiled in; expected trivial, "
                     "stencil_1d, nearest or spread\n",
                     kTool, value);
        return false;
      }
    } else if (flag == "-kernel") {
      if (!std::strcmp(value, "empty")) {
        o.computeBound = false;
      } else if (!std::strcmp(value, "compute_bound")) {
        o.computeBound = true;
      } else {
        std::fprintf(stderr,
                     "%s: -kernel %s: expected empty or compute_bound\n", kTool,
                     value);
        return false;
      }
    } else if (flag == "-iters") {
      o.iters.clear();
      std::string list = value;
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos)
          comma = list.size();
        int64_t v;
        if (!parseInt("-iters", list.substr(start, comma - start).c_str(), 0,
                      v))
          return false;
        o.iters.push_back(v);
        start = comma + 1;
      }
    } else if (flag == "-replays") {
      if (!parseInt("-replays", value, 1, o.replays))
        return false;
    } else if (flag == "-warmup") {
      if (!parseInt("-warmup", value, 0, o.warmup))
        return false;
    } else if (flag == "-system") {
      if (!std::strcmp(value, "all"))
        o.systems = {System::Tgraph, System::TgraphIssue, System::Direct,
                     System::CudaGraph};
      else if (!std::strcmp(value, "tgraph"))
        o.systems = {System::Tgraph};
      else if (!std::strcmp(value, "tgraph-issue"))
        o.systems = {System::TgraphIssue};
      else if (!std::strcmp(value, "direct"))
        o.systems = {System::Direct};
      else if (!std::strcmp(value, "cudagraph"))
        o.systems = {System::CudaGraph};
      else {
        std::fprintf(stderr,
                     "%s: -system %s: expected tgraph, tgraph-issue, direct, "
                     "cudagraph or all\n",
                     kTool, value);
        return false;
      }
    } else if (flag == "-deps-dir") {
      o.depsDir = value;
    } else {
      std::fprintf(stderr, "%s: unknown flag %s (-help)\n", kTool, argv[a - 1]);
      return false;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The dependence table (from tgraph-gen -print-deps).
//===----------------------------------------------------------------------===//

/// Tasks numbered densely in (t, i) order; each task's inputs as the task
/// numbers of the points of row t - 1 it reads (CSR).
struct DepTable {
  std::vector<int32_t> rowBase;   ///< first task of row t; back() = tasks
  std::vector<int32_t> rowOffset; ///< first point of row t
  std::vector<int32_t> taskT, taskI;
  std::vector<int32_t> depStart; ///< task id -> first input in `inputs`
  std::vector<int32_t> inputs;   ///< input task ids
  int64_t width = 0;             ///< widest row
  int64_t reportedDeps = 0;

  int32_t numTasks() const { return rowBase.back(); }
  int32_t steps() const { return static_cast<int32_t>(rowOffset.size()); }
  /// Task id of (t, i), or -1 outside the table.
  int32_t id(int64_t t, int64_t i) const {
    if (t < 0 || t >= steps())
      return -1;
    int64_t k = i - rowOffset[t];
    if (k < 0 || k >= rowBase[t + 1] - rowBase[t])
      return -1;
    return static_cast<int32_t>(rowBase[t] + k);
  }
};

std::string executableDir() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0)
    return ".";
  path[n] = 0;
  char *slash = std::strrchr(path, '/');
  if (!slash)
    return ".";
  *slash = 0;
  return path;
}

bool loadDeps(const std::string &path, DepTable &d) {
  std::FILE *f = std::fopen(path.c_str(), "r");
  if (!f) {
    std::fprintf(stderr,
                 "%s: cannot read the dependence table %s (written at build "
                 "time by tgraph-gen -print-deps; see -deps-dir)\n",
                 kTool, path.c_str());
    return false;
  }
  // Lines `t i: [lo, hi] [lo, hi] ...` in (t, i) order, then the totals.
  std::vector<std::vector<std::pair<int64_t, int64_t>>> intervals;
  char line[1 << 14];
  bool ok = true;
  int64_t reportedTasks = -1;
  while (ok && std::fgets(line, sizeof line, f)) {
    long long a = 0, b = 0;
    if (std::sscanf(line, "Total Tasks %lld", &a) == 1) {
      reportedTasks = a;
      continue;
    }
    if (std::sscanf(line, "Total Dependencies %lld", &a) == 1) {
      d.reportedDeps = a;
      continue;
    }
    int used = 0;
    if (std::sscanf(line, "%lld %lld:%n", &a, &b, &used) != 2) {
      ok = false;
      break;
    }
    int64_t t = a, i = b;
    if (t == d.steps()) { // a new row
      d.rowOffset.push_back(static_cast<int32_t>(i));
      d.rowBase.push_back(static_cast<int32_t>(d.taskT.size()));
    } else if (t != d.steps() - 1 ||
               i != d.rowOffset[t] +
                        (static_cast<int64_t>(d.taskT.size()) - d.rowBase[t])) {
      ok = false; // not in (t, i) order
      break;
    }
    d.taskT.push_back(static_cast<int32_t>(t));
    d.taskI.push_back(static_cast<int32_t>(i));
    intervals.emplace_back();
    const char *p = line + used;
    long long lo, hi;
    int n = 0;
    while (std::sscanf(p, " [%lld, %lld]%n", &lo, &hi, &n) == 2) {
      intervals.back().push_back({lo, hi});
      p += n;
    }
  }
  std::fclose(f);
  d.rowBase.push_back(static_cast<int32_t>(d.taskT.size()));
  if (!ok || d.taskT.empty() || reportedTasks != d.numTasks()) {
    std::fprintf(stderr, "%s: %s is not a tgraph-gen -print-deps listing\n",
                 kTool, path.c_str());
    return false;
  }
  for (int32_t t = 0; t < d.steps(); ++t)
    d.width = std::max<int64_t>(d.width, d.rowBase[t + 1] - d.rowBase[t]);
  d.depStart.push_back(0);
  for (int32_t id = 0; id < d.numTasks(); ++id) {
    for (auto [lo, hi] : intervals[id])
      for (int64_t j = lo; j <= hi; ++j) {
        int32_t input = d.id(d.taskT[id] - 1, j);
        if (input < 0) {
          std::fprintf(stderr,
                       "%s: %s: task (%d, %d) reads (%d, %lld), "
                       "which is not a task\n",
                       kTool, path.c_str(), d.taskT[id], d.taskI[id],
                       d.taskT[id] - 1, static_cast<long long>(j));
          return false;
        }
        d.inputs.push_back(input);
      }
    d.depStart.push_back(static_cast<int32_t>(d.inputs.size()));
  }
  if (static_cast<int64_t>(d.inputs.size()) != d.reportedDeps) {
    std::fprintf(stderr, "%s: %s: %zu dependences listed, totals say %lld\n",
                 kTool, path.c_str(), d.inputs.size(),
                 static_cast<long long>(d.reportedDeps));
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The task.
//===----------------------------------------------------------------------===//

/// What every task reads and writes; device pointers on a GPU, host
/// pointers on emulated streams. Passed by value to each launch.
///
/// Tags: task `id` writes tags[id] = tag(id, n) on its n-th run. A reader in
/// its own n-th run expects tag(j, n) of each input j: an input that has not
/// run yet in this execution still holds tag(j, n - 1). One slot per task,
/// not Task Bench's double buffering: the physical graph has only the RAW
/// edges (no slots, so no anti-dependences), and patterns such as spread
/// let (t + 1, j) overwrite a double-buffered slot that (t, i) has yet to
/// read without any ordering between them. runs[id] counts the runs.
struct TaskArgs {
  uint64_t *tags;
  uint32_t *runs;
  unsigned long long *errors; ///< mismatched input tags
  const int32_t *depStart;
  const int32_t *inputs;
  double *sink; ///< written only if the FMA result is a magic value
  int64_t iterations;
  int32_t injectTask; ///< writes a wrong tag (-inject-error), or -1
};

// The FMA loops are unrolled on the device only (the host body is a test
// fallback; GCC does not know nvcc's pragma).
#ifdef __CUDA_ARCH__
#define TB_UNROLL _Pragma("unroll")
#define TB_NO_UNROLL _Pragma("unroll 1")
#else
#define TB_UNROLL
#define TB_NO_UNROLL
#endif

__host__ __device__ inline uint64_t tagOf(int32_t id, uint32_t run) {
  return (static_cast<uint64_t>(run) << 32) | static_cast<uint32_t>(id);
}

/// compute_bound for one thread: kChains independent FMA chains (so the
/// loop is throughput-bound, not latency-bound), iterations FMAs each.
/// Converges (|m| < 1): no inf/NaN whatever the iteration count.
__host__ __device__ inline double computeLane(int lane, int64_t iterations) {
  double x[kChains];
  TB_UNROLL
  for (int k = 0; k < kChains; ++k)
    x[k] = lane + k;
  const double m = 0.9999999, c = 1e-7;
  TB_NO_UNROLL
  for (int64_t it = 0; it < iterations; ++it) {
    TB_UNROLL
    for (int k = 0; k < kChains; ++k)
      x[k] = fma(x[k], m, c);
  }
  double sum = 0;
  TB_UNROLL
  for (int k = 0; k < kChains; ++k)
    sum += x[k];
  return sum;
}

__global__ void taskKernel(TaskArgs a, int32_t id, const int32_t *guard) {
  if (guard && !*guard)
    return;
  const int lane = threadIdx.x;
  const uint32_t run = a.runs[id] + 1;
  // (a) inputs: one lane per input point.
  for (int32_t k = a.depStart[id] + lane; k < a.depStart[id + 1]; k += kLanes) {
    int32_t j = a.inputs[k];
    if (a.tags[j] != tagOf(j, run))
      atomicAdd(a.errors, 1ull);
  }
  // (b) the kernel.
  if (a.iterations > 0) {
    double r = computeLane(lane, a.iterations);
    if (r == -1.0) // never true; keeps the loop alive
      a.sink[lane] = r;
  }
  // (c) the output, after every lane has read runs[id].
  __syncwarp();
  if (lane == 0) {
    a.runs[id] = run;
    a.tags[id] = tagOf(id, run) + (id == a.injectTask ? 1 : 0);
  }
}

/// The same task on the host, for emulated streams: the 32 lanes in turn.
void taskOnHost(const TaskArgs &a, int32_t id) {
  const uint32_t run = a.runs[id] + 1;
  for (int32_t k = a.depStart[id]; k < a.depStart[id + 1]; ++k) {
    int32_t j = a.inputs[k];
    if (__atomic_load_n(&a.tags[j], __ATOMIC_ACQUIRE) != tagOf(j, run))
      __atomic_fetch_add(a.errors, 1ull, __ATOMIC_RELAXED);
  }
  if (a.iterations > 0)
    for (int lane = 0; lane < kLanes; ++lane) {
      double r = computeLane(lane, a.iterations);
      if (r == -1.0)
        a.sink[lane] = r;
    }
  a.runs[id] = run;
  __atomic_store_n(&a.tags[id], tagOf(id, run) + (id == a.injectTask ? 1 : 0),
                   __ATOMIC_RELEASE);
}

//===----------------------------------------------------------------------===//
// State shared by the systems.
//===----------------------------------------------------------------------===//

struct Bench {
  const Options &options;
  DepTable deps;
  bool gpu = false; ///< device memory and real streams
  TaskArgs args{};  ///< args.iterations = the measurement's
  /// Host copies for validation.
  std::vector<uint64_t> hostTags;
  std::vector<uint32_t> hostRuns;

  explicit Bench(const Options &options) : options(options) {}

  template <typename T> T *alloc(size_t n) {
    void *p = nullptr;
    if (gpu) {
      CUDA_CHECK(cudaMalloc(&p, n * sizeof(T)));
    } else {
      p = std::calloc(n, sizeof(T));
      if (!p) {
        std::fprintf(stderr, "%s: out of memory\n", kTool);
        std::exit(1);
      }
    }
    return static_cast<T *>(p);
  }
  void upload(void *dst, const void *src, size_t bytes) {
    if (gpu)
      CUDA_CHECK(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice));
    else
      std::memcpy(dst, src, bytes);
  }
  void download(void *dst, const void *src, size_t bytes) {
    if (gpu)
      CUDA_CHECK(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost));
    else
      std::memcpy(dst, src, bytes);
  }

  void setUp() {
    size_t tasks = deps.numTasks();
    args.tags = alloc<uint64_t>(tasks);
    args.runs = alloc<uint32_t>(tasks);
    args.errors = alloc<unsigned long long>(1);
    int32_t *depStart = alloc<int32_t>(deps.depStart.size());
    int32_t *inputs = alloc<int32_t>(std::max<size_t>(1, deps.inputs.size()));
    upload(depStart, deps.depStart.data(),
           deps.depStart.size() * sizeof(int32_t));
    upload(inputs, deps.inputs.data(), deps.inputs.size() * sizeof(int32_t));
    args.depStart = depStart;
    args.inputs = inputs;
    args.sink = alloc<double>(kLanes);
    // Injected: a task of the second-to-last row (its readers, if any, see
    // the wrong tag; the end-of-run check of every tag sees it anyway).
    args.injectTask = -1;
    if (options.injectError) {
      int32_t t = std::max(0, deps.steps() - 2);
      args.injectTask = (deps.rowBase[t] + deps.rowBase[t + 1]) / 2;
    }
    hostTags.resize(tasks);
    hostRuns.resize(tasks);
  }

  /// Zero tags, run counts and errors (before each system).
  void reset() {
    size_t tasks = deps.numTasks();
    if (gpu) {
      CUDA_CHECK(cudaMemset(args.tags, 0, tasks * sizeof(uint64_t)));
      CUDA_CHECK(cudaMemset(args.runs, 0, tasks * sizeof(uint32_t)));
      CUDA_CHECK(cudaMemset(args.errors, 0, sizeof(unsigned long long)));
      CUDA_CHECK(cudaDeviceSynchronize());
    } else {
      std::memset(args.tags, 0, tasks * sizeof(uint64_t));
      std::memset(args.runs, 0, tasks * sizeof(uint32_t));
      *args.errors = 0;
    }
  }

  /// After `executions` executions since reset(): no wrong input tag, every
  /// task ran exactly that often and holds its last tag.
  bool validate(System system, uint32_t executions) {
    size_t tasks = deps.numTasks();
    unsigned long long errors = 0;
    download(&errors, args.errors, sizeof errors);
    download(hostTags.data(), args.tags, tasks * sizeof(uint64_t));
    download(hostRuns.data(), args.runs, tasks * sizeof(uint32_t));
    const char *what = nullptr;
    int32_t bad = -1;
    for (int32_t id = 0; id < static_cast<int32_t>(tasks) && !what; ++id) {
      if (hostRuns[id] != executions)
        what = "ran a wrong number of times";
      else if (hostTags[id] != tagOf(id, executions))
        what = "left a wrong tag";
      if (what)
        bad = id;
    }
    if (!errors && !what)
      return true;
    std::fprintf(stderr, "%s: %s: validation failed:", kTool,
                 systemName(system));
    if (errors)
      std::fprintf(stderr,
                   " %llu input tags were wrong (a dependence was not "
                   "honoured);",
                   errors);
    if (what)
      std::fprintf(stderr, " task (%d, %d) %s (runs %u, expected %u)",
                   deps.taskT[bad], deps.taskI[bad], what, hostRuns[bad],
                   executions);
    std::fprintf(stderr, "\n");
    return false;
  }
};

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

//===----------------------------------------------------------------------===//
// The systems.
//===----------------------------------------------------------------------===//

/// One way of running the graph. prepare() once per iteration count (not
/// timed), execute() once per execution: everything enqueued and waited for.
class Runner {
public:
  virtual ~Runner() = default;
  virtual bool prepare() = 0;
  virtual bool execute() = 0;
  /// How the last execution was issued, for the report (tgraph only).
  virtual const char *issueMode() { return nullptr; }
};

/// The task as a tgraph GPU kernel: ctx->args are (t, i).
int32_t launchTb(tgrt_task_context *ctx) {
  Bench &b = *static_cast<Bench *>(ctx->user_data);
  int32_t id = ctx->num_args == 2
                   ? b.deps.id(static_cast<int64_t>(ctx->args[0]),
                               static_cast<int64_t>(ctx->args[1]))
                   : -1;
  if (id < 0) {
    tgrt_task_set_error(ctx, "task (t, i) is not in the dependence table: "
                             "the .deps file and the compiled graph differ");
    return 1;
  }
  if (!b.gpu) {
    taskOnHost(b.args, id);
    return 0;
  }
  taskKernel<<<1, kLanes, 0, static_cast<cudaStream_t>(ctx->stream)>>>(
      b.args, id, ctx->guard_device);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    tgrt_task_set_error(ctx, cudaGetErrorString(err));
    return 1;
  }
  return 0;
}

class TgraphRunner : public Runner {
public:
  /// `capture`: the kernel is registered capturable, so the runtime
  /// records the graph into a CUDA graph (system tgraph); otherwise it
  /// issues every task on every replay (tgraph-issue).
  TgraphRunner(Bench &b, bool capture) : b(b), capture(capture) {
    tgrt_config c;
    TGRT_CHECK(tgrt_config_init(&c));
    c.num_cpu_workers = 1;
    c.num_gpus = 1;
    c.streams_per_gpu = kStreams;
    c.copy_streams_per_gpu = 1;
    c.stream_mode = b.gpu ? TGRT_STREAMS_CUDA : TGRT_STREAMS_EMULATED;
    TGRT_CHECK(tgrt_runtime_create(&c, &rt));
    TGRT_CHECK(tgrt_register_gpu_kernel(
        rt, "tb", launchTb, &b,
        TGRT_KERNEL_STREAM_ORDERED | (capture ? TGRT_KERNEL_CAPTURABLE : 0)));
    graph = b.options.pattern->instantiate(rt);
    if (!graph) {
      std::fprintf(stderr, "%s: cannot instantiate tb_%s: %s\n", kTool,
                   b.options.pattern->name, tgrt_last_error());
      std::exit(1);
    }
  }
  ~TgraphRunner() override { tgrt_runtime_destroy(rt); }

  /// The iteration count changed, and launchTb passes it by value: drop a
  /// recording made with the old one.
  bool prepare() override {
    return tgrt_graph_set_capture(graph, capture ? 1 : 0) == TGRT_OK;
  }
  bool execute() override {
    tgrt_event done = nullptr;
    if (tgrt_graph_replay(graph, nullptr, 0, nullptr, 0, &done) != TGRT_OK) {
      std::fprintf(stderr, "%s: tgrt_graph_replay: %s\n", kTool,
                   tgrt_last_error());
      return false;
    }
    tgrt_status st = tgrt_event_wait(done);
    if (st != TGRT_OK)
      std::fprintf(stderr, "%s: replay failed: %s\n", kTool, tgrt_last_error());
    tgrt_event_release(done);
    return st == TGRT_OK;
  }
  const char *issueMode() override {
    int32_t recorded = 0;
    tgrt_graph_last_replay_captured(graph, &recorded);
    return recorded ? "device graph" : "per task";
  }

private:
  Bench &b;
  bool capture;
  tgrt_runtime rt = nullptr;
  tgrt_graph graph = nullptr;
};

/// The launch sequence of direct and cudagraph, built once: task `id` on
/// stream (i % 8); it waits for the events of its inputs on other streams
/// (per stream only the last one issued: stream order covers the rest);
/// tasks that someone waits for record their event.
struct LaunchPlan {
  std::vector<int32_t> stream;
  std::vector<int32_t> waitStart, waits;
  std::vector<uint8_t> record;

  explicit LaunchPlan(const DepTable &d) {
    int32_t tasks = d.numTasks();
    stream.resize(tasks);
    record.assign(tasks, 0);
    for (int32_t id = 0; id < tasks; ++id)
      stream[id] = d.taskI[id] % kStreams;
    waitStart.push_back(0);
    for (int32_t id = 0; id < tasks; ++id) {
      int32_t last[kStreams];
      std::fill(last, last + kStreams, -1);
      for (int32_t k = d.depStart[id]; k < d.depStart[id + 1]; ++k) {
        int32_t j = d.inputs[k];
        if (stream[j] != stream[id])
          last[stream[j]] = std::max(last[stream[j]], j);
      }
      for (int32_t s = 0; s < kStreams; ++s)
        if (last[s] >= 0) {
          waits.push_back(last[s]);
          record[last[s]] = 1;
        }
      waitStart.push_back(static_cast<int32_t>(waits.size()));
    }
  }
};

class StreamRunner : public Runner {
public:
  StreamRunner(Bench &b, bool captureGraph)
      : b(b), plan(b.deps), captureGraph(captureGraph) {
    for (cudaStream_t &s : streams)
      CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    events.resize(b.deps.numTasks());
    for (cudaEvent_t &e : events)
      CUDA_CHECK(cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
    for (cudaEvent_t &e : forkJoin)
      CUDA_CHECK(cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
  }
  ~StreamRunner() override {
    destroyGraph();
    for (cudaEvent_t e : events)
      cudaEventDestroy(e);
    for (cudaEvent_t e : forkJoin)
      cudaEventDestroy(e);
    for (cudaStream_t s : streams)
      cudaStreamDestroy(s);
  }

  /// cudagraph: captures the direct sequence with this iteration count.
  bool prepare() override {
    if (!captureGraph)
      return true;
    destroyGraph();
    cudaStream_t origin = streams[0];
    CUDA_CHECK(
        cudaStreamBeginCapture(origin, cudaStreamCaptureModeThreadLocal));
    // Fork every stream from the origin, enqueue, join them back.
    CUDA_CHECK(cudaEventRecord(forkJoin[0], origin));
    for (int s = 1; s < kStreams; ++s)
      CUDA_CHECK(cudaStreamWaitEvent(streams[s], forkJoin[0], 0));
    enqueue();
    for (int s = 1; s < kStreams; ++s) {
      CUDA_CHECK(cudaEventRecord(forkJoin[s], streams[s]));
      CUDA_CHECK(cudaStreamWaitEvent(origin, forkJoin[s], 0));
    }
    CUDA_CHECK(cudaStreamEndCapture(origin, &graph));
    CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
    CUDA_CHECK(cudaGraphUpload(exec, origin));
    CUDA_CHECK(cudaStreamSynchronize(origin));
    return true;
  }

  bool execute() override {
    if (captureGraph) {
      CUDA_CHECK(cudaGraphLaunch(exec, streams[0]));
      CUDA_CHECK(cudaStreamSynchronize(streams[0]));
      return true;
    }
    enqueue();
    for (cudaStream_t s : streams)
      CUDA_CHECK(cudaStreamSynchronize(s));
    return true;
  }

private:
  void enqueue() {
    const TaskArgs args = b.args;
    const int32_t tasks = b.deps.numTasks();
    for (int32_t id = 0; id < tasks; ++id) {
      cudaStream_t s = streams[plan.stream[id]];
      for (int32_t k = plan.waitStart[id]; k < plan.waitStart[id + 1]; ++k)
        CUDA_CHECK(cudaStreamWaitEvent(s, events[plan.waits[k]], 0));
      taskKernel<<<1, kLanes, 0, s>>>(args, id, nullptr);
      CUDA_CHECK(cudaGetLastError());
      if (plan.record[id])
        CUDA_CHECK(cudaEventRecord(events[id], s));
    }
  }

  void destroyGraph() {
    if (exec)
      cudaGraphExecDestroy(exec);
    if (graph)
      cudaGraphDestroy(graph);
    exec = nullptr;
    graph = nullptr;
  }

  Bench &b;
  LaunchPlan plan;
  bool captureGraph;
  cudaStream_t streams[kStreams] = {};
  std::vector<cudaEvent_t> events;
  cudaEvent_t forkJoin[kStreams] = {};
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
};

//===----------------------------------------------------------------------===//
// Measurement and report.
//===----------------------------------------------------------------------===//

struct Point {
  System system;
  int64_t iterations;
  double elapsed; ///< mean seconds per execution
  uint64_t flops; ///< per execution
};

void reportPoint(const Bench &b, const Point &p) {
  const DepTable &d = b.deps;
  std::printf("System %s\n", systemName(p.system));
  std::printf("Pattern %s\n", b.options.pattern->name);
  std::printf("Kernel %s\n",
              b.options.computeBound ? "compute_bound" : "empty");
  std::printf("Iterations %lld\n", static_cast<long long>(p.iterations));
  std::printf("Total Tasks %d\n", d.numTasks());
  std::printf("Total Dependencies %lld\n",
              static_cast<long long>(d.reportedDeps));
  std::printf("Total FLOPs %llu\n", static_cast<unsigned long long>(p.flops));
  std::printf("Total Bytes 0\n");
  std::printf("Elapsed Time %e seconds\n", p.elapsed);
  std::printf("FLOP/s %e\n", p.elapsed > 0 ? p.flops / p.elapsed : 0.0);
  std::printf("B/s 0.000000e+00\n");
  std::printf("Makespan per task %e seconds\n\n", p.elapsed / d.numTasks());
  std::fflush(stdout);
}

/// Runs one system over every -iters value. Returns false on a failed
/// execution or validation.
bool measureSystem(Bench &b, System system, Runner &runner,
                   std::vector<Point> &points) {
  const Options &o = b.options;
  b.reset();
  uint32_t executions = 0;
  for (int64_t iters : o.iters) {
    b.args.iterations = o.computeBound ? iters : 0;
    if (!runner.prepare())
      return false;
    for (int64_t k = 0; k < o.warmup; ++k, ++executions)
      if (!runner.execute())
        return false;
    double start = now();
    for (int64_t k = 0; k < o.replays; ++k)
      if (!runner.execute())
        return false;
    double elapsed = (now() - start) / o.replays;
    executions += static_cast<uint32_t>(o.replays);
    if (!b.validate(system, executions))
      return false;
    Point p{system, iters, elapsed,
            static_cast<uint64_t>(b.deps.numTasks()) *
                static_cast<uint64_t>(b.args.iterations) * kFlopsPerIteration};
    reportPoint(b, p);
    if (const char *mode = runner.issueMode())
      std::printf("Issue %s\n\n", mode);
    points.push_back(p);
  }
  return true;
}

std::string formatTime(double seconds) {
  char buf[32];
  if (seconds < 1e-6)
    std::snprintf(buf, sizeof buf, "%.0f ns", seconds * 1e9);
  else if (seconds < 1e-3)
    std::snprintf(buf, sizeof buf, "%.2f us", seconds * 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.2f ms", seconds * 1e3);
  return buf;
}

/// Task granularity: elapsed x cores / tasks, the 8 streams being the cores.
double granularity(const Bench &b, const Point &p) {
  return p.elapsed * kStreams / b.deps.numTasks();
}

/// METG(50%) as bench/taskbench/metg.py computes it: scanning from the
/// largest granularity down, linear interpolation between the last point at
/// or above 50% efficiency and the first below it.
std::string metg(const Bench &b, std::vector<Point> pts, double peak) {
  if (pts.empty() || peak <= 0)
    return "n/a";
  std::sort(pts.begin(), pts.end(), [](const Point &x, const Point &y) {
    return x.iterations > y.iterations;
  });
  auto eff = [&](const Point &p) {
    return p.elapsed > 0 ? p.flops / p.elapsed / peak : 0.0;
  };
  if (eff(pts[0]) < 0.5)
    return "never reaches 50%";
  for (size_t k = 1; k < pts.size(); ++k) {
    if (eff(pts[k]) >= 0.5)
      continue;
    double g0 = granularity(b, pts[k - 1]), e0 = eff(pts[k - 1]);
    double g1 = granularity(b, pts[k]), e1 = eff(pts[k]);
    if (e0 == e1)
      return formatTime(g0);
    return formatTime(g1 + (0.5 - e1) * (g0 - g1) / (e0 - e1));
  }
  return "<= " + formatTime(granularity(b, pts.back()));
}

void summarize(const Bench &b, const std::vector<Point> &points) {
  double peak = 0;
  for (const Point &p : points)
    if (p.elapsed > 0)
      peak = std::max(peak, p.flops / p.elapsed);
  std::printf("Summary: %s, %s, %d tasks (width %lld, %d steps), %d streams, "
              "%lld timed executions after %lld warm-up\n",
              b.options.pattern->name,
              b.options.computeBound ? "compute_bound" : "empty",
              b.deps.numTasks(), static_cast<long long>(b.deps.width),
              b.deps.steps(), kStreams,
              static_cast<long long>(b.options.replays),
              static_cast<long long>(b.options.warmup));
  if (peak > 0)
    std::printf("Peak FLOP/s (best of any system in this run): %.4g\n", peak);
  else
    std::printf("Peak FLOP/s: none (no FLOPs; efficiency and METG n/a)\n");
  std::printf("%-12s %8s %12s %12s %12s %12s %8s\n", "system", "iters",
              "elapsed", "per task", "granularity", "FLOP/s", "eff");
  for (const Point &p : points) {
    char eff[16] = "n/a";
    if (peak > 0)
      std::snprintf(eff, sizeof eff, "%.1f%%",
                    100 * p.flops / p.elapsed / peak);
    std::printf("%-12s %8lld %12s %12s %12s %12.4g %8s\n", systemName(p.system),
                static_cast<long long>(p.iterations),
                formatTime(p.elapsed).c_str(),
                formatTime(p.elapsed / b.deps.numTasks()).c_str(),
                formatTime(granularity(b, p)).c_str(),
                p.elapsed > 0 ? p.flops / p.elapsed : 0.0, eff);
  }
  for (System s : b.options.systems) {
    std::vector<Point> mine;
    for (const Point &p : points)
      if (p.system == s)
        mine.push_back(p);
    if (mine.empty())
      continue;
    std::printf("METG(50%%) %-12s %s\n", systemName(s),
                metg(b, mine, peak).c_str());
  }
  if (!b.options.computeBound)
    for (System s : b.options.systems) {
      double best = -1;
      for (const Point &p : points)
        if (p.system == s && (best < 0 || p.elapsed < best))
          best = p.elapsed;
      if (best >= 0)
        std::printf("Makespan per task %-12s %s\n", systemName(s),
                    formatTime(best / b.deps.numTasks()).c_str());
    }
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  if (!parseOptions(argc, argv, options))
    return 2;
  Bench b(options);
  std::string dir = options.depsDir.empty() ? executableDir() : options.depsDir;
  if (!loadDeps(dir + "/tb_" + options.pattern->name + ".deps", b.deps))
    return 2;

  b.gpu = !options.emulated && tgrt_cuda_device_count() > 0;
  if (!b.gpu && options.requireGpu) {
    std::printf("%s: no CUDA GPU present\n", kTool);
    return kSkipCode;
  }
  if (b.gpu) {
    cudaDeviceProp prop;
    CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
    std::printf("Device %s (%d SMs)\n", prop.name, prop.multiProcessorCount);
  } else {
    std::printf("Device none: tgraph on emulated streams, task bodies on the "
                "CPU\n");
  }
  std::printf("\n");
  b.setUp();

  std::vector<Point> points;
  for (System s : options.systems) {
    const bool tgraph = s == System::Tgraph || s == System::TgraphIssue;
    if (!tgraph && !b.gpu) {
      std::printf("%s: skipped: no CUDA GPU present\n\n", systemName(s));
      continue;
    }
    std::unique_ptr<Runner> runner;
    if (tgraph)
      runner = std::make_unique<TgraphRunner>(b, s == System::Tgraph);
    else
      runner = std::make_unique<StreamRunner>(b, s == System::CudaGraph);
    if (!measureSystem(b, s, *runner, points))
      return 1;
  }
  summarize(b, points);
  return 0;
}
