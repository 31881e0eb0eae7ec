//===- AssignProcessors.cpp - tgraph-assign-processors --------------------===//
//
// HEFT-style list scheduling. Ops are taken by decreasing upward rank (cost
// plus the most expensive path below, counting a transfer cost per edge):
// with positive costs that is a topological order. Each op goes to the
// eligible processor where it would finish first; an edge that crosses
// processors costs a transfer, so a dependent chain stays on one stream.
// O((V + E) * P) for P processors of a kind, O(V log V) for the sort.
//
// The list schedule is also the queue order: ops are placed in rank order,
// and each one starts on its processor after the ops placed there before
// it, so the order of placement per processor is the order of start times.
// That order becomes each op's `tgraph.queue_pos` (unless the graph already
// carries positions: then they are the user's and tgraph-schedule checks
// them), and the runtime runs the queues in exactly that order.
//
//===----------------------------------------------------------------------===//

#include "PassDetail.h"
#include "tgraph/Analysis/EventGraph.h"
#include "tgraph/Analysis/MachineModel.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/Support/Debug.h"

namespace mlir::tgraph {
#define GEN_PASS_DEF_ASSIGNPROCESSORS
#include "tgraph/Transforms/Passes.h.inc"
} // namespace mlir::tgraph

#define DEBUG_TYPE "tgraph-assign-processors"

using namespace mlir;
using namespace mlir::tgraph;

namespace {
// Cost model defaults, in nanoseconds.
constexpr int64_t kDefaultCpuCost = 1000;
constexpr int64_t kDefaultGpuCost = 5000;
constexpr int64_t kCopyLatency = 1000;
constexpr int64_t kHostBytesPerNs = 10;   // memcpy, ~10 GB/s
constexpr int64_t kDeviceBytesPerNs = 20; // PCIe/NVLink copy, ~20 GB/s
constexpr int64_t kTransferCost = 200;    // an edge between processors

enum class ProcClass { None, Cpu, Stream, CopyStream };

struct AssignProcessorsPass
    : public ::mlir::tgraph::impl::AssignProcessorsBase<AssignProcessorsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Options override the module's machine; -1 leaves a parameter alone.
    FailureOr<Machine> resolved = resolveMachine(
        module,
        MachineOverrides::fromOptions(cpus, gpus, streamsPerGpu, copyStreams));
    if (failed(resolved))
      return signalPassFailure();
    Machine m = *resolved;
    TGraphDialect::MachineAttrHelper(&getContext())
        .setAttr(module, m.toAttr(&getContext()));
    SymbolTable symbols(module);
    for (GraphOp graph : module.getOps<GraphOp>())
      if (failed(requirePhysical(graph, "tgraph-assign-processors")) ||
          failed(assign(graph, m, symbols)))
        return signalPassFailure();
  }

  /// The processors of a class, as placements.
  SmallVector<ProcAttr> processors(ProcClass cls, const Machine &m) {
    MLIRContext *ctx = &getContext();
    SmallVector<ProcAttr> procs;
    if (cls == ProcClass::Cpu)
      for (unsigned i = 0; i < m.cpus; ++i)
        procs.push_back(ProcAttr::getCpu(ctx, i));
    if (cls == ProcClass::Stream)
      for (unsigned g = 0; g < m.gpus; ++g)
        for (unsigned s = 0; s < m.streamsPerGpu; ++s)
          procs.push_back(ProcAttr::getStream(ctx, g, s));
    if (cls == ProcClass::CopyStream)
      for (unsigned g = 0; g < m.gpus; ++g)
        for (unsigned s = 0; s < m.copyStreams; ++s)
          procs.push_back(ProcAttr::getCopyStream(ctx, g, s));
    return procs;
  }

  LogicalResult checkPlacement(Operation *op, ProcAttr p, const Machine &m) {
    if (p.isCpu() && p.getIndex() >= m.cpus)
      return op->emitOpError("is placed on ")
             << p << " but the machine has " << m.cpus
             << " CPU workers; pass cpus=N or place it on a worker below "
             << m.cpus;
    if (p.isGpu() && p.getIndex() >= m.gpus)
      return op->emitOpError("is placed on ")
             << p << " but the machine has " << m.gpus
             << " GPUs; pass gpus=N or place it on a GPU below " << m.gpus;
    unsigned limit = p.getCopy() ? m.copyStreams : m.streamsPerGpu;
    if (p.isGpu() && p.getStream() >= int64_t(limit))
      return op->emitOpError("is placed on ")
             << p << " but each GPU has " << limit
             << (p.getCopy() ? " copy streams (copy-streams=N)"
                             : " compute streams (streams-per-gpu=N)");
    return success();
  }

  LogicalResult assign(GraphOp graph, const Machine &m, SymbolTable &symbols) {
    EventGraph g(graph);
    unsigned n = g.size();
    SmallVector<int64_t> cost(n, 0);
    SmallVector<ProcClass> cls(n, ProcClass::None);
    for (unsigned i = 0; i < n; ++i) {
      Operation *op = g.op(i);
      if (auto task = dyn_cast<TaskOp>(op)) {
        KernelOp kernel = lookupKernel(symbols, task);
        bool gpu = kernel && kernel.isGpu();
        cls[i] = gpu ? ProcClass::Stream : ProcClass::Cpu;
        cost[i] = kernel && kernel.getCostAttr()
                      ? kernel.getCostAttr().getInt()
                      : (gpu ? kDefaultGpuCost : kDefaultCpuCost);
        if (gpu && m.gpus == 0)
          return task.emitOpError("runs GPU kernel @")
                 << task.getKernel()
                 << " but the machine has no GPU; pass gpus=N (or set "
                    "tgraph.machine on the module)";
      } else if (auto copy = dyn_cast<CopyOp>(op)) {
        auto src = cast<BufferType>(copy.getSrc().getType());
        bool async = copy.getStreamOrdered();
        // Clamped like a kernel's cost: a huge buffer must not overflow the
        // sums of costs along a path.
        int64_t width = std::max<int64_t>(1, src.getElementBytes());
        int64_t elems = std::max<int64_t>(0, copy.getNumElements());
        int64_t bytes =
            elems > kMaxKernelCost / width ? kMaxKernelCost : elems * width;
        cost[i] = std::min(kMaxKernelCost,
                           kCopyLatency + bytes / (async ? kDeviceBytesPerNs
                                                         : kHostBytesPerNs));
        bool touchesGpu = src.isOnGpu() ||
                          cast<BufferType>(copy.getDst().getType()).isOnGpu();
        if (touchesGpu && m.gpus == 0)
          return copy.emitOpError("moves GPU memory but the machine has no "
                                  "GPU; pass gpus=N (or set tgraph.machine "
                                  "on the module)");
        cls[i] = !async          ? ProcClass::Cpu
                 : m.copyStreams ? ProcClass::CopyStream
                                 : ProcClass::Stream;
      }
      if (cls[i] == ProcClass::Cpu && m.cpus == 0)
        return op->emitOpError("needs a CPU worker but the machine has none; "
                               "pass cpus=N");
      if (cls[i] == ProcClass::Stream && m.streamsPerGpu == 0)
        return op->emitOpError("needs a GPU compute stream but the machine "
                               "has none; pass streams-per-gpu=N");
    }

    // Upward ranks, bottom up (block order is topological).
    SmallVector<int64_t> rank(n, 0);
    for (unsigned i = n; i-- > 0;) {
      int64_t below = 0;
      for (unsigned s : g.succs(i))
        below = std::max(below, rank[s] + kTransferCost);
      rank[i] = cost[i] + below;
    }
    SmallVector<unsigned> order(n);
    for (unsigned i = 0; i < n; ++i)
      order[i] = i;
    llvm::stable_sort(
        order, [&](unsigned a, unsigned b) { return rank[a] > rank[b]; });

    SmallVector<ProcAttr> classProcs[4] = {
        {},
        processors(ProcClass::Cpu, m),
        processors(ProcClass::Stream, m),
        processors(ProcClass::CopyStream, m)};
    llvm::DenseMap<Attribute, int64_t> available;
    SmallVector<int64_t> finish(n, 0);
    SmallVector<ProcAttr> placed(n);
    // Positions in the input are the user's schedule: left alone.
    TGraphDialect::QueuePosAttrHelper queuePos(&getContext());
    bool givenPositions =
        llvm::any_of(graph.getBodyBlock(), [&](Operation &op) {
          return queuePos.isAttrPresent(&op);
        });
    llvm::DenseMap<Attribute, int64_t> queueLength;
    Type i64 = IntegerType::get(&getContext(), 64);
    for (unsigned i : order) {
      Operation *op = g.op(i);
      auto readyOn = [&](ProcAttr proc) {
        int64_t ready = 0;
        for (unsigned p : g.preds(i))
          ready = std::max(ready,
                           finish[p] +
                               (placed[p] == proc && proc ? 0 : kTransferCost));
        return ready;
      };
      if (cls[i] == ProcClass::None) {
        finish[i] = readyOn(nullptr);
        continue;
      }
      auto placedOp = cast<PlacedOpInterface>(op);
      ProcAttr explicitPlacement = placedOp.getPlacementAttr();
      ProcAttr best;
      int64_t bestFinish = 0;
      if (explicitPlacement) {
        if (failed(checkPlacement(op, explicitPlacement, m)))
          return failure();
        best = explicitPlacement;
        bestFinish = std::max(readyOn(best), available.lookup(best)) + cost[i];
      } else {
        for (ProcAttr proc : classProcs[int(cls[i])]) {
          int64_t eft =
              std::max(readyOn(proc), available.lookup(proc)) + cost[i];
          if (!best || eft < bestFinish) {
            best = proc;
            bestFinish = eft;
          }
        }
        placedOp.setPlacementAttr(best);
      }
      placed[i] = best;
      finish[i] = bestFinish;
      available[best] = bestFinish;
      int64_t pos = queueLength[best]++;
      if (!givenPositions)
        queuePos.setAttr(op, IntegerAttr::get(i64, pos));
      LLVM_DEBUG(llvm::dbgs() << describe(op) << ": rank " << rank[i] << ", on "
                              << best << " at position " << pos
                              << ", finishes at " << bestFinish << "\n");
    }
    return success();
  }
};
} // namespace
