//===- Handles.h - Handles that cannot be confused ------------------------===//
//
// A runtime, graph or event handle given to the user is not a pointer but a
// slot index and a generation: (generation << 32) | (slot + 1). Checking one
// reads only the table, never the graph, so a stale handle (its graph
// destroyed) is refused without touching freed memory, and a handle never names
// a newer graph that reuses its slot (the generation differs). Each call pins
// the graph while it runs; tgrt_graph_destroy first retires the handle (every
// later pin fails), waits for the calls already pinned to return, and only then
// frees the graph: a replay racing a destroy is either refused with
// TGRT_ERROR_INVALID_HANDLE or queued before the destroy waits for idle.
//
// Events are pooled: a pooled event keeps its slot for the life of its
// runtime, and each reuse renews the handle (a new generation), so the
// handle of a released event is refused even after its object has been
// handed out again. Runtimes are checked like graphs.
//
// The tables are process-wide (a handle must be checkable with nothing else
// to go on); slots live in chunks that are never freed or moved, so a
// lookup takes no lock. Allocation takes a mutex; freed slots are reused.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_HANDLES_H
#define TGRAPH_LIB_RUNTIME_HANDLES_H

#include <atomic>
#include <cstdint>

namespace tgraph {
namespace rt {

class HandleTable {
public:
  /// Registers `object`; returns its handle (never 0), or 0 when the table
  /// is full or out of memory.
  uint64_t add(void *object);
  /// The object of a live handle, pinned (not freed until unpin), or null.
  void *pin(uint64_t handle);
  void unpin(uint64_t handle);
  /// Makes `handle` refuse every later pin and waits until no pin remains;
  /// returns its object, or null if the handle was not live (retired
  /// already, or never valid).
  void *retire(uint64_t handle);
  /// Undoes retire (the destroy was refused): the handle is live again.
  void revive(uint64_t handle);
  /// Frees a retired handle's slot for reuse under a new generation.
  void free(uint64_t handle);
  /// The same slot and object under the next generation, live; every
  /// handle of an earlier generation is refused from now on. For pooled
  /// objects (events) handed out again: no lock, no allocation.
  uint64_t renew(uint64_t handle);

  static HandleTable &graphs();
  static HandleTable &runtimes();
  static HandleTable &events();

private:
  struct Slot {
    // generation (high 32 bits) | retired (bit 31) | pins (bits 0..30)
    std::atomic<uint64_t> state{uint64_t(1) << 32 | kRetired};
    void *object = nullptr;
    uint32_t nextFree = UINT32_MAX;
  };
  static constexpr uint64_t kRetired = uint64_t(1) << 31;
  static constexpr uint64_t kPins = kRetired - 1;
  static constexpr uint32_t kChunkBits = 12, kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kMaxChunks = 1u << 12; // 16M live handles
  Slot *slot(uint64_t handle) const;

  std::atomic<Slot *> chunks[kMaxChunks] = {};
  uint32_t numSlots = 0;           // guarded by tableMu (Handles.cpp)
  uint32_t firstFree = UINT32_MAX; // guarded by tableMu (Handles.cpp)
};

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_HANDLES_H
