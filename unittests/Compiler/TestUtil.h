//===- TestUtil.h - helpers for the compiler unit tests ---------*- C++ -*-===//
//
// String checks on printed IR (a small FileCheck: substrings, in order) and
// unwrapping of llvm::Expected / llvm::Error in GoogleTest assertions.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_UNITTESTS_COMPILER_TESTUTIL_H
#define TGRAPH_UNITTESTS_COMPILER_TESTUTIL_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <initializer_list>
#include <string>

namespace tgraph_test {

inline std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

/// Each of `needles` occurs in `text`, in this order (like CHECK lines).
inline ::testing::AssertionResult
containsInOrder(const std::string &text,
                std::initializer_list<std::string> needles) {
  size_t pos = 0;
  for (const std::string &needle : needles) {
    size_t found = text.find(needle, pos);
    if (found == std::string::npos)
      return ::testing::AssertionFailure()
             << "expected \"" << needle << "\" after offset " << pos << " in:\n"
             << text;
    pos = found + needle.size();
  }
  return ::testing::AssertionSuccess();
}

/// The message of `error` (which must be a failure).
inline std::string messageOf(llvm::Error error) {
  if (!error)
    return "<success>";
  return llvm::toString(std::move(error));
}
template <typename T> std::string messageOf(llvm::Expected<T> &value) {
  if (value)
    return "<success>";
  return llvm::toString(value.takeError());
}

} // namespace tgraph_test

/// Unwraps an llvm::Expected or fails the test with its message.
#define ASSERT_EXPECTED(var, expr)                                             \
  auto var##OrErr = (expr);                                                    \
  ASSERT_TRUE(static_cast<bool>(var##OrErr))                                   \
      << llvm::toString(var##OrErr.takeError());                               \
  auto &var = *var##OrErr

/// Asserts that an llvm::Error is success, printing its message if not.
#define ASSERT_NO_ERROR(expr)                                                  \
  do {                                                                         \
    llvm::Error err_ = (expr);                                                 \
    ASSERT_FALSE(static_cast<bool>(err_)) << llvm::toString(std::move(err_));  \
  } while (false)

#endif // TGRAPH_UNITTESTS_COMPILER_TESTUTIL_H
