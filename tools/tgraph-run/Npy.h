//===- Npy.h - read and write NumPy .npy files ------------------*- C++ -*-===//
//
// A small reader and writer for NumPy's .npy format (versions 1.0, 2.0 and
// 3.0): a magic string, a version, a header length, a Python dict literal
// {'descr': ..., 'fortran_order': ..., 'shape': (...)} and the raw elements.
// Only what tgraph-run's buffers need: plain numeric dtypes (bool, signed
// and unsigned integers, floats). No MLIR here.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_RUN_NPY_H
#define TGRAPH_RUN_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tgraph_run {

/// A NumPy dtype of one number: its kind ('b' bool, 'i' signed integer,
/// 'u' unsigned integer, 'f' float, or another NumPy kind character that
/// tgraph-run does not support) and its size in bytes.
struct NpyDType {
  char kind = 0;
  unsigned itemSize = 0;
  bool operator==(const NpyDType &o) const {
    return kind == o.kind && itemSize == o.itemSize;
  }
  /// The dtype's string as a little-endian .npy header writes it: `<f8`,
  /// `|b1` (one-byte types have no byte order).
  std::string str() const;
};

/// A .npy file's contents, its elements little-endian (big-endian files are
/// swapped when they are read).
struct NpyArray {
  /// The `descr` string exactly as the file has it, for messages.
  std::string descr;
  NpyDType dtype;
  std::vector<uint64_t> shape;
  uint64_t numElements = 1;
  std::vector<char> data;
};

/// Reads `path`. Errors are messages that start with the path, e.g.
/// "x.npy is not a NumPy .npy file".
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Parses a whole .npy file held in memory; `name` names it in errors.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef name,
                                  llvm::ArrayRef<char> contents);

/// The bytes of a version 1.0 .npy file (2.0 when the header needs it) of
/// the given dtype and shape in C order; `data` holds the elements,
/// little-endian.
std::vector<char> formatNpy(NpyDType dtype, llvm::ArrayRef<uint64_t> shape,
                            llvm::ArrayRef<char> data);

/// "(2, 3)" or "(4,)": a shape as NumPy prints it.
std::string shapeString(llvm::ArrayRef<uint64_t> shape);

} // namespace tgraph_run

#endif // TGRAPH_RUN_NPY_H
