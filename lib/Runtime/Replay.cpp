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
// What a node does is said once, in runNode: the CPU worker (executeCpu),
// the stream issuer (issue) and an emulated stream executing a node
// (deviceBody) all call it; only where the predicate is decided and how the
// work is done depend on the call site.
//
// Nothing here allocates per task or per replay once the pools are warm
// (replay slots, inbox rings, events); the allocation test checks it.
//
//===----------------------------------------------------------------------===//

#include "Graph.h"

#include <cstring>
#include <exception>

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
    std::lock_guard<std::mutex> lock(st.mu);
    if (st.freeSlots.empty()) {
      st.slotStorage.push_back(std::make_unique<ReplaySlot>());
      st.freeSlots.reserve(st.slotStorage.size());
      slot = st.slotStorage.back().get();
      slot->graph = this;
    } else {
      slot = st.freeSlots.back();
      st.freeSlots.pop_back();
    }
    slot->index = st.nextReplayIndex++;
    slot->preFailed = false;
    slot->preMessage.clear();
    slot->params.assign(params, params + program.numParams);
    // One hold for each precondition and one for this call, so the slot
    // cannot start before every waiter is registered.
    slot->preRemaining.store(static_cast<int32_t>(numPre) + 1,
                             std::memory_order_relaxed);
    slot->done = rt->newEvent(outDone ? 2 : 1);
    st.queued.push(slot);
  }
  if (outDone)
    *outDone = slot->done;
  {
    std::lock_guard<std::mutex> lock(rt->idleMu);
    ++st.busy;
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
    std::lock_guard<std::mutex> lock(graph->st.mu);
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
      std::lock_guard<std::mutex> lock(st.mu);
      if (st.running || st.queued.empty() ||
          st.queued.front()->preRemaining.load(std::memory_order_acquire) != 0)
        return;
      st.running = true;
      slot = st.queued.pop();
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
  const uint32_t n = static_cast<uint32_t>(program.nodes.size());
  st.current = slot;
  st.currentIndex = slot->index;
  const uint8_t poisonAll = slot->preFailed ? 1 : 0;
  // Parameters change argument words of many tasks but rarely change
  // between replays: patch them here, once, and only when they differ, not
  // per task on the hot path. (Replays are serialized, so no task reads
  // argWords now; assign() reuses the capacity: no allocation.)
  if (!st.paramsApplied || slot->params != st.appliedParams) {
    for (const Patch &p : program.paramPatches)
      st.argWords[p.argIndex] = slot->params[p.index];
    st.appliedParams.assign(slot->params.begin(), slot->params.end());
    st.paramsApplied = true;
    st.replaysWithSameParams = 0;
  } else if (st.replaysWithSameParams < UINT32_MAX) {
    ++st.replaysWithSameParams;
  }
  slot->deviceGraph = false;
  for (uint32_t i = 0; i < n; ++i) {
    st.pending[i].store(program.initialPending[i], std::memory_order_relaxed);
    st.poison[i].store(poisonAll, std::memory_order_relaxed);
    st.skipped[i].store(0, std::memory_order_relaxed);
    st.issued[i].store(0, std::memory_order_relaxed);
  }
  st.failed.store(poisonAll != 0, std::memory_order_relaxed);
  if (poisonAll) {
    std::lock_guard<std::mutex> lock(st.failMu);
    st.failMessage = slot->preMessage;
  }
  st.finish.store(program.finishTarget, std::memory_order_relaxed);
  // The time limit counts from here: after the preconditions and the
  // previous replay. Set before any processor sees the replay.
  if (const uint64_t limit = st.timeoutNs.load(std::memory_order_relaxed)) {
    std::lock_guard<std::mutex> lock(st.timeoutMu);
    st.watching = true;
    st.deadline = nowNs() + limit;
  } else {
    st.watching = false;
  }
  if (tracing.enabled) {
    for (Tracing::Span &s : tracing.spans)
      s = Tracing::Span{};
    tracing.start = nowNs();
  }
  if (program.finishTarget == 0) { // an empty graph
    replayDone();
    return;
  }
  if (!program.involved.empty()) {
    // A single-issuer graph is walked by one processor (issueAll).
    const uint32_t *walkers =
        program.singleIssuer ? &program.issuerProc : program.involved.data();
    const uint32_t numWalkers =
        program.singleIssuer ? 1
                             : static_cast<uint32_t>(program.involved.size());
    {
      std::lock_guard<std::mutex> lock(rt->idleMu);
      st.busy += numWalkers;
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
  for (uint32_t root : program.inlineRoots)
    runInline(root);
}

void tgrt_graph_impl::replayDone() {
  if (st.watching) {
    // The watchdog no longer fails this replay; one that timed out has
    // finished after all, so the graph can replay again.
    std::lock_guard<std::mutex> lock(st.timeoutMu);
    st.deadline = 0;
    st.timedOut.store(false, std::memory_order_release);
  }
  ReplaySlot *slot = st.current;
  tgrt_event_impl *done = slot->done;
  slot->done = nullptr;
  if (tracing.enabled) {
    tracing.lastSpans = tracing.spans; // same size: no allocation
    tracing.lastStart = tracing.start;
    tracing.haveLast = true;
  }
  recorder.lastReplayCaptured.store(slot->deviceGraph ? 1 : 0,
                                    std::memory_order_release);
  bool isFailed = st.failed.load(std::memory_order_acquire);
  std::string message;
  if (isFailed) {
    std::lock_guard<std::mutex> lock(st.failMu);
    message = st.failMessage;
  }
  {
    std::lock_guard<std::mutex> lock(st.mu);
    st.running = false;
    st.freeSlots.push_back(slot);
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
    --st.busy;
  }
  r->idleCv.notify_all();
}

bool tgrt_graph_impl::blockedOnPreconditions() {
  std::lock_guard<std::mutex> lock(st.mu);
  bool blocked = false;
  st.queued.forEach([&](ReplaySlot *s) {
    if (s->preRemaining.load(std::memory_order_acquire) != 0)
      blocked = true;
  });
  return blocked;
}

bool tgrt_graph_impl::waitIdleUnlessStuck() {
  std::unique_lock<std::mutex> lock(rt->idleMu);
  rt->idleCv.wait(lock, [&] {
    return st.busy == 0 || st.timedOut.load(std::memory_order_acquire);
  });
  return st.busy == 0;
}

void tgrt_graph_impl::waitIdle() {
  std::unique_lock<std::mutex> lock(rt->idleMu);
  rt->idleCv.wait(lock, [&] { return st.busy == 0; });
}

//===----------------------------------------------------------------------===//
// The hot path
//===----------------------------------------------------------------------===//

void tgrt_graph_impl::waitReady(uint32_t state, Processor &proc) {
  std::atomic<int32_t> &counter = st.pending[state];
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
  if (st.pending[state].fetch_sub(1, std::memory_order_seq_cst) != 1)
    return;
  const uint32_t node = program.nodeOfState[state];
  const XNode &x = program.nodes[node];
  if (x.exec == ExecKind::Inline)
    runInline(node);
  else
    rt->procs[x.proc]->wake();
}

void tgrt_graph_impl::signalRange(uint32_t begin, uint32_t end) {
  const uint32_t *s = program.succs.data();
  for (uint32_t i = begin; i < end; ++i)
    satisfy(s[i]);
}

void tgrt_graph_impl::poisonSuccessors(uint32_t node) {
  const XNode &x = program.nodes[node];
  for (uint32_t i = x.issueBegin; i < x.localEnd; ++i)
    st.poison[program.succs[i]].store(1, std::memory_order_relaxed);
}

void tgrt_graph_impl::writeElse(uint32_t node) {
  const XNode &x = program.nodes[node];
  for (uint32_t i = x.elseBegin; i < x.elseEnd; ++i)
    __atomic_store_n(&shared.slots[program.elseWrites[i].slot],
                     program.elseWrites[i].bits, __ATOMIC_RELAXED);
  st.skipped[x.state].store(1, std::memory_order_relaxed);
}

bool tgrt_graph_impl::evalPredicate(uint32_t node) {
  const XNode &x = program.nodes[node];
  bool value = false;
  // Programs are checked at finalize; a malformed one reads as false.
  evalPredProgram(program.predProgram.data() + x.predBegin, x.predLength,
                  shared.slots, value);
  return value;
}

void tgrt_graph_impl::prepareArgs(uint32_t node) {
  const XNode &x = program.nodes[node];
  for (uint32_t i = x.patchBegin; i < x.patchEnd; ++i) {
    const Patch &p =
        program.patches[i]; // task values only; params: startReplay
    st.argWords[p.argIndex] =
        __atomic_load_n(&shared.slots[p.index], __ATOMIC_RELAXED);
  }
}

int32_t tgrt_graph_impl::runKernel(uint32_t node, void *stream,
                                   const int32_t *guard, std::string &error) {
  const XNode &x = program.nodes[node];
  prepareArgs(node);
  tgrt_task_context ctx; // every field set: the kernel sees no stale word
  ctx.args = st.argWords.data() + x.argBegin;
  ctx.num_args = x.numArgs;
  ctx.num_results = x.numResults;
  ctx.results = shared.slots + x.resultSlot;
  ctx.results_device = shared.slotsDevice + x.resultSlot;
  ctx.stream = stream;
  ctx.guard_device = guard;
  ctx.user_data = x.userData;
  ctx.task_name = x.name;
  ctx.replay_index = st.currentIndex;
  ctx.processor = x.exec == ExecKind::Cpu ? x.proc : x.gpu;
  ctx.stream_index = x.streamLocal;
  ctx.internal = nullptr;
  int32_t rc;
  // One predictable branch: only a replay with a time limit marks the
  // kernel as running, so that a timeout can name it.
  if (__builtin_expect(st.watching, 0)) {
    st.inKernel[x.state].store(1, std::memory_order_relaxed);
    rc = callKernel(x, ctx, error);
    st.inKernel[x.state].store(0, std::memory_order_release);
  } else {
    rc = callKernel(x, ctx, error);
  }
  if (__builtin_expect(rc != 0, 0) && error.empty())
    error =
        ctx.internal ? tlsTaskError : "kernel returned " + std::to_string(rc);
  return rc;
}

int32_t tgrt_graph_impl::callKernel(const XNode &x, tgrt_task_context &ctx,
                                    std::string &error) {
  // A kernel that throws fails its task like one that returns nonzero: an
  // exception must not unwind through a worker or stream thread (which
  // would end the process) nor skip the replay's accounting. The try costs
  // nothing on the path that does not throw.
  try {
    return x.fn(&ctx);
  } catch (const std::exception &e) {
    error = std::string("kernel threw: ") + e.what();
  } catch (...) {
    error = "kernel threw an exception that is not a std::exception";
  }
  return -1;
}

void tgrt_graph_impl::recordFailure(uint32_t node, const std::string &message) {
  recordGraphFailure("task '" + std::string(program.nodes[node].name) +
                     "' (node " + std::to_string(node) +
                     ") failed: " + message);
}

void tgrt_graph_impl::recordGraphFailure(const std::string &message) {
  std::lock_guard<std::mutex> lock(st.failMu);
  if (!st.failed.load(std::memory_order_relaxed)) {
    st.failMessage = message;
    st.failed.store(true, std::memory_order_release);
  }
}

void tgrt_graph_impl::finishOne() {
  if (st.finish.fetch_sub(1, std::memory_order_acq_rel) == 1)
    replayDone();
}

void tgrt_graph_impl::walk(Processor &proc) {
  if (program.singleIssuer)
    return issueAll(proc);
  // A queued node's state index is its queue position.
  const uint32_t begin = program.queueBegin[proc.id],
                 end = program.queueBegin[proc.id + 1];
  const uint32_t *q = program.queueNodes.data();
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
      x.dstParam >= 0 ? reinterpret_cast<void *>(st.current->params[x.dstParam])
                      : x.dst);
  src = static_cast<const char *>(
      x.srcParam >= 0
          ? reinterpret_cast<const void *>(st.current->params[x.srcParam])
          : x.src);
}

//===----------------------------------------------------------------------===//
// What a node does
//===----------------------------------------------------------------------===//

template <tgrt_graph_impl::Site S>
bool tgrt_graph_impl::runNode(uint32_t node, uint32_t stream) {
  const XNode &x = program.nodes[node];
  // Poisoned (a predecessor failed, or a precondition): no work, else
  // values, and the poison spreads. Checked again on the device: with
  // runahead a predecessor may fail after this node was issued.
  if (st.poison[x.state].load(std::memory_order_relaxed)) {
    writeElse(node);
    poisonSuccessors(node);
    return true;
  }
  // A predicate is decided where its mode says: by the host that runs (CPU
  // op) or issues (wait mode) the op, or on the stream (guarded; with CUDA
  // the guard kernel enqueued by enqueueWork decides instead). False: no
  // work, else values; the node still completes after its dependences.
  const bool decidesHere = S == Site::Host    ? x.predMode != PredNone
                           : S == Site::Issue ? x.predMode == PredWait
                                              : x.predMode == PredGuarded;
  if (decidesHere && !evalPredicate(node)) {
    writeElse(node);
    return true;
  }
  std::string error; // empty: no allocation unless the work fails
  if (S == Site::Issue) {
    if (__builtin_expect(!enqueueWork(node, stream, error), 0)) {
      failNode(node, error);
      return false;
    }
  } else if (x.kind == NodeKind::Task) {
    void *native =
        S == Site::Device ? rt->backend->nativeStream(x.stream) : nullptr;
    if (__builtin_expect(runKernel(node, native, nullptr, error) != 0, 0)) {
      failNode(node, error);
      return false;
    }
  } else {
    hostCopy(x);
  }
  return true;
}

void tgrt_graph_impl::failNode(uint32_t node, const std::string &message) {
  recordFailure(node, message);
  writeElse(node); // a failed task's values are its else values
  poisonSuccessors(node);
}

void tgrt_graph_impl::hostCopy(const XNode &x) {
  char *dst;
  const char *src;
  copyEndpoints(x, dst, src);
  if (x.bytes)
    std::memmove(dst + x.dstOffset, src + x.srcOffset, x.bytes);
}

/// A CPU worker's step: run the node, then release its successors.
void tgrt_graph_impl::executeCpu(uint32_t node) {
  const XNode &x = program.nodes[node];
  const bool traced = tracing.enabled;
  if (traced)
    tracing.spans[node].hostStart = nowNs();
  runNode<Site::Host>(node, 0);
  if (traced)
    tracing.spans[node].hostEnd = nowNs();
  st.issued[x.state].store(1, std::memory_order_release);
  signalRange(x.issueBegin, x.completeEnd);
}

void tgrt_graph_impl::runInline(uint32_t node) {
  const XNode &x = program.nodes[node];
  if (tracing.enabled)
    tracing.spans[node].hostStart = tracing.spans[node].hostEnd = nowNs();
  if (st.poison[x.state].load(std::memory_order_relaxed))
    poisonSuccessors(node);
  st.issued[x.state].store(1, std::memory_order_release);
  signalRange(x.issueBegin, x.completeEnd);
  finishOne();
}

//===----------------------------------------------------------------------===//
// Issuing to streams
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Issuing to streams
//===----------------------------------------------------------------------===//

void tgrt_graph_impl::issue(uint32_t node, Processor &proc) {
  const XNode &x = program.nodes[node];
  StreamBackend &backend = *rt->backend;
  const bool traced = tracing.enabled;
  if (traced)
    tracing.spans[node].hostStart = nowNs();
  backend.bindThread(x.stream);
  // The waits come first even when the node does no work: its event, and
  // the stream order, still follow its dependences.
  std::string error;
  bool ok = enqueueWaits(node, x.stream, error);
  if (ok)
    ok = runNode<Site::Issue>(node, x.stream);
  else
    failNode(node, error);
  // Recorded also after a failure: the (poisoned) successors on other
  // streams wait on it, and must not wait on an older record (with CUDA,
  // perhaps one made inside a device-graph recording, which a normal
  // stream may not wait on).
  if (x.needsRecord &&
      backend.recordEvent(x.stream, x.event, error) != TGRT_OK && ok)
    failNode(node, error);
  if (traced)
    tracing.spans[node].hostEnd = nowNs();
  st.issued[x.state].store(1, std::memory_order_release);
  // Release device successors now: they may be issued before we run. (A
  // single issuer issues them next anyway, in topological order: their
  // counters would only wake idle stream threads.)
  if (!program.singleIssuer)
    signalRange(x.issueBegin, x.issueEnd);
  if (x.callbackAfter) {
    auto *range =
        const_cast<CallbackRange *>(&program.callbackRanges[x.callbackRange]);
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

bool tgrt_graph_impl::enqueueWaits(uint32_t node, uint32_t stream,
                                   std::string &error) {
  const XNode &x = program.nodes[node];
  StreamBackend &backend = *rt->backend;
  // The predecessor was issued (its event recorded) before it released us,
  // so the wait sees that record.
  for (uint32_t i = x.waitBegin; i < x.waitEnd; ++i)
    if (backend.waitEvent(stream, program.nodes[program.crossWaits[i]].event,
                          error) != TGRT_OK)
      return false;
  return true;
}

/// The work of a stream node, put on `stream` (its own, or its twin while
/// recording).
bool tgrt_graph_impl::enqueueWork(uint32_t node, uint32_t stream,
                                  std::string &error) {
  const XNode &x = program.nodes[node];
  StreamBackend &backend = *rt->backend;
  if (backend.isEmulated()) {
    // The body runs on the emulated stream, where runNode checks poison
    // and guards at execution time, like device code would.
    auto *arg = const_cast<DeviceBodyArg *>(&program.deviceArgs[node]);
    return backend.enqueueHostFn(stream, &deviceBody, arg, error) == TGRT_OK;
  }
  if (x.kind == NodeKind::Task) {
    const int32_t *guard = nullptr;
    if (x.predMode == PredGuarded) {
      // The device half of runNode's predicate rule: a one-thread kernel
      // evaluates the predicate into a flag and writes the else values
      // (GuardKernel.cu); the stream-ordered kernel tests the flag.
      GuardLaunch launch;
      launch.program = shared.predDevice + x.predBegin;
      launch.length = x.predLength;
      launch.elses = shared.elseDevice + x.elseBegin;
      launch.numElses = x.elseEnd - x.elseBegin;
      launch.slots = shared.slotsDevice;
      launch.flag = shared.guardFlagsDevice + node;
      guard = launch.flag;
      if (backend.enqueueGuard(stream, launch, error) != TGRT_OK)
        return false;
    }
    return runKernel(node, backend.nativeStream(stream), guard, error) == 0;
  }
  char *dst;
  const char *src;
  copyEndpoints(x, dst, src);
  return !x.bytes ||
         backend.enqueueCopy(stream, dst + x.dstOffset, src + x.srcOffset,
                             x.bytes, error) == TGRT_OK;
}

/// An emulated stream executing a node it was given (enqueueWork).
void tgrt_graph_impl::deviceBody(void *arg) {
  auto *a = static_cast<const DeviceBodyArg *>(arg);
  tgrt_graph_impl &g = *a->graph;
  const bool traced = g.tracing.enabled;
  if (traced)
    g.tracing.spans[a->node].devStart = nowNs();
  g.runNode<Site::Device>(a->node, 0);
  if (traced)
    g.tracing.spans[a->node].devEnd = nowNs();
}

void tgrt_graph_impl::rangeDone(void *arg) {
  auto *range = static_cast<CallbackRange *>(arg);
  tgrt_graph_impl &g = *range->graph;
  const bool traced = g.tracing.enabled;
  const uint64_t now = traced ? nowNs() : 0;
  for (uint32_t pos = range->queueBegin; pos < range->queueEnd; ++pos) {
    uint32_t node = g.program.queueNodes[pos];
    const XNode &x = g.program.nodes[node];
    if (traced && g.tracing.spans[node].devEnd == 0) {
      // CUDA: the device span ends no later than this callback.
      g.tracing.spans[node].devStart = g.tracing.spans[node].hostEnd;
      g.tracing.spans[node].devEnd = now;
    }
    g.signalRange(x.completeBegin, x.completeEnd);
  }
  g.finishOne();
}
