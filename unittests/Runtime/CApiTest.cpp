//===- CApiTest.cpp - Bad inputs to the tgrt C ABI ------------------------===//
//
// Every entry point must reject bad input with an error code and a message,
// never crash or abort: null handles and pointers, out-of-range ids, wrong
// kinds, unregistered kernels, changes to finalized graphs, cycles.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstring>
#include <string>

using namespace tgrt_test;

namespace {

#define EXPECT_ERR(expr, code)                                                 \
  do {                                                                         \
    tgrt_status s_ = (expr);                                                   \
    EXPECT_EQ(s_, code) << #expr << " -> " << tgrt_status_string(s_);          \
    EXPECT_STRNE(tgrt_last_error(), "") << #expr;                              \
  } while (0)

TEST(CApi, NullHandlesAndPointers) {
  uint32_t id;
  tgrt_graph g;
  tgrt_event e;
  uint64_t bits;
  int32_t flag;
  EXPECT_ERR(tgrt_config_init(nullptr), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_runtime_create(nullptr, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  tgrt_config c;
  tgrt_config_init(&c);
  EXPECT_ERR(tgrt_runtime_create(&c, nullptr), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_runtime_destroy(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_runtime_uses_cuda(nullptr, &flag), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_register_cpu_kernel(nullptr, "k", emptyKernel, nullptr),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_create(nullptr, "g", &g), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_destroy(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_add_task(nullptr, "k", 0, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_add_arg(nullptr, 0, 0), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_add_dep(nullptr, 0, 1, 0), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_add_join(nullptr, &id), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_pred_const(nullptr, 1, &id), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_finalize(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_replay(nullptr, nullptr, 0, nullptr, 0, &e),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_wait_idle(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_get_result(nullptr, 0, 0, &bits),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_set_tracing(nullptr, 1), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_write_trace(nullptr, "x"), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_node_issued(nullptr, 0, &flag),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_create(nullptr, &e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_trigger(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_trigger_failed(nullptr, "m"),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_query(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_wait(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_wait_timeout(nullptr, 1), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_release(nullptr), TGRT_ERROR_INVALID_HANDLE);
  tgrt_task_set_error(nullptr, "ignored"); // must not crash
  EXPECT_STREQ(tgrt_status_string(TGRT_ERROR_CYCLE), "TGRT_ERROR_CYCLE");
  EXPECT_STREQ(tgrt_status_string(static_cast<tgrt_status>(1234)),
               "TGRT_ERROR_UNKNOWN");
}

TEST(CApi, BadRuntimeConfigs) {
  tgrt_config c;
  tgrt_runtime rt = nullptr;
  tgrt_config_init(&c);
  c.stream_mode = 17;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT);
  tgrt_config_init(&c);
  c.num_cpu_workers = 100000;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT);
  tgrt_config_init(&c);
  c.num_gpus = 1;
  c.streams_per_gpu = 0;
  c.copy_streams_per_gpu = 0;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt, nullptr);
  // Zero workers and no GPUs is a valid (if idle) runtime: joins still run.
  tgrt_config_init(&c);
  c.num_cpu_workers = 0;
  ASSERT_TGRT(tgrt_runtime_create(&c, &rt));
  ASSERT_TGRT(tgrt_runtime_destroy(rt));
}

TEST(CApi, KernelRegistry) {
  Runtime rt(1, 1);
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, nullptr, emptyKernel, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, "", emptyKernel, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, "k", nullptr, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_register_gpu_kernel(rt, "g", emptyKernel, nullptr, 0x80),
             TGRT_ERROR_INVALID_ARGUMENT);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "k", emptyKernel, nullptr));
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, "k", emptyKernel, nullptr),
             TGRT_ERROR_ALREADY);
  EXPECT_ERR(tgrt_register_gpu_kernel(rt, "k", emptyKernel, nullptr, 0),
             TGRT_ERROR_ALREADY);
}

TEST(CApi, BadGraphBuilding) {
  Runtime rt(2, 1, 2, 1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", emptyKernel, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, nullptr, &g)); // a null name is allowed
  EXPECT_ERR(tgrt_graph_create(rt, "x", nullptr), TGRT_ERROR_INVALID_ARGUMENT);
  uint32_t id, t0, t1, p;
  // Tasks.
  EXPECT_ERR(tgrt_graph_add_task(g, nullptr, TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_task(g, "nope", TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_NOT_FOUND);
  EXPECT_NE(std::string(tgrt_last_error()).find("nope"), std::string::npos);
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 2, 0, 0, &id),
             TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", 42, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_INLINE, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 1, 0, 0, &id),
             TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 0, 2, 0, &id),
             TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_COPY, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT); // GPU kernel on a CPU worker
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_GPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT); // CPU kernel on a stream
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 5000, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 1, &t0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 0, 1, 0, &t1));
  // Arguments and values.
  EXPECT_ERR(tgrt_graph_add_arg(g, 99, 0), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_arg_param(g, t0, 0), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_arg_value(g, t1, t0, 1), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_arg_value(g, t1, 77, 0), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_set_else_value(g, t1, 0, 1), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_set_node_name(g, t0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_set_node_name(g, 1000, "x"), TGRT_ERROR_OUT_OF_RANGE);
  // Copies.
  char buf[8];
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_DEVICE,
                                 0, buf, TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, 7, 0, buf,
                                 TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 3, buf, TGRT_MEM_HOST, 0,
                                 buf, TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST,
                                 UINT64_MAX, buf, TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_copy_bind_param(g, t0, 0, 0),
             TGRT_ERROR_INVALID_ARGUMENT); // not a copy
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST, 0,
                                  buf, TGRT_MEM_HOST, 0, 0, &id));
  EXPECT_ERR(tgrt_graph_copy_bind_param(g, id, 2, 0),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_copy_bind_param(g, id, 0, 0), TGRT_ERROR_OUT_OF_RANGE);
  // Dependences.
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, 55, TGRT_DEP_HOST),
             TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, t1, 9), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, t0, TGRT_DEP_HOST), TGRT_ERROR_CYCLE);
  // Predicates.
  EXPECT_ERR(tgrt_graph_pred_const(g, 1, nullptr), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_pred_not(g, 3, &p), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_pred_from_value(g, t1, 0, &p), TGRT_ERROR_OUT_OF_RANGE);
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &p));
  EXPECT_ERR(tgrt_graph_pred_and(g, p, 9, &id), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_pred_or(g, 9, p, &id), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_set_predicate(g, t0, p, 5),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_set_predicate(g, t0, 8, TGRT_PRED_WAIT),
             TGRT_ERROR_OUT_OF_RANGE);
  uint32_t j;
  ASSERT_TGRT(tgrt_graph_add_join(g, &j));
  EXPECT_ERR(tgrt_graph_set_predicate(g, j, p, TGRT_PRED_WAIT),
             TGRT_ERROR_INVALID_ARGUMENT);
  // Not finalized yet.
  tgrt_event e;
  uint64_t bits;
  int32_t flag;
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &e),
             TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_get_result(g, t0, 0, &bits), TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_node_issued(g, t0, &flag), TGRT_ERROR_INVALID_STATE);
  ASSERT_TGRT(tgrt_graph_finalize(g));
  // Finalized: no more changes.
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, t1, TGRT_DEP_HOST),
             TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_add_join(g, &id), TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_set_num_params(g, 1), TGRT_ERROR_INVALID_STATE);
  EXPECT_ERR(tgrt_graph_pred_const(g, 1, &id), TGRT_ERROR_INVALID_STATE);
  // Replay arguments.
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 1, nullptr, 0, &e),
             TGRT_ERROR_INVALID_ARGUMENT);
  uint64_t params[1] = {0};
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 0, params, 1, &e),
             TGRT_ERROR_INVALID_ARGUMENT);
  tgrt_event nullEvent = nullptr;
  EXPECT_ERR(tgrt_graph_replay(g, &nullEvent, 1, nullptr, 0, &e),
             TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_graph_get_result(g, t1, 0, &bits), TGRT_ERROR_OUT_OF_RANGE);
  EXPECT_ERR(tgrt_graph_get_result(g, t0, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_write_trace(g, nullptr), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_ERR(tgrt_graph_write_trace(g, ""), TGRT_ERROR_INVALID_ARGUMENT);
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, nullptr));
  ASSERT_TGRT(tgrt_graph_wait_idle(g));
}

TEST(CApi, CycleDetectedAtFinalize) {
  Runtime rt(2);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic", &g));
  uint32_t a, b, c;
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 1, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 1, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_join(g, &c));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c, a, TGRT_DEP_HOST));
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_CYCLE);
  EXPECT_NE(std::string(tgrt_last_error()).find("cycle"), std::string::npos);
  // Still a builder: not replayable.
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, nullptr),
             TGRT_ERROR_INVALID_STATE);

  // A cycle through an implicit dependence (a value argument).
  tgrt_graph g2;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic2", &g2));
  uint32_t x, y;
  ASSERT_TGRT(tgrt_graph_add_task(g2, "cpu", TGRT_PROC_CPU, 0, 0, 1, &x));
  ASSERT_TGRT(tgrt_graph_add_task(g2, "cpu", TGRT_PROC_CPU, 0, 0, 1, &y));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g2, x, y, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g2, x, y, TGRT_DEP_HOST));
  EXPECT_ERR(tgrt_graph_finalize(g2), TGRT_ERROR_CYCLE);
  // A predicate that reads its own task's value.
  tgrt_graph g3;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic3", &g3));
  uint32_t z, p;
  ASSERT_TGRT(tgrt_graph_add_task(g3, "cpu", TGRT_PROC_CPU, 0, 0, 1, &z));
  ASSERT_TGRT(tgrt_graph_pred_from_value(g3, z, 0, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g3, z, p, TGRT_PRED_WAIT));
  EXPECT_ERR(tgrt_graph_finalize(g3), TGRT_ERROR_CYCLE);
}

TEST(CApi, CopyWithoutPointersFailsFinalize) {
  Runtime rt(1);
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "nullcopy", &g));
  uint32_t id;
  char buf[4];
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, nullptr,
                                  TGRT_MEM_HOST, 0, buf, TGRT_MEM_HOST, 0, 4,
                                  &id));
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT);
}

TEST(CApi, EventMisuse) {
  Runtime rt(1);
  tgrt_event e;
  ASSERT_TGRT(tgrt_event_create(rt, &e));
  EXPECT_EQ(tgrt_event_query(e), TGRT_ERROR_NOT_READY);
  EXPECT_EQ(tgrt_event_wait_timeout(e, 1000), TGRT_ERROR_TIMEOUT);
  ASSERT_TGRT(tgrt_event_trigger(e));
  EXPECT_ERR(tgrt_event_trigger(e), TGRT_ERROR_ALREADY);
  EXPECT_ERR(tgrt_event_trigger_failed(e, "x"), TGRT_ERROR_ALREADY);
  ASSERT_TGRT(tgrt_event_query(e));
  ASSERT_TGRT(tgrt_event_wait(e));
  ASSERT_TGRT(tgrt_event_release(e));
  // The pool keeps the object: a released handle is detected.
  EXPECT_ERR(tgrt_event_release(e), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_ERR(tgrt_event_query(e), TGRT_ERROR_INVALID_HANDLE);

  // Events of another runtime cannot be preconditions.
  Runtime other(1);
  tgrt_event foreign;
  ASSERT_TGRT(tgrt_event_create(other, &foreign));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "g", &g));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_ERR(tgrt_graph_replay(g, &foreign, 1, nullptr, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT);
  ASSERT_TGRT(tgrt_event_release(foreign));
}

} // namespace

namespace {
// Buffer memory: allocation of both kinds (host memory under emulation),
// copies, and every misuse rejected with a message.
TEST(CApi, BufferMemory) {
  for (uint32_t gpus : {0u, 1u}) {
    tgrt_config c;
    tgrt_config_init(&c);
    c.num_gpus = gpus;
    c.stream_mode = TGRT_STREAMS_EMULATED;
    tgrt_runtime rt;
    ASSERT_EQ(tgrt_runtime_create(&c, &rt), TGRT_OK) << tgrt_last_error();
    void *host = nullptr, *dev = nullptr;
    ASSERT_EQ(tgrt_mem_alloc(rt, TGRT_MEM_HOST, 64, &host), TGRT_OK);
    ASSERT_EQ(tgrt_mem_alloc(rt, TGRT_MEM_DEVICE, 64, &dev), TGRT_OK);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(host) % 64, 0u);
    double in[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8] = {0};
    EXPECT_EQ(tgrt_mem_copy(rt, dev, in, sizeof in), TGRT_OK);
    EXPECT_EQ(tgrt_mem_copy(rt, host, dev, sizeof in), TGRT_OK);
    EXPECT_EQ(tgrt_mem_copy(rt, out, host, sizeof in), TGRT_OK);
    EXPECT_EQ(out[7], 8.0);
    EXPECT_ERR(tgrt_mem_alloc(rt, 7, 64, &host), TGRT_ERROR_INVALID_ARGUMENT);
    EXPECT_ERR(tgrt_mem_alloc(rt, TGRT_MEM_HOST, 0, &host),
               TGRT_ERROR_INVALID_ARGUMENT);
    EXPECT_ERR(tgrt_mem_alloc(rt, TGRT_MEM_HOST, 64, nullptr),
               TGRT_ERROR_INVALID_ARGUMENT);
    EXPECT_ERR(tgrt_mem_alloc(nullptr, TGRT_MEM_HOST, 64, &host),
               TGRT_ERROR_INVALID_HANDLE);
    EXPECT_ERR(tgrt_mem_copy(rt, nullptr, in, 8), TGRT_ERROR_INVALID_ARGUMENT);
    EXPECT_ERR(tgrt_mem_copy(rt, out, nullptr, 8), TGRT_ERROR_INVALID_ARGUMENT);
    EXPECT_ERR(tgrt_mem_free(rt, TGRT_MEM_HOST, dev),
               TGRT_ERROR_INVALID_ARGUMENT); // wrong kind
    EXPECT_EQ(tgrt_mem_free(rt, TGRT_MEM_DEVICE, dev), TGRT_OK);
    EXPECT_ERR(tgrt_mem_free(rt, TGRT_MEM_DEVICE, dev),
               TGRT_ERROR_INVALID_ARGUMENT); // twice
    EXPECT_ERR(tgrt_mem_free(rt, TGRT_MEM_HOST, in),
               TGRT_ERROR_INVALID_ARGUMENT); // not ours
    // `host` is still allocated: destroy frees it (ASan checks for leaks).
    EXPECT_EQ(tgrt_runtime_destroy(rt), TGRT_OK);
  }
}
} // namespace
