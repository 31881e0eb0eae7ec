//===- DeviceGraphTest.cpp - Single-issuer replays and device graphs ------===//
//
// An all-device graph on one GPU is issued by one thread; with capturable
// kernels it is recorded once into a device graph and relaunched. Emulated
// streams record an op list with the same bookkeeping as CUDA graphs, so
// these tests run the engine's capture path without a GPU: when a recording
// is made and reused, re-recorded after new parameters, refused (CPU ops,
// non-capturable kernels, tracing, switched off), and that order, failures
// and back-to-back replays stay right. GpuTest.cu repeats the core on CUDA.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <string>
#include <thread>

using namespace tgrt_test;

namespace {

constexpr uint32_t kDeviceGraphFlags =
    TGRT_KERNEL_STREAM_ORDERED | TGRT_KERNEL_CAPTURABLE;

int32_t captured(tgrt_graph g) {
  int32_t c = -1;
  EXPECT_TGRT(tgrt_graph_last_replay_captured(g, &c));
  return c;
}

/// A chain of `n` recording GPU tasks that changes stream every 3 tasks (so
/// both same-stream and cross-stream device edges), plus a fork (task 1 also
/// feeds the last task) and a final join of every task, like the physical
/// form's yield.
tgrt_graph buildChain(tgrt_runtime rt, const char *kernel, uint32_t n,
                      uint32_t streams) {
  tgrt_graph g = nullptr;
  EXPECT_TGRT(tgrt_graph_create(rt, "chain", &g));
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t node;
    EXPECT_TGRT(tgrt_graph_add_task(g, kernel, TGRT_PROC_GPU, 0,
                                    (i / 3) % streams, 0, &node));
    EXPECT_TGRT(tgrt_graph_add_arg(g, node, i));
    if (i > 0)
      EXPECT_TGRT(tgrt_graph_add_dep(g, ids.back(), node, TGRT_DEP_DEVICE));
    ids.push_back(node);
  }
  EXPECT_TGRT(tgrt_graph_add_dep(g, ids[1], ids.back(), TGRT_DEP_DEVICE));
  uint32_t join;
  EXPECT_TGRT(tgrt_graph_add_join(g, &join));
  for (uint32_t id : ids)
    EXPECT_TGRT(tgrt_graph_add_dep(g, id, join, TGRT_DEP_HOST));
  EXPECT_TGRT(tgrt_graph_finalize(g));
  return g;
}

std::vector<uint64_t> iota(uint64_t n) {
  std::vector<uint64_t> v(n);
  for (uint64_t i = 0; i < n; ++i)
    v[i] = i;
  return v;
}

// Tests the first replay issues node by node, the second (same parameters)
// records the device graph and launches it, later ones relaunch it; every
// replay runs every task once, in dependence order.
TEST(DeviceGraph, RecordedOnTheSecondReplayThenRelaunched) {
  Runtime rt(1, 1, 3, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "rec", recordKernel, &rec,
                                       kDeviceGraphFlags));
  const uint32_t n = 30;
  tgrt_graph g = buildChain(rt, "rec", n, 3);
  for (int r = 0; r < 6; ++r) {
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(captured(g), r == 0 ? 0 : 1) << "replay " << r;
    EXPECT_EQ(rec.get(), iota(n)) << "replay " << r;
    rec.order.clear();
  }
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests new parameters are honoured: the recording is not reused with other
// parameters; replays with a new set issue node by node, then record again.
TEST(DeviceGraph, NewParametersAreRecordedAgain) {
  Runtime rt(1, 1, 2, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "rec", recordKernel, &rec,
                                       kDeviceGraphFlags));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "params", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t a, b;
  ASSERT_TGRT(tgrt_graph_add_task(g, "rec", TGRT_PROC_GPU, 0, 0, 0, &a));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, a, 0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "rec", TGRT_PROC_GPU, 0, 1, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_arg(g, b, 1000));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  const uint64_t params[] = {7, 7, 9, 9, 9, 7, 7};
  const int32_t expectCaptured[] = {0, 1, 0, 1, 1, 0, 1};
  for (int r = 0; r < 7; ++r) {
    ASSERT_TGRT(replayAndWait(g, &params[r], 1));
    EXPECT_EQ(captured(g), expectCaptured[r]) << "replay " << r;
    EXPECT_EQ(rec.get(), (std::vector<uint64_t>{params[r], 1000}))
        << "replay " << r;
    rec.order.clear();
  }
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests graphs that must not be recorded still replay right, issued node by
// node: a kernel not marked capturable, a CPU task among GPU tasks, a traced
// graph, and a graph whose recording was switched off (and on again).
TEST(DeviceGraph, NotRecordedWhenIneligible) {
  Runtime rt(1, 1, 2, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "rec", recordKernel, &rec,
                                       kDeviceGraphFlags));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "plain", recordKernel, &rec,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", recordKernel, &rec));
  auto run3 = [&](tgrt_graph g, std::vector<uint64_t> order) {
    for (int r = 0; r < 3; ++r) {
      ASSERT_TGRT(replayAndWait(g));
      EXPECT_EQ(captured(g), 0) << "replay " << r;
      EXPECT_EQ(rec.get(), order) << "replay " << r;
      rec.order.clear();
    }
  };

  tgrt_graph plain = buildChain(rt, "plain", 6, 2);
  run3(plain, iota(6));

  tgrt_graph mixed;
  ASSERT_TGRT(tgrt_graph_create(rt, "mixed", &mixed));
  uint32_t g0, c, g1;
  ASSERT_TGRT(tgrt_graph_add_task(mixed, "rec", TGRT_PROC_GPU, 0, 0, 0, &g0));
  ASSERT_TGRT(tgrt_graph_add_arg(mixed, g0, 0));
  ASSERT_TGRT(tgrt_graph_add_task(mixed, "cpu", TGRT_PROC_CPU, 0, 0, 0, &c));
  ASSERT_TGRT(tgrt_graph_add_arg(mixed, c, 1));
  ASSERT_TGRT(tgrt_graph_add_task(mixed, "rec", TGRT_PROC_GPU, 0, 1, 0, &g1));
  ASSERT_TGRT(tgrt_graph_add_arg(mixed, g1, 2));
  ASSERT_TGRT(tgrt_graph_add_dep(mixed, g0, c, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(mixed, c, g1, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_finalize(mixed));
  run3(mixed, iota(3));

  tgrt_graph traced = buildChain(rt, "rec", 6, 2);
  ASSERT_TGRT(tgrt_graph_set_tracing(traced, 1));
  run3(traced, iota(6));
  ASSERT_TGRT(tgrt_graph_set_tracing(traced, 0));
  ASSERT_TGRT(replayAndWait(traced));
  EXPECT_EQ(captured(traced), 1) << "recorded once tracing is off";
  rec.order.clear();

  ASSERT_TGRT(tgrt_graph_set_capture(traced, 0));
  run3(traced, iota(6));
  ASSERT_TGRT(tgrt_graph_set_capture(traced, 1));
  ASSERT_TGRT(replayAndWait(traced));
  EXPECT_EQ(captured(traced), 1);
  EXPECT_EQ(rec.get(), iota(6));
}

// Tests a task failing inside a launched device graph: the replay reports
// it, its successors do not run, and the next replay runs everything (from
// the same recording).
struct FailOnce {
  std::atomic<int> failNext{0};
  std::atomic<int> ran{0};
};
int32_t failOrCount(tgrt_task_context *ctx) {
  auto *st = static_cast<FailOnce *>(ctx->user_data);
  if (ctx->args[0] == 0 && st->failNext.exchange(0)) {
    tgrt_task_set_error(ctx, "deliberate device failure");
    return 1;
  }
  st->ran.fetch_add(1);
  return 0;
}

TEST(DeviceGraph, FailureInALaunchedGraph) {
  Runtime rt(1, 1, 2, 1);
  FailOnce st;
  ASSERT_TGRT(
      tgrt_register_gpu_kernel(rt, "k", failOrCount, &st, kDeviceGraphFlags));
  tgrt_graph g = buildChain(rt, "k", 5, 2);
  ASSERT_TGRT(replayAndWait(g));
  ASSERT_TGRT(replayAndWait(g));
  ASSERT_EQ(captured(g), 1);
  EXPECT_EQ(st.ran.load(), 10);
  st.failNext = 1;
  EXPECT_EQ(replayAndWait(g), TGRT_ERROR_TASK_FAILED);
  std::string msg = tgrt_last_error();
  EXPECT_NE(msg.find("deliberate device failure"), std::string::npos) << msg;
  EXPECT_EQ(st.ran.load(), 10) << "the successors of a failed task ran";
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(captured(g), 1);
  EXPECT_EQ(st.ran.load(), 15);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests many back-to-back launches of one recording (no waiting between
// them): every task runs once per replay.
TEST(DeviceGraph, BackToBackLaunches) {
  Runtime rt(1, 1, 2, 1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "count", countKernel, &count,
                                       kDeviceGraphFlags));
  tgrt_graph g = buildChain(rt, "count", 8, 2);
  const int replays = 2000;
  tgrt_event last = nullptr;
  for (int r = 0; r < replays; ++r)
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0,
                                  r + 1 == replays ? &last : nullptr));
  ASSERT_TGRT(waitEvent(last));
  ASSERT_TGRT(tgrt_event_release(last));
  EXPECT_EQ(captured(g), 1);
  EXPECT_EQ(count.load(), 8u * replays);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests tgrt_graph_last_replay_captured describes the last *completed*
// replay: a recorded replay completes while the next (new parameters, so
// issued op by op) has started and is held inside its kernel.
struct Gate {
  std::atomic<bool> open{false};
  std::atomic<int> heldInside{0};
};
int32_t gateKernel(tgrt_task_context *ctx) {
  auto *gate = static_cast<Gate *>(ctx->user_data);
  if (ctx->args[0] == 2) { // parameter 2: wait for the test
    gate->heldInside = 1;
    while (!gate->open.load())
      std::this_thread::yield();
  }
  return 0;
}

TEST(DeviceGraph, LastReplayCapturedIsTheLastCompleted) {
  Runtime rt(1, 1, 2, 1);
  Gate gate;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gate", gateKernel, &gate,
                                       kDeviceGraphFlags));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "gated", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t a, b;
  ASSERT_TGRT(tgrt_graph_add_task(g, "gate", TGRT_PROC_GPU, 0, 0, 0, &a));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, a, 0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gate", TGRT_PROC_GPU, 0, 1, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, b, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  const uint64_t one = 1, two = 2;
  ASSERT_TGRT(replayAndWait(g, &one, 1));
  ASSERT_TGRT(replayAndWait(g, &one, 1));
  ASSERT_EQ(captured(g), 1);
  tgrt_event first, second;
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, &one, 1, &first));
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, &two, 1, &second));
  ASSERT_TGRT(waitEvent(first));
  ASSERT_TRUE(eventually([&] { return gate.heldInside.load() == 1; }));
  EXPECT_EQ(captured(g), 1) << "the running replay overwrote the flag";
  gate.open = true;
  ASSERT_TGRT(waitEvent(second));
  EXPECT_EQ(captured(g), 0);
  ASSERT_TGRT(tgrt_event_release(first));
  ASSERT_TGRT(tgrt_event_release(second));
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests switching recording on and off from another thread while replays
// are in flight: every replay still runs every task once (ThreadSanitizer
// runs this too).
TEST(DeviceGraph, SetCaptureWhileReplaying) {
  Runtime rt(1, 1, 2, 1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "count", countKernel, &count,
                                       kDeviceGraphFlags));
  tgrt_graph g = buildChain(rt, "count", 6, 2);
  std::atomic<bool> stop{false};
  std::thread toggler([&] {
    for (int i = 0; !stop.load(); ++i) {
      EXPECT_TGRT(tgrt_graph_set_capture(g, i % 2));
      std::this_thread::yield();
    }
  });
  const int replays = 500;
  for (int r = 0; r < replays; ++r)
    ASSERT_TGRT(replayAndWait(g));
  stop = true;
  toggler.join();
  EXPECT_EQ(count.load(), 6u * replays);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests the C ABI of device graphs rejects bad input.
TEST(DeviceGraph, BadArguments) {
  Runtime rt(1, 1, 2, 1);
  EXPECT_EQ(tgrt_register_gpu_kernel(rt, "k", emptyKernel, nullptr,
                                     TGRT_KERNEL_CAPTURABLE),
            TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tgrt_last_error()).find("STREAM_ORDERED"),
            std::string::npos)
      << tgrt_last_error();
  EXPECT_EQ(tgrt_graph_set_capture(nullptr, 1), TGRT_ERROR_INVALID_HANDLE);
  int32_t c;
  EXPECT_EQ(tgrt_graph_last_replay_captured(nullptr, &c),
            TGRT_ERROR_INVALID_HANDLE);
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "g", &g));
  EXPECT_EQ(tgrt_graph_last_replay_captured(g, nullptr),
            TGRT_ERROR_INVALID_ARGUMENT);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

} // namespace
