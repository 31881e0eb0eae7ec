//===- CallingConvention.h - how a graph is called --------------*- C++ -*-===//
//
// The one description of a compiled graph's calling convention, shared by
// the lowering (convert-tgraph-to-runtime) and compile() with its replays
// (tgraph/Execution/CompiledModule.h):
//
// * parameters: the graph's non-event, non-predicate arguments (buffers and
//   scalars), numbered in argument order; event arguments are the replay's
//   preconditions;
// * node ids: tasks, copies and joins, numbered in block order;
// * words: every scalar, pointer and task value travels as one 64-bit word:
//   integers sign-extended (i1 as 0 or 1), floats as their bits (f32
//   zero-extended), pointers as addresses.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_CONVERSION_CALLINGCONVENTION_H
#define TGRAPH_CONVERSION_CALLINGCONVENTION_H

#include "mlir/IR/Attributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>

namespace mlir {
class Operation;
namespace tgraph {
class GraphOp;

/// The name of the function that instantiates graph `graph`.
std::string instantiateFunctionName(llvm::StringRef graph);

/// The runtime node id of each task, copy and join of `graph`: their order
/// in the block.
llvm::DenseMap<Operation *, unsigned> runtimeNodeIds(GraphOp graph);

/// The parameter index of each argument of `graph`, in argument order, or
/// none for event (precondition) and predicate arguments.
llvm::SmallVector<std::optional<unsigned>> graphParams(GraphOp graph);

/// The word a constant (integer, bool or float attribute) is passed as, or
/// none when it is not a scalar.
std::optional<uint64_t> wordOf(Attribute attr);

/// The word of a C++ scalar, float or pointer (the same encoding as wordOf).
template <typename T> uint64_t toWord(T value) {
  if constexpr (std::is_pointer_v<T>) {
    return reinterpret_cast<uintptr_t>(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    if constexpr (sizeof(T) == 4) {
      uint32_t bits;
      std::memcpy(&bits, &value, 4);
      return bits;
    } else {
      uint64_t bits;
      double d = value;
      std::memcpy(&bits, &d, 8);
      return bits;
    }
  } else {
    static_assert(std::is_integral_v<T>, "a scalar, float or pointer");
    return static_cast<uint64_t>(static_cast<int64_t>(value));
  }
}

/// The inverse of toWord.
template <typename T> T fromWord(uint64_t word) {
  if constexpr (std::is_pointer_v<T>) {
    return reinterpret_cast<T>(static_cast<uintptr_t>(word));
  } else if constexpr (std::is_same_v<T, bool>) {
    return word != 0;
  } else if constexpr (std::is_floating_point_v<T>) {
    if constexpr (sizeof(T) == 4) {
      uint32_t bits = static_cast<uint32_t>(word);
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    } else {
      double d;
      std::memcpy(&d, &word, 8);
      return static_cast<T>(d);
    }
  } else {
    static_assert(std::is_integral_v<T>, "a scalar, float or pointer");
    return static_cast<T>(static_cast<int64_t>(word));
  }
}

} // namespace tgraph
} // namespace mlir

#endif // TGRAPH_CONVERSION_CALLINGCONVENTION_H
