// A downstream program built against an installed tgraph's runtime only
// (no MLIR): it replays a two-task graph.
#include "tgraph/Runtime/tgrt.h"

#include <cstdio>

static int counter = 0;
static int32_t bump(tgrt_task_context *) {
  ++counter;
  return 0;
}

int main() {
  tgrt_config config;
  tgrt_config_init(&config);
  config.stream_mode = TGRT_STREAMS_EMULATED;
  tgrt_runtime rt;
  tgrt_graph g;
  uint32_t a, b;
  tgrt_event done;
  if (tgrt_runtime_create(&config, &rt) ||
      tgrt_register_cpu_kernel(rt, "bump", bump, nullptr) ||
      tgrt_graph_create(rt, "g", &g) ||
      tgrt_graph_add_task(g, "bump", TGRT_PROC_CPU, 0, 0, 0, &a) ||
      tgrt_graph_add_task(g, "bump", TGRT_PROC_CPU, 0, 0, 0, &b) ||
      tgrt_graph_add_dep(g, a, b, TGRT_DEP_HOST) || tgrt_graph_finalize(g) ||
      tgrt_graph_replay(g, nullptr, 0, nullptr, 0, &done) ||
      tgrt_event_wait(done)) {
    std::printf("downstream: runtime error: %s\n", tgrt_last_error());
    return 1;
  }
  tgrt_event_release(done);
  tgrt_runtime_destroy(rt);
  std::printf("downstream: runtime ran %d tasks\n", counter);
  return counter == 2 ? 0 : 1;
}
