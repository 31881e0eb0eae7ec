//===- Graph.cpp - What a graph holds beyond its phases -------------------===//
//
// Node ids checked against whichever side of finalize the graph is on, and
// the release of what a finalized graph holds in the backend (shared
// memory, private streams, events, a device graph). Building is in
// GraphBuilder.cpp, finalizing in Finalize.cpp, replaying in Replay.cpp.
//
//===----------------------------------------------------------------------===//

#include "Graph.h"

#include <cstdlib>

using namespace tgraph::rt;

tgrt_status tgrt_graph_impl::checkNode(uint32_t node, const char *fn) const {
  if (node >= numNodes())
    return setError(TGRT_ERROR_OUT_OF_RANGE,
                    std::string(fn) + ": node " + std::to_string(node) +
                        " does not exist (graph '" + name + "' has " +
                        std::to_string(numNodes()) + " nodes)");
  return TGRT_OK;
}

void tgrt_graph_impl::releaseResources() {
  Runtime &R = *rt;
  for (uint32_t ev : resources.backendEvents)
    R.backend->releaseEvent(ev);
  resources.backendEvents.clear();
  if (recorder.captured)
    R.backend->destroyCaptured(recorder.captured);
  recorder.captured = nullptr;
  for (const auto &ps : resources.privateStreams)
    R.backend->releasePrivateStream(ps.first, ps.second);
  resources.privateStreams.clear();
  auto freeShared = [&](void *p) {
    if (!p)
      return;
    if (shared.fromBackend)
      R.backend->freeShared(p);
    else
      std::free(p);
  };
  freeShared(shared.slots);
  freeShared(shared.guardFlags);
  freeShared(shared.predShared);
  freeShared(shared.elseShared);
  shared = SharedMemory{};
}
