//===- aot_mixed.cpp - examples/mixed.mlir, ahead of time, on any device --===//
//
// examples/mixed.mlir (a CPU fill, host->device copies, a stream-ordered GPU
// axpy, a device->host copy and a CPU sum) is compiled at build time into an
// object that defines tgraph_instantiate_mixed(). This program runs it on
// real CUDA streams when a GPU is present (or with --device=cuda) and on
// emulated streams otherwise (or with --device=emulated): the same compiled
// graph, the same runtime, the built-in kernels of tgraph-run (whose GPU
// kernels have CUDA versions). No MLIR at run time.
//
// Usage: tgraph-aot-mixed [--device=auto|emulated|cuda] [--replays=N]
// Exit status: 0 when the answer is right, 1 on an error or a wrong answer,
// 77 when --device=cuda is asked for and no GPU is present (a skipped test).
//
//===----------------------------------------------------------------------===//

#include "AotCommon.h"

extern "C" tgrt_graph tgraph_instantiate_mixed(tgrt_runtime runtime);

namespace {
constexpr int kN = 16; // the graph's buffers hold 16 f64
constexpr const char *kTool = "tgraph-aot-mixed";
int fail(const char *what) { return aot::fail(kTool, what); }
} // namespace

int main(int argc, char **argv) {
  aot::Options options;
  if (int rc = aot::parse(kTool, argc, argv, options); rc >= 0)
    return rc;
  const long replays = options.replays;
  bool cuda = false;
  tgrt_runtime rt = aot::makeRuntime(kTool, options, &cuda);
  if (!rt)
    return 1;

  // Graph arguments, in order: %x, %y (host), %dx, %dy (gpu).
  void *buffers[4] = {};
  const int32_t kinds[4] = {TGRT_MEM_HOST, TGRT_MEM_HOST, TGRT_MEM_DEVICE,
                            TGRT_MEM_DEVICE};
  uint64_t params[4];
  if (!aot::allocBuffers(kTool, rt, kinds, 4, kN * sizeof(double), buffers,
                         params))
    return 1;
  std::memset(buffers[1], 0, kN * sizeof(double));

  tgrt_graph graph = tgraph_instantiate_mixed(rt);
  if (!graph)
    return fail("cannot instantiate the graph");
  for (long r = 0; r < replays; ++r) {
    tgrt_event done = nullptr;
    if (tgrt_graph_replay(graph, nullptr, 0, params, 4, &done) != TGRT_OK ||
        tgrt_event_wait(done) != TGRT_OK)
      return fail("replay failed");
    tgrt_event_release(done);
  }

  // The yielded value is sum_f64's result; sum_f64 is the graph's last node.
  uint32_t nodes = 0;
  uint64_t bits = 0;
  if (tgrt_graph_num_nodes(graph, &nodes) != TGRT_OK || nodes == 0 ||
      tgrt_graph_get_result(graph, nodes - 1, 0, &bits) != TGRT_OK)
    return fail("cannot read the result");
  double sum;
  std::memcpy(&sum, &bits, sizeof sum);
  const double *y = static_cast<const double *>(buffers[1]);
  bool ok = sum == 3.0 * kN;
  for (int i = 0; i < kN; ++i)
    ok = ok && y[i] == 3.0;
  std::printf("aot mixed: %s, %ld replays, sum %g y %g %g %g ...%s\n",
              cuda ? "CUDA streams" : "emulated streams", replays, sum, y[0],
              y[1], y[kN - 1], ok ? "" : "  WRONG (expected sum 48, y = 3)");
  aot::freeBuffers(rt, kinds, 4, buffers);
  tgrt_graph_destroy(graph);
  tgrt_runtime_destroy(rt);
  return ok ? 0 : 1;
}
