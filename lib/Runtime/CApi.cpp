//===- CApi.cpp - The tgrt C ABI: validation and dispatch -----------------===//
//
// Every entry point checks its handles and the arguments that need no graph
// (null pointers, enum values, sizes), then dispatches: to the builder
// (GraphBuilder.h) for graph building, to the graph (Graph.h) for finalize
// and replays, to the decoder (ProgramDecoder.h) for graph programs, to the
// runtime (Runtime.h). Nothing here aborts: bad input returns an error code
// and sets tgrt_last_error(). Runtime, graph and event handles are
// generation-tagged table entries (Handles.h): a runtime or graph is pinned
// for the duration of each call, an event is pinned just long enough to
// take a reference, so a stale or foreign handle is refused without
// touching freed memory, a released event's handle never names the pooled
// object's next use, and a destroy racing other calls is safe.
//
//===----------------------------------------------------------------------===//

#include "Graph.h"
#include "Handles.h"
#include "ProgramDecoder.h"

#include <cstdlib>
#include <cstring>
#include <new>

using namespace tgraph::rt;

namespace {

/// Pins the runtime of a handle for the duration of one call (Handles.h);
/// tgrt_runtime_destroy waits for the calls pinned before it.
class RuntimePin {
public:
  explicit RuntimePin(tgrt_runtime handle)
      : handle(reinterpret_cast<uint64_t>(handle)),
        runtime(static_cast<tgrt_runtime_impl *>(
            HandleTable::runtimes().pin(this->handle))) {}
  ~RuntimePin() {
    if (runtime)
      HandleTable::runtimes().unpin(handle);
  }
  RuntimePin(const RuntimePin &) = delete;
  RuntimePin &operator=(const RuntimePin &) = delete;
  tgrt_runtime_impl *get() const { return runtime; }
  bool null() const { return handle == 0; }

private:
  uint64_t handle;
  tgrt_runtime_impl *runtime;
};

tgrt_status checkRuntime(const RuntimePin &pin, const char *fn) {
  if (pin.null())
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": runtime handle is null");
  if (!pin.get())
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": not a live runtime handle "
                                      "(destroyed, or not a runtime)");
  return TGRT_OK;
}

/// Pins the graph of a handle for the duration of one call (Handles.h):
/// `get()` is null when the handle is not live.
class GraphPin {
public:
  explicit GraphPin(tgrt_graph handle)
      : handle(reinterpret_cast<uint64_t>(handle)),
        graph(static_cast<tgrt_graph_impl *>(
            HandleTable::graphs().pin(this->handle))) {}
  ~GraphPin() {
    if (graph)
      HandleTable::graphs().unpin(handle);
  }
  GraphPin(const GraphPin &) = delete;
  GraphPin &operator=(const GraphPin &) = delete;
  tgrt_graph_impl *get() const { return graph; }
  bool null() const { return handle == 0; }

private:
  uint64_t handle;
  tgrt_graph_impl *graph;
};

tgrt_status checkGraph(const GraphPin &pin, const char *fn) {
  if (pin.null())
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": graph handle is null");
  if (!pin.get())
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) +
                        ": not a live graph handle (destroyed, or not a "
                        "graph)");
  return TGRT_OK;
}

/// A graph that can still be built.
tgrt_status checkBuilding(const GraphPin &pin, const char *fn) {
  if (tgrt_status s = checkGraph(pin, fn))
    return s;
  tgrt_graph_impl *g = pin.get();
  if (g->finalized)
    return setError(TGRT_ERROR_INVALID_STATE,
                    std::string(fn) + ": graph '" + g->name +
                        "' is finalized and can no longer change");
  return TGRT_OK;
}

tgrt_status checkFinalized(const GraphPin &pin, const char *fn) {
  if (tgrt_status s = checkGraph(pin, fn))
    return s;
  tgrt_graph_impl *g = pin.get();
  if (!g->finalized)
    return setError(TGRT_ERROR_INVALID_STATE,
                    std::string(fn) + ": graph '" + g->name +
                        "' is not finalized (call tgrt_graph_finalize)");
  return TGRT_OK;
}

/// A reference to the event of a live handle, held for one call: the
/// handle is pinned only while the reference is taken, so a release racing
/// a long wait does not block, and the object outlives the call.
class EventRef {
public:
  explicit EventRef(tgrt_event handle)
      : handle(reinterpret_cast<uint64_t>(handle)) {
    HandleTable &table = HandleTable::events();
    event = static_cast<tgrt_event_impl *>(table.pin(this->handle));
    if (event) {
      event->retain();
      table.unpin(this->handle);
    }
  }
  ~EventRef() {
    if (event)
      event->release();
  }
  EventRef(const EventRef &) = delete;
  EventRef &operator=(const EventRef &) = delete;
  tgrt_event_impl *get() const { return event; }
  bool null() const { return handle == 0; }

private:
  uint64_t handle;
  tgrt_event_impl *event = nullptr;
};

tgrt_status checkEvent(const EventRef &ref, const char *fn) {
  if (ref.null())
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": event handle is null");
  if (!ref.get())
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) +
                        ": not a live event handle (released, its runtime "
                        "destroyed, or not an event)");
  return TGRT_OK;
}

tgrt_status checkOut(const void *p, const char *fn, const char *what) {
  if (!p)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": " + what + " is null");
  return TGRT_OK;
}

/// Puts "fn: " before the message an internal check (the graph's or the
/// runtime's own, which do not know the entry point) has set.
tgrt_status withCaller(tgrt_status s, const std::string &caller) {
  return setError(s, caller + ": " + tgrt_last_error());
}

tgrt_status eventResult(tgrt_event_impl *e, const char *fn) {
  int32_t state = e->state.load(std::memory_order_acquire);
  if (state == 0)
    return setError(TGRT_ERROR_NOT_READY,
                    std::string(fn) + ": the event has not triggered yet");
  if (state == 2)
    return setError(TGRT_ERROR_TASK_FAILED, e->message);
  return TGRT_OK;
}

bool validName(const char *s) { return s && *s; }

/// Pins `handle`'s graph as `g` for the rest of the call, checked by
/// `check` (checkGraph, checkBuilding or checkFinalized).
/// Pins `handle`'s runtime as `rt` for the rest of the call.
#define TGRT_PIN_RUNTIME(handle, fn)                                           \
  RuntimePin rpin_(handle);                                                    \
  tgrt_runtime_impl *rt = rpin_.get();                                         \
  TGRT_TRY(checkRuntime(rpin_, fn))

/// Takes a reference to `handle`'s event as `e` for the rest of the call.
#define TGRT_REF_EVENT(handle, fn)                                             \
  EventRef eref_(handle);                                                      \
  tgrt_event_impl *e = eref_.get();                                            \
  TGRT_TRY(checkEvent(eref_, fn))

#define TGRT_PIN_GRAPH(handle, check, fn)                                      \
  GraphPin pin_(handle);                                                       \
  tgrt_graph_impl *g = pin_.get();                                             \
  TGRT_TRY(check(pin_, fn))

#define TGRT_TRY(expr)                                                         \
  do {                                                                         \
    if (tgrt_status s_ = (expr))                                               \
      return s_;                                                               \
  } while (0)

#define TGRT_GUARD_BEGIN try {
#define TGRT_GUARD_END                                                         \
  }                                                                            \
  catch (const std::bad_alloc &) {                                             \
    return setError(TGRT_ERROR_OUT_OF_MEMORY, "out of memory");                \
  }                                                                            \
  catch (const std::exception &e) {                                            \
    return setError(TGRT_ERROR_INTERNAL, e.what());                            \
  }

/// Frees the handle slots of a runtime's pooled events (at its end): every
/// event handle of the runtime is refused from now on, and the slots serve
/// other runtimes' events under new generations.
void releaseEventHandles(tgrt_runtime_impl *rt) {
  HandleTable &table = HandleTable::events();
  std::lock_guard<std::mutex> lock(rt->eventMu);
  for (auto &e : rt->events) {
    table.retire(e->handle); // null if the user released it already
    table.free(e->handle);
  }
}

} // namespace

extern "C" {

const char *tgrt_status_string(tgrt_status status) {
  switch (status) {
  case TGRT_OK:
    return "TGRT_OK";
  case TGRT_ERROR_INVALID_ARGUMENT:
    return "TGRT_ERROR_INVALID_ARGUMENT";
  case TGRT_ERROR_INVALID_HANDLE:
    return "TGRT_ERROR_INVALID_HANDLE";
  case TGRT_ERROR_OUT_OF_RANGE:
    return "TGRT_ERROR_OUT_OF_RANGE";
  case TGRT_ERROR_NOT_FOUND:
    return "TGRT_ERROR_NOT_FOUND";
  case TGRT_ERROR_INVALID_STATE:
    return "TGRT_ERROR_INVALID_STATE";
  case TGRT_ERROR_CYCLE:
    return "TGRT_ERROR_CYCLE";
  case TGRT_ERROR_UNSUPPORTED:
    return "TGRT_ERROR_UNSUPPORTED";
  case TGRT_ERROR_NOT_READY:
    return "TGRT_ERROR_NOT_READY";
  case TGRT_ERROR_TIMEOUT:
    return "TGRT_ERROR_TIMEOUT";
  case TGRT_ERROR_TASK_FAILED:
    return "TGRT_ERROR_TASK_FAILED";
  case TGRT_ERROR_OUT_OF_MEMORY:
    return "TGRT_ERROR_OUT_OF_MEMORY";
  case TGRT_ERROR_CUDA:
    return "TGRT_ERROR_CUDA";
  case TGRT_ERROR_ALREADY:
    return "TGRT_ERROR_ALREADY";
  case TGRT_ERROR_INTERNAL:
    return "TGRT_ERROR_INTERNAL";
  }
  return "TGRT_ERROR_UNKNOWN";
}

//===--- Runtime ----------------------------------------------------------===//

tgrt_status tgrt_config_init(tgrt_config *config) {
  TGRT_TRY(checkOut(config, "tgrt_config_init", "config"));
  config->num_cpu_workers = 1;
  config->num_gpus = 0;
  config->streams_per_gpu = 2;
  config->copy_streams_per_gpu = 1;
  config->stream_mode = TGRT_STREAMS_AUTO;
  config->spin_iterations = 1024;
  return TGRT_OK;
}

int32_t tgrt_cuda_device_count(void) {
  // 0 when the CUDA backend is not linked (StreamBackend.h).
  return cudaBackendLinked() ? cudaDeviceCountOrZero() : 0;
}

tgrt_status tgrt_runtime_create(const tgrt_config *config,
                                tgrt_runtime *out_runtime) {
  const char *fn = "tgrt_runtime_create";
  TGRT_TRY(checkOut(config, fn, "config"));
  TGRT_TRY(checkOut(out_runtime, fn, "out_runtime"));
  *out_runtime = nullptr;
  if (config->num_cpu_workers > 1024)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_runtime_create: num_cpu_workers must be <= 1024");
  if (config->num_gpus > 64 || config->streams_per_gpu > 64 ||
      config->copy_streams_per_gpu > 64)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_runtime_create: at most 64 gpus and 64 streams and "
                    "copy streams per gpu");
  if (config->num_gpus > 0 &&
      config->streams_per_gpu + config->copy_streams_per_gpu == 0)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_runtime_create: num_gpus > 0 needs streams");
  if (config->stream_mode < TGRT_STREAMS_AUTO ||
      config->stream_mode > TGRT_STREAMS_CUDA)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_runtime_create: unknown stream_mode " +
                        std::to_string(config->stream_mode));
  TGRT_GUARD_BEGIN
  auto rt = std::make_unique<tgrt_runtime_impl>();
  if (tgrt_status s = rt->init(*config)) {
    rt->shutdown();
    releaseEventHandles(rt.get());
    return withCaller(s, "tgrt_runtime_create");
  }
  rt->handle = HandleTable::runtimes().add(rt.get());
  if (!rt->handle) {
    rt->shutdown();
    releaseEventHandles(rt.get());
    return setError(TGRT_ERROR_OUT_OF_MEMORY,
                    "tgrt_runtime_create: no runtime handle left");
  }
  *out_runtime = reinterpret_cast<tgrt_runtime>(rt.release()->handle);
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_destroy(tgrt_graph graph);

tgrt_status tgrt_runtime_destroy(tgrt_runtime rh) {
  const char *fn = "tgrt_runtime_destroy";
  const uint64_t handle = reinterpret_cast<uint64_t>(rh);
  if (!handle)
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": runtime handle is null");
  // From here no call can pin the runtime, and those that had have
  // returned; a second destroy is refused (see Handles.h).
  HandleTable &table = HandleTable::runtimes();
  auto *rt = static_cast<tgrt_runtime_impl *>(table.retire(handle));
  if (!rt)
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": not a live runtime handle "
                                      "(destroyed already, or not a runtime)");
  // By handle: another thread may destroy one of them meanwhile.
  std::vector<tgrt_graph> graphs;
  {
    std::lock_guard<std::mutex> lock(rt->graphsMu);
    for (tgrt_graph_impl *g : rt->graphs)
      graphs.push_back(reinterpret_cast<tgrt_graph>(g->handle));
  }
  for (tgrt_graph h : graphs) {
    GraphPin pin(h);
    if (pin.get() && pin.get()->checkNotStuck(fn) != TGRT_OK) {
      table.revive(handle);
      return TGRT_ERROR_INVALID_STATE; // the message is set
    }
    if (pin.get() && pin.get()->blockedOnPreconditions()) {
      table.revive(handle);
      return setError(TGRT_ERROR_INVALID_STATE,
                      "tgrt_runtime_destroy: graph '" + pin.get()->name +
                          "' has a replay waiting for a precondition that "
                          "has not triggered; trigger it first");
    }
  }
  for (tgrt_graph h : graphs) {
    // Waits for its replays; one destroyed meanwhile is gone already.
    tgrt_status s = tgrt_graph_destroy(h);
    if (s != TGRT_OK && s != TGRT_ERROR_INVALID_HANDLE) {
      table.revive(handle);
      return s;
    }
  }
  rt->shutdown();
  releaseEventHandles(rt);
  delete rt;
  table.free(handle); // only now may a new runtime take the slot
  return TGRT_OK;
}

tgrt_status tgrt_runtime_uses_cuda(tgrt_runtime rh, int32_t *out_uses_cuda) {
  TGRT_PIN_RUNTIME(rh, "tgrt_runtime_uses_cuda");
  TGRT_TRY(checkOut(out_uses_cuda, "tgrt_runtime_uses_cuda", "out_uses_cuda"));
  *out_uses_cuda = rt->usesCuda ? 1 : 0;
  return TGRT_OK;
}

//===--- Buffer memory ----------------------------------------------------===//

/// The allocation that contains [ptr, ptr + bytes), or null.
static bool insideAllocation(tgrt_runtime rt, const void *ptr, uint64_t bytes) {
  auto p = reinterpret_cast<uintptr_t>(ptr);
  for (auto &[base, info] : rt->allocations) {
    auto b = reinterpret_cast<uintptr_t>(base);
    if (p >= b && p - b <= info.second && bytes <= info.second - (p - b))
      return true;
  }
  return false;
}

tgrt_status tgrt_mem_alloc(tgrt_runtime rh, int32_t kind, uint64_t bytes,
                           void **out) {
  TGRT_PIN_RUNTIME(rh, "tgrt_mem_alloc");
  TGRT_TRY(checkOut(out, "tgrt_mem_alloc", "out_ptr"));
  if (kind != TGRT_MEM_HOST && kind != TGRT_MEM_DEVICE)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_mem_alloc: mem_kind must be TGRT_MEM_HOST (0) or "
                    "TGRT_MEM_DEVICE (1), got " +
                        std::to_string(kind));
  if (bytes == 0 || bytes > (uint64_t(1) << 48))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_mem_alloc: bytes must be between 1 and 2^48, got " +
                        std::to_string(bytes));
  void *ptr = nullptr;
  std::string error;
  tgrt_status s = TGRT_OK;
  if (rt->backend) {
    s = rt->backend->allocMemory(kind, bytes, ptr, error);
  } else {
    ptr = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!ptr) {
      s = TGRT_ERROR_OUT_OF_MEMORY;
      error = "cannot allocate " + std::to_string(bytes) + " bytes";
    }
  }
  if (s != TGRT_OK)
    return setError(s, "tgrt_mem_alloc: " + error);
  std::lock_guard<std::mutex> lock(rt->memMu);
  rt->allocations[ptr] = {kind, bytes};
  *out = ptr;
  return TGRT_OK;
}

tgrt_status tgrt_mem_free(tgrt_runtime rh, int32_t kind, void *ptr) {
  TGRT_PIN_RUNTIME(rh, "tgrt_mem_free");
  std::lock_guard<std::mutex> lock(rt->memMu);
  auto it = rt->allocations.find(ptr);
  if (it == rt->allocations.end())
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_mem_free: the pointer was not returned by "
                    "tgrt_mem_alloc of this runtime (or is freed already)");
  if (it->second.first != kind)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_mem_free: the pointer was allocated with mem_kind " +
                        std::to_string(it->second.first) + ", not " +
                        std::to_string(kind));
  if (rt->backend)
    rt->backend->freeMemory(kind, ptr);
  else
    std::free(ptr);
  rt->allocations.erase(it);
  return TGRT_OK;
}

tgrt_status tgrt_mem_copy(tgrt_runtime rh, void *dst, const void *src,
                          uint64_t bytes) {
  TGRT_PIN_RUNTIME(rh, "tgrt_mem_copy");
  TGRT_TRY(checkOut(dst, "tgrt_mem_copy", "dst"));
  TGRT_TRY(checkOut(src, "tgrt_mem_copy", "src"));
  {
    // Device pointers must come from tgrt_mem_alloc; host memory of the
    // caller is fine on either side.
    std::lock_guard<std::mutex> lock(rt->memMu);
    if (rt->usesCuda && !insideAllocation(rt, dst, bytes) &&
        !insideAllocation(rt, src, bytes))
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "tgrt_mem_copy: neither side lies within a "
                      "tgrt_mem_alloc buffer");
  }
  if (bytes == 0)
    return TGRT_OK;
  std::string error;
  if (rt->backend) {
    if (tgrt_status s = rt->backend->copyMemory(dst, src, bytes, error))
      return setError(s, "tgrt_mem_copy: " + error);
  } else {
    std::memcpy(dst, src, bytes);
  }
  return TGRT_OK;
}

//===--- Kernels ----------------------------------------------------------===//

static tgrt_status registerKernel(tgrt_runtime rh, const char *name,
                                  tgrt_kernel_fn fn, void *user, bool gpu,
                                  uint32_t flags, const char *api) {
  TGRT_PIN_RUNTIME(rh, api);
  if (!validName(name))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(api) + ": kernel name is null or empty");
  if (!fn)
    return setError(TGRT_ERROR_INVALID_ARGUMENT, std::string(api) +
                                                     ": kernel '" + name +
                                                     "' has a null function");
  if (flags & ~static_cast<uint32_t>(TGRT_KERNEL_STREAM_ORDERED |
                                     TGRT_KERNEL_CAPTURABLE))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(api) + ": unknown kernel flags");
  if ((flags & TGRT_KERNEL_CAPTURABLE) &&
      !(gpu && (flags & TGRT_KERNEL_STREAM_ORDERED)))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(api) + ": kernel '" + name +
                        "': TGRT_KERNEL_CAPTURABLE needs a GPU kernel that "
                        "is TGRT_KERNEL_STREAM_ORDERED");
  TGRT_GUARD_BEGIN
  std::lock_guard<std::mutex> lock(rt->registryMu);
  if (rt->kernelsByName.count(name))
    return setError(TGRT_ERROR_ALREADY, std::string(api) + ": kernel '" + name +
                                            "' is already registered");
  auto k = std::make_unique<Kernel>();
  k->name = name;
  k->fn = fn;
  k->userData = user;
  k->gpu = gpu;
  k->streamOrdered = gpu && (flags & TGRT_KERNEL_STREAM_ORDERED);
  k->capturable = k->streamOrdered && (flags & TGRT_KERNEL_CAPTURABLE);
  rt->kernelsByName.emplace(k->name, k.get());
  rt->kernels.push_back(std::move(k));
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_register_cpu_kernel(tgrt_runtime rt, const char *name,
                                     tgrt_kernel_fn fn, void *user_data) {
  return registerKernel(rt, name, fn, user_data, false, 0,
                        "tgrt_register_cpu_kernel");
}

tgrt_status tgrt_register_gpu_kernel(tgrt_runtime rt, const char *name,
                                     tgrt_kernel_fn fn, void *user_data,
                                     uint32_t flags) {
  return registerKernel(rt, name, fn, user_data, true, flags,
                        "tgrt_register_gpu_kernel");
}

//===--- Graph building ---------------------------------------------------===//

tgrt_status tgrt_graph_create(tgrt_runtime rh, const char *name,
                              tgrt_graph *out_graph) {
  TGRT_PIN_RUNTIME(rh, "tgrt_graph_create");
  TGRT_TRY(checkOut(out_graph, "tgrt_graph_create", "out_graph"));
  *out_graph = nullptr;
  TGRT_GUARD_BEGIN
  auto g = std::make_unique<tgrt_graph_impl>(rt, name ? name : "graph");
  g->handle = HandleTable::graphs().add(g.get());
  if (!g->handle)
    return setError(TGRT_ERROR_OUT_OF_MEMORY,
                    "tgrt_graph_create: no graph handle left");
  std::lock_guard<std::mutex> lock(rt->graphsMu);
  rt->graphs.insert(g.get());
  *out_graph = reinterpret_cast<tgrt_graph>(g.release()->handle);
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_destroy(tgrt_graph gh) {
  const char *fn = "tgrt_graph_destroy";
  const uint64_t handle = reinterpret_cast<uint64_t>(gh);
  if (!handle)
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) + ": graph handle is null");
  // From here no call can pin the graph, and those that had have returned
  // (a replay among them has counted itself busy): see Handles.h.
  HandleTable &table = HandleTable::graphs();
  auto *g = static_cast<tgrt_graph_impl *>(table.retire(handle));
  if (!g)
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    std::string(fn) +
                        ": not a live graph handle (destroyed already, or "
                        "not a graph)");
  if (g->blockedOnPreconditions()) {
    table.revive(handle);
    return setError(TGRT_ERROR_INVALID_STATE,
                    "tgrt_graph_destroy: graph '" + g->name +
                        "' has a replay waiting for a precondition that has "
                        "not triggered; trigger it first");
  }
  // A replay that timed out may never finish: refuse instead of hanging.
  if (!g->waitIdleUnlessStuck()) {
    tgrt_status st = g->checkNotStuck(fn);
    table.revive(handle);
    return st != TGRT_OK ? st
                         : setError(TGRT_ERROR_INVALID_STATE,
                                    std::string(fn) + ": graph '" + g->name +
                                        "' has a replay that timed out");
  }
  tgrt_runtime_impl *rt = g->rt;
  rt->unwatch(g); // the watchdog no longer touches g
  {
    std::lock_guard<std::mutex> lock(rt->graphsMu);
    rt->graphs.erase(g);
  }
  g->releaseResources();
  delete g;
  table.free(handle); // only now may a new graph take the slot
  return TGRT_OK;
}

tgrt_status tgrt_graph_set_num_params(tgrt_graph gh, uint32_t num_params) {
  const char *fn = "tgrt_graph_set_num_params";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  if (num_params > (1u << 20))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": too many parameters");
  return g->builder->setNumParams(num_params, fn);
}

tgrt_status tgrt_graph_add_task(tgrt_graph gh, const char *kernel,
                                int32_t proc_kind, uint32_t proc_index,
                                uint32_t stream, uint32_t num_results,
                                uint32_t *out_node) {
  const char *fn = "tgrt_graph_add_task";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_TRY(checkOut(out_node, fn, "out_node"));
  if (!validName(kernel))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": kernel name is null or empty");
  if (num_results > 4096)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": at most 4096 results");
  TGRT_GUARD_BEGIN
  return g->builder->addTask(kernel, proc_kind, proc_index, stream, num_results,
                             *out_node, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_add_arg(tgrt_graph gh, uint32_t node, uint64_t bits) {
  const char *fn = "tgrt_graph_add_arg";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_GUARD_BEGIN
  return g->builder->addArg(node, {GraphBuilder::Arg::Imm, bits, 0, 0}, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_add_arg_param(tgrt_graph gh, uint32_t node,
                                     uint32_t param) {
  const char *fn = "tgrt_graph_add_arg_param";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_GUARD_BEGIN
  return g->builder->addArg(node, {GraphBuilder::Arg::Param, 0, param, 0}, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_add_arg_value(tgrt_graph gh, uint32_t node,
                                     uint32_t producer, uint32_t result) {
  const char *fn = "tgrt_graph_add_arg_value";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_GUARD_BEGIN
  return g->builder->addArg(
      node, {GraphBuilder::Arg::Value, 0, producer, result}, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_set_else_value(tgrt_graph gh, uint32_t node,
                                      uint32_t result, uint64_t bits) {
  const char *fn = "tgrt_graph_set_else_value";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  return g->builder->setElseValue(node, result, bits, fn);
}

tgrt_status tgrt_graph_add_copy(tgrt_graph gh, int32_t proc_kind,
                                uint32_t proc_index, uint32_t stream, void *dst,
                                int32_t dst_mem, uint64_t dst_offset,
                                const void *src, int32_t src_mem,
                                uint64_t src_offset, uint64_t bytes,
                                uint32_t *out_node) {
  const char *fn = "tgrt_graph_add_copy";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_TRY(checkOut(out_node, fn, "out_node"));
  auto validMem = [](int32_t m) {
    return m == TGRT_MEM_HOST || m == TGRT_MEM_DEVICE;
  };
  if (!validMem(dst_mem) || !validMem(src_mem))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": unknown memory kind");
  if (dst_offset > UINT64_MAX - bytes || src_offset > UINT64_MAX - bytes)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": offset + bytes overflows");
  TGRT_GUARD_BEGIN
  return g->builder->addCopy(proc_kind, proc_index, stream, dst, dst_mem,
                             dst_offset, src, src_mem, src_offset, bytes,
                             *out_node, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_copy_bind_param(tgrt_graph gh, uint32_t node,
                                       int32_t which, uint32_t param) {
  const char *fn = "tgrt_graph_copy_bind_param";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  if (which != 0 && which != 1)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": which must be 0 (dst) or 1 (src)");
  return g->builder->copyBindParam(node, which, param, fn);
}

tgrt_status tgrt_graph_add_join(tgrt_graph gh, uint32_t *out_node) {
  const char *fn = "tgrt_graph_add_join";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_TRY(checkOut(out_node, fn, "out_node"));
  TGRT_GUARD_BEGIN
  return g->builder->addJoin(*out_node, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_set_node_name(tgrt_graph gh, uint32_t node,
                                     const char *name) {
  const char *fn = "tgrt_graph_set_node_name";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_TRY(g->builder->checkNode(node, fn));
  if (!validName(name))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": name is null or empty");
  TGRT_GUARD_BEGIN
  return g->builder->setNodeName(node, name, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_set_queue_pos(tgrt_graph gh, uint32_t node,
                                     uint32_t pos) {
  const char *fn = "tgrt_graph_set_queue_pos";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  return g->builder->setQueuePos(node, pos, fn);
}

tgrt_status tgrt_graph_expect_deps(tgrt_graph gh, uint32_t node,
                                   uint32_t count) {
  const char *fn = "tgrt_graph_expect_deps";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  return g->builder->expectDeps(node, count, fn);
}

tgrt_status tgrt_graph_add_dep(tgrt_graph gh, uint32_t pred, uint32_t succ,
                               int32_t kind) {
  const char *fn = "tgrt_graph_add_dep";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_TRY(g->builder->checkNode(pred, fn));
  TGRT_TRY(g->builder->checkNode(succ, fn));
  if (kind != TGRT_DEP_HOST && kind != TGRT_DEP_DEVICE)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": unknown dependence kind " +
                        std::to_string(kind));
  TGRT_GUARD_BEGIN
  return g->builder->addDep(pred, succ, kind, fn);
  TGRT_GUARD_END
}

//===--- Predicates -------------------------------------------------------===//

static tgrt_status newPred(tgrt_graph gh, GraphBuilder::BPred p,
                           uint32_t *out_pred, const char *fn) {
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_TRY(checkOut(out_pred, fn, "out_pred"));
  TGRT_GUARD_BEGIN
  return g->builder->addPred(p, *out_pred, fn);
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_pred_const(tgrt_graph gh, int32_t value,
                                  uint32_t *out_pred) {
  return newPred(gh, {GraphBuilder::BPred::Const, value ? 1u : 0u, 0}, out_pred,
                 "tgrt_graph_pred_const");
}

tgrt_status tgrt_graph_pred_from_value(tgrt_graph gh, uint32_t producer,
                                       uint32_t result, uint32_t *out_pred) {
  return newPred(gh, {GraphBuilder::BPred::From, producer, result}, out_pred,
                 "tgrt_graph_pred_from_value");
}

tgrt_status tgrt_graph_pred_not(tgrt_graph gh, uint32_t pred,
                                uint32_t *out_pred) {
  return newPred(gh, {GraphBuilder::BPred::Not, pred, 0}, out_pred,
                 "tgrt_graph_pred_not");
}

tgrt_status tgrt_graph_pred_and(tgrt_graph gh, uint32_t lhs, uint32_t rhs,
                                uint32_t *out_pred) {
  return newPred(gh, {GraphBuilder::BPred::And, lhs, rhs}, out_pred,
                 "tgrt_graph_pred_and");
}

tgrt_status tgrt_graph_pred_or(tgrt_graph gh, uint32_t lhs, uint32_t rhs,
                               uint32_t *out_pred) {
  return newPred(gh, {GraphBuilder::BPred::Or, lhs, rhs}, out_pred,
                 "tgrt_graph_pred_or");
}

tgrt_status tgrt_graph_set_predicate(tgrt_graph gh, uint32_t node,
                                     uint32_t pred, int32_t mode) {
  const char *fn = "tgrt_graph_set_predicate";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  if (mode != TGRT_PRED_WAIT && mode != TGRT_PRED_GUARDED) {
    TGRT_TRY(g->builder->checkNode(node, fn));
    TGRT_TRY(g->builder->checkPred(pred, fn));
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": unknown predicate mode " +
                        std::to_string(mode));
  }
  return g->builder->setPredicate(node, pred, mode, fn);
}

tgrt_status tgrt_graph_finalize(tgrt_graph gh) {
  const char *fn = "tgrt_graph_finalize";
  TGRT_PIN_GRAPH(gh, checkBuilding, fn);
  TGRT_GUARD_BEGIN
  if (tgrt_status s = g->finalize())
    return withCaller(s, std::string(fn) + ": graph '" + g->name + "'");
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_build(tgrt_runtime rh, const char *name,
                             const uint8_t *program, uint64_t program_size,
                             const char *strings, uint64_t strings_size,
                             tgrt_graph *out_graph) {
  RuntimePin rpin(rh); // tgrt_graph_create below pins it again
  TGRT_TRY(checkRuntime(rpin, "tgrt_graph_build"));
  TGRT_TRY(checkOut(out_graph, "tgrt_graph_build", "out_graph"));
  *out_graph = nullptr;
  if (!program && program_size)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_graph_build: program is null");
  if (!strings && strings_size)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_graph_build: strings is null");
  tgrt_graph g = nullptr;
  if (tgrt_status s = tgrt_graph_create(rh, name, &g))
    return setError(s, std::string("tgrt_graph_build: ") + tgrt_last_error());
  std::string where;
  tgrt_status s = TGRT_OK;
  try {
    s = runProgram(g, program, program_size, strings, strings_size, where);
  } catch (const std::bad_alloc &) {
    s = setError(TGRT_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception &e) {
    s = setError(TGRT_ERROR_INTERNAL, e.what());
  }
  if (s != TGRT_OK) {
    std::string message = std::string("tgrt_graph_build: graph '") +
                          (name ? name : "graph") + "', " + where + ": " +
                          tgrt_last_error();
    tgrt_graph_destroy(g);
    return setError(s, message);
  }
  *out_graph = g;
  return TGRT_OK;
}

tgrt_status tgrt_graph_num_nodes(tgrt_graph gh, uint32_t *out_num_nodes) {
  TGRT_PIN_GRAPH(gh, checkGraph, "tgrt_graph_num_nodes");
  TGRT_TRY(checkOut(out_num_nodes, "tgrt_graph_num_nodes", "out_num_nodes"));
  *out_num_nodes = g->numNodes();
  return TGRT_OK;
}

//===--- Replay -----------------------------------------------------------===//

tgrt_status tgrt_graph_replay(tgrt_graph gh, const tgrt_event *preconditions,
                              uint32_t num_preconditions,
                              const uint64_t *params, uint32_t num_params,
                              tgrt_event *out_done) {
  const char *fn = "tgrt_graph_replay";
  TGRT_PIN_GRAPH(gh, checkFinalized, fn);
  TGRT_TRY(g->checkNotStuck(fn));
  if (num_preconditions && !preconditions)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_graph_replay: preconditions is null but "
                    "num_preconditions is " +
                        std::to_string(num_preconditions));
  // A reference to each precondition for the call (released at return;
  // the replay takes its own): no allocation up to kInline of them.
  constexpr uint32_t kInline = 16;
  struct Preconditions {
    tgrt_event_impl *inlineRefs[kInline];
    std::unique_ptr<tgrt_event_impl *[]> heap;
    tgrt_event_impl **refs = inlineRefs;
    uint32_t taken = 0;
    ~Preconditions() {
      for (uint32_t i = 0; i < taken; ++i)
        refs[i]->release();
    }
  } pre;
  if (num_preconditions > kInline) {
    TGRT_GUARD_BEGIN
    pre.heap.reset(new tgrt_event_impl *[num_preconditions]);
    pre.refs = pre.heap.get();
    TGRT_GUARD_END
  }
  for (uint32_t i = 0; i < num_preconditions; ++i) {
    const uint64_t h = reinterpret_cast<uint64_t>(preconditions[i]);
    tgrt_event_impl *e =
        static_cast<tgrt_event_impl *>(HandleTable::events().pin(h));
    if (!e)
      return setError(TGRT_ERROR_INVALID_HANDLE,
                      "tgrt_graph_replay: precondition " + std::to_string(i) +
                          (h ? " is not a live event handle (released, its "
                               "runtime destroyed, or not an event)"
                             : " is a null event handle"));
    e->retain();
    HandleTable::events().unpin(h);
    pre.refs[pre.taken++] = e;
    if (e->rt != g->rt)
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "tgrt_graph_replay: precondition " + std::to_string(i) +
                          " belongs to another runtime");
  }
  if (num_params != g->program.numParams)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_graph_replay: graph '" + g->name + "' takes " +
                        std::to_string(g->program.numParams) +
                        " parameters, got " + std::to_string(num_params));
  if (num_params && !params)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_graph_replay: params is null");
  if (out_done)
    *out_done = nullptr;
  TGRT_GUARD_BEGIN
  tgrt_event_impl *done = nullptr;
  TGRT_TRY(g->replay(pre.refs, num_preconditions, params,
                     out_done ? &done : nullptr));
  if (out_done)
    *out_done = reinterpret_cast<tgrt_event>(done->handle);
  return TGRT_OK;
  TGRT_GUARD_END
}

/// Waits until no replay of `g` is queued or running, for entry point `fn`;
/// refuses (instead of hanging) if one waits on an untriggered precondition.
static tgrt_status waitIdleFor(tgrt_graph g, const char *fn) {
  if (g->blockedOnPreconditions())
    return setError(TGRT_ERROR_INVALID_STATE,
                    std::string(fn) + ": a replay waits for a precondition "
                                      "that has not triggered");
  if (!g->waitIdleUnlessStuck())
    return g->checkNotStuck(fn) != TGRT_OK
               ? TGRT_ERROR_INVALID_STATE
               : setError(TGRT_ERROR_INVALID_STATE,
                          std::string(fn) + ": a replay timed out");
  return TGRT_OK;
}

tgrt_status tgrt_graph_set_replay_timeout(tgrt_graph gh, uint64_t timeout_ns) {
  TGRT_PIN_GRAPH(gh, checkGraph, "tgrt_graph_set_replay_timeout");
  TGRT_GUARD_BEGIN
  if (timeout_ns)
    g->rt->watch(g); // before the limit is visible to a replay start
  g->st.timeoutNs.store(timeout_ns, std::memory_order_relaxed);
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_wait_idle(tgrt_graph gh) {
  TGRT_PIN_GRAPH(gh, checkGraph, "tgrt_graph_wait_idle");
  return waitIdleFor(g, "tgrt_graph_wait_idle");
}

tgrt_status tgrt_graph_get_result(tgrt_graph gh, uint32_t node, uint32_t result,
                                  uint64_t *out_bits) {
  const char *fn = "tgrt_graph_get_result";
  TGRT_PIN_GRAPH(gh, checkFinalized, fn);
  TGRT_TRY(g->checkNode(node, fn));
  TGRT_TRY(checkOut(out_bits, fn, "out_bits"));
  const XNode &x = g->program.nodes[node];
  if (result >= x.numResults)
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(fn) + ": node " + std::to_string(node) +
                        " has no result " + std::to_string(result));
  TGRT_TRY(waitIdleFor(g, "tgrt_graph_get_result"));
  *out_bits = g->shared.slots[x.resultSlot + result];
  return TGRT_OK;
}

tgrt_status tgrt_graph_node_issued(tgrt_graph gh, uint32_t node,
                                   int32_t *out_issued) {
  const char *fn = "tgrt_graph_node_issued";
  TGRT_PIN_GRAPH(gh, checkFinalized, fn);
  TGRT_TRY(g->checkNode(node, fn));
  TGRT_TRY(checkOut(out_issued, fn, "out_issued"));
  *out_issued = g->st.issued[g->program.nodes[node].state].load(
      std::memory_order_acquire);
  return TGRT_OK;
}

tgrt_status tgrt_graph_set_tracing(tgrt_graph gh, int32_t enabled) {
  TGRT_PIN_GRAPH(gh, checkGraph, "tgrt_graph_set_tracing");
  TGRT_TRY(waitIdleFor(g, "tgrt_graph_set_tracing"));
  TGRT_GUARD_BEGIN
  // Replays start under g->mu: holding it, an idle graph stays idle while
  // the replay path's unlocked reads of `tracing` and `trace` change.
  std::lock_guard<std::mutex> lock(g->st.mu);
  if (g->st.running || !g->st.queued.empty())
    return setError(TGRT_ERROR_INVALID_STATE,
                    "tgrt_graph_set_tracing: graph '" + g->name +
                        "' started a replay meanwhile; change tracing while "
                        "no other thread replays it");
  g->tracing.enabled = enabled != 0;
  if (g->tracing.enabled && g->finalized)
    g->tracing.spans.assign(g->numNodes(), Tracing::Span{});
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_graph_set_capture(tgrt_graph gh, int32_t enabled) {
  TGRT_PIN_GRAPH(gh, checkGraph, "tgrt_graph_set_capture");
  // The issuer applies both before its next replay (it owns the recording).
  g->recorder.captureEnabled.store(enabled != 0, std::memory_order_relaxed);
  g->recorder.captureGeneration.fetch_add(1, std::memory_order_release);
  return TGRT_OK;
}

tgrt_status tgrt_graph_last_replay_captured(tgrt_graph gh,
                                            int32_t *out_captured) {
  TGRT_PIN_GRAPH(gh, checkGraph, "tgrt_graph_last_replay_captured");
  TGRT_TRY(checkOut(out_captured, "tgrt_graph_last_replay_captured",
                    "out_captured"));
  *out_captured =
      g->recorder.lastReplayCaptured.load(std::memory_order_acquire);
  return TGRT_OK;
}

tgrt_status tgrt_graph_write_trace(tgrt_graph gh, const char *path) {
  TGRT_PIN_GRAPH(gh, checkFinalized, "tgrt_graph_write_trace");
  if (!validName(path))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "tgrt_graph_write_trace: path is null or empty");
  TGRT_TRY(waitIdleFor(g, "tgrt_graph_write_trace"));
  TGRT_GUARD_BEGIN
  return g->writeTrace(path);
  TGRT_GUARD_END
}

//===--- Events -----------------------------------------------------------===//

tgrt_status tgrt_event_create(tgrt_runtime rh, tgrt_event *out_event) {
  TGRT_PIN_RUNTIME(rh, "tgrt_event_create");
  TGRT_TRY(checkOut(out_event, "tgrt_event_create", "out_event"));
  TGRT_GUARD_BEGIN
  tgrt_event_impl *event = rt->newEvent(1);
  event->user = true;
  *out_event = reinterpret_cast<tgrt_event>(event->handle);
  return TGRT_OK;
  TGRT_GUARD_END
}

/// Only events made by tgrt_event_create are the caller's to trigger: a
/// replay's completion event triggered early would let a waiter run ahead
/// of the replay.
static tgrt_status checkUserEvent(const tgrt_event_impl *e, const char *fn) {
  if (e->user)
    return TGRT_OK;
  return setError(TGRT_ERROR_INVALID_ARGUMENT,
                  std::string(fn) +
                      ": the event is a replay's completion event, which the "
                      "runtime triggers; only events made by "
                      "tgrt_event_create can be triggered");
}

tgrt_status tgrt_event_trigger(tgrt_event eh) {
  TGRT_REF_EVENT(eh, "tgrt_event_trigger");
  TGRT_TRY(checkUserEvent(e, "tgrt_event_trigger"));
  if (!e->trigger(false, nullptr))
    return setError(TGRT_ERROR_ALREADY,
                    "tgrt_event_trigger: the event has already triggered");
  return TGRT_OK;
}

tgrt_status tgrt_event_trigger_failed(tgrt_event eh, const char *message) {
  TGRT_REF_EVENT(eh, "tgrt_event_trigger_failed");
  TGRT_TRY(checkUserEvent(e, "tgrt_event_trigger_failed"));
  TGRT_GUARD_BEGIN
  std::string msg = message ? message : "failed";
  if (!e->trigger(true, &msg))
    return setError(TGRT_ERROR_ALREADY,
                    "tgrt_event_trigger_failed: the event has already "
                    "triggered");
  return TGRT_OK;
  TGRT_GUARD_END
}

tgrt_status tgrt_event_query(tgrt_event eh) {
  TGRT_REF_EVENT(eh, "tgrt_event_query");
  return eventResult(e, "tgrt_event_query");
}

tgrt_status tgrt_event_wait(tgrt_event eh) {
  TGRT_REF_EVENT(eh, "tgrt_event_wait");
  e->wait(nullptr);
  return eventResult(e, "tgrt_event_wait");
}

tgrt_status tgrt_event_wait_timeout(tgrt_event eh, uint64_t timeout_ns) {
  TGRT_REF_EVENT(eh, "tgrt_event_wait_timeout");
  if (!e->wait(&timeout_ns))
    return setError(TGRT_ERROR_TIMEOUT, "tgrt_event_wait_timeout: timed out");
  return eventResult(e, "tgrt_event_wait_timeout");
}

tgrt_status tgrt_event_release(tgrt_event eh) {
  const uint64_t handle = reinterpret_cast<uint64_t>(eh);
  if (!handle)
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    "tgrt_event_release: event handle is null");
  // Retiring refuses every later use of this handle (a second release
  // included); the object goes back to the pool once its last reference
  // (a replay waiting on it, say) is dropped, under a new handle.
  auto *e =
      static_cast<tgrt_event_impl *>(HandleTable::events().retire(handle));
  if (!e)
    return setError(TGRT_ERROR_INVALID_HANDLE,
                    "tgrt_event_release: not a live event handle (released "
                    "already, its runtime destroyed, or not an event)");
  e->release();
  return TGRT_OK;
}

} // extern "C"
