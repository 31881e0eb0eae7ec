//===- Handles.cpp - Generation-tagged handles ----------------------------===//
//
// See Handles.h. Pins and retirement are one atomic word per slot, so a
// call racing a destroy either pins before the retirement (and the destroy
// waits for it) or sees the retirement (and is refused).
//
//===----------------------------------------------------------------------===//

#include "Handles.h"

#include <mutex>
#include <new>
#include <thread>

using namespace tgraph::rt;

namespace {
std::mutex tableMu; // allocation and the free list of every table
} // namespace

HandleTable &HandleTable::graphs() {
  // Never destroyed: handles may be checked during static destruction.
  static HandleTable *table = new HandleTable();
  return *table;
}

HandleTable &HandleTable::runtimes() {
  static HandleTable *table = new HandleTable();
  return *table;
}

HandleTable &HandleTable::events() {
  static HandleTable *table = new HandleTable();
  return *table;
}

HandleTable::Slot *HandleTable::slot(uint64_t handle) const {
  const uint32_t low = static_cast<uint32_t>(handle);
  if (low == 0 || low > uint64_t(kMaxChunks) * kChunkSize)
    return nullptr;
  const uint32_t index = low - 1;
  Slot *chunk = chunks[index >> kChunkBits].load(std::memory_order_acquire);
  return chunk ? &chunk[index & (kChunkSize - 1)] : nullptr;
}

uint64_t HandleTable::add(void *object) {
  std::lock_guard<std::mutex> lock(tableMu);
  uint32_t index = firstFree;
  if (index == UINT32_MAX) {
    if (numSlots == kMaxChunks * kChunkSize)
      return 0;
    index = numSlots;
    if ((index & (kChunkSize - 1)) == 0) {
      Slot *chunk = new (std::nothrow) Slot[kChunkSize];
      if (!chunk)
        return 0;
      chunks[index >> kChunkBits].store(chunk, std::memory_order_release);
    }
    ++numSlots;
  }
  Slot &s = *slot(uint64_t(index) + 1);
  firstFree = index == firstFree ? s.nextFree : firstFree;
  s.object = object;
  const uint64_t generation = s.state.load(std::memory_order_relaxed) >> 32;
  // Published by the release store: a pin that sees this generation sees
  // the object.
  s.state.store(generation << 32, std::memory_order_release);
  return generation << 32 | (uint64_t(index) + 1);
}

void *HandleTable::pin(uint64_t handle) {
  Slot *s = slot(handle);
  if (!s)
    return nullptr;
  uint64_t w = s->state.load(std::memory_order_acquire);
  for (;;) {
    if ((w >> 32) != (handle >> 32) || (w & kRetired) || (w & kPins) == kPins)
      return nullptr;
    if (s->state.compare_exchange_weak(w, w + 1, std::memory_order_acq_rel,
                                       std::memory_order_acquire))
      return s->object;
  }
}

void HandleTable::unpin(uint64_t handle) {
  slot(handle)->state.fetch_sub(1, std::memory_order_acq_rel);
}

void *HandleTable::retire(uint64_t handle) {
  Slot *s = slot(handle);
  if (!s)
    return nullptr;
  uint64_t w = s->state.load(std::memory_order_acquire);
  for (;;) {
    if ((w >> 32) != (handle >> 32) || (w & kRetired))
      return nullptr;
    if (s->state.compare_exchange_weak(w, w | kRetired,
                                       std::memory_order_acq_rel,
                                       std::memory_order_acquire))
      break;
  }
  // Calls pinned before the retirement finish; they are short (or wait for
  // replays, which the destroy waits for anyway).
  while (s->state.load(std::memory_order_acquire) & kPins)
    std::this_thread::yield();
  return s->object;
}

void HandleTable::revive(uint64_t handle) {
  slot(handle)->state.fetch_and(~kRetired, std::memory_order_acq_rel);
}

static uint64_t nextGeneration(uint64_t handle) {
  uint64_t generation = (handle >> 32) + 1;
  return generation > UINT32_MAX ? 1 : generation; // no handle is 0
}

uint64_t HandleTable::renew(uint64_t handle) {
  Slot *s = slot(handle);
  uint64_t w = s->state.load(std::memory_order_relaxed);
  for (;;) {
    // Pins of a stale handle that raced the last retirement keep counting
    // until they unpin; only the generation and the retired bit change.
    const uint64_t generation = nextGeneration(w & ~uint64_t(UINT32_MAX));
    const uint64_t next = generation << 32 | (w & kPins);
    if (s->state.compare_exchange_weak(w, next, std::memory_order_acq_rel,
                                       std::memory_order_relaxed))
      return generation << 32 | static_cast<uint32_t>(handle);
  }
}

void HandleTable::free(uint64_t handle) {
  Slot *s = slot(handle);
  const uint64_t generation = nextGeneration(handle);
  std::lock_guard<std::mutex> lock(tableMu);
  s->object = nullptr;
  s->state.store(generation << 32 | kRetired, std::memory_order_release);
  s->nextFree = firstFree;
  firstFree = static_cast<uint32_t>(handle) - 1;
}
