//===- StreamBackend.h - The stream/event interface of the runtime --------===//
//
// The one interface through which the replay engine drives device streams.
// It has two implementations: emulated streams (CPU threads with FIFO order
// and events, lib/Runtime/EmulatedStreams.cpp) so that runahead and ordering
// are exercised without a GPU, and CUDA streams (runtime-cuda/). Stream ids
// are global: gpu g, compute stream s is g * (S + C) + s; copy stream c is
// g * (S + C) + S + c. Events are pooled integers owned by the backend.
//
// Methods called while replaying (enqueue*, record/waitEvent) are called from
// the issuer thread of the stream they name, or, for a graph replayed by a
// single issuer (all-device graphs, Replay.cpp), from that graph's issuer:
// so enqueueing must be thread-safe per stream (CUDA's is; emulated streams
// lock their FIFO).
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_RUNTIME_STREAMBACKEND_H
#define TGRAPH_RUNTIME_STREAMBACKEND_H

#include "tgraph/Runtime/tgrt.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tgraph {
namespace rt {

using HostFn = void (*)(void *);

/// One step of a predicate program, evaluated with a small stack (postfix).
struct PredInstr {
  enum Op : int32_t { PushConst = 0, PushSlot = 1, Not = 2, And = 3, Or = 4 };
  int32_t op;
  uint32_t operand; // the constant, or the value slot
};
constexpr uint32_t kMaxPredStack = 32;

/// An else value to store when a guarded op turns out false.
struct ElseWrite {
  uint32_t slot;
  uint32_t pad;
  uint64_t bits;
};

/// Everything a device-side guard evaluation needs, as device pointers.
struct GuardLaunch {
  const PredInstr *program;
  uint32_t length;
  uint32_t numElses;
  const ElseWrite *elses;
  uint64_t *slots; // the value arena
  int32_t *flag;   // written: 1 = run, 0 = skip
};

/// Evaluates a predicate program over value slots (host side; the CUDA guard
/// kernel has its own copy). Returns false on a malformed program.
inline bool evalPredProgram(const PredInstr *program, uint32_t length,
                            const uint64_t *slots, bool &result) {
  bool stack[kMaxPredStack];
  uint32_t top = 0;
  for (uint32_t i = 0; i < length; ++i) {
    const PredInstr &in = program[i];
    switch (in.op) {
    case PredInstr::PushConst:
    case PredInstr::PushSlot:
      if (top == kMaxPredStack)
        return false;
      stack[top++] =
          in.op == PredInstr::PushConst
              ? in.operand != 0
              : __atomic_load_n(&slots[in.operand], __ATOMIC_RELAXED) != 0;
      break;
    case PredInstr::Not:
      if (top < 1)
        return false;
      stack[top - 1] = !stack[top - 1];
      break;
    case PredInstr::And:
    case PredInstr::Or:
      if (top < 2)
        return false;
      --top;
      stack[top - 1] = in.op == PredInstr::And ? (stack[top - 1] && stack[top])
                                               : (stack[top - 1] || stack[top]);
      break;
    default:
      return false;
    }
  }
  if (top != 1)
    return false;
  result = stack[0];
  return true;
}

class StreamBackend {
public:
  virtual ~StreamBackend() = default;

  virtual bool isEmulated() const = 0;
  virtual uint32_t numStreams() const = 0;
  /// The handle a GPU kernel receives (cudaStream_t, or the emulated stream).
  virtual void *nativeStream(uint32_t stream) = 0;
  /// Makes the calling (issuer) thread ready to issue to `stream`, e.g. by
  /// selecting its GPU, so that kernels it launches land on the right device.
  virtual void bindThread(uint32_t stream) {}

  /// Runs `fn(arg)` on the stream, FIFO with its other work (emulated: on the
  /// stream's thread; CUDA: cudaLaunchHostFunc, so `fn` must not call CUDA).
  virtual tgrt_status enqueueHostFn(uint32_t stream, HostFn fn, void *arg,
                                    std::string &error) = 0;
  /// An asynchronous copy on the stream (CUDA only; the emulated engine
  /// copies inside a host function so that it can check predicates).
  virtual tgrt_status enqueueCopy(uint32_t stream, void *dst, const void *src,
                                  size_t bytes, std::string &error) = 0;
  /// Evaluates a guard on the device, in stream order (CUDA only).
  virtual tgrt_status enqueueGuard(uint32_t stream, const GuardLaunch &launch,
                                   std::string &error) = 0;

  /// A stream private to one instantiated graph, on the same GPU as `base`
  /// (the graph's dedicated copy streams, and the twins it records device
  /// graphs on). Both backends create one (emulation: one more thread) and
  /// pool it when released; a backend without streams of its own returns
  /// `base`.
  virtual tgrt_status acquirePrivateStream(uint32_t base, uint32_t &stream,
                                           std::string &error) {
    stream = base;
    return TGRT_OK;
  }
  virtual void releasePrivateStream(uint32_t base, uint32_t stream) {}

  /// Pooled events. recordEvent/waitEvent follow CUDA semantics: a wait
  /// waits for the most recent record enqueued before it.
  virtual tgrt_status acquireEvent(uint32_t &event, std::string &error) = 0;
  virtual void releaseEvent(uint32_t event) = 0;
  virtual tgrt_status recordEvent(uint32_t stream, uint32_t event,
                                  std::string &error) = 0;
  virtual tgrt_status waitEvent(uint32_t stream, uint32_t event,
                                std::string &error) = 0;

  /// Host memory the device can read and write (mapped pinned memory for
  /// CUDA), and its device address.
  virtual void *allocShared(size_t bytes) = 0;
  virtual void freeShared(void *ptr) = 0;
  virtual void *deviceAlias(void *hostPtr) = 0;

  /// Memory for buffers of a memory kind (TGRT_MEM_HOST or
  /// TGRT_MEM_DEVICE) and synchronous copies between kinds. Emulated streams
  /// run "device" work on the host, so device memory is host memory.
  virtual tgrt_status allocMemory(int32_t kind, size_t bytes, void *&out,
                                  std::string &error);
  virtual void freeMemory(int32_t kind, void *ptr);
  virtual tgrt_status copyMemory(void *dst, const void *src, size_t bytes,
                                 std::string &error);

  /// Device graphs: between beginCapture and endCapture, the work this
  /// thread enqueues on `origin` and `others` (streams of one GPU) is
  /// recorded instead of run; endCapture turns it into an executable device
  /// graph (`captured`: replaced, or updated in place when it is not null),
  /// or discards it when `keep` is false. launchCaptured enqueues it once on
  /// `origin`, ordered after earlier work there and before later work there.
  /// (Only there: the graph's work on its other streams is not ordered
  /// after earlier work on those streams. The emulation replays the
  /// recorded ops on the private twins they were recorded on, forked from
  /// and joined to `origin`, which orders exactly as much.)
  /// `token` carries the recording's state from begin to end.
  virtual bool supportsCapture() const { return false; }
  virtual tgrt_status beginCapture(uint32_t origin, const uint32_t *others,
                                   uint32_t numOthers, void *&token,
                                   std::string &error) {
    error = "this backend cannot record device graphs";
    return TGRT_ERROR_UNSUPPORTED;
  }
  virtual tgrt_status endCapture(uint32_t origin, const uint32_t *others,
                                 uint32_t numOthers, void *token, bool keep,
                                 void *&captured, std::string &error) {
    error = "this backend cannot record device graphs";
    return TGRT_ERROR_UNSUPPORTED;
  }
  virtual tgrt_status launchCaptured(void *captured, uint32_t origin,
                                     std::string &error) {
    error = "this backend cannot record device graphs";
    return TGRT_ERROR_UNSUPPORTED;
  }
  virtual void destroyCaptured(void *captured) {}

  /// Blocks until every stream is idle.
  virtual void synchronize() = 0;
};

std::unique_ptr<StreamBackend> createEmulatedBackend(uint32_t numStreams);

// The CUDA backend (runtime-cuda/, target tgrt_cuda) is opt-in at link
// time: the host core refers to it only through weak symbols, so tgrt links
// without it (and without libcudart) and these are null then. tgrt_cuda
// forces its definitions into every link that names it (the anchor below,
// runtime-cuda/CMakeLists.txt). Compiled inside the backend the
// declarations are ordinary.
#ifdef TGRT_CUDA_BACKEND
#define TGRT_BACKEND_WEAK
#else
#define TGRT_BACKEND_WEAK __attribute__((weak))
#endif

/// Creates streams on GPUs 0..numGpus-1. Returns null and sets `error` if
/// CUDA cannot provide them.
TGRT_BACKEND_WEAK std::unique_ptr<StreamBackend>
createCudaBackend(uint32_t numGpus, uint32_t streamsPerGpu,
                  uint32_t copyStreamsPerGpu, std::string &error);
TGRT_BACKEND_WEAK int cudaDeviceCountOrZero();

/// Whether the CUDA backend was linked (tgraph::tgrt_cuda).
inline bool cudaBackendLinked() {
  return createCudaBackend != nullptr && cudaDeviceCountOrZero != nullptr;
}

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_RUNTIME_STREAMBACKEND_H
