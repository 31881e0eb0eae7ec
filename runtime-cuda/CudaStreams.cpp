//===- CudaStreams.cpp - The CUDA implementation of StreamBackend ---------===//
//
// Streams per GPU (compute, then copy streams), a pool of cudaEvents created
// with timing disabled, cudaStreamWaitEvent for device dependences (the host
// never waits), cudaMemcpyAsync (cudaMemcpyDefault, unified addressing) for
// copies, cudaLaunchHostFunc for completion callbacks, and mapped pinned host
// memory for the value slots that device code reads and writes.
//
//===----------------------------------------------------------------------===//

#include "StreamBackend.h"

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

/// Reports a failed call and clears CUDA's per-thread last error: a kernel
/// launched later on this thread checks cudaGetLastError(), which would
/// otherwise blame its own launch for our failure. (Sticky errors stay.)
tgrt_status fail(const char *what, cudaError_t err, std::string &error) {
  error = describe(what, err);
  cudaGetLastError();
  return TGRT_ERROR_CUDA;
}

/// Makes `device` current; a failure is cleared (the next call that needs
/// the device reports it).
void setDevice(int device) {
  if (cudaSetDevice(device) != cudaSuccess)
    cudaGetLastError();
}

/// Restores the calling thread's current device on scope exit: calls made
/// on a caller's thread (create, finalize, memory, synchronize, destroy)
/// must not leave it on another GPU.
class DeviceScope {
public:
  DeviceScope() {
    if (cudaGetDevice(&saved) != cudaSuccess) {
      saved = -1;
      cudaGetLastError();
    }
  }
  ~DeviceScope() {
    int now = -1;
    if (saved < 0)
      return;
    if (cudaGetDevice(&now) != cudaSuccess || now != saved)
      setDevice(saved); // only our own failure is cleared, never the caller's
  }
  DeviceScope(const DeviceScope &) = delete;
  DeviceScope &operator=(const DeviceScope &) = delete;

private:
  int saved = -1;
};

class CudaBackend final : public StreamBackend {
public:
  ~CudaBackend() override {
    synchronize();
    DeviceScope keep;
    for (uint32_t i = 0; i < streamCount.load(); ++i) {
      setDevice(streamGpu[i]);
      cudaStreamDestroy(streams[i]);
    }
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i]) {
        setDevice(eventGpu[i]);
        cudaEventDestroy(events[i]);
      }
  }

  bool init(uint32_t numGpus, uint32_t streamsPerGpu, uint32_t copyStreams,
            std::string &error) {
    DeviceScope keep;
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
      fail("cudaGetDeviceCount", err, error);
      return false;
    }
    if (count < static_cast<int>(numGpus)) {
      error = "the runtime wants " + std::to_string(numGpus) +
              " GPUs but CUDA sees " + std::to_string(count);
      return false;
    }
    for (uint32_t g = 0; g < numGpus; ++g) {
      if ((err = cudaSetDevice(static_cast<int>(g))) != cudaSuccess) {
        fail("cudaSetDevice", err, error);
        return false;
      }
      // Mapped pinned memory is implicit with unified addressing; should
      // the flag be refused, its error must not leak into the caller's
      // next cudaGetLastError().
      if (cudaSetDeviceFlags(cudaDeviceMapHost) != cudaSuccess)
        cudaGetLastError();
      for (uint32_t s = 0; s < streamsPerGpu + copyStreams; ++s) {
        cudaStream_t stream;
        if ((err = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking)) !=
            cudaSuccess) {
          fail("cudaStreamCreateWithFlags", err, error);
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
    if (err != cudaSuccess)
      return fail("cudaLaunchHostFunc", err, error);
    return TGRT_OK;
  }
  tgrt_status enqueueCopy(uint32_t stream, void *dst, const void *src,
                          size_t bytes, std::string &error) override {
    select(stream);
    cudaError_t err =
        cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, streams[stream]);
    if (err != cudaSuccess)
      return fail("cudaMemcpyAsync", err, error);
    return TGRT_OK;
  }
  tgrt_status enqueueGuard(uint32_t stream, const GuardLaunch &launch,
                           std::string &error) override {
    select(stream);
    cudaError_t err = launchEvalGuard(launch, streams[stream]);
    if (err != cudaSuccess)
      return fail("guard kernel launch", err, error);
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
    DeviceScope keep; // called from finalize, on the caller's thread
    setDevice(streamGpu[base]);
    cudaStream_t s;
    cudaError_t err = cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
    if (err != cudaSuccess)
      return fail("cudaStreamCreateWithFlags", err, error);
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
        setDevice(streamGpu[stream]);
        if (events[event])
          cudaEventDestroy(events[event]);
        events[event] = nullptr;
        cudaError_t err =
            cudaEventCreateWithFlags(&events[event], cudaEventDisableTiming);
        if (err != cudaSuccess)
          return fail("cudaEventCreateWithFlags", err, error);
        eventGpu[event] = streamGpu[stream];
      }
      ev = events[event];
    }
    select(stream);
    cudaError_t err = cudaEventRecord(ev, streams[stream]);
    if (err != cudaSuccess)
      return fail("cudaEventRecord", err, error);
    return TGRT_OK;
  }
  tgrt_status waitEvent(uint32_t stream, uint32_t event,
                        std::string &error) override {
    cudaEvent_t ev = eventAt(event);
    if (!ev)
      return TGRT_OK; // never recorded: like CUDA, nothing to wait for
    cudaError_t err = cudaStreamWaitEvent(streams[stream], ev, 0);
    if (err != cudaSuccess)
      return fail("cudaStreamWaitEvent", err, error);
    return TGRT_OK;
  }

  // Device graphs: stream capture in thread-local mode (this thread's unsafe
  // calls are refused, other threads' are not affected; the streams are the
  // graph's private twins, so no other thread enqueues on them, and
  // synchronize() skips them while marked). The other streams are forked from
  // the origin with an event and joined back before the capture ends, as CUDA
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
    if (err == cudaSuccess) {
      // Marked first: synchronize() must not touch these streams from now
      // until endCapture.
      markCapturing(origin, others, numOthers, true);
      err = cudaStreamBeginCapture(streams[origin],
                                   cudaStreamCaptureModeThreadLocal);
    }
    c->began = err == cudaSuccess;
    if (err == cudaSuccess && numOthers) {
      err = cudaEventRecord(c->fork, streams[origin]);
      for (uint32_t i = 0; i < numOthers && err == cudaSuccess; ++i)
        err = cudaStreamWaitEvent(streams[others[i]], c->fork, 0);
    }
    if (err != cudaSuccess) // endCapture still follows, and cleans up
      return fail("beginning a device graph", err, error);
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
    markCapturing(origin, others, numOthers, false);
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
    if (err != cudaSuccess)
      return fail("cudaGraphInstantiate", err, error);
    if (exec)
      cudaGraphExecDestroy(exec);
    captured = fresh;
    return TGRT_OK;
  }
  tgrt_status launchCaptured(void *captured, uint32_t origin,
                             std::string &error) override {
    select(origin);
    cudaError_t err = cudaGraphLaunch(static_cast<cudaGraphExec_t>(captured),
                                      streams[origin]);
    if (err != cudaSuccess)
      return fail("cudaGraphLaunch", err, error);
    return TGRT_OK;
  }
  void destroyCaptured(void *captured) override {
    if (captured && cudaGraphExecDestroy(
                        static_cast<cudaGraphExec_t>(captured)) != cudaSuccess)
      cudaGetLastError();
  }

  void *allocShared(size_t bytes) override {
    void *p = nullptr;
    if (cudaHostAlloc(&p, bytes, cudaHostAllocMapped | cudaHostAllocPortable) !=
        cudaSuccess) {
      cudaGetLastError();
      return nullptr;
    }
    return p;
  }
  void freeShared(void *ptr) override {
    if (cudaFreeHost(ptr) != cudaSuccess)
      cudaGetLastError();
  }
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
    DeviceScope keep; // the caller's thread: leave its device alone
    setDevice(0);
    cudaError_t err = kind == TGRT_MEM_DEVICE ? cudaMalloc(&out, bytes)
                                              : cudaMallocHost(&out, bytes);
    if (err != cudaSuccess)
      return fail(kind == TGRT_MEM_DEVICE ? "cudaMalloc" : "cudaMallocHost",
                  err, error);
    return TGRT_OK;
  }
  void freeMemory(int32_t kind, void *ptr) override {
    cudaError_t err =
        kind == TGRT_MEM_DEVICE ? cudaFree(ptr) : cudaFreeHost(ptr);
    if (err != cudaSuccess)
      cudaGetLastError();
  }
  tgrt_status copyMemory(void *dst, const void *src, size_t bytes,
                         std::string &error) override {
    cudaError_t err = cudaMemcpy(dst, src, bytes, cudaMemcpyDefault);
    if (err != cudaSuccess)
      return fail("cudaMemcpy", err, error);
    return TGRT_OK;
  }

  void synchronize() override {
    // A stream being captured holds no work to wait for, and synchronizing
    // it would be an illegal operation that invalidates the recording another
    // thread is making. captureMu keeps a capture from beginning between the
    // check and the call.
    DeviceScope keep;
    std::lock_guard<std::mutex> lock(captureMu);
    for (uint32_t i = 0; i < streamCount.load(); ++i) {
      if (capturing[i])
        continue;
      setDevice(streamGpu[i]);
      if (cudaStreamSynchronize(streams[i]) != cudaSuccess)
        cudaGetLastError();
    }
  }

private:
  /// Kernel launches and copies go to the current device of the calling
  /// thread. Asked of CUDA each time (a cheap thread-local read) rather than
  /// cached: other calls, or a kernel's launch function, may change it.
  void select(uint32_t stream) {
    int current = -1;
    if (cudaGetDevice(&current) != cudaSuccess || current != streamGpu[stream])
      setDevice(streamGpu[stream]);
  }
  void markCapturing(uint32_t origin, const uint32_t *others,
                     uint32_t numOthers, bool on) {
    std::lock_guard<std::mutex> lock(captureMu);
    capturing[origin] = on;
    for (uint32_t i = 0; i < numOthers; ++i)
      capturing[others[i]] = on;
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
  std::mutex captureMu;              // held by synchronize()
  bool capturing[kMaxStreams] = {};  // guarded by captureMu
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
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError(); // "no GPU" is an answer here, not the caller's error
    return 0;
  }
  return count;
}

} // namespace rt
} // namespace tgraph

/// Named by `-Wl,--undefined` in tgrt_cuda's link interface: a weak
/// reference does not pull an archive member, this undefined symbol does,
/// and with it this file's definitions of the weak functions above.
extern "C" const int tgrt_cuda_backend_anchor = 1;
