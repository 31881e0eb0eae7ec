//===- BuiltinKernels.h - tgraph-run's test kernels -------------*- C++ -*-===//
//
// Kernels tgraph-run registers before loading user libraries, so that graphs
// can be run and tested without writing any C++: recording the execution
// order, arithmetic on task values, buffer fills and reductions, a failing
// task, and stream-ordered GPU variants (run on emulated streams).
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_TOOLS_TGRAPH_RUN_BUILTINKERNELS_H
#define TGRAPH_TOOLS_TGRAPH_RUN_BUILTINKERNELS_H

#include "tgraph/Runtime/tgrt.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tgraph_run {
/// Registers every built-in kernel on `runtime`; returns the first error.
/// With CUDA streams (`usesCuda`) the GPU kernels are the CUDA versions
/// (BuiltinKernelsCuda.cu), which launch on the task's stream.
tgrt_status registerBuiltinKernels(tgrt_runtime runtime, bool usesCuda);

/// The CUDA versions of the GPU built-ins (null when built without CUDA).
tgrt_kernel_fn cudaBuiltin(const char *name);
/// The ids `record` kernels logged, in execution order, since the last call.
std::vector<int64_t> takeRecordLog();
/// Appends to that log (the CUDA gpu_record, from a stream callback).
void recordFromStream(int64_t id);
/// A one-line description of each built-in kernel, for --help.
std::string builtinKernelHelp();
} // namespace tgraph_run

#endif
