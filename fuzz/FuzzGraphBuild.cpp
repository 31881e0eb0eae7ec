//===- FuzzGraphBuild.cpp - fuzz tgrt_graph_build and replay --------------===//
//
// libFuzzer target tgraph-fuzz-graph-build. Input layout:
//
//   LEB128 n | n bytes: the string table | the rest: the graph program
//
// (n is clamped to what is left). The program (tgrt.h, "Graph programs") is
// built with tgrt_graph_build on one runtime created once: 2 CPU workers and
// 1 emulated GPU with 2 compute streams and 1 copy stream. Every kernel the
// seeds name is registered, harmless: it reads no memory through its
// arguments and writes its result slots only. A graph that builds is
// replayed twice (waited) when that is safe for the harness: every copy has
// both ends bound to distinct parameters and fits a parameter's slot of a
// zeroed arena (a copy's pointers are only meaningful as parameters; an
// unbound copy would make the harness, not the runtime, crash). Then it is
// destroyed.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Runtime/tgrt.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr uint32_t kMaxReplayParams = 16;
constexpr uint64_t kSlotBytes = 64 << 10; // per parameter
alignas(64) uint8_t gArena[kMaxReplayParams * kSlotBytes];

int32_t harmlessKernel(tgrt_task_context *ctx) {
  // A value derived from the first argument, so that predicates from values
  // see both true and false.
  for (uint32_t i = 0; i < ctx->num_results; ++i)
    ctx->results[i] = ctx->num_args ? (ctx->args[0] >> (i % 64)) & 1 : 0;
  return 0;
}

int32_t failingKernel(tgrt_task_context *ctx) {
  tgrt_task_set_error(ctx, "fuzz: failing kernel");
  return 1;
}

tgrt_runtime makeRuntime() {
  tgrt_config config;
  tgrt_config_init(&config);
  config.num_cpu_workers = 2;
  config.num_gpus = 1;
  config.streams_per_gpu = 2;
  config.copy_streams_per_gpu = 1;
  config.stream_mode = TGRT_STREAMS_EMULATED;
  tgrt_runtime rt = nullptr;
  if (tgrt_runtime_create(&config, &rt) != TGRT_OK) {
    std::fprintf(stderr, "fuzz: tgrt_runtime_create: %s\n", tgrt_last_error());
    std::abort();
  }
  // The kernels tgraph-run provides and those the seeds name (see
  // fuzz/gen_seeds.py), with the kind and flags of their declarations.
  static const char *const cpuKernels[] = {"record",
                                           "value_i64",
                                           "add_i64",
                                           "lt_i64",
                                           "lt_f64",
                                           "fill_f64",
                                           "axpy_f64",
                                           "sum_f64",
                                           "stencil_f64",
                                           "stencil3_f64",
                                           "lap_matvec_f64",
                                           "dot_f64",
                                           "div_f64",
                                           "neg_f64",
                                           "xpby_f64",
                                           "gt_f64",
                                           "a",
                                           "c",
                                           "check",
                                           "cpu",
                                           "cv",
                                           "f",
                                           "fill",
                                           "flag",
                                           "io",
                                           "k",
                                           "r",
                                           "rw2",
                                           "sum",
                                           "triple",
                                           "two",
                                           "use",
                                           "v",
                                           "val",
                                           "w",
                                           "we\"ird\\name"};
  static const char *const streamOrdered[] = {
      "gpu_record", "gpu_axpy_f64", "axpy", "fast", "fork", "g",
      "gpu",        "gv",           "norm", "s",    "step"};
  static const char *const hostGpu[] = {"sync", "peek", "gpu_plain"};
  for (const char *name : cpuKernels)
    tgrt_register_cpu_kernel(rt, name, harmlessKernel, nullptr);
  for (const char *name : streamOrdered)
    tgrt_register_gpu_kernel(rt, name, harmlessKernel, nullptr,
                             TGRT_KERNEL_STREAM_ORDERED |
                                 TGRT_KERNEL_CAPTURABLE);
  for (const char *name : hostGpu)
    tgrt_register_gpu_kernel(rt, name, harmlessKernel, nullptr, 0);
  tgrt_register_cpu_kernel(rt, "fail", failingKernel, nullptr);
  tgrt_register_gpu_kernel(rt, "gpu_fail", failingKernel, nullptr,
                           TGRT_KERNEL_STREAM_ORDERED);
  return rt;
}

bool readNumber(const uint8_t *p, size_t n, size_t &pc, uint64_t &value) {
  value = 0;
  for (unsigned shift = 0; pc < n && shift < 64; shift += 7) {
    const uint8_t byte = p[pc++];
    value |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      return true;
  }
  return false;
}

/// Operands per opcode (tgrt.h, tgrt_program_op); -1 = unknown.
int operandCount(uint64_t op) {
  static const int counts[] = {-1, 1, 5, 2, 2, 3, 3, 10, 3, 0,
                               2,  3, 1, 2, 1, 2, 2, 3,  2, 2};
  return op < sizeof counts / sizeof counts[0] ? counts[op] : -1;
}

struct Copy {
  uint64_t dstOffset = 0, srcOffset = 0, bytes = 0;
  int64_t dstParam = -1, srcParam = -1;
};

/// Whether replaying the graph that `program` built is safe for the harness,
/// and its number of parameters. The program built, so every call in it
/// succeeded: node ids are the count of tasks, copies and joins before it.
bool safeToReplay(const uint8_t *p, size_t n, uint32_t &numParams) {
  size_t pc = 0;
  uint64_t version = 0;
  if (!readNumber(p, n, pc, version))
    return false;
  uint64_t params = 0;
  uint32_t nodes = 0;
  std::vector<std::pair<uint32_t, Copy>> copies;
  while (pc < n) {
    uint64_t op = 0, a[16];
    if (!readNumber(p, n, pc, op))
      return false;
    int count = operandCount(op);
    if (count < 0)
      return false;
    for (int i = 0; i < count; ++i)
      if (!readNumber(p, n, pc, a[i]))
        return false;
    switch (op) {
    case TGRT_OP_SET_NUM_PARAMS:
      params = a[0];
      break;
    case TGRT_OP_ADD_TASK:
    case TGRT_OP_ADD_JOIN:
      ++nodes;
      break;
    case TGRT_OP_ADD_COPY: {
      Copy c;
      c.dstOffset = a[5];
      c.srcOffset = a[8];
      c.bytes = a[9];
      copies.push_back({nodes++, c});
      break;
    }
    case TGRT_OP_COPY_BIND_PARAM:
      for (auto &[node, c] : copies)
        if (node == a[0]) {
          if (a[1] == 0)
            c.dstParam = static_cast<int64_t>(a[2]);
          else if (a[1] == 1)
            c.srcParam = static_cast<int64_t>(a[2]);
          else
            return false;
        }
      break;
    default:
      break;
    }
  }
  if (params > kMaxReplayParams)
    return false;
  for (const auto &[node, c] : copies) {
    if (c.dstParam < 0 || c.srcParam < 0 || c.dstParam == c.srcParam ||
        c.dstParam >= int64_t(params) || c.srcParam >= int64_t(params))
      return false;
    if (c.bytes > kSlotBytes || c.dstOffset > kSlotBytes - c.bytes ||
        c.srcOffset > kSlotBytes - c.bytes)
      return false;
  }
  numParams = static_cast<uint32_t>(params);
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static tgrt_runtime rt = makeRuntime();
  if (size > (64 << 10))
    return -1;
  size_t pc = 0;
  uint64_t stringsSize = 0;
  if (!readNumber(data, size, pc, stringsSize))
    return 0;
  if (stringsSize > size - pc)
    stringsSize = size - pc;
  // Own copies, so that ASan sees reads past either table's end.
  std::vector<char> strings(data + pc, data + pc + stringsSize);
  pc += stringsSize;
  std::vector<uint8_t> program(data + pc, data + size);

  tgrt_graph graph = nullptr;
  tgrt_status s = tgrt_graph_build(
      rt, "fuzz", program.empty() ? nullptr : program.data(), program.size(),
      strings.empty() ? nullptr : strings.data(), strings.size(), &graph);
  static const bool verbose = std::getenv("TGRAPH_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "fuzz: build: %s %s\n", tgrt_status_string(s),
                 s ? tgrt_last_error() : "");
  if (s != TGRT_OK) {
    if (graph) {
      std::fprintf(stderr, "fuzz: tgrt_graph_build failed but left a graph\n");
      std::abort();
    }
    return 0;
  }
  if (!graph) {
    std::fprintf(stderr, "fuzz: tgrt_graph_build succeeded with no graph\n");
    std::abort();
  }

  uint32_t numParams = 0;
  const bool replay = safeToReplay(program.data(), program.size(), numParams);
  if (verbose)
    std::fprintf(stderr, "fuzz: replay: %s\n", replay ? "yes" : "skipped");
  if (replay) {
    uint64_t params[kMaxReplayParams];
    for (uint32_t i = 0; i < kMaxReplayParams; ++i)
      params[i] = reinterpret_cast<uintptr_t>(gArena + i * kSlotBytes);
    for (int r = 0; r < 2; ++r) {
      tgrt_event done = nullptr;
      if (tgrt_graph_replay(graph, nullptr, 0, params, numParams, &done) !=
          TGRT_OK)
        break;
      tgrt_status w = tgrt_event_wait(done);
      if (verbose)
        std::fprintf(stderr, "fuzz: replay %d: %s %s\n", r,
                     tgrt_status_string(w), w ? tgrt_last_error() : "");
      tgrt_event_release(done);
    }
    uint32_t nodes = 0;
    tgrt_graph_num_nodes(graph, &nodes);
    uint64_t bits = 0;
    for (uint32_t i = 0; i < nodes && i < 64; ++i)
      tgrt_graph_get_result(graph, i, 0, &bits);
  }
  if (tgrt_graph_destroy(graph) != TGRT_OK) {
    std::fprintf(stderr, "fuzz: tgrt_graph_destroy: %s\n", tgrt_last_error());
    std::abort();
  }
  return 0;
}
