//===- aot_main.cpp - run an ahead-of-time compiled graph -----------------===//
//
// examples/stencil.mlir is compiled at build time (tgraph-opt
// --tgraph-pipeline --tgraph-lower-to-llvm | mlir-translate | llc) into an
// object that defines tgraph_instantiate_stencil(). This program links it
// with the runtime, registers the two kernels the graph calls, and replays
// the graph: no MLIR at run time.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <cstdio>
#include <cstring>

extern "C" tgrt_graph tgraph_instantiate_stencil(tgrt_runtime runtime);

static double asDouble(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// fill_f64(buffer, i64 n, f64 v)
static int32_t fill(tgrt_task_context *ctx) {
  auto *p = reinterpret_cast<double *>(ctx->args[0]);
  for (uint64_t i = 0; i < ctx->args[1]; ++i)
    p[i] = asDouble(ctx->args[2]);
  return 0;
}

// stencil3_f64(l, c, r, out): out = (l + c + r) / 3
static int32_t stencil3(tgrt_task_context *ctx) {
  auto at = [&](int i) { return *reinterpret_cast<double *>(ctx->args[i]); };
  *reinterpret_cast<double *>(ctx->args[3]) = (at(0) + at(1) + at(2)) / 3.0;
  return 0;
}

int main() {
  tgrt_config config;
  tgrt_config_init(&config);
  config.num_cpu_workers = 2;
  config.stream_mode = TGRT_STREAMS_EMULATED;
  tgrt_runtime rt = nullptr;
  if (tgrt_runtime_create(&config, &rt) ||
      tgrt_register_cpu_kernel(rt, "fill_f64", fill, nullptr) ||
      tgrt_register_cpu_kernel(rt, "stencil3_f64", stencil3, nullptr)) {
    std::printf("error: %s\n", tgrt_last_error());
    return 1;
  }
  tgrt_graph graph = tgraph_instantiate_stencil(rt);
  if (!graph) {
    std::printf("error: cannot instantiate: %s\n", tgrt_last_error());
    return 1;
  }
  double points[8] = {0};
  uint64_t params[8];
  for (int i = 0; i < 8; ++i)
    params[i] = reinterpret_cast<uintptr_t>(&points[i]);
  tgrt_event pre = nullptr, done = nullptr;
  for (int replay = 0; replay < 10; ++replay) {
    if (tgrt_event_create(rt, &pre) || tgrt_event_trigger(pre) ||
        tgrt_graph_replay(graph, &pre, 1, params, 8, &done) ||
        tgrt_event_wait(done)) {
      std::printf("error: replay %d: %s\n", replay, tgrt_last_error());
      return 1;
    }
    tgrt_event_release(pre);
    tgrt_event_release(done);
  }
  std::printf("aot stencil:");
  for (int i = 4; i < 8; ++i)
    std::printf(" %.5f", points[i]);
  std::printf("\n");
  tgrt_runtime_destroy(rt);
  return 0;
}
