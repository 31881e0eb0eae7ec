//===- Generator.cpp - Task Bench graphs as tgraph IR ---------------------===//
//
// Task Bench's dependence function (widths, offsets, dependence sets and the
// interval lists of every pattern) and the builder that turns one Task Bench
// graph into a `tgraph.graph`, logical (buffer accesses) or physical
// (awaits). Everything is linear in the number of tasks plus dependences:
// 1M-task graphs are built in seconds.
//
//===----------------------------------------------------------------------===//

#include "tgraph/TaskBench/Generator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::tgraph;
using namespace mlir::tgraph::taskbench;

//===----------------------------------------------------------------------===//
// Pattern names
//===----------------------------------------------------------------------===//

static constexpr llvm::StringRef kPatternNames[] = {
    "trivial", "no_comm", "stencil_1d",    "stencil_1d_periodic",
    "dom",     "tree",    "fft",           "all_to_all",
    "nearest", "spread",  "random_nearest"};

std::optional<DependenceType> taskbench::parsePattern(llvm::StringRef name) {
  for (auto [i, candidate] : llvm::enumerate(kPatternNames))
    if (candidate == name)
      return static_cast<DependenceType>(i);
  return std::nullopt;
}

llvm::StringRef taskbench::getPatternName(DependenceType pattern) {
  return kPatternNames[static_cast<unsigned>(pattern)];
}

llvm::ArrayRef<llvm::StringRef> taskbench::getPatternNames() {
  return kPatternNames;
}

//===----------------------------------------------------------------------===//
// Parameter checks
//===----------------------------------------------------------------------===//

/// Patterns whose dependence sets cycle with a user-given period.
static bool needsPeriod(DependenceType pattern) {
  return pattern == DependenceType::Spread ||
         pattern == DependenceType::RandomNearest;
}

static llvm::Error paramError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error taskbench::checkParams(Params &p) {
  llvm::StringRef type = getPatternName(p.pattern);
  if (p.steps <= 0)
    return paramError(llvm::formatv("-steps {0} must be > 0", p.steps));
  if (p.width <= 0)
    return paramError(llvm::formatv("-width {0} must be > 0", p.width));
  // Task ids and slot indices are int64: refuse graphs whose task count
  // would overflow, long before they would fit in memory anyway.
  if (p.steps > std::numeric_limits<int32_t>::max() / p.width)
    return paramError(
        llvm::formatv("-steps {0} x -width {1} is too many tasks (at most {2})",
                      p.steps, p.width, std::numeric_limits<int32_t>::max()));
  if (p.radix < 0)
    return paramError(llvm::formatv("-radix {0} must be >= 0", p.radix));
  if (!(p.fraction >= 0.0 && p.fraction <= 1.0))
    return paramError(
        llvm::formatv("-fraction {0} must be >= 0 and <= 1", p.fraction));
  if (p.outputBytes < 16)
    return paramError(llvm::formatv(
        "-output {0} must be >= 16 (a task writes its (timestep, point) "
        "pair)",
        p.outputBytes));
  if (p.graphIndex < 0)
    return paramError(
        llvm::formatv("-graph-index {0} must be >= 0", p.graphIndex));
  if (p.buffers < 0 || p.buffers == 1)
    return paramError(llvm::formatv(
        "-buffers {0} must be 0 (one slot per task) or >= 2; with one slot "
        "a task would overwrite the slot its neighbours still read",
        p.buffers));
  if (p.kernel.empty())
    return paramError("-kernel needs a non-empty name");
  if (p.graphName.empty())
    return paramError("-name needs a non-empty graph name");

  if (p.period < -1)
    return paramError(llvm::formatv("-period {0} must be >= 0", p.period));
  if (p.period == -1)
    p.period = needsPeriod(p.pattern) ? 3 : 0;
  if (needsPeriod(p.pattern) && p.period == 0)
    return paramError(llvm::formatv(
        "pattern {0} needs a non-zero period (specify it with -period)", type));
  if (!needsPeriod(p.pattern) && p.period != 0)
    return paramError(llvm::formatv(
        "pattern {0} takes no -period (only spread and random_nearest do)",
        type));

  if (p.pattern == DependenceType::Spread) {
    // Task Bench's own rules: k * W / radix must give radix distinct
    // points, and the period must not wrap a dependence onto the next one.
    if (p.radix == 0 || p.radix > p.width)
      return paramError(llvm::formatv(
          "pattern spread needs 0 < -radix <= -width, got -radix {0} with "
          "-width {1}",
          p.radix, p.width));
    int64_t spread = (p.width + p.radix - 1) / p.radix;
    if (p.period > spread)
      return paramError(llvm::formatv(
          "pattern spread needs -period <= ceil(width / radix) = {0}, got "
          "{1}",
          spread, p.period));
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// The dependence function
//===----------------------------------------------------------------------===//

int64_t taskbench::widthAt(const Params &p, int64_t t) {
  if (t < 0 || t >= p.steps)
    return 0;
  switch (p.pattern) {
  case DependenceType::Dom:
    return std::min({p.width, t + 1, p.steps - t});
  case DependenceType::Tree:
    return std::min<int64_t>(p.width, int64_t(1) << std::min<int64_t>(t, 62));
  default:
    return p.width;
  }
}

int64_t taskbench::offsetAt(const Params &p, int64_t t) {
  if (t < 0 || t >= p.steps)
    return 0;
  if (p.pattern == DependenceType::Dom)
    return std::max<int64_t>(0, t + p.width - p.steps);
  return 0;
}

int64_t taskbench::numDependenceSets(const Params &p) {
  switch (p.pattern) {
  case DependenceType::FFT: {
    // ceil(log2 W), at least 1: Task Bench divides by it (and would divide
    // by zero for W = 1).
    int64_t d = 0;
    while ((int64_t(1) << d) < p.width)
      ++d;
    return std::max<int64_t>(d, 1);
  }
  case DependenceType::Spread:
  case DependenceType::RandomNearest:
    return std::max<int64_t>(p.period, 1);
  default:
    return 1;
  }
}

int64_t taskbench::dependenceSetAt(const Params &p, int64_t t) {
  int64_t d = numDependenceSets(p);
  switch (p.pattern) {
  case DependenceType::FFT:
    return (t + d - 1) % d;
  case DependenceType::Spread:
  case DependenceType::RandomNearest:
    return t % d;
  default:
    return 0;
  }
}

/// MurmurHash3 x64-128 (Austin Appleby, public domain), the first 64 bits.
static uint64_t murmur3x64First(const uint8_t *data, size_t len,
                                uint32_t seed) {
  auto rotl = [](uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
  auto fmix = [](uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
  };
  auto load = [](const uint8_t *ptr, size_t n) {
    uint64_t v = 0; // Little-endian, independent of the host.
    for (size_t i = 0; i < n; ++i)
      v |= uint64_t(ptr[i]) << (8 * i);
    return v;
  };
  const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  uint64_t h1 = seed, h2 = seed;
  size_t nblocks = len / 16;
  for (size_t i = 0; i < nblocks; ++i) {
    uint64_t k1 = load(data + 16 * i, 8), k2 = load(data + 16 * i + 8, 8);
    k1 *= c1;
    k1 = rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const uint8_t *tail = data + 16 * nblocks;
  size_t rest = len & 15;
  if (rest > 8) {
    uint64_t k2 = load(tail + 8, rest - 8);
    k2 *= c2;
    k2 = rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  if (rest > 0) {
    uint64_t k1 = load(tail, std::min<size_t>(rest, 8));
    k1 *= c1;
    k1 = rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }
  h1 ^= len;
  h2 ^= len;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  return h1;
}

double taskbench::randomUniform(llvm::ArrayRef<int64_t> key) {
  llvm::SmallVector<uint8_t, 64> bytes;
  for (int64_t v : key)
    for (int b = 0; b < 8; ++b)
      bytes.push_back(uint8_t(uint64_t(v) >> (8 * b)));
  uint64_t bits = murmur3x64First(bytes.data(), bytes.size(), 1234567);
  return static_cast<double>(bits) * 0x1.p-64;
}

/// Task Bench's dependencies(dset, i) before clipping, possibly unsorted and
/// overlapping (stencil_1d_periodic on narrow graphs).
static void rawDependencies(const Params &p, int64_t dset, int64_t i,
                            llvm::SmallVectorImpl<Interval> &out) {
  const int64_t w = p.width;
  switch (p.pattern) {
  case DependenceType::Trivial:
    return;
  case DependenceType::NoComm:
    out.push_back({i, i});
    return;
  case DependenceType::Stencil1D:
    out.push_back({std::max<int64_t>(0, i - 1), std::min(i + 1, w - 1)});
    return;
  case DependenceType::Stencil1DPeriodic:
    out.push_back({std::max<int64_t>(0, i - 1), std::min(i + 1, w - 1)});
    if (i - 1 < 0)
      out.push_back({w - 1, w - 1});
    if (i + 1 >= w)
      out.push_back({0, 0});
    return;
  case DependenceType::Dom:
    out.push_back({std::max<int64_t>(0, i - 1), i});
    return;
  case DependenceType::Tree:
    out.push_back({i / 2, i / 2});
    return;
  case DependenceType::FFT: {
    int64_t stride = int64_t(1) << dset;
    if (i - stride >= 0)
      out.push_back({i - stride, i - stride});
    out.push_back({i, i});
    if (i + stride < w)
      out.push_back({i + stride, i + stride});
    return;
  }
  case DependenceType::AllToAll:
    out.push_back({0, w - 1});
    return;
  case DependenceType::Nearest:
    if (p.radix > 0)
      out.push_back({std::max<int64_t>(0, i - p.radix / 2),
                     std::min(i + (p.radix - 1) / 2, w - 1)});
    return;
  case DependenceType::Spread:
    for (int64_t k = 0; k < p.radix; ++k) {
      int64_t dep = (i + k * w / p.radix + (k > 0 ? dset : 0)) % w;
      out.push_back({dep, dep});
    }
    return;
  case DependenceType::RandomNearest: {
    // Runs of kept points become intervals, as in Task Bench.
    int64_t runStart = -1;
    int64_t first = std::max<int64_t>(0, i - p.radix / 2);
    int64_t last = std::min(i + (p.radix - 1) / 2, w - 1);
    for (int64_t j = first; j <= last; ++j) {
      double value = randomUniform({p.graphIndex, p.radix, dset, j, i});
      bool keep = value < p.fraction || (p.radix > 0 && j == i);
      if (keep && runStart < 0)
        runStart = j;
      if (!keep && runStart >= 0) {
        out.push_back({runStart, j - 1});
        runStart = -1;
      }
    }
    if (runStart >= 0)
      out.push_back({runStart, last});
    return;
  }
  }
}

void taskbench::dependencies(const Params &p, int64_t t, int64_t i,
                             llvm::SmallVectorImpl<Interval> &out) {
  out.clear();
  int64_t offset = offsetAt(p, t), width = widthAt(p, t);
  if (t <= 0 || i < offset || i >= offset + width)
    return;
  llvm::SmallVector<Interval, 4> raw;
  rawDependencies(p, dependenceSetAt(p, t), i, raw);
  // Only points active in row t - 1 exist (dom, tree); Task Bench's
  // implementations skip the others the same way.
  int64_t lo = offsetAt(p, t - 1), hi = lo + widthAt(p, t - 1) - 1;
  for (Interval interval : raw) {
    interval.first = std::max(interval.first, lo);
    interval.second = std::min(interval.second, hi);
    if (interval.first <= interval.second)
      out.push_back(interval);
  }
  if (out.size() < 2)
    return;
  llvm::sort(out);
  unsigned kept = 0;
  for (unsigned k = 1; k < out.size(); ++k) {
    if (out[k].first <= out[kept].second + 1)
      out[kept].second = std::max(out[kept].second, out[k].second);
    else
      out[++kept] = out[k];
  }
  out.resize(kept + 1);
}

std::vector<Interval> taskbench::dependencies(const Params &p, int64_t t,
                                              int64_t i) {
  llvm::SmallVector<Interval, 4> deps;
  dependencies(p, t, i, deps);
  return std::vector<Interval>(deps.begin(), deps.end());
}

uint64_t taskbench::countTasks(const Params &p) {
  uint64_t n = 0;
  for (int64_t t = 0; t < p.steps; ++t)
    n += widthAt(p, t);
  return n;
}

uint64_t taskbench::countDependencies(const Params &p) {
  uint64_t n = 0;
  llvm::SmallVector<Interval, 4> deps;
  for (int64_t t = 1; t < p.steps; ++t) {
    int64_t offset = offsetAt(p, t);
    for (int64_t i = offset, e = offset + widthAt(p, t); i < e; ++i) {
      dependencies(p, t, i, deps);
      for (Interval d : deps)
        n += d.second - d.first + 1;
    }
  }
  return n;
}

//===----------------------------------------------------------------------===//
// IR construction
//===----------------------------------------------------------------------===//

namespace {
/// Builds one graph. Caches every attribute and type it needs per arity so
/// that a task costs one op creation, not a round of attribute uniquing.
class GraphBuilder {
public:
  GraphBuilder(OpBuilder &builder, const Params &p, SymbolTable &symbols)
      : b(builder), p(p), symbols(symbols), ctx(builder.getContext()),
        loc(NameLoc::get(StringAttr::get(ctx, p.graphName))) {}

  llvm::Expected<GraphOp> build();

private:
  /// The kernel symbol for tasks with `numInputs` input buffers, declared on
  /// first use (or reused when declared identically before).
  llvm::Expected<FlatSymbolRefAttr> getKernel(int64_t numInputs);
  /// `[write, read x numInputs]`, cached.
  ArrayAttr getAccess(int64_t numInputs);
  /// The i64 constant `v`, created at the top of the graph on first use.
  Value getIndex(int64_t v);
  llvm::Error buildLogical(Block &body);
  llvm::Error buildPhysical(Block &body);

  OpBuilder &b;
  const Params &p;
  SymbolTable &symbols;
  MLIRContext *ctx;
  Location loc;
  /// Where kernels go: before the graph, in the module.
  OpBuilder::InsertPoint kernelPoint;
  Block *graphBody = nullptr;
  Operation *lastConstant = nullptr;
  llvm::SmallVector<Value> constants;
  llvm::SmallVector<FlatSymbolRefAttr> kernels;
  llvm::SmallVector<ArrayAttr> accessArrays;
  Type eventType, i64Type, bufferParamType;
};
} // namespace

llvm::Expected<FlatSymbolRefAttr> GraphBuilder::getKernel(int64_t numInputs) {
  // Index 0 of the cache is the physical/trivial kernel (no buffers);
  // index N + 1 the logical kernel with N inputs.
  size_t slot = numInputs < 0 ? 0 : numInputs + 1;
  if (slot < kernels.size() && kernels[slot])
    return kernels[slot];
  if (slot >= kernels.size())
    kernels.resize(slot + 1);

  std::string name = p.kernel;
  llvm::SmallVector<Type> params = {i64Type, i64Type};
  if (numInputs >= 0) {
    name += "_in" + std::to_string(numInputs);
    params.append(numInputs + 1, bufferParamType);
  }
  auto type = FunctionType::get(ctx, params, {});
  Target target = p.gpu ? Target::gpu : Target::cpu;
  if (Operation *existing = symbols.lookup(name)) {
    // Several graphs of one module share their kernels; anything else of
    // that name is a clash the user resolves by renaming.
    auto kernel = dyn_cast<KernelOp>(existing);
    if (!kernel)
      return paramError(llvm::formatv(
          "symbol @{0} is already taken by a '{1}'; choose another -kernel "
          "or -name",
          name, existing->getName().getStringRef()));
    if (kernel.getFunctionType() != type || kernel.getTarget() != target)
      return paramError(llvm::formatv(
          "kernel @{0} is already declared for {1}; a {2} graph cannot share "
          "it, choose another -kernel name",
          name, kernel.isGpu() ? "gpu" : "cpu", p.gpu ? "gpu" : "cpu"));
  } else {
    OpBuilder::InsertionGuard guard(b);
    b.restoreInsertionPoint(kernelPoint);
    auto kernel = KernelOp::create(b, loc, name, type, target,
                                   /*stream_ordered=*/p.gpu,
                                   /*host_access=*/false, /*may_block=*/false,
                                   /*spawns=*/false, /*cost=*/IntegerAttr());
    symbols.insert(kernel);
    // symbols.insert may rename on a clash; we looked it up, so it did not.
    kernelPoint = b.saveInsertionPoint();
  }
  kernels[slot] = FlatSymbolRefAttr::get(ctx, name);
  return kernels[slot];
}

ArrayAttr GraphBuilder::getAccess(int64_t numInputs) {
  if (size_t(numInputs) >= accessArrays.size())
    accessArrays.resize(numInputs + 1);
  ArrayAttr &cached = accessArrays[numInputs];
  if (!cached) {
    llvm::SmallVector<Attribute> modes = {
        AccessModeAttr::get(ctx, AccessMode::write)};
    modes.append(numInputs, AccessModeAttr::get(ctx, AccessMode::read));
    cached = ArrayAttr::get(ctx, modes);
  }
  return cached;
}

Value GraphBuilder::getIndex(int64_t v) {
  if (size_t(v) >= constants.size())
    constants.resize(v + 1);
  if (!constants[v]) {
    // Constants live together at the top of the body, in creation order,
    // where they dominate every task.
    OpBuilder::InsertionGuard guard(b);
    if (lastConstant)
      b.setInsertionPointAfter(lastConstant);
    else
      b.setInsertionPointToStart(graphBody);
    auto op = arith::ConstantIntOp::create(b, loc, i64Type, v);
    lastConstant = op;
    constants[v] = op;
  }
  return constants[v];
}

llvm::Error GraphBuilder::buildLogical(Block &body) {
  // Slot s of point i is block argument s * W + i; see the header for the
  // edges that slot reuse adds.
  const int64_t slots = body.getNumArguments() / p.width;
  const bool trivial = p.pattern == DependenceType::Trivial;
  llvm::SmallVector<Interval, 4> deps;
  llvm::SmallVector<Value> args;
  for (int64_t t = 0; t < p.steps; ++t) {
    int64_t offset = offsetAt(p, t);
    for (int64_t i = offset, e = offset + widthAt(p, t); i < e; ++i) {
      args.assign({getIndex(t), getIndex(i)});
      int64_t numInputs = -1;
      // trivial: nothing reads an output, so a task gets no buffer at all
      // (a write would only add WAW edges that Task Bench does not have).
      if (!trivial) {
        args.push_back(body.getArgument((t % slots) * p.width + i));
        dependencies(p, t, i, deps);
        numInputs = 0;
        for (Interval d : deps)
          for (int64_t j = d.first; j <= d.second; ++j, ++numInputs)
            args.push_back(body.getArgument(((t - 1) % slots) * p.width + j));
      }
      auto kernel = getKernel(numInputs);
      if (!kernel)
        return kernel.takeError();
      TaskOp::create(b, loc, eventType, TypeRange(), *kernel, args,
                     ValueRange(), Value(),
                     trivial ? ArrayAttr() : getAccess(numInputs), ArrayAttr(),
                     ArrayAttr(), PredModeAttr(), ProcAttr());
    }
  }
  YieldOp::create(b, loc);
  return llvm::Error::success();
}

llvm::Error GraphBuilder::buildPhysical(Block &body) {
  Value pre = body.getArgument(0);
  auto kernel = getKernel(-1);
  if (!kernel)
    return kernel.takeError();
  // Events of the previous and current row by point, and whether anything
  // awaited each event of the previous row (if not, it is a sink).
  llvm::SmallVector<Value> prev(p.width), cur(p.width);
  llvm::SmallVector<bool> prevUsed(p.width, false), curUsed(p.width, false);
  llvm::SmallVector<Value> sinks, awaits;
  llvm::SmallVector<Interval, 4> deps;
  for (int64_t t = 0; t < p.steps; ++t) {
    int64_t offset = offsetAt(p, t), width = widthAt(p, t);
    for (int64_t i = offset; i < offset + width; ++i) {
      dependencies(p, t, i, deps);
      awaits.clear();
      for (Interval d : deps)
        for (int64_t j = d.first; j <= d.second; ++j) {
          awaits.push_back(prev[j]);
          prevUsed[j] = true;
        }
      if (awaits.empty())
        awaits.push_back(pre);
      cur[i] = TaskOp::create(b, loc, eventType, TypeRange(), *kernel,
                              ValueRange{getIndex(t), getIndex(i)}, awaits,
                              Value(), ArrayAttr(), ArrayAttr(), ArrayAttr(),
                              PredModeAttr(), ProcAttr())
                   .getDone();
      curUsed[i] = false;
    }
    int64_t prevOffset = offsetAt(p, t - 1);
    for (int64_t j = prevOffset, e = prevOffset + widthAt(p, t - 1); j < e; ++j)
      if (!prevUsed[j])
        sinks.push_back(prev[j]);
    std::swap(prev, cur);
    std::swap(prevUsed, curUsed);
  }
  int64_t lastOffset = offsetAt(p, p.steps - 1);
  for (int64_t j = lastOffset, e = lastOffset + widthAt(p, p.steps - 1); j < e;
       ++j)
    sinks.push_back(prev[j]);
  Value done = JoinOp::create(b, loc, eventType, sinks).getDone();
  YieldOp::create(b, loc, ValueRange{done});
  return llvm::Error::success();
}

llvm::Expected<GraphOp> GraphBuilder::build() {
  eventType = EventType::get(ctx);
  i64Type = IntegerType::get(ctx, 64);
  MemoryKind memory = p.gpu ? MemoryKind::gpu : MemoryKind::host;
  bufferParamType = BufferType::get(ctx, IntegerType::get(ctx, 8),
                                    BufferType::kDynamic, memory);
  if (Operation *existing = symbols.lookup(p.graphName))
    return paramError(llvm::formatv(
        "symbol @{0} is already taken by a '{1}'; choose another graph name "
        "with -name",
        p.graphName, existing->getName().getStringRef()));

  llvm::SmallVector<Type> inputs, results;
  if (p.physical) {
    inputs.push_back(eventType);
    results.push_back(eventType);
  } else if (p.pattern != DependenceType::Trivial) {
    int64_t slots = p.buffers == 0 ? p.steps : std::min(p.buffers, p.steps);
    inputs.assign(
        slots * p.width,
        BufferType::get(ctx, IntegerType::get(ctx, 8), p.outputBytes, memory));
  }
  auto graph = GraphOp::create(b, loc, p.graphName,
                               FunctionType::get(ctx, inputs, results));
  symbols.insert(graph);
  if (p.physical)
    graph.setPhysical(true);
  graphBody = &graph.getBodyBlock();
  // Kernels go before the graph (declarations first, like a C file).
  b.setInsertionPoint(graph);
  kernelPoint = b.saveInsertionPoint();

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(graphBody);
  llvm::Error err =
      p.physical ? buildPhysical(*graphBody) : buildLogical(*graphBody);
  if (err) {
    graph.erase();
    return std::move(err);
  }
  return graph;
}

llvm::Expected<GraphOp> taskbench::generate(OpBuilder &builder,
                                            const Params &params) {
  Block *block = builder.getInsertionBlock();
  auto module = block ? dyn_cast<ModuleOp>(block->getParentOp()) : ModuleOp();
  if (!module)
    return paramError("generate() needs an insertion point in a module body");
  // Check a copy: a caller that skipped checkParams gets an error, not a
  // division by zero.
  Params checked = params;
  if (llvm::Error err = checkParams(checked))
    return std::move(err);
  builder.getContext()->loadDialect<TGraphDialect, arith::ArithDialect>();
  SymbolTable symbols(module);
  GraphBuilder graphBuilder(builder, checked, symbols);
  return graphBuilder.build();
}

llvm::Expected<OwningOpRef<ModuleOp>>
taskbench::generateModule(MLIRContext *context, llvm::ArrayRef<Params> graphs) {
  context->loadDialect<TGraphDialect, arith::ArithDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(context));
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module->getBody());
  for (const Params &params : graphs) {
    auto graph = generate(builder, params);
    if (!graph)
      return graph.takeError();
    builder.setInsertionPointToEnd(module->getBody());
  }
  return std::move(module);
}
