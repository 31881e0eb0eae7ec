//===- Runtime.cpp - Runtime, processors and events -----------------------===//
//
// Creates and stops the processor threads and the stream backend, owns the
// kernel registry and the event pool. Events are pooled so that a replay's
// completion event costs no allocation once the pool is warm.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"
#include "Graph.h"
#include "Handles.h"

#include <cstdlib>

#include <cstring>
#include <new>

using namespace tgraph::rt;

namespace {
thread_local std::string tlsLastError;
} // namespace

tgrt_status tgraph::rt::setError(tgrt_status status, std::string message) {
  tlsLastError = std::move(message);
  return status;
}

extern "C" const char *tgrt_last_error(void) { return tlsLastError.c_str(); }

//===----------------------------------------------------------------------===//
// Events
//===----------------------------------------------------------------------===//

bool tgrt_event_impl::trigger(bool isFailed, const std::string *failure) {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (state.load(std::memory_order_relaxed) != 0)
      return false;
    if (isFailed)
      message = failure ? *failure : std::string("failed");
    state.store(isFailed ? 2 : 1, std::memory_order_release);
  }
  cv.notify_all();
  // No waiter is added once the state is set, so the list is stable. The
  // caller holds a reference, so the event outlives this loop.
  for (const Waiter &w : waiters)
    w.fn(w.a, w.b, this);
  return true;
}

void tgrt_event_impl::addWaiter(WaiterFn fn, void *a, void *b) {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (state.load(std::memory_order_relaxed) == 0) {
      waiters.push_back({fn, a, b});
      return;
    }
  }
  fn(a, b, this);
}

bool tgrt_event_impl::wait(const uint64_t *timeoutNs) {
  // Spin briefly (a few microseconds: a short graph often completes within
  // that), then sleep. The waiter is usually not one of the workers, so a
  // longer spin, or a yield loop, would take a core, or a shared physical
  // core's issue slots, away from the workers running the graph: on a
  // 2-vCPU machine a yield loop here slowed a 1-worker replay of
  // compute-bound tasks by half, and a 2-worker one (3 threads on 2 cores)
  // by 4-40x (bench/results/taskbench-profile.md).
  for (int i = 0; i < 256; ++i) {
    if (state.load(std::memory_order_acquire) != 0)
      return true;
    cpuRelax();
  }
  std::unique_lock<std::mutex> lock(mu);
  auto done = [&] { return state.load(std::memory_order_acquire) != 0; };
  if (!timeoutNs) {
    cv.wait(lock, done);
    return true;
  }
  return cv.wait_for(lock, std::chrono::nanoseconds(*timeoutNs), done);
}

void tgrt_event_impl::release() {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    rt->recycle(this);
}

tgrt_event_impl *tgrt_runtime_impl::newEvent(int32_t initialRefs) {
  tgrt_event_impl *event;
  {
    std::lock_guard<std::mutex> lock(eventMu);
    if (freeEvents.empty()) {
      events.push_back(std::make_unique<tgrt_event_impl>());
      freeEvents.reserve(events.size());
      event = events.back().get();
      event->rt = this;
      // The event keeps this slot for the life of the runtime (renewed on
      // each reuse below); only growing the pool allocates one.
      event->handle = tgraph::rt::HandleTable::events().add(event);
      if (!event->handle) {
        events.pop_back();
        throw std::bad_alloc();
      }
      // Any pooled event may later be a precondition with waiters; give it
      // room now so that reusing it in a new role does not allocate.
      event->waiters.reserve(4);
    } else {
      event = freeEvents.back();
      freeEvents.pop_back();
      // A new generation: the handle of its last use is refused from now
      // on, even though the object is the same.
      event->handle = tgraph::rt::HandleTable::events().renew(event->handle);
    }
  }
  event->state.store(0, std::memory_order_relaxed);
  event->user = false;
  event->refs.store(initialRefs, std::memory_order_release);
  return event;
}

void tgrt_runtime_impl::recycle(tgrt_event_impl *event) {
  {
    std::lock_guard<std::mutex> lock(event->mu);
    event->waiters.clear(); // keeps its capacity for the next use
    event->message.clear();
  }
  std::lock_guard<std::mutex> lock(eventMu);
  freeEvents.push_back(event);
}

//===----------------------------------------------------------------------===//
// Processors
//===----------------------------------------------------------------------===//

void Processor::run() {
  const uint32_t spins = rt->config.spin_iterations;
  for (;;) {
    Graph *graph = nullptr;
    // Back-to-back replays usually arrive within microseconds: poll briefly
    // (yielding, since the thread that starts them may need this core)
    // before paying for a sleep and a wake-up.
    for (uint32_t i = 0;
         i < spins && inboxSize.load(std::memory_order_acquire) == 0; ++i)
      std::this_thread::yield();
    {
      std::unique_lock<std::mutex> lock(mu);
      sleeping.store(true, std::memory_order_seq_cst);
      cv.wait(lock, [&] { return stop || !inbox.empty(); });
      sleeping.store(false, std::memory_order_relaxed);
      if (inbox.empty())
        return; // stop, and nothing left
      graph = inbox.pop();
      inboxSize.store(static_cast<uint32_t>(inbox.size()),
                      std::memory_order_relaxed);
    }
    graph->walk(*this);
    graph->walkerDone();
  }
}

//===----------------------------------------------------------------------===//
// Runtime
//===----------------------------------------------------------------------===//

tgrt_status tgrt_runtime_impl::init(const tgrt_config &cfg) {
  config = cfg;
  if (config.num_gpus > 0) {
    streamsPerGpuTotal = config.streams_per_gpu + config.copy_streams_per_gpu;
    uint32_t numStreams = config.num_gpus * streamsPerGpuTotal;
    bool wantCuda = config.stream_mode == TGRT_STREAMS_CUDA;
    // AUTO: CUDA when the backend is linked (StreamBackend.h) and there
    // are enough GPUs, else emulated.
    if (config.stream_mode == TGRT_STREAMS_AUTO && cudaBackendLinked() &&
        cudaDeviceCountOrZero() >= static_cast<int>(config.num_gpus))
      wantCuda = true;
    if (wantCuda && !cudaBackendLinked())
      return setError(TGRT_ERROR_UNSUPPORTED,
                      "stream_mode is TGRT_STREAMS_CUDA but the CUDA backend "
                      "is not linked: link tgraph::tgrt_cuda (tgraph built "
                      "with CUDA), or use TGRT_STREAMS_EMULATED");
    if (wantCuda) {
      std::string error;
      backend = createCudaBackend(config.num_gpus, config.streams_per_gpu,
                                  config.copy_streams_per_gpu, error);
      if (!backend)
        return setError(TGRT_ERROR_CUDA,
                        "cannot create CUDA streams: " + error);
      usesCuda = true;
    }
    if (!backend)
      backend = createEmulatedBackend(numStreams);
  }

  // Warm the event pool so that steady-state replays never grow it.
  {
    std::vector<tgrt_event_impl *> warm;
    for (int i = 0; i < 32; ++i)
      warm.push_back(newEvent(1));
    for (tgrt_event_impl *e : warm)
      recycle(e);
  }

  uint32_t numProcs =
      config.num_cpu_workers + config.num_gpus * streamsPerGpuTotal;
  for (uint32_t i = 0; i < numProcs; ++i) {
    auto proc = std::make_unique<Processor>();
    proc->rt = this;
    proc->inbox.reserve(64); // one entry per graph replaying at once
    proc->id = i;
    if (i < config.num_cpu_workers) {
      proc->kind = Processor::Kind::Cpu;
      proc->index = i;
      proc->name = "cpu " + std::to_string(i);
    } else {
      uint32_t s = i - config.num_cpu_workers;
      proc->kind = Processor::Kind::Stream;
      proc->index = s / streamsPerGpuTotal;
      proc->streamLocal = s % streamsPerGpuTotal;
      proc->globalStream = s;
      proc->isCopyStream = proc->streamLocal >= config.streams_per_gpu;
      proc->name = "gpu " + std::to_string(proc->index) +
                   (proc->isCopyStream
                        ? " copy " + std::to_string(proc->streamLocal -
                                                    config.streams_per_gpu)
                        : " stream " + std::to_string(proc->streamLocal));
    }
    procs.push_back(std::move(proc));
  }
  for (auto &proc : procs) {
    Processor *p = proc.get();
    p->thread = std::thread([p] { p->run(); });
  }
  return TGRT_OK;
}

void tgrt_runtime_impl::shutdown() {
  stopWatchdog();
  for (auto &proc : procs) {
    {
      std::lock_guard<std::mutex> lock(proc->mu);
      proc->stop = true;
    }
    proc->cv.notify_all();
  }
  for (auto &proc : procs)
    if (proc->thread.joinable())
      proc->thread.join();
  if (backend)
    backend->synchronize();
  std::lock_guard<std::mutex> lock(memMu);
  for (auto &[ptr, info] : allocations) {
    if (backend)
      backend->freeMemory(info.first, ptr);
    else
      std::free(ptr);
  }
  allocations.clear();
}
