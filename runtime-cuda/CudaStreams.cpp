//===- CudaStreams.cpp - The CUDA implementation of StreamBackend ---------===//
//
// Streams per GPU (compute, then copy streams), a pool of cudaEvents created
// with timing disabled, cudaStreamWaitEvent for device dependences (the host
// never waits), cudaMemcpyAsync (cudaMemcpyDefault, unified addressing) for
// copies, cudaLaunchHostFunc for completion callbacks, and mapped pinned host
// memory for the value slots that device code reads and writes.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/StreamBackend.h"

#include <cuda_runtime.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace tgraph {
namespace rt {

cudaError_t launchEvalGuard(const GuardLaunch &launch, cudaStream_t stream);

namespace {

std::string describe(const char *what, cudaError_t err) {
  return std::string(what) + ": " + cudaGetErrorName(err) + " (" +
         cudaGetErrorString(err) + ")";
}

class CudaBackend final : public StreamBackend {
public:
  ~CudaBackend() override {
    synchronize();
    for (uint32_t i = 0; i < streamCount.load(); ++i) {
      cudaSetDevice(streamGpu[i]);
      cudaStreamDestroy(streams[i]);
    }
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i]) {
        cudaSetDevice(eventGpu[i]);
        cudaEventDestroy(events[i]);
      }
  }

  bool init(uint32_t numGpus, uint32_t streamsPerGpu, uint32_t copyStreams,
            std::string &error) {
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
      error = describe("cudaGetDeviceCount", err);
      return false;
    }
    if (count < static_cast<int>(numGpus)) {
      error = "the runtime wants " + std::to_string(numGpus) +
              " GPUs but CUDA sees " + std::to_string(count);
      return false;
    }
    for (uint32_t g = 0; g < numGpus; ++g) {
      if ((err = cudaSetDevice(static_cast<int>(g))) != cudaSuccess) {
        error = describe("cudaSetDevice", err);
        return false;
      }
      cudaSetDeviceFlags(cudaDeviceMapHost);
      for (uint32_t s = 0; s < streamsPerGpu + copyStreams; ++s) {
        cudaStream_t stream;
        if ((err = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking)) !=
            cudaSuccess) {
          error = describe("cudaStreamCreateWithFlags", err);
          return false;
        }
        uint32_t at = streamCount.load();
        streams[at] = stream;
        streamGpu[at] = static_cast<int>(g);
        streamCount.store(at + 1);
      }
    }
    numShared = streamCount.load();
    return true;
  }

  bool isEmulated() const override { return false; }
  uint32_t numStreams() const override {
    return streamCount.load(std::memory_order_acquire);
  }
  void *nativeStream(uint32_t stream) override { return streams[stream]; }
  void bindThread(uint32_t stream) override { select(stream); }

  tgrt_status enqueueHostFn(uint32_t stream, HostFn fn, void *arg,
                            std::string &error) override {
    cudaError_t err = cudaLaunchHostFunc(streams[stream], fn, arg);
    if (err != cudaSuccess) {
      error = describe("cudaLaunchHostFunc", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }
  tgrt_status enqueueCopy(uint32_t stream, void *dst, const void *src,
                          size_t bytes, std::string &error) override {
    select(stream);
    cudaError_t err =
        cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, streams[stream]);
    if (err != cudaSuccess) {
      error = describe("cudaMemcpyAsync", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }
  tgrt_status enqueueGuard(uint32_t stream, const GuardLaunch &launch,
                           std::string &error) override {
    select(stream);
    cudaError_t err = launchEvalGuard(launch, streams[stream]);
    if (err != cudaSuccess) {
      error = describe("guard kernel launch", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }

  tgrt_status acquirePrivateStream(uint32_t base, uint32_t &stream,
                                   std::string &error) override {
    std::lock_guard<std::mutex> lock(mu);
    for (size_t i = 0; i < freePrivate.size(); ++i)
      if (streamGpu[freePrivate[i]] == streamGpu[base]) {
        stream = freePrivate[i];
        freePrivate.erase(freePrivate.begin() + i);
        return TGRT_OK;
      }
    uint32_t at = streamCount.load();
    if (at == kMaxStreams) {
      error = "too many CUDA streams";
      return TGRT_ERROR_CUDA;
    }
    cudaSetDevice(streamGpu[base]);
    cudaStream_t s;
    cudaError_t err = cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
    if (err != cudaSuccess) {
      error = describe("cudaStreamCreateWithFlags", err);
      return TGRT_ERROR_CUDA;
    }
    streams[at] = s;
    streamGpu[at] = streamGpu[base];
    streamCount.store(at + 1, std::memory_order_release);
    stream = at;
    return TGRT_OK;
  }
  void releasePrivateStream(uint32_t base, uint32_t stream) override {
    if (stream == base || stream < numShared)
      return;
    std::lock_guard<std::mutex> lock(mu);
    freePrivate.push_back(stream);
  }

  tgrt_status acquireEvent(uint32_t &event, std::string &error) override {
    std::lock_guard<std::mutex> lock(mu);
    if (!freeEvents.empty()) {
      event = freeEvents.back();
      freeEvents.pop_back();
      return TGRT_OK;
    }
    // The cudaEvent itself is created at its first record, on the device of
    // the recording stream (an event must be recorded on its own device).
    event = static_cast<uint32_t>(events.size());
    events.push_back(nullptr);
    eventGpu.push_back(-1);
    return TGRT_OK;
  }
  void releaseEvent(uint32_t event) override {
    std::lock_guard<std::mutex> lock(mu);
    freeEvents.push_back(event);
  }
  tgrt_status recordEvent(uint32_t stream, uint32_t event,
                          std::string &error) override {
    cudaEvent_t ev;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (eventGpu[event] != streamGpu[stream]) {
        cudaSetDevice(streamGpu[stream]);
        if (events[event])
          cudaEventDestroy(events[event]);
        events[event] = nullptr;
        cudaError_t err =
            cudaEventCreateWithFlags(&events[event], cudaEventDisableTiming);
        if (err != cudaSuccess) {
          error = describe("cudaEventCreateWithFlags", err);
          return TGRT_ERROR_CUDA;
        }
        eventGpu[event] = streamGpu[stream];
      }
      ev = events[event];
    }
    select(stream);
    cudaError_t err = cudaEventRecord(ev, streams[stream]);
    if (err != cudaSuccess) {
      error = describe("cudaEventRecord", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }
  tgrt_status waitEvent(uint32_t stream, uint32_t event,
                        std::string &error) override {
    cudaEvent_t ev = eventAt(event);
    if (!ev)
      return TGRT_OK; // never recorded: like CUDA, nothing to wait for
    cudaError_t err = cudaStreamWaitEvent(streams[stream], ev, 0);
    if (err != cudaSuccess) {
      error = describe("cudaStreamWaitEvent", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }

  // Device graphs: stream capture in thread-local mode (this thread's unsafe
  // calls are refused; the streams are the graph's private twins, so no
  // other thread enqueues on them). The other streams are forked from the
  // origin with an event and joined back before the capture ends, as CUDA
  // requires; those events are created before and destroyed after it.
  struct Capture {
    bool began = false;
    cudaEvent_t fork = nullptr;
    std::vector<cudaEvent_t> joins;
  };
  bool supportsCapture() const override { return true; }
  tgrt_status beginCapture(uint32_t origin, const uint32_t *others,
                           uint32_t numOthers, void *&token,
                           std::string &error) override {
    select(origin);
    auto *c = new Capture;
    token = c;
    cudaError_t err = cudaSuccess;
    if (numOthers) {
      err = cudaEventCreateWithFlags(&c->fork, cudaEventDisableTiming);
      c->joins.assign(numOthers, nullptr);
      for (uint32_t i = 0; i < numOthers && err == cudaSuccess; ++i)
        err = cudaEventCreateWithFlags(&c->joins[i], cudaEventDisableTiming);
    }
    if (err == cudaSuccess)
      err = cudaStreamBeginCapture(streams[origin],
                                   cudaStreamCaptureModeThreadLocal);
    c->began = err == cudaSuccess;
    if (err == cudaSuccess && numOthers) {
      err = cudaEventRecord(c->fork, streams[origin]);
      for (uint32_t i = 0; i < numOthers && err == cudaSuccess; ++i)
        err = cudaStreamWaitEvent(streams[others[i]], c->fork, 0);
    }
    if (err != cudaSuccess) {
      error = describe("beginning a device graph", err);
      cudaGetLastError();
      return TGRT_ERROR_CUDA; // endCapture still follows, and cleans up
    }
    return TGRT_OK;
  }
  tgrt_status endCapture(uint32_t origin, const uint32_t *others,
                         uint32_t numOthers, void *token, bool keep,
                         void *&captured, std::string &error) override {
    auto *c = static_cast<Capture *>(token);
    select(origin);
    cudaError_t err = cudaSuccess;
    cudaGraph_t graph = nullptr;
    if (c && c->began) {
      // Join every other stream back: a capture ends only when no stream
      // it forked has work outside the origin's order.
      for (uint32_t i = 0; i < numOthers && i < c->joins.size(); ++i) {
        cudaEventRecord(c->joins[i], streams[others[i]]);
        cudaStreamWaitEvent(streams[origin], c->joins[i], 0);
      }
      err = cudaStreamEndCapture(streams[origin], &graph);
    }
    if (c) {
      if (c->fork)
        cudaEventDestroy(c->fork);
      for (cudaEvent_t e : c->joins)
        if (e)
          cudaEventDestroy(e);
    }
    const bool began = c && c->began;
    delete c;
    if (!keep || !began || err != cudaSuccess || !graph) {
      if (graph)
        cudaGraphDestroy(graph);
      error = err != cudaSuccess ? describe("recording a device graph", err)
                                 : "the recording was abandoned";
      cudaGetLastError();
      return TGRT_ERROR_CUDA;
    }
    // Same topology as before (new parameters): update in place.
    auto exec = static_cast<cudaGraphExec_t>(captured);
    if (exec) {
      cudaGraphExecUpdateResultInfo info;
      if (cudaGraphExecUpdate(exec, graph, &info) == cudaSuccess) {
        cudaGraphDestroy(graph);
        return TGRT_OK;
      }
      cudaGetLastError();
    }
    cudaGraphExec_t fresh = nullptr;
    err = cudaGraphInstantiate(&fresh, graph, 0);
    cudaGraphDestroy(graph);
    if (err != cudaSuccess) {
      error = describe("cudaGraphInstantiate", err);
      cudaGetLastError();
      return TGRT_ERROR_CUDA;
    }
    if (exec)
      cudaGraphExecDestroy(exec);
    captured = fresh;
    return TGRT_OK;
  }
  tgrt_status launchCaptured(void *captured, uint32_t origin,
                             std::string &error) override {
    select(origin);
    cudaError_t err =
        cudaGraphLaunch(static_cast<cudaGraphExec_t>(captured), streams[origin]);
    if (err != cudaSuccess) {
      error = describe("cudaGraphLaunch", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }
  void destroyCaptured(void *captured) override {
    cudaGraphExecDestroy(static_cast<cudaGraphExec_t>(captured));
  }

  void *allocShared(size_t bytes) override {
    void *p = nullptr;
    if (cudaHostAlloc(&p, bytes, cudaHostAllocMapped | cudaHostAllocPortable) !=
        cudaSuccess)
      return nullptr;
    return p;
  }
  void freeShared(void *ptr) override { cudaFreeHost(ptr); }
  void *deviceAlias(void *hostPtr) override {
    void *d = nullptr;
    if (cudaHostGetDevicePointer(&d, hostPtr, 0) != cudaSuccess) {
      cudaGetLastError(); // not sticky: keep it from failing a later launch
      return hostPtr;     // unified addressing: the host pointer works too
    }
    return d;
  }

  tgrt_status allocMemory(int32_t kind, size_t bytes, void *&out,
                          std::string &error) override {
    // Device buffers live on GPU 0 (multi-GPU placement of buffers is not
    // modelled yet); host buffers are pinned so copies are truly async.
    cudaSetDevice(0);
    cudaError_t err = kind == TGRT_MEM_DEVICE ? cudaMalloc(&out, bytes)
                                              : cudaMallocHost(&out, bytes);
    if (err != cudaSuccess) {
      error = describe(kind == TGRT_MEM_DEVICE ? "cudaMalloc" : "cudaMallocHost",
                       err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }
  void freeMemory(int32_t kind, void *ptr) override {
    if (kind == TGRT_MEM_DEVICE)
      cudaFree(ptr);
    else
      cudaFreeHost(ptr);
  }
  tgrt_status copyMemory(void *dst, const void *src, size_t bytes,
                         std::string &error) override {
    cudaError_t err = cudaMemcpy(dst, src, bytes, cudaMemcpyDefault);
    if (err != cudaSuccess) {
      error = describe("cudaMemcpy", err);
      return TGRT_ERROR_CUDA;
    }
    return TGRT_OK;
  }

  void synchronize() override {
    for (uint32_t i = 0; i < streamCount.load(); ++i) {
      cudaSetDevice(streamGpu[i]);
      cudaStreamSynchronize(streams[i]);
    }
  }

private:
  /// Kernel launches and copies go to the current device of the calling
  /// thread; each issuer thread only ever issues to one GPU.
  void select(uint32_t stream) {
    thread_local int current = -1;
    if (current != streamGpu[stream]) {
      cudaSetDevice(streamGpu[stream]);
      current = streamGpu[stream];
    }
  }
  cudaEvent_t eventAt(uint32_t event) {
    std::lock_guard<std::mutex> lock(mu);
    return events[event];
  }

  // Fixed capacity: issuer threads index these while a finalize may append
  // a graph's private streams, so they must never move.
  static constexpr uint32_t kMaxStreams = 8192;
  cudaStream_t streams[kMaxStreams] = {};
  int streamGpu[kMaxStreams] = {};
  std::atomic<uint32_t> streamCount{0};
  uint32_t numShared = 0;
  std::vector<uint32_t> freePrivate; // guarded by mu
  std::mutex mu;
  std::vector<cudaEvent_t> events;
  std::vector<int> eventGpu;
  std::vector<uint32_t> freeEvents;
};

} // namespace

std::unique_ptr<StreamBackend> createCudaBackend(uint32_t numGpus,
                                                 uint32_t streamsPerGpu,
                                                 uint32_t copyStreamsPerGpu,
                                                 std::string &error) {
  auto backend = std::make_unique<CudaBackend>();
  if (!backend->init(numGpus, streamsPerGpu, copyStreamsPerGpu, error))
    return nullptr;
  return backend;
}

int cudaDeviceCountOrZero() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess)
    return 0;
  return count;
}

} // namespace rt
} // namespace tgraph
