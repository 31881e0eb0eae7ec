//===- Graph.cpp - Freezing a built graph into a replay program -----------===//
//
// finalize() turns the builder's nodes, explicit dependences and implicit ones
// (value arguments, predicate inputs) into flat arrays the replay engine reads
// without allocating: successor lists in CSR form split into "released when
// issued" (device dependences between stream-ordered ops: runahead) and
// "released when complete", per-processor queues (the compiler's, checked
// against the dependences, or one topological order), initial counters,
// predicate programs, and the completion-callback ranges of each stream. It
// checks the compiler's decisions and refuses what it cannot honour; it
// never re-decides them.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

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

//===----------------------------------------------------------------------===//
// Checks of the compiler's decisions
//===----------------------------------------------------------------------===//
//
// finalize never re-decides what the compiler chose (a queue order, a device
// dependence, a guarded predicate): it honours it or refuses the graph with a
// message that names the ops, so that an emulated run predicts a CUDA run
// and a wrong schedule is found at load time instead of running differently.

std::string tgrt_graph_impl::describe(uint32_t node) const {
  return "'" + bnodes[node].name + "' (node " + std::to_string(node) + ")";
}

/// Why `node` cannot take part in device (stream-ordered) ordering, or
/// nullptr-equivalent empty string if it can.
static std::string
notStreamOrdered(const tgrt_graph_impl &g, uint32_t node,
                 const std::vector<tgrt_graph_impl::ExecKind> &exec) {
  using G = tgrt_graph_impl;
  const G::BNode &b = g.bnodes[node];
  if (b.kind == G::NodeKind::Join)
    return g.describe(node) + " is a join, not an op on a stream";
  if (exec[node] != G::ExecKind::Stream)
    return g.describe(node) + " runs on cpu worker " +
           std::to_string(b.procIndex) + ", not on a stream";
  if (b.kind == G::NodeKind::Task && !b.kernel->streamOrdered)
    return "kernel '" + b.kernel->name + "' of " + g.describe(node) +
           " was registered without TGRT_KERNEL_STREAM_ORDERED";
  return std::string();
}

tgrt_status tgrt_graph_impl::checkGuarded(const std::vector<ExecKind> &exec) {
  // One rule for every backend (an emulated run predicts a CUDA run): only
  // a stream-ordered task on a GPU stream can test its predicate on the
  // stream (CUDA: the kernel reads ctx->guard_device).
  for (uint32_t i = 0; i < bnodes.size(); ++i) {
    const BNode &b = bnodes[i];
    if (b.pred < 0 || b.predMode != PredGuarded)
      continue;
    std::string why;
    if (b.kind == NodeKind::Copy)
      why = "it is a copy";
    else if (exec[i] != ExecKind::Stream)
      why = "it runs on cpu worker " + std::to_string(b.procIndex);
    else if (!b.kernel->streamOrdered)
      why = "its kernel '" + b.kernel->name +
            "' was registered without TGRT_KERNEL_STREAM_ORDERED";
    else
      continue;
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    describe(i) +
                        " has a guarded predicate (TGRT_PRED_GUARDED)"
                        " but " +
                        why +
                        "; only a stream-ordered task on a GPU stream can "
                        "check its predicate on the stream (use "
                        "TGRT_PRED_WAIT)");
  }
  return TGRT_OK;
}

tgrt_status
tgrt_graph_impl::checkDeviceDeps(const std::vector<ExecKind> &exec,
                                 const std::vector<uint32_t> &gpuOf) {
  for (const BEdge &e : bedges) {
    if (e.kind != TGRT_DEP_DEVICE)
      continue;
    std::string why = notStreamOrdered(*this, e.pred, exec);
    if (why.empty())
      why = notStreamOrdered(*this, e.succ, exec);
    if (why.empty() && gpuOf[e.pred] != gpuOf[e.succ])
      why = "they are on gpu " + std::to_string(gpuOf[e.pred]) + " and gpu " +
            std::to_string(gpuOf[e.succ]);
    if (why.empty())
      continue;
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "the device dependence of " + describe(e.succ) + " on " +
                        describe(e.pred) + " cannot be honoured: " + why +
                        " (a device dependence joins two stream-ordered ops "
                        "on the streams of one GPU; use TGRT_DEP_HOST)");
  }
  return TGRT_OK;
}

tgrt_status tgrt_graph_impl::checkExpectedDeps() {
  const uint32_t n = static_cast<uint32_t>(bnodes.size());
  bool any = false;
  for (const BNode &b : bnodes)
    any |= b.expectDeps >= 0;
  if (!any)
    return TGRT_OK;
  // Distinct predecessors per node, O(V + E): edges bucketed by successor,
  // a stamp per predecessor.
  std::vector<uint32_t> begin(n + 1, 0), preds(bedges.size());
  for (const BEdge &e : bedges)
    ++begin[e.succ + 1];
  for (uint32_t i = 0; i < n; ++i)
    begin[i + 1] += begin[i];
  {
    std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
    for (const BEdge &e : bedges)
      preds[fill[e.succ]++] = e.pred;
  }
  std::vector<uint32_t> stamp(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    if (bnodes[i].expectDeps < 0)
      continue;
    uint32_t distinct = 0;
    for (uint32_t k = begin[i]; k < begin[i + 1]; ++k)
      if (stamp[preds[k]] != i) {
        stamp[preds[k]] = i;
        ++distinct;
      }
    if (distinct != static_cast<uint64_t>(bnodes[i].expectDeps))
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      describe(i) + " was declared with " +
                          std::to_string(bnodes[i].expectDeps) +
                          " dependences (tgrt_graph_expect_deps) but " +
                          std::to_string(distinct) +
                          " distinct predecessors were added with "
                          "tgrt_graph_add_dep");
  }
  return TGRT_OK;
}

tgrt_status tgrt_graph_impl::checkQueuePositions(
    const std::vector<ExecKind> &exec, const std::vector<uint32_t> &procOf,
    uint32_t numProcs, std::vector<uint32_t> &queues,
    std::vector<uint32_t> &begin, bool &given) {
  const uint32_t n = static_cast<uint32_t>(bnodes.size());
  int64_t withPos = -1, withoutPos = -1;
  for (uint32_t i = 0; i < n; ++i) {
    if (exec[i] == ExecKind::Inline)
      continue;
    (bnodes[i].queuePos >= 0 ? withPos : withoutPos) = i;
  }
  given = withPos >= 0;
  if (!given)
    return TGRT_OK;
  if (withoutPos >= 0)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    describe(static_cast<uint32_t>(withoutPos)) +
                        " has no queue position but " +
                        describe(static_cast<uint32_t>(withPos)) +
                        " has one; give every task and copy a position "
                        "(tgrt_graph_set_queue_pos), or none");
  begin.assign(numProcs + 1, 0);
  for (uint32_t i = 0; i < n; ++i)
    if (exec[i] != ExecKind::Inline)
      ++begin[procOf[i] + 1];
  for (uint32_t p = 0; p < numProcs; ++p)
    begin[p + 1] += begin[p];
  queues.assign(begin[numProcs], UINT32_MAX);
  // Each processor's positions must be exactly 0..k-1: a position < k
  // taken twice is a duplicate; then a position >= k leaves a gap.
  for (uint32_t i = 0; i < n; ++i) {
    if (exec[i] == ExecKind::Inline)
      continue;
    const uint32_t p = procOf[i];
    const uint64_t k = begin[p + 1] - begin[p];
    const uint64_t pos = static_cast<uint64_t>(bnodes[i].queuePos);
    if (pos >= k)
      continue;
    uint32_t &at = queues[begin[p] + pos];
    if (at != UINT32_MAX)
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      describe(at) + " and " + describe(i) +
                          " both have position " + std::to_string(pos) +
                          " in the queue of " + rt->procs[p]->name);
    at = i;
  }
  for (uint32_t p = 0; p < numProcs; ++p)
    for (uint32_t at = begin[p]; at < begin[p + 1]; ++at) {
      if (queues[at] != UINT32_MAX)
        continue;
      std::string example;
      for (uint32_t i = 0; i < n && example.empty(); ++i)
        if (exec[i] != ExecKind::Inline && procOf[i] == p &&
            static_cast<uint64_t>(bnodes[i].queuePos) >=
                begin[p + 1] - begin[p])
          example = " (" + describe(i) + " has position " +
                    std::to_string(bnodes[i].queuePos) + ")";
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "the queue of " + rt->procs[p]->name +
                          " has no position " + std::to_string(at - begin[p]) +
                          ": its " + std::to_string(begin[p + 1] - begin[p]) +
                          " tasks and copies need positions 0.." +
                          std::to_string(begin[p + 1] - begin[p] - 1) +
                          example);
    }
  return TGRT_OK;
}

namespace {
/// Out-edges in CSR form: edges[outEdges[outBegin[u]..outBegin[u+1])].
struct Adjacency {
  std::vector<uint32_t> outBegin, outEdges;
  Adjacency(uint32_t n, const std::vector<tgrt_graph_impl::BEdge> &edges)
      : outBegin(n + 1, 0), outEdges(edges.size()) {
    for (const auto &e : edges)
      ++outBegin[e.pred + 1];
    for (uint32_t i = 0; i < n; ++i)
      outBegin[i + 1] += outBegin[i];
    std::vector<uint32_t> fill(outBegin.begin(), outBegin.end() - 1);
    for (uint32_t k = 0; k < edges.size(); ++k)
      outEdges[fill[edges[k].pred]++] = k;
  }
};
} // namespace

/// Names a cycle among the nodes Kahn's algorithm left over (each of them
/// has a leftover predecessor, so walking predecessors back must repeat).
/// `queuePrev[v]` is v's predecessor in its queue, or UINT32_MAX.
tgrt_status tgrt_graph_impl::cycleError(const std::vector<BEdge> &edges,
                                        const std::vector<int32_t> &indeg,
                                        const std::vector<uint32_t> &queuePrev,
                                        const std::vector<uint32_t> &procOf) {
  const uint32_t n = static_cast<uint32_t>(bnodes.size());
  // One leftover predecessor per leftover node, and how it got there.
  std::vector<uint32_t> back(n, UINT32_MAX);
  std::vector<uint8_t> byQueue(n, 0);
  for (const BEdge &e : edges)
    if (indeg[e.succ] > 0 && indeg[e.pred] > 0 && back[e.succ] == UINT32_MAX)
      back[e.succ] = e.pred;
  for (uint32_t v = 0; v < n; ++v)
    if (indeg[v] > 0 && back[v] == UINT32_MAX && !queuePrev.empty() &&
        queuePrev[v] != UINT32_MAX) {
      back[v] = queuePrev[v];
      byQueue[v] = 1;
    }
  uint32_t v = 0;
  while (indeg[v] == 0)
    ++v;
  std::vector<uint32_t> seenAt(n, UINT32_MAX), walk;
  while (seenAt[v] == UINT32_MAX) {
    seenAt[v] = static_cast<uint32_t>(walk.size());
    walk.push_back(v);
    v = back[v];
  }
  // The cycle, in execution order: each node must run before the next.
  std::vector<uint32_t> cycle(walk.rbegin(), walk.rend() - seenAt[v]);
  bool anyQueue = false;
  for (uint32_t u : cycle)
    anyQueue |= byQueue[u] != 0;
  auto name = [&](uint32_t u) { return "'" + bnodes[u].name + "'"; };
  if (!anyQueue) {
    uint32_t lowest = *std::min_element(cycle.begin(), cycle.end());
    std::string path;
    auto it = std::find(cycle.begin(), cycle.end(), lowest);
    for (size_t k = 0; k <= cycle.size(); ++k) {
      path += (k ? " -> " : "") + name(*it);
      if (++it == cycle.end())
        it = cycle.begin();
    }
    return setError(TGRT_ERROR_CYCLE, "a dependence cycle through node " +
                                          std::to_string(lowest) + " (" +
                                          name(lowest) + "): " + path);
  }
  // Each step u -> w of the cycle (w = the next node) is a dependence of w
  // on u, or u before w in a queue.
  std::string steps;
  for (size_t k = 0; k < cycle.size(); ++k) {
    uint32_t u = cycle[k], w = cycle[(k + 1) % cycle.size()];
    steps += k ? ", " : "";
    if (byQueue[w])
      steps += "the queue of " + rt->procs[procOf[w]]->name + " puts " +
               name(u) + " before " + name(w);
    else
      steps += name(w) + " depends on " + name(u);
  }
  if (cycle.size() == 2) {
    uint32_t u = cycle[0], w = cycle[1];
    if (byQueue[w] && !byQueue[u])
      std::swap(u, w); // u: queued before w, which it depends on
    return setError(TGRT_ERROR_CYCLE, "the queue of " +
                                          rt->procs[procOf[u]]->name +
                                          " puts " + name(w) + " before " +
                                          name(u) + ", which it depends on");
  }
  return setError(TGRT_ERROR_CYCLE,
                  "the queues and the dependences form a cycle: " + steps);
}

tgrt_status tgrt_graph_impl::orderTopologically(const std::vector<BEdge> &edges,
                                                std::vector<uint32_t> &order) {
  const uint32_t n = static_cast<uint32_t>(bnodes.size());
  order.clear();
  order.reserve(n);
  // Creation order, when it is topological (the compiler adds nodes in a
  // topological order), so that each queue keeps the order the compiler
  // chose: two ops on one stream need no edge between them.
  bool creationOrderIsTopological = true;
  for (const BEdge &e : edges)
    creationOrderIsTopological &= e.pred < e.succ;
  if (creationOrderIsTopological) {
    for (uint32_t i = 0; i < n; ++i)
      order.push_back(i);
    return TGRT_OK;
  }
  Adjacency adj(n, edges);
  std::vector<int32_t> indeg(n, 0);
  for (const BEdge &e : edges)
    ++indeg[e.succ];
  for (uint32_t i = 0; i < n; ++i)
    if (indeg[i] == 0)
      order.push_back(i);
  for (size_t head = 0; head < order.size(); ++head) {
    uint32_t u = order[head];
    for (uint32_t k = adj.outBegin[u]; k < adj.outBegin[u + 1]; ++k)
      if (--indeg[edges[adj.outEdges[k]].succ] == 0)
        order.push_back(edges[adj.outEdges[k]].succ);
  }
  if (order.size() != n)
    return cycleError(edges, indeg, {}, {});
  return TGRT_OK;
}

tgrt_status tgrt_graph_impl::orderWithQueues(
    const std::vector<BEdge> &edges, const std::vector<uint32_t> &procOf,
    const std::vector<uint32_t> &queues, const std::vector<uint32_t> &begin,
    std::vector<uint32_t> &order) {
  // Kahn over the dependence edges plus an edge from each queued node to
  // its queue successor: O(V + E), and the order it yields agrees with
  // every queue (state layout and single-issue order rely on that).
  const uint32_t n = static_cast<uint32_t>(bnodes.size());
  const uint32_t numProcs = static_cast<uint32_t>(begin.size()) - 1;
  std::vector<uint32_t> queueNext(n, UINT32_MAX), queuePrev(n, UINT32_MAX);
  for (uint32_t p = 0; p < numProcs; ++p)
    for (uint32_t at = begin[p]; at + 1 < begin[p + 1]; ++at) {
      queueNext[queues[at]] = queues[at + 1];
      queuePrev[queues[at + 1]] = queues[at];
    }
  Adjacency adj(n, edges);
  std::vector<int32_t> indeg(n, 0);
  for (const BEdge &e : edges)
    ++indeg[e.succ];
  for (uint32_t v = 0; v < n; ++v)
    indeg[v] += queuePrev[v] != UINT32_MAX;
  order.clear();
  order.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    if (indeg[i] == 0)
      order.push_back(i);
  for (size_t head = 0; head < order.size(); ++head) {
    uint32_t u = order[head];
    for (uint32_t k = adj.outBegin[u]; k < adj.outBegin[u + 1]; ++k)
      if (--indeg[edges[adj.outEdges[k]].succ] == 0)
        order.push_back(edges[adj.outEdges[k]].succ);
    if (queueNext[u] != UINT32_MAX && --indeg[queueNext[u]] == 0)
      order.push_back(queueNext[u]);
  }
  if (order.size() != n)
    return cycleError(edges, indeg, queuePrev, procOf);
  return TGRT_OK;
}

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

  // --- The compiler's decisions are checked, never re-decided: a guarded
  // predicate, a device dependence and the expected dependency counts.
  std::vector<uint8_t> predMode(n, PredNone);
  for (uint32_t i = 0; i < n; ++i)
    if (bnodes[i].pred >= 0)
      predMode[i] = bnodes[i].predMode;
  if (tgrt_status s = checkGuarded(exec))
    return s;
  if (tgrt_status s = checkDeviceDeps(exec, gpuOf))
    return s;
  if (tgrt_status s = checkExpectedDeps())
    return s;

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
      // A guarded op reads its predicate on the stream: a producer that is
      // stream-ordered on the same GPU only needs to be issued first; any
      // other producer must have completed (its value is written by then).
      for (uint32_t p : producers)
        edges.push_back({p, i,
                         predMode[i] == PredGuarded &&
                                 exec[p] == ExecKind::Stream &&
                                 streamOrdered[p] && gpuOf[p] == gpuOf[i]
                             ? TGRT_DEP_DEVICE
                             : TGRT_DEP_HOST});
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

  // --- The queues and one global order consistent with them: the given
  // queue positions (checked), or a topological order of our own.
  const uint32_t numProcs = static_cast<uint32_t>(R.procs.size());
  std::vector<uint32_t> order;
  std::vector<uint32_t> givenQueues; // concatenated, when positions are given
  std::vector<uint32_t> givenBegin;
  bool positionsGiven = false;
  if (tgrt_status s = checkQueuePositions(exec, procOf, numProcs, givenQueues,
                                          givenBegin, positionsGiven))
    return s;
  if (tgrt_status s =
          positionsGiven
              ? orderWithQueues(edges, procOf, givenQueues, givenBegin, order)
              : orderTopologically(edges, order))
    return s;

  // --- Classify edges. A device edge releases its successor when the
  // predecessor is issued; same stream: FIFO order suffices; other stream of
  // the same gpu: the successor waits for the predecessor's event.
  // (checkDeviceDeps refused every device edge that cannot be honoured.)
  auto isDeviceEdge = [](const BEdge &e) { return e.kind == TGRT_DEP_DEVICE; };
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
  std::vector<uint32_t> issueCount(n, 0), completeCount(n, 0), localCount(n, 0),
      waitCount(n, 0);
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

  // --- Per-processor queues: as given, or in topological order.
  queueBegin.assign(numProcs + 1, 0);
  for (uint32_t i = 0; i < n; ++i)
    if (exec[i] != ExecKind::Inline)
      ++queueBegin[procOf[i] + 1];
  for (uint32_t p = 0; p < numProcs; ++p)
    queueBegin[p + 1] += queueBegin[p];
  queueNodes.assign(queueBegin[numProcs], 0);
  if (positionsGiven) {
    queueNodes = std::move(givenQueues);
  } else {
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
