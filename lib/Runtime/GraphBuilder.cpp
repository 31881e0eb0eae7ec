//===- GraphBuilder.cpp - Adding nodes, dependences and predicates --------===//
//
// Each addition checks what depends on the graph built so far (node ids,
// processors of this runtime, registered kernels, results) and then records
// it; nothing is decided here: finalize reads the whole builder at once.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"

using namespace tgraph::rt;

std::string GraphBuilder::describe(uint32_t node) const {
  return "'" + nodes[node].name + "' (node " + std::to_string(node) + ")";
}

tgrt_status GraphBuilder::checkNode(uint32_t node, const char *fn) const {
  if (node >= nodes.size())
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(fn) + ": node " + std::to_string(node) +
                        " does not exist (graph '" + *graphName + "' has " +
                        std::to_string(nodes.size()) + " nodes)");
  return TGRT_OK;
}

tgrt_status GraphBuilder::checkTask(uint32_t node, const char *fn) const {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  if (nodes[node].kind != NodeKind::Task)
    return setError(TGRT_ERROR_INVALID_ARGUMENT, std::string(fn) + ": node " +
                                                     std::to_string(node) +
                                                     " is not a task");
  if (nodes[node].args.size() >= 65536)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": too many arguments");
  return TGRT_OK;
}

tgrt_status GraphBuilder::checkResult(uint32_t node, uint32_t result,
                                      const char *fn) const {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  if (result >= nodes[node].numResults)
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(fn) + ": node " + std::to_string(node) +
                        " has no result " + std::to_string(result));
  return TGRT_OK;
}

tgrt_status GraphBuilder::checkPred(uint32_t pred, const char *fn) const {
  if (pred >= preds.size())
    return setError(TGRT_ERROR_OUT_OF_RANGE, std::string(fn) + ": predicate " +
                                                 std::to_string(pred) +
                                                 " does not exist");
  return TGRT_OK;
}

tgrt_status GraphBuilder::checkProcessor(int32_t kind, uint32_t index,
                                         uint32_t stream, bool forCopy) const {
  const tgrt_config &c = rt->config;
  switch (kind) {
  case TGRT_PROC_CPU:
    if (index >= c.num_cpu_workers)
      return setError(TGRT_ERROR_OUT_OF_RANGE,
                      "cpu worker " + std::to_string(index) +
                          " does not exist (the runtime has " +
                          std::to_string(c.num_cpu_workers) + " workers)");
    return TGRT_OK;
  case TGRT_PROC_GPU:
  case TGRT_PROC_COPY: {
    if (index >= c.num_gpus)
      return setError(TGRT_ERROR_OUT_OF_RANGE,
                      "gpu " + std::to_string(index) +
                          " does not exist (the runtime has " +
                          std::to_string(c.num_gpus) + " gpus)");
    uint32_t limit =
        kind == TGRT_PROC_GPU ? c.streams_per_gpu : c.copy_streams_per_gpu;
    if (stream >= limit)
      return setError(
          TGRT_ERROR_OUT_OF_RANGE,
          std::string(kind == TGRT_PROC_GPU ? "stream " : "copy stream ") +
              std::to_string(stream) + " does not exist (gpu has " +
              std::to_string(limit) + ")");
    if (kind == TGRT_PROC_COPY && !forCopy)
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "tasks cannot be placed on a copy stream; use "
                      "TGRT_PROC_GPU");
    return TGRT_OK;
  }
  case TGRT_PROC_INLINE:
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "TGRT_PROC_INLINE is only for joins (tgrt_graph_add_join)");
  default:
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "unknown processor kind " + std::to_string(kind));
  }
}

/// Puts "fn: " before the message a check that does not know the entry
/// point has set.
static tgrt_status withCaller(tgrt_status s, const char *fn) {
  return setError(s, std::string(fn) + ": " + tgrt_last_error());
}

tgrt_status GraphBuilder::setNumParams(uint32_t num, const char *fn) {
  numParams = num;
  return TGRT_OK;
}

tgrt_status GraphBuilder::newNode(BNode node, uint32_t &out, const char *fn) {
  if (nodes.size() >= (1u << 30))
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(fn) + ": too many nodes in one graph");
  nodes.push_back(std::move(node));
  out = static_cast<uint32_t>(nodes.size() - 1);
  return TGRT_OK;
}

tgrt_status GraphBuilder::addTask(const char *kernel, int32_t procKind,
                                  uint32_t procIndex, uint32_t stream,
                                  uint32_t numResults, uint32_t &out,
                                  const char *fn) {
  if (tgrt_status s = checkProcessor(procKind, procIndex, stream, false))
    return withCaller(s, fn);
  Kernel *k;
  {
    std::lock_guard<std::mutex> lock(rt->registryMu);
    auto it = rt->kernelsByName.find(kernel);
    if (it == rt->kernelsByName.end())
      return setError(TGRT_ERROR_NOT_FOUND, std::string(fn) + ": kernel '" +
                                                kernel + "' is not registered");
    k = it->second;
  }
  if (k->gpu != (procKind == TGRT_PROC_GPU))
    return setError(
        TGRT_ERROR_INVALID_ARGUMENT,
        std::string(fn) + ": kernel '" + kernel + "' is a " +
            (k->gpu ? "GPU" : "CPU") + " kernel but is placed on " +
            (procKind == TGRT_PROC_GPU ? "a GPU stream" : "a CPU worker"));
  BNode node{};
  node.kind = NodeKind::Task;
  node.procKind = procKind;
  node.procIndex = procIndex;
  node.stream = procKind == TGRT_PROC_GPU ? stream : 0;
  node.kernel = k;
  node.name = k->name;
  node.numResults = numResults;
  node.elseValues.assign(numResults, 0);
  return newNode(std::move(node), out, fn);
}

tgrt_status GraphBuilder::addArg(uint32_t node, Arg arg, const char *fn) {
  if (tgrt_status s = checkTask(node, fn))
    return s;
  if (arg.kind == Arg::Param && arg.a >= numParams)
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(fn) + ": parameter " + std::to_string(arg.a) +
                        " does not exist (graph has " +
                        std::to_string(numParams) +
                        "; call tgrt_graph_set_num_params first)");
  if (arg.kind == Arg::Value)
    if (tgrt_status s = checkResult(arg.a, arg.b, fn))
      return s;
  nodes[node].args.push_back(arg);
  return TGRT_OK;
}

tgrt_status GraphBuilder::setElseValue(uint32_t node, uint32_t result,
                                       uint64_t bits, const char *fn) {
  if (tgrt_status s = checkResult(node, result, fn))
    return s;
  nodes[node].elseValues[result] = bits;
  return TGRT_OK;
}

tgrt_status GraphBuilder::addCopy(int32_t procKind, uint32_t procIndex,
                                  uint32_t stream, void *dst, int32_t dstMem,
                                  uint64_t dstOffset, const void *src,
                                  int32_t srcMem, uint64_t srcOffset,
                                  uint64_t bytes, uint32_t &out,
                                  const char *fn) {
  if (tgrt_status s = checkProcessor(procKind, procIndex, stream, true))
    return withCaller(s, fn);
  if (procKind == TGRT_PROC_CPU &&
      (dstMem == TGRT_MEM_DEVICE || srcMem == TGRT_MEM_DEVICE))
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) +
                        ": a copy touching device memory must be placed on a "
                        "copy stream or a GPU stream");
  BNode node{};
  node.kind = NodeKind::Copy;
  node.procKind = procKind;
  node.procIndex = procIndex;
  node.stream = procKind == TGRT_PROC_CPU ? 0 : stream;
  node.name = "copy";
  node.dst = dst;
  node.src = src;
  node.dstMem = dstMem;
  node.srcMem = srcMem;
  node.dstOffset = dstOffset;
  node.srcOffset = srcOffset;
  node.bytes = bytes;
  return newNode(std::move(node), out, fn);
}

tgrt_status GraphBuilder::copyBindParam(uint32_t node, int32_t which,
                                        uint32_t param, const char *fn) {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  if (nodes[node].kind != NodeKind::Copy)
    return setError(TGRT_ERROR_INVALID_ARGUMENT, std::string(fn) + ": node " +
                                                     std::to_string(node) +
                                                     " is not a copy");
  if (param >= numParams)
    return setError(TGRT_ERROR_OUT_OF_RANGE, std::string(fn) + ": parameter " +
                                                 std::to_string(param) +
                                                 " does not exist");
  (which == 0 ? nodes[node].dstParam : nodes[node].srcParam) = param;
  return TGRT_OK;
}

tgrt_status GraphBuilder::addJoin(uint32_t &out, const char *fn) {
  BNode node{};
  node.kind = NodeKind::Join;
  node.procKind = TGRT_PROC_INLINE;
  node.name = "join";
  return newNode(std::move(node), out, fn);
}

tgrt_status GraphBuilder::setNodeName(uint32_t node, const char *name,
                                      const char *fn) {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  nodes[node].name = name;
  return TGRT_OK;
}

tgrt_status GraphBuilder::setQueuePos(uint32_t node, uint32_t pos,
                                      const char *fn) {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  if (nodes[node].kind == NodeKind::Join)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": node " + std::to_string(node) +
                        " is a join, which has no queue");
  nodes[node].queuePos = pos;
  return TGRT_OK;
}

tgrt_status GraphBuilder::expectDeps(uint32_t node, uint32_t count,
                                     const char *fn) {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  nodes[node].expectDeps = count;
  return TGRT_OK;
}

tgrt_status GraphBuilder::addDep(uint32_t pred, uint32_t succ, int32_t kind,
                                 const char *fn) {
  if (tgrt_status s = checkNode(pred, fn))
    return s;
  if (tgrt_status s = checkNode(succ, fn))
    return s;
  if (pred == succ)
    return setError(TGRT_ERROR_CYCLE, std::string(fn) + ": node " +
                                          std::to_string(pred) +
                                          " cannot depend on itself");
  edges.push_back({pred, succ, kind});
  return TGRT_OK;
}

tgrt_status GraphBuilder::addPred(BPred pred, uint32_t &out, const char *fn) {
  switch (pred.op) {
  case BPred::Const:
    break;
  case BPred::From:
    if (tgrt_status s = checkResult(pred.a, pred.b, fn))
      return s;
    break;
  case BPred::Not:
    if (tgrt_status s = checkPred(pred.a, fn))
      return s;
    break;
  case BPred::And:
  case BPred::Or:
    if (tgrt_status s = checkPred(pred.a, fn))
      return s;
    if (tgrt_status s = checkPred(pred.b, fn))
      return s;
    break;
  }
  preds.push_back(pred);
  out = static_cast<uint32_t>(preds.size() - 1);
  return TGRT_OK;
}

tgrt_status GraphBuilder::setPredicate(uint32_t node, uint32_t pred,
                                       int32_t mode, const char *fn) {
  if (tgrt_status s = checkNode(node, fn))
    return s;
  if (tgrt_status s = checkPred(pred, fn))
    return s;
  if (nodes[node].kind == NodeKind::Join)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string(fn) + ": joins cannot be predicated");
  nodes[node].pred = pred;
  nodes[node].predMode = mode == TGRT_PRED_GUARDED ? PredGuarded : PredWait;
  return TGRT_OK;
}
