//===- ReplayProgram.h - The frozen program a graph replays ---------------===//
//
// What finalize produces and every replay reads, never writes: one XNode per
// node (where it runs, its ranges into the flat arrays below), successor
// lists in CSR form, the per-processor queues, the argument words as built,
// predicate programs and else values, and the completion-callback ranges of
// each stream. It owns everything it refers to, node names included, so the
// builder is freed once the graph is finalized. Taskflow's graph.hpp plays
// this role there; what one replay changes is in ReplayState.h.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_REPLAYPROGRAM_H
#define TGRAPH_LIB_RUNTIME_REPLAYPROGRAM_H

#include "StreamBackend.h"

#include <cstdint>
#include <string>
#include <vector>

struct tgrt_graph_impl;

namespace tgraph {
namespace rt {

enum class NodeKind : uint8_t { Task, Copy, Join };
/// Where a node runs: on a CPU worker, issued to a stream, or inline (a
/// join, run by whichever thread satisfies its last dependence).
enum class ExecKind : uint8_t { Cpu, Stream, Inline };
enum PredMode : uint8_t { PredNone = 0, PredWait = 1, PredGuarded = 2 };

/// One frozen node. Hot data first.
struct XNode {
  NodeKind kind;
  ExecKind exec;
  uint8_t predMode;
  bool needsRecord; // a cross-stream device successor waits on its event
  bool callbackAfter;
  bool streamOrdered; // a copy, or a task of a stream-ordered kernel
  bool capturable;    // a task of a capturable kernel
  uint32_t proc;
  uint32_t stream;                     // backend stream id
  uint32_t issueBegin, issueEnd;       // succs released when issued
  uint32_t completeBegin, completeEnd; // succs released when complete
  uint32_t localEnd; // [completeEnd, localEnd): same-worker succs, which
                     // need no release (queue order), only poisoning
  uint32_t state;    // index into the per-replay counters and flags
  uint32_t waitBegin, waitEnd; // cross-stream device preds
  uint32_t argBegin, numArgs;
  uint32_t patchBegin, patchEnd;
  uint32_t resultSlot, numResults;
  uint32_t predBegin, predLength;
  uint32_t elseBegin, elseEnd; // into elseWrites
  uint32_t event;              // backend event, if needsRecord
  uint32_t callbackRange;      // if callbackAfter
  tgrt_kernel_fn fn;
  void *userData;
  void *dst;
  const void *src;
  uint64_t dstOffset, srcOffset, bytes;
  int64_t dstParam, srcParam;
  const char *name; // into ReplayProgram::names
  uint32_t gpu, streamLocal;
};

/// An argument word rewritten at replay time.
struct Patch {
  enum Kind : uint8_t { Param, Value };
  uint32_t argIndex; // into the argument words
  uint8_t kind;
  uint32_t index; // param, or value slot
};

/// The ops of one stream whose completion one callback reports.
struct CallbackRange {
  tgrt_graph_impl *graph;
  uint32_t queueBegin, queueEnd; // positions in queueNodes
};

/// The argument of an emulated stream's device body: which node it runs.
struct DeviceBodyArg {
  tgrt_graph_impl *graph;
  uint32_t node;
};

struct ReplayProgram {
  uint32_t numParams = 0;
  std::vector<XNode> nodes;
  /// Successors as state indices (see `nodeOfState`).
  std::vector<uint32_t> succs;
  /// Per-node replay state (counters and flags) is laid out in queue order,
  /// not node order: a node's state index is its position in `queueNodes`
  /// (inline joins follow). So a worker's counters are contiguous, and a
  /// worker waiting on its next counter shares no cache line with another
  /// worker's next counter; a CPU walker's state index is its queue position.
  std::vector<uint32_t> nodeOfState;
  std::vector<int32_t> initialPending; // per state
  std::vector<uint32_t> crossWaits;
  std::vector<uint64_t> argWords;  // as built; a replay patches its copy
  std::vector<Patch> patches;      // per node: task values
  std::vector<Patch> paramPatches; // every parameter argument
  std::vector<PredInstr> predProgram;
  std::vector<ElseWrite> elseWrites;
  std::vector<uint32_t> queueNodes;  // per-processor queues, concatenated
  std::vector<uint32_t> queueBegin;  // numProcs + 1
  std::vector<uint32_t> involved;    // processors with a nonempty queue
  std::vector<uint32_t> inlineRoots; // inline nodes with no predecessor
  std::vector<CallbackRange> callbackRanges;
  std::vector<DeviceBodyArg> deviceArgs;
  std::vector<uint32_t> issueOrder; // every node, consistent with the queues
  int32_t finishTarget = 0;
  /// Node names, NUL-separated; XNode::name points in here.
  std::string names;

  // The single issuer (DeviceGraph.cpp): an all-device graph on one GPU is
  // issued by one processor in issueOrder.
  bool singleIssuer = false;
  bool capturable = false;    // ... and all its kernels are capturable
  uint32_t issuerProc = 0;    // the processor that issues everything
  uint32_t captureOrigin = 0; // the stream a device graph launches on

  uint32_t numNodes() const { return static_cast<uint32_t>(nodes.size()); }
};

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_REPLAYPROGRAM_H
