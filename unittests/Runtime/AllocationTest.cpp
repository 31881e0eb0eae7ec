//===- AllocationTest.cpp - Replays allocate nothing once warm ------------===//
//
// Replaces the global operator new with a counting one (this test is its own
// executable for that reason) and checks that, after a warm-up, replaying a
// graph on CPU workers and emulated streams allocates nothing: counters are
// reset in place, replay slots, inbox rings and events come from pools.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstdlib>
#include <new>

namespace {
std::atomic<uint64_t> gAllocations{0};
std::atomic<bool> gCounting{false};
} // namespace

void *operator new(std::size_t size) {
  if (gCounting.load(std::memory_order_relaxed))
    gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

using namespace tgrt_test;

namespace {

void buildStencil(tgrt_graph g, uint32_t width, uint32_t steps, bool gpu) {
  std::vector<uint32_t> prev, cur;
  for (uint32_t t = 0; t < steps; ++t) {
    cur.assign(width, 0);
    for (uint32_t i = 0; i < width; ++i) {
      bool onGpu = gpu && i == width - 1;
      ASSERT_TGRT(tgrt_graph_add_task(g, onGpu ? "gpu" : "cpu",
                                      onGpu ? TGRT_PROC_GPU : TGRT_PROC_CPU,
                                      onGpu ? 0 : i, t % 2, 0, &cur[i]));
      if (t == 0)
        continue;
      for (int d = -1; d <= 1; ++d) {
        int j = static_cast<int>(i) + d;
        if (j < 0 || j >= static_cast<int>(width))
          continue;
        ASSERT_TGRT(tgrt_graph_add_dep(g, prev[j], cur[i],
                                       onGpu && j == static_cast<int>(i)
                                           ? TGRT_DEP_DEVICE
                                           : TGRT_DEP_HOST));
      }
    }
    prev = cur;
  }
}

TEST(Allocation, SteadyStateReplaysDoNotAllocate) {
  Runtime rt(2, 1, 2, 1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", emptyKernel, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "stencil", &g));
  buildStencil(g, 3, 50, true);
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event pre;
  auto once = [&] {
    tgrt_event done;
    ASSERT_TGRT(tgrt_event_create(rt, &pre));
    ASSERT_TGRT(tgrt_graph_replay(g, &pre, 1, nullptr, 0, &done));
    ASSERT_TGRT(tgrt_event_trigger(pre));
    ASSERT_TGRT(tgrt_event_wait(done));
    ASSERT_TGRT(tgrt_event_release(done));
    ASSERT_TGRT(tgrt_event_release(pre));
  };
  for (int i = 0; i < 200; ++i)
    once();
  gAllocations = 0;
  gCounting = true;
  for (int i = 0; i < 1000; ++i)
    once();
  gCounting = false;
  EXPECT_EQ(gAllocations.load(), 0u);
}

// The same for an all-device graph, issued by one thread and relaunched
// from its recorded device graph (with a parameter, patched in place).
TEST(Allocation, DeviceGraphReplaysDoNotAllocate) {
  Runtime rt(1, 1, 3, 1);
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", emptyKernel, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED |
                                           TGRT_KERNEL_CAPTURABLE));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "device", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t prev = 0;
  for (uint32_t i = 0; i < 60; ++i) {
    uint32_t node;
    ASSERT_TGRT(
        tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 0, i % 3, 0, &node));
    ASSERT_TGRT(tgrt_graph_add_arg_param(g, node, 0));
    if (i > 0)
      ASSERT_TGRT(tgrt_graph_add_dep(g, prev, node, TGRT_DEP_DEVICE));
    prev = node;
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  const uint64_t param = 42;
  auto once = [&] {
    tgrt_event done;
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, &param, 1, &done));
    ASSERT_TGRT(tgrt_event_wait(done));
    ASSERT_TGRT(tgrt_event_release(done));
  };
  for (int i = 0; i < 200; ++i)
    once();
  int32_t captured = 0;
  ASSERT_TGRT(tgrt_graph_last_replay_captured(g, &captured));
  ASSERT_EQ(captured, 1);
  gAllocations = 0;
  gCounting = true;
  for (int i = 0; i < 1000; ++i)
    once();
  gCounting = false;
  EXPECT_EQ(gAllocations.load(), 0u);
}

} // namespace
