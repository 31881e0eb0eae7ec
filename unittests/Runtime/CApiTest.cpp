//===- CApiTest.cpp - Bad inputs to the tgrt C ABI ------------------------===//
//
// Every entry point must reject bad input with an error code and a message,
// never crash or abort: null handles and pointers, out-of-range ids, wrong
// kinds, unregistered kernels, changes to finalized graphs, cycles. Each check
// pins the code and the part of the message that matters: the call's name,
// the reason, and the offending value where the message gives one.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

using namespace tgrt_test;

namespace {

/// Overwrites tgrt_last_error() with the message of a failing call that has
/// no effect, one that does not contain `substr`, so that a message left by
/// an earlier call cannot satisfy the next check. Returns false when both
/// candidates contain `substr`: the substring is then too vague to test.
bool clearLastError(const char *substr) {
  tgrt_config_init(nullptr); // "tgrt_config_init: config is null"
  if (!std::strstr(tgrt_last_error(), substr))
    return true;
  tgrt_runtime_destroy(nullptr); // "tgrt_runtime_destroy: runtime handle ..."
  return !std::strstr(tgrt_last_error(), substr);
}

/// Checks that `expr` fails with `code` and a message containing `substr`.
#define EXPECT_ERR(expr, code, substr)                                         \
  do {                                                                         \
    EXPECT_TRUE(clearLastError(substr)) << "too vague: " << (substr);          \
    tgrt_status s_ = (expr);                                                   \
    EXPECT_EQ(s_, code) << #expr << " -> " << tgrt_status_string(s_);          \
    EXPECT_NE(std::strstr(tgrt_last_error(), substr), nullptr)                 \
        << #expr << ": expected '" << (substr)                                 \
        << "' in: " << tgrt_last_error();                                      \
  } while (0)

// Tests a pointer that is not a handle of the kind (here: zeroed memory, as
// a handle whose object was freed and cleared would look) is refused, not
// followed.
TEST(CApi, NotALiveHandle) {
  alignas(64) static unsigned char zeros[4096] = {};
  auto rt = reinterpret_cast<tgrt_runtime>(zeros);
  auto g = reinterpret_cast<tgrt_graph>(zeros);
  auto e = reinterpret_cast<tgrt_event>(zeros);
  tgrt_graph out;
  EXPECT_ERR(tgrt_graph_create(rt, "g", &out), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_create: not a live runtime handle");
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_finalize: not a live graph handle");
  EXPECT_ERR(tgrt_event_query(e), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_query: not a live event handle (released");
}

// Tests every entry point rejects a null handle or pointer and names itself.
TEST(CApi, NullHandlesAndPointers) {
  uint32_t id;
  tgrt_graph g;
  tgrt_event e;
  uint64_t bits;
  int32_t flag;
  void *ptr;
  char buf[8];
  EXPECT_ERR(tgrt_runtime_create(nullptr, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: config is null");
  tgrt_config c;
  tgrt_config_init(&c);
  EXPECT_ERR(tgrt_runtime_create(&c, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: out_runtime is null");
  EXPECT_ERR(tgrt_runtime_uses_cuda(nullptr, &flag), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_runtime_uses_cuda: runtime handle is null");
  EXPECT_ERR(tgrt_mem_alloc(nullptr, TGRT_MEM_HOST, 8, &ptr),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_mem_alloc: runtime handle is null");
  EXPECT_ERR(tgrt_mem_free(nullptr, TGRT_MEM_HOST, buf),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_mem_free: runtime handle is null");
  EXPECT_ERR(tgrt_mem_copy(nullptr, buf, buf, 8), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_mem_copy: runtime handle is null");
  EXPECT_ERR(tgrt_register_cpu_kernel(nullptr, "k", emptyKernel, nullptr),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_register_cpu_kernel: runtime handle is null");
  EXPECT_ERR(tgrt_register_gpu_kernel(nullptr, "k", emptyKernel, nullptr, 0),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_register_gpu_kernel: runtime handle is null");
  EXPECT_ERR(tgrt_graph_create(nullptr, "g", &g), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_create: runtime handle is null");
  EXPECT_ERR(tgrt_graph_build(nullptr, "p", nullptr, 0, nullptr, 0, &g),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_build: runtime handle is null");
  EXPECT_ERR(tgrt_graph_destroy(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_destroy: graph handle is null");
  EXPECT_ERR(tgrt_graph_set_num_params(nullptr, 1), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_set_num_params: graph handle is null");
  EXPECT_ERR(tgrt_graph_add_task(nullptr, "k", 0, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_add_task: graph handle is null");
  EXPECT_ERR(tgrt_graph_add_arg(nullptr, 0, 0), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_add_arg: graph handle is null");
  EXPECT_ERR(tgrt_graph_add_arg_param(nullptr, 0, 0), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_add_arg_param: graph handle is null");
  EXPECT_ERR(tgrt_graph_add_arg_value(nullptr, 0, 0, 0),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_add_arg_value: graph handle is null");
  EXPECT_ERR(tgrt_graph_set_else_value(nullptr, 0, 0, 0),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_set_else_value: graph handle is null");
  EXPECT_ERR(
      tgrt_graph_add_copy(nullptr, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST, 0,
                          buf, TGRT_MEM_HOST, 0, 8, &id),
      TGRT_ERROR_INVALID_HANDLE, "tgrt_graph_add_copy: graph handle is null");
  EXPECT_ERR(tgrt_graph_copy_bind_param(nullptr, 0, 0, 0),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_copy_bind_param: graph handle is null");
  EXPECT_ERR(tgrt_graph_add_dep(nullptr, 0, 1, 0), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_add_dep: graph handle is null");
  EXPECT_ERR(tgrt_graph_add_join(nullptr, &id), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_add_join: graph handle is null");
  EXPECT_ERR(tgrt_graph_set_node_name(nullptr, 0, "n"),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_set_node_name: graph handle is null");
  EXPECT_ERR(tgrt_graph_pred_const(nullptr, 1, &id), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_pred_const: graph handle is null");
  EXPECT_ERR(tgrt_graph_pred_from_value(nullptr, 0, 0, &id),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_pred_from_value: graph handle is null");
  EXPECT_ERR(tgrt_graph_pred_not(nullptr, 0, &id), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_pred_not: graph handle is null");
  EXPECT_ERR(tgrt_graph_pred_and(nullptr, 0, 0, &id), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_pred_and: graph handle is null");
  EXPECT_ERR(tgrt_graph_pred_or(nullptr, 0, 0, &id), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_pred_or: graph handle is null");
  EXPECT_ERR(tgrt_graph_set_predicate(nullptr, 0, 0, TGRT_PRED_WAIT),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_set_predicate: graph handle is null");
  EXPECT_ERR(tgrt_graph_finalize(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_finalize: graph handle is null");
  EXPECT_ERR(tgrt_graph_num_nodes(nullptr, &id), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_num_nodes: graph handle is null");
  EXPECT_ERR(tgrt_graph_replay(nullptr, nullptr, 0, nullptr, 0, &e),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_replay: graph handle is null");
  EXPECT_ERR(tgrt_graph_wait_idle(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_wait_idle: graph handle is null");
  EXPECT_ERR(tgrt_graph_get_result(nullptr, 0, 0, &bits),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_get_result: graph handle is null");
  EXPECT_ERR(tgrt_graph_set_tracing(nullptr, 1), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_set_tracing: graph handle is null");
  EXPECT_ERR(tgrt_graph_write_trace(nullptr, "x"), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_write_trace: graph handle is null");
  EXPECT_ERR(tgrt_graph_node_issued(nullptr, 0, &flag),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_node_issued: graph handle is null");
  EXPECT_ERR(tgrt_graph_set_capture(nullptr, 1), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_set_capture: graph handle is null");
  EXPECT_ERR(tgrt_graph_last_replay_captured(nullptr, &flag),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_last_replay_captured: graph handle is null");
  EXPECT_ERR(tgrt_event_create(nullptr, &e), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_create: runtime handle is null");
  EXPECT_ERR(tgrt_event_trigger(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_trigger: event handle is null");
  EXPECT_ERR(tgrt_event_trigger_failed(nullptr, "m"), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_trigger_failed: event handle is null");
  EXPECT_ERR(tgrt_event_query(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_query: event handle is null");
  EXPECT_ERR(tgrt_event_wait(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_wait: event handle is null");
  EXPECT_ERR(tgrt_event_wait_timeout(nullptr, 1), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_wait_timeout: event handle is null");
  EXPECT_ERR(tgrt_event_release(nullptr), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_release: event handle is null");
  // The two calls clearLastError uses: each is checked after the other.
  tgrt_runtime_destroy(nullptr);
  EXPECT_EQ(tgrt_config_init(nullptr), TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(tgrt_last_error(), "tgrt_config_init: config is null");
  EXPECT_EQ(tgrt_runtime_destroy(nullptr), TGRT_ERROR_INVALID_HANDLE);
  EXPECT_STREQ(tgrt_last_error(),
               "tgrt_runtime_destroy: runtime handle is null");
  tgrt_task_set_error(nullptr, "ignored"); // must not crash
  EXPECT_STREQ(tgrt_status_string(TGRT_ERROR_CYCLE), "TGRT_ERROR_CYCLE");
  EXPECT_STREQ(tgrt_status_string(static_cast<tgrt_status>(1234)),
               "TGRT_ERROR_UNKNOWN");
}

// Tests null out-pointers and buffers given with live handles are rejected
// by name.
TEST(CApi, NullOutPointers) {
  Runtime rt(1);
  EXPECT_ERR(tgrt_runtime_uses_cuda(rt, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_uses_cuda: out_uses_cuda is null");
  EXPECT_ERR(tgrt_event_create(rt, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_event_create: out_event is null");
  // (Null programs only: ProgramTest.cpp covers the encoding.)
  const char strings[] = "k";
  tgrt_graph g = nullptr;
  EXPECT_ERR(tgrt_graph_build(rt, "p", nullptr, 0, strings, 2, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_build: out_graph is null");
  EXPECT_ERR(tgrt_graph_build(rt, "p", nullptr, 1, strings, 2, &g),
             TGRT_ERROR_INVALID_ARGUMENT, "tgrt_graph_build: program is null");
  EXPECT_ERR(tgrt_graph_build(rt, "p", nullptr, 0, nullptr, 2, &g),
             TGRT_ERROR_INVALID_ARGUMENT, "tgrt_graph_build: strings is null");
  ASSERT_TGRT(tgrt_graph_create(rt, "outs", &g));
  char buf[8];
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST, 0,
                                 buf, TGRT_MEM_HOST, 0, 8, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_copy: out_node is null");
  EXPECT_ERR(tgrt_graph_add_join(g, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_join: out_node is null");
  EXPECT_ERR(tgrt_graph_num_nodes(g, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_num_nodes: out_num_nodes is null");
  EXPECT_ERR(tgrt_graph_last_replay_captured(g, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_last_replay_captured: out_captured is null");
  uint32_t join, pred;
  ASSERT_TGRT(tgrt_graph_add_join(g, &join));
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &pred));
  EXPECT_ERR(tgrt_graph_pred_not(g, pred, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_pred_not: out_pred is null");
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_ERR(tgrt_graph_node_issued(g, join, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_node_issued: out_issued is null");
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests runtime configurations out of range are refused, naming the field.
TEST(CApi, BadRuntimeConfigs) {
  tgrt_config c;
  tgrt_runtime rt = nullptr;
  tgrt_config_init(&c);
  c.stream_mode = 17;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: unknown stream_mode 17");
  tgrt_config_init(&c);
  c.num_cpu_workers = 100000;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: num_cpu_workers must be <= 1024");
  tgrt_config_init(&c);
  c.num_gpus = 65;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: at most 64 gpus");
  tgrt_config_init(&c);
  c.num_gpus = 1;
  c.copy_streams_per_gpu = 65;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: at most 64 gpus");
  tgrt_config_init(&c);
  c.num_gpus = 1;
  c.streams_per_gpu = 0;
  c.copy_streams_per_gpu = 0;
  EXPECT_ERR(tgrt_runtime_create(&c, &rt), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_runtime_create: num_gpus > 0 needs streams");
  EXPECT_EQ(rt, nullptr);
  // Zero workers and no GPUs is a valid (if idle) runtime: joins still run.
  tgrt_config_init(&c);
  c.num_cpu_workers = 0;
  ASSERT_TGRT(tgrt_runtime_create(&c, &rt));
  ASSERT_TGRT(tgrt_runtime_destroy(rt));
}

// Tests kernel registration rejects bad names, functions, flags and
// duplicates.
TEST(CApi, KernelRegistry) {
  Runtime rt(1, 1);
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, nullptr, emptyKernel, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_register_cpu_kernel: kernel name is null or empty");
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, "", emptyKernel, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_register_cpu_kernel: kernel name is null or empty");
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, "k", nullptr, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_register_cpu_kernel: kernel 'k' has a null function");
  EXPECT_ERR(tgrt_register_gpu_kernel(rt, "g", emptyKernel, nullptr, 0x80),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_register_gpu_kernel: unknown kernel flags");
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "k", emptyKernel, nullptr));
  EXPECT_ERR(tgrt_register_cpu_kernel(rt, "k", emptyKernel, nullptr),
             TGRT_ERROR_ALREADY,
             "tgrt_register_cpu_kernel: kernel 'k' is already registered");
  EXPECT_ERR(tgrt_register_gpu_kernel(rt, "k", emptyKernel, nullptr, 0),
             TGRT_ERROR_ALREADY,
             "tgrt_register_gpu_kernel: kernel 'k' is already registered");
}

// Tests graph building, finalizing and replay arguments reject every kind of
// bad input with a message that names the call and the offending value.
TEST(CApi, BadGraphBuilding) {
  Runtime rt(2, 1, 2, 1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "gpu", emptyKernel, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, nullptr, &g)); // a null name is allowed
  EXPECT_ERR(tgrt_graph_create(rt, "x", nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_create: out_graph is null");
  uint32_t id, t0, t1, p;
  // Tasks. Placement messages come from a helper and do not name the call.
  EXPECT_ERR(tgrt_graph_add_task(g, nullptr, TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_task: kernel name is null or empty");
  EXPECT_ERR(tgrt_graph_add_task(g, "nope", TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_NOT_FOUND,
             "tgrt_graph_add_task: kernel 'nope' is not registered");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_task: out_node is null");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 2, 0, 0, &id),
             TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_task: cpu worker 2 does not exist (the runtime "
             "has 2 workers)");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", 42, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_task: unknown processor kind 42");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_INLINE, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "TGRT_PROC_INLINE is only for joins (tgrt_graph_add_join)");
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 1, 0, 0, &id),
             TGRT_ERROR_OUT_OF_RANGE,
             "gpu 1 does not exist (the runtime has 1 gpus)");
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 0, 2, 0, &id),
             TGRT_ERROR_OUT_OF_RANGE, "stream 2 does not exist (gpu has 2)");
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_COPY, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tasks cannot be placed on a copy stream; use TGRT_PROC_GPU");
  EXPECT_ERR(tgrt_graph_add_task(g, "gpu", TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_task: kernel 'gpu' is a GPU kernel but is placed "
             "on a CPU worker");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_GPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_task: kernel 'cpu' is a CPU kernel but is placed "
             "on a GPU stream");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 5000, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_task: at most 4096 results");
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 1, &t0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "gpu", TGRT_PROC_GPU, 0, 1, 0, &t1));
  EXPECT_ERR(tgrt_graph_set_num_params(g, (1u << 20) + 1),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_set_num_params: too many parameters");
  // Arguments and values.
  EXPECT_ERR(tgrt_graph_add_arg(g, 99, 0), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_arg: node 99 does not exist (graph 'graph' has "
             "2 nodes)");
  EXPECT_ERR(tgrt_graph_add_arg_param(g, t0, 0), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_arg_param: parameter 0 does not exist (graph has "
             "0;");
  EXPECT_ERR(tgrt_graph_add_arg_value(g, t1, t0, 1), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_arg_value: node 0 has no result 1");
  EXPECT_ERR(tgrt_graph_add_arg_value(g, t1, 77, 0), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_arg_value: node 77 does not exist");
  EXPECT_ERR(tgrt_graph_set_else_value(g, t1, 0, 1), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_set_else_value: node 1 has no result 0");
  EXPECT_ERR(tgrt_graph_set_node_name(g, t0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_set_node_name: name is null or empty");
  EXPECT_ERR(tgrt_graph_set_node_name(g, 1000, "x"), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_set_node_name: node 1000 does not exist");
  // Copies.
  char buf[8];
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_DEVICE,
                                 0, buf, TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_copy: a copy touching device memory must be "
             "placed on a copy stream or a GPU stream");
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, 7, 0, buf,
                                 TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_copy: unknown memory kind");
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 3, buf, TGRT_MEM_HOST, 0,
                                 buf, TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_copy: copy stream 3 does not exist (gpu has 1)");
  EXPECT_ERR(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST,
                                 UINT64_MAX, buf, TGRT_MEM_HOST, 0, 8, &id),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_copy: offset + bytes overflows");
  EXPECT_ERR(tgrt_graph_copy_bind_param(g, t0, 0, 0),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_copy_bind_param: node 0 is not a copy");
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST, 0,
                                  buf, TGRT_MEM_HOST, 0, 0, &id));
  EXPECT_ERR(tgrt_graph_copy_bind_param(g, id, 2, 0),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_copy_bind_param: which must be 0 (dst) or 1 (src)");
  EXPECT_ERR(tgrt_graph_copy_bind_param(g, id, 0, 0), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_copy_bind_param: parameter 0 does not exist");
  EXPECT_ERR(tgrt_graph_add_arg(g, id, 0), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_arg: node 2 is not a task");
  // Dependences.
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, 55, TGRT_DEP_HOST),
             TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_add_dep: node 55 does not exist");
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, t1, 9), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_dep: unknown dependence kind 9");
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, t0, TGRT_DEP_HOST), TGRT_ERROR_CYCLE,
             "tgrt_graph_add_dep: node 0 cannot depend on itself");
  // Predicates.
  EXPECT_ERR(tgrt_graph_pred_const(g, 1, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_pred_const: out_pred is null");
  EXPECT_ERR(tgrt_graph_pred_not(g, 3, &p), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_pred_not: predicate 3 does not exist");
  EXPECT_ERR(tgrt_graph_pred_from_value(g, t1, 0, &p), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_pred_from_value: node 1 has no result 0");
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &p));
  EXPECT_ERR(tgrt_graph_pred_and(g, p, 9, &id), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_pred_and: predicate 9 does not exist");
  EXPECT_ERR(tgrt_graph_pred_or(g, 9, p, &id), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_pred_or: predicate 9 does not exist");
  EXPECT_ERR(tgrt_graph_set_predicate(g, t0, p, 5), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_set_predicate: unknown predicate mode 5");
  EXPECT_ERR(tgrt_graph_set_predicate(g, t0, 8, TGRT_PRED_WAIT),
             TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_set_predicate: predicate 8 does not exist");
  uint32_t j;
  ASSERT_TGRT(tgrt_graph_add_join(g, &j));
  EXPECT_ERR(tgrt_graph_set_predicate(g, j, p, TGRT_PRED_WAIT),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_set_predicate: joins cannot be predicated");
  // Not finalized yet.
  tgrt_event e;
  uint64_t bits;
  int32_t flag;
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &e),
             TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_replay: graph 'graph' is not finalized");
  EXPECT_ERR(tgrt_graph_get_result(g, t0, 0, &bits), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_get_result: graph 'graph' is not finalized");
  EXPECT_ERR(tgrt_graph_node_issued(g, t0, &flag), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_node_issued: graph 'graph' is not finalized");
  EXPECT_ERR(tgrt_graph_write_trace(g, "x"), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_write_trace: graph 'graph' is not finalized");
  ASSERT_TGRT(tgrt_graph_finalize(g));
  // Finalized: no more changes.
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_finalize: graph 'graph' is finalized and can no "
             "longer change");
  EXPECT_ERR(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &id),
             TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_add_task: graph 'graph' is finalized");
  EXPECT_ERR(tgrt_graph_add_dep(g, t0, t1, TGRT_DEP_HOST),
             TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_add_dep: graph 'graph' is finalized");
  EXPECT_ERR(tgrt_graph_add_join(g, &id), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_add_join: graph 'graph' is finalized");
  EXPECT_ERR(tgrt_graph_set_num_params(g, 1), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_set_num_params: graph 'graph' is finalized");
  EXPECT_ERR(tgrt_graph_pred_const(g, 1, &id), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_pred_const: graph 'graph' is finalized");
  // Replay arguments.
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 1, nullptr, 0, &e),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_replay: preconditions is null but num_preconditions "
             "is 1");
  uint64_t params[1] = {0};
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 0, params, 1, &e),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_replay: graph 'graph' takes 0 parameters, got 1");
  tgrt_event nullEvent = nullptr;
  EXPECT_ERR(tgrt_graph_replay(g, &nullEvent, 1, nullptr, 0, &e),
             TGRT_ERROR_INVALID_HANDLE,
             "tgrt_graph_replay: precondition 0 is a null event handle");
  EXPECT_ERR(tgrt_graph_get_result(g, t1, 0, &bits), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_get_result: node 1 has no result 0");
  EXPECT_ERR(tgrt_graph_get_result(g, 50, 0, &bits), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_get_result: node 50 does not exist");
  EXPECT_ERR(tgrt_graph_get_result(g, t0, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_get_result: out_bits is null");
  EXPECT_ERR(tgrt_graph_node_issued(g, 50, &flag), TGRT_ERROR_OUT_OF_RANGE,
             "tgrt_graph_node_issued: node 50 does not exist");
  EXPECT_ERR(tgrt_graph_write_trace(g, nullptr), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_write_trace: path is null or empty");
  EXPECT_ERR(tgrt_graph_write_trace(g, ""), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_write_trace: path is null or empty");
  ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, nullptr));
  ASSERT_TGRT(tgrt_graph_wait_idle(g));
}

// Tests finalize reports cycles, explicit and implicit, naming the graph and
// a node on the cycle.
TEST(CApi, CycleDetectedAtFinalize) {
  Runtime rt(2);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic", &g));
  uint32_t a, b, c;
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 1, &a));
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 1, 0, 0, &b));
  ASSERT_TGRT(tgrt_graph_add_join(g, &c));
  ASSERT_TGRT(tgrt_graph_set_node_name(g, a, "first"));
  ASSERT_TGRT(tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, b, c, TGRT_DEP_HOST));
  ASSERT_TGRT(tgrt_graph_add_dep(g, c, a, TGRT_DEP_HOST));
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_CYCLE,
             "tgrt_graph_finalize: graph 'cyclic': a dependence cycle through "
             "node 0 ('first')");
  // Still a builder: not replayable.
  EXPECT_ERR(tgrt_graph_replay(g, nullptr, 0, nullptr, 0, nullptr),
             TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_replay: graph 'cyclic' is not finalized");

  // A cycle through an implicit dependence (a value argument).
  tgrt_graph g2;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic2", &g2));
  uint32_t x, y;
  ASSERT_TGRT(tgrt_graph_add_task(g2, "cpu", TGRT_PROC_CPU, 0, 0, 1, &x));
  ASSERT_TGRT(tgrt_graph_add_task(g2, "cpu", TGRT_PROC_CPU, 0, 0, 1, &y));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g2, x, y, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g2, x, y, TGRT_DEP_HOST));
  EXPECT_ERR(tgrt_graph_finalize(g2), TGRT_ERROR_CYCLE,
             "tgrt_graph_finalize: graph 'cyclic2': a dependence cycle "
             "through node 0 ('cpu')");
  // A predicate that reads its own task's value.
  tgrt_graph g3;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic3", &g3));
  uint32_t z, p;
  ASSERT_TGRT(tgrt_graph_add_task(g3, "cpu", TGRT_PROC_CPU, 0, 0, 1, &z));
  ASSERT_TGRT(tgrt_graph_pred_from_value(g3, z, 0, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g3, z, p, TGRT_PRED_WAIT));
  EXPECT_ERR(tgrt_graph_finalize(g3), TGRT_ERROR_CYCLE,
             "node 0 ('cpu') depends on itself");
  // A task that takes its own value as an argument.
  tgrt_graph g4;
  ASSERT_TGRT(tgrt_graph_create(rt, "cyclic4", &g4));
  ASSERT_TGRT(tgrt_graph_add_task(g4, "cpu", TGRT_PROC_CPU, 0, 0, 1, &z));
  ASSERT_TGRT(tgrt_graph_add_task(g4, "cpu", TGRT_PROC_CPU, 0, 0, 1, &z));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g4, z, z, 0));
  EXPECT_ERR(tgrt_graph_finalize(g4), TGRT_ERROR_CYCLE,
             "node 1 ('cpu') depends on itself");
}

// Tests finalize rejects a copy with neither a pointer nor a parameter for
// either side.
TEST(CApi, CopyWithoutPointersFailsFinalize) {
  Runtime rt(1);
  char buf[4];
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "nullcopy", &g));
  uint32_t id;
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_CPU, 0, 0, nullptr,
                                  TGRT_MEM_HOST, 0, buf, TGRT_MEM_HOST, 0, 4,
                                  &id));
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
             "copy node 0 has a null destination and no parameter");
  tgrt_graph g2;
  ASSERT_TGRT(tgrt_graph_create(rt, "nullcopy2", &g2));
  ASSERT_TGRT(tgrt_graph_add_join(g2, &id));
  ASSERT_TGRT(tgrt_graph_add_copy(g2, TGRT_PROC_CPU, 0, 0, buf, TGRT_MEM_HOST,
                                  0, nullptr, TGRT_MEM_HOST, 0, 4, &id));
  EXPECT_ERR(tgrt_graph_finalize(g2), TGRT_ERROR_INVALID_ARGUMENT,
             "copy node 1 has a null source and no parameter");
}

// Tests finalize rejects arguments and copy bindings whose parameter a later
// tgrt_graph_set_num_params removed, and replay rejects missing parameters.
TEST(CApi, ParametersTheGraphDoesNotHave) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "args", &g));
  uint32_t t;
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 2));
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &t));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, t, 1));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_OUT_OF_RANGE,
             "node 0 uses parameter 1 but the graph has 1");

  char buf[8];
  tgrt_graph g2;
  ASSERT_TGRT(tgrt_graph_create(rt, "copies", &g2));
  uint32_t c;
  ASSERT_TGRT(tgrt_graph_set_num_params(g2, 1));
  ASSERT_TGRT(tgrt_graph_add_copy(g2, TGRT_PROC_CPU, 0, 0, nullptr,
                                  TGRT_MEM_HOST, 0, buf, TGRT_MEM_HOST, 0, 8,
                                  &c));
  ASSERT_TGRT(tgrt_graph_copy_bind_param(g2, c, 0, 0));
  ASSERT_TGRT(tgrt_graph_set_num_params(g2, 0));
  EXPECT_ERR(tgrt_graph_finalize(g2), TGRT_ERROR_OUT_OF_RANGE,
             "copy node 0 binds a parameter the graph does not have");

  tgrt_graph g3;
  ASSERT_TGRT(tgrt_graph_create(rt, "takes1", &g3));
  ASSERT_TGRT(tgrt_graph_set_num_params(g3, 1));
  ASSERT_TGRT(tgrt_graph_finalize(g3));
  EXPECT_ERR(tgrt_graph_replay(g3, nullptr, 0, nullptr, 1, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT, "tgrt_graph_replay: params is null");
  EXPECT_ERR(tgrt_graph_replay(g3, nullptr, 0, nullptr, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_replay: graph 'takes1' takes 1 parameters, got 0");
}

// Tests a task takes at most 65536 arguments, whichever call adds them.
TEST(CApi, TooManyArguments) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "wide", &g));
  uint32_t t;
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 1, &t));
  for (uint32_t i = 0; i < 65536; ++i)
    ASSERT_TGRT(tgrt_graph_add_arg(g, t, i));
  EXPECT_ERR(tgrt_graph_add_arg(g, t, 0), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_arg: too many arguments");
  EXPECT_ERR(tgrt_graph_add_arg_param(g, t, 0), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_arg_param: too many arguments");
  EXPECT_ERR(tgrt_graph_add_arg_value(g, t, t, 0), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_add_arg_value: too many arguments");
}

// Tests finalize rejects a predicate nested too deeply or needing too large
// an evaluation stack.
TEST(CApi, PredicateTooLarge) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  // 300 nested negations: deeper than the emitter recurses.
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "deep", &g));
  uint32_t j, t, p;
  ASSERT_TGRT(tgrt_graph_add_join(g, &j));
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &t));
  ASSERT_TGRT(tgrt_graph_pred_const(g, 1, &p));
  for (int i = 0; i < 300; ++i)
    ASSERT_TGRT(tgrt_graph_pred_not(g, p, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, t, p, TGRT_PRED_WAIT));
  EXPECT_ERR(tgrt_graph_finalize(g), TGRT_ERROR_INVALID_ARGUMENT,
             "the predicate of node 1 is too large to evaluate");
  // c and (c and (c and ...)): each level keeps one more value on the stack.
  tgrt_graph g2;
  ASSERT_TGRT(tgrt_graph_create(rt, "wide", &g2));
  uint32_t c;
  ASSERT_TGRT(tgrt_graph_add_task(g2, "cpu", TGRT_PROC_CPU, 0, 0, 0, &t));
  ASSERT_TGRT(tgrt_graph_pred_const(g2, 1, &c));
  p = c;
  for (int i = 0; i < 40; ++i)
    ASSERT_TGRT(tgrt_graph_pred_and(g2, c, p, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g2, t, p, TGRT_PRED_WAIT));
  EXPECT_ERR(tgrt_graph_finalize(g2), TGRT_ERROR_INVALID_ARGUMENT,
             "the predicate of node 0 is too large to evaluate (at most 4096 "
             "steps and a stack of 32)");
  // p(k+1) = p(k) and p(k): shallow, but its program doubles per level.
  tgrt_graph g3;
  ASSERT_TGRT(tgrt_graph_create(rt, "long", &g3));
  ASSERT_TGRT(tgrt_graph_add_task(g3, "cpu", TGRT_PROC_CPU, 0, 0, 0, &t));
  ASSERT_TGRT(tgrt_graph_pred_const(g3, 1, &p));
  for (int i = 0; i < 13; ++i)
    ASSERT_TGRT(tgrt_graph_pred_and(g3, p, p, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g3, t, p, TGRT_PRED_WAIT));
  EXPECT_ERR(tgrt_graph_finalize(g3), TGRT_ERROR_INVALID_ARGUMENT,
             "the predicate of node 0 is too large to evaluate");
}

// Tests the predicate size limit is per node: many nodes with small
// predicates (more steps in all than one predicate may have) finalize and
// replay.
TEST(CApi, ManySmallPredicates) {
  Runtime rt(1);
  std::atomic<int> runs{0};
  ASSERT_TGRT(tgrt_register_cpu_kernel(
      rt, "count",
      [](tgrt_task_context *ctx) {
        static_cast<std::atomic<int> *>(ctx->user_data)->fetch_add(1);
        return 0;
      },
      &runs));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "many", &g));
  for (int i = 0; i < 5000; ++i) {
    uint32_t t, p;
    ASSERT_TGRT(tgrt_graph_add_task(g, "count", TGRT_PROC_CPU, 0, 0, 0, &t));
    ASSERT_TGRT(tgrt_graph_pred_const(g, i % 2, &p));
    ASSERT_TGRT(tgrt_graph_set_predicate(g, t, p, TGRT_PRED_WAIT));
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(runs.load(), 2500);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests that a replay's completion event cannot be triggered by the caller
// (a waiter would run ahead of the replay), nor a user event released twice.
TEST(CApi, CompletionEventsAreTheRuntimes) {
  Runtime rt(1);
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "g", &g));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event gate, done;
  ASSERT_TGRT(tgrt_event_create(rt, &gate));
  ASSERT_TGRT(tgrt_graph_replay(g, &gate, 1, nullptr, 0, &done));
  EXPECT_ERR(tgrt_event_trigger(done), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_event_trigger: the event is a replay's completion event");
  EXPECT_ERR(tgrt_event_trigger_failed(done, "x"), TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_event_trigger_failed: the event is a replay's completion");
  EXPECT_ERR(tgrt_event_query(done), TGRT_ERROR_NOT_READY, "not triggered");
  ASSERT_TGRT(tgrt_event_trigger(gate));
  ASSERT_TGRT(tgrt_event_wait(done));
  ASSERT_TGRT(tgrt_event_release(done));
  ASSERT_TGRT(tgrt_event_release(gate));
  EXPECT_ERR(tgrt_event_release(gate), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_release: not a live event handle");
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests event misuse: not triggered yet, timing out, triggering twice, and
// handles that were released or belong to another runtime.
TEST(CApi, EventMisuse) {
  Runtime rt(1);
  tgrt_event e;
  ASSERT_TGRT(tgrt_event_create(rt, &e));
  EXPECT_ERR(tgrt_event_query(e), TGRT_ERROR_NOT_READY,
             "tgrt_event_query: the event has not triggered yet");
  EXPECT_ERR(tgrt_event_wait_timeout(e, 1000), TGRT_ERROR_TIMEOUT,
             "tgrt_event_wait_timeout: timed out");
  ASSERT_TGRT(tgrt_event_trigger(e));
  EXPECT_ERR(tgrt_event_trigger(e), TGRT_ERROR_ALREADY,
             "tgrt_event_trigger: the event has already triggered");
  EXPECT_ERR(tgrt_event_trigger_failed(e, "x"), TGRT_ERROR_ALREADY,
             "tgrt_event_trigger_failed: the event has already triggered");
  ASSERT_TGRT(tgrt_event_query(e));
  ASSERT_TGRT(tgrt_event_wait(e));
  ASSERT_TGRT(tgrt_event_release(e));
  // The pool keeps the object: a released handle is detected.
  EXPECT_ERR(tgrt_event_release(e), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_release: not a live event handle (released");
  EXPECT_ERR(tgrt_event_query(e), TGRT_ERROR_INVALID_HANDLE,
             "tgrt_event_query: not a live event handle (released");

  // Events of another runtime cannot be preconditions.
  Runtime other(1);
  tgrt_event foreign;
  ASSERT_TGRT(tgrt_event_create(other, &foreign));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "g", &g));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event pre[2] = {nullptr, foreign};
  ASSERT_TGRT(tgrt_event_create(rt, &pre[0]));
  EXPECT_ERR(tgrt_graph_replay(g, pre, 2, nullptr, 0, nullptr),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_replay: precondition 1 belongs to another runtime");
  ASSERT_TGRT(tgrt_event_release(pre[0]));
  ASSERT_TGRT(tgrt_event_release(foreign));
}

// Tests writing a trace before any traced replay, to a path that cannot be
// opened, and to a file that cannot be written.
TEST(CApi, TraceErrors) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "traced", &g));
  uint32_t t;
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 0, &t));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  ASSERT_TGRT(replayAndWait(g)); // not traced
  EXPECT_ERR(tgrt_graph_write_trace(g, "/dev/null"), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_write_trace: no traced replay has completed");
  ASSERT_TGRT(tgrt_graph_set_tracing(g, 1));
  ASSERT_TGRT(replayAndWait(g));
  // A path below a file that is not a directory cannot be opened, as root
  // too.
  EXPECT_ERR(tgrt_graph_write_trace(g, "/dev/null/trace.json"),
             TGRT_ERROR_INVALID_ARGUMENT,
             "tgrt_graph_write_trace: cannot open /dev/null/trace.json");
  // /dev/full opens, but every write fails (ENOSPC), at the latest when the
  // file is closed.
  if (std::FILE *probe = std::fopen("/dev/full", "w")) {
    std::fclose(probe);
    EXPECT_ERR(tgrt_graph_write_trace(g, "/dev/full"),
               TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_graph_write_trace: cannot write /dev/full");
  }
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests that while a replay waits for an untriggered precondition, the calls
// that would wait for it forever refuse instead, and say why.
TEST(CApi, PendingPreconditionRefusesWaits) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cpu", emptyKernel, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "blocked", &g));
  uint32_t t;
  ASSERT_TGRT(tgrt_graph_add_task(g, "cpu", TGRT_PROC_CPU, 0, 0, 1, &t));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  tgrt_event pre;
  ASSERT_TGRT(tgrt_event_create(rt, &pre));
  ASSERT_TGRT(tgrt_graph_replay(g, &pre, 1, nullptr, 0, nullptr));
  EXPECT_ERR(tgrt_graph_destroy(g), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_destroy: graph 'blocked' has a replay waiting for a "
             "precondition that has not triggered");
  EXPECT_ERR(tgrt_runtime_destroy(rt), TGRT_ERROR_INVALID_STATE,
             "tgrt_runtime_destroy: graph 'blocked' has a replay waiting for "
             "a precondition that has not triggered");
  EXPECT_ERR(tgrt_graph_wait_idle(g), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_wait_idle: a replay waits for a precondition that "
             "has not triggered");
  // These wait for idleness too, and name themselves.
  uint64_t bits;
  EXPECT_ERR(tgrt_graph_get_result(g, t, 0, &bits), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_get_result: a replay waits for a precondition that "
             "has not triggered");
  EXPECT_ERR(tgrt_graph_set_tracing(g, 1), TGRT_ERROR_INVALID_STATE,
             "tgrt_graph_set_tracing: a replay waits for a precondition that "
             "has not triggered");
  ASSERT_TGRT(tgrt_event_trigger(pre));
  ASSERT_TGRT(tgrt_event_release(pre));
  ASSERT_TGRT(tgrt_graph_wait_idle(g));
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

} // namespace

namespace {
// Tests buffer memory: allocation of both kinds (host memory under
// emulation), copies, and every misuse rejected with a message.
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
    EXPECT_ERR(tgrt_mem_alloc(rt, 7, 64, &host), TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_alloc: mem_kind must be TGRT_MEM_HOST (0) or "
               "TGRT_MEM_DEVICE (1), got 7");
    EXPECT_ERR(tgrt_mem_alloc(rt, TGRT_MEM_HOST, 0, &host),
               TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_alloc: bytes must be between 1 and 2^48, got 0");
    EXPECT_ERR(
        tgrt_mem_alloc(rt, TGRT_MEM_DEVICE, (uint64_t(1) << 48) + 1, &host),
        TGRT_ERROR_INVALID_ARGUMENT,
        "tgrt_mem_alloc: bytes must be between 1 and 2^48, got "
        "281474976710657");
    EXPECT_ERR(tgrt_mem_alloc(rt, TGRT_MEM_HOST, 64, nullptr),
               TGRT_ERROR_INVALID_ARGUMENT, "tgrt_mem_alloc: out_ptr is null");
    EXPECT_ERR(tgrt_mem_copy(rt, nullptr, in, 8), TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_copy: dst is null");
    EXPECT_ERR(tgrt_mem_copy(rt, out, nullptr, 8), TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_copy: src is null");
    EXPECT_ERR(tgrt_mem_free(rt, TGRT_MEM_HOST, dev),
               TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_free: the pointer was allocated with mem_kind 1, "
               "not 0");
    EXPECT_EQ(tgrt_mem_free(rt, TGRT_MEM_DEVICE, dev), TGRT_OK);
    EXPECT_ERR(tgrt_mem_free(rt, TGRT_MEM_DEVICE, dev),
               TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_free: the pointer was not returned by tgrt_mem_alloc "
               "of this runtime (or is freed already)"); // twice
    EXPECT_ERR(tgrt_mem_free(rt, TGRT_MEM_HOST, in),
               TGRT_ERROR_INVALID_ARGUMENT,
               "tgrt_mem_free: the pointer was not returned by tgrt_mem_alloc "
               "of this runtime"); // not ours
    // `host` is still allocated: destroy frees it (ASan checks for leaks).
    EXPECT_EQ(tgrt_runtime_destroy(rt), TGRT_OK);
  }
}
} // namespace
