//===- BufferFiles.h - tgraph-run's --input and --output --------*- C++ -*-===//
//
// Binds .npy files to buffer arguments of graphs: `--input NAME=FILE`
// initialises a buffer before the first replay, `--output NAME=FILE` writes
// it after the last. NAME is the argument's name in the source (`%x` is
// `x`), or `#N` for argument N; `GRAPH.NAME` picks a graph when several
// run. Everything the user can get wrong is checked up front (`prepare`),
// before any graph runs. See docs/tgraph-run.md.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_RUN_BUFFERFILES_H
#define TGRAPH_RUN_BUFFERFILES_H

#include "Npy.h"

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace tgraph_run {

/// One argument of a graph as the user wrote it.
struct ArgumentInfo {
  /// The name without `%`; empty if unknown (e.g. a bytecode input).
  std::string name;
  /// The argument's type (a !tgraph.buffer for buffers).
  mlir::Type type;
};

/// A graph that runs, with its arguments.
struct GraphInfo {
  std::string name;
  std::vector<ArgumentInfo> args;
};

/// An --input or --output bound to a buffer argument.
struct BufferFile {
  /// The flag as given: "--input x=x.npy".
  std::string flag;
  std::string graph;
  unsigned arg = 0;
  /// How messages name the buffer: "'x'" or "#3".
  std::string label;
  std::string path;
  NpyDType dtype;
  /// Inputs: the buffer's bytes (elements little-endian).
  std::vector<char> data;
};

/// The NumPy dtype of a buffer's elements: f64 <f8, f32 <f4, f16 <f2,
/// i1 |b1, signless and signed integers of 8 to 64 bits <iN, unsigned
/// <uN, index <i8; none for other element types (bf16, i24, ...).
std::optional<NpyDType> npyTypeOf(mlir::Type elementType);

class BufferFiles {
public:
  /// Resolves the flags' names in `graphs`, reads and checks every input
  /// and checks that every output can be created. Errors start with the
  /// flag: "--input x=x.npy: buffer 'x' is f64 but x.npy holds <i8".
  static llvm::Expected<BufferFiles>
  prepare(llvm::ArrayRef<std::string> inputs,
          llvm::ArrayRef<std::string> outputs,
          llvm::ArrayRef<GraphInfo> graphs);

  /// The input of argument `arg` of graph `graph`, or null.
  const BufferFile *input(llvm::StringRef graph, unsigned arg) const;
  /// The outputs of graph `graph`.
  std::vector<const BufferFile *> outputsOf(llvm::StringRef graph) const;

  /// Writes `contents` (the buffer's bytes) to the output's file.
  static llvm::Error write(const BufferFile &output,
                           llvm::ArrayRef<char> contents);

private:
  std::vector<BufferFile> inputs, outputs;
};

} // namespace tgraph_run

#endif // TGRAPH_RUN_BUFFERFILES_H
