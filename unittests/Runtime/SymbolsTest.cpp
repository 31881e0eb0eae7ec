//===- SymbolsTest.cpp - tgrt_symbols.def matches tgrt.h ------------------===//
//
// The lowering declares the runtime functions it calls from one table,
// include/tgraph/Runtime/tgrt_symbols.def: TGRT_SYMBOL(name, "params") with
// p = pointer or handle, i = 32-bit integer or enum, l = 64-bit integer, and
// every function returning tgrt_status. This checks at compile time that
// each row agrees with the declaration in tgrt.h (arity and the class of
// every parameter), so the table cannot drift from the ABI.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <type_traits>

namespace {

template <typename T> constexpr char abiClass() {
  if constexpr (std::is_pointer_v<T>)
    return 'p';
  else if constexpr ((std::is_integral_v<T> || std::is_enum_v<T>) &&
                     sizeof(T) == 4)
    return 'i';
  else if constexpr (std::is_integral_v<T> && sizeof(T) == 8)
    return 'l';
  else
    return '?';
}

template <typename R, typename... A>
constexpr bool matches(R (*)(A...), const char *spec) {
  if (!std::is_same_v<R, tgrt_status>)
    return false;
  const char classes[] = {abiClass<A>()..., '\0'};
  for (size_t i = 0; i <= sizeof...(A); ++i) {
    // s (a string) and o (an out-parameter) are pointers too.
    char c = spec[i] == 's' || spec[i] == 'o' ? 'p' : spec[i];
    if (c != classes[i])
      return false;
  }
  return true;
}

/// Every program opcode appears once, and only on rows that create or
/// change a graph (never create, destroy, finalize or build themselves).
constexpr bool opcodesUnique() {
  bool seen[64] = {};
#define TGRT_SYMBOL(name, params, opcode)                                      \
  if (int(opcode) != 0) {                                                      \
    if (opcode >= 64 || seen[opcode])                                          \
      return false;                                                            \
    seen[opcode] = true;                                                       \
  }
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
  for (int op = TGRT_OP_SET_NUM_PARAMS; op <= TGRT_OP_EXPECT_DEPS; ++op)
    if (!seen[op])
      return false;
  return true;
}
static_assert(opcodesUnique(),
              "tgrt_symbols.def: each tgrt_program_op on exactly one row");

#define TGRT_SYMBOL(name, params, opcode)                                      \
  static_assert(matches(&name, params),                                        \
                #name ": tgrt_symbols.def does not match tgrt.h");
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL

TEST(Symbols, TableListsEachSymbolOnce) {
  std::set<std::string> names;
  size_t count = 0;
#define TGRT_SYMBOL(name, params, opcode)                                      \
  names.insert(#name);                                                         \
  ++count;
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
  EXPECT_EQ(names.size(), count);
  EXPECT_TRUE(names.count("tgrt_graph_add_task"));
}

} // namespace
