//===- GpuReplayBench.cu - Host cost and makespan of GPU graph replays ----===//
//
// A DAG of 1000 empty kernels (a chain on one stream, or alternating between
// two streams so every edge is a cross-stream device dependence), measured
// three ways: replayed by tgrt (stream-ordered kernels, device dependences:
// runahead; capture=1: capturable kernels, so tgrt relaunches a recorded
// CUDA graph), launched directly on streams by a host loop (with event
// record/wait across streams), and as a CUDA graph of the same DAG. Reports
// makespan per kernel (replay/launch + wait) and, for tgrt and direct
// launches, the host cost per kernel (time until everything is issued).
// Skips without a GPU.
//
// Run: tgrt_bench_gpu
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <benchmark/benchmark.h>
#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <vector>

namespace {

__global__ void emptyKernel() {}

int32_t launchEmpty(tgrt_task_context *ctx) {
  emptyKernel<<<1, 1, 0, static_cast<cudaStream_t>(ctx->stream)>>>();
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}

constexpr int kKernels = 1000;

bool haveGpu(benchmark::State &state) {
  if (tgrt_cuda_device_count() > 0)
    return true;
  state.SkipWithError("no CUDA GPU present");
  return false;
}

void perKernel(benchmark::State &state, double hostNs) {
  // Seconds per kernel, printed with an SI prefix ("2.1u" = 2.1 us).
  state.counters["makespan_per_kernel"] = benchmark::Counter(
      kKernels, benchmark::Counter::kIsIterationInvariantRate |
                    benchmark::Counter::kInvert);
  if (hostNs > 0)
    state.counters["host_ns_per_kernel"] =
        hostNs / (static_cast<double>(state.iterations()) * kKernels);
}

void BM_TgrtReplay(benchmark::State &state) {
  if (!haveGpu(state))
    return;
  const int streams = static_cast<int>(state.range(0));
  const bool capture = state.range(1) != 0;
  tgrt_config c;
  tgrt_config_init(&c);
  c.num_cpu_workers = 1;
  c.num_gpus = 1;
  c.streams_per_gpu = 2;
  c.stream_mode = TGRT_STREAMS_CUDA;
  tgrt_runtime rt;
  if (tgrt_runtime_create(&c, &rt) != TGRT_OK) {
    state.SkipWithError(tgrt_last_error());
    return;
  }
  // Capturable: the runtime records the graph into a CUDA graph on the
  // second replay and relaunches it; otherwise every kernel is issued on
  // every replay.
  tgrt_register_gpu_kernel(rt, "empty", launchEmpty, nullptr,
                           TGRT_KERNEL_STREAM_ORDERED |
                               (capture ? TGRT_KERNEL_CAPTURABLE : 0));
  tgrt_graph g;
  tgrt_graph_create(rt, "gpu_chain", &g);
  uint32_t prev = 0;
  for (int i = 0; i < kKernels; ++i) {
    uint32_t n;
    tgrt_graph_add_task(g, "empty", TGRT_PROC_GPU, 0, i % streams, 0, &n);
    if (i > 0)
      tgrt_graph_add_dep(g, prev, n, TGRT_DEP_DEVICE);
    prev = n;
  }
  tgrt_graph_finalize(g);
  for (int warm = 0; warm < 2; ++warm) { // the second one records (capture)
    tgrt_event done;
    tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done);
    tgrt_event_wait(done);
    tgrt_event_release(done);
  }
  double hostNs = 0;
  for (auto _ : state) {
    tgrt_event done;
    auto t0 = std::chrono::steady_clock::now();
    tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done);
    // Host cost: until the issuer has issued the last kernel (runahead lets
    // it finish long before the device does).
    int32_t issued = 0;
    while (!issued && tgrt_event_query(done) == TGRT_ERROR_NOT_READY)
      tgrt_graph_node_issued(g, prev, &issued);
    auto t1 = std::chrono::steady_clock::now();
    hostNs += std::chrono::duration<double, std::nano>(t1 - t0).count();
    tgrt_event_wait(done);
    tgrt_event_release(done);
  }
  perKernel(state, hostNs);
  tgrt_runtime_destroy(rt);
}

void BM_DirectLaunch(benchmark::State &state) {
  if (!haveGpu(state))
    return;
  const int streams = static_cast<int>(state.range(0));
  cudaStream_t s[2];
  cudaEvent_t ev[kKernels];
  for (auto &x : s)
    cudaStreamCreateWithFlags(&x, cudaStreamNonBlocking);
  for (auto &e : ev)
    cudaEventCreateWithFlags(&e, cudaEventDisableTiming);
  double hostNs = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kKernels; ++i) {
      cudaStream_t st = s[i % streams];
      if (streams > 1 && i > 0)
        cudaStreamWaitEvent(st, ev[i - 1], 0);
      emptyKernel<<<1, 1, 0, st>>>();
      if (streams > 1)
        cudaEventRecord(ev[i], st);
    }
    auto t1 = std::chrono::steady_clock::now();
    hostNs += std::chrono::duration<double, std::nano>(t1 - t0).count();
    cudaStreamSynchronize(s[(kKernels - 1) % streams]);
  }
  perKernel(state, hostNs);
  for (auto &e : ev)
    cudaEventDestroy(e);
  for (auto &x : s)
    cudaStreamDestroy(x);
}

void BM_CudaGraph(benchmark::State &state) {
  if (!haveGpu(state))
    return;
  const int streams = static_cast<int>(state.range(0));
  cudaStream_t s[2];
  cudaEvent_t ev[kKernels];
  for (auto &x : s)
    cudaStreamCreateWithFlags(&x, cudaStreamNonBlocking);
  for (auto &e : ev)
    cudaEventCreateWithFlags(&e, cudaEventDisableTiming);
  cudaGraph_t graph;
  cudaStreamBeginCapture(s[0], cudaStreamCaptureModeGlobal);
  for (int i = 0; i < kKernels; ++i) {
    cudaStream_t st = s[i % streams];
    if (i > 0 && streams > 1)
      cudaStreamWaitEvent(st, ev[i - 1], 0);
    emptyKernel<<<1, 1, 0, st>>>();
    if (streams > 1)
      cudaEventRecord(ev[i], st);
  }
  if (streams > 1 && (kKernels - 1) % streams != 0)
    cudaStreamWaitEvent(s[0], ev[kKernels - 1], 0); // join back to origin
  cudaStreamEndCapture(s[0], &graph);
  cudaGraphExec_t exec;
  if (cudaGraphInstantiate(&exec, graph, 0) != cudaSuccess) {
    state.SkipWithError("cudaGraphInstantiate failed");
    return;
  }
  double hostNs = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    cudaGraphLaunch(exec, s[0]);
    auto t1 = std::chrono::steady_clock::now();
    hostNs += std::chrono::duration<double, std::nano>(t1 - t0).count();
    cudaStreamSynchronize(s[0]);
  }
  perKernel(state, hostNs);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  for (auto &e : ev)
    cudaEventDestroy(e);
  for (auto &x : s)
    cudaStreamDestroy(x);
}

} // namespace

BENCHMARK(BM_TgrtReplay)
    ->ArgNames({"streams", "capture"})
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->UseRealTime();
BENCHMARK(BM_DirectLaunch)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_CudaGraph)->Arg(1)->Arg(2)->UseRealTime();

BENCHMARK_MAIN();
