//===- BuiltinKernelsCuda.cu - tgraph-run's GPU built-ins on CUDA ---------===//
//
// The CUDA versions of the GPU built-in kernels, used when the runtime drives
// real CUDA streams: each enqueues its work on the task's stream and returns
// (stream-ordered), so device dependences run ahead of the host.
// gpu_record logs in stream order through a host function on the stream.
//
//===----------------------------------------------------------------------===//

#include "BuiltinKernels.h"

#include <cstring>
#include <cuda_runtime.h>

namespace {
__global__ void axpyKernel(double *y, const double *x, int64_t n, double a) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i < n)
    y[i] += a * x[i];
}

int32_t report(tgrt_task_context *ctx, cudaError_t err) {
  if (err == cudaSuccess)
    return 0;
  tgrt_task_set_error(ctx, cudaGetErrorString(err));
  return 1;
}

// gpu_axpy_f64(buffer y, buffer x, i64 n, f64 a) on ctx->stream.
int32_t gpuAxpy(tgrt_task_context *ctx) {
  if (ctx->num_args != 4)
    return 1;
  double a;
  std::memcpy(&a, &ctx->args[3], sizeof a);
  int64_t n = static_cast<int64_t>(ctx->args[2]);
  auto stream = static_cast<cudaStream_t>(ctx->stream);
  unsigned blocks = static_cast<unsigned>((n + 255) / 256);
  if (n > 0)
    axpyKernel<<<blocks, 256, 0, stream>>>(
        reinterpret_cast<double *>(ctx->args[0]),
        reinterpret_cast<const double *>(ctx->args[1]), n, a);
  return report(ctx, cudaGetLastError());
}

// Runs on a CUDA callback thread when the stream reaches it.
void recordOnHost(void *id) {
  tgraph_run::recordFromStream(
      static_cast<int64_t>(reinterpret_cast<uintptr_t>(id)));
}

// gpu_record(i64 id): logs id when the stream reaches it.
int32_t gpuRecord(tgrt_task_context *ctx) {
  if (ctx->num_args != 1)
    return 1;
  return report(ctx, cudaLaunchHostFunc(
                         static_cast<cudaStream_t>(ctx->stream), recordOnHost,
                         reinterpret_cast<void *>(ctx->args[0])));
}

int32_t gpuFail(tgrt_task_context *ctx) {
  tgrt_task_set_error(ctx, "the task failed on purpose");
  return 1;
}
} // namespace

tgrt_kernel_fn tgraph_run::cudaBuiltin(const char *name) {
  if (!std::strcmp(name, "gpu_axpy_f64"))
    return gpuAxpy;
  if (!std::strcmp(name, "gpu_record"))
    return gpuRecord;
  if (!std::strcmp(name, "gpu_fail"))
    return gpuFail;
  return nullptr;
}
