//===- FuzzCApi.cpp - fuzz sequences of tgrt.h calls ----------------------===//
//
// libFuzzer target tgraph-fuzz-capi. The input is decoded (with
// FuzzedDataProvider) into a runtime configuration and then a sequence of up
// to 256 C ABI calls with arguments, good and bad: kernel registration,
// graph building, predicates, the schedule (queue positions, expected
// dependence counts), finalize, replays, events, buffers, tracing, capture,
// destruction in any order, and optionally a second thread replaying a graph
// of its own. Every call must return a status: a crash, a sanitizer report,
// a hang (libFuzzer's -timeout) or a leak is a bug.
//
// What the harness never does, because the runtime cannot detect it (tgrt.h
// and CApi.cpp say so): pass a destroyed graph or runtime handle, copy
// outside the buffers it gave (a copy's bounds are checked here before any
// replay of its graph), release a user event a replay may still wait for,
// or block (wait, destroy) while a user event it created is not triggered.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr uint64_t kArenaBytes = 4096;
constexpr uint32_t kMaxParams = 8;
constexpr int kMaxReplays = 8;
constexpr int kMaxCalls = 256;

int32_t valueKernel(tgrt_task_context *ctx) {
  for (uint32_t i = 0; i < ctx->num_results; ++i)
    ctx->results[i] = ctx->num_args ? ctx->args[0] + i : i;
  return 0;
}
int32_t failKernel(tgrt_task_context *ctx) { return 1; }
int32_t failWithMessageKernel(tgrt_task_context *ctx) {
  tgrt_task_set_error(ctx, ctx->task_name ? ctx->task_name : "?");
  return 7;
}
int32_t argsKernel(tgrt_task_context *ctx) {
  // Reads every argument word and the context's fields (not through them).
  uint64_t sum = ctx->replay_index + ctx->processor + ctx->stream_index;
  for (uint32_t i = 0; i < ctx->num_args; ++i)
    sum += ctx->args[i];
  if (ctx->num_results)
    ctx->results[0] = sum & 1;
  return 0;
}

const tgrt_kernel_fn kKernelFns[] = {valueKernel, failKernel,
                                     failWithMessageKernel, argsKernel};
const char *const kKernelNames[] = {"k0", "k1", "k2", "g0", "g1", "fail"};

/// A copy as the harness added it: where its ends are.
struct CopyInfo {
  uint32_t node;
  bool dstArena = false, srcArena = false; // a pointer of the harness
  uint64_t dstOffset = 0, srcOffset = 0, bytes = 0;
  int64_t dstParam = -1, srcParam = -1;
};

struct GraphInfo {
  tgrt_graph handle = nullptr;
  uint32_t numParams = 0;
  bool finalized = false;
  uint32_t nodes = 0, preds = 0; // as far as the harness knows
  std::vector<CopyInfo> copies;
};

struct EventInfo {
  tgrt_event handle = nullptr;
  bool user = false;      // created with tgrt_event_create
  bool triggered = false; // by the harness (user events)
};

class Harness {
public:
  explicit Harness(FuzzedDataProvider &fdp) : fdp(fdp) {
    for (uint32_t i = 0; i < kMaxParams; ++i)
      params[i] = reinterpret_cast<uintptr_t>(paramArena + i * kArenaBytes);
  }

  void run();

private:
  FuzzedDataProvider &fdp;
  tgrt_runtime rt = nullptr;
  std::vector<GraphInfo> graphs;
  std::vector<EventInfo> events;
  std::vector<tgrt_event> released; // for queries of released events
  std::vector<std::pair<void *, int32_t>> buffers; // tgrt_mem_alloc'ed, 4 KB
  int replays = 0;
  std::thread replayer;
  GraphInfo replayerGraph;
  alignas(64) uint8_t dstArena[kArenaBytes] = {};
  alignas(64) uint8_t srcArena[kArenaBytes] = {};
  alignas(64) uint8_t paramArena[kMaxParams * kArenaBytes] = {};
  // Not a handle: zeroed memory large enough to read any handle's magic.
  alignas(64) uint8_t bogus[4096] = {};
  uint64_t params[kMaxParams];

  static void check(tgrt_status s, const char *call) {
    if (s < TGRT_OK || s > TGRT_ERROR_INTERNAL) {
      std::fprintf(stderr, "fuzz: %s returned %d, not a tgrt_status\n", call,
                   int(s));
      std::abort();
    }
    if (s != TGRT_OK && !tgrt_last_error()) {
      std::fprintf(stderr, "fuzz: %s failed without a message\n", call);
      std::abort();
    }
  }
#define CALL(expr) check((expr), #expr)

  uint32_t id(uint32_t known) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return UINT32_MAX;
    case 1:
      return known + fdp.ConsumeIntegralInRange<uint32_t>(0, 3);
    default:
      return known ? fdp.ConsumeIntegralInRange<uint32_t>(0, known - 1) : 0;
    }
  }
  int32_t smallInt(int32_t lo, int32_t hi) {
    if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0)
      return fdp.ConsumeIntegral<int32_t>();
    return fdp.ConsumeIntegralInRange<int32_t>(lo, hi);
  }
  const char *kernelName() {
    switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      return nullptr;
    case 1:
      return "";
    case 2:
      return "not-registered";
    default:
      return kKernelNames[fdp.ConsumeIntegralInRange<size_t>(
          0, sizeof kKernelNames / sizeof *kKernelNames - 1)];
    }
  }
  GraphInfo *pickGraph() {
    if (graphs.empty())
      return nullptr;
    return &graphs[fdp.ConsumeIntegralInRange<size_t>(0, graphs.size() - 1)];
  }
  /// A graph handle: usually a live one, sometimes null or bogus.
  tgrt_graph graphHandle(GraphInfo *&info) {
    info = nullptr;
    int pick = fdp.ConsumeIntegralInRange<int>(0, 15);
    if (pick == 0)
      return nullptr;
    if (pick == 1)
      return reinterpret_cast<tgrt_graph>(bogus);
    info = pickGraph();
    return info ? info->handle : nullptr;
  }
  tgrt_runtime runtimeHandle() {
    int pick = fdp.ConsumeIntegralInRange<int>(0, 15);
    if (pick == 0)
      return nullptr;
    if (pick == 1)
      return reinterpret_cast<tgrt_runtime>(bogus);
    return rt;
  }

  /// Before anything that blocks: every user event the harness holds
  /// triggers (a replay may wait for any of them).
  void triggerAll() {
    for (EventInfo &e : events)
      if (e.user && !e.triggered) {
        CALL(tgrt_event_trigger(e.handle));
        e.triggered = true;
      }
  }

  bool replaySafe(const GraphInfo &g, uint32_t numParams) const {
    if (numParams > kMaxParams)
      return false;
    for (const CopyInfo &c : g.copies) {
      if (c.bytes > kArenaBytes || c.dstOffset > kArenaBytes - c.bytes ||
          c.srcOffset > kArenaBytes - c.bytes)
        return false;
      bool dstOk =
          c.dstParam >= 0 ? c.dstParam < int64_t(numParams) : c.dstArena;
      bool srcOk =
          c.srcParam >= 0 ? c.srcParam < int64_t(numParams) : c.srcArena;
      if (!dstOk || !srcOk || (c.dstParam >= 0 && c.dstParam == c.srcParam))
        return false;
    }
    return true;
  }

  void addTask(GraphInfo *g, tgrt_graph h);
  void addCopy(GraphInfo *g, tgrt_graph h);
  void replay();
  void startReplayer();
  void joinReplayer();
  void destroyGraph();
  void finish();
};

void Harness::addTask(GraphInfo *g, tgrt_graph h) {
  uint32_t node = UINT32_MAX;
  tgrt_status s = tgrt_graph_add_task(
      h, kernelName(), smallInt(0, 4), smallInt(0, 3), smallInt(0, 3),
      smallInt(0, 3), fdp.ConsumeBool() ? &node : nullptr);
  CALL(s);
  if (s == TGRT_OK && g && g->handle == h)
    g->nodes = node + 1;
}

void Harness::addCopy(GraphInfo *g, tgrt_graph h) {
  CopyInfo c;
  int dstPick = fdp.ConsumeIntegralInRange<int>(0, 3);
  int srcPick = fdp.ConsumeIntegralInRange<int>(0, 3);
  c.dstArena = dstPick != 0;
  c.srcArena = srcPick != 0;
  c.bytes = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<uint64_t>(0, 512)
                              : fdp.ConsumeIntegral<uint64_t>();
  c.dstOffset = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<uint64_t>(0, 512)
                                  : fdp.ConsumeIntegral<uint64_t>();
  c.srcOffset = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<uint64_t>(0, 512)
                                  : fdp.ConsumeIntegral<uint64_t>();
  uint32_t node = UINT32_MAX;
  tgrt_status s =
      tgrt_graph_add_copy(h, smallInt(0, 4), smallInt(0, 2), smallInt(0, 3),
                          c.dstArena ? dstArena : nullptr, smallInt(0, 2),
                          c.dstOffset, c.srcArena ? srcArena : nullptr,
                          smallInt(0, 2), c.srcOffset, c.bytes, &node);
  CALL(s);
  if (s == TGRT_OK && g && g->handle == h) {
    c.node = node;
    g->nodes = node + 1;
    g->copies.push_back(c);
  }
}

void Harness::replay() {
  GraphInfo *g = nullptr;
  tgrt_graph h = graphHandle(g);
  uint32_t numParams = g ? g->numParams : 0;
  if (fdp.ConsumeIntegralInRange<int>(0, 7) == 0)
    numParams = fdp.ConsumeIntegralInRange<uint32_t>(0, kMaxParams);
  // A real graph replays only when its copies stay inside the harness's
  // buffers; a bogus or null handle must be refused before anything runs.
  if (g && !replaySafe(*g, numParams))
    return;
  std::vector<tgrt_event> pre;
  size_t numPre = fdp.ConsumeIntegralInRange<size_t>(0, 3);
  for (size_t i = 0; i < numPre && !events.empty(); ++i)
    pre.push_back(
        events[fdp.ConsumeIntegralInRange<size_t>(0, events.size() - 1)]
            .handle);
  if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0)
    pre.push_back(nullptr);
  tgrt_event done = nullptr;
  bool wantDone = fdp.ConsumeIntegralInRange<int>(0, 7) != 0;
  tgrt_status s = tgrt_graph_replay(h, pre.empty() ? nullptr : pre.data(),
                                    static_cast<uint32_t>(pre.size()), params,
                                    numParams, wantDone ? &done : nullptr);
  CALL(s);
  if (s == TGRT_OK) {
    ++replays;
    if (wantDone)
      events.push_back({done, false, false});
  }
}

void Harness::startReplayer() {
  if (replayer.joinable() || graphs.empty())
    return;
  size_t i = fdp.ConsumeIntegralInRange<size_t>(0, graphs.size() - 1);
  if (!graphs[i].finalized || !replaySafe(graphs[i], graphs[i].numParams))
    return;
  int n = fdp.ConsumeIntegralInRange<int>(1, 4);
  replayerGraph = graphs[i];
  graphs.erase(graphs.begin() + i);
  tgrt_graph h = replayerGraph.handle;
  uint32_t numParams = replayerGraph.numParams;
  const uint64_t *p = params;
  replayer = std::thread([h, numParams, p, n] {
    for (int r = 0; r < n; ++r) {
      tgrt_event done = nullptr;
      tgrt_status s = tgrt_graph_replay(h, nullptr, 0, p, numParams, &done);
      check(s, "tgrt_graph_replay (replayer thread)");
      if (s != TGRT_OK)
        break;
      check(tgrt_event_wait(done), "tgrt_event_wait (replayer thread)");
      check(tgrt_event_release(done), "tgrt_event_release (replayer thread)");
    }
  });
}

void Harness::joinReplayer() {
  if (!replayer.joinable())
    return;
  replayer.join();
  graphs.push_back(replayerGraph);
}

void Harness::destroyGraph() {
  if (graphs.empty())
    return;
  size_t i = fdp.ConsumeIntegralInRange<size_t>(0, graphs.size() - 1);
  triggerAll();
  CALL(tgrt_graph_destroy(graphs[i].handle));
  graphs.erase(graphs.begin() + i);
}

void Harness::finish() {
  triggerAll();
  joinReplayer();
  // Wait for every replay whose event the harness holds, then release.
  for (EventInfo &e : events) {
    if (!e.user)
      CALL(tgrt_event_wait(e.handle));
    CALL(tgrt_event_release(e.handle));
  }
  events.clear();
  // Destroy some graphs (and free some buffers) before the runtime, leave
  // the rest to tgrt_runtime_destroy.
  while (!graphs.empty() && fdp.ConsumeBool())
    destroyGraph();
  while (!buffers.empty() && fdp.ConsumeBool()) {
    CALL(tgrt_mem_free(rt, buffers.back().second, buffers.back().first));
    buffers.pop_back();
  }
  // Buffers are the caller's: free the rest too (before or after is the
  // runtime's business only while it lives).
  for (auto &[ptr, kind] : buffers)
    CALL(tgrt_mem_free(rt, kind, ptr));
  buffers.clear();
  CALL(tgrt_runtime_destroy(rt));
  rt = nullptr;
  graphs.clear();
}

void Harness::run() {
  tgrt_config config;
  CALL(tgrt_config_init(fdp.ConsumeIntegralInRange<int>(0, 31) ? &config
                                                               : nullptr));
  tgrt_config_init(&config);
  // Small machines: every input starts and stops the runtime's threads
  // (a worker per CPU, a thread per emulated stream), the bulk of its cost.
  config.num_cpu_workers = smallInt(0, 2);
  config.num_gpus = smallInt(0, 1);
  config.streams_per_gpu = smallInt(0, 2);
  config.copy_streams_per_gpu = smallInt(0, 1);
  // AUTO and CUDA fall back to / fail without CUDA; this build has none.
  config.stream_mode = smallInt(0, 3);
  config.spin_iterations = fdp.ConsumeIntegralInRange<uint32_t>(0, 64);
  // A runtime with thousands of threads is not what this target is about.
  if (config.num_cpu_workers > 4 || config.num_gpus > 2 ||
      config.streams_per_gpu > 4 || config.copy_streams_per_gpu > 4)
    return;
  tgrt_status s = tgrt_runtime_create(&config, &rt);
  CALL(s);
  if (s != TGRT_OK) {
    rt = nullptr;
    return;
  }

  for (int call = 0; call < kMaxCalls && fdp.remaining_bytes(); ++call) {
    GraphInfo *g = nullptr;
    tgrt_graph h = nullptr;
    uint32_t out = 0;
    switch (fdp.ConsumeIntegralInRange<int>(0, 39)) {
    case 0: {
      int32_t uses = 0;
      CALL(tgrt_runtime_uses_cuda(runtimeHandle(),
                                  fdp.ConsumeBool() ? &uses : nullptr));
      break;
    }
    case 1: {
      const char *name = kernelName();
      tgrt_kernel_fn fn =
          fdp.ConsumeIntegralInRange<int>(0, 15)
              ? kKernelFns[fdp.ConsumeIntegralInRange<int>(0, 3)]
              : nullptr;
      if (fdp.ConsumeBool())
        CALL(tgrt_register_cpu_kernel(runtimeHandle(), name, fn, nullptr));
      else
        CALL(tgrt_register_gpu_kernel(runtimeHandle(), name, fn, nullptr,
                                      smallInt(0, 3)));
      break;
    }
    case 2: {
      if (graphs.size() >= 8)
        break;
      tgrt_graph ng = nullptr;
      const char *name = fdp.ConsumeBool() ? "g" : nullptr;
      tgrt_status cs = tgrt_graph_create(
          runtimeHandle(), name,
          fdp.ConsumeIntegralInRange<int>(0, 15) ? &ng : nullptr);
      CALL(cs);
      if (cs == TGRT_OK) {
        GraphInfo info;
        info.handle = ng;
        graphs.push_back(info);
      }
      break;
    }
    case 3: {
      h = graphHandle(g);
      uint32_t n = fdp.ConsumeBool()
                       ? fdp.ConsumeIntegralInRange<uint32_t>(0, kMaxParams)
                       : fdp.ConsumeIntegral<uint32_t>();
      tgrt_status ps = tgrt_graph_set_num_params(h, n);
      CALL(ps);
      if (ps == TGRT_OK && g)
        g->numParams = n;
      break;
    }
    case 4:
    case 5:
      h = graphHandle(g);
      addTask(g, h);
      break;
    case 6:
      h = graphHandle(g);
      CALL(tgrt_graph_add_arg(h, id(g ? g->nodes : 0),
                              fdp.ConsumeIntegral<uint64_t>()));
      break;
    case 7:
      h = graphHandle(g);
      CALL(tgrt_graph_add_arg_param(h, id(g ? g->nodes : 0),
                                    id(g ? g->numParams : 0)));
      break;
    case 8:
      h = graphHandle(g);
      CALL(tgrt_graph_add_arg_value(h, id(g ? g->nodes : 0),
                                    id(g ? g->nodes : 0), id(2)));
      break;
    case 9:
      h = graphHandle(g);
      CALL(tgrt_graph_set_else_value(h, id(g ? g->nodes : 0), id(2),
                                     fdp.ConsumeIntegral<uint64_t>()));
      break;
    case 10:
      h = graphHandle(g);
      addCopy(g, h);
      break;
    case 11: {
      h = graphHandle(g);
      uint32_t node = id(g ? g->nodes : 0);
      int32_t which = smallInt(0, 1);
      uint32_t param = id(g ? g->numParams : 0);
      tgrt_status bs = tgrt_graph_copy_bind_param(h, node, which, param);
      CALL(bs);
      if (bs == TGRT_OK && g)
        for (CopyInfo &c : g->copies)
          if (c.node == node)
            (which == 0 ? c.dstParam : c.srcParam) = param;
      break;
    }
    case 12:
    case 13: {
      h = graphHandle(g);
      tgrt_status js = tgrt_graph_add_join(
          h, fdp.ConsumeIntegralInRange<int>(0, 15) ? &out : nullptr);
      CALL(js);
      if (js == TGRT_OK && g)
        g->nodes = out + 1;
      break;
    }
    case 14: {
      h = graphHandle(g);
      std::string name = fdp.ConsumeRandomLengthString(16);
      CALL(tgrt_graph_set_node_name(
          h, id(g ? g->nodes : 0), fdp.ConsumeBool() ? name.c_str() : nullptr));
      break;
    }
    case 15:
    case 16:
    case 17:
      h = graphHandle(g);
      CALL(tgrt_graph_add_dep(h, id(g ? g->nodes : 0), id(g ? g->nodes : 0),
                              smallInt(0, 1)));
      break;
    case 18: {
      h = graphHandle(g);
      tgrt_status ps;
      switch (fdp.ConsumeIntegralInRange<int>(0, 4)) {
      case 0:
        ps = tgrt_graph_pred_const(h, smallInt(0, 1), &out);
        break;
      case 1:
        ps = tgrt_graph_pred_from_value(h, id(g ? g->nodes : 0), id(2), &out);
        break;
      case 2:
        ps = tgrt_graph_pred_not(h, id(g ? g->preds : 0), &out);
        break;
      case 3:
        ps = tgrt_graph_pred_and(h, id(g ? g->preds : 0), id(g ? g->preds : 0),
                                 &out);
        break;
      default:
        ps = tgrt_graph_pred_or(h, id(g ? g->preds : 0), id(g ? g->preds : 0),
                                fdp.ConsumeBool() ? &out : nullptr);
        break;
      }
      CALL(ps);
      if (ps == TGRT_OK && g)
        g->preds = std::max(g->preds, out + 1);
      break;
    }
    case 19:
      h = graphHandle(g);
      CALL(tgrt_graph_set_predicate(h, id(g ? g->nodes : 0),
                                    id(g ? g->preds : 0), smallInt(0, 1)));
      break;
    case 20:
      h = graphHandle(g);
      CALL(tgrt_graph_set_queue_pos(h, id(g ? g->nodes : 0),
                                    id(g ? g->nodes : 0)));
      break;
    case 21:
      h = graphHandle(g);
      CALL(tgrt_graph_expect_deps(h, id(g ? g->nodes : 0),
                                  id(g ? g->nodes : 0)));
      break;
    case 22:
    case 23: {
      h = graphHandle(g);
      tgrt_status fs = tgrt_graph_finalize(h);
      CALL(fs);
      if (fs == TGRT_OK && g)
        g->finalized = true;
      break;
    }
    case 24: {
      h = graphHandle(g);
      uint32_t n = 0;
      CALL(tgrt_graph_num_nodes(h, fdp.ConsumeBool() ? &n : nullptr));
      break;
    }
    case 25:
    case 26:
    case 27:
      if (replays < kMaxReplays)
        replay();
      break;
    case 28: {
      h = graphHandle(g);
      if (g)
        triggerAll();
      CALL(tgrt_graph_wait_idle(h));
      break;
    }
    case 29: {
      h = graphHandle(g);
      uint64_t bits = 0;
      CALL(tgrt_graph_get_result(h, id(g ? g->nodes : 0), id(2),
                                 fdp.ConsumeBool() ? &bits : nullptr));
      int32_t issued = 0;
      CALL(tgrt_graph_node_issued(h, id(g ? g->nodes : 0),
                                  fdp.ConsumeBool() ? &issued : nullptr));
      break;
    }
    case 30: {
      h = graphHandle(g);
      int32_t captured = 0;
      CALL(tgrt_graph_set_capture(h, smallInt(0, 1)));
      CALL(tgrt_graph_last_replay_captured(h, fdp.ConsumeBool() ? &captured
                                                                : nullptr));
      break;
    }
    case 31: {
      h = graphHandle(g);
      if (g)
        triggerAll();
      CALL(tgrt_graph_set_tracing(h, smallInt(0, 1)));
      if (fdp.ConsumeBool())
        CALL(tgrt_graph_write_trace(h,
                                    fdp.ConsumeBool() ? "/dev/null" : nullptr));
      break;
    }
    case 32: {
      if (events.size() >= 16)
        break;
      tgrt_event e = nullptr;
      tgrt_status es = tgrt_event_create(
          runtimeHandle(),
          fdp.ConsumeIntegralInRange<int>(0, 15) ? &e : nullptr);
      CALL(es);
      if (es == TGRT_OK)
        events.push_back({e, true, false});
      break;
    }
    case 33: {
      if (events.empty())
        break;
      EventInfo &e =
          events[fdp.ConsumeIntegralInRange<size_t>(0, events.size() - 1)];
      tgrt_status ts = fdp.ConsumeBool()
                           ? tgrt_event_trigger(e.handle)
                           : tgrt_event_trigger_failed(
                                 e.handle, fdp.ConsumeBool() ? "x" : nullptr);
      CALL(ts);
      if (ts == TGRT_OK && e.user)
        e.triggered = true;
      break;
    }
    case 34: {
      if (events.empty())
        break;
      EventInfo &e =
          events[fdp.ConsumeIntegralInRange<size_t>(0, events.size() - 1)];
      CALL(tgrt_event_query(e.handle));
      CALL(tgrt_event_wait_timeout(
          e.handle, fdp.ConsumeIntegralInRange<uint64_t>(0, 100000)));
      if (fdp.ConsumeBool()) {
        // A replay's event may wait for the harness's user events.
        triggerAll();
        CALL(tgrt_event_wait(e.handle));
      }
      break;
    }
    case 35: {
      if (events.empty())
        break;
      size_t i = fdp.ConsumeIntegralInRange<size_t>(0, events.size() - 1);
      EventInfo e = events[i];
      if (e.user && !e.triggered) {
        CALL(tgrt_event_trigger(e.handle));
      }
      CALL(tgrt_event_release(e.handle));
      events.erase(events.begin() + i);
      released.push_back(e.handle);
      break;
    }
    case 36: {
      // Released events are kept in the runtime's pool: a query must say
      // "not live" (or, once the slot is reused, answer for the new event).
      if (released.empty())
        break;
      CALL(tgrt_event_query(released[fdp.ConsumeIntegralInRange<size_t>(
          0, released.size() - 1)]));
      CALL(tgrt_event_query(nullptr));
      CALL(tgrt_event_query(reinterpret_cast<tgrt_event>(bogus)));
      break;
    }
    case 37: {
      int32_t kind = smallInt(0, 1);
      if (fdp.ConsumeBool() && buffers.size() < 8) {
        void *p = nullptr;
        uint64_t bytes =
            fdp.ConsumeBool()
                ? kArenaBytes
                : fdp.ConsumeIntegralInRange<uint64_t>(0, kArenaBytes);
        tgrt_status ms = tgrt_mem_alloc(runtimeHandle(), kind, bytes,
                                        fdp.ConsumeBool() ? &p : nullptr);
        CALL(ms);
        if (ms == TGRT_OK && bytes == kArenaBytes && p)
          buffers.push_back({p, kind});
        else if (ms == TGRT_OK && p)
          CALL(tgrt_mem_free(rt, kind, p));
      } else if (buffers.size() >= 2) {
        size_t a = fdp.ConsumeIntegralInRange<size_t>(0, buffers.size() - 1);
        size_t b = fdp.ConsumeIntegralInRange<size_t>(0, buffers.size() - 1);
        if (a != b)
          CALL(tgrt_mem_copy(
              runtimeHandle(), buffers[a].first, buffers[b].first,
              fdp.ConsumeIntegralInRange<uint64_t>(0, kArenaBytes)));
      } else {
        CALL(tgrt_mem_free(runtimeHandle(), kind, nullptr));
      }
      break;
    }
    case 38:
      if (fdp.ConsumeBool())
        startReplayer();
      else
        joinReplayer();
      break;
    case 39:
      destroyGraph();
      break;
    }
  }
  finish();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return -1;
  FuzzedDataProvider fdp(data, size);
  auto harness = std::make_unique<Harness>(fdp);
  harness->run();
  return 0;
}
