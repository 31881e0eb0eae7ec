//===- ReliabilityTest.cpp - Faults the runtime must survive --------------===//
//
// A kernel that throws fails its task like one that returns an error: its
// dependents are poisoned, independent work runs, the replay reports the
// exception's message, and the next replay is fine.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace tgrt_test;

namespace {

struct ThrowState {
  std::atomic<uint64_t> ran{0};
  uint64_t throwOnReplay = 0;
};

int32_t throwStd(tgrt_task_context *ctx) {
  auto *st = static_cast<ThrowState *>(ctx->user_data);
  if (ctx->replay_index == st->throwOnReplay)
    throw std::runtime_error("the disk is on fire");
  return 0;
}

int32_t throwInt(tgrt_task_context *ctx) {
  auto *st = static_cast<ThrowState *>(ctx->user_data);
  if (ctx->replay_index == st->throwOnReplay)
    throw 42;
  return 0;
}

int32_t countRan(tgrt_task_context *ctx) {
  static_cast<ThrowState *>(ctx->user_data)->ran++;
  return 0;
}

// Tests a CPU kernel and an (emulated) GPU kernel that throw: each fails its
// task with the exception's message, poisons its dependents, and the next
// replay runs everything.
TEST(Reliability, ThrowingKernelFailsItsTask) {
  for (bool gpu : {false, true}) {
    Runtime rt(2, 1, 2, 1);
    ThrowState st;
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "throw", throwStd, &st));
    ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gthrow", throwInt, &st,
                                         TGRT_KERNEL_STREAM_ORDERED));
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "ran", countRan, &st));
    tgrt_graph g;
    ASSERT_TGRT(tgrt_graph_create(rt, "throws", &g));
    uint32_t t, dep, indep;
    ASSERT_TGRT(tgrt_graph_add_task(g, gpu ? "gthrow" : "throw",
                                    gpu ? TGRT_PROC_GPU : TGRT_PROC_CPU, 0, 0,
                                    1, &t));
    ASSERT_TGRT(tgrt_graph_set_node_name(g, t, "thrower"));
    ASSERT_TGRT(tgrt_graph_set_else_value(g, t, 0, 7));
    ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 1, 0, 0, &dep));
    ASSERT_TGRT(tgrt_graph_add_task(g, "ran", TGRT_PROC_CPU, 1, 0, 0, &indep));
    ASSERT_TGRT(tgrt_graph_add_dep(g, t, dep, TGRT_DEP_HOST));
    ASSERT_TGRT(tgrt_graph_finalize(g));
    EXPECT_EQ(replayAndWait(g), TGRT_ERROR_TASK_FAILED);
    std::string msg = tgrt_last_error();
    EXPECT_NE(msg.find("task 'thrower'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(gpu ? "kernel threw an exception that is not a "
                             "std::exception"
                           : "kernel threw: the disk is on fire"),
              std::string::npos)
        << msg;
    EXPECT_EQ(st.ran.load(), 1u); // only the independent task
    uint64_t v = 0;
    ASSERT_TGRT(tgrt_graph_get_result(g, t, 0, &v));
    EXPECT_EQ(v, 7u); // a failed task's results are its else values
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(st.ran.load(), 3u);
    ASSERT_TGRT(tgrt_graph_destroy(g));
  }
}

} // namespace

namespace {

// Tests a destroyed graph's handle is refused by every call, also once a new
// graph (perhaps in the same table slot) exists, and never names that graph.
TEST(Reliability, StaleGraphHandleIsRefused) {
  Runtime rt(1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  tgrt_graph old;
  ASSERT_TGRT(tgrt_graph_create(rt, "old", &old));
  uint32_t n;
  ASSERT_TGRT(tgrt_graph_add_task(old, "count", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(old));
  ASSERT_TGRT(tgrt_graph_destroy(old));
  tgrt_graph fresh;
  ASSERT_TGRT(tgrt_graph_create(rt, "fresh", &fresh));
  ASSERT_TGRT(tgrt_graph_add_task(fresh, "count", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(fresh));
  EXPECT_NE(old, fresh);
  EXPECT_EQ(tgrt_graph_replay(old, nullptr, 0, nullptr, 0, nullptr),
            TGRT_ERROR_INVALID_HANDLE);
  EXPECT_NE(std::string(tgrt_last_error()).find("not a live graph handle"),
            std::string::npos)
      << tgrt_last_error();
  uint32_t num = 0;
  EXPECT_EQ(tgrt_graph_num_nodes(old, &num), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_graph_destroy(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_graph_add_join(old, &n), TGRT_ERROR_INVALID_HANDLE);
  // An event handle is not a graph handle.
  tgrt_event e;
  ASSERT_TGRT(tgrt_event_create(rt, &e));
  EXPECT_EQ(tgrt_graph_wait_idle(reinterpret_cast<tgrt_graph>(e)),
            TGRT_ERROR_INVALID_HANDLE);
  ASSERT_TGRT(tgrt_event_release(e));
  // The fresh graph is untouched by all of that.
  ASSERT_TGRT(replayAndWait(fresh));
  EXPECT_EQ(count.load(), 1u);
  ASSERT_TGRT(tgrt_graph_destroy(fresh));
}

tgrt_graph buildSmall(tgrt_runtime rt, uint32_t i) {
  tgrt_graph g = nullptr;
  EXPECT_TGRT(tgrt_graph_create(rt, "churn", &g));
  uint32_t a, b, c;
  EXPECT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, i % 2, 0, 0, &a));
  EXPECT_TGRT(tgrt_graph_add_task(g, "gcount", TGRT_PROC_GPU, 0, i % 2, 0, &b));
  EXPECT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 0, 0, 0, &c));
  EXPECT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  EXPECT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_HOST));
  EXPECT_TGRT(tgrt_graph_finalize(g));
  return g;
}

// Tests tgrt_graph_destroy racing tgrt_graph_replay on other threads: one
// thread keeps replacing the graph (create, then destroy the old one) while
// others replay whichever graph they saw last. Every replay is either
// refused with TGRT_ERROR_INVALID_HANDLE (its graph was destroyed) or runs
// to completion; nothing touches freed memory (the sanitizer builds run
// this too).
TEST(Reliability, DestroyRacingReplays) {
  Runtime rt(2, 1, 2, 1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gcount", countKernel, &count,
                                       TGRT_KERNEL_STREAM_ORDERED));
  std::atomic<tgrt_graph> current{buildSmall(rt, 0)};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> ran{0}, refused{0}, wrong{0};
  std::vector<std::thread> replayers;
  for (int t = 0; t < 3; ++t)
    replayers.emplace_back([&] {
      while (!stop.load()) {
        tgrt_graph g = current.load();
        tgrt_event done = nullptr;
        tgrt_status s = tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done);
        if (s == TGRT_ERROR_INVALID_HANDLE) {
          ++refused;
          continue;
        }
        if (s != TGRT_OK || waitEvent(done) != TGRT_OK) {
          ++wrong;
          continue;
        }
        tgrt_event_release(done);
        ++ran;
      }
    });
  // Some replay runs before the churn (a loaded machine may not schedule
  // the replayers soon): the race is then with replays really in flight.
  EXPECT_TRUE(eventually([&] { return ran.load() > 0; }));
  const int kGraphs = 200;
  for (int i = 1; i <= kGraphs; ++i) {
    tgrt_graph old = current.exchange(buildSmall(rt, i));
    EXPECT_TGRT(tgrt_graph_destroy(old));
    // A handle destroyed is refused from then on, by every thread.
    EXPECT_EQ(tgrt_graph_replay(old, nullptr, 0, nullptr, 0, nullptr),
              TGRT_ERROR_INVALID_HANDLE);
  }
  stop = true;
  for (std::thread &t : replayers)
    t.join();
  EXPECT_TGRT(tgrt_graph_destroy(current.load()));
  EXPECT_EQ(wrong.load(), 0u);
  EXPECT_GT(ran.load(), 0u);
  EXPECT_EQ(count.load(), 3 * ran.load()); // every accepted replay ran whole
}

bool errorHas(const char *what) {
  return std::string(tgrt_last_error()).find(what) != std::string::npos;
}

// Tests a destroyed runtime's handle is refused by every call (the check
// reads no freed memory: ASan runs this), also once a new runtime exists,
// and a second destroy is refused too.
TEST(Reliability, StaleRuntimeHandleIsRefused) {
  tgrt_config c;
  tgrt_config_init(&c);
  c.stream_mode = TGRT_STREAMS_EMULATED;
  tgrt_runtime old;
  ASSERT_TGRT(tgrt_runtime_create(&c, &old));
  ASSERT_TGRT(tgrt_runtime_destroy(old));
  tgrt_runtime fresh;
  ASSERT_TGRT(tgrt_runtime_create(&c, &fresh));
  EXPECT_NE(old, fresh);
  tgrt_event e;
  EXPECT_EQ(tgrt_event_create(old, &e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_TRUE(errorHas("tgrt_event_create: not a live runtime handle"))
      << tgrt_last_error();
  tgrt_graph g;
  EXPECT_EQ(tgrt_graph_create(old, "g", &g), TGRT_ERROR_INVALID_HANDLE);
  int32_t usesCuda;
  EXPECT_EQ(tgrt_runtime_uses_cuda(old, &usesCuda), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_runtime_destroy(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_TRUE(errorHas("tgrt_runtime_destroy: not a live runtime handle"))
      << tgrt_last_error();
  // A graph or event handle is not a runtime handle.
  ASSERT_TGRT(tgrt_event_create(fresh, &e));
  EXPECT_EQ(
      tgrt_runtime_uses_cuda(reinterpret_cast<tgrt_runtime>(e), &usesCuda),
      TGRT_ERROR_INVALID_HANDLE);
  ASSERT_TGRT(tgrt_event_release(e));
  ASSERT_TGRT(tgrt_runtime_uses_cuda(fresh, &usesCuda));
  ASSERT_TGRT(tgrt_runtime_destroy(fresh));
}

// Tests a released event's handle is refused by every call, a second
// release included, and that once the pool hands the same object out again
// (a new event, a replay's completion event) the old handle does not alias
// it: triggering through the old handle is refused and leaves the new event
// untouched.
TEST(Reliability, ReleasedEventHandleNeverAliases) {
  Runtime rt(1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  tgrt_event old;
  ASSERT_TGRT(tgrt_event_create(rt, &old));
  ASSERT_TGRT(tgrt_event_release(old));
  EXPECT_EQ(tgrt_event_query(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_TRUE(errorHas("tgrt_event_query: not a live event handle"))
      << tgrt_last_error();
  EXPECT_EQ(tgrt_event_release(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_TRUE(errorHas("tgrt_event_release: not a live event handle"))
      << tgrt_last_error();
  // The pool reuses released events last-in first-out: `fresh` is the same
  // object as `old`, under a new handle.
  tgrt_event fresh;
  ASSERT_TGRT(tgrt_event_create(rt, &fresh));
  EXPECT_NE(old, fresh);
  EXPECT_EQ(tgrt_event_trigger(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_trigger_failed(old, "x"), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_wait(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_wait_timeout(old, 1), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_release(old), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_query(fresh), TGRT_ERROR_NOT_READY);

  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "g", &g));
  uint32_t n;
  ASSERT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  // A stale handle as a precondition is refused, naming its position.
  tgrt_event pre[2] = {fresh, old};
  EXPECT_EQ(tgrt_graph_replay(g, pre, 2, nullptr, 0, nullptr),
            TGRT_ERROR_INVALID_HANDLE);
  EXPECT_TRUE(errorHas("precondition 1 is not a live event handle"))
      << tgrt_last_error();
  ASSERT_TGRT(tgrt_event_release(fresh));
  // Completion events come from the same pool: each replay's is new.
  tgrt_event done1, done2;
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done1));
  ASSERT_TGRT(waitEvent(done1));
  ASSERT_TGRT(tgrt_event_release(done1));
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done2));
  EXPECT_NE(done1, done2);
  EXPECT_NE(done1, fresh);
  EXPECT_EQ(tgrt_event_wait(done1), TGRT_ERROR_INVALID_HANDLE);
  ASSERT_TGRT(waitEvent(done2));
  ASSERT_TGRT(tgrt_event_release(done2));
  EXPECT_EQ(count.load(), 2u);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests an event the user still holds when its runtime is destroyed: its
// handle is refused afterwards (its object is freed; ASan runs this).
TEST(Reliability, EventHandleOutlivingItsRuntimeIsRefused) {
  tgrt_config c;
  tgrt_config_init(&c);
  c.stream_mode = TGRT_STREAMS_EMULATED;
  tgrt_runtime rt;
  ASSERT_TGRT(tgrt_runtime_create(&c, &rt));
  tgrt_event e, released;
  ASSERT_TGRT(tgrt_event_create(rt, &e));
  ASSERT_TGRT(tgrt_event_create(rt, &released));
  ASSERT_TGRT(tgrt_event_release(released));
  ASSERT_TGRT(tgrt_runtime_destroy(rt));
  EXPECT_EQ(tgrt_event_query(e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_trigger(e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_release(e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_release(released), TGRT_ERROR_INVALID_HANDLE);
  // A new runtime's events (perhaps in the same slots) are not aliased.
  ASSERT_TGRT(tgrt_runtime_create(&c, &rt));
  tgrt_event fresh;
  ASSERT_TGRT(tgrt_event_create(rt, &fresh));
  EXPECT_NE(fresh, e);
  EXPECT_EQ(tgrt_event_trigger(e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_event_query(fresh), TGRT_ERROR_NOT_READY);
  ASSERT_TGRT(tgrt_event_release(fresh));
  ASSERT_TGRT(tgrt_runtime_destroy(rt));
}

// Tests events and graphs under churn (the sanitizer builds run this): some
// threads create user events, replay with them as preconditions, trigger,
// wait and release; one thread keeps creating and releasing events and
// checks that every handle it released stays refused while the pool hands
// its object out again; and the main thread keeps destroying the graph the
// others replay.
TEST(Reliability, EventAndGraphChurn) {
  Runtime rt(2, 1, 2, 1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gcount", countKernel, &count,
                                       TGRT_KERNEL_STREAM_ORDERED));
  std::atomic<tgrt_graph> current{buildSmall(rt, 0)};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> ran{0}, wrong{0}, aliased{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&] {
      while (!stop.load()) {
        tgrt_event pre = nullptr, done = nullptr;
        if (tgrt_event_create(rt, &pre) != TGRT_OK) {
          ++wrong;
          continue;
        }
        tgrt_status s =
            tgrt_graph_replay(current.load(), &pre, 1, nullptr, 0, &done);
        if (tgrt_event_trigger(pre) != TGRT_OK ||
            tgrt_event_release(pre) != TGRT_OK)
          ++wrong;
        if (s == TGRT_ERROR_INVALID_HANDLE)
          continue; // its graph was destroyed meanwhile
        if (s != TGRT_OK || waitEvent(done) != TGRT_OK ||
            tgrt_event_release(done) != TGRT_OK) {
          ++wrong;
          continue;
        }
        ++ran;
      }
    });
  threads.emplace_back([&] {
    std::vector<tgrt_event> released;
    while (!stop.load()) {
      tgrt_event e = nullptr;
      if (tgrt_event_create(rt, &e) != TGRT_OK) {
        ++wrong;
        continue;
      }
      for (tgrt_event old : released)
        if (old == e || tgrt_event_query(old) != TGRT_ERROR_INVALID_HANDLE)
          ++aliased;
      if (tgrt_event_release(e) != TGRT_OK)
        ++wrong;
      if (released.size() < 64)
        released.push_back(e);
      else
        released[count.load() % 64] = e;
    }
  });
  for (int i = 1; i <= 100; ++i) {
    tgrt_graph old = current.exchange(buildSmall(rt, i));
    // Refused while a replay of it waits for a precondition not yet
    // triggered (its thread triggers it right after the replay call).
    tgrt_status s;
    while ((s = tgrt_graph_destroy(old)) == TGRT_ERROR_INVALID_STATE)
      std::this_thread::yield();
    EXPECT_TGRT(s);
  }
  stop = true;
  for (std::thread &t : threads)
    t.join();
  EXPECT_TGRT(tgrt_graph_destroy(current.load()));
  EXPECT_EQ(wrong.load(), 0u);
  EXPECT_EQ(aliased.load(), 0u);
  EXPECT_EQ(count.load(), 3 * ran.load());
}

} // namespace

namespace {

struct Blocker {
  std::atomic<bool> release{false};
  std::atomic<int> entered{0};
};

// Blocks until the test releases it (so nothing is left running at exit).
int32_t blockKernel(tgrt_task_context *ctx) {
  auto *b = static_cast<Blocker *>(ctx->user_data);
  ++b->entered;
  while (!b->release.load())
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  return 0;
}

// Tests a replay stuck in a kernel (CPU, then an emulated GPU stream) with a
// time limit: it completes as failed, naming the stuck task; the graph then
// refuses replays, wait_idle, destroy and the runtime's destroy (instead of
// hanging) until the kernel returns; afterwards everything works again.
TEST(Reliability, StuckReplayTimesOut) {
  for (bool gpu : {false, true}) {
    Runtime rt(2, 1, 2, 1);
    Blocker b;
    std::atomic<uint64_t> count{0};
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "block", blockKernel, &b));
    ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gblock", blockKernel, &b,
                                         TGRT_KERNEL_STREAM_ORDERED));
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
    tgrt_graph g;
    ASSERT_TGRT(tgrt_graph_create(rt, "stuck", &g));
    uint32_t t, after, other;
    ASSERT_TGRT(tgrt_graph_add_task(g, gpu ? "gblock" : "block",
                                    gpu ? TGRT_PROC_GPU : TGRT_PROC_CPU, 0, 0,
                                    0, &t));
    ASSERT_TGRT(tgrt_graph_set_node_name(g, t, "sleeper"));
    ASSERT_TGRT(
        tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 1, 0, 0, &after));
    ASSERT_TGRT(
        tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 1, 0, 0, &other));
    ASSERT_TGRT(tgrt_graph_add_dep(g, t, after, TGRT_DEP_HOST));
    ASSERT_TGRT(tgrt_graph_set_replay_timeout(g, 20ull * 1000 * 1000));
    ASSERT_TGRT(tgrt_graph_finalize(g));

    tgrt_event done;
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done));
    EXPECT_EQ(waitEvent(done), TGRT_ERROR_TASK_FAILED);
    EXPECT_TRUE(errorHas("timed out")) << tgrt_last_error();
    EXPECT_TRUE(errorHas("task 'sleeper' (node 0)")) << tgrt_last_error();
    EXPECT_TRUE(errorHas("cannot be stopped")) << tgrt_last_error();
    ASSERT_TGRT(tgrt_event_release(done));
    EXPECT_EQ(b.entered.load(), 1);

    // Stuck: refused, not waited for.
    EXPECT_EQ(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, nullptr),
              TGRT_ERROR_INVALID_STATE);
    EXPECT_TRUE(errorHas("task 'sleeper' (node 0)")) << tgrt_last_error();
    EXPECT_EQ(tgrt_graph_wait_idle(g), TGRT_ERROR_INVALID_STATE);
    EXPECT_EQ(tgrt_graph_destroy(g), TGRT_ERROR_INVALID_STATE);
    EXPECT_TRUE(errorHas("tgrt_graph_destroy: graph 'stuck'"))
        << tgrt_last_error();
    EXPECT_EQ(tgrt_runtime_destroy(rt), TGRT_ERROR_INVALID_STATE);
    EXPECT_TRUE(errorHas("task 'sleeper'")) << tgrt_last_error();

    // The kernel returns: the stuck replay finishes (its dependent runs),
    // and the graph replays again.
    b.release = true;
    EXPECT_TRUE(eventually([&] { return tgrt_graph_wait_idle(g) == TGRT_OK; }));
    EXPECT_EQ(count.load(), 2u);
    ASSERT_TGRT(tgrt_graph_set_replay_timeout(g, 0));
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(count.load(), 4u);
    ASSERT_TGRT(tgrt_graph_destroy(g));
  }
}

// Tests a generous limit does not disturb replays that finish, and that the
// limit can be cleared again.
TEST(Reliability, ReplayTimeoutNotReachedIsHarmless) {
  Runtime rt(1);
  std::atomic<uint64_t> count{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "count", countKernel, &count));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "quick", &g));
  uint32_t n;
  ASSERT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 0, 0, 0, &n));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  ASSERT_TGRT(tgrt_graph_set_replay_timeout(g, 600ull * 1000 * 1000 * 1000));
  for (int i = 0; i < 20; ++i)
    ASSERT_TGRT(replayAndWait(g));
  ASSERT_TGRT(tgrt_graph_set_replay_timeout(g, 0));
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(count.load(), 21u);
  EXPECT_EQ(tgrt_graph_set_replay_timeout(nullptr, 1),
            TGRT_ERROR_INVALID_HANDLE);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

} // namespace
