//===- Graph.cpp - Freezing a built graph into a replay program -----------===//
//
// finalize() turns the builder's nodes, explicit dependences and implicit ones
// (value arguments, predicate inputs) into flat arrays the replay engine reads
// without allocating: successor lists in CSR form split into "released when
// issued" (device dependences between stream-ordered ops: runahead) and
// "released when complete", per-processor queues in one topological order,
// initial counters, predicate programs, and the completion-callback ranges of
// each stream.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <algorithm>
#include <type_traits>
#include <cstdlib>
#include <cstring>

using namespace tgraph::rt;

const char *tgrt_graph_impl::nodeName(uint32_t node) const {
  return nodes.empty() ? bnodes[node].name.c_str() : nodes[node].name;
}

tgrt_status tgrt_graph_impl::checkNode(uint32_t node, const char *what) {
  if (node >= bnodes.size())
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(what) + ": node " + std::to_string(node) +
                        " does not exist (graph '" + name + "' has " +
                        std::to_string(bnodes.size()) + " nodes)");
  return TGRT_OK;
}

tgrt_status tgrt_graph_impl::checkProcessor(int32_t kind, uint32_t index,
                                            uint32_t stream, bool forCopy) {
  const tgrt_config &c = rt->config;
  switch (kind) {
  case TGRT_PROC_CPU:
    if (index >= c.num_cpu_workers)
      return setError(TGRT_ERROR_OUT_OF_RANGE,
                      "cpu worker " + std::to_string(index) +
                          " does not exist (the runtime has " +
                          std::to_string(c.num_cpu_workers) + " workers)");
    return TGRT_OK;
  case TGRT_PROC_GPU:
  case TGRT_PROC_COPY: {
    if (index >= c.num_gpus)
      return setError(TGRT_ERROR_OUT_OF_RANGE,
                      "gpu " + std::to_string(index) +
                          " does not exist (the runtime has " +
                          std::to_string(c.num_gpus) + " gpus)");
    uint32_t limit =
        kind == TGRT_PROC_GPU ? c.streams_per_gpu : c.copy_streams_per_gpu;
    if (stream >= limit)
      return setError(
          TGRT_ERROR_OUT_OF_RANGE,
          std::string(kind == TGRT_PROC_GPU ? "stream " : "copy stream ") +
              std::to_string(stream) + " does not exist (gpu has " +
              std::to_string(limit) + ")");
    if (kind == TGRT_PROC_COPY && !forCopy)
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "tasks cannot be placed on a copy stream; use "
                      "TGRT_PROC_GPU");
    return TGRT_OK;
  }
  case TGRT_PROC_INLINE:
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "TGRT_PROC_INLINE is only for joins (tgrt_graph_add_join)");
  default:
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "unknown processor kind " + std::to_string(kind));
  }
}

namespace {
/// Emits the postfix program of one node's predicate onto `out` (the
/// graph's, shared by every node); tracks the stack depth and the length.
struct PredEmitter {
  static constexpr size_t kMaxSteps = 4096;
  const std::vector<tgrt_graph_impl::BPred> &preds;
  const std::vector<uint32_t> &resultSlotOf; // node -> first slot
  std::vector<PredInstr> &out;
  const size_t begin = out.size(); // this predicate's first step
  uint32_t depth = 0, maxDepth = 0;
  bool tooBig = false;

  void push() { maxDepth = std::max(maxDepth, ++depth); }
  void emit(uint32_t p, unsigned level) {
    if (tooBig || level > 256 || out.size() - begin >= kMaxSteps) {
      tooBig = true;
      return;
    }
    const auto &bp = preds[p];
    using BP = tgrt_graph_impl::BPred;
    switch (bp.op) {
    case BP::Const:
      out.push_back({PredInstr::PushConst, bp.a ? 1u : 0u});
      push();
      break;
    case BP::From:
      out.push_back({PredInstr::PushSlot, resultSlotOf[bp.a] + bp.b});
      push();
      break;
    case BP::Not:
      emit(bp.a, level + 1);
      out.push_back({PredInstr::Not, 0});
      break;
    case BP::And:
    case BP::Or:
      emit(bp.a, level + 1);
      emit(bp.b, level + 1);
      out.push_back({bp.op == BP::And ? PredInstr::And : PredInstr::Or, 0});
      --depth;
      break;
    }
  }
};

void collectPredSources(const std::vector<tgrt_graph_impl::BPred> &preds,
                        uint32_t p, std::vector<uint8_t> &seen,
                        std::vector<uint32_t> &producers) {
  if (seen[p])
    return;
  seen[p] = 1;
  const auto &bp = preds[p];
  using BP = tgrt_graph_impl::BPred;
  if (bp.op == BP::From)
    producers.push_back(bp.a);
  if (bp.op == BP::Not || bp.op == BP::And || bp.op == BP::Or)
    collectPredSources(preds, bp.a, seen, producers);
  if (bp.op == BP::And || bp.op == BP::Or)
    collectPredSources(preds, bp.b, seen, producers);
}
} // namespace

tgrt_status tgrt_graph_impl::finalize() {
  Runtime &R = *rt;
  const uint32_t n = static_cast<uint32_t>(bnodes.size());
  const bool cuda = R.usesCuda;
  using BNodeT = BNode;

  // --- Per node: where it executes, and whether it may take part in
  // runahead (stream-ordered ops on a stream).
  std::vector<ExecKind> exec(n);
  std::vector<uint8_t> streamOrdered(n, 0);
  std::vector<uint32_t> procOf(n, 0), gpuOf(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const BNodeT &b = bnodes[i];
    if (b.kind == NodeKind::Join) {
      exec[i] = ExecKind::Inline;
      continue;
    }
    if (b.procKind == TGRT_PROC_CPU) {
      exec[i] = ExecKind::Cpu;
      procOf[i] = R.cpuProcId(b.procIndex);
    } else {
      exec[i] = ExecKind::Stream;
      uint32_t local = b.procKind == TGRT_PROC_COPY
                           ? R.config.streams_per_gpu + b.stream
                           : b.stream;
      procOf[i] = R.streamProcId(b.procIndex, local);
      gpuOf[i] = b.procIndex;
      streamOrdered[i] = b.kind == NodeKind::Copy || b.kernel->streamOrdered;
    }
    if (b.kind == NodeKind::Copy) {
      if (!b.dst && b.dstParam < 0)
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "copy node " + std::to_string(i) +
                            " has a null destination and no parameter");
      if (!b.src && b.srcParam < 0)
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "copy node " + std::to_string(i) +
                            " has a null source and no parameter");
    }
    for (const Arg &a : b.args)
      if (a.kind == Arg::Param && a.a >= numParams)
        return setError(TGRT_ERROR_OUT_OF_RANGE,
                        "node " + std::to_string(i) + " uses parameter " +
                            std::to_string(a.a) + " but the graph has " +
                            std::to_string(numParams));
    if ((b.dstParam >= 0 && b.dstParam >= numParams) ||
        (b.srcParam >= 0 && b.srcParam >= numParams))
      return setError(TGRT_ERROR_OUT_OF_RANGE,
                      "copy node " + std::to_string(i) +
                          " binds a parameter the graph does not have");
  }

  // --- Effective predicate modes: guarded needs a stream that can check it
  // (always under emulation; with CUDA only stream-ordered kernels, which
  // read ctx->guard_device; CUDA copies are resolved on the host).
  std::vector<uint8_t> predMode(n, PredNone);
  for (uint32_t i = 0; i < n; ++i) {
    const BNodeT &b = bnodes[i];
    if (b.pred < 0)
      continue;
    bool guardedOk = exec[i] == ExecKind::Stream &&
                     (!cuda || (b.kind == NodeKind::Task && streamOrdered[i]));
    predMode[i] =
        b.predMode == PredGuarded && guardedOk ? PredGuarded : PredWait;
  }

  // --- All edges: explicit, value arguments, predicate inputs.
  std::vector<BEdge> edges = bedges;
  {
    std::vector<uint8_t> seen(bpreds.size());
    std::vector<uint32_t> producers;
    for (uint32_t i = 0; i < n; ++i) {
      const BNodeT &b = bnodes[i];
      for (const Arg &a : b.args)
        if (a.kind == Arg::Value)
          edges.push_back({a.a, i, TGRT_DEP_HOST});
      if (b.pred < 0)
        continue;
      std::fill(seen.begin(), seen.end(), 0);
      producers.clear();
      collectPredSources(bpreds, static_cast<uint32_t>(b.pred), seen,
                         producers);
      for (uint32_t p : producers)
        edges.push_back(
            {p, i,
             predMode[i] == PredGuarded ? TGRT_DEP_DEVICE : TGRT_DEP_HOST});
    }
  }
  // A join that nothing depends on (the physical form's final join of a
  // graph's last ops) needs no edges: a replay completes only after all of
  // its ops anyway. Kept, each of its predecessors on a stream would need a
  // completion callback of its own on every replay.
  {
    std::vector<uint8_t> hasSucc(n, 0);
    for (const BEdge &e : edges)
      hasSucc[e.pred] = 1;
    edges.erase(std::remove_if(edges.begin(), edges.end(),
                               [&](const BEdge &e) {
                                 return bnodes[e.succ].kind == NodeKind::Join &&
                                        !hasSucc[e.succ];
                               }),
                edges.end());
  }
  for (const BEdge &e : edges)
    if (e.pred == e.succ)
      return setError(TGRT_ERROR_CYCLE, "node " + std::to_string(e.pred) +
                                            " ('" + bnodes[e.pred].name +
                                            "') depends on itself");

  // --- Topological order (Kahn); a leftover node is on or after a cycle.
  std::vector<uint32_t> outBegin(n + 1, 0), outEdges(edges.size());
  for (const BEdge &e : edges)
    ++outBegin[e.pred + 1];
  for (uint32_t i = 0; i < n; ++i)
    outBegin[i + 1] += outBegin[i];
  {
    std::vector<uint32_t> fill(outBegin.begin(), outBegin.end() - 1);
    for (uint32_t k = 0; k < edges.size(); ++k)
      outEdges[fill[edges[k].pred]++] = k;
  }
  std::vector<int32_t> indeg(n, 0);
  for (const BEdge &e : edges)
    ++indeg[e.succ];
  std::vector<uint32_t> order;
  order.reserve(n);
  // Creation order, when it is topological (the compiler adds nodes in a
  // topological order), so that each queue keeps the order the compiler
  // chose: two ops on one stream need no edge between them.
  bool creationOrderIsTopological = true;
  for (const BEdge &e : edges)
    creationOrderIsTopological &= e.pred < e.succ;
  if (creationOrderIsTopological)
    for (uint32_t i = 0; i < n; ++i)
      order.push_back(i);
  for (uint32_t i = 0; i < n && !creationOrderIsTopological; ++i)
    if (indeg[i] == 0)
      order.push_back(i);
  for (size_t head = 0; head < order.size() && !creationOrderIsTopological;
       ++head) {
    uint32_t u = order[head];
    for (uint32_t k = outBegin[u]; k < outBegin[u + 1]; ++k)
      if (--indeg[edges[outEdges[k]].succ] == 0)
        order.push_back(edges[outEdges[k]].succ);
  }
  if (order.size() != n) {
    uint32_t bad = 0;
    while (indeg[bad] == 0)
      ++bad;
    return setError(TGRT_ERROR_CYCLE,
                    "a dependence cycle through node " + std::to_string(bad) +
                        " ('" + bnodes[bad].name + "')");
  }

  // --- Classify edges. A device edge releases its successor when the
  // predecessor is issued; same stream: FIFO order suffices; other stream of
  // the same gpu: the successor waits for the predecessor's event.
  auto isDeviceEdge = [&](const BEdge &e) {
    return e.kind == TGRT_DEP_DEVICE && exec[e.pred] == ExecKind::Stream &&
           exec[e.succ] == ExecKind::Stream && streamOrdered[e.pred] &&
           streamOrdered[e.succ] && gpuOf[e.pred] == gpuOf[e.succ];
  };
  // A dependence between two nodes of one CPU worker needs no counter: the
  // worker runs its queue in topological order, so the predecessor has
  // completed, on this very thread, before the successor starts. Such an
  // edge is kept only to poison the successor when the predecessor fails.
  // (A one-worker graph then replays with no atomic read-modify-write.)
  auto isLocalEdge = [&](const BEdge &e) {
    return exec[e.pred] == ExecKind::Cpu && exec[e.succ] == ExecKind::Cpu &&
           procOf[e.pred] == procOf[e.succ];
  };
  nodes.assign(n, XNode{});
  std::vector<uint32_t> issueCount(n, 0), completeCount(n, 0),
      localCount(n, 0), waitCount(n, 0);
  std::vector<int32_t> pendingOf(n, 0);
  for (const BEdge &e : edges) {
    if (isLocalEdge(e)) {
      ++localCount[e.pred];
      continue;
    }
    ++pendingOf[e.succ];
    if (isDeviceEdge(e)) {
      ++issueCount[e.pred];
      if (procOf[e.pred] != procOf[e.succ])
        ++waitCount[e.succ];
    } else {
      ++completeCount[e.pred];
    }
  }
  uint32_t succPos = 0, waitPos = 0;
  for (uint32_t i = 0; i < n; ++i) {
    XNode &x = nodes[i];
    x.issueBegin = x.issueEnd = succPos;
    succPos += issueCount[i];
    x.completeBegin = x.completeEnd = succPos;
    succPos += completeCount[i];
    x.localEnd = succPos; // the local range starts at the final completeEnd
    succPos += localCount[i];
    x.waitBegin = x.waitEnd = waitPos;
    waitPos += waitCount[i];
  }
  succs.assign(succPos, 0);
  crossWaits.assign(waitPos, 0);
  for (const BEdge &e : edges) {
    if (isLocalEdge(e)) {
      succs[nodes[e.pred].localEnd++] = e.succ;
    } else if (isDeviceEdge(e)) {
      succs[nodes[e.pred].issueEnd++] = e.succ;
      if (procOf[e.pred] != procOf[e.succ]) {
        crossWaits[nodes[e.succ].waitEnd++] = e.pred;
        nodes[e.pred].needsRecord = true;
      }
    } else {
      succs[nodes[e.pred].completeEnd++] = e.succ;
    }
  }

  // --- Value slots, arguments, else values.
  std::vector<uint32_t> resultSlotOf(n, 0);
  uint32_t numSlots = 0;
  for (uint32_t i = 0; i < n; ++i) {
    resultSlotOf[i] = numSlots;
    numSlots += bnodes[i].numResults;
  }
  argWords.clear();
  patches.clear();
  paramPatches.clear();
  paramsApplied = false;
  elseWrites.clear();
  predProgram.clear();
  for (uint32_t i = 0; i < n; ++i) {
    const BNodeT &b = bnodes[i];
    XNode &x = nodes[i];
    x.kind = b.kind;
    x.exec = exec[i];
    x.predMode = predMode[i];
    x.proc = procOf[i];
    x.gpu = gpuOf[i];
    x.stream =
        exec[i] == ExecKind::Stream ? R.procs[procOf[i]]->globalStream : 0;
    x.streamLocal = b.stream;
    x.name = b.name.c_str();
    x.argBegin = static_cast<uint32_t>(argWords.size());
    x.numArgs = static_cast<uint32_t>(b.args.size());
    x.patchBegin = static_cast<uint32_t>(patches.size());
    for (const Arg &a : b.args) {
      uint32_t at = static_cast<uint32_t>(argWords.size());
      argWords.push_back(a.kind == Arg::Imm ? a.bits : 0);
      if (a.kind == Arg::Param)
        paramPatches.push_back({at, Arg::Param, a.a});
      else if (a.kind == Arg::Value)
        patches.push_back({at, Arg::Value, resultSlotOf[a.a] + a.b});
    }
    x.patchEnd = static_cast<uint32_t>(patches.size());
    x.resultSlot = resultSlotOf[i];
    x.numResults = b.numResults;
    x.elseBegin = static_cast<uint32_t>(elseWrites.size());
    for (uint32_t r = 0; r < b.numResults; ++r)
      elseWrites.push_back({resultSlotOf[i] + r, 0, b.elseValues[r]});
    x.elseEnd = static_cast<uint32_t>(elseWrites.size());
    x.fn = b.kernel ? b.kernel->fn : nullptr;
    x.userData = b.kernel ? b.kernel->userData : nullptr;
    x.dst = b.dst;
    x.src = b.src;
    x.dstOffset = b.dstOffset;
    x.srcOffset = b.srcOffset;
    x.bytes = b.bytes;
    x.dstParam = b.dstParam;
    x.srcParam = b.srcParam;
    x.predBegin = static_cast<uint32_t>(predProgram.size());
    if (b.pred >= 0) {
      PredEmitter em{bpreds, resultSlotOf, predProgram};
      em.emit(static_cast<uint32_t>(b.pred), 0);
      if (em.tooBig || em.maxDepth > kMaxPredStack ||
          predProgram.size() - x.predBegin > PredEmitter::kMaxSteps)
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "the predicate of node " + std::to_string(i) +
                            " is too large to evaluate (at most " +
                            std::to_string(PredEmitter::kMaxSteps) +
                            " steps and a stack of " +
                            std::to_string(kMaxPredStack) + ")");
    }
    x.predLength = static_cast<uint32_t>(predProgram.size()) - x.predBegin;
  }

  // --- Per-processor queues in topological order.
  const uint32_t numProcs = static_cast<uint32_t>(R.procs.size());
  queueBegin.assign(numProcs + 1, 0);
  for (uint32_t i = 0; i < n; ++i)
    if (exec[i] != ExecKind::Inline)
      ++queueBegin[procOf[i] + 1];
  for (uint32_t p = 0; p < numProcs; ++p)
    queueBegin[p + 1] += queueBegin[p];
  queueNodes.assign(queueBegin[numProcs], 0);
  {
    std::vector<uint32_t> fill(queueBegin.begin(), queueBegin.end() - 1);
    for (uint32_t u : order)
      if (exec[u] != ExecKind::Inline)
        queueNodes[fill[procOf[u]]++] = u;
  }
  // --- State indices: queue position, then inline joins (see nodeOfState).
  nodeOfState.assign(queueNodes.begin(), queueNodes.end());
  for (uint32_t u : order)
    if (exec[u] == ExecKind::Inline)
      nodeOfState.push_back(u);
  initialPending.assign(n, 0);
  for (uint32_t st = 0; st < n; ++st) {
    nodes[nodeOfState[st]].state = st;
    initialPending[st] = pendingOf[nodeOfState[st]];
  }
  for (uint32_t &succ : succs)
    succ = nodes[succ].state;

  involved.clear();
  inlineRoots.clear();
  callbackRanges.clear();
  finishTarget = 0;
  for (uint32_t p = 0; p < numProcs; ++p) {
    if (queueBegin[p] == queueBegin[p + 1])
      continue;
    involved.push_back(p);
    if (R.procs[p]->kind == Processor::Kind::Cpu) {
      ++finishTarget; // a CPU walker reports once, after its whole queue
      continue;
    }
    // A stream reports completion in ranges: after each op that releases a
    // successor on completion, and after its last op.
    uint32_t rangeBegin = queueBegin[p];
    for (uint32_t pos = queueBegin[p]; pos < queueBegin[p + 1]; ++pos) {
      XNode &x = nodes[queueNodes[pos]];
      if (x.completeBegin != x.completeEnd || pos + 1 == queueBegin[p + 1]) {
        x.callbackAfter = true;
        x.callbackRange = static_cast<uint32_t>(callbackRanges.size());
        callbackRanges.push_back({this, rangeBegin, pos + 1});
        rangeBegin = pos + 1;
        ++finishTarget;
      }
    }
  }
  for (uint32_t u : order)
    if (exec[u] == ExecKind::Inline) {
      ++finishTarget;
      if (pendingOf[u] == 0)
        inlineRoots.push_back(u);
    }

  // --- Memory the device may read: value slots, guard flags, predicate
  // programs, else values.
  auto allocShared = [&](size_t bytes) -> void * {
    bytes = std::max<size_t>(bytes, 8);
    void *p = R.backend ? R.backend->allocShared(bytes) : std::calloc(1, bytes);
    if (p)
      std::memset(p, 0, bytes);
    return p;
  };
  sharedFromBackend = R.backend != nullptr;
  slots = static_cast<uint64_t *>(allocShared(numSlots * sizeof(uint64_t)));
  if (cuda) {
    guardFlags = static_cast<int32_t *>(allocShared(n * sizeof(int32_t)));
    predShared = static_cast<PredInstr *>(
        allocShared(predProgram.size() * sizeof(PredInstr)));
    elseShared = static_cast<ElseWrite *>(
        allocShared(elseWrites.size() * sizeof(ElseWrite)));
    if (predShared && !predProgram.empty())
      std::memcpy(predShared, predProgram.data(),
                  predProgram.size() * sizeof(PredInstr));
    if (elseShared && !elseWrites.empty())
      std::memcpy(elseShared, elseWrites.data(),
                  elseWrites.size() * sizeof(ElseWrite));
  }
  if (!slots || (cuda && (!guardFlags || !predShared || !elseShared))) {
    releaseResources();
    return setError(TGRT_ERROR_OUT_OF_MEMORY,
                    "cannot allocate the value slots of graph '" + name + "'");
  }

  auto alias = [&](auto *hostPtr) {
    using T = std::remove_pointer_t<decltype(hostPtr)>;
    return R.backend && hostPtr
               ? static_cast<T *>(R.backend->deviceAlias(hostPtr))
               : hostPtr;
  };
  slotsDevice = alias(slots);
  predDevice = alias(predShared);
  elseDevice = alias(elseShared);
  guardFlagsDevice = alias(guardFlags);

  // --- Dedicated copy streams: each copy stream this graph uses gets a
  // stream of its own (CUDA), so graphs do not serialize on shared copy
  // streams; the runtime's copy-stream processor still issues to it.
  for (uint32_t p : involved) {
    const Processor &proc = *R.procs[p];
    if (proc.kind != Processor::Kind::Stream || !proc.isCopyStream)
      continue;
    std::string error;
    uint32_t own = proc.globalStream;
    if (R.backend->acquirePrivateStream(proc.globalStream, own, error) !=
        TGRT_OK) {
      releaseResources();
      return setError(TGRT_ERROR_CUDA, "cannot create a copy stream: " + error);
    }
    privateStreams.push_back({proc.globalStream, own});
    for (uint32_t pos = queueBegin[p]; pos < queueBegin[p + 1]; ++pos)
      nodes[queueNodes[pos]].stream = own;
  }

  // --- Backend events for cross-stream device edges.
  for (uint32_t i = 0; i < n; ++i) {
    if (!nodes[i].needsRecord)
      continue;
    std::string error;
    uint32_t ev = 0;
    if (R.backend->acquireEvent(ev, error) != TGRT_OK) {
      releaseResources();
      return setError(TGRT_ERROR_CUDA, "cannot create an event: " + error);
    }
    nodes[i].event = ev;
    backendEvents.push_back(ev);
  }

  pending.reset(new std::atomic<int32_t>[n > 0 ? n : 1]);
  poison.reset(new std::atomic<uint8_t>[n > 0 ? n : 1]);
  skipped.reset(new std::atomic<uint8_t>[n > 0 ? n : 1]);
  issued.reset(new std::atomic<uint8_t>[n > 0 ? n : 1]);
  for (uint32_t i = 0; i < n; ++i) {
    issued[i].store(0, std::memory_order_relaxed);
    pending[i].store(0, std::memory_order_relaxed);
    poison[i].store(0, std::memory_order_relaxed);
    skipped[i].store(0, std::memory_order_relaxed);
  }
  deviceArgs.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    deviceArgs[i] = {this, i};
  if (tracing)
    trace.assign(n, Span{});
  issueOrder = std::move(order);
  planSingleIssuer();
  finalized = true;
  return TGRT_OK;
}

/// Whether one host thread can issue the whole graph in topological order
/// without ever waiting: every node is a stream-ordered op on one GPU and
/// every dependence is a device dependence (released when its predecessor is
/// issued). Then no processor hand-off is needed, and when every kernel is
/// capturable the issue can be recorded as a device graph.
void tgrt_graph_impl::planSingleIssuer() {
  singleIssuer = capturable = false;
  if (!rt->backend)
    return;
  const XNode *first = nullptr; // the first op in topological order
  for (uint32_t u : issueOrder)
    if (nodes[u].exec == ExecKind::Stream) {
      first = &nodes[u];
      break;
    }
  if (!first)
    return;
  bool allCapturable = true;
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    const XNode &x = nodes[i];
    if (x.exec == ExecKind::Inline) {
      // A join with neither predecessors nor successors (a final join, see
      // finalize) runs when the replay starts; any other join needs a host.
      if (initialPending[x.state] != 0 || x.issueBegin != x.localEnd)
        return;
      continue;
    }
    if (x.exec != ExecKind::Stream || x.gpu != first->gpu ||
        x.predMode == PredWait || x.patchBegin != x.patchEnd ||
        x.completeBegin != x.completeEnd ||
        (x.kind == NodeKind::Task && !bnodes[i].kernel->streamOrdered))
      return;
    if (x.kind == NodeKind::Task && !bnodes[i].kernel->capturable)
      allCapturable = false;
  }
  singleIssuer = true;
  capturable = allCapturable && rt->backend->supportsCapture();
  issuerProc = first->proc;
  captureOrigin = first->stream;
  if (!capturable)
    return;
  std::vector<uint32_t> others; // the graph's other streams
  for (const XNode &x : nodes)
    if (x.exec == ExecKind::Stream && x.stream != captureOrigin &&
        std::find(others.begin(), others.end(), x.stream) == others.end())
      others.push_back(x.stream);
  // A private twin of each stream to record on (see recordStreamOf).
  recordStreamOf.assign(rt->backend->numStreams(), 0);
  recordOthers.clear();
  auto twin = [&](uint32_t stream, uint32_t &own) {
    std::string error;
    if (rt->backend->acquirePrivateStream(stream, own, error) != TGRT_OK)
      return false;
    if (own != stream)
      privateStreams.push_back({stream, own});
    recordStreamOf[stream] = own;
    return true;
  };
  bool ok = twin(captureOrigin, recordOrigin);
  for (uint32_t i = 0; ok && i < others.size(); ++i) {
    recordOthers.push_back(0);
    ok = twin(others[i], recordOthers.back());
  }
  capturable = ok; // without twins: issue op by op
}

void tgrt_graph_impl::releaseResources() {
  Runtime &R = *rt;
  for (uint32_t ev : backendEvents)
    R.backend->releaseEvent(ev);
  backendEvents.clear();
  if (captured)
    R.backend->destroyCaptured(captured);
  captured = nullptr;
  for (const auto &ps : privateStreams)
    R.backend->releasePrivateStream(ps.first, ps.second);
  privateStreams.clear();
  auto freeShared = [&](void *p) {
    if (!p)
      return;
    if (sharedFromBackend)
      R.backend->freeShared(p);
    else
      std::free(p);
  };
  freeShared(slots);
  freeShared(guardFlags);
  freeShared(predShared);
  freeShared(elseShared);
  slots = nullptr;
  guardFlags = nullptr;
  predShared = nullptr;
  elseShared = nullptr;
}
