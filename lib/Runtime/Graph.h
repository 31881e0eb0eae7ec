//===- Graph.h - A graph: its builder, its program, its replays -----------===//
//
// The object behind a graph handle, cut along what changes when: the
// builder (GraphBuilder.h) while nodes are added, freed at finalize; the
// immutable replay program (ReplayProgram.h) that finalize produces
// (Finalize.cpp); the state one replay changes (ReplayState.h), the
// device-graph recorder (DeviceGraph.h) and the trace. The replay engine
// (Replay.cpp) walks the program; one function, runNode, says what a node
// does wherever it runs.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_GRAPH_H
#define TGRAPH_LIB_RUNTIME_GRAPH_H

#include "DeviceGraph.h"
#include "GraphBuilder.h"
#include "ReplayProgram.h"
#include "ReplayState.h"
#include "Runtime.h"

#include <memory>
#include <string>

struct tgrt_graph_impl {
  using Processor = tgraph::rt::Processor;
  using XNode = tgraph::rt::XNode;

  tgrt_graph_impl(tgrt_runtime_impl *rt, std::string name)
      : rt(rt), name(std::move(name)),
        builder(std::make_unique<tgraph::rt::GraphBuilder>(rt, &this->name)) {}

  uint64_t handle = 0; // what the user holds (Handles.h)
  tgrt_runtime_impl *rt = nullptr;
  std::string name;
  bool finalized = false;

  std::unique_ptr<tgraph::rt::GraphBuilder> builder; // until finalize
  /// Written by finalize only, then read-only: a member rather than behind
  /// a pointer, so the hot path pays no extra load per access.
  tgraph::rt::ReplayProgram program;
  tgraph::rt::SharedMemory shared;
  tgraph::rt::StreamResources resources;
  tgraph::rt::ReplayState st;
  tgraph::rt::DeviceGraphRecorder recorder;
  tgraph::rt::Tracing tracing;

  uint32_t numNodes() const {
    return finalized ? program.numNodes()
                     : static_cast<uint32_t>(builder->nodes.size());
  }
  /// A node id of the graph (built or finalized), for entry point `fn`.
  tgrt_status checkNode(uint32_t node, const char *fn) const;

  // Finalize (Graph.cpp drives the phases of Finalize.cpp).
  tgrt_status finalize();
  void releaseResources();

  // Replay (Replay.cpp).
  tgrt_status replay(tgrt_event_impl *const *pre, uint32_t numPre,
                     const uint64_t *params, tgrt_event_impl **outDone);
  void tryStart();
  void startReplay(tgraph::rt::ReplaySlot *slot);
  void replayDone();
  void walk(Processor &proc);
  void walkerDone();
  void releaseBusy();
  void waitReady(uint32_t state, Processor &proc);

  /// Where runNode is called from: a CPU worker running the node, a stream
  /// processor issuing it, or the (emulated) stream executing it.
  enum class Site { Host, Issue, Device };
  /// What a node does (poisoned: poison its successors, else values; false
  /// predicate: else values, no work; a task; a copy), at `site`. Every
  /// place that runs nodes calls it. False if its work failed (recorded,
  /// successors poisoned).
  template <Site S> bool runNode(uint32_t node, uint32_t stream);
  void executeCpu(uint32_t node);
  void issue(uint32_t node, Processor &proc);
  /// Puts a stream node's work on `stream` (emulated: its device body).
  bool enqueueWork(uint32_t node, uint32_t stream, std::string &error);
  /// Makes `stream` wait for the node's cross-stream device predecessors.
  bool enqueueWaits(uint32_t node, uint32_t stream, std::string &error);
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
  /// Calls the kernel, turning an exception into a failure.
  static int32_t callKernel(const XNode &x, tgrt_task_context &ctx,
                            std::string &error);
  /// Where a host copy reads and writes in the running replay.
  void copyEndpoints(const XNode &x, char *&dst, const char *&src) const;
  void hostCopy(const XNode &x);
  void failNode(uint32_t node, const std::string &message);
  void recordFailure(uint32_t node, const std::string &message);
  void recordGraphFailure(const std::string &message);
  void finishOne();
  static void deviceBody(void *arg);
  static void rangeDone(void *arg);
  static void preconditionTriggered(void *graph, void *slot,
                                    tgrt_event_impl *event);
  bool blockedOnPreconditions();
  void waitIdle();
  /// Waits until idle unless a timed-out replay is stuck (then, or once
  /// one times out while waiting, returns false).
  bool waitIdleUnlessStuck();

  // Time limits (Watchdog.cpp).
  /// Fails the running replay if it is past its deadline (the watchdog).
  /// Returns its completion event (retained; the caller triggers it with
  /// `message`), or null.
  tgrt_event_impl *checkDeadline(uint64_t now, std::string &message);
  /// The tasks whose kernel function is still running, for messages.
  std::string tasksInKernel();
  /// Why the graph cannot be used now (a timed-out replay is stuck), for
  /// entry point `fn`; TGRT_OK when it can.
  tgrt_status checkNotStuck(const char *fn);

  // Single issuer and device graphs (DeviceGraph.cpp).
  void planRecording();
  bool recordNode(uint32_t node, uint32_t stream, std::string &error);
  void issueAll(Processor &proc);
  bool recordDeviceGraph();
  bool launchDeviceGraph();
  static void deviceGraphDone(void *arg);

  // Tracing (Trace.cpp).
  tgrt_status writeTrace(const char *path);
};

#endif // TGRAPH_LIB_RUNTIME_GRAPH_H
