//===- Runtime.h - The runtime, its processors, kernels and events --------===//
//
// The objects behind the runtime and event handles: the processors (a CPU
// worker, or the issuer thread of a stream) that walk the static queues of
// started replays, the kernel registry, the pooled host events, and the
// stream backend. Graphs are in Graph.h.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_RUNTIME_H
#define TGRAPH_LIB_RUNTIME_RUNTIME_H

#include "StreamBackend.h"
#include "Support.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

struct tgrt_runtime_impl;
struct tgrt_graph_impl;
struct tgrt_event_impl;

namespace tgraph {
namespace rt {

using Runtime = ::tgrt_runtime_impl;
using Graph = ::tgrt_graph_impl;
using Event = ::tgrt_event_impl;

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
      {
        std::lock_guard<std::mutex> lock(mu);
      }
      cv.notify_one();
    }
  }
};

} // namespace rt
} // namespace tgraph

/// A host event: triggered once, then its waiters run. Pooled by the runtime.
/// `handle` (HandleTable::events(), Handles.h) is renewed each time the
/// pool hands the event out, and retired when the user releases it: the
/// user's handle is live exactly while the user holds its reference.
struct tgrt_event_impl {
  using WaiterFn = void (*)(void *a, void *b, tgrt_event_impl *event);
  struct Waiter {
    WaiterFn fn;
    void *a;
    void *b;
  };

  uint64_t handle = 0; // set by newEvent before the event is handed out
  tgrt_runtime_impl *rt = nullptr;
  std::atomic<int32_t> refs{0};
  std::atomic<int32_t> state{0}; // 0 pending, 1 ok, 2 failed
  // Made by tgrt_event_create: only such events may be triggered by the
  // caller (a replay's completion is the runtime's to trigger).
  bool user = false;
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
  using Processor = tgraph::rt::Processor;

  uint64_t handle = 0; // HandleTable::runtimes() (Handles.h)
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

  // The watchdog (Watchdog.cpp): a thread started by the first
  // tgrt_graph_set_replay_timeout; it fails replays past their deadline.
  std::mutex watchMu;
  std::condition_variable watchCv;
  std::vector<tgrt_graph_impl *> watched; // guarded by watchMu
  bool watchStop = false;                 // guarded by watchMu
  std::thread watchThread;

  std::mutex eventMu;
  std::vector<std::unique_ptr<tgrt_event_impl>> events;
  std::vector<tgrt_event_impl *> freeEvents;

  // Buffer memory handed out by tgrt_mem_alloc: pointer -> (kind, bytes), so
  // that frees and copies can be checked; what is left is freed at destroy.
  std::mutex memMu;
  std::unordered_map<void *, std::pair<int32_t, uint64_t>> allocations;

  tgrt_status init(const tgrt_config &config);
  void shutdown();
  /// An event from the pool with `refs` references and a fresh handle.
  tgrt_event_impl *newEvent(int32_t refs);
  void recycle(tgrt_event_impl *event);
  /// Puts `g` under the watchdog (idempotent; starts it the first time).
  void watch(tgrt_graph_impl *g);
  /// Takes `g` off the watchdog; it no longer touches `g` afterwards.
  void unwatch(tgrt_graph_impl *g);
  void watchdogLoop();
  void stopWatchdog();
  uint32_t cpuProcId(uint32_t worker) const { return worker; }
  uint32_t streamProcId(uint32_t gpu, uint32_t localStream) const {
    return config.num_cpu_workers + gpu * streamsPerGpuTotal + localStream;
  }
};

#endif // TGRAPH_LIB_RUNTIME_RUNTIME_H
