//===- Replay.cpp - The replay engine -------------------------------------===//
//
// Replays a finalized graph. Each processor walks its static queue in
// topological order and waits (spin, then sleep) until the counter of the
// next node reaches zero: there is no dynamic scheduling. A CPU worker runs
// the node; a stream processor issues it to its stream and releases the
// node's device successors at once (runahead), its other successors when a
// completion callback runs on the stream. One atomic finish counter per
// replay; the thread that brings it to zero triggers the completion event
// and starts the next queued replay.
//
// Ordering rule between replays of one graph: replay k+1 starts (resets the
// counters and fills the inboxes) only after replay k has completed, host and
// device work included, and after its own preconditions have triggered. So
// replays never interleave and a replay never sees state of the previous one.
//
// Nothing here allocates per task or per replay once the pools are warm
// (replay slots, inbox rings, events); the allocation test checks it.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <cstring>

using namespace tgraph::rt;

namespace {
/// The message a kernel attached with tgrt_task_set_error; the kernel's
/// context then points at it (ctx->internal), so the success path of
/// runKernel reads no thread-local.
thread_local std::string tlsTaskError;
/// Set while this thread starts a replay of the graph: a completion inside
/// that start (a graph of joins only) defers the next start to the loop in
/// tryStart instead of recursing once per queued replay.
thread_local tgrt_graph_impl *tlsStarting = nullptr;
thread_local bool tlsRestart = false;
} // namespace

extern "C" void tgrt_task_set_error(tgrt_task_context *ctx,
                                    const char *message) {
  if (!ctx)
    return;
  tlsTaskError = message ? message : "";
  ctx->internal = &tlsTaskError;
}

//===----------------------------------------------------------------------===//
// Queueing and starting replays
//===----------------------------------------------------------------------===//

tgrt_status tgrt_graph_impl::replay(tgrt_event_impl *const *pre,
                                    uint32_t numPre, const uint64_t *params,
                                    tgrt_event_impl **outDone) {
  ReplaySlot *slot;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (freeSlots.empty()) {
      slotStorage.push_back(std::make_unique<ReplaySlot>());
      freeSlots.reserve(slotStorage.size());
      slot = slotStorage.back().get();
      slot->graph = this;
    } else {
      slot = freeSlots.back();
      freeSlots.pop_back();
    }
    slot->index = nextReplayIndex++;
    slot->preFailed = false;
    slot->preMessage.clear();
    slot->params.assign(params, params + numParams);
    // One hold for each precondition and one for this call, so the slot
    // cannot start before every waiter is registered.
    slot->preRemaining.store(static_cast<int32_t>(numPre) + 1,
                             std::memory_order_relaxed);
    slot->done = rt->newEvent(outDone ? 2 : 1);
    queued.push(slot);
  }
  if (outDone)
    *outDone = slot->done;
  {
    std::lock_guard<std::mutex> lock(rt->idleMu);
    ++busy;
  }
  for (uint32_t i = 0; i < numPre; ++i) {
    pre[i]->retain();
    pre[i]->addWaiter(&preconditionTriggered, this, slot);
  }
  if (slot->preRemaining.fetch_sub(1, std::memory_order_acq_rel) == 1)
    tryStart();
  return TGRT_OK;
}

void tgrt_graph_impl::preconditionTriggered(void *graphPtr, void *slotPtr,
                                            tgrt_event_impl *event) {
  auto *graph = static_cast<tgrt_graph_impl *>(graphPtr);
  auto *slot = static_cast<ReplaySlot *>(slotPtr);
  if (event->state.load(std::memory_order_acquire) == 2) {
    std::lock_guard<std::mutex> lock(graph->mu);
    if (!slot->preFailed) {
      slot->preFailed = true;
      slot->preMessage = "a precondition failed: " + event->message;
    }
  }
  event->release();
  if (slot->preRemaining.fetch_sub(1, std::memory_order_acq_rel) == 1)
    graph->tryStart();
}

void tgrt_graph_impl::tryStart() {
  for (;;) {
    ReplaySlot *slot;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (running || queued.empty() ||
          queued.front()->preRemaining.load(std::memory_order_acquire) != 0)
        return;
      running = true;
      slot = queued.pop();
    }
    tgrt_graph_impl *saved = tlsStarting;
    tlsStarting = this;
    tlsRestart = false;
    startReplay(slot);
    tlsStarting = saved;
    if (!tlsRestart)
      return;
  }
}

void tgrt_graph_impl::startReplay(ReplaySlot *slot) {
  const uint32_t n = static_cast<uint32_t>(nodes.size());
  current = slot;
  currentIndex = slot->index;
  const uint8_t poisonAll = slot->preFailed ? 1 : 0;
  // Parameters change argument words of many tasks but rarely change
  // between replays: patch them here, once, and only when they differ, not
  // per task on the hot path. (Replays are serialized, so no task reads
  // argWords now; assign() reuses the capacity: no allocation.)
  if (!paramsApplied || slot->params != appliedParams) {
    for (const Patch &p : paramPatches)
      argWords[p.argIndex] = slot->params[p.index];
    appliedParams.assign(slot->params.begin(), slot->params.end());
    paramsApplied = true;
    replaysWithSameParams = 0;
  } else if (replaysWithSameParams < UINT32_MAX) {
    ++replaysWithSameParams;
  }
  slot->deviceGraph = false;
  for (uint32_t i = 0; i < n; ++i) {
    pending[i].store(initialPending[i], std::memory_order_relaxed);
    poison[i].store(poisonAll, std::memory_order_relaxed);
    skipped[i].store(0, std::memory_order_relaxed);
    issued[i].store(0, std::memory_order_relaxed);
  }
  failed.store(poisonAll != 0, std::memory_order_relaxed);
  if (poisonAll) {
    std::lock_guard<std::mutex> lock(failMu);
    failMessage = slot->preMessage;
  }
  finish.store(finishTarget, std::memory_order_relaxed);
  if (tracing) {
    for (Span &s : trace)
      s = Span{};
    traceStart = nowNs();
  }
  if (finishTarget == 0) { // an empty graph
    replayDone();
    return;
  }
  if (!involved.empty()) {
    // A single-issuer graph is walked by one processor (issueAll).
    const uint32_t *walkers = singleIssuer ? &issuerProc : involved.data();
    const uint32_t numWalkers =
        singleIssuer ? 1 : static_cast<uint32_t>(involved.size());
    {
      std::lock_guard<std::mutex> lock(rt->idleMu);
      busy += numWalkers;
    }
    // One global order of started replays in every inbox (see Processor).
    std::lock_guard<std::mutex> order(rt->startMu);
    for (uint32_t i = 0; i < numWalkers; ++i) {
      Processor &proc = *rt->procs[walkers[i]];
      {
        std::lock_guard<std::mutex> lock(proc.mu);
        proc.inbox.push(this);
        proc.inboxSize.store(static_cast<uint32_t>(proc.inbox.size()),
                             std::memory_order_release);
      }
      proc.cv.notify_one();
    }
  }
  for (uint32_t root : inlineRoots)
    runInline(root);
}

void tgrt_graph_impl::replayDone() {
  ReplaySlot *slot = current;
  tgrt_event_impl *done = slot->done;
  slot->done = nullptr;
  if (tracing) {
    lastTrace = trace; // same size: no allocation
    lastTraceStart = traceStart;
    haveTrace = true;
  }
  lastReplayCaptured.store(slot->deviceGraph ? 1 : 0,
                           std::memory_order_release);
  bool isFailed = failed.load(std::memory_order_acquire);
  std::string message;
  if (isFailed) {
    std::lock_guard<std::mutex> lock(failMu);
    message = failMessage;
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    running = false;
    freeSlots.push_back(slot);
  }
  done->trigger(isFailed, &message);
  done->release();
  if (tlsStarting == this)
    tlsRestart = true; // tryStart's loop on this thread starts the next
  else
    tryStart();
  releaseBusy();
}

void tgrt_graph_impl::walkerDone() { releaseBusy(); }

void tgrt_graph_impl::releaseBusy() {
  // Once `busy` drops under the lock, the graph may be destroyed: touch only
  // the runtime afterwards.
  tgrt_runtime_impl *r = rt;
  {
    std::lock_guard<std::mutex> lock(r->idleMu);
    --busy;
  }
  r->idleCv.notify_all();
}

bool tgrt_graph_impl::blockedOnPreconditions() {
  std::lock_guard<std::mutex> lock(mu);
  bool blocked = false;
  queued.forEach([&](ReplaySlot *s) {
    if (s->preRemaining.load(std::memory_order_acquire) != 0)
      blocked = true;
  });
  return blocked;
}

void tgrt_graph_impl::waitIdle() {
  std::unique_lock<std::mutex> lock(rt->idleMu);
  rt->idleCv.wait(lock, [&] { return busy == 0; });
}

//===----------------------------------------------------------------------===//
// The hot path
//===----------------------------------------------------------------------===//

void tgrt_graph_impl::waitReady(uint32_t state, Processor &proc) {
  std::atomic<int32_t> &counter = pending[state];
  if (counter.load(std::memory_order_acquire) == 0)
    return;
  // Spin briefly, then yield (on an oversubscribed machine the thread we
  // wait for may need this core), then sleep: no unbounded spinning.
  const uint32_t spins = rt->config.spin_iterations;
  for (uint32_t i = 0; i < spins; ++i) {
    if (i < 256)
      cpuRelax();
    else
      std::this_thread::yield();
    if (counter.load(std::memory_order_acquire) == 0)
      return;
  }
  // Sleep. The flag and the counter are both seq_cst, as are the decrement
  // and the flag check in satisfy(), so either we see zero or the releaser
  // sees the flag and wakes us.
  std::unique_lock<std::mutex> lock(proc.mu);
  proc.sleeping.store(true, std::memory_order_seq_cst);
  while (counter.load(std::memory_order_seq_cst) != 0)
    proc.cv.wait(lock);
  proc.sleeping.store(false, std::memory_order_relaxed);
}

void tgrt_graph_impl::satisfy(uint32_t state) {
  if (pending[state].fetch_sub(1, std::memory_order_seq_cst) != 1)
    return;
  const uint32_t node = nodeOfState[state];
  const XNode &x = nodes[node];
  if (x.exec == ExecKind::Inline)
    runInline(node);
  else
    rt->procs[x.proc]->wake();
}

void tgrt_graph_impl::signalRange(uint32_t begin, uint32_t end) {
  const uint32_t *s = succs.data();
  for (uint32_t i = begin; i < end; ++i)
    satisfy(s[i]);
}

void tgrt_graph_impl::poisonSuccessors(uint32_t node) {
  const XNode &x = nodes[node];
  for (uint32_t i = x.issueBegin; i < x.localEnd; ++i)
    poison[succs[i]].store(1, std::memory_order_relaxed);
}

void tgrt_graph_impl::writeElse(uint32_t node) {
  const XNode &x = nodes[node];
  for (uint32_t i = x.elseBegin; i < x.elseEnd; ++i)
    __atomic_store_n(&slots[elseWrites[i].slot], elseWrites[i].bits,
                     __ATOMIC_RELAXED);
  skipped[x.state].store(1, std::memory_order_relaxed);
}

bool tgrt_graph_impl::evalPredicate(uint32_t node) {
  const XNode &x = nodes[node];
  bool value = false;
  // Programs are checked at finalize; a malformed one reads as false.
  evalPredProgram(predProgram.data() + x.predBegin, x.predLength, slots, value);
  return value;
}

void tgrt_graph_impl::prepareArgs(uint32_t node) {
  const XNode &x = nodes[node];
  for (uint32_t i = x.patchBegin; i < x.patchEnd; ++i) {
    const Patch &p = patches[i]; // task values only; params: startReplay
    argWords[p.argIndex] = __atomic_load_n(&slots[p.index], __ATOMIC_RELAXED);
  }
}

int32_t tgrt_graph_impl::runKernel(uint32_t node, void *stream,
                                   const int32_t *guard, std::string &error) {
  const XNode &x = nodes[node];
  prepareArgs(node);
  tgrt_task_context ctx; // every field set: the kernel sees no stale word
  ctx.args = argWords.data() + x.argBegin;
  ctx.num_args = x.numArgs;
  ctx.num_results = x.numResults;
  ctx.results = slots + x.resultSlot;
  ctx.results_device = slotsDevice + x.resultSlot;
  ctx.stream = stream;
  ctx.guard_device = guard;
  ctx.user_data = x.userData;
  ctx.task_name = x.name;
  ctx.replay_index = currentIndex;
  ctx.processor = x.exec == ExecKind::Cpu ? x.proc : x.gpu;
  ctx.stream_index = x.streamLocal;
  ctx.internal = nullptr;
  int32_t rc = x.fn(&ctx);
  if (__builtin_expect(rc != 0, 0))
    error = ctx.internal ? tlsTaskError : "kernel returned " + std::to_string(rc);
  return rc;
}

void tgrt_graph_impl::recordFailure(uint32_t node, const std::string &message) {
  recordGraphFailure("task '" + std::string(nodes[node].name) + "' (node " +
                     std::to_string(node) + ") failed: " + message);
}

void tgrt_graph_impl::recordGraphFailure(const std::string &message) {
  std::lock_guard<std::mutex> lock(failMu);
  if (!failed.load(std::memory_order_relaxed)) {
    failMessage = message;
    failed.store(true, std::memory_order_release);
  }
}

void tgrt_graph_impl::finishOne() {
  if (finish.fetch_sub(1, std::memory_order_acq_rel) == 1)
    replayDone();
}

void tgrt_graph_impl::walk(Processor &proc) {
  if (singleIssuer)
    return issueAll(proc);
  // A queued node's state index is its queue position.
  const uint32_t begin = queueBegin[proc.id], end = queueBegin[proc.id + 1];
  const uint32_t *q = queueNodes.data();
  if (proc.kind == Processor::Kind::Cpu) {
    for (uint32_t pos = begin; pos != end; ++pos) {
      waitReady(pos, proc);
      executeCpu(q[pos]);
    }
    finishOne(); // the walker stays counted in `busy`, so `this` stays alive
    return;
  }
  for (uint32_t pos = begin; pos != end; ++pos) {
    waitReady(pos, proc);
    issue(q[pos], proc);
  }
}

void tgrt_graph_impl::copyEndpoints(const XNode &x, char *&dst,
                                    const char *&src) const {
  dst = static_cast<char *>(
      x.dstParam >= 0 ? reinterpret_cast<void *>(current->params[x.dstParam])
                      : x.dst);
  src = static_cast<const char *>(
      x.srcParam >= 0
          ? reinterpret_cast<const void *>(current->params[x.srcParam])
          : x.src);
}

void tgrt_graph_impl::executeCpu(uint32_t node) {
  const XNode &x = nodes[node];
  const bool traced = tracing;
  if (traced)
    trace[node].hostStart = nowNs();
  if (poison[x.state].load(std::memory_order_relaxed)) {
    writeElse(node);
    poisonSuccessors(node);
  } else if (x.predMode != PredNone && !evalPredicate(node)) {
    writeElse(node);
  } else if (x.kind == NodeKind::Task) {
    std::string error; // empty: no allocation unless the kernel fails
    if (runKernel(node, nullptr, nullptr, error) != 0) {
      recordFailure(node, error);
      writeElse(node); // a failed task's values are its else values
      poisonSuccessors(node);
    }
  } else { // a host copy
    char *dst;
    const char *src;
    copyEndpoints(x, dst, src);
    if (x.bytes)
      std::memmove(dst + x.dstOffset, src + x.srcOffset, x.bytes);
  }
  if (traced)
    trace[node].hostEnd = nowNs();
  issued[x.state].store(1, std::memory_order_release);
  signalRange(x.issueBegin, x.completeEnd);
}

void tgrt_graph_impl::runInline(uint32_t node) {
  const XNode &x = nodes[node];
  if (tracing)
    trace[node].hostStart = trace[node].hostEnd = nowNs();
  if (poison[x.state].load(std::memory_order_relaxed))
    poisonSuccessors(node);
  issued[x.state].store(1, std::memory_order_release);
  signalRange(x.issueBegin, x.completeEnd);
  finishOne();
}

//===----------------------------------------------------------------------===//
// Issuing to streams
//===----------------------------------------------------------------------===//

void tgrt_graph_impl::issue(uint32_t node, Processor &proc) {
  const XNode &x = nodes[node];
  StreamBackend &backend = *rt->backend;
  const bool traced = tracing;
  if (traced)
    trace[node].hostStart = nowNs();
  backend.bindThread(x.stream);

  const bool poisoned = poison[x.state].load(std::memory_order_relaxed) != 0;
  bool run = !poisoned;
  if (poisoned) {
    writeElse(node);
    poisonSuccessors(node);
  } else if (x.predMode == PredWait && !evalPredicate(node)) {
    writeElse(node); // skipped: its event still follows its dependences
    run = false;
  }
  std::string error;
  if (!enqueueWork(node, x.stream, run, error)) {
    recordFailure(node, error);
    writeElse(node);
    poisonSuccessors(node);
    // Its (poisoned) successors on other streams still wait on its event:
    // record it now, so that they do not wait on an older record (with
    // CUDA, perhaps one made inside a device-graph recording, which a
    // normal stream may not wait on).
    std::string ignored;
    if (x.needsRecord)
      backend.recordEvent(x.stream, x.event, ignored);
  }
  if (traced)
    trace[node].hostEnd = nowNs();
  issued[x.state].store(1, std::memory_order_release);
  // Release device successors now: they may be issued before we run. (A
  // single issuer issues them next anyway, in topological order: their
  // counters would only wake idle stream threads.)
  if (!singleIssuer)
    signalRange(x.issueBegin, x.issueEnd);
  if (x.callbackAfter) {
    CallbackRange *range = &callbackRanges[x.callbackRange];
    if (backend.enqueueHostFn(x.stream, &rangeDone, range, error) != TGRT_OK) {
      // Without a callback the replay could never finish: wait here instead.
      recordFailure(node, error);
      poisonSuccessors(node);
      backend.synchronize();
      rangeDone(range);
    }
  }
  (void)proc;
}

/// What a node puts on `stream` (its own, or its twin while recording):
/// waits for its cross-stream device predecessors, its work (unless `run`
/// is false), and the record of its event for cross-stream successors.
/// Stops at the first error.
bool tgrt_graph_impl::enqueueWork(uint32_t node, uint32_t stream, bool run,
                                  std::string &error) {
  const XNode &x = nodes[node];
  StreamBackend &backend = *rt->backend;
  // The predecessor was issued (its event recorded) before it released us,
  // so the wait sees that record.
  for (uint32_t i = x.waitBegin; i < x.waitEnd; ++i)
    if (backend.waitEvent(stream, nodes[crossWaits[i]].event, error) !=
        TGRT_OK)
      return false;

  if (run) {
    if (backend.isEmulated()) {
      // The body runs on the emulated stream, where it checks poison and
      // guards at execution time, like device code would.
      if (backend.enqueueHostFn(stream, &deviceBody, &deviceArgs[node],
                                error) != TGRT_OK)
        return false;
    } else if (x.kind == NodeKind::Task) {
      const int32_t *guard = nullptr;
      if (x.predMode == PredGuarded) {
        GuardLaunch launch;
        launch.program = predDevice + x.predBegin;
        launch.length = x.predLength;
        launch.elses = elseDevice + x.elseBegin;
        launch.numElses = x.elseEnd - x.elseBegin;
        launch.slots = slotsDevice;
        launch.flag = guardFlagsDevice + node;
        guard = launch.flag;
        if (backend.enqueueGuard(stream, launch, error) != TGRT_OK)
          return false;
      }
      if (runKernel(node, backend.nativeStream(stream), guard, error) != 0)
        return false;
    } else {
      char *dst;
      const char *src;
      copyEndpoints(x, dst, src);
      if (x.bytes &&
          backend.enqueueCopy(stream, dst + x.dstOffset, src + x.srcOffset,
                              x.bytes, error) != TGRT_OK)
        return false;
    }
  }
  return !x.needsRecord ||
         backend.recordEvent(stream, x.event, error) == TGRT_OK;
}

//===----------------------------------------------------------------------===//
// Single issuer and device graphs
//===----------------------------------------------------------------------===//
//
// An all-device graph on one GPU (planSingleIssuer) is issued by one thread,
// the issuer of its first node, in topological order: every dependence is a
// device dependence, released when its predecessor is issued, so that thread
// never waits and no hand-off between issuer threads is paid per edge. When
// every kernel is capturable, the second replay with the same parameters
// records this issue into a device graph, and each later replay with those
// parameters is one launch of it plus one completion callback.

void tgrt_graph_impl::issueAll(Processor &proc) {
  // tgrt_graph_set_capture since the last replay: drop the recording.
  const uint32_t generation =
      captureGeneration.load(std::memory_order_acquire);
  if (generation != recordedGeneration) {
    if (captured)
      rt->backend->destroyCaptured(captured);
    captured = nullptr;
    recordedGeneration = generation;
  }
  if (capturable && captureEnabled.load(std::memory_order_relaxed) &&
      !tracing && !failed.load(std::memory_order_relaxed)) {
    // Recorded with these parameters: launch. Else record (again) once a
    // parameter set repeats: a set used once is not worth a recording.
    if (captured && capturedParams == appliedParams) {
      if (launchDeviceGraph())
        return;
    } else if (replaysWithSameParams >= 1 && recordDeviceGraph() &&
               launchDeviceGraph()) {
      return;
    }
  }
  for (uint32_t node : issueOrder)
    if (nodes[node].exec == ExecKind::Stream) // joins: run by startReplay
      issue(node, proc);
}

bool tgrt_graph_impl::recordDeviceGraph() {
  StreamBackend &backend = *rt->backend;
  std::string error;
  void *token = nullptr;
  const uint32_t numOthers = static_cast<uint32_t>(recordOthers.size());
  backend.bindThread(recordOrigin);
  bool ok = backend.beginCapture(recordOrigin, recordOthers.data(), numOthers,
                                 token, error) == TGRT_OK;
  for (uint32_t i = 0; ok && i < issueOrder.size(); ++i) {
    const XNode &x = nodes[issueOrder[i]];
    if (x.exec == ExecKind::Stream)
      ok = enqueueWork(issueOrder[i], recordStreamOf[x.stream], true, error);
  }
  // Always ended, also after a failure: the backend leaves capture mode.
  void *exec = captured;
  ok = backend.endCapture(recordOrigin, recordOthers.data(), numOthers, token,
                          ok, exec, error) == TGRT_OK &&
       ok;
  if (!ok) {
    // Not recordable (a kernel that fails, or work the backend cannot
    // record): issue node by node from now on.
    if (captured)
      backend.destroyCaptured(captured);
    captured = nullptr;
    capturable = false;
    return false;
  }
  captured = exec;
  capturedParams.assign(appliedParams.begin(), appliedParams.end());
  return true;
}

/// Launches the recording on the graph's first stream, followed by one
/// completion callback. False (and recording switched off) if the launch
/// fails: the caller then issues op by op.
bool tgrt_graph_impl::launchDeviceGraph() {
  StreamBackend &backend = *rt->backend;
  std::string error;
  if (backend.launchCaptured(captured, captureOrigin, error) != TGRT_OK) {
    backend.destroyCaptured(captured);
    captured = nullptr;
    capturable = false;
    return false;
  }
  current->deviceGraph = true;
  for (uint32_t i = 0, n = static_cast<uint32_t>(nodes.size()); i < n; ++i)
    issued[i].store(1, std::memory_order_release);
  // One completion callback stands for every stream's: of the finish
  // count's callback ranges, one stays (startReplay's joins take theirs).
  finish.fetch_sub(static_cast<int32_t>(callbackRanges.size()) - 1,
                   std::memory_order_acq_rel);
  if (backend.enqueueHostFn(captureOrigin, &deviceGraphDone, this, error) !=
      TGRT_OK) {
    recordGraphFailure("cannot enqueue the completion callback: " + error);
    backend.synchronize();
    finishOne();
  }
  return true;
}

void tgrt_graph_impl::deviceGraphDone(void *arg) {
  static_cast<tgrt_graph_impl *>(arg)->finishOne();
}

void tgrt_graph_impl::deviceBody(void *arg) {
  auto *a = static_cast<DeviceBodyArg *>(arg);
  tgrt_graph_impl &g = *a->graph;
  const uint32_t node = a->node;
  const XNode &x = g.nodes[node];
  const bool traced = g.tracing;
  if (traced)
    g.trace[node].devStart = nowNs();
  if (g.poison[x.state].load(std::memory_order_relaxed)) {
    g.writeElse(node);
    g.poisonSuccessors(node);
  } else if (x.predMode == PredGuarded && !g.evalPredicate(node)) {
    g.writeElse(node);
  } else if (x.kind == NodeKind::Task) {
    std::string error;
    if (g.runKernel(node, g.rt->backend->nativeStream(x.stream), nullptr,
                    error) != 0) {
      g.recordFailure(node, error);
      g.writeElse(node);
      g.poisonSuccessors(node);
    }
  } else {
    char *dst;
    const char *src;
    g.copyEndpoints(x, dst, src);
    if (x.bytes)
      std::memmove(dst + x.dstOffset, src + x.srcOffset, x.bytes);
  }
  if (traced)
    g.trace[node].devEnd = nowNs();
}

void tgrt_graph_impl::rangeDone(void *arg) {
  auto *range = static_cast<CallbackRange *>(arg);
  tgrt_graph_impl &g = *range->graph;
  const bool traced = g.tracing;
  const uint64_t now = traced ? nowNs() : 0;
  for (uint32_t pos = range->queueBegin; pos < range->queueEnd; ++pos) {
    uint32_t node = g.queueNodes[pos];
    const XNode &x = g.nodes[node];
    if (traced && g.trace[node].devEnd == 0) {
      // CUDA: the device span ends no later than this callback.
      g.trace[node].devStart = g.trace[node].hostEnd;
      g.trace[node].devEnd = now;
    }
    g.signalRange(x.completeBegin, x.completeEnd);
  }
  g.finishOne();
}
