//===- Generator.h - Task Bench graphs as tgraph IR -------------*- C++ -*-===//
//
// Builds the task graphs of Task Bench (Slaughter et al., SC20) as
// `tgraph.graph` ops, and exposes Task Bench's dependence function itself so
// that tests and a validating benchmark can compare the IR (or a run) with
// it. A graph is `steps` timesteps x `width` points; task (t, i) depends only
// on tasks of timestep t - 1, through a list of inclusive point intervals.
//
// Two forms are generated:
//  * logical (default): tasks read and write buffers in program order and
//    `tgraph-infer-deps` derives the edges. Each task writes its own output
//    slot, buffer [t % B][i] (B = `buffers`, 2 = double buffering), and reads
//    the slots of its dependences in row t - 1. The inferred edges are
//      RAW (t-1, j) -> (t, i) for j in dependencies(t, i)   (Task Bench's),
//      WAR (t-B+1, k) -> (t, i) for every k that read slot [t % B][i],
//      WAW (t-B, i) -> (t, i),
//    the last two only because slots are reused. With B = 2 and a symmetric
//    pattern (no_comm, stencil_1d[_periodic], all_to_all, odd-radix nearest)
//    the WAR edges are exactly the RAW edges; WAW is implied by RAW + WAR
//    whenever some task of row t-1 read (t-2, i). `buffers = 0` gives every
//    task its own slot: then the edges are exactly Task Bench's.
//  * physical: no buffers; every task awaits the events of its dependences
//    (and the graph's precondition when it has none), which is already the
//    form every later pass works on. The graph yields a join of the sinks.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_TASKBENCH_GENERATOR_H
#define TGRAPH_TASKBENCH_GENERATOR_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::tgraph::taskbench {

/// Task Bench's dependence patterns (`-type`).
enum class DependenceType {
  Trivial,
  NoComm,
  Stencil1D,
  Stencil1DPeriodic,
  Dom,
  Tree,
  FFT,
  AllToAll,
  Nearest,
  Spread,
  RandomNearest,
};

/// The pattern spelled `name` as in Task Bench (`stencil_1d`, ...), if any.
std::optional<DependenceType> parsePattern(llvm::StringRef name);
/// Task Bench's spelling of `pattern`.
llvm::StringRef getPatternName(DependenceType pattern);
/// Every pattern name, in Task Bench's order (for help and error messages).
llvm::ArrayRef<llvm::StringRef> getPatternNames();

/// The parameters of one Task Bench graph plus how to emit it. Defaults are
/// Task Bench's, except `kernel` (a tgraph kernel symbol, not a kernel type).
struct Params {
  DependenceType pattern = DependenceType::Trivial;
  int64_t steps = 4; ///< T, > 0.
  int64_t width = 4; ///< W, > 0.
  /// Dependences per task for nearest, spread and random_nearest (>= 0).
  int64_t radix = 3;
  /// Number of dependence sets of spread and random_nearest; -1 means Task
  /// Bench's default (3 for those, 0 for the others, which take no period).
  int64_t period = -1;
  /// Probability that random_nearest keeps a non-self dependence, in [0, 1].
  double fraction = 0.25;
  /// Bytes each task writes and each dependent reads (>= 16).
  int64_t outputBytes = 16;
  /// Task Bench's graph index; only seeds random_nearest's hash.
  int64_t graphIndex = 0;

  /// Name of the `tgraph.graph`.
  std::string graphName = "task_bench";
  /// Kernel symbol; the logical form appends `_in<N>` (see generate()).
  std::string kernel = "empty";
  /// GPU kernels (stream-ordered) and `gpu` buffers instead of CPU / host.
  bool gpu = false;
  /// Emit explicit awaits (physical form) instead of buffer accesses.
  bool physical = false;
  /// Output slots per point in the logical form: 2 = double buffering,
  /// 0 = one slot per task (no reuse, no WAR/WAW edges). Never 1: a task
  /// would overwrite the slot its own inputs live in.
  int64_t buffers = 2;
};

/// An inclusive interval [first, second] of points.
using Interval = std::pair<int64_t, int64_t>;

/// Checks `params` against Task Bench's rules (and ours) and resolves the
/// defaults (`period`). Every other function here expects checked params.
/// The error message names the offending flag, e.g. "-width 0 must be > 0".
llvm::Error checkParams(Params &params);

/// Number of points active in timestep `t` (Task Bench's width_at_timestep:
/// a wavefront for dom, min(W, 2^t) for tree, W otherwise); 0 outside
/// [0, steps).
int64_t widthAt(const Params &params, int64_t t);
/// First active point of timestep `t` (max(0, t + W - T) for dom, else 0).
int64_t offsetAt(const Params &params, int64_t t);
/// Number of dependence sets D the pattern cycles through (>= 1).
int64_t numDependenceSets(const Params &params);
/// The dependence set timestep `t` uses: (t + D - 1) mod D for fft,
/// t mod period for spread and random_nearest, 0 otherwise.
int64_t dependenceSetAt(const Params &params, int64_t t);

/// The points of timestep t - 1 that task (t, i) reads: Task Bench's
/// dependencies(dset, i) clipped to the active points of row t - 1, as
/// sorted, disjoint, non-adjacent intervals. Empty for t = 0 and for a point
/// that is not active in row t. Appends to `out` (cleared first).
void dependencies(const Params &params, int64_t t, int64_t i,
                  llvm::SmallVectorImpl<Interval> &out);
/// The same, returned by value.
std::vector<Interval> dependencies(const Params &params, int64_t t, int64_t i);

/// Task Bench's deterministic uniform number in [0, 1) for a tuple of
/// integers (MurmurHash3 x64-128, seed 1234567, of their 8-byte
/// little-endian encoding); random_nearest keeps point j for task i when
/// randomUniform({graph, radix, set, j, i}) < fraction.
double randomUniform(llvm::ArrayRef<int64_t> key);

/// Number of tasks (sum of widthAt over all timesteps).
uint64_t countTasks(const Params &params);
/// Number of task-to-task dependences (points in all dependence intervals).
uint64_t countDependencies(const Params &params);

/// Builds the graph (and the kernels it calls) at `builder`'s insertion
/// point, which must be in a module body. Kernels are
///   logical:  @<kernel>_in<N>(i64 t, i64 i, out, in_1 ... in_N)
///             with one declaration per input count N that occurs, buffers
///             !tgraph.buffer<i8 x ?, host|gpu>;
///   physical: @<kernel>(i64 t, i64 i), and so is trivial's logical form
///             (nothing reads an output, so its tasks get no buffer).
/// Kernels already declared with the same name, type and target are reused.
/// Fails (with a message) on bad params (checked on a copy), or when the
/// graph's or a kernel's name is taken by something else.
llvm::Expected<GraphOp> generate(OpBuilder &builder, const Params &params);

/// Builds a fresh module holding one generated graph per entry of `graphs`
/// (Task Bench's `-and`), in order; the graphs share kernels of the same
/// name and signature. Checks each entry first. Loads the tgraph and arith
/// dialects into `context`.
llvm::Expected<OwningOpRef<ModuleOp>>
generateModule(MLIRContext *context, llvm::ArrayRef<Params> graphs);

} // namespace mlir::tgraph::taskbench

#endif // TGRAPH_TASKBENCH_GENERATOR_H
