//===- ScheduleTest.cpp - The compiler's schedule, executed and checked ---===//
//
// tgrt_graph_set_queue_pos and tgrt_graph_expect_deps carry the compiler's
// schedule; device dependences and guarded predicates are its decisions too.
// finalize runs what was given (a queue order that differs from creation
// order is what runs) and refuses, naming the ops, every inconsistency:
// positions given to some ops only, duplicates, gaps, a queue order that
// contradicts a dependence, a dependency count that disagrees, and a device
// dependence or guarded predicate that cannot be honoured (never demoted).
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <initializer_list>
#include <string>
#include <vector>

using namespace tgrt_test;

namespace {

uint32_t addRec(tgrt_graph g, const char *kernel, int32_t kind, uint32_t index,
                uint32_t stream, uint64_t id, const char *name) {
  uint32_t node = UINT32_MAX;
  EXPECT_TGRT(tgrt_graph_add_task(g, kernel, kind, index, stream, 0, &node));
  EXPECT_TGRT(tgrt_graph_add_arg(g, node, id));
  EXPECT_TGRT(tgrt_graph_set_node_name(g, node, name));
  return node;
}

/// Checks `status` is `code` and the last message holds every piece.
void expectRefused(tgrt_status status, tgrt_status code,
                   std::initializer_list<const char *> pieces) {
  EXPECT_EQ(status, code) << tgrt_status_string(status);
  std::string msg = tgrt_last_error();
  for (const char *piece : pieces)
    EXPECT_NE(msg.find(piece), std::string::npos)
        << "expected '" << piece << "' in: " << msg;
}

// Tests the given queue order runs, not creation order: two independent
// tasks on worker 0 with reversed positions, and a second worker whose
// queue interleaves with the first through a dependence.
TEST(Schedule, GivenQueueOrderIsWhatRuns) {
  Runtime rt(2);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "given", &g));
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "a");
  uint32_t b = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 2, "b");
  uint32_t c = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 3, "c");
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, a, 1));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, b, 0));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, c, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_HOST)); // b, c, then a:
  ASSERT_TGRT(tgrt_graph_add_dep(g, c, a, TGRT_DEP_HOST)); // across workers
  ASSERT_TGRT(tgrt_graph_expect_deps(g, a, 1));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 20; ++r) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(rec.get(), (std::vector<uint64_t>{2, 3, 1})) << "replay " << r;
  }
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests the given order on one worker with no dependence at all: positions
// reversed against creation order, so only the queue orders them.
TEST(Schedule, ReversedPositionsOnOneWorker) {
  Runtime rt(1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "reversed", &g));
  const uint32_t n = 8;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t node = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, i, "t");
    ASSERT_TGRT(tgrt_graph_set_queue_pos(g, node, n - 1 - i));
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 5; ++r) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(rec.get(), (std::vector<uint64_t>{7, 6, 5, 4, 3, 2, 1, 0}));
  }
}

// Tests the given order on an emulated stream: positions reversed.
TEST(Schedule, GivenOrderOnAStream) {
  Runtime rt(1, 1, 1, 1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "grec", recordKernel, &rec,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "stream", &g));
  uint32_t x = addRec(g, "grec", TGRT_PROC_GPU, 0, 0, 1, "x");
  uint32_t y = addRec(g, "grec", TGRT_PROC_GPU, 0, 0, 2, "y");
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, x, 1));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, y, 0));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  for (int r = 0; r < 5; ++r) {
    rec.order.clear();
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(rec.get(), (std::vector<uint64_t>{2, 1}));
  }
}

struct Fixture : ::testing::Test {
  Runtime rt{2, 1, 2, 1};
  Recorder rec;
  tgrt_graph g = nullptr;
  void SetUp() override {
    ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
    ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "ordered", recordKernel, &rec,
                                         TGRT_KERNEL_STREAM_ORDERED));
    ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "unordered", recordKernel, &rec,
                                         TGRT_KERNEL_NONE));
    ASSERT_TGRT(tgrt_graph_create(rt, "refused", &g));
  }
  void TearDown() override {
    // A refused graph is still a builder: not replayable, destroyable.
    EXPECT_EQ(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, nullptr),
              TGRT_ERROR_INVALID_STATE);
    EXPECT_TGRT(tgrt_graph_destroy(g));
  }
};
using Refused = Fixture;

// Tests positions on some tasks but not all are refused, naming one without.
TEST_F(Refused, PositionsGivenToSomeOpsOnly) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "a");
  addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 2, "lonely");
  uint32_t j;
  ASSERT_TGRT(tgrt_graph_add_join(g, &j)); // joins have no queue: fine
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, a, 0));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"tgrt_graph_finalize: graph 'refused'",
                 "'lonely' (node 1) has no queue position but 'a' (node 0) "
                 "has one"});
}

// Tests a position taken twice on one processor names both ops.
TEST_F(Refused, DuplicatePosition) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "first");
  uint32_t b = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 2, "second");
  uint32_t c = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 3, "other");
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, a, 0));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, b, 0));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, c, 0)); // another worker: fine
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'first' (node 0) and 'second' (node 1) both have position 0 "
                 "in the queue of cpu 0"});
}

// Tests a gap names the processor, the missing position and the op that
// took a position beyond the queue.
TEST_F(Refused, GapInPositions) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 1, "a");
  uint32_t b = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 2, "far");
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, a, 0));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, b, 2));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"the queue of cpu 1 has no position 1",
                 "'far' (node 1) has position 2"});
}

// Tests a queue order that puts an op before the op it depends on (one
// worker) is a cycle, named as such.
TEST_F(Refused, QueueOrderAgainstDependence) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "a");
  uint32_t b = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 2, "b");
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, a, 1));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, b, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_CYCLE,
                {"the queue of cpu 0 puts 'b' before 'a', which it depends "
                 "on"});
}

// Tests queue orders on two workers that, with the dependences between
// them, form a cycle: every step is named.
TEST_F(Refused, QueueOrderCycleAcrossTwoWorkers) {
  // cpu 0 runs x then y; cpu 1 runs u then v; u needs y and x needs v.
  uint32_t x = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "x");
  uint32_t y = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 2, "y");
  uint32_t u = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 3, "u");
  uint32_t v = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 4, "v");
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, x, 0));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, y, 1));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, u, 0));
  ASSERT_TGRT(tgrt_graph_set_queue_pos(g, v, 1));
  ASSERT_TGRT(tgrt_graph_add_dep(g, y, u, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, v, x, TGRT_DEP_HOST));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_CYCLE,
                {"the queues and the dependences form a cycle",
                 "the queue of cpu 0 puts 'x' before 'y'", "'u' depends on 'y'",
                 "the queue of cpu 1 puts 'u' before 'v'",
                 "'x' depends on 'v'"});
}

// Tests a dependence cycle without positions still names its ops.
TEST_F(Refused, DependenceCycleNamesItsOps) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "a");
  uint32_t b = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 2, "b");
  uint32_t c = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 3, "c");
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c, a, TGRT_DEP_HOST));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_CYCLE,
                {"a dependence cycle through node 0 ('a'): 'a' -> 'b' -> 'c' "
                 "-> 'a'"});
}

// Tests expect_deps counts distinct predecessors (a duplicate dependence
// counts once) and a disagreement names the node and both numbers.
TEST_F(Refused, ExpectDepsMismatch) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "a");
  uint32_t b = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 2, "b");
  uint32_t c = addRec(g, "rec", TGRT_PROC_CPU, 1, 0, 3, "sink");
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, c, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, c, TGRT_DEP_HOST)); // duplicate
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_expect_deps(g, b, 0));
  ASSERT_TGRT(tgrt_graph_expect_deps(g, c, 3));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'sink' (node 2) was declared with 3 dependences",
                 "but 2 distinct predecessors"});
}

TEST(Schedule, ExpectDepsThatAgreeFinalize) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "e", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "agree", &g));
  uint32_t a, b, j;
  ASSERT_TGRT(tgrt_graph_add_task(g, "e", TGRT_PROC_CPU, 0, 0, 1, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "e", TGRT_PROC_CPU, 0, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_join(g, &j));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g, b, a, 0)); // implicit: not counted
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, j, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, j, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, j, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_expect_deps(g, a, 0));
  ASSERT_TGRT(tgrt_graph_expect_deps(g, b, 0));
  ASSERT_TGRT(tgrt_graph_expect_deps(g, j, 2)); // pruned later: still 2
  ASSERT_TGRT(tgrt_graph_finalize(g));
  ASSERT_TGRT(replayAndWait(g));
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests a device dependence from a CPU task is refused, naming both ops.
TEST_F(Refused, DeviceDependenceFromCpu) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "host");
  uint32_t b = addRec(g, "ordered", TGRT_PROC_GPU, 0, 0, 2, "dev");
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"the device dependence of 'dev' (node 1) on 'host' (node 0) "
                 "cannot be honoured: 'host' (node 0) runs on cpu worker 0"});
}

// Tests a device dependence into a kernel that is not stream-ordered is
// refused, naming the ops and the kernel.
TEST_F(Refused, DeviceDependenceIntoUnorderedKernel) {
  uint32_t a = addRec(g, "ordered", TGRT_PROC_GPU, 0, 0, 1, "first");
  uint32_t b = addRec(g, "unordered", TGRT_PROC_GPU, 0, 1, 2, "second");
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'second' (node 1) on 'first' (node 0)",
                 "kernel 'unordered' of 'second' (node 1) was registered "
                 "without TGRT_KERNEL_STREAM_ORDERED"});
}

// Tests a device dependence into a join is refused.
TEST_F(Refused, DeviceDependenceIntoJoin) {
  uint32_t a = addRec(g, "ordered", TGRT_PROC_GPU, 0, 0, 1, "first");
  uint32_t j;
  ASSERT_TGRT(tgrt_graph_add_join(g, &j));
  ASSERT_TGRT(tgrt_graph_set_node_name(g, j, "merge"));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, j, TGRT_DEP_DEVICE));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'merge' (node 1) is a join"});
}

// Tests a device dependence between two GPUs is refused.
TEST(Schedule, DeviceDependenceAcrossGpusIsRefused) {
  Runtime rt(1, 2, 1, 1);
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "k", emptyKernel, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "twogpus", &g));
  uint32_t a, b;
  ASSERT_TGRT(tgrt_graph_add_task(g, "k", TGRT_PROC_GPU, 0, 0, 0, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "k", TGRT_PROC_GPU, 1, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_set_node_name(g, b, "remote"));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_DEVICE));
  expectRefused(
      tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
      {"'remote' (node 1) on 'k' (node 0)", "they are on gpu 0 and gpu 1"});
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests a guarded predicate on a CPU task is refused (no fallback to WAIT).
TEST_F(Refused, GuardedOnCpu) {
  uint32_t a = addRec(g, "rec", TGRT_PROC_CPU, 0, 0, 1, "cond");
  uint32_t p;
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, a, p, TGRT_PRED_GUARDED));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'cond' (node 0) has a guarded predicate", "cpu worker 0",
                 "TGRT_PRED_WAIT"});
}

// Tests a guarded copy is refused, also on a copy stream.
TEST_F(Refused, GuardedCopy) {
  static char a[8], b[8];
  uint32_t c, p;
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, a, TGRT_MEM_DEVICE,
                                  0, b, TGRT_MEM_HOST, 0, 8, &c));
  ASSERT_TGRT(tgrt_graph_set_node_name(g, c, "upload"));
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, c, p, TGRT_PRED_GUARDED));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'upload' (node 0) has a guarded predicate", "it is a copy"});
}

// Tests a guarded task whose kernel is not stream-ordered is refused, with
// emulated streams as with CUDA (one rule for both).
TEST_F(Refused, GuardedUnorderedKernel) {
  uint32_t a = addRec(g, "unordered", TGRT_PROC_GPU, 0, 0, 1, "maybe");
  uint32_t p;
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, a, p, TGRT_PRED_GUARDED));
  expectRefused(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'maybe' (node 0) has a guarded predicate",
                 "kernel 'unordered' was registered without "
                 "TGRT_KERNEL_STREAM_ORDERED"});
}

// --- The same through graph programs (tgrt_graph_build).

const char kStrings[] = "rec\0a\0b\0";
constexpr uint64_t kRec = 0, kA = 4, kB = 6; // offsets into kStrings

tgrt_status buildProgram(tgrt_runtime rt, const std::vector<uint64_t> &words,
                         tgrt_graph *g) {
  std::vector<uint8_t> bytes = encode(words);
  return tgrt_graph_build(rt, "prog", bytes.data(), bytes.size(), kStrings,
                          sizeof kStrings, g);
}

// Tests a program's queue positions are what runs, and a program whose
// positions contradict its dependences is refused, naming the ops.
TEST(Schedule, ThroughGraphPrograms) {
  Runtime rt(1);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  auto program = [](bool withDep) {
    std::vector<uint64_t> w = {
        TGRT_PROGRAM_VERSION,
        TGRT_OP_ADD_TASK,
        kRec,
        TGRT_PROC_CPU,
        0,
        0,
        0,
        TGRT_OP_ADD_ARG,
        0,
        1,
        TGRT_OP_SET_NODE_NAME,
        0,
        kA,
        TGRT_OP_ADD_TASK,
        kRec,
        TGRT_PROC_CPU,
        0,
        0,
        0,
        TGRT_OP_ADD_ARG,
        1,
        2,
        TGRT_OP_SET_NODE_NAME,
        1,
        kB,
        TGRT_OP_SET_QUEUE_POS,
        0,
        1,
        TGRT_OP_SET_QUEUE_POS,
        1,
        0,
        TGRT_OP_EXPECT_DEPS,
        1,
        withDep ? 1u : 0u,
    };
    if (withDep)
      w.insert(w.end(), {TGRT_OP_ADD_DEP, 0, 1, TGRT_DEP_HOST});
    return w;
  };
  tgrt_graph g = nullptr;
  ASSERT_TGRT(buildProgram(rt, program(false), &g));
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(rec.get(), (std::vector<uint64_t>{2, 1}));
  ASSERT_TGRT(tgrt_graph_destroy(g));

  g = reinterpret_cast<tgrt_graph>(0x1);
  expectRefused(buildProgram(rt, program(true), &g), TGRT_ERROR_CYCLE,
                {"graph 'prog', finalize",
                 "the queue of cpu 0 puts 'b' before 'a', which it depends "
                 "on"});
  EXPECT_EQ(g, nullptr);

  // A dependency count that disagrees.
  std::vector<uint64_t> w = program(false);
  w.back() = 1; // EXPECT_DEPS 1 1, but no dependence
  g = reinterpret_cast<tgrt_graph>(0x1);
  expectRefused(buildProgram(rt, w, &g), TGRT_ERROR_INVALID_ARGUMENT,
                {"'b' (node 1) was declared with 1 dependences", "but 0"});
  EXPECT_EQ(g, nullptr);
}

} // namespace
