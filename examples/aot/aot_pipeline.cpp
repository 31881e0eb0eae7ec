//===- aot_pipeline.cpp - an all-GPU graph, ahead of time, on any device --===//
//
// examples/gpu_pipeline.mlir (host -> device copies, two stream-ordered
// axpys on two streams, device -> host copies: every op on one GPU, only
// device dependences) compiled at build time into tgraph_instantiate_
// pipeline(). With capturable kernels (tgraph-run's GPU built-ins) the
// runtime records it once and relaunches it as a device graph: a CUDA graph
// on a GPU, an op list on emulated streams. Each replay checks y = 3x and
// z = 2x with a fresh x, so a stale or skipped replay shows.
//
// Usage: tgraph-aot-pipeline [--device=auto|emulated|cuda] [--replays=N]
// Exit status: 0 when every replay is right and the graph was recorded, 1
// otherwise, 77 when --device=cuda is asked for and no GPU is present.
//
//===----------------------------------------------------------------------===//

#include "AotCommon.h"

extern "C" tgrt_graph tgraph_instantiate_pipeline(tgrt_runtime runtime);

namespace {
constexpr int kN = 1024; // the graph's buffers hold 1024 f64
constexpr const char *kTool = "tgraph-aot-pipeline";
int fail(const char *what) { return aot::fail(kTool, what); }
} // namespace

int main(int argc, char **argv) {
  aot::Options options;
  if (int rc = aot::parse(kTool, argc, argv, options); rc >= 0)
    return rc;
  bool cuda = false;
  tgrt_runtime rt = aot::makeRuntime(kTool, options, &cuda);
  if (!rt)
    return 1;

  // Graph arguments, in order: %x, %y, %z (host), %dx, %dy, %dz (gpu).
  void *buffers[6] = {};
  const int32_t kinds[6] = {TGRT_MEM_HOST,   TGRT_MEM_HOST,   TGRT_MEM_HOST,
                            TGRT_MEM_DEVICE, TGRT_MEM_DEVICE, TGRT_MEM_DEVICE};
  uint64_t params[6];
  if (!aot::allocBuffers(kTool, rt, kinds, 6, kN * sizeof(double), buffers,
                         params))
    return 1;
  auto *x = static_cast<double *>(buffers[0]);
  auto *y = static_cast<const double *>(buffers[1]);
  auto *z = static_cast<const double *>(buffers[2]);

  tgrt_graph graph = tgraph_instantiate_pipeline(rt);
  if (!graph)
    return fail("cannot instantiate the graph");
  long wrong = 0, recorded = 0;
  for (long r = 0; r < options.replays; ++r) {
    for (int i = 0; i < kN; ++i)
      x[i] = double(i) + double(r);
    tgrt_event done = nullptr;
    if (tgrt_graph_replay(graph, nullptr, 0, params, 6, &done) != TGRT_OK ||
        tgrt_event_wait(done) != TGRT_OK)
      return fail("replay failed");
    tgrt_event_release(done);
    for (int i = 0; i < kN; ++i)
      wrong += y[i] != 3.0 * x[i] || z[i] != 2.0 * x[i];
    int32_t captured = 0;
    tgrt_graph_last_replay_captured(graph, &captured);
    recorded += captured;
  }
  // Recorded from the second replay on (the first issues op by op).
  const bool ok = wrong == 0 && recorded == options.replays - 1;
  std::printf("aot pipeline: %s, %ld replays, %ld from a device graph, "
              "%ld wrong values%s\n",
              cuda ? "CUDA streams" : "emulated streams", options.replays,
              recorded, wrong, ok ? "" : "  FAILED");
  aot::freeBuffers(rt, kinds, 6, buffers);
  tgrt_graph_destroy(graph);
  tgrt_runtime_destroy(rt);
  return ok ? 0 : 1;
}
