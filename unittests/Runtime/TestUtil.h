//===- TestUtil.h - Helpers shared by the runtime tests -------------------===//
//
// Small RAII holders for runtimes/graphs/events and kernels that record what
// ran and in which order, so tests can assert ordering without timing.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_UNITTESTS_RUNTIME_TESTUTIL_H
#define TGRAPH_UNITTESTS_RUNTIME_TESTUTIL_H

#include "tgraph/Runtime/tgrt.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#define ASSERT_TGRT(expr) ASSERT_EQ((expr), TGRT_OK) << tgrt_last_error()
#define EXPECT_TGRT(expr) EXPECT_EQ((expr), TGRT_OK) << tgrt_last_error()

namespace tgrt_test {

/// Owns a runtime; destroys it (waiting for replays) at scope exit.
struct Runtime {
  tgrt_runtime rt = nullptr;
  Runtime(uint32_t workers, uint32_t gpus = 0, uint32_t streams = 2,
          uint32_t copyStreams = 1, int32_t mode = TGRT_STREAMS_EMULATED) {
    tgrt_config c;
    tgrt_config_init(&c);
    c.num_cpu_workers = workers;
    c.num_gpus = gpus;
    c.streams_per_gpu = streams;
    c.copy_streams_per_gpu = copyStreams;
    c.stream_mode = mode;
    EXPECT_EQ(tgrt_runtime_create(&c, &rt), TGRT_OK) << tgrt_last_error();
  }
  ~Runtime() {
    if (rt)
      EXPECT_EQ(tgrt_runtime_destroy(rt), TGRT_OK) << tgrt_last_error();
  }
  operator tgrt_runtime() const { return rt; }
};

/// Records the ids that kernels report, in the order they ran.
struct Recorder {
  std::mutex mu;
  std::vector<uint64_t> order;
  void add(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu);
    order.push_back(id);
  }
  std::vector<uint64_t> get() {
    std::lock_guard<std::mutex> lock(mu);
    return order;
  }
  /// Position of `id` in the order, or -1.
  long indexOf(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu);
    for (size_t i = 0; i < order.size(); ++i)
      if (order[i] == id)
        return static_cast<long>(i);
    return -1;
  }
};

/// args[0] = id: records it. Result 0 (if any) = args[1] (if any).
inline int32_t recordKernel(tgrt_task_context *ctx) {
  static_cast<Recorder *>(ctx->user_data)->add(ctx->args[0]);
  if (ctx->num_results > 0 && ctx->num_args > 1)
    ctx->results[0] = ctx->args[1];
  return 0;
}

/// Increments the atomic counter in user_data.
inline int32_t countKernel(tgrt_task_context *ctx) {
  static_cast<std::atomic<uint64_t> *>(ctx->user_data)
      ->fetch_add(1, std::memory_order_relaxed);
  return 0;
}

inline int32_t emptyKernel(tgrt_task_context *) { return 0; }

/// A graph program's bytes: each number as unsigned LEB128 (see tgrt.h).
inline std::vector<uint8_t> encode(const std::vector<uint64_t> &numbers) {
  std::vector<uint8_t> bytes;
  for (uint64_t v : numbers) {
    do {
      const uint8_t low = v & 0x7f;
      v >>= 7;
      bytes.push_back(v ? low | 0x80 : low);
    } while (v);
  }
  return bytes;
}

/// Waits on an event with a generous bound so a bug hangs no test run. This
/// is a deadlock guard, not a timing assertion.
inline tgrt_status waitEvent(tgrt_event e) {
  return tgrt_event_wait_timeout(e, 60ull * 1000 * 1000 * 1000);
}

/// Replays `g` once (no preconditions) and waits for it.
inline tgrt_status replayAndWait(tgrt_graph g, const uint64_t *params = nullptr,
                                 uint32_t numParams = 0) {
  tgrt_event done = nullptr;
  tgrt_status s = tgrt_graph_replay(g, nullptr, 0, params, numParams, &done);
  if (s != TGRT_OK)
    return s;
  s = waitEvent(done);
  tgrt_event_release(done);
  return s;
}

/// Spins (with sleeps) until `cond` holds or a generous bound passes.
template <typename Fn> bool eventually(Fn cond) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > end)
      return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

} // namespace tgrt_test

#endif // TGRAPH_UNITTESTS_RUNTIME_TESTUTIL_H
