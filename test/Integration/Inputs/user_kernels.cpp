// A user kernel library for tgraph-run --load: it exports
// tgraph_register_kernels, which registers one CPU kernel.
#include "tgraph/Runtime/tgrt.h"

static int32_t triple(tgrt_task_context *ctx) {
  ctx->results[0] = ctx->args[0] * 3;
  return 0;
}

extern "C" int tgraph_register_kernels(tgrt_runtime runtime) {
  return tgrt_register_cpu_kernel(runtime, "triple", triple, nullptr);
}
