//===- GpuTest.cu - Runtime tests on real CUDA streams (label: gpu) -------===//
//
// The same semantics as ReplayTest.cpp, driven through CUDA: device
// dependences on one stream and across streams (cudaStreamWaitEvent), host
// dependences GPU -> CPU and CPU -> GPU, copies host<->device and
// device<->device, guarded predicates checked on the device, and many
// back-to-back replays. Every test skips when no GPU is present.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cuda_runtime.h>

#include <vector>

using namespace tgrt_test;

namespace {

#define SKIP_WITHOUT_GPU()                                                     \
  do {                                                                         \
    if (tgrt_cuda_device_count() <= 0)                                         \
      GTEST_SKIP() << "no CUDA GPU present";                                   \
  } while (0)

#define ASSERT_CUDA(expr) ASSERT_EQ((expr), cudaSuccess) << #expr

/// The runtime must not leave a failed call's error in the caller's thread:
/// the caller's next cudaGetLastError() (after its own launch) would report
/// it (the first H200 run's Gpu.GuardedPredicate failure was of this kind).
#define EXPECT_NO_LEFTOVER_CUDA_ERROR()                                        \
  EXPECT_EQ(cudaGetLastError(), cudaSuccess)                                   \
      << "a CUDA error was left in this thread's last-error state"

/// Step `expected` of a chain: checks the counter, then advances it. A spin
/// makes early kernels slow so that an ordering bug would show.
__global__ void stepKernel(int *counter, int expected, int *errors,
                           const int32_t *guard, long spin) {
  if (guard && !*(volatile const int32_t *)guard)
    return;
  long long start = clock64();
  while (clock64() - start < spin) {
  }
  if (*(volatile int *)counter != expected)
    atomicAdd(errors, 1);
  *(volatile int *)counter = expected + 1;
  __threadfence_system();
}

/// args: counter, expected, errors, spin.
int32_t launchStep(tgrt_task_context *ctx) {
  stepKernel<<<1, 1, 0, static_cast<cudaStream_t>(ctx->stream)>>>(
      reinterpret_cast<int *>(ctx->args[0]), static_cast<int>(ctx->args[1]),
      reinterpret_cast<int *>(ctx->args[2]), ctx->guard_device,
      static_cast<long>(ctx->args[3]));
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    tgrt_task_set_error(ctx, cudaGetErrorString(err));
    return 1;
  }
  return 0;
}

/// CPU side of a chain: same check on mapped host memory.
int32_t cpuStep(tgrt_task_context *ctx) {
  volatile int *counter = reinterpret_cast<int *>(ctx->args[0]);
  if (*counter != static_cast<int>(ctx->args[1]))
    __atomic_fetch_add(reinterpret_cast<int *>(ctx->args[2]), 1,
                       __ATOMIC_RELAXED);
  *counter = static_cast<int>(ctx->args[1]) + 1;
  return 0;
}

/// Two ints of mapped pinned memory: [0] the counter, [1] the error count.
/// Tests ASSERT_TRUE(m.ok()) first, so a failed allocation fails one test
/// instead of crashing the binary (and every later test with it).
struct Mapped {
  int *host = nullptr;
  int *dev = nullptr;
  Mapped() {
    if (cudaHostAlloc(&host, 2 * sizeof(int), cudaHostAllocMapped) !=
        cudaSuccess) {
      cudaGetLastError();
      host = nullptr;
      return;
    }
    if (cudaHostGetDevicePointer(reinterpret_cast<void **>(&dev), host, 0) !=
        cudaSuccess) {
      cudaGetLastError();
      dev = host; // unified addressing: the host pointer works on the device
    }
    host[0] = host[1] = 0;
  }
  ~Mapped() {
    if (host)
      cudaFreeHost(host);
  }
  bool ok() const { return host != nullptr; }
};

uint32_t addStep(tgrt_graph g, const char *kernel, int32_t kind,
                 uint32_t stream, Mapped &m, int expected, long spin) {
  uint32_t n = 0;
  EXPECT_TGRT(tgrt_graph_add_task(g, kernel, kind, 0, stream, 0, &n));
  bool gpu = kind == TGRT_PROC_GPU;
  EXPECT_TGRT(tgrt_graph_add_arg(
      g, n, reinterpret_cast<uint64_t>(gpu ? m.dev : m.host)));
  EXPECT_TGRT(tgrt_graph_add_arg(g, n, static_cast<uint64_t>(expected)));
  EXPECT_TGRT(tgrt_graph_add_arg(
      g, n, reinterpret_cast<uint64_t>(gpu ? m.dev + 1 : m.host + 1)));
  EXPECT_TGRT(tgrt_graph_add_arg(g, n, static_cast<uint64_t>(spin)));
  return n;
}

TEST(Gpu, UsesCudaStreams) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 2, 1, TGRT_STREAMS_CUDA);
  int32_t cuda = 0;
  ASSERT_TGRT(tgrt_runtime_uses_cuda(rt, &cuda));
  EXPECT_EQ(cuda, 1);
}

// Device dependences on one stream and across streams, with host edges
// gpu -> cpu -> gpu in the middle, replayed back to back.
TEST(Gpu, ChainOverEveryDependenceKind) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 3, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "step", launchStep, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cstep", cpuStep, nullptr));
  Mapped m;
  ASSERT_TRUE(m.ok());
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "chain", &g));
  const int n = 60;
  uint32_t prev = UINT32_MAX;
  for (int i = 0; i < n; ++i) {
    bool cpu = i % 20 == 19;
    uint32_t node =
        addStep(g, cpu ? "cstep" : "step", cpu ? TGRT_PROC_CPU : TGRT_PROC_GPU,
                cpu ? 0 : (i / 5) % 3, m, i, (n - i) * 2000);
    // Device dependences between GPU steps; host ones to and from the CPU.
    bool cpuPrev = i % 20 == 0 && i > 0;
    if (prev != UINT32_MAX)
      ASSERT_TGRT(tgrt_graph_add_dep(
          g, prev, node, cpu || cpuPrev ? TGRT_DEP_HOST : TGRT_DEP_DEVICE));
    prev = node;
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  for (int r = 0; r < 20; ++r) {
    m.host[0] = 0;
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(m.host[0], n);
  }
  EXPECT_EQ(m.host[1], 0) << "kernels ran out of order";
}

// Host <-> device and device <-> device copies on copy and compute streams,
// and a predicated-false copy that leaves its destination alone.
TEST(Gpu, Copies) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 1, 1, TGRT_STREAMS_CUDA);
  const size_t bytes = 1 << 20;
  std::vector<char> src(bytes), dst(bytes, 0), untouched(bytes, 7);
  for (size_t i = 0; i < bytes; ++i)
    src[i] = static_cast<char>(i * 13);
  void *d1, *d2;
  ASSERT_CUDA(cudaMalloc(&d1, bytes));
  ASSERT_CUDA(cudaMalloc(&d2, bytes));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "copies", &g));
  uint32_t h2d, d2d, d2h, skipped, pFalse;
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, d1, TGRT_MEM_DEVICE,
                                  0, src.data(), TGRT_MEM_HOST, 0, bytes,
                                  &h2d));
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_GPU, 0, 0, d2, TGRT_MEM_DEVICE,
                                  0, d1, TGRT_MEM_DEVICE, 0, bytes, &d2d));
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, dst.data(),
                                  TGRT_MEM_HOST, 0, d2, TGRT_MEM_DEVICE, 0,
                                  bytes, &d2h));
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, untouched.data(),
                                  TGRT_MEM_HOST, 0, d2, TGRT_MEM_DEVICE, 0,
                                  bytes, &skipped));
  ASSERT_TGRT(tgrt_graph_pred_const(g, 0, &pFalse));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, skipped, pFalse, TGRT_PRED_WAIT));
  ASSERT_TGRT(tgrt_graph_add_dep(g, h2d, d2d, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, d2d, d2h, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, d2h, skipped, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  ASSERT_TGRT(replayAndWait(g));
  EXPECT_EQ(dst, src);
  for (char c : untouched)
    ASSERT_EQ(c, 7);
  cudaFree(d1);
  cudaFree(d2);
}

// A guarded kernel whose predicate is produced by a CPU task: the guard
// kernel evaluates it on the device; a false guard skips the step.
int32_t produceFlag(tgrt_task_context *ctx) {
  ctx->results[0] = ctx->args[0];
  return 0;
}

TEST(Gpu, GuardedPredicate) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 1, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "step", launchStep, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "flag", produceFlag, nullptr));
  Mapped m;
  ASSERT_TRUE(m.ok());
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "guarded", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t flag, p;
  ASSERT_TGRT(tgrt_graph_add_task(g, "flag", TGRT_PROC_CPU, 0, 0, 1, &flag));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, flag, 0));
  uint32_t step = addStep(g, "step", TGRT_PROC_GPU, 0, m, 0, 0);
  ASSERT_TGRT(tgrt_graph_pred_from_value(g, flag, 0, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, step, p, TGRT_PRED_GUARDED));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  for (uint64_t v : {1, 0, 1, 0}) {
    m.host[0] = 0;
    ASSERT_TGRT(replayAndWait(g, &v, 1));
    EXPECT_EQ(m.host[0], v ? 1 : 0);
  }
  EXPECT_EQ(m.host[1], 0);
}

// A guarded GPU task with a result: when the guard is false, the guard
// kernel stores the task's else value on the device (through the device
// addresses of the else-write table and the value slots, whose lookup failed
// in the first H200 run), and a CPU task reads the value after the GPU task
// completes.
__global__ void storeKernel(uint64_t *out, uint64_t value,
                            const int32_t *guard) {
  if (guard && !*(volatile const int32_t *)guard)
    return;
  *(volatile uint64_t *)out = value;
  __threadfence_system();
}
/// args: the value to store in result 0.
int32_t launchStore(tgrt_task_context *ctx) {
  storeKernel<<<1, 1, 0, static_cast<cudaStream_t>(ctx->stream)>>>(
      ctx->results_device, ctx->args[0], ctx->guard_device);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    tgrt_task_set_error(ctx, cudaGetErrorString(err));
    return 1;
  }
  return 0;
}

TEST(Gpu, GuardedElseValueWrittenOnDevice) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 1, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "store", launchStore, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "flag", produceFlag, nullptr));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "guarded_else", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t flag, store, reader, p;
  ASSERT_TGRT(tgrt_graph_add_task(g, "flag", TGRT_PROC_CPU, 0, 0, 1, &flag));
  ASSERT_TGRT(tgrt_graph_add_arg_param(g, flag, 0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "store", TGRT_PROC_GPU, 0, 0, 1, &store));
  ASSERT_TGRT(tgrt_graph_add_arg(g, store, 555));
  ASSERT_TGRT(tgrt_graph_set_else_value(g, store, 0, 999));
  ASSERT_TGRT(tgrt_graph_pred_from_value(g, flag, 0, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, store, p, TGRT_PRED_GUARDED));
  // The reader copies the value it receives into its own result.
  ASSERT_TGRT(tgrt_graph_add_task(g, "flag", TGRT_PROC_CPU, 0, 0, 1, &reader));
  ASSERT_TGRT(tgrt_graph_add_arg_value(g, reader, store, 0));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  for (uint64_t v : {1, 0, 0, 1, 0}) {
    ASSERT_TGRT(replayAndWait(g, &v, 1));
    uint64_t out = 0;
    ASSERT_TGRT(tgrt_graph_get_result(g, reader, 0, &out));
    EXPECT_EQ(out, v ? 555u : 999u) << "flag " << v;
  }
}

// 1000 back-to-back replays of a mixed chain whose steps do a non-atomic
// increment of one mapped counter: a lost update would mean two steps (of
// one replay or of consecutive replays) overlapped.
__global__ void incKernel(int *counter) {
  *(volatile int *)counter = *(volatile int *)counter + 1;
  __threadfence_system();
}

int32_t launchInc(tgrt_task_context *ctx) {
  incKernel<<<1, 1, 0, static_cast<cudaStream_t>(ctx->stream)>>>(
      reinterpret_cast<int *>(ctx->args[0]));
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}

int32_t cpuInc(tgrt_task_context *ctx) {
  volatile int *counter = reinterpret_cast<int *>(ctx->args[0]);
  *counter = *counter + 1;
  return 0;
}

TEST(Gpu, BackToBackReplays) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 2, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "inc", launchInc, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "cinc", cpuInc, nullptr));
  Mapped m;
  ASSERT_TRUE(m.ok());
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "b2b", &g));
  const int perReplay = 5, replays = 1000;
  uint32_t prev = UINT32_MAX;
  for (int i = 0; i < perReplay; ++i) {
    bool cpu = i == 2;
    uint32_t n;
    ASSERT_TGRT(tgrt_graph_add_task(g, cpu ? "cinc" : "inc",
                                    cpu ? TGRT_PROC_CPU : TGRT_PROC_GPU, 0,
                                    cpu ? 0 : i % 2, 0, &n));
    ASSERT_TGRT(tgrt_graph_add_arg(
        g, n, reinterpret_cast<uint64_t>(cpu ? m.host : m.dev)));
    // Device dependences between GPU tasks; host ones to and from the CPU.
    if (prev != UINT32_MAX)
      ASSERT_TGRT(tgrt_graph_add_dep(
          g, prev, n, cpu || i == 3 ? TGRT_DEP_HOST : TGRT_DEP_DEVICE));
    prev = n;
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  tgrt_event last = nullptr;
  for (int r = 0; r < replays; ++r) {
    tgrt_event done = nullptr;
    ASSERT_TGRT(tgrt_graph_replay(g, nullptr, 0, nullptr, 0,
                                  r + 1 == replays ? &done : nullptr));
    if (done)
      last = done;
  }
  ASSERT_TGRT(waitEvent(last));
  ASSERT_TGRT(tgrt_event_release(last));
  EXPECT_EQ(m.host[0], perReplay * replays);
}

} // namespace

//===----------------------------------------------------------------------===//
// Device graphs on CUDA (DeviceGraphTest.cpp has the emulated cases)
//===----------------------------------------------------------------------===//

namespace {

constexpr uint32_t kCapturable =
    TGRT_KERNEL_STREAM_ORDERED | TGRT_KERNEL_CAPTURABLE;

int32_t lastCaptured(tgrt_graph g) {
  int32_t c = -1;
  EXPECT_TGRT(tgrt_graph_last_replay_captured(g, &c));
  return c;
}

// A GPU-only chain over three streams, recorded into a CUDA graph on the
// second replay: the order holds on every replay, recorded or not.
TEST(Gpu, DeviceGraphChainAcrossStreams) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 3, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(
      tgrt_register_gpu_kernel(rt, "step", launchStep, nullptr, kCapturable));
  Mapped m;
  ASSERT_TRUE(m.ok());
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "chain", &g));
  const int n = 60;
  uint32_t prev = UINT32_MAX;
  for (int i = 0; i < n; ++i) {
    uint32_t node =
        addStep(g, "step", TGRT_PROC_GPU, (i / 5) % 3, m, i, (n - i) * 2000);
    if (prev != UINT32_MAX)
      ASSERT_TGRT(tgrt_graph_add_dep(g, prev, node, TGRT_DEP_DEVICE));
    prev = node;
  }
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  for (int r = 0; r < 20; ++r) {
    m.host[0] = 0;
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(m.host[0], n) << "replay " << r;
    EXPECT_EQ(lastCaptured(g), r == 0 ? 0 : 1) << "replay " << r;
  }
  EXPECT_EQ(m.host[1], 0) << "kernels ran out of order";
}

// Copies bound to parameters and a kernel between them: new parameters
// (other host buffers) are recorded again, and each replay moves the data
// of its own parameters.
__global__ void addOneKernel(int *data, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    data[i] += 1;
}
int32_t launchAddOne(tgrt_task_context *ctx) {
  addOneKernel<<<4, 256, 0, static_cast<cudaStream_t>(ctx->stream)>>>(
      reinterpret_cast<int *>(ctx->args[0]), static_cast<int>(ctx->args[1]));
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}

TEST(Gpu, DeviceGraphCopiesWithParameters) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 1, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(
      tgrt_register_gpu_kernel(rt, "add1", launchAddOne, nullptr, kCapturable));
  const int n = 1000;
  const size_t bytes = n * sizeof(int);
  void *dev = nullptr;
  ASSERT_TGRT(tgrt_mem_alloc(rt, TGRT_MEM_DEVICE, bytes, &dev));
  int *host[2];
  for (int b = 0; b < 2; ++b)
    ASSERT_TGRT(tgrt_mem_alloc(rt, TGRT_MEM_HOST, bytes,
                               reinterpret_cast<void **>(&host[b])));
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "copies", &g));
  ASSERT_TGRT(tgrt_graph_set_num_params(g, 1));
  uint32_t in, k, out;
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, dev, TGRT_MEM_DEVICE,
                                  0, nullptr, TGRT_MEM_HOST, 0, bytes, &in));
  ASSERT_TGRT(tgrt_graph_copy_bind_param(g, in, 1, 0));
  ASSERT_TGRT(tgrt_graph_add_task(g, "add1", TGRT_PROC_GPU, 0, 0, 0, &k));
  ASSERT_TGRT(tgrt_graph_add_arg(g, k, reinterpret_cast<uint64_t>(dev)));
  ASSERT_TGRT(tgrt_graph_add_arg(g, k, n));
  ASSERT_TGRT(tgrt_graph_add_copy(g, TGRT_PROC_COPY, 0, 0, nullptr,
                                  TGRT_MEM_HOST, 0, dev, TGRT_MEM_DEVICE, 0,
                                  bytes, &out));
  ASSERT_TGRT(tgrt_graph_copy_bind_param(g, out, 0, 0));
  ASSERT_TGRT(tgrt_graph_add_dep(g, in, k, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_add_dep(g, k, out, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < n; ++i)
      host[b][i] = b * 100000 + i;
  // Buffer 0 three times, then buffer 1 three times: each replay adds one.
  const int which[] = {0, 0, 0, 1, 1, 1};
  for (int r = 0; r < 6; ++r) {
    uint64_t p = reinterpret_cast<uint64_t>(host[which[r]]);
    ASSERT_TGRT(replayAndWait(g, &p, 1));
    EXPECT_EQ(lastCaptured(g), r % 3 == 0 ? 0 : 1) << "replay " << r;
  }
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < n; i += 97)
      EXPECT_EQ(host[b][i], b * 100000 + i + 3)
          << "buffer " << b << " at " << i;
  ASSERT_TGRT(tgrt_graph_destroy(g));
  tgrt_mem_free(rt, TGRT_MEM_DEVICE, dev);
  for (int b = 0; b < 2; ++b)
    tgrt_mem_free(rt, TGRT_MEM_HOST, host[b]);
}

// A guarded kernel whose predicate a GPU task computes on the device, in a
// recorded graph: the guard kernel is part of the recording and reads the
// value at run time, so one recording serves both outcomes.
__global__ void flagKernel(uint64_t *result, const int *input) {
  *result = static_cast<uint64_t>(*input);
  __threadfence_system();
}
int32_t launchFlag(tgrt_task_context *ctx) {
  flagKernel<<<1, 1, 0, static_cast<cudaStream_t>(ctx->stream)>>>(
      ctx->results_device, reinterpret_cast<const int *>(ctx->args[0]));
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}

TEST(Gpu, DeviceGraphGuardedByDeviceValue) {
  SKIP_WITHOUT_GPU();
  Runtime rt(1, 1, 1, 1, TGRT_STREAMS_CUDA);
  ASSERT_TGRT(
      tgrt_register_gpu_kernel(rt, "flag", launchFlag, nullptr, kCapturable));
  ASSERT_TGRT(
      tgrt_register_gpu_kernel(rt, "step", launchStep, nullptr, kCapturable));
  Mapped m;
  ASSERT_TRUE(m.ok());
  Mapped input; // input.host[0]: the flag the device reads
  ASSERT_TRUE(input.ok());
  tgrt_graph g;
  ASSERT_TGRT(tgrt_graph_create(rt, "guarded", &g));
  uint32_t flag, p;
  ASSERT_TGRT(tgrt_graph_add_task(g, "flag", TGRT_PROC_GPU, 0, 0, 1, &flag));
  ASSERT_TGRT(
      tgrt_graph_add_arg(g, flag, reinterpret_cast<uint64_t>(input.dev)));
  uint32_t step = addStep(g, "step", TGRT_PROC_GPU, 0, m, 0, 0);
  ASSERT_TGRT(tgrt_graph_add_dep(g, flag, step, TGRT_DEP_DEVICE));
  ASSERT_TGRT(tgrt_graph_pred_from_value(g, flag, 0, &p));
  ASSERT_TGRT(tgrt_graph_set_predicate(g, step, p, TGRT_PRED_GUARDED));
  ASSERT_TGRT(tgrt_graph_finalize(g));
  EXPECT_NO_LEFTOVER_CUDA_ERROR();
  const int flags[] = {1, 1, 0, 1, 0, 0, 1};
  for (int r = 0; r < 7; ++r) {
    m.host[0] = 0;
    input.host[0] = flags[r];
    ASSERT_TGRT(replayAndWait(g));
    EXPECT_EQ(m.host[0], flags[r]) << "replay " << r;
    EXPECT_EQ(lastCaptured(g), r == 0 ? 0 : 1) << "replay " << r;
  }
  EXPECT_EQ(m.host[1], 0);
}

} // namespace
