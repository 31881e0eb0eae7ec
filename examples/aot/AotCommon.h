//===- AotCommon.h - what the ahead-of-time GPU examples share -*- C++ -*-===//
//
// Command line (--device=auto|emulated|cuda, --replays=N) and the runtime of
// the machine the examples' graphs are compiled for (1 CPU worker, 1 GPU, 2
// compute streams, 1 copy stream), with tgraph-run's built-in kernels.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_EXAMPLES_AOT_AOTCOMMON_H
#define TGRAPH_EXAMPLES_AOT_AOTCOMMON_H

#include "BuiltinKernels.h"
#include "tgraph/Runtime/tgrt.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace aot {

struct Options {
  int32_t mode = TGRT_STREAMS_AUTO;
  long replays = 10;
};

inline int fail(const char *tool, const char *what) {
  std::fprintf(stderr, "%s: error: %s: %s\n", tool, what, tgrt_last_error());
  return 1;
}

/// Parses the command line. Returns -1 to go on, else the exit code: 1 on a
/// bad flag, 77 when --device=cuda is asked for without a GPU (a skipped
/// test).
inline int parse(const char *tool, int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (!std::strcmp(a, "--device=auto"))
      o.mode = TGRT_STREAMS_AUTO;
    else if (!std::strcmp(a, "--device=emulated"))
      o.mode = TGRT_STREAMS_EMULATED;
    else if (!std::strcmp(a, "--device=cuda"))
      o.mode = TGRT_STREAMS_CUDA;
    else if (!std::strncmp(a, "--replays=", 10) &&
             (o.replays = std::strtol(a + 10, nullptr, 10)) > 0)
      continue;
    else {
      std::fprintf(stderr,
                   "usage: %s [--device=auto|emulated|cuda] [--replays=N>0]\n",
                   tool);
      return 1;
    }
  }
  if (o.mode == TGRT_STREAMS_CUDA && tgrt_cuda_device_count() <= 0) {
    std::printf("%s: no CUDA GPU present; skipped\n", tool);
    return 77;
  }
  return -1;
}

/// The runtime with the built-in kernels (CUDA versions on CUDA streams);
/// null after printing the error. *usesCuda tells which streams it drives.
inline tgrt_runtime makeRuntime(const char *tool, const Options &o,
                                bool *usesCuda) {
  tgrt_config config;
  tgrt_config_init(&config);
  config.num_cpu_workers = 1;
  config.num_gpus = 1;
  config.streams_per_gpu = 2;
  config.copy_streams_per_gpu = 1;
  config.stream_mode = o.mode;
  tgrt_runtime rt = nullptr;
  if (tgrt_runtime_create(&config, &rt) != TGRT_OK) {
    fail(tool, "cannot create the runtime");
    return nullptr;
  }
  int32_t cuda = 0;
  tgrt_runtime_uses_cuda(rt, &cuda);
  *usesCuda = cuda != 0;
  if (tgraph_run::registerBuiltinKernels(rt, cuda != 0) != TGRT_OK) {
    fail(tool, "cannot register the kernels");
    tgrt_runtime_destroy(rt);
    return nullptr;
  }
  return rt;
}

/// The graph's buffer arguments, in order: `n` buffers of `bytes` each, of
/// the given memory kinds, and the replay parameters that pass them.
/// Returns false after printing the error.
inline bool allocBuffers(const char *tool, tgrt_runtime rt,
                         const int32_t *kinds, int n, uint64_t bytes,
                         void **buffers, uint64_t *params) {
  for (int i = 0; i < n; ++i) {
    if (tgrt_mem_alloc(rt, kinds[i], bytes, &buffers[i]) != TGRT_OK) {
      fail(tool, "cannot allocate a buffer");
      return false;
    }
    params[i] = reinterpret_cast<uintptr_t>(buffers[i]);
  }
  return true;
}

inline void freeBuffers(tgrt_runtime rt, const int32_t *kinds, int n,
                        void **buffers) {
  for (int i = 0; i < n; ++i)
    tgrt_mem_free(rt, kinds[i], buffers[i]);
}

} // namespace aot

#endif // TGRAPH_EXAMPLES_AOT_AOTCOMMON_H
