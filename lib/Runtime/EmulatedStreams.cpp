//===- EmulatedStreams.cpp - CPU threads that behave like CUDA streams ----===//
//
// Each emulated stream is a thread draining a FIFO of commands: run a host
// function (the "device work"), record an event, wait for an event. Events
// follow CUDA semantics (a wait waits for the latest record enqueued before
// it), so the engine's runahead and cross-stream ordering are exercised
// exactly as with CUDA, without a GPU. Device memory is host memory.
//
//===----------------------------------------------------------------------===//

#include "StreamBackend.h"
#include "Support.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

using namespace tgraph::rt;

namespace {

struct EmuEvent {
  uint64_t recorded = 0;  // records enqueued (issuer side)
  uint64_t completed = 0; // records executed (stream side), under eventMu
};

struct Command {
  enum Kind : uint8_t { Host, Record, Wait } kind;
  HostFn fn;
  void *arg;
  uint32_t event;
  uint64_t seq;
};

class EmulatedBackend;

/// A recorded device graph: the commands in issue order, each with its
/// stream. Launching re-enqueues them; records and waits take their
/// sequence numbers at launch, like a CUDA graph's event nodes.
struct EmuCapture {
  const EmulatedBackend *owner = nullptr;
  uint32_t origin = 0; // the stream the recording began on
  struct Op {
    uint32_t stream;
    Command cmd;
  };
  std::vector<Op> ops;
  std::vector<uint32_t> events; // fork and joins, released with it
  // A launch on another stream than `origin` (the graph's own stream, whose
  // private twin it was recorded on) is joined to it by these two events.
  uint32_t launchFork = 0, launchJoin = 0;
};
/// The recording this thread is making, if any (capture is per thread).
thread_local EmuCapture *tlsCapture = nullptr;

struct EmuStream {
  EmulatedBackend *backend = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  Ring<Command> fifo; // guarded by mu
  bool executing = false;
  bool stop = false;
  std::thread thread;
  void run();
};

class EmulatedBackend final : public StreamBackend {
public:
  explicit EmulatedBackend(uint32_t numStreams) {
    for (uint32_t i = 0; i < numStreams && i < kMaxStreams; ++i)
      addStream();
    numShared = streamCount.load();
  }
  ~EmulatedBackend() override {
    synchronize();
    const uint32_t n = streamCount.load();
    for (uint32_t i = 0; i < n; ++i) {
      {
        std::lock_guard<std::mutex> lock(streams[i]->mu);
        streams[i]->stop = true;
      }
      streams[i]->cv.notify_all();
    }
    for (uint32_t i = 0; i < n; ++i)
      streams[i]->thread.join();
  }

  bool isEmulated() const override { return true; }
  uint32_t numStreams() const override { return streamCount.load(); }
  void *nativeStream(uint32_t stream) override { return streams[stream].get(); }

  // Private streams (a graph's twins for recording, its copy streams): more
  // threads, like CUDA's cudaStreamCreate, pooled when released, so that
  // the engine's twin and copy-stream paths run here as they do on a GPU.
  tgrt_status acquirePrivateStream(uint32_t, uint32_t &stream,
                                   std::string &error) override {
    std::lock_guard<std::mutex> lock(privateMu);
    if (!freePrivate.empty()) {
      stream = freePrivate.back();
      freePrivate.pop_back();
      return TGRT_OK;
    }
    if (streamCount.load() == kMaxStreams) {
      error = "too many emulated streams";
      return TGRT_ERROR_UNSUPPORTED;
    }
    stream = addStream();
    return TGRT_OK;
  }
  void releasePrivateStream(uint32_t base, uint32_t stream) override {
    if (stream == base || stream < numShared)
      return;
    std::lock_guard<std::mutex> lock(privateMu);
    freePrivate.push_back(stream);
  }

  tgrt_status enqueueHostFn(uint32_t stream, HostFn fn, void *arg,
                            std::string &) override {
    if (!recorded(stream, {Command::Host, fn, arg, 0, 0}))
      push(stream, {Command::Host, fn, arg, 0, 0});
    return TGRT_OK;
  }
  tgrt_status enqueueCopy(uint32_t, void *, const void *, size_t,
                          std::string &error) override {
    error = "emulated streams copy inside host functions";
    return TGRT_ERROR_UNSUPPORTED;
  }
  tgrt_status enqueueGuard(uint32_t, const GuardLaunch &,
                           std::string &error) override {
    error = "emulated streams check guards inside host functions";
    return TGRT_ERROR_UNSUPPORTED;
  }

  tgrt_status acquireEvent(uint32_t &event, std::string &) override {
    std::lock_guard<std::mutex> lock(eventMu);
    if (!freeEvents.empty()) {
      event = freeEvents.back();
      freeEvents.pop_back();
    } else {
      event = static_cast<uint32_t>(events.size());
      events.emplace_back();
    }
    events[event] = EmuEvent{};
    return TGRT_OK;
  }
  void releaseEvent(uint32_t event) override {
    std::lock_guard<std::mutex> lock(eventMu);
    freeEvents.push_back(event);
  }
  tgrt_status recordEvent(uint32_t stream, uint32_t event,
                          std::string &) override {
    if (recorded(stream, {Command::Record, nullptr, nullptr, event, 0}))
      return TGRT_OK;
    uint64_t seq;
    {
      std::lock_guard<std::mutex> lock(eventMu);
      seq = ++events[event].recorded;
    }
    push(stream, {Command::Record, nullptr, nullptr, event, seq});
    return TGRT_OK;
  }
  tgrt_status waitEvent(uint32_t stream, uint32_t event,
                        std::string &) override {
    if (recorded(stream, {Command::Wait, nullptr, nullptr, event, 0}))
      return TGRT_OK;
    uint64_t seq;
    {
      std::lock_guard<std::mutex> lock(eventMu);
      seq = events[event].recorded;
    }
    if (seq != 0) // like CUDA: waiting on a never-recorded event is a no-op
      push(stream, {Command::Wait, nullptr, nullptr, event, seq});
    return TGRT_OK;
  }

  // Device graphs: an op list recorded per thread, re-enqueued per launch.
  // The same bookkeeping as CUDA graphs (what is recorded, on which stream,
  // in which order), so the replay engine's capture path runs without a GPU.
  bool supportsCapture() const override { return true; }
  tgrt_status beginCapture(uint32_t origin, const uint32_t *others,
                           uint32_t numOthers, void *&token,
                           std::string &error) override {
    if (tlsCapture) {
      error = "this thread is already recording a device graph";
      return TGRT_ERROR_UNSUPPORTED;
    }
    tlsCapture = new EmuCapture{};
    tlsCapture->owner = this;
    tlsCapture->origin = origin;
    token = tlsCapture;
    // Like a CUDA graph: the other streams start after the origin's earlier
    // work (fork) ...
    if (numOthers) {
      uint32_t fork = 0;
      acquireEvent(fork, error);
      tlsCapture->events.push_back(fork);
      recordEvent(origin, fork, error);
      for (uint32_t i = 0; i < numOthers; ++i)
        waitEvent(others[i], fork, error);
    }
    return TGRT_OK;
  }
  tgrt_status endCapture(uint32_t origin, const uint32_t *others,
                         uint32_t numOthers, void *token, bool keep,
                         void *&captured, std::string &error) override {
    auto *capture = static_cast<EmuCapture *>(token);
    if (!capture || tlsCapture != capture) {
      error = "no device graph is being recorded on this thread";
      return TGRT_ERROR_INVALID_STATE;
    }
    // ... and the origin's later work waits for all of them (join).
    for (uint32_t i = 0; i < numOthers; ++i) {
      uint32_t join = 0;
      acquireEvent(join, error);
      capture->events.push_back(join);
      recordEvent(others[i], join, error);
      waitEvent(origin, join, error);
    }
    tlsCapture = nullptr;
    if (!keep) {
      destroyCaptured(capture);
      error = "the recording was abandoned";
      return TGRT_ERROR_UNSUPPORTED;
    }
    acquireEvent(capture->launchFork, error);
    capture->events.push_back(capture->launchFork);
    acquireEvent(capture->launchJoin, error);
    capture->events.push_back(capture->launchJoin);
    destroyCaptured(captured);
    captured = capture;
    return TGRT_OK;
  }
  /// Like a CUDA graph launched on `origin`: its work starts after the
  /// earlier work there and the later work there waits for all of it, while
  /// its other streams (twins no one else uses) order nothing else.
  tgrt_status launchCaptured(void *captured, uint32_t origin,
                             std::string &error) override {
    const auto *capture = static_cast<const EmuCapture *>(captured);
    const bool elsewhere = origin != capture->origin;
    if (elsewhere) {
      recordEvent(origin, capture->launchFork, error);
      waitEvent(capture->origin, capture->launchFork, error);
    }
    for (const EmuCapture::Op &op : capture->ops) {
      switch (op.cmd.kind) {
      case Command::Host:
        push(op.stream, op.cmd);
        break;
      case Command::Record:
        recordEvent(op.stream, op.cmd.event, error);
        break;
      case Command::Wait:
        waitEvent(op.stream, op.cmd.event, error);
        break;
      }
    }
    if (elsewhere) {
      recordEvent(capture->origin, capture->launchJoin, error);
      waitEvent(origin, capture->launchJoin, error);
    }
    return TGRT_OK;
  }
  void destroyCaptured(void *captured) override {
    auto *capture = static_cast<EmuCapture *>(captured);
    if (!capture)
      return;
    for (uint32_t e : capture->events)
      releaseEvent(e);
    delete capture;
  }

  void *allocShared(size_t bytes) override { return std::calloc(1, bytes); }
  void freeShared(void *ptr) override { std::free(ptr); }
  void *deviceAlias(void *hostPtr) override { return hostPtr; }

  void synchronize() override {
    const uint32_t n = streamCount.load();
    for (uint32_t i = 0; i < n; ++i) {
      EmuStream *s = streams[i].get();
      std::unique_lock<std::mutex> lock(s->mu);
      s->cv.wait(lock, [&] { return s->fifo.empty() && !s->executing; });
    }
  }

  void complete(uint32_t event, uint64_t seq) {
    {
      std::lock_guard<std::mutex> lock(eventMu);
      if (events[event].completed < seq)
        events[event].completed = seq;
    }
    eventCv.notify_all();
  }
  void waitFor(uint32_t event, uint64_t seq) {
    std::unique_lock<std::mutex> lock(eventMu);
    eventCv.wait(lock, [&] { return events[event].completed >= seq; });
  }

private:
  /// While this thread records a device graph of this backend, appends the
  /// command to the recording instead of enqueueing it.
  bool recorded(uint32_t stream, const Command &cmd) {
    if (!tlsCapture || tlsCapture->owner != this)
      return false;
    tlsCapture->ops.push_back({stream, cmd});
    return true;
  }
  void push(uint32_t stream, const Command &cmd) {
    EmuStream &s = *streams[stream];
    {
      std::lock_guard<std::mutex> lock(s.mu);
      s.fifo.push(cmd);
    }
    s.cv.notify_all();
  }

  /// Starts one more stream thread; returns its id.
  uint32_t addStream() {
    const uint32_t at = streamCount.load();
    auto stream = std::make_unique<EmuStream>();
    stream->backend = this;
    // Room for a few thousand queued commands: steady-state replays of
    // ordinary graphs then never grow the FIFO (no allocation per replay).
    stream->fifo.reserve(4096);
    EmuStream *p = stream.get();
    streams[at] = std::move(stream);
    p->thread = std::thread([p] { p->run(); });
    streamCount.store(at + 1, std::memory_order_release);
    return at;
  }

  // Fixed slots: issuer threads index them while private streams are added.
  static constexpr uint32_t kMaxStreams = 8192;
  std::unique_ptr<EmuStream> streams[kMaxStreams];
  std::atomic<uint32_t> streamCount{0};
  uint32_t numShared = 0; // the runtime's streams, then private
  std::mutex privateMu;   // guards freePrivate and additions
  std::vector<uint32_t> freePrivate;
  std::mutex eventMu;
  std::condition_variable eventCv;
  std::deque<EmuEvent> events; // indices stay valid as it grows
  std::vector<uint32_t> freeEvents;
};

void EmuStream::run() {
  std::unique_lock<std::mutex> lock(mu);
  for (;;) {
    cv.wait(lock, [&] { return stop || !fifo.empty(); });
    if (fifo.empty())
      return;
    Command cmd = fifo.pop();
    executing = true;
    lock.unlock();
    switch (cmd.kind) {
    case Command::Host:
      cmd.fn(cmd.arg);
      break;
    case Command::Record:
      backend->complete(cmd.event, cmd.seq);
      break;
    case Command::Wait:
      backend->waitFor(cmd.event, cmd.seq);
      break;
    }
    lock.lock();
    executing = false;
    if (fifo.empty())
      cv.notify_all(); // synchronize() waits for this
  }
}

} // namespace

std::unique_ptr<StreamBackend> tgraph::rt::createEmulatedBackend(uint32_t n) {
  return std::make_unique<EmulatedBackend>(n);
}

//===----------------------------------------------------------------------===//
// Buffer memory: host memory unless a backend knows better (CUDA).
//===----------------------------------------------------------------------===//

tgrt_status tgraph::rt::StreamBackend::allocMemory(int32_t, size_t bytes,
                                                   void *&out,
                                                   std::string &error) {
  // 64-byte alignment: a cache line, and enough for any vector type.
  out = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!out) {
    error = "cannot allocate " + std::to_string(bytes) + " bytes";
    return TGRT_ERROR_OUT_OF_MEMORY;
  }
  return TGRT_OK;
}

void tgraph::rt::StreamBackend::freeMemory(int32_t, void *ptr) {
  std::free(ptr);
}

tgrt_status tgraph::rt::StreamBackend::copyMemory(void *dst, const void *src,
                                                  size_t bytes, std::string &) {
  std::memcpy(dst, src, bytes);
  return TGRT_OK;
}
