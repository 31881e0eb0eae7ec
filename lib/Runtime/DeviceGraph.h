//===- DeviceGraph.h - Recording an all-device graph into a device graph --===//
//
// An all-device graph on one GPU (ReplayProgram::singleIssuer) is issued by
// one processor in one order. When every kernel is capturable, the recorder
// records that issue into a backend device graph (a CUDA graph; an op list
// with emulated streams) and later replays with the same parameters launch
// it: one launch per replay instead of one per node. The recorder is owned
// by the issuer thread (replays are serialized), except for the two atomics
// that tgrt_graph_set_capture writes from any thread.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_DEVICEGRAPH_H
#define TGRAPH_LIB_RUNTIME_DEVICEGRAPH_H

#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

namespace tgraph {
namespace rt {

struct DeviceGraphRecorder {
  // Recording happens on streams private to the graph (a CUDA capture
  // takes in whatever any thread enqueues on a capturing stream, and the
  // compute streams are shared by every graph): recordStreamOf maps each
  // stream of the graph to its private twin; recordOrigin/recordOthers are
  // the twins of the capture origin and of the graph's other streams.
  std::vector<uint32_t> recordStreamOf;
  uint32_t recordOrigin = 0;
  std::vector<uint32_t> recordOthers;
  /// Whether recording may still be tried: the program's plan, switched off
  /// for good once a recording or a launch fails.
  bool usable = false;
  // Owned by the issuer thread:
  void *captured = nullptr;             // backend device graph, if recorded
  std::vector<uint64_t> capturedParams; // the params it was recorded with
  uint32_t recordedGeneration = 0;      // captureGeneration it belongs to
  // Set by tgrt_graph_set_capture from any thread; the issuer applies them
  // before its next replay.
  std::atomic<bool> captureEnabled{true};
  std::atomic<uint32_t> captureGeneration{0};
  std::atomic<int32_t> lastReplayCaptured{0}; // of the last completed replay
};

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_DEVICEGRAPH_H
