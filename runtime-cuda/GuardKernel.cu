//===- GuardKernel.cu - Device-side evaluation of guarded predicates ------===//
//
// A one-thread kernel enqueued just before a guarded stream-ordered task: it
// evaluates the predicate program over the value slots (mapped host memory,
// written by earlier ops in stream order), stores the flag the task checks
// (ctx->guard_device), and when false stores the task's else values.
//
//===----------------------------------------------------------------------===//

#include "StreamBackend.h"

#include <cuda_runtime.h>

namespace tgraph {
namespace rt {

__global__ void tgrtEvalGuard(GuardLaunch launch) {
  bool stack[kMaxPredStack];
  uint32_t top = 0;
  bool ok = true;
  for (uint32_t i = 0; i < launch.length && ok; ++i) {
    const PredInstr in = launch.program[i];
    switch (in.op) {
    case PredInstr::PushConst:
    case PredInstr::PushSlot:
      if (top == kMaxPredStack) {
        ok = false;
        break;
      }
      stack[top++] = in.op == PredInstr::PushConst
                         ? in.operand != 0
                         : *(volatile uint64_t *)&launch.slots[in.operand] != 0;
      break;
    case PredInstr::Not:
      ok = top >= 1;
      if (ok)
        stack[top - 1] = !stack[top - 1];
      break;
    case PredInstr::And:
    case PredInstr::Or:
      ok = top >= 2;
      if (ok) {
        --top;
        stack[top - 1] = in.op == PredInstr::And
                             ? (stack[top - 1] && stack[top])
                             : (stack[top - 1] || stack[top]);
      }
      break;
    default:
      ok = false;
    }
  }
  bool value = ok && top == 1 && stack[0];
  *launch.flag = value ? 1 : 0;
  if (!value)
    for (uint32_t i = 0; i < launch.numElses; ++i)
      launch.slots[launch.elses[i].slot] = launch.elses[i].bits;
  __threadfence_system();
}

/// The launch's own status: cudaLaunchKernel returns it directly, whereas
/// `<<<>>>` followed by cudaGetLastError() would also report an older,
/// unrelated failure of this thread as this launch's. A failure is cleared
/// from the thread's last error, which the caller reports.
cudaError_t launchEvalGuard(const GuardLaunch &launch, cudaStream_t stream) {
  GuardLaunch copy = launch;
  void *args[] = {&copy};
  cudaError_t err =
      cudaLaunchKernel(reinterpret_cast<const void *>(&tgrtEvalGuard), dim3(1),
                       dim3(1), args, 0, stream);
  if (err != cudaSuccess)
    cudaGetLastError();
  return err;
}

} // namespace rt
} // namespace tgraph
