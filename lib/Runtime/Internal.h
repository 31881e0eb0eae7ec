//===- Internal.h - Private classes of the tgraph runtime -----------------===//
//
// The objects behind the opaque C handles: the runtime (processors, kernel
// registry, event pool, stream backend), events, and graphs (the builder state
// and, once finalized, the frozen replay program). The replay engine itself is
// in Replay.cpp; building and finalizing in Graph.cpp; the C ABI, which
// validates every argument before it reaches these classes, in CApi.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_INTERNAL_H
#define TGRAPH_LIB_RUNTIME_INTERNAL_H

#include "StreamBackend.h"
#include "tgraph/Runtime/tgrt.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

struct tgrt_runtime_impl;
struct tgrt_graph_impl;
struct tgrt_event_impl;

namespace tgraph {
namespace rt {

using Runtime = ::tgrt_runtime_impl;
using Graph = ::tgrt_graph_impl;
using Event = ::tgrt_event_impl;

/// Records `message` as this thread's last error and returns `status`.
tgrt_status setError(tgrt_status status, std::string message);

inline uint64_t nowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// A FIFO on a growable ring buffer: it allocates only when it grows, so a
/// steady stream of push/pop allocates nothing.
template <typename T> class Ring {
public:
  /// Pre-sizes the ring so that pushes up to `n` queued items never allocate.
  void reserve(size_t n) {
    while (buf.size() < n)
      grow();
  }
  bool empty() const { return count == 0; }
  size_t size() const { return count; }
  void push(const T &value) {
    if (count == buf.size())
      grow();
    buf[(head + count) % buf.size()] = value;
    ++count;
  }
  T &front() { return buf[head]; }
  T pop() {
    T value = buf[head];
    head = (head + 1) % buf.size();
    --count;
    return value;
  }
  template <typename Fn> void forEach(Fn fn) const {
    for (size_t i = 0; i < count; ++i)
      fn(buf[(head + i) % buf.size()]);
  }

private:
  void grow() {
    std::vector<T> next(buf.empty() ? 16 : buf.size() * 2);
    for (size_t i = 0; i < count; ++i)
      next[i] = buf[(head + i) % buf.size()];
    buf.swap(next);
    head = 0;
  }
  std::vector<T> buf;
  size_t head = 0, count = 0;
};

struct Kernel {
  std::string name;
  tgrt_kernel_fn fn = nullptr;
  void *userData = nullptr;
  bool gpu = false;
  bool streamOrdered = false;
  bool capturable = false; // TGRT_KERNEL_CAPTURABLE
};

/// A thread that walks static queues: a CPU worker executes its nodes, a
/// stream processor issues its nodes to its stream. Started replays arrive in
/// the inbox in one global order (Runtime::startMu), which is what keeps two
/// graphs replaying at once from deadlocking each other.
struct Processor {
  enum class Kind { Cpu, Stream };
  Runtime *rt = nullptr;
  uint32_t id = 0;
  Kind kind = Kind::Cpu;
  uint32_t index = 0;        // worker index, or gpu index
  uint32_t streamLocal = 0;  // stream within the gpu (copy streams after S)
  uint32_t globalStream = 0; // backend stream id
  bool isCopyStream = false;
  std::string name;

  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> sleeping{false};
  Ring<Graph *> inbox;                // guarded by mu
  std::atomic<uint32_t> inboxSize{0}; // for polling without the lock
  bool stop = false;                  // guarded by mu
  std::thread thread;

  void run();
  /// Wakes the thread if it sleeps (called after making its condition true).
  void wake() {
    if (sleeping.load(std::memory_order_seq_cst)) {
      { std::lock_guard<std::mutex> lock(mu); }
      cv.notify_one();
    }
  }
};

} // namespace rt
} // namespace tgraph

/// A host event: triggered once, then its waiters run. Pooled by the runtime;
/// a handle stays valid while the caller holds its reference.
struct tgrt_event_impl {
  static constexpr uint32_t kMagic = 0x7E5E0E71;
  using WaiterFn = void (*)(void *a, void *b, tgrt_event_impl *event);
  struct Waiter {
    WaiterFn fn;
    void *a;
    void *b;
  };

  uint32_t magic = kMagic;
  tgrt_runtime_impl *rt = nullptr;
  std::atomic<int32_t> refs{0};
  std::atomic<int32_t> state{0}; // 0 pending, 1 ok, 2 failed
  std::mutex mu;
  std::condition_variable cv;
  std::string message;         // set before state becomes 2
  std::vector<Waiter> waiters; // guarded by mu while pending

  /// Triggers the event; returns false if it was already triggered.
  bool trigger(bool failed, const std::string *failure);
  /// Runs `fn` when the event triggers (at once if it has).
  void addWaiter(WaiterFn fn, void *a, void *b);
  /// Waits; returns false on timeout.
  bool wait(const uint64_t *timeoutNs);
  void retain() { refs.fetch_add(1, std::memory_order_relaxed); }
  void release();
};

struct tgrt_runtime_impl {
  static constexpr uint32_t kMagic = 0x7E5E0001;
  using Processor = tgraph::rt::Processor;

  uint32_t magic = kMagic;
  tgrt_config config{};
  std::unique_ptr<tgraph::rt::StreamBackend> backend;
  bool usesCuda = false;
  uint32_t streamsPerGpuTotal = 0; // compute + copy streams per gpu
  std::vector<std::unique_ptr<Processor>> procs;

  std::mutex registryMu;
  std::vector<std::unique_ptr<tgraph::rt::Kernel>> kernels;
  std::unordered_map<std::string, tgraph::rt::Kernel *> kernelsByName;

  std::mutex startMu; // one global order of started replays

  std::mutex idleMu; // graph busy counts; notifies idleCv
  std::condition_variable idleCv;

  std::mutex graphsMu;
  std::unordered_set<tgrt_graph_impl *> graphs;

  std::mutex eventMu;
  std::vector<std::unique_ptr<tgrt_event_impl>> events;
  std::vector<tgrt_event_impl *> freeEvents;

  // Buffer memory handed out by tgrt_mem_alloc: pointer -> (kind, bytes), so
  // that frees and copies can be checked; what is left is freed at destroy.
  std::mutex memMu;
  std::unordered_map<void *, std::pair<int32_t, uint64_t>> allocations;

  tgrt_status init(const tgrt_config &config);
  void shutdown();
  tgrt_event_impl *newEvent(int32_t refs);
  void recycle(tgrt_event_impl *event);
  uint32_t cpuProcId(uint32_t worker) const { return worker; }
  uint32_t streamProcId(uint32_t gpu, uint32_t localStream) const {
    return config.num_cpu_workers + gpu * streamsPerGpuTotal + localStream;
  }
};

/// A graph: built node by node, then finalized into the replay program.
struct tgrt_graph_impl {
  static constexpr uint32_t kMagic = 0x7E5E0002;
  using Processor = tgraph::rt::Processor;

  enum class NodeKind : uint8_t { Task, Copy, Join };
  enum class ExecKind : uint8_t { Cpu, Stream, Inline };
  enum PredMode : uint8_t { PredNone = 0, PredWait = 1, PredGuarded = 2 };

  // --- Builder state.
  struct Arg {
    enum Kind : uint8_t { Imm, Param, Value } kind;
    uint64_t bits; // Imm
    uint32_t a, b; // Param: a = param; Value: a = producer, b = result
  };
  struct BNode {
    NodeKind kind;
    int32_t procKind;
    uint32_t procIndex, stream;
    tgraph::rt::Kernel *kernel = nullptr;
    std::string name;
    std::vector<Arg> args;
    uint32_t numResults = 0;
    std::vector<uint64_t> elseValues;
    // Copies.
    void *dst = nullptr;
    const void *src = nullptr;
    int32_t dstMem = 0, srcMem = 0;
    uint64_t dstOffset = 0, srcOffset = 0, bytes = 0;
    int64_t dstParam = -1, srcParam = -1;
    int64_t pred = -1;
    uint8_t predMode = PredNone;
    int64_t queuePos = -1;   // the compiler's queue position, if given
    int64_t expectDeps = -1; // the compiler's dependency count, if given
  };
  struct BEdge {
    uint32_t pred, succ;
    int32_t kind;
  };
  struct BPred {
    enum Op : uint8_t { Const, From, Not, And, Or } op;
    uint32_t a, b; // Const: a = value; From: a = producer, b = result
  };

  // --- Frozen replay program (after finalize). Hot data first.
  struct XNode {
    NodeKind kind;
    ExecKind exec;
    uint8_t predMode;
    bool needsRecord; // a cross-stream device successor waits on its event
    bool callbackAfter;
    uint32_t proc;
    uint32_t stream;                     // backend stream id
    uint32_t issueBegin, issueEnd;       // succs released when issued
    uint32_t completeBegin, completeEnd; // succs released when complete
    uint32_t localEnd; // [completeEnd, localEnd): same-worker succs, which
                       // need no release (queue order), only poisoning
    uint32_t state;    // index into pending/poison/skipped/issued
    uint32_t waitBegin, waitEnd;         // cross-stream device preds
    uint32_t argBegin, numArgs;
    uint32_t patchBegin, patchEnd;
    uint32_t resultSlot, numResults;
    uint32_t predBegin, predLength;
    uint32_t elseBegin, elseEnd; // into elseWrites
    uint32_t event;              // backend event, if needsRecord
    uint32_t callbackRange;      // if callbackAfter
    tgrt_kernel_fn fn;
    void *userData;
    void *dst;
    const void *src;
    uint64_t dstOffset, srcOffset, bytes;
    int64_t dstParam, srcParam;
    const char *name;
    uint32_t gpu, streamLocal;
  };
  struct Patch {
    uint32_t argIndex; // into argWords
    uint8_t kind;      // Arg::Param or Arg::Value
    uint32_t index;    // param, or value slot
  };
  struct CallbackRange {
    tgrt_graph_impl *graph;
    uint32_t queueBegin, queueEnd; // positions in queueNodes
  };
  struct DeviceBodyArg {
    tgrt_graph_impl *graph;
    uint32_t node;
  };
  struct ReplaySlot {
    std::atomic<int32_t> preRemaining{0};
    bool preFailed = false; // guarded by graph mu
    std::string preMessage; // guarded by graph mu
    std::vector<uint64_t> params;
    tgrt_event_impl *done = nullptr;
    uint64_t index = 0;
    tgrt_graph_impl *graph = nullptr;
    bool deviceGraph = false; // it ran as a device graph (issuer sets it)
  };

  uint32_t magic = kMagic;
  tgrt_runtime_impl *rt = nullptr;
  std::string name;
  bool finalized = false;
  uint32_t numParams = 0;
  std::vector<BNode> bnodes;
  std::vector<BEdge> bedges;
  std::vector<BPred> bpreds;

  std::vector<XNode> nodes;
  /// Successors as state indices (see `nodeOfState`).
  std::vector<uint32_t> succs;
  /// Per-node replay state (counters and flags) is laid out in queue order,
  /// not node order: a node's state index is its position in `queueNodes`
  /// (inline joins follow). So a worker's counters are contiguous, and a
  /// worker waiting on its next counter shares no cache line with another
  /// worker's next counter; a CPU walker's state index is its queue position.
  std::vector<uint32_t> nodeOfState;
  std::vector<uint32_t> crossWaits;
  std::vector<uint64_t> argWords; // rewritten in place by patches
  std::vector<Patch> patches;          // per node: task values (Arg::Value)
  std::vector<Patch> paramPatches;     // every Arg::Param, applied per replay
  std::vector<uint64_t> appliedParams; // the params argWords hold
  bool paramsApplied = false;
  std::vector<tgraph::rt::PredInstr> predProgram; // in shared memory for CUDA
  tgraph::rt::PredInstr *predShared = nullptr;
  std::vector<tgraph::rt::ElseWrite> elseWrites;
  tgraph::rt::ElseWrite *elseShared = nullptr;
  uint64_t *slots = nullptr;     // value arena (shared memory with CUDA)
  int32_t *guardFlags = nullptr; // per node, CUDA guarded mode
  bool sharedFromBackend = false;
  std::vector<int32_t> initialPending; // per state
  std::unique_ptr<std::atomic<int32_t>[]> pending;
  std::unique_ptr<std::atomic<uint8_t>[]> poison;
  std::unique_ptr<std::atomic<uint8_t>[]> skipped;
  std::unique_ptr<std::atomic<uint8_t>[]> issued;
  std::vector<uint32_t> queueNodes;  // per-processor queues, concatenated
  std::vector<uint32_t> queueBegin;  // numProcs + 1
  std::vector<uint32_t> involved;    // processors with a nonempty queue
  std::vector<uint32_t> inlineRoots; // inline nodes with no predecessor
  std::vector<CallbackRange> callbackRanges;
  std::vector<DeviceBodyArg> deviceArgs;
  int32_t finishTarget = 0;
  std::vector<uint32_t> backendEvents;
  std::vector<std::pair<uint32_t, uint32_t>> privateStreams; // (base, own)
  // Device addresses of the shared memory above, looked up once at finalize
  // (not per issue: the lookup is a CUDA call).
  uint64_t *slotsDevice = nullptr;
  const tgraph::rt::PredInstr *predDevice = nullptr;
  const tgraph::rt::ElseWrite *elseDevice = nullptr;
  int32_t *guardFlagsDevice = nullptr;

  // --- Single issuer and device graphs (Replay.cpp, "Single issuer").
  bool singleIssuer = false;      // all-device graph on one GPU
  bool capturable = false;        // ... whose kernels are all capturable
  uint32_t issuerProc = 0;        // the processor that issues everything
  std::vector<uint32_t> issueOrder; // every node, topological
  uint32_t captureOrigin = 0;       // stream the device graph launches on
  // Recording happens on streams private to the graph (a CUDA capture
  // takes in whatever any thread enqueues on a capturing stream, and the
  // compute streams are shared by every graph): recordStreamOf maps each
  // stream of the graph to its private twin; recordOrigin/recordOthers are
  // the twins of captureOrigin and of the graph's other streams.
  std::vector<uint32_t> recordStreamOf;
  uint32_t recordOrigin = 0;
  std::vector<uint32_t> recordOthers;
  // Owned by the issuer thread (replays are serialized):
  void *captured = nullptr;             // backend device graph, if recorded
  std::vector<uint64_t> capturedParams; // the params it was recorded with
  uint32_t replaysWithSameParams = 0;   // since the params last changed
  uint32_t recordedGeneration = 0;      // captureGeneration it belongs to
  // Set by tgrt_graph_set_capture from any thread; the issuer applies them
  // before its next replay.
  std::atomic<bool> captureEnabled{true};
  std::atomic<uint32_t> captureGeneration{0};
  std::atomic<int32_t> lastReplayCaptured{0}; // of the last completed replay

  // --- Replay state.
  std::atomic<int32_t> finish{0};
  ReplaySlot *current = nullptr;
  uint64_t currentIndex = 0;
  std::atomic<bool> failed{false};
  std::mutex failMu;
  std::string failMessage;

  std::mutex mu; // the replay queue
  tgraph::rt::Ring<ReplaySlot *> queued;
  std::vector<std::unique_ptr<ReplaySlot>> slotStorage;
  std::vector<ReplaySlot *> freeSlots;
  bool running = false;
  uint64_t nextReplayIndex = 0;
  int64_t busy = 0; // guarded by rt->idleMu: queued/running replays + walkers

  // --- Tracing.
  bool tracing = false; // changed only while idle
  struct Span {
    uint64_t hostStart, hostEnd, devStart, devEnd;
  };
  std::vector<Span> trace, lastTrace;
  uint64_t traceStart = 0, lastTraceStart = 0;
  bool haveTrace = false;

  // Builder (Graph.cpp).
  tgrt_status checkNode(uint32_t node, const char *what);
  tgrt_status checkProcessor(int32_t kind, uint32_t index, uint32_t stream,
                             bool forCopy);
  tgrt_status finalize();
  /// "'name' (node N)", for messages.
  std::string describe(uint32_t node) const;
  tgrt_status checkGuarded(const std::vector<ExecKind> &exec);
  tgrt_status checkDeviceDeps(const std::vector<ExecKind> &exec,
                              const std::vector<uint32_t> &gpuOf);
  tgrt_status checkExpectedDeps();
  tgrt_status checkQueuePositions(const std::vector<ExecKind> &exec,
                                  const std::vector<uint32_t> &procOf,
                                  uint32_t numProcs,
                                  std::vector<uint32_t> &queues,
                                  std::vector<uint32_t> &begin, bool &given);
  tgrt_status orderTopologically(const std::vector<BEdge> &edges,
                                 std::vector<uint32_t> &order);
  tgrt_status orderWithQueues(const std::vector<BEdge> &edges,
                              const std::vector<uint32_t> &procOf,
                              const std::vector<uint32_t> &queues,
                              const std::vector<uint32_t> &begin,
                              std::vector<uint32_t> &order);
  tgrt_status cycleError(const std::vector<BEdge> &edges,
                         const std::vector<int32_t> &indeg,
                         const std::vector<uint32_t> &queuePrev,
                         const std::vector<uint32_t> &procOf);
  void releaseResources();
  const char *nodeName(uint32_t node) const;

  // Replay (Replay.cpp).
  tgrt_status replay(tgrt_event_impl *const *pre, uint32_t numPre,
                     const uint64_t *params, tgrt_event_impl **outDone);
  void tryStart();
  void startReplay(ReplaySlot *slot);
  void replayDone();
  void walk(Processor &proc);
  void walkerDone();
  void releaseBusy();
  void waitReady(uint32_t state, Processor &proc);
  void executeCpu(uint32_t node);
  void issue(uint32_t node, Processor &proc);
  bool enqueueWork(uint32_t node, uint32_t stream, bool run,
                   std::string &error);
  void issueAll(Processor &proc);
  bool recordDeviceGraph();
  bool launchDeviceGraph();
  void planSingleIssuer();
  static void deviceGraphDone(void *arg);
  void runInline(uint32_t node);
  void satisfy(uint32_t state);
  void signalRange(uint32_t begin, uint32_t end);
  void poisonSuccessors(uint32_t node);
  void writeElse(uint32_t node);
  bool evalPredicate(uint32_t node);
  void prepareArgs(uint32_t node);
  /// Runs a task's kernel; on failure (nonzero), `error` gets the message.
  /// The success path touches no string and no thread-local.
  int32_t runKernel(uint32_t node, void *stream, const int32_t *guard,
                    std::string &error);
  /// Where a host copy reads and writes in the running replay.
  void copyEndpoints(const XNode &x, char *&dst, const char *&src) const;
  void recordFailure(uint32_t node, const std::string &message);
  void recordGraphFailure(const std::string &message);
  void finishOne();
  static void deviceBody(void *arg);
  static void rangeDone(void *arg);
  static void preconditionTriggered(void *graph, void *slot,
                                    tgrt_event_impl *event);
  bool blockedOnPreconditions();
  void waitIdle();
  tgrt_status writeTrace(const char *path);
};

#endif // TGRAPH_LIB_RUNTIME_INTERNAL_H
