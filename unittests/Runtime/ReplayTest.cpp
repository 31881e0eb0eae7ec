//===- ReplayTest.cpp - Replay semantics of the runtime (CPU + emulated) --===//
//
// Ordering for every dependence kind, runahead with emulated streams,
// predicates, copies, external preconditions, back-to-back replays, failure
// propagation and destroying with replays in flight. Every assertion is
// about order or values, never about time.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

using namespace tgrt_test;

namespace {

uint32_t addRecordTask(tgrt_graph g, const char *kernel, int32_t kind,
                       uint32_t index, uint32_t stream, uint64_t id,
                       uint32_t numResults = 0) {
  uint32_t node = UINT32_MAX;
  EXPECT_TGRT(
      tgrt_graph_add_task(g, kernel, kind, index, stream, numResults, &node));
  EXPECT_TGRT(tgrt_graph_add_arg(g, node, id));
  return node;
}

// Tests a chain on one worker runs in order, replay after replay.
TEST(Replay, ChainOnOneWorker) {
  Runtime rt(1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "chain", &g));
  uint32_t prev = UINT32_MAX;
  for (uint64_t i = 0; i < 50; ++i) {
    uint32_t n = addRecordTask(g, "rec", TGRT_PROC_CPU, 0, 0, i);
    if (prev != UINT32_MAX)
      ASSERT_TGRT(tgrt_graph_add_dep(g, prev, n, TGRT_DEP_HOST));
    prev = n;
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 3; ++r)
    ASSERT_TGRT(replayAndWait(g));
  std::vector<uint64_t> order = rec.get();
  ASSERT_EQ(order.size(), 150u);
  for (size_t i = 0; i < order.size(); ++i)
    EXPECT_EQ(order[i], i % 50);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests host dependences across workers: nodes are added in reverse so that
// creation order disagrees with dependence order.
TEST(Replay, HostDepsAcrossWorkers) {
  Runtime rt(3);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "xworker", &g));
  const uint32_t n = 30;
  std::vector<uint32_t> nodes(n);
  for (uint32_t i = 0; i < n; ++i)
    nodes[n - 1 - i] =
        addRecordTask(g, "rec", TGRT_PROC_CPU, (n - 1 - i) % 3, 0, n - 1 - i);
  for (uint32_t i = 0; i + 1 < n; ++i)
    ASSERT_TGRT(tgrt_graph_add_dep(g, nodes[i], nodes[i + 1], TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  ASSERT_TGRT(replayAndWait(g));
  std::vector<uint64_t> order = rec.get();
  ASSERT_EQ(order.size(), n);
  for (uint32_t i = 0; i < n; ++i)
    EXPECT_EQ(order[i], i);
}

// Tests fan-out/fan-in over workers with a join: the sink runs last.
TEST(Replay, FanOutFanInWithJoin) {
  Runtime rt(4);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "fan", &g));
  uint32_t src = addRecordTask(g, "rec", TGRT_PROC_CPU, 0, 0, 1000);
  uint32_t join;
  ASSERT_TGRT(tgrt_graph_add_join(g, &join));
  for (uint32_t i = 0; i < 40; ++i) {
    uint32_t t = addRecordTask(g, "rec", TGRT_PROC_CPU, i % 4, 0, i);
    ASSERT_TGRT(tgrt_graph_add_dep(g, src, t, TGRT_DEP_HOST));
    ASSERT_TGRT(tgrt_graph_add_dep(g, t, join, TGRT_DEP_HOST));
  }
  uint32_t sink = addRecordTask(g, "rec", TGRT_PROC_CPU, 3, 0, 2000);
  ASSERT_TGRT(tgrt_graph_add_dep(g, join, sink, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 20; ++r) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g));
    std::vector<uint64_t> order = rec.get();
    ASSERT_EQ(order.size(), 42u);
    EXPECT_EQ(order.front(), 1000u);
    EXPECT_EQ(order.back(), 2000u);
  }
}

// Tests a graph made only of joins, and an empty graph, complete.
TEST(Replay, JoinOnlyAndEmptyGraphs) {
  Runtime rt(1);
  tgrt_graph g, empty;
  ASSERT_TGRT(tgrt_graph_create(rt, "joins", &g));
  uint32_t a, b, c;
  ASSERT_TGRT(tgrt_graph_add_join(g, &a));
  ASSERT_TGRT(tgrt_graph_add_join(g, &b));
  ASSERT_TGRT(tgrt_graph_add_join(g, &c));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  ASSERT_TGRT(tgrt_graph_create(rt, "empty", &empty));
  ASSERT_TGRT(tgrt_graph_finalize(empty));
  std::vector<tgrt_event> evs(200);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &evs[2 * i]));
    ASSERT_TGRT(
        tgrt_graph_replay(empty, nullptr, 0, nullptr, 0, &evs[2 * i + 1]));
  }
  for (tgrt_event e : evs) {
    ASSERT_TGRT(waitEvent(e));
    ASSERT_TGRT(tgrt_event_release(e));
  }
}

// Tests device dependences on one emulated stream, across streams, and host
// dependences cpu -> gpu and gpu -> cpu, with kernels recording the order.
TEST(Replay, EveryDependenceKind) {
  Runtime rt(2, 1, 3, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", recordKernel, &rec));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", recordKernel, &rec,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "kinds", &g));
  // cpu0 -host-> s0 -device-> s0 -device-> s1 -device-> s2 -host-> cpu1
  //                                      \-host-> s0
  uint32_t c0 = addRecordTask(g, "cpu", TGRT_PROC_CPU, 0, 0, 0);
  uint32_t g1 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 0, 1);
  uint32_t g2 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 0, 2);
  uint32_t g3 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 1, 3);
  uint32_t g4 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 2, 4);
  uint32_t c5 = addRecordTask(g, "cpu", TGRT_PROC_CPU, 1, 0, 5);
  uint32_t g6 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 0, 6);
  ASSERT_TGRT(tgrt_graph_add_dep(g, c0, g1, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, g1, g2, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, g2, g3, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, g3, g4, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, g4, c5, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, g3, g6, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 50; ++r) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g));
    ASSERT_EQ(rec.get().size(), 7u);
    for (uint64_t i = 0; i < 5; ++i)
      EXPECT_LT(rec.indexOf(i), rec.indexOf(i + 1)) << "replay " << r;
    EXPECT_LT(rec.indexOf(3), rec.indexOf(6));
  }
}

// Runahead: the first kernel (stream 0) blocks until the host has issued its
// device successor; a successor that were only issued after completion would
// leave it blocked (the wait bound then fails the test). Device order holds.
struct RunaheadState {
  tgrt_graph graph = nullptr;
  uint32_t successor = 0;
  Recorder rec;
  std::atomic<bool> sawIssued{false};
};

int32_t blockUntilSuccessorIssued(tgrt_task_context *ctx) {
  auto *st = static_cast<RunaheadState *>(ctx->user_data);
  bool ok = eventually([&] {
    int32_t issued = 0;
    tgrt_graph_node_issued(st->graph, st->successor, &issued);
    return issued != 0;
  });
  st->sawIssued = ok;
  st->rec.add(ctx->args[0]);
  if (!ok) {
    tgrt_task_set_error(ctx, "successor was not issued before completion");
    return 1;
  }
  return 0;
}

int32_t recordRunahead(tgrt_task_context *ctx) {
  static_cast<RunaheadState *>(ctx->user_data)->rec.add(ctx->args[0]);
  return 0;
}

void runaheadCase(uint32_t successorStream) {
  Runtime rt(1, 1, 2, 1);
  RunaheadState st;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "block", blockUntilSuccessorIssued,
                                       &st, TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "rec", recordRunahead, &st,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "runahead", &g));
  uint32_t a = addRecordTask(g, "block", TGRT_PROC_GPU, 0, 0, 1);
  uint32_t b = addRecordTask(g, "rec", TGRT_PROC_GPU, 0, successorStream, 2);
  uint32_t c = addRecordTask(g, "rec", TGRT_PROC_GPU, 0, 0, 3);
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  st.graph = g;
  st.successor = b;
  for (int r = 0; r < 5; ++r) {
    st.rec.order.clear();
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_TRUE(st.sawIssued.load());
    std::vector<uint64_t> order = st.rec.get();
    ASSERT_EQ(order, (std::vector<uint64_t>{1, 2, 3}));
  }
}

TEST(Runahead, SameStreamSuccessorIssuedBeforeCompletion) { runaheadCase(0); }
TEST(Runahead, CrossStreamSuccessorIssuedBeforeCompletion) { runaheadCase(1); }

// A host dependence between the same two GPU tasks must not run ahead: the
// successor is issued only after the predecessor completed.
int32_t recordIssuedFlag(tgrt_task_context *ctx) {
  auto *st = static_cast<RunaheadState *>(ctx->user_data);
  int32_t issued = 1;
  tgrt_graph_node_issued(st->graph, st->successor, &issued);
  st->sawIssued = issued != 0;
  return 0;
}

TEST(Runahead, HostDependenceDoesNotRunAhead) {
  Runtime rt(1, 1, 2, 1);
  RunaheadState st;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "probe", recordIssuedFlag, &st,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "rec", recordRunahead, &st,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "norunahead", &g));
  uint32_t a = addRecordTask(g, "probe", TGRT_PROC_GPU, 0, 0, 1);
  uint32_t b = addRecordTask(g, "rec", TGRT_PROC_GPU, 0, 1, 2);
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  st.graph = g;
  st.successor = b;
  for (int r = 0; r < 5; ++r) {
    st.sawIssued = true;
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_FALSE(st.sawIssued.load());
  }
}

// A device dependence into a GPU kernel that is not stream-ordered cannot be
// honoured: finalize refuses it (it used to be demoted to a host dependence),
// naming both ops and the kernel.
TEST(Runahead, NonStreamOrderedKernelIsRefused) {
  Runtime rt(1, 1, 2, 1);
  RunaheadState st;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "probe", recordIssuedFlag, &st,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "rec", recordRunahead, &st,
                                       TGRT_KERNEL_NONE));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "demoted", &g));
  uint32_t a = addRecordTask(g, "probe", TGRT_PROC_GPU, 0, 0, 1);
  uint32_t b = addRecordTask(g, "rec", TGRT_PROC_GPU, 0, 1, 2);
  ASSERT_TGRT(tgrt_graph_set_node_name(g, a, "producer"));
  ASSERT_TGRT(tgrt_graph_set_node_name(g, b, "consumer"));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  EXPECT_EQ(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT);
  std::string msg = tgrt_last_error();
  EXPECT_NE(msg.find("the device dependence of 'consumer' (node 1) on "
                     "'producer' (node 0) cannot be honoured: kernel 'rec' of "
                     "'consumer' (node 1) was registered without "
                     "TGRT_KERNEL_STREAM_ORDERED"),
            std::string::npos)
      << msg;
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests that nothing starts before an external precondition triggers, on CPU
// workers and on (emulated) streams.
TEST(Preconditions, NothingStartsBeforeTrigger) {
  Runtime rt(2, 1, 1, 1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", countKernel, &count));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", countKernel, &count,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "pre", &g));
  uint32_t n;
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 1, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event pre1, pre2, done;
  ASSERT_TGRT(tgrt_event_create(rt, &pre1));
  ASSERT_TGRT(tgrt_event_create(rt, &pre2));
  tgrt_event pres[2] = {pre1, pre2};
  ASSERT_TGRT(tgrt_graph_replay(g, pres, 2, nullptr, 0, &done));
  // A second replay queued behind the first also waits.
  tgrt_event done2;
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done2));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(tgrt_event_query(done), TGRT_ERROR_NOT_READY);
  EXPECT_EQ(count.load(), 0u);
  ASSERT_TGRT(tgrt_event_trigger(pre1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(count.load(), 0u);
  ASSERT_TGRT(tgrt_event_trigger(pre2));
  ASSERT_TGRT(waitEvent(done));
  ASSERT_TGRT(waitEvent(done2));
  EXPECT_EQ(count.load(), 6u);
  for (tgrt_event e : {pre1, pre2, done, done2})
    ASSERT_TGRT(tgrt_event_release(e));
}

// Tests chaining graphs through events: graph B's precondition is graph A's
// completion event.
TEST(Preconditions, CompletionEventOfAnotherGraph) {
  Runtime rt(2);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  tgrt_graph a, b;
  ASSERT_TGRT(tgrt_graph_create(rt, "a", &a));
  ASSERT_TGRT(tgrt_graph_create(rt, "b", &b));
  addRecordTask(a, "rec", TGRT_PROC_CPU, 0, 0, 1);
  addRecordTask(b, "rec", TGRT_PROC_CPU, 1, 0, 2);
  ASSERT_TGRT(tgrt_graph_finalize(a));
  ASSERT_TGRT(tgrt_graph_finalize(b));
  for (int i = 0; i < 100; ++i) {
    tgrt_event ea, eb;
    ASSERT_TGRT(tgrt_graph_replay(a, nullptr, 0, nullptr, 0, &ea));
    ASSERT_TGRT(tgrt_graph_replay(b, &ea, 1, nullptr, 0, &eb));
    ASSERT_TGRT(waitEvent(eb));
    ASSERT_TGRT(tgrt_event_release(ea));
    ASSERT_TGRT(tgrt_event_release(eb));
  }
  std::vector<uint64_t> order = rec.get();
  ASSERT_EQ(order.size(), 200u);
  for (size_t i = 0; i < order.size(); ++i)
    EXPECT_EQ(order[i], i % 2 + 1);
}

// Tests a failed precondition fails the replay and runs nothing.
TEST(Preconditions, FailedPreconditionFailsReplay) {
  Runtime rt(1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", countKernel, &count));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "pre", &g));
  uint32_t n;
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event pre, done;
  ASSERT_TGRT(tgrt_event_create(rt, &pre));
  ASSERT_TGRT(tgrt_graph_replay(g, &pre, 1, nullptr, 0, &done));
  ASSERT_TGRT(tgrt_event_trigger_failed(pre, "upstream broke"));
  EXPECT_EQ(waitEvent(done), TGRT_ERROR_TASK_FAILED);
  EXPECT_NE(std::string(tgrt_last_error())
                .find("a precondition failed: upstream broke"),
            std::string::npos)
      << tgrt_last_error();
  EXPECT_EQ(count.load(), 0u);
  ASSERT_TGRT(replayAndWait(g)); // usable afterwards
  EXPECT_EQ(count.load(), 1u);
  tgrt_event_release(pre);
  tgrt_event_release(done);
}

// Tests 10,000 back-to-back replays queued without waiting: each replay runs
// whole and in order (replay k+1 never starts before k completes).
struct OrderCheck {
  std::atomic<uint64_t> lastReplay{0};
  std::atomic<uint64_t> stepInReplay{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> runs{0};
};

int32_t orderCheckKernel(tgrt_task_context *ctx) {
  auto *oc = static_cast<OrderCheck *>(ctx->user_data);
  uint64_t step = ctx->args[0];
  if (step == 0) {
    if (oc->stepInReplay.load() != 0 && oc->stepInReplay.load() != 4)
      oc->errors++;
    if (ctx->replay_index != 0 &&
        oc->lastReplay.load() + 1 != ctx->replay_index)
      oc->errors++;
    oc->lastReplay = ctx->replay_index;
  } else if (oc->lastReplay.load() != ctx->replay_index ||
             oc->stepInReplay.load() + 1 != step) {
    oc->errors++;
  }
  oc->stepInReplay = step;
  oc->runs++;
  return 0;
}

TEST(Replay, TenThousandBackToBack) {
  Runtime rt(2, 1, 2, 1);
  OrderCheck oc;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", orderCheckKernel, &oc));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", orderCheckKernel, &oc,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "b2b", &g));
  // cpu0 -> gpu s0 -device-> gpu s1 -host-> cpu1 -> cpu0
  uint32_t n0 = addRecordTask(g, "cpu", TGRT_PROC_CPU, 0, 0, 0);
  uint32_t n1 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 0, 1);
  uint32_t n2 = addRecordTask(g, "gpu", TGRT_PROC_GPU, 0, 1, 2);
  uint32_t n3 = addRecordTask(g, "cpu", TGRT_PROC_CPU, 1, 0, 3);
  uint32_t n4 = addRecordTask(g, "cpu", TGRT_PROC_CPU, 0, 0, 4);
  ASSERT_TGRT(tgrt_graph_add_dep(g, n0, n1, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, n1, n2, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, n2, n3, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, n3, n4, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  const int kReplays = 10000;
  tgrt_event last = nullptr;
  for (int i = 0; i < kReplays; ++i) {
    tgrt_event done = nullptr;
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0,
                                  i + 1 == kReplays ? &done : nullptr));
    if (done)
      last = done;
  }
  ASSERT_TGRT(waitEvent(last));
  ASSERT_TGRT(tgrt_event_release(last));
  EXPECT_EQ(oc.runs.load(), 5u * kReplays);
  EXPECT_EQ(oc.errors.load(), 0u);
  EXPECT_EQ(oc.lastReplay.load(), static_cast<uint64_t>(kReplays - 1));
}

// Tests two graphs replaying at once on shared workers do not deadlock.
TEST(Replay, TwoGraphsOnSharedWorkers) {
  Runtime rt(2);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", countKernel, &count));
  tgrt_graph gs[2];
  for (int k = 0; k < 2; ++k) {
    ASSERT_TGRT(tgrt_graph_create(rt, "g", &gs[k]));
    uint32_t prev = UINT32_MAX;
    for (uint32_t i = 0; i < 20; ++i) {
      uint32_t n;
      // Opposite worker patterns in the two graphs.
      ASSERT_TGRT(tgrt_graph_add_task(gs[k], "cpu", TGRT_PROC_CPU, (i + k) % 2,
                                      0, 0, &n));
      if (prev != UINT32_MAX)
        ASSERT_TGRT(tgrt_graph_add_dep(gs[k], prev, n, TGRT_DEP_HOST));
      prev = n;
    }
    ASSERT_TGRT(tgrt_graph_finalize(gs[k]));
  }
  std::thread other([&] {
    for (int i = 0; i < 300; ++i)
      EXPECT_TGRT(tgrt_graph_replay(gs[1], nullptr, 0, nullptr, 0, nullptr));
  });
  for (int i = 0; i < 300; ++i)
    ASSERT_TGRT(tgrt_graph_replay(gs[0], nullptr, 0, nullptr, 0, nullptr));
  other.join();
  ASSERT_TGRT(tgrt_graph_wait_idle(gs[0]));
  ASSERT_TGRT(tgrt_graph_wait_idle(gs[1]));
  EXPECT_EQ(count.load(), 2u * 300 * 20);
}

// --- Values, parameters and predicates.

int32_t produceKernel(tgrt_task_context *ctx) {
  ctx->results[0] = ctx->args[0];
  return 0;
}

struct Sink {
  std::mutex mu;
  std::vector<uint64_t> seen;
};

int32_t sinkKernel(tgrt_task_context *ctx) {
  auto *s = static_cast<Sink *>(ctx->user_data);
  std::lock_guard<std::mutex> lock(s->mu);
  for (uint32_t i = 0; i < ctx->num_args; ++i)
    s->seen.push_back(ctx->args[i]);
  if (ctx->num_results)
    ctx->results[0] = ctx->args[0] + 1;
  return 0;
}

// Tests value arguments and per-replay parameters patch task arguments.
TEST(Values, ValueArgumentsAndParams) {
  Runtime rt(2);
  Sink sink;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "produce", produceKernel, nullptr));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "sink", sinkKernel, &sink));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "values", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 2));
  uint32_t p, s;
  ASSERT_TGRT(tgrt_graph_add_task(g, "produce", TGRT_PROC_CPU, 0, 0, 1, &p));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, p, 0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "sink", TGRT_PROC_CPU, 1, 0, 1, &s));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g, s, p, 0)); // implicit dependence
  ASSERT_TGRT(tgrt_graph_add_arg(g, s, 77));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, s, 1));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (uint64_t r = 0; r < 10; ++r) {
    uint64_t params[2] = {100 + r, 200 + r};
    ASSERT_TGRT(replayAndWait(g, params, 2));
    uint64_t out = 0;
    ASSERT_TGRT(tgrt_graph_get_result(g, s, 0, &out));
    EXPECT_EQ(out, 101 + r);
  }
  ASSERT_EQ(sink.seen.size(), 30u);
  for (uint64_t r = 0; r < 10; ++r) {
    EXPECT_EQ(sink.seen[3 * r], 100 + r);
    EXPECT_EQ(sink.seen[3 * r + 1], 77u);
    EXPECT_EQ(sink.seen[3 * r + 2], 200 + r);
  }
}

struct PredCase {
  int32_t mode;
  bool onGpu;
};

class Predicates : public ::testing::TestWithParam<PredCase> {};

// Tests predicated tasks (from a task's i1 value, with not/and/or): a false
// predicate skips the task, its else value is used downstream, and its
// dependents still run after its dependences.
TEST_P(Predicates, TrueAndFalseWithElseValues) {
  PredCase pc = GetParam();
  Runtime rt(2, 1, 2, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "produce", produceKernel, nullptr));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "grec", recordKernel, &rec,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "pred", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t cond, guarded, after, reader;
  ASSERT_TGRT(tgrt_graph_add_task(g, "produce", TGRT_PROC_CPU, 0, 0, 1, &cond));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, cond, 0));
  const char *k = pc.onGpu ? "grec" : "rec";
  ASSERT_TGRT(tgrt_graph_add_task(g, k,
                                  pc.onGpu ? TGRT_PROC_GPU : TGRT_PROC_CPU,
                                  pc.onGpu ? 0 : 1, 0, 1, &guarded));
  ASSERT_TGRT(tgrt_graph_add_arg(g, guarded, 1));
  ASSERT_TGRT(tgrt_graph_add_arg(g, guarded, 555)); // result when it runs
  ASSERT_TGRT(tgrt_graph_set_else_value(g, guarded, 0, 999));
  // pred = (cond and true) or (not true)  ==  cond
  uint32_t pFrom, pTrue, pAnd, pNot, pOr;
  ASSERT_TGRT(tgrt_graph_pred_from_value(g, cond, 0, &pFrom));
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &pTrue));
  ASSERT_TGRT(tgrt_graph_pred_and(g, pFrom, pTrue, &pAnd));
  ASSERT_TGRT(tgrt_graph_pred_not(g, pTrue, &pNot));
  ASSERT_TGRT(tgrt_graph_pred_or(g, pAnd, pNot, &pOr));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, guarded, pOr, pc.mode));
  after = addRecordTask(g, k, pc.onGpu ? TGRT_PROC_GPU : TGRT_PROC_CPU, 0,
                        pc.onGpu ? 1 : 0, 2);
  ASSERT_TGRT(tgrt_graph_add_dep(g, guarded, after,
                                 pc.onGpu ? TGRT_DEP_DEVICE : TGRT_DEP_HOST));
  ASSERT_TGRT(
      tgrt_graph_add_task(g, "produce", TGRT_PROC_CPU, 1, 0, 1, &reader));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g, reader, guarded, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g, after, reader, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (uint64_t value : {1, 0, 1, 0, 0, 1}) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g, &value, 1));
    std::vector<uint64_t> order = rec.get();
    uint64_t out = 0;
    ASSERT_TGRT(tgrt_graph_get_result(g, reader, 0, &out));
    if (value) {
      EXPECT_EQ(order, (std::vector<uint64_t>{1, 2}));
      EXPECT_EQ(out, 555u);
    } else {
      EXPECT_EQ(order, (std::vector<uint64_t>{2}));
      EXPECT_EQ(out, 999u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, Predicates,
                         ::testing::Values(PredCase{TGRT_PRED_WAIT, false},
                                           PredCase{TGRT_PRED_WAIT, true},
                                           PredCase{TGRT_PRED_GUARDED, true}),
                         [](const ::testing::TestParamInfo<PredCase> &info) {
                           return std::string(info.param.mode == TGRT_PRED_WAIT
                                                  ? "Wait"
                                                  : "Guarded") +
                                  (info.param.onGpu ? "Gpu" : "Cpu");
                         });

// Tests a guarded GPU task whose predicate comes from a GPU task: it is
// issued before the producer ran (runahead) and checked at execution.
int32_t gpuProduce(tgrt_task_context *ctx) {
  ctx->results[0] = ctx->args[0];
  return 0;
}

TEST(PredicatesRunahead, GuardedFromGpuValue) {
  Runtime rt(1, 1, 2, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gprod", gpuProduce, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "grec", recordKernel, &rec,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "gpred", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t prod, t;
  ASSERT_TGRT(tgrt_graph_add_task(g, "gprod", TGRT_PROC_GPU, 0, 0, 1, &prod));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, prod, 0));
  t = addRecordTask(g, "grec", TGRT_PROC_GPU, 0, 1, 7);
  uint32_t p;
  ASSERT_TGRT(tgrt_graph_pred_from_value(g, prod, 0, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, t, p, TGRT_PRED_GUARDED));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (uint64_t v : {0, 1, 0, 1}) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g, &v, 1));
    EXPECT_EQ(rec.get().size(), v ? 1u : 0u);
  }
}

// --- Copies.

// Tests host copies on a worker, copies on an emulated copy stream and on a
// compute stream, with offsets and parameter-bound buffers, and a
// predicated-false copy that moves nothing but still completes.
TEST(Copies, HostAndEmulatedDeviceCopies) {
  Runtime rt(1, 1, 1, 1);
  std::vector<uint8_t> a(64), b(64, 0), c(64, 0), d(64, 0), e(64, 0xEE);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = static_cast<uint8_t>(i);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "copies", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t c1, c2, c3, c4, c5, after;
  // a[8..40) -> b[0..32) on the worker
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, b.data(),
                                  TGRT_MEM_HOST, 0, a.data(), TGRT_MEM_HOST, 8,
                                  32, &c1));
  // b -> "device" c on the copy stream
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, c.data(),
                                  TGRT_MEM_DEVICE, 0, b.data(), TGRT_MEM_HOST,
                                  0, 64, &c2));
  // c -> d device to device on compute stream 0, destination from a param
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_GPU, 0, 0, nullptr,
                                  TGRT_MEM_DEVICE, 4, c.data(), TGRT_MEM_DEVICE,
                                  0, 16, &c3));
  ASSERT_TGRT(tgrt_graph_copy_bind_param(g, c3, 0, 0));
  // predicated-false copies a -> e (on the worker and on the copy stream;
  // copies cannot be guarded): e keeps its contents
  uint32_t pFalse;
  ASSERT_TGRT(tgrt_graph_pred_const(g, 0, &pFalse));
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, e.data(),
                                  TGRT_MEM_HOST, 0, a.data(), TGRT_MEM_HOST, 0,
                                  64, &c4));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, c4, pFalse, TGRT_PRED_WAIT));
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, e.data(),
                                  TGRT_MEM_DEVICE, 0, a.data(), TGRT_MEM_HOST,
                                  0, 64, &c5));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, c5, pFalse, TGRT_PRED_WAIT));
  ASSERT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 0, 0, 0, &after));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c1, c2, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c2, c3, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c3, c4, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c4, c5, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c5, after, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  uint64_t dst = reinterpret_cast<uint64_t>(d.data());
  ASSERT_TGRT(replayAndWait(g, &dst, 1));
  for (int i = 0; i < 32; ++i)
    EXPECT_EQ(b[i], i + 8);
  for (int i = 0; i < 32; ++i)
    EXPECT_EQ(c[i], i + 8);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(d[i], 0);
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(d[4 + i], i + 8);
  for (uint8_t v : e)
    EXPECT_EQ(v, 0xEE);
  EXPECT_EQ(count.load(), 1u);
}

// --- Failures.

struct FailState {
  std::atomic<uint64_t> ran{0};
  uint64_t failOnReplay = 0;
};

int32_t maybeFail(tgrt_task_context *ctx) {
  auto *st = static_cast<FailState *>(ctx->user_data);
  if (ctx->replay_index == st->failOnReplay) {
    tgrt_task_set_error(ctx, "deliberate failure");
    return 3;
  }
  return 0;
}

int32_t countRan(tgrt_task_context *ctx) {
  static_cast<FailState *>(ctx->user_data)->ran++;
  return 0;
}

// Tests a failing task poisons its dependents (transitively, through joins,
// streams and workers); independent work still runs; the replay reports the
// message; the next replay is fine.
TEST(Failure, PoisonsDependentsAndRecovers) {
  Runtime rt(2, 1, 2, 1);
  FailState st;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "fail", maybeFail, &st));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "ran", countRan, &st));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gran", countRan, &st,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "fail", &g));
  uint32_t f, d1, j, d2, d3, indep;
  ASSERT_TGRT(tgrt_graph_add_task(g, "fail", TGRT_PROC_CPU, 0, 0, 1, &f));
  ASSERT_TGRT(tgrt_graph_set_else_value(g, f, 0, 42));
  ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 1, 0, 0, &d1));
  ASSERT_TGRT(tgrt_graph_add_join(g, &j));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gran", TGRT_PROC_GPU, 0, 0, 0, &d2));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gran", TGRT_PROC_GPU, 0, 1, 0, &d3));
  ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 1, 0, 0, &indep));
  ASSERT_TGRT(tgrt_graph_add_dep(g, f, d1, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, d1, j, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, j, d2, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, d2, d3, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event done;
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done));
  EXPECT_EQ(waitEvent(done), TGRT_ERROR_TASK_FAILED);
  std::string msg = tgrt_last_error();
  EXPECT_NE(msg.find("deliberate failure"), std::string::npos) << msg;
  EXPECT_NE(msg.find("fail"), std::string::npos) << msg;
  EXPECT_EQ(tgrt_event_query(done), TGRT_ERROR_TASK_FAILED);
  ASSERT_TGRT(tgrt_event_release(done));
  EXPECT_EQ(st.ran.load(), 1u); // only the independent task
  uint64_t v = 0;
  ASSERT_TGRT(tgrt_graph_get_result(g, f, 0, &v));
  EXPECT_EQ(v, 42u); // a failed task's results take their else values
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(st.ran.load(), 1u + 4u);
}

// Tests a failure on one worker poisons its successors on that same worker,
// transitively. Those edges take no counter (the queue order enforces them),
// so poisoning is their only trace at replay time. Nodes are created in
// reverse so that the queue order comes from the dependences.
TEST(Failure, PoisonsSuccessorsOnTheSameWorker) {
  Runtime rt(1);
  FailState st;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "fail", maybeFail, &st));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "ran", countRan, &st));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "local", &g));
  uint32_t b, indep, a, f;
  ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 0, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 0, 0, 0, &indep));
  ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 0, 0, 0, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "fail", TGRT_PROC_CPU, 0, 0, 0, &f));
  ASSERT_TGRT(tgrt_graph_add_dep(g, f, a, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_EQ(replayAndWait(g), TGRT_ERROR_TASK_FAILED);
  EXPECT_EQ(st.ran.load(), 1u); // only `indep`
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(st.ran.load(), 1u + 3u);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests a kernel's message belongs to its own run: a kernel that sets a
// message and succeeds does not lend it to a later failure without one.
int32_t messageThenSucceed(tgrt_task_context *ctx) {
  tgrt_task_set_error(ctx, "stale message");
  return 0;
}
int32_t failSilently(tgrt_task_context *) { return 7; }

TEST(Failure, MessageIsPerTask) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "msg", messageThenSucceed, nullptr));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "silent", failSilently, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "messages", &g));
  uint32_t m, s;
  ASSERT_TGRT(tgrt_graph_add_task(g, "msg", TGRT_PROC_CPU, 0, 0, 0, &m));
  ASSERT_TGRT(tgrt_graph_add_task(g, "silent", TGRT_PROC_CPU, 0, 0, 0, &s));
  ASSERT_TGRT(tgrt_graph_add_dep(g, m, s, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_EQ(replayAndWait(g), TGRT_ERROR_TASK_FAILED);
  std::string msg = tgrt_last_error();
  EXPECT_NE(msg.find("kernel returned 7"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("stale"), std::string::npos) << msg;
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests a failure on an emulated stream poisons device successors that were
// already issued (runahead) before the failure happened.
int32_t gpuFail(tgrt_task_context *ctx) {
  tgrt_task_set_error(ctx, "device fault");
  return 1;
}

TEST(Failure, DeviceFailurePoisonsRunAheadSuccessors) {
  Runtime rt(1, 1, 2, 1);
  FailState st;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gfail", gpuFail, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gran", countRan, &st,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "ran", countRan, &st));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "gfail", &g));
  uint32_t a, b, c, h;
  ASSERT_TGRT(tgrt_graph_add_task(g, "gfail", TGRT_PROC_GPU, 0, 0, 0, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gran", TGRT_PROC_GPU, 0, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gran", TGRT_PROC_GPU, 0, 1, 0, &c));
  ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 0, 0, 0, &h));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, c, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c, h, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 10; ++r) {
    tgrt_event done;
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done));
    EXPECT_EQ(waitEvent(done), TGRT_ERROR_TASK_FAILED);
    EXPECT_NE(std::string(tgrt_last_error()).find("device fault"),
              std::string::npos);
    tgrt_event_release(done);
  }
  EXPECT_EQ(st.ran.load(), 0u);
}

// --- Destruction with replays in flight.

int32_t slowCount(tgrt_task_context *ctx) {
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  static_cast<std::atomic<uint64_t> *>(ctx->user_data)->fetch_add(1);
  return 0;
}

TEST(Destroy, GraphAndRuntimeWaitForReplaysInFlight) {
  std::atomic<uint64_t> count{0};
  {
    tgrt_config c;
    tgrt_config_init(&c);
    c.num_cpu_workers = 2;
    c.num_gpus = 1;
    c.stream_mode = TGRT_STREAMS_EMULATED;
    tgrt_runtime rt;
    ASSERT_TGRT(tgrt_runtime_create(&c, &rt));
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "slow", slowCount, &count));
    ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gslow", slowCount, &count,
                                         TGRT_KERNEL_STREAM_ORDERED));
    tgrt_graph g1, g2;
    for (tgrt_graph *g : {&g1, &g2}) {
      ASSERT_TGRT(tgrt_graph_create(rt, "inflight", g));
      uint32_t a, b;
      ASSERT_TGRT(tgrt_graph_add_task(*g, "slow", TGRT_PROC_CPU, 0, 0, 0, &a));
      ASSERT_TGRT(tgrt_graph_add_task(*g, "gslow", TGRT_PROC_GPU, 0, 0, 0, &b));
      ASSERT_TGRT(tgrt_graph_add_dep(*g, a, b, TGRT_DEP_HOST));
      ASSERT_TGRT(tgrt_graph_finalize(*g));
      for (int i = 0; i < 20; ++i)
        ASSERT_TGRT(tgrt_graph_replay(*g, nullptr, 0, nullptr, 0, nullptr));
    }
    ASSERT_TGRT(tgrt_graph_destroy(g1)); // waits for g1's replays
    EXPECT_GE(count.load(), 40u);
    ASSERT_TGRT(tgrt_runtime_destroy(rt)); // waits for g2's, destroys it
  }
  EXPECT_EQ(count.load(), 80u);
}

TEST(Destroy, RefusesWhileAPreconditionIsPending) {
  Runtime rt(1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "c", countKernel, &count));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "blocked", &g));
  uint32_t n;
  ASSERT_TGRT(tgrt_graph_add_task(g, "c", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event pre;
  ASSERT_TGRT(tgrt_event_create(rt, &pre));
  ASSERT_TGRT(tgrt_graph_replay(g, &pre, 1, nullptr, 0, nullptr));
  EXPECT_EQ(tgrt_graph_destroy(g), TGRT_ERROR_INVALID_STATE);
  EXPECT_EQ(tgrt_runtime_destroy(rt), TGRT_ERROR_INVALID_STATE);
  ASSERT_TGRT(tgrt_event_trigger(pre));
  ASSERT_TGRT(tgrt_event_release(pre));
  ASSERT_TGRT(tgrt_graph_destroy(g));
  EXPECT_EQ(count.load(), 1u);
}

// --- Tracing.

// Tests switching tracing while another thread replays: each switch either
// applies (the graph was idle) or is refused, never races a replay (the
// ThreadSanitizer build runs this).
TEST(Trace, SetTracingWhileAnotherThreadReplays) {
  Runtime rt(1, 1, 1, 1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gcount", countKernel, &count,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "traced", &g));
  uint32_t a, b;
  ASSERT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 0, 0, 0, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gcount", TGRT_PROC_GPU, 0, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  const int replays = 300;
  std::thread replayer([&] {
    for (int r = 0; r < replays; ++r)
      EXPECT_TGRT(replayAndWait(g));
  });
  int applied = 0;
  for (int i = 0; i < 300; ++i) {
    tgrt_status s = tgrt_graph_set_tracing(g, i % 2);
    EXPECT_TRUE(s == TGRT_OK || s == TGRT_ERROR_INVALID_STATE)
        << tgrt_last_error();
    applied += s == TGRT_OK;
  }
  replayer.join();
  EXPECT_GT(applied, 0);
  EXPECT_EQ(count.load(), 2u * replays);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

TEST(Trace, WritesChromeTraceJson) {
  Runtime rt(1, 1, 1, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "hostwork", recordKernel, &rec));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "devwork", recordKernel, &rec,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "traced", &g));
  uint32_t a = addRecordTask(g, "hostwork", TGRT_PROC_CPU, 0, 0, 1);
  uint32_t b = addRecordTask(g, "devwork", TGRT_PROC_GPU, 0, 0, 2);
  ASSERT_TGRT(tgrt_graph_set_node_name(g, b, "my \"device\" task"));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_EQ(tgrt_graph_write_trace(g, "/tmp/x.json"), TGRT_ERROR_INVALID_STATE);
  ASSERT_TGRT(tgrt_graph_set_tracing(g, 1));
  ASSERT_TGRT(replayAndWait(g));
  std::string path = ::testing::TempDir() + "tgrt_trace.json";
  ASSERT_TGRT(tgrt_graph_write_trace(g, path.c_str()));
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string json = ss.str();
  EXPECT_NE(json.find("\"traceEvents\""), std::string::npos);
  EXPECT_NE(json.find("hostwork"), std::string::npos);
  EXPECT_NE(json.find("my \\\"device\\\" task"), std::string::npos);
  EXPECT_NE(json.find("gpu 0 stream 0 (device)"), std::string::npos);
  EXPECT_NE(json.find("\"cat\":\"device\""), std::string::npos);
  EXPECT_NE(json.find("cpu 0"), std::string::npos);
}

// --- GPU-mode requests without CUDA hardware.

TEST(Config, CudaModeWithoutGpuFailsCleanly) {
  if (tgrt_cuda_device_count() > 0)
    GTEST_SKIP() << "a GPU is present";
  tgrt_config c;
  tgrt_config_init(&c);
  c.num_gpus = 1;
  c.stream_mode = TGRT_STREAMS_CUDA;
  tgrt_runtime rt = nullptr;
  tgrt_status s = tgrt_runtime_create(&c, &rt);
  EXPECT_NE(s, TGRT_OK);
  EXPECT_EQ(rt, nullptr);
  EXPECT_STRNE(tgrt_last_error(), "");
  // AUTO falls back to emulation.
  c.stream_mode = TGRT_STREAMS_AUTO;
  ASSERT_TGRT(tgrt_runtime_create(&c, &rt));
  int32_t cuda = 1;
  ASSERT_TGRT(tgrt_runtime_uses_cuda(rt, &cuda));
  EXPECT_EQ(cuda, 0);
  ASSERT_TGRT(tgrt_runtime_destroy(rt));
}

} // namespace

namespace {

// --- Randomized ordering check.

struct SeqState {
  std::atomic<uint64_t> next{0};
  std::vector<std::atomic<uint64_t>> seq;
  explicit SeqState(size_t n) : seq(n) {}
};

int32_t seqKernel(tgrt_task_context *ctx) {
  auto *st = static_cast<SeqState *>(ctx->user_data);
  st->seq[ctx->args[0]].store(st->next.fetch_add(1) + 1);
  return 0;
}

// Tests random DAGs over 3 workers and 3 emulated streams with random
// dependence kinds and joins: every kernel runs once per replay, after every
// kernel it depends on (directly or through joins).
TEST(Replay, RandomGraphsRespectEveryEdge) {
  uint64_t rng = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  };
  for (int trial = 0; trial < 12; ++trial) {
    Runtime rt(3, 1, 3, 1);
    const uint32_t n = 120;
    SeqState st(n);
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", seqKernel, &st));
    ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", seqKernel, &st,
                                         TGRT_KERNEL_STREAM_ORDERED));
    tgrt_graph g;
    ASSERT_TGRT(tgrt_graph_create(rt, "random", &g));
    std::vector<int> kind(n); // 0 cpu, 1 gpu, 2 join
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t id;
      kind[i] = static_cast<int>(next() % 7 == 0 ? 2 : next() % 2);
      if (kind[i] == 2) {
        ASSERT_TGRT(tgrt_graph_add_join(g, &id));
      } else {
        ASSERT_TGRT(tgrt_graph_add_task(
            g, kind[i] ? "gpu" : "cpu", kind[i] ? TGRT_PROC_GPU : TGRT_PROC_CPU,
            kind[i] ? 0 : static_cast<uint32_t>(next() % 3),
            kind[i] ? static_cast<uint32_t>(next() % 3) : 0, 0, &id));
        ASSERT_TGRT(tgrt_graph_add_arg(g, id, i));
      }
      ASSERT_EQ(id, i);
    }
    std::vector<std::vector<uint32_t>> preds(n);
    for (uint32_t v = 1; v < n; ++v) {
      uint32_t deps = static_cast<uint32_t>(next() % 4);
      for (uint32_t k = 0; k < deps; ++k) {
        uint32_t u = static_cast<uint32_t>(next() % v);
        preds[v].push_back(u);
        // Device dependences only where they can be honoured (gpu -> gpu).
        const bool device = next() % 2 && kind[u] == 1 && kind[v] == 1;
        ASSERT_TGRT(tgrt_graph_add_dep(
            g, u, v, device ? TGRT_DEP_DEVICE : TGRT_DEP_HOST));
      }
    }
    ASSERT_TGRT(tgrt_graph_finalize(g));
    // Kernel ancestors reachable through joins only.
    std::vector<std::vector<uint32_t>> kernelPreds(n);
    for (uint32_t v = 0; v < n; ++v)
      for (uint32_t u : preds[v]) {
        if (kind[u] != 2)
          kernelPreds[v].push_back(u);
        else
          kernelPreds[v].insert(kernelPreds[v].end(), kernelPreds[u].begin(),
                                kernelPreds[u].end());
      }
    for (int r = 0; r < 8; ++r) {
      for (auto &s : st.seq)
        s = 0;
      ASSERT_TGRT(replayAndWait(g));
      for (uint32_t v = 0; v < n; ++v) {
        if (kind[v] == 2)
          continue;
        ASSERT_NE(st.seq[v].load(), 0u) << "node " << v << " did not run";
        for (uint32_t u : kernelPreds[v])
          ASSERT_LT(st.seq[u].load(), st.seq[v].load())
              << "trial " << trial << ": node " << u << " -> " << v;
      }
    }
  }
}

} // namespace
