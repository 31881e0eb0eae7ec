//===- Finalize.cpp - Freezing a built graph into a replay program --------===//
//
// finalize turns the builder's nodes, explicit dependences and implicit ones
// (value arguments, predicate inputs) into the ReplayProgram: flat arrays
// the replay engine reads without allocating. It runs as named phases, each
// a function of the Finalizer below:
//
//   placeNodes      where each node runs (worker, stream, inline)
//   checkModes      the compiler's guarded predicates, device dependences
//                   and dependency counts: honoured, or refused by name
//   collectEdges    explicit + implicit edges; final joins need none
//   orderQueues     the given queues (checked against the dependences) or
//                   a topological order of our own, and one global order
//   classifyEdges   released when issued / when complete / same worker
//   layoutNodes     argument words, value slots, else values, predicates,
//                   names (the program owns them)
//   layoutState     queues, state indices, counters, callback ranges
//   allocateShared  memory the device may read (value slots, guards, ...)
//   acquireStreams  private copy streams, events for cross-stream edges
//   planSingleIssuer whether one thread can issue the whole graph
//
// It never re-decides what the compiler chose (a queue order, a device
// dependence, a guarded predicate): it honours it or refuses the graph with
// a message that names the ops, so that an emulated run predicts a CUDA run
// and a wrong schedule is found at load time.
//
//===----------------------------------------------------------------------===//

#include "Graph.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

using namespace tgraph::rt;

namespace {

using BNode = GraphBuilder::BNode;
using BEdge = GraphBuilder::BEdge;
using BPred = GraphBuilder::BPred;
using Arg = GraphBuilder::Arg;

/// Emits the postfix program of one node's predicate onto `out` (the
/// graph's, shared by every node); tracks the stack depth and the length.
struct PredEmitter {
  static constexpr size_t kMaxSteps = 4096;
  const std::vector<BPred> &preds;
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
    const BPred &bp = preds[p];
    switch (bp.op) {
    case BPred::Const:
      out.push_back({PredInstr::PushConst, bp.a ? 1u : 0u});
      push();
      break;
    case BPred::From:
      out.push_back({PredInstr::PushSlot, resultSlotOf[bp.a] + bp.b});
      push();
      break;
    case BPred::Not:
      emit(bp.a, level + 1);
      out.push_back({PredInstr::Not, 0});
      break;
    case BPred::And:
    case BPred::Or:
      emit(bp.a, level + 1);
      emit(bp.b, level + 1);
      out.push_back({bp.op == BPred::And ? PredInstr::And : PredInstr::Or, 0});
      --depth;
      break;
    }
  }
};

void collectPredSources(const std::vector<BPred> &preds, uint32_t p,
                        std::vector<uint8_t> &seen,
                        std::vector<uint32_t> &producers) {
  if (seen[p])
    return;
  seen[p] = 1;
  const BPred &bp = preds[p];
  if (bp.op == BPred::From)
    producers.push_back(bp.a);
  if (bp.op == BPred::Not || bp.op == BPred::And || bp.op == BPred::Or)
    collectPredSources(preds, bp.a, seen, producers);
  if (bp.op == BPred::And || bp.op == BPred::Or)
    collectPredSources(preds, bp.b, seen, producers);
}

/// Out-edges in CSR form: edges[outEdges[outBegin[u]..outBegin[u+1])].
struct Adjacency {
  std::vector<uint32_t> outBegin, outEdges;
  Adjacency(uint32_t n, const std::vector<BEdge> &edges)
      : outBegin(n + 1, 0), outEdges(edges.size()) {
    for (const BEdge &e : edges)
      ++outBegin[e.pred + 1];
    for (uint32_t i = 0; i < n; ++i)
      outBegin[i + 1] += outBegin[i];
    std::vector<uint32_t> fill(outBegin.begin(), outBegin.end() - 1);
    for (uint32_t k = 0; k < edges.size(); ++k)
      outEdges[fill[edges[k].pred]++] = k;
  }
};

class Finalizer {
public:
  Finalizer(Graph &g, const GraphBuilder &b, ReplayProgram &prog)
      : g(g), R(*g.rt), b(b), P(prog), n(static_cast<uint32_t>(b.nodes.size())),
        numProcs(static_cast<uint32_t>(R.procs.size())) {}

  tgrt_status run() {
    if (tgrt_status s = placeNodes())
      return s;
    if (tgrt_status s = checkModes())
      return s;
    if (tgrt_status s = collectEdges())
      return s;
    if (tgrt_status s = orderQueues())
      return s;
    classifyEdges();
    if (tgrt_status s = layoutNodes())
      return s;
    layoutState();
    if (tgrt_status s = allocateShared())
      return s;
    if (tgrt_status s = acquireStreams())
      return s;
    planSingleIssuer();
    return TGRT_OK;
  }

private:
  tgrt_status placeNodes();
  tgrt_status checkModes();
  tgrt_status checkGuarded();
  tgrt_status checkDeviceDeps();
  tgrt_status checkExpectedDeps();
  tgrt_status collectEdges();
  tgrt_status orderQueues();
  tgrt_status checkQueuePositions(bool &given);
  tgrt_status orderTopologically();
  tgrt_status orderWithQueues();
  tgrt_status kahn(const std::vector<uint32_t> &queueNext,
                   const std::vector<uint32_t> &queuePrev);
  tgrt_status cycleError(const std::vector<int32_t> &indeg,
                         const std::vector<uint32_t> &queuePrev);
  void classifyEdges();
  tgrt_status layoutNodes();
  void layoutState();
  tgrt_status allocateShared();
  tgrt_status acquireStreams();
  void planSingleIssuer();

  std::string describe(uint32_t node) const { return b.describe(node); }
  std::string quoted(uint32_t node) const {
    return "'" + b.nodes[node].name + "'";
  }
  /// Why `node` cannot take part in device (stream-ordered) ordering, or
  /// an empty string if it can.
  std::string notStreamOrdered(uint32_t node) const;

  Graph &g;
  Runtime &R;
  const GraphBuilder &b;
  ReplayProgram &P;
  const uint32_t n, numProcs;

  // Per node (placeNodes).
  std::vector<ExecKind> exec;
  std::vector<uint8_t> streamOrdered;
  std::vector<uint32_t> procOf, gpuOf;
  // Every edge (collectEdges), the global order (orderQueues), and, when
  // the compiler gave positions, its queues.
  std::vector<BEdge> edges;
  std::vector<uint32_t> order;
  bool positionsGiven = false;
  std::vector<uint32_t> givenQueues, givenBegin;
  // Counters (classifyEdges) and value slots (layoutNodes).
  std::vector<int32_t> pendingOf;
  std::vector<uint32_t> resultSlotOf;
  uint32_t numSlots = 0;
};

//===----------------------------------------------------------------------===//
// placeNodes
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::placeNodes() {
  // Where each node executes, and whether it may take part in runahead
  // (stream-ordered ops on a stream).
  exec.assign(n, ExecKind::Inline);
  streamOrdered.assign(n, 0);
  procOf.assign(n, 0);
  gpuOf.assign(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const BNode &bn = b.nodes[i];
    if (bn.kind == NodeKind::Join)
      continue;
    if (bn.procKind == TGRT_PROC_CPU) {
      exec[i] = ExecKind::Cpu;
      procOf[i] = R.cpuProcId(bn.procIndex);
    } else {
      exec[i] = ExecKind::Stream;
      uint32_t local = bn.procKind == TGRT_PROC_COPY
                           ? R.config.streams_per_gpu + bn.stream
                           : bn.stream;
      procOf[i] = R.streamProcId(bn.procIndex, local);
      gpuOf[i] = bn.procIndex;
      streamOrdered[i] = bn.kind == NodeKind::Copy || bn.kernel->streamOrdered;
    }
    if (bn.kind == NodeKind::Copy) {
      if (!bn.dst && bn.dstParam < 0)
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "copy node " + std::to_string(i) +
                            " has a null destination and no parameter");
      if (!bn.src && bn.srcParam < 0)
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "copy node " + std::to_string(i) +
                            " has a null source and no parameter");
    }
    for (const Arg &a : bn.args)
      if (a.kind == Arg::Param && a.a >= b.numParams)
        return setError(TGRT_ERROR_OUT_OF_RANGE,
                        "node " + std::to_string(i) + " uses parameter " +
                            std::to_string(a.a) + " but the graph has " +
                            std::to_string(b.numParams));
    if ((bn.dstParam >= 0 && bn.dstParam >= b.numParams) ||
        (bn.srcParam >= 0 && bn.srcParam >= b.numParams))
      return setError(TGRT_ERROR_OUT_OF_RANGE,
                      "copy node " + std::to_string(i) +
                          " binds a parameter the graph does not have");
  }
  return TGRT_OK;
}

//===----------------------------------------------------------------------===//
// checkModes: the compiler's decisions, honoured or refused
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::checkModes() {
  if (tgrt_status s = checkGuarded())
    return s;
  if (tgrt_status s = checkDeviceDeps())
    return s;
  return checkExpectedDeps();
}

std::string Finalizer::notStreamOrdered(uint32_t node) const {
  const BNode &bn = b.nodes[node];
  if (bn.kind == NodeKind::Join)
    return describe(node) + " is a join, not an op on a stream";
  if (exec[node] != ExecKind::Stream)
    return describe(node) + " runs on cpu worker " +
           std::to_string(bn.procIndex) + ", not on a stream";
  if (bn.kind == NodeKind::Task && !bn.kernel->streamOrdered)
    return "kernel '" + bn.kernel->name + "' of " + describe(node) +
           " was registered without TGRT_KERNEL_STREAM_ORDERED";
  return std::string();
}

tgrt_status Finalizer::checkGuarded() {
  // One rule for every backend (an emulated run predicts a CUDA run): only
  // a stream-ordered task on a GPU stream can test its predicate on the
  // stream (CUDA: the kernel reads ctx->guard_device).
  for (uint32_t i = 0; i < n; ++i) {
    const BNode &bn = b.nodes[i];
    if (bn.pred < 0 || bn.predMode != PredGuarded)
      continue;
    std::string why;
    if (bn.kind == NodeKind::Copy)
      why = "it is a copy";
    else if (exec[i] != ExecKind::Stream)
      why = "it runs on cpu worker " + std::to_string(bn.procIndex);
    else if (!bn.kernel->streamOrdered)
      why = "its kernel '" + bn.kernel->name +
            "' was registered without TGRT_KERNEL_STREAM_ORDERED";
    else
      continue;
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    describe(i) +
                        " has a guarded predicate (TGRT_PRED_GUARDED) but " +
                        why +
                        "; only a stream-ordered task on a GPU stream can "
                        "check its predicate on the stream (use "
                        "TGRT_PRED_WAIT)");
  }
  return TGRT_OK;
}

tgrt_status Finalizer::checkDeviceDeps() {
  for (const BEdge &e : b.edges) {
    if (e.kind != TGRT_DEP_DEVICE)
      continue;
    std::string why = notStreamOrdered(e.pred);
    if (why.empty())
      why = notStreamOrdered(e.succ);
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

tgrt_status Finalizer::checkExpectedDeps() {
  bool any = false;
  for (const BNode &bn : b.nodes)
    any |= bn.expectDeps >= 0;
  if (!any)
    return TGRT_OK;
  // Distinct predecessors per node, O(V + E): the builder's edges (before
  // any pruning) bucketed by successor, a stamp per predecessor.
  std::vector<uint32_t> begin(n + 1, 0), preds(b.edges.size());
  for (const BEdge &e : b.edges)
    ++begin[e.succ + 1];
  for (uint32_t i = 0; i < n; ++i)
    begin[i + 1] += begin[i];
  {
    std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
    for (const BEdge &e : b.edges)
      preds[fill[e.succ]++] = e.pred;
  }
  std::vector<uint32_t> stamp(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    if (b.nodes[i].expectDeps < 0)
      continue;
    uint32_t distinct = 0;
    for (uint32_t k = begin[i]; k < begin[i + 1]; ++k)
      if (stamp[preds[k]] != i) {
        stamp[preds[k]] = i;
        ++distinct;
      }
    if (distinct != static_cast<uint64_t>(b.nodes[i].expectDeps))
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      describe(i) + " was declared with " +
                          std::to_string(b.nodes[i].expectDeps) +
                          " dependences (tgrt_graph_expect_deps) but " +
                          std::to_string(distinct) +
                          " distinct predecessors were added with "
                          "tgrt_graph_add_dep");
  }
  return TGRT_OK;
}

//===----------------------------------------------------------------------===//
// collectEdges
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::collectEdges() {
  // Explicit, value arguments, predicate inputs.
  edges = b.edges;
  std::vector<uint8_t> seen(b.preds.size());
  std::vector<uint32_t> producers;
  for (uint32_t i = 0; i < n; ++i) {
    const BNode &bn = b.nodes[i];
    for (const Arg &a : bn.args)
      if (a.kind == Arg::Value)
        edges.push_back({a.a, i, TGRT_DEP_HOST});
    if (bn.pred < 0)
      continue;
    std::fill(seen.begin(), seen.end(), 0);
    producers.clear();
    collectPredSources(b.preds, static_cast<uint32_t>(bn.pred), seen,
                       producers);
    // A guarded op reads its predicate on the stream: a producer that is
    // stream-ordered on the same GPU only needs to be issued first; any
    // other producer must have completed (its value is written by then).
    for (uint32_t p : producers)
      edges.push_back({p, i,
                       bn.predMode == PredGuarded &&
                               exec[p] == ExecKind::Stream &&
                               streamOrdered[p] && gpuOf[p] == gpuOf[i]
                           ? TGRT_DEP_DEVICE
                           : TGRT_DEP_HOST});
  }
  // A join that nothing depends on (the physical form's final join of a
  // graph's last ops) needs no edges: a replay completes only after all of
  // its ops anyway. Kept, each of its predecessors on a stream would need a
  // completion callback of its own on every replay.
  std::vector<uint8_t> hasSucc(n, 0);
  for (const BEdge &e : edges)
    hasSucc[e.pred] = 1;
  edges.erase(std::remove_if(edges.begin(), edges.end(),
                             [&](const BEdge &e) {
                               return b.nodes[e.succ].kind == NodeKind::Join &&
                                      !hasSucc[e.succ];
                             }),
              edges.end());
  for (const BEdge &e : edges)
    if (e.pred == e.succ)
      return setError(TGRT_ERROR_CYCLE, "node " + std::to_string(e.pred) +
                                            " ('" + b.nodes[e.pred].name +
                                            "') depends on itself");
  return TGRT_OK;
}

//===----------------------------------------------------------------------===//
// orderQueues
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::orderQueues() {
  if (tgrt_status s = checkQueuePositions(positionsGiven))
    return s;
  return positionsGiven ? orderWithQueues() : orderTopologically();
}

tgrt_status Finalizer::checkQueuePositions(bool &given) {
  int64_t withPos = -1, withoutPos = -1;
  for (uint32_t i = 0; i < n; ++i)
    if (exec[i] != ExecKind::Inline)
      (b.nodes[i].queuePos >= 0 ? withPos : withoutPos) = i;
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
  std::vector<uint32_t> &begin = givenBegin;
  begin.assign(numProcs + 1, 0);
  for (uint32_t i = 0; i < n; ++i)
    if (exec[i] != ExecKind::Inline)
      ++begin[procOf[i] + 1];
  for (uint32_t p = 0; p < numProcs; ++p)
    begin[p + 1] += begin[p];
  givenQueues.assign(begin[numProcs], UINT32_MAX);
  // Each processor's positions must be exactly 0..k-1: a position < k
  // taken twice is a duplicate; then a position >= k leaves a gap.
  for (uint32_t i = 0; i < n; ++i) {
    if (exec[i] == ExecKind::Inline)
      continue;
    const uint32_t p = procOf[i];
    const uint64_t k = begin[p + 1] - begin[p];
    const uint64_t pos = static_cast<uint64_t>(b.nodes[i].queuePos);
    if (pos >= k)
      continue;
    uint32_t &at = givenQueues[begin[p] + pos];
    if (at != UINT32_MAX)
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      describe(at) + " and " + describe(i) +
                          " both have position " + std::to_string(pos) +
                          " in the queue of " + R.procs[p]->name);
    at = i;
  }
  for (uint32_t p = 0; p < numProcs; ++p)
    for (uint32_t at = begin[p]; at < begin[p + 1]; ++at) {
      if (givenQueues[at] != UINT32_MAX)
        continue;
      const uint32_t k = begin[p + 1] - begin[p];
      std::string example;
      for (uint32_t i = 0; i < n && example.empty(); ++i)
        if (exec[i] != ExecKind::Inline && procOf[i] == p &&
            static_cast<uint64_t>(b.nodes[i].queuePos) >= k)
          example = " (" + describe(i) + " has position " +
                    std::to_string(b.nodes[i].queuePos) + ")";
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "the queue of " + R.procs[p]->name + " has no position " +
                          std::to_string(at - begin[p]) + ": its " +
                          std::to_string(k) +
                          " tasks and copies need positions 0.." +
                          std::to_string(k - 1) + example);
    }
  return TGRT_OK;
}

tgrt_status Finalizer::orderTopologically() {
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
  return kahn({}, {});
}

tgrt_status Finalizer::orderWithQueues() {
  // Kahn over the dependence edges plus an edge from each queued node to
  // its queue successor: O(V + E), and the order it yields agrees with
  // every queue (state layout and single-issue order rely on that).
  std::vector<uint32_t> queueNext(n, UINT32_MAX), queuePrev(n, UINT32_MAX);
  for (uint32_t p = 0; p < numProcs; ++p)
    for (uint32_t at = givenBegin[p]; at + 1 < givenBegin[p + 1]; ++at) {
      queueNext[givenQueues[at]] = givenQueues[at + 1];
      queuePrev[givenQueues[at + 1]] = givenQueues[at];
    }
  order.clear();
  order.reserve(n);
  return kahn(queueNext, queuePrev);
}

/// Kahn's algorithm over the dependence edges and, when given, each queued
/// node's edge to its queue successor (`queueNext`, `queuePrev`: empty when
/// no queues are given); a leftover node lies on or behind a cycle.
tgrt_status Finalizer::kahn(const std::vector<uint32_t> &queueNext,
                            const std::vector<uint32_t> &queuePrev) {
  const bool queues = !queueNext.empty();
  Adjacency adj(n, edges);
  std::vector<int32_t> indeg(n, 0);
  for (const BEdge &e : edges)
    ++indeg[e.succ];
  if (queues)
    for (uint32_t v = 0; v < n; ++v)
      indeg[v] += queuePrev[v] != UINT32_MAX;
  for (uint32_t i = 0; i < n; ++i)
    if (indeg[i] == 0)
      order.push_back(i);
  for (size_t head = 0; head < order.size(); ++head) {
    uint32_t u = order[head];
    for (uint32_t k = adj.outBegin[u]; k < adj.outBegin[u + 1]; ++k)
      if (--indeg[edges[adj.outEdges[k]].succ] == 0)
        order.push_back(edges[adj.outEdges[k]].succ);
    if (queues && queueNext[u] != UINT32_MAX && --indeg[queueNext[u]] == 0)
      order.push_back(queueNext[u]);
  }
  if (order.size() != n)
    return cycleError(indeg, queuePrev);
  return TGRT_OK;
}

/// Names a cycle among the nodes Kahn's algorithm left over (each of them
/// has a leftover predecessor, so walking predecessors back must repeat).
/// `queuePrev[v]` is v's predecessor in its queue (empty: no queues given).
tgrt_status Finalizer::cycleError(const std::vector<int32_t> &indeg,
                                  const std::vector<uint32_t> &queuePrev) {
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
  if (!anyQueue) {
    uint32_t lowest = *std::min_element(cycle.begin(), cycle.end());
    std::string path;
    auto it = std::find(cycle.begin(), cycle.end(), lowest);
    for (size_t k = 0; k <= cycle.size(); ++k) {
      path += (k ? " -> " : "") + quoted(*it);
      if (++it == cycle.end())
        it = cycle.begin();
    }
    return setError(TGRT_ERROR_CYCLE, "a dependence cycle through node " +
                                          std::to_string(lowest) + " (" +
                                          quoted(lowest) + "): " + path);
  }
  if (cycle.size() == 2) {
    uint32_t u = cycle[0], w = cycle[1];
    if (byQueue[w] && !byQueue[u])
      std::swap(u, w); // now the queue puts w before u, which w depends on
    return setError(TGRT_ERROR_CYCLE, "the queue of " +
                                          R.procs[procOf[u]]->name + " puts " +
                                          quoted(w) + " before " + quoted(u) +
                                          ", which it depends on");
  }
  // Each step u -> w of the cycle (w = the next node) is a dependence of w
  // on u, or u before w in a queue.
  std::string steps;
  for (size_t k = 0; k < cycle.size(); ++k) {
    uint32_t u = cycle[k], w = cycle[(k + 1) % cycle.size()];
    steps += k ? ", " : "";
    if (byQueue[w])
      steps += "the queue of " + R.procs[procOf[w]]->name + " puts " +
               quoted(u) + " before " + quoted(w);
    else
      steps += quoted(w) + " depends on " + quoted(u);
  }
  return setError(TGRT_ERROR_CYCLE,
                  "the queues and the dependences form a cycle: " + steps);
}

//===----------------------------------------------------------------------===//
// classifyEdges
//===----------------------------------------------------------------------===//

void Finalizer::classifyEdges() {
  // A device edge releases its successor when the predecessor is issued;
  // same stream: FIFO order suffices; other stream of the same gpu: the
  // successor waits for the predecessor's event. (checkModes refused every
  // device edge that cannot be honoured.)
  auto isDeviceEdge = [](const BEdge &e) { return e.kind == TGRT_DEP_DEVICE; };
  // A dependence between two nodes of one CPU worker needs no counter: the
  // worker runs its queue in an order consistent with the dependences, so
  // the predecessor has completed, on this very thread, before the
  // successor starts. Such an edge is kept only to poison the successor
  // when the predecessor fails. (A one-worker graph then replays with no
  // atomic read-modify-write.)
  auto isLocalEdge = [&](const BEdge &e) {
    return exec[e.pred] == ExecKind::Cpu && exec[e.succ] == ExecKind::Cpu &&
           procOf[e.pred] == procOf[e.succ];
  };
  P.nodes.assign(n, XNode{});
  std::vector<uint32_t> issueCount(n, 0), completeCount(n, 0), localCount(n, 0),
      waitCount(n, 0);
  pendingOf.assign(n, 0);
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
    XNode &x = P.nodes[i];
    x.issueBegin = x.issueEnd = succPos;
    succPos += issueCount[i];
    x.completeBegin = x.completeEnd = succPos;
    succPos += completeCount[i];
    x.localEnd = succPos; // the local range starts at the final completeEnd
    succPos += localCount[i];
    x.waitBegin = x.waitEnd = waitPos;
    waitPos += waitCount[i];
  }
  P.succs.assign(succPos, 0);
  P.crossWaits.assign(waitPos, 0);
  for (const BEdge &e : edges) {
    if (isLocalEdge(e)) {
      P.succs[P.nodes[e.pred].localEnd++] = e.succ;
    } else if (isDeviceEdge(e)) {
      P.succs[P.nodes[e.pred].issueEnd++] = e.succ;
      if (procOf[e.pred] != procOf[e.succ]) {
        P.crossWaits[P.nodes[e.succ].waitEnd++] = e.pred;
        P.nodes[e.pred].needsRecord = true;
      }
    } else {
      P.succs[P.nodes[e.pred].completeEnd++] = e.succ;
    }
  }
}

//===----------------------------------------------------------------------===//
// layoutNodes
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::layoutNodes() {
  // Value slots, argument words, else values, predicates, names.
  resultSlotOf.assign(n, 0);
  numSlots = 0;
  for (uint32_t i = 0; i < n; ++i) {
    resultSlotOf[i] = numSlots;
    numSlots += b.nodes[i].numResults;
  }
  P.numParams = b.numParams;
  // The program owns its names: one buffer, NUL-separated, pointed into
  // once it is complete (it does not move afterwards).
  std::vector<size_t> nameAt(n);
  for (uint32_t i = 0; i < n; ++i) {
    nameAt[i] = P.names.size();
    P.names.append(b.nodes[i].name).push_back('\0');
  }
  for (uint32_t i = 0; i < n; ++i) {
    const BNode &bn = b.nodes[i];
    XNode &x = P.nodes[i];
    x.kind = bn.kind;
    x.exec = exec[i];
    x.predMode = bn.pred >= 0 ? bn.predMode : uint8_t(PredNone);
    x.streamOrdered = streamOrdered[i] != 0;
    x.capturable = bn.kernel && bn.kernel->capturable;
    x.proc = procOf[i];
    x.gpu = gpuOf[i];
    x.stream =
        exec[i] == ExecKind::Stream ? R.procs[procOf[i]]->globalStream : 0;
    x.streamLocal = bn.stream;
    x.name = P.names.data() + nameAt[i];
    x.argBegin = static_cast<uint32_t>(P.argWords.size());
    x.numArgs = static_cast<uint32_t>(bn.args.size());
    x.patchBegin = static_cast<uint32_t>(P.patches.size());
    for (const Arg &a : bn.args) {
      uint32_t at = static_cast<uint32_t>(P.argWords.size());
      P.argWords.push_back(a.kind == Arg::Imm ? a.bits : 0);
      if (a.kind == Arg::Param)
        P.paramPatches.push_back({at, Patch::Param, a.a});
      else if (a.kind == Arg::Value)
        P.patches.push_back({at, Patch::Value, resultSlotOf[a.a] + a.b});
    }
    x.patchEnd = static_cast<uint32_t>(P.patches.size());
    x.resultSlot = resultSlotOf[i];
    x.numResults = bn.numResults;
    x.elseBegin = static_cast<uint32_t>(P.elseWrites.size());
    for (uint32_t r = 0; r < bn.numResults; ++r)
      P.elseWrites.push_back({resultSlotOf[i] + r, 0, bn.elseValues[r]});
    x.elseEnd = static_cast<uint32_t>(P.elseWrites.size());
    x.fn = bn.kernel ? bn.kernel->fn : nullptr;
    x.userData = bn.kernel ? bn.kernel->userData : nullptr;
    x.dst = bn.dst;
    x.src = bn.src;
    x.dstOffset = bn.dstOffset;
    x.srcOffset = bn.srcOffset;
    x.bytes = bn.bytes;
    x.dstParam = bn.dstParam;
    x.srcParam = bn.srcParam;
    x.predBegin = static_cast<uint32_t>(P.predProgram.size());
    if (bn.pred >= 0) {
      PredEmitter em{b.preds, resultSlotOf, P.predProgram};
      em.emit(static_cast<uint32_t>(bn.pred), 0);
      if (em.tooBig || em.maxDepth > kMaxPredStack ||
          P.predProgram.size() - x.predBegin > PredEmitter::kMaxSteps)
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "the predicate of node " + std::to_string(i) +
                            " is too large to evaluate (at most " +
                            std::to_string(PredEmitter::kMaxSteps) +
                            " steps and a stack of " +
                            std::to_string(kMaxPredStack) + ")");
    }
    x.predLength = static_cast<uint32_t>(P.predProgram.size()) - x.predBegin;
  }
  return TGRT_OK;
}

//===----------------------------------------------------------------------===//
// layoutState
//===----------------------------------------------------------------------===//

void Finalizer::layoutState() {
  // Per-processor queues: as given, or in the topological order.
  P.queueBegin.assign(numProcs + 1, 0);
  for (uint32_t i = 0; i < n; ++i)
    if (exec[i] != ExecKind::Inline)
      ++P.queueBegin[procOf[i] + 1];
  for (uint32_t p = 0; p < numProcs; ++p)
    P.queueBegin[p + 1] += P.queueBegin[p];
  if (positionsGiven) {
    P.queueNodes = std::move(givenQueues);
  } else {
    P.queueNodes.assign(P.queueBegin[numProcs], 0);
    std::vector<uint32_t> fill(P.queueBegin.begin(), P.queueBegin.end() - 1);
    for (uint32_t u : order)
      if (exec[u] != ExecKind::Inline)
        P.queueNodes[fill[procOf[u]]++] = u;
  }
  // State indices: queue position, then inline joins (see nodeOfState).
  P.nodeOfState.assign(P.queueNodes.begin(), P.queueNodes.end());
  for (uint32_t u : order)
    if (exec[u] == ExecKind::Inline)
      P.nodeOfState.push_back(u);
  P.initialPending.assign(n, 0);
  for (uint32_t st = 0; st < n; ++st) {
    P.nodes[P.nodeOfState[st]].state = st;
    P.initialPending[st] = pendingOf[P.nodeOfState[st]];
  }
  for (uint32_t &succ : P.succs)
    succ = P.nodes[succ].state;

  P.finishTarget = 0;
  for (uint32_t p = 0; p < numProcs; ++p) {
    if (P.queueBegin[p] == P.queueBegin[p + 1])
      continue;
    P.involved.push_back(p);
    if (R.procs[p]->kind == Processor::Kind::Cpu) {
      ++P.finishTarget; // a CPU walker reports once, after its whole queue
      continue;
    }
    // A stream reports completion in ranges: after each op that releases a
    // successor on completion, and after its last op.
    uint32_t rangeBegin = P.queueBegin[p];
    for (uint32_t pos = P.queueBegin[p]; pos < P.queueBegin[p + 1]; ++pos) {
      XNode &x = P.nodes[P.queueNodes[pos]];
      if (x.completeBegin != x.completeEnd || pos + 1 == P.queueBegin[p + 1]) {
        x.callbackAfter = true;
        x.callbackRange = static_cast<uint32_t>(P.callbackRanges.size());
        P.callbackRanges.push_back({&g, rangeBegin, pos + 1});
        rangeBegin = pos + 1;
        ++P.finishTarget;
      }
    }
  }
  for (uint32_t u : order)
    if (exec[u] == ExecKind::Inline) {
      ++P.finishTarget;
      if (pendingOf[u] == 0)
        P.inlineRoots.push_back(u);
    }
  P.deviceArgs.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    P.deviceArgs[i] = {&g, i};
  P.issueOrder = order;
}

//===----------------------------------------------------------------------===//
// allocateShared
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::allocateShared() {
  // Memory the device may read: value slots, guard flags, predicate
  // programs, else values.
  SharedMemory &m = g.shared;
  const bool cuda = R.usesCuda;
  auto allocShared = [&](size_t bytes) -> void * {
    bytes = std::max<size_t>(bytes, 8);
    void *p = R.backend ? R.backend->allocShared(bytes) : std::calloc(1, bytes);
    if (p)
      std::memset(p, 0, bytes);
    return p;
  };
  m.fromBackend = R.backend != nullptr;
  m.slots = static_cast<uint64_t *>(allocShared(numSlots * sizeof(uint64_t)));
  if (cuda) {
    m.guardFlags = static_cast<int32_t *>(allocShared(n * sizeof(int32_t)));
    m.predShared = static_cast<PredInstr *>(
        allocShared(P.predProgram.size() * sizeof(PredInstr)));
    m.elseShared = static_cast<ElseWrite *>(
        allocShared(P.elseWrites.size() * sizeof(ElseWrite)));
    if (m.predShared && !P.predProgram.empty())
      std::memcpy(m.predShared, P.predProgram.data(),
                  P.predProgram.size() * sizeof(PredInstr));
    if (m.elseShared && !P.elseWrites.empty())
      std::memcpy(m.elseShared, P.elseWrites.data(),
                  P.elseWrites.size() * sizeof(ElseWrite));
  }
  if (!m.slots || (cuda && (!m.guardFlags || !m.predShared || !m.elseShared)))
    return setError(TGRT_ERROR_OUT_OF_MEMORY,
                    "cannot allocate the value slots of graph '" + g.name +
                        "'");
  auto alias = [&](auto *hostPtr) {
    using T = std::remove_pointer_t<decltype(hostPtr)>;
    return R.backend && hostPtr
               ? static_cast<T *>(R.backend->deviceAlias(hostPtr))
               : hostPtr;
  };
  m.slotsDevice = alias(m.slots);
  m.predDevice = alias(m.predShared);
  m.elseDevice = alias(m.elseShared);
  m.guardFlagsDevice = alias(m.guardFlags);
  return TGRT_OK;
}

//===----------------------------------------------------------------------===//
// acquireStreams
//===----------------------------------------------------------------------===//

tgrt_status Finalizer::acquireStreams() {
  StreamResources &res = g.resources;
  // Dedicated copy streams: each copy stream this graph uses gets a stream
  // of its own (CUDA), so graphs do not serialize on shared copy streams;
  // the runtime's copy-stream processor still issues to it.
  for (uint32_t p : P.involved) {
    const Processor &proc = *R.procs[p];
    if (proc.kind != Processor::Kind::Stream || !proc.isCopyStream)
      continue;
    std::string error;
    uint32_t own = proc.globalStream;
    if (R.backend->acquirePrivateStream(proc.globalStream, own, error) !=
        TGRT_OK)
      return setError(TGRT_ERROR_CUDA, "cannot create a copy stream: " + error);
    res.privateStreams.push_back({proc.globalStream, own});
    for (uint32_t pos = P.queueBegin[p]; pos < P.queueBegin[p + 1]; ++pos)
      P.nodes[P.queueNodes[pos]].stream = own;
  }
  // Backend events for cross-stream device edges.
  for (uint32_t i = 0; i < n; ++i) {
    if (!P.nodes[i].needsRecord)
      continue;
    std::string error;
    uint32_t ev = 0;
    if (R.backend->acquireEvent(ev, error) != TGRT_OK)
      return setError(TGRT_ERROR_CUDA, "cannot create an event: " + error);
    P.nodes[i].event = ev;
    res.backendEvents.push_back(ev);
  }
  return TGRT_OK;
}

//===----------------------------------------------------------------------===//
// planSingleIssuer
//===----------------------------------------------------------------------===//

/// Whether one host thread can issue the whole graph in topological order
/// without ever waiting: every node is a stream-ordered op on one GPU and
/// every dependence is a device dependence (released when its predecessor is
/// issued). Then no processor hand-off is needed, and when every kernel is
/// capturable the issue can be recorded as a device graph (DeviceGraph.cpp
/// finds the streams to record on).
void Finalizer::planSingleIssuer() {
  P.singleIssuer = P.capturable = false;
  if (!R.backend)
    return;
  const XNode *first = nullptr; // the first op in the global order
  for (uint32_t u : P.issueOrder)
    if (P.nodes[u].exec == ExecKind::Stream) {
      first = &P.nodes[u];
      break;
    }
  if (!first)
    return;
  bool allCapturable = true;
  for (uint32_t i = 0; i < n; ++i) {
    const XNode &x = P.nodes[i];
    if (x.exec == ExecKind::Inline) {
      // A join with neither predecessors nor successors (a final join, see
      // collectEdges) runs when the replay starts; any other needs a host.
      if (P.initialPending[x.state] != 0 || x.issueBegin != x.localEnd)
        return;
      continue;
    }
    if (x.exec != ExecKind::Stream || x.gpu != first->gpu ||
        x.predMode == PredWait || x.patchBegin != x.patchEnd ||
        x.completeBegin != x.completeEnd || !x.streamOrdered)
      return;
    if (x.kind == NodeKind::Task && !x.capturable)
      allCapturable = false;
  }
  P.singleIssuer = true;
  P.capturable = allCapturable && R.backend->supportsCapture();
  P.issuerProc = first->proc;
  P.captureOrigin = first->stream;
}

} // namespace

/// Runs the phases; on success the graph holds the program, its per-replay
/// state is sized, and the builder is freed. The program is built in place
/// (it is not moved afterwards: node names point into it).
tgrt_status tgrt_graph_impl::finalize() {
  Finalizer f(*this, *builder, program);
  if (tgrt_status s = f.run()) {
    releaseResources();
    program = ReplayProgram{};
    return s;
  }
  const uint32_t n = program.numNodes();
  st.allocate(n);
  st.argWords = program.argWords;
  if (tracing.enabled)
    tracing.spans.assign(n, Tracing::Span{});
  planRecording();
  builder.reset(); // the program owns all it needs
  finalized = true;
  return TGRT_OK;
}
