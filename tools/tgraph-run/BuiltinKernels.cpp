//===- BuiltinKernels.cpp - tgraph-run's test kernels ---------------------===//
//
// Each kernel reads its argument words (ints, pointers, double bits) from the
// task context and writes its results into the result slots.
//
//===----------------------------------------------------------------------===//

#include "BuiltinKernels.h"

#include <cmath>
#include <cstring>
#include <mutex>

namespace {
std::mutex logMutex;
std::vector<int64_t> recordLog;

double f64(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}
uint64_t bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
int64_t i64(uint64_t bits) { return static_cast<int64_t>(bits); }

int32_t needArgs(tgrt_task_context *ctx, uint32_t args, uint32_t results) {
  if (ctx->num_args == args && ctx->num_results == results)
    return 0;
  std::string msg = std::string(ctx->task_name) + ": expected " +
                    std::to_string(args) + " arguments and " +
                    std::to_string(results) + " results";
  tgrt_task_set_error(ctx, msg.c_str());
  return 1;
}

// record(i64 id): appends id to the log (execution order).
int32_t record(tgrt_task_context *ctx) {
  if (needArgs(ctx, 1, 0))
    return 1;
  std::lock_guard<std::mutex> lock(logMutex);
  recordLog.push_back(i64(ctx->args[0]));
  return 0;
}
// fail(): fails the task.
int32_t fail(tgrt_task_context *ctx) {
  tgrt_task_set_error(ctx, "the task failed on purpose");
  return 1;
}
// value_i64(i64) -> i64
int32_t valueI64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 1, 1))
    return 1;
  ctx->results[0] = ctx->args[0];
  return 0;
}
// add_i64(i64, i64) -> i64
int32_t addI64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 2, 1))
    return 1;
  ctx->results[0] =
      static_cast<uint64_t>(i64(ctx->args[0]) + i64(ctx->args[1]));
  return 0;
}
// lt_i64(i64, i64) -> i1
int32_t ltI64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 2, 1))
    return 1;
  ctx->results[0] = i64(ctx->args[0]) < i64(ctx->args[1]);
  return 0;
}
// lt_f64(f64, f64) -> i1
int32_t ltF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 2, 1))
    return 1;
  ctx->results[0] = f64(ctx->args[0]) < f64(ctx->args[1]);
  return 0;
}
// fill_f64(buffer, i64 n, f64 v): buffer[0..n) = v
int32_t fillF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 3, 0))
    return 1;
  auto *p = reinterpret_cast<double *>(ctx->args[0]);
  for (int64_t i = 0, n = i64(ctx->args[1]); i < n; ++i)
    p[i] = f64(ctx->args[2]);
  return 0;
}
// axpy_f64(buffer y, buffer x, i64 n, f64 a): y += a * x
int32_t axpyF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 4, 0))
    return 1;
  auto *y = reinterpret_cast<double *>(ctx->args[0]);
  auto *x = reinterpret_cast<const double *>(ctx->args[1]);
  double a = f64(ctx->args[3]);
  for (int64_t i = 0, n = i64(ctx->args[2]); i < n; ++i)
    y[i] += a * x[i];
  return 0;
}
// sum_f64(buffer, i64 n) -> f64
int32_t sumF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 2, 1))
    return 1;
  auto *p = reinterpret_cast<const double *>(ctx->args[0]);
  double s = 0;
  for (int64_t i = 0, n = i64(ctx->args[1]); i < n; ++i)
    s += p[i];
  ctx->results[0] = bits(s);
  return 0;
}
// stencil_f64(buffer out, buffer in, i64 n): out[i] = mean(in[i-1..i+1])
int32_t stencilF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 3, 0))
    return 1;
  auto *out = reinterpret_cast<double *>(ctx->args[0]);
  auto *in = reinterpret_cast<const double *>(ctx->args[1]);
  int64_t n = i64(ctx->args[2]);
  for (int64_t i = 0; i < n; ++i) {
    double l = in[i > 0 ? i - 1 : i], r = in[i + 1 < n ? i + 1 : i];
    out[i] = (l + in[i] + r) / 3.0;
  }
  return 0;
}

// stencil3_f64(buffer l, buffer c, buffer r, buffer out): out[0] = mean
int32_t stencil3F64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 4, 0))
    return 1;
  auto at = [&](int i) {
    return *reinterpret_cast<const double *>(ctx->args[i]);
  };
  *reinterpret_cast<double *>(ctx->args[3]) = (at(0) + at(1) + at(2)) / 3.0;
  return 0;
}
// lap_matvec_f64(buffer q, buffer p, i64 n): q = A p, A = tridiag(-1, 2, -1)
int32_t lapMatvecF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 3, 0))
    return 1;
  auto *q = reinterpret_cast<double *>(ctx->args[0]);
  auto *p = reinterpret_cast<const double *>(ctx->args[1]);
  int64_t n = i64(ctx->args[2]);
  for (int64_t i = 0; i < n; ++i)
    q[i] = 2 * p[i] - (i > 0 ? p[i - 1] : 0) - (i + 1 < n ? p[i + 1] : 0);
  return 0;
}
// dot_f64(buffer x, buffer y, i64 n) -> f64
int32_t dotF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 3, 1))
    return 1;
  auto *x = reinterpret_cast<const double *>(ctx->args[0]);
  auto *y = reinterpret_cast<const double *>(ctx->args[1]);
  double s = 0;
  for (int64_t i = 0, n = i64(ctx->args[2]); i < n; ++i)
    s += x[i] * y[i];
  ctx->results[0] = bits(s);
  return 0;
}
// div_f64(f64 a, f64 b) -> f64
int32_t divF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 2, 1))
    return 1;
  ctx->results[0] = bits(f64(ctx->args[0]) / f64(ctx->args[1]));
  return 0;
}
// neg_f64(f64) -> f64
int32_t negF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 1, 1))
    return 1;
  ctx->results[0] = bits(-f64(ctx->args[0]));
  return 0;
}
// xpby_f64(buffer p, buffer r, i64 n, f64 beta): p = r + beta * p
int32_t xpbyF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 4, 0))
    return 1;
  auto *p = reinterpret_cast<double *>(ctx->args[0]);
  auto *r = reinterpret_cast<const double *>(ctx->args[1]);
  double beta = f64(ctx->args[3]);
  for (int64_t i = 0, n = i64(ctx->args[2]); i < n; ++i)
    p[i] = r[i] + beta * p[i];
  return 0;
}
// gt_f64(f64, f64) -> i1
int32_t gtF64(tgrt_task_context *ctx) {
  if (needArgs(ctx, 2, 1))
    return 1;
  ctx->results[0] = f64(ctx->args[0]) > f64(ctx->args[1]);
  return 0;
}

struct Kernel {
  const char *name;
  tgrt_kernel_fn fn;
  bool gpu;
  const char *help;
};
const Kernel kernels[] = {
    {"record", record, false, "record(i64 id): logs id (execution order)"},
    {"gpu_record", record, true,
     "gpu_record(i64 id): record, as a stream-ordered GPU kernel"},
    {"fail", fail, false, "fail(): the task fails"},
    {"gpu_fail", fail, true, "gpu_fail(): the GPU task fails"},
    {"value_i64", valueI64, false, "value_i64(i64) -> i64"},
    {"add_i64", addI64, false, "add_i64(i64, i64) -> i64"},
    {"lt_i64", ltI64, false, "lt_i64(i64, i64) -> i1"},
    {"lt_f64", ltF64, false, "lt_f64(f64, f64) -> i1"},
    {"fill_f64", fillF64, false, "fill_f64(buffer, i64 n, f64 v)"},
    {"axpy_f64", axpyF64, false, "axpy_f64(buffer y, buffer x, i64 n, f64 a)"},
    {"gpu_axpy_f64", axpyF64, true,
     "gpu_axpy_f64(...): axpy_f64 as a stream-ordered GPU kernel (emulated "
     "streams only)"},
    {"sum_f64", sumF64, false, "sum_f64(buffer, i64 n) -> f64"},
    {"stencil_f64", stencilF64, false,
     "stencil_f64(buffer out, buffer in, i64 n): 3-point mean"},
    {"stencil3_f64", stencil3F64, false,
     "stencil3_f64(buffer l, buffer c, buffer r, buffer out): out[0] = "
     "(l[0] + c[0] + r[0]) / 3"},
    {"lap_matvec_f64", lapMatvecF64, false,
     "lap_matvec_f64(buffer q, buffer p, i64 n): q = tridiag(-1, 2, -1) p"},
    {"dot_f64", dotF64, false, "dot_f64(buffer x, buffer y, i64 n) -> f64"},
    {"div_f64", divF64, false, "div_f64(f64, f64) -> f64"},
    {"neg_f64", negF64, false, "neg_f64(f64) -> f64"},
    {"xpby_f64", xpbyF64, false,
     "xpby_f64(buffer p, buffer r, i64 n, f64 beta): p = r + beta * p"},
    {"gt_f64", gtF64, false, "gt_f64(f64, f64) -> i1"},
};
} // namespace

#ifndef TGRAPH_RUN_HAVE_CUDA
tgrt_kernel_fn tgraph_run::cudaBuiltin(const char *) { return nullptr; }
#endif

tgrt_status tgraph_run::registerBuiltinKernels(tgrt_runtime runtime,
                                               bool usesCuda) {
  for (const Kernel &k : kernels) {
    // On emulated streams the GPU kernels' bodies run on the stream's thread
    // with host memory; on CUDA streams they must launch device work.
    tgrt_kernel_fn fn = k.fn;
    if (k.gpu && usesCuda) {
      fn = cudaBuiltin(k.name);
      if (!fn)
        continue;
    }
    tgrt_status s =
        // Capturable: each enqueues work (or, emulated, is the work) that
        // depends only on its arguments; gpu_record's CUDA version enqueues
        // a host function, which a device graph replays too.
        k.gpu ? tgrt_register_gpu_kernel(runtime, k.name, fn, nullptr,
                                         TGRT_KERNEL_STREAM_ORDERED |
                                             TGRT_KERNEL_CAPTURABLE)
              : tgrt_register_cpu_kernel(runtime, k.name, fn, nullptr);
    if (s != TGRT_OK)
      return s;
  }
  return TGRT_OK;
}

void tgraph_run::recordFromStream(int64_t id) {
  std::lock_guard<std::mutex> lock(logMutex);
  recordLog.push_back(id);
}

std::vector<int64_t> tgraph_run::takeRecordLog() {
  std::lock_guard<std::mutex> lock(logMutex);
  std::vector<int64_t> out;
  out.swap(recordLog);
  return out;
}

std::string tgraph_run::builtinKernelHelp() {
  std::string s;
  for (const Kernel &k : kernels)
    s += std::string("  ") + k.help + "\n";
  return s;
}
