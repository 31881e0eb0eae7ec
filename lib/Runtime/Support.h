//===- Support.h - Small helpers shared by the runtime's files ------------===//
//
// The per-thread error message every C ABI call reports through, a clock, a
// spin-wait hint and a FIFO ring that allocates only when it grows (so that
// a replay's queues cost nothing once warm). Nothing here knows graphs.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_SUPPORT_H
#define TGRAPH_LIB_RUNTIME_SUPPORT_H

#include "tgraph/Runtime/tgrt.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tgraph {
namespace rt {

/// Records `message` as this thread's last error and returns `status`.
tgrt_status setError(tgrt_status status, std::string message);

inline uint64_t nowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// A FIFO on a growable ring buffer: it allocates only when it grows, so a
/// steady stream of push/pop allocates nothing.
template <typename T> class Ring {
public:
  /// Pre-sizes the ring so that pushes up to `n` queued items never allocate.
  void reserve(size_t n) {
    while (buf.size() < n)
      grow();
  }
  bool empty() const { return count == 0; }
  size_t size() const { return count; }
  void push(const T &value) {
    if (count == buf.size())
      grow();
    buf[(head + count) % buf.size()] = value;
    ++count;
  }
  T &front() { return buf[head]; }
  T pop() {
    T value = buf[head];
    head = (head + 1) % buf.size();
    --count;
    return value;
  }
  template <typename Fn> void forEach(Fn fn) const {
    for (size_t i = 0; i < count; ++i)
      fn(buf[(head + i) % buf.size()]);
  }

private:
  void grow() {
    std::vector<T> next(buf.empty() ? 16 : buf.size() * 2);
    for (size_t i = 0; i < count; ++i)
      next[i] = buf[(head + i) % buf.size()];
    buf.swap(next);
    head = 0;
  }
  std::vector<T> buf;
  size_t head = 0, count = 0;
};

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_SUPPORT_H
