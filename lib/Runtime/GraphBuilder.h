//===- GraphBuilder.h - A graph being built -------------------------------===//
//
// The nodes, dependences and predicates added to a graph before it is
// finalized, and the checks each addition needs against what is there
// already (a node exists, a processor exists, a kernel is registered, a
// result exists). The C ABI (CApi.cpp) validates the arguments that need no
// graph and dispatches here; finalize (Finalize.cpp) reads the builder once
// and the graph frees it. Each call's messages start with the entry point's
// name, passed as `fn`.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_GRAPHBUILDER_H
#define TGRAPH_LIB_RUNTIME_GRAPHBUILDER_H

#include "ReplayProgram.h"
#include "Runtime.h"

#include <string>
#include <vector>

namespace tgraph {
namespace rt {

struct GraphBuilder {
  struct Arg {
    enum Kind : uint8_t { Imm, Param, Value } kind;
    uint64_t bits; // Imm
    uint32_t a, b; // Param: a = param; Value: a = producer, b = result
  };
  struct BNode {
    NodeKind kind;
    int32_t procKind;
    uint32_t procIndex, stream;
    Kernel *kernel = nullptr;
    std::string name;
    std::vector<Arg> args;
    uint32_t numResults = 0;
    std::vector<uint64_t> elseValues;
    // Copies.
    void *dst = nullptr;
    const void *src = nullptr;
    int32_t dstMem = 0, srcMem = 0;
    uint64_t dstOffset = 0, srcOffset = 0, bytes = 0;
    int64_t dstParam = -1, srcParam = -1;
    int64_t pred = -1;
    uint8_t predMode = PredNone;
    int64_t queuePos = -1;   // the compiler's queue position, if given
    int64_t expectDeps = -1; // the compiler's dependency count, if given
  };
  struct BEdge {
    uint32_t pred, succ;
    int32_t kind;
  };
  struct BPred {
    enum Op : uint8_t { Const, From, Not, And, Or } op;
    uint32_t a, b; // Const: a = value; From: a = producer, b = result
  };

  GraphBuilder(Runtime *rt, const std::string *graphName)
      : rt(rt), graphName(graphName) {}

  Runtime *rt;
  const std::string *graphName; // the graph's, which outlives the builder
  uint32_t numParams = 0;
  std::vector<BNode> nodes;
  std::vector<BEdge> edges;
  std::vector<BPred> preds;

  /// "'name' (node N)", for messages.
  std::string describe(uint32_t node) const;

  // --- Checks against what has been built.
  tgrt_status checkNode(uint32_t node, const char *fn) const;
  tgrt_status checkTask(uint32_t node, const char *fn) const;
  tgrt_status checkResult(uint32_t node, uint32_t result, const char *fn) const;
  tgrt_status checkPred(uint32_t pred, const char *fn) const;
  tgrt_status checkProcessor(int32_t kind, uint32_t index, uint32_t stream,
                             bool forCopy) const;

  // --- Additions; each checks, then changes the builder.
  tgrt_status setNumParams(uint32_t num, const char *fn);
  tgrt_status addTask(const char *kernel, int32_t procKind, uint32_t procIndex,
                      uint32_t stream, uint32_t numResults, uint32_t &out,
                      const char *fn);
  tgrt_status addArg(uint32_t node, Arg arg, const char *fn);
  tgrt_status setElseValue(uint32_t node, uint32_t result, uint64_t bits,
                           const char *fn);
  tgrt_status addCopy(int32_t procKind, uint32_t procIndex, uint32_t stream,
                      void *dst, int32_t dstMem, uint64_t dstOffset,
                      const void *src, int32_t srcMem, uint64_t srcOffset,
                      uint64_t bytes, uint32_t &out, const char *fn);
  tgrt_status copyBindParam(uint32_t node, int32_t which, uint32_t param,
                            const char *fn);
  tgrt_status addJoin(uint32_t &out, const char *fn);
  tgrt_status setNodeName(uint32_t node, const char *name, const char *fn);
  tgrt_status setQueuePos(uint32_t node, uint32_t pos, const char *fn);
  tgrt_status expectDeps(uint32_t node, uint32_t count, const char *fn);
  tgrt_status addDep(uint32_t pred, uint32_t succ, int32_t kind,
                     const char *fn);
  tgrt_status addPred(BPred pred, uint32_t &out, const char *fn);
  tgrt_status setPredicate(uint32_t node, uint32_t pred, int32_t mode,
                           const char *fn);

private:
  tgrt_status newNode(BNode node, uint32_t &out, const char *fn);
};

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_GRAPHBUILDER_H
