//===- ReplayState.h - What one replay of a graph changes -----------------===//
//
// The mutable side of a finalized graph, apart from its frozen program: the
// per-node counters and flags reset at the start of each replay, the patched
// argument words, the value slots and guard flags (memory the device may
// read), the finish counter and failure of the replay running, and the queue
// of replays waiting to start. Taskflow's topology.hpp plays this role. Its
// arrays are sized once at finalize, so a replay allocates nothing.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_REPLAYSTATE_H
#define TGRAPH_LIB_RUNTIME_REPLAYSTATE_H

#include "StreamBackend.h"
#include "Support.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct tgrt_graph_impl;
struct tgrt_event_impl;

namespace tgraph {
namespace rt {

/// One replay asked for by tgrt_graph_replay, from the call until it has
/// completed; pooled per graph.
struct ReplaySlot {
  std::atomic<int32_t> preRemaining{0};
  bool preFailed = false; // guarded by ReplayState::mu
  std::string preMessage; // guarded by ReplayState::mu
  std::vector<uint64_t> params;
  tgrt_event_impl *done = nullptr;
  uint64_t index = 0;
  tgrt_graph_impl *graph = nullptr;
  bool deviceGraph = false; // it ran as a device graph (issuer sets it)
};

/// Memory shared with the device (with CUDA: mapped pinned memory): the
/// value arena and guard flags that replays write, and the predicate
/// programs and else values the guard kernel reads. Allocated at finalize.
struct SharedMemory {
  uint64_t *slots = nullptr;     // value arena
  int32_t *guardFlags = nullptr; // per node, CUDA guarded mode
  PredInstr *predShared = nullptr;
  ElseWrite *elseShared = nullptr;
  bool fromBackend = false;
  // Device addresses of the above, looked up once at finalize (not per
  // issue: the lookup is a CUDA call).
  uint64_t *slotsDevice = nullptr;
  const PredInstr *predDevice = nullptr;
  const ElseWrite *elseDevice = nullptr;
  int32_t *guardFlagsDevice = nullptr;
};

/// Backend objects a finalized graph holds until it is destroyed.
struct StreamResources {
  std::vector<uint32_t> backendEvents;
  std::vector<std::pair<uint32_t, uint32_t>> privateStreams; // (base, own)
};

struct ReplayState {
  // --- Per node, by state index; reset when a replay starts.
  std::unique_ptr<std::atomic<int32_t>[]> pending;
  std::unique_ptr<std::atomic<uint8_t>[]> poison;
  std::unique_ptr<std::atomic<uint8_t>[]> skipped;
  std::unique_ptr<std::atomic<uint8_t>[]> issued;
  /// 1 while the node's kernel function runs; written only when the replay
  /// has a time limit (`watching`), for the timeout's message.
  std::unique_ptr<std::atomic<uint8_t>[]> inKernel;

  // --- Argument words: the program's, with parameters and task values
  // patched in (replays are serialized, so one copy suffices).
  std::vector<uint64_t> argWords;
  std::vector<uint64_t> appliedParams; // the params argWords hold
  bool paramsApplied = false;
  uint32_t replaysWithSameParams = 0; // since the params last changed

  // --- The replay running.
  std::atomic<int32_t> finish{0};
  ReplaySlot *current = nullptr;
  uint64_t currentIndex = 0;
  std::atomic<bool> failed{false};
  std::mutex failMu;
  std::string failMessage;

  // --- The time limit (tgrt_graph_set_replay_timeout; Watchdog.cpp).
  std::atomic<uint64_t> timeoutNs{0}; // 0: none
  bool watching = false;              // the running replay has a limit
  std::mutex timeoutMu;               // deadline, timedOut vs replayDone
  uint64_t deadline = 0;              // guarded by timeoutMu; 0: none
  std::atomic<bool> timedOut{false};  // the running replay timed out
  std::string timeoutMessage;         // guarded by timeoutMu

  // --- The replays waiting to start.
  std::mutex mu;
  Ring<ReplaySlot *> queued;
  std::vector<std::unique_ptr<ReplaySlot>> slotStorage;
  std::vector<ReplaySlot *> freeSlots;
  bool running = false;
  uint64_t nextReplayIndex = 0;
  int64_t busy = 0; // guarded by rt->idleMu: queued/running replays + walkers

  /// Sizes the per-node arrays for `n` nodes (finalize).
  void allocate(uint32_t n) {
    const uint32_t size = n > 0 ? n : 1;
    pending.reset(new std::atomic<int32_t>[size]);
    poison.reset(new std::atomic<uint8_t>[size]);
    skipped.reset(new std::atomic<uint8_t>[size]);
    issued.reset(new std::atomic<uint8_t>[size]);
    inKernel.reset(new std::atomic<uint8_t>[size]);
    for (uint32_t i = 0; i < size; ++i) {
      inKernel[i].store(0, std::memory_order_relaxed);
      pending[i].store(0, std::memory_order_relaxed);
      poison[i].store(0, std::memory_order_relaxed);
      skipped[i].store(0, std::memory_order_relaxed);
      issued[i].store(0, std::memory_order_relaxed);
    }
  }
};

/// Host and device spans of each node, for tgrt_graph_write_trace.
struct Tracing {
  struct Span {
    uint64_t hostStart, hostEnd, devStart, devEnd;
  };
  bool enabled = false; // changed only while idle
  std::vector<Span> spans, lastSpans;
  uint64_t start = 0, lastStart = 0;
  bool haveLast = false;
};

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_REPLAYSTATE_H
