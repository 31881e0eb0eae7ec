//===- DeviceGraph.cpp - Single issuer and device-graph recording ---------===//
//
// An all-device graph on one GPU (ReplayProgram::singleIssuer) is issued by
// one thread, the issuer of its first node, in the program's global order:
// every dependence is a device dependence, released when its predecessor is
// issued, so that thread never waits and no hand-off between issuer threads
// is paid per edge. When every kernel is capturable, the second replay with
// the same parameters records this issue into a device graph, and each later
// replay with those parameters is one launch of it plus one completion
// callback. A recording holds every node's work unconditionally: poison and
// predicates are decided when it runs (runNode on an emulated stream, the
// guard kernel with CUDA).
//
//===----------------------------------------------------------------------===//

#include "Graph.h"

#include <algorithm>

using namespace tgraph::rt;

/// Finds the private twin of each stream of a capturable program, to record
/// on (see DeviceGraphRecorder); without twins the graph is issued op by op.
void tgrt_graph_impl::planRecording() {
  recorder.usable = false;
  if (!program.capturable)
    return;
  StreamBackend &backend = *rt->backend;
  const uint32_t origin = program.captureOrigin;
  std::vector<uint32_t> others; // the graph's other streams
  for (const XNode &x : program.nodes)
    if (x.exec == ExecKind::Stream && x.stream != origin &&
        std::find(others.begin(), others.end(), x.stream) == others.end())
      others.push_back(x.stream);
  recorder.recordStreamOf.assign(backend.numStreams(), 0);
  recorder.recordOthers.clear();
  auto twin = [&](uint32_t stream, uint32_t &own) {
    std::string error;
    if (backend.acquirePrivateStream(stream, own, error) != TGRT_OK)
      return false;
    if (own != stream)
      resources.privateStreams.push_back({stream, own});
    recorder.recordStreamOf[stream] = own;
    return true;
  };
  bool ok = twin(origin, recorder.recordOrigin);
  for (uint32_t i = 0; ok && i < others.size(); ++i) {
    recorder.recordOthers.push_back(0);
    ok = twin(others[i], recorder.recordOthers.back());
  }
  recorder.usable = ok;
}

/// What a node puts on `stream` in a recording: its waits, its work, the
/// record of its event.
bool tgrt_graph_impl::recordNode(uint32_t node, uint32_t stream,
                                 std::string &error) {
  const XNode &x = program.nodes[node];
  return enqueueWaits(node, stream, error) &&
         enqueueWork(node, stream, error) &&
         (!x.needsRecord ||
          rt->backend->recordEvent(stream, x.event, error) == TGRT_OK);
}

void tgrt_graph_impl::issueAll(Processor &proc) {
  // tgrt_graph_set_capture since the last replay: drop the recording.
  const uint32_t generation =
      recorder.captureGeneration.load(std::memory_order_acquire);
  if (generation != recorder.recordedGeneration) {
    if (recorder.captured)
      rt->backend->destroyCaptured(recorder.captured);
    recorder.captured = nullptr;
    recorder.recordedGeneration = generation;
  }
  if (recorder.usable &&
      recorder.captureEnabled.load(std::memory_order_relaxed) &&
      !tracing.enabled && !st.failed.load(std::memory_order_relaxed)) {
    // Recorded with these parameters: launch. Else record (again) once a
    // parameter set repeats: a set used once is not worth a recording.
    if (recorder.captured && recorder.capturedParams == st.appliedParams) {
      if (launchDeviceGraph())
        return;
    } else if (st.replaysWithSameParams >= 1 && recordDeviceGraph() &&
               launchDeviceGraph()) {
      return;
    }
  }
  for (uint32_t node : program.issueOrder)
    if (program.nodes[node].exec ==
        ExecKind::Stream) // joins: run by startReplay
      issue(node, proc);
}

bool tgrt_graph_impl::recordDeviceGraph() {
  StreamBackend &backend = *rt->backend;
  std::string error;
  void *token = nullptr;
  const uint32_t numOthers =
      static_cast<uint32_t>(recorder.recordOthers.size());
  backend.bindThread(recorder.recordOrigin);
  bool ok =
      backend.beginCapture(recorder.recordOrigin, recorder.recordOthers.data(),
                           numOthers, token, error) == TGRT_OK;
  for (uint32_t i = 0; ok && i < program.issueOrder.size(); ++i) {
    const XNode &x = program.nodes[program.issueOrder[i]];
    if (x.exec == ExecKind::Stream)
      ok = recordNode(program.issueOrder[i], recorder.recordStreamOf[x.stream],
                      error);
  }
  // Always ended, also after a failure: the backend leaves capture mode.
  void *exec = recorder.captured;
  ok = backend.endCapture(recorder.recordOrigin, recorder.recordOthers.data(),
                          numOthers, token, ok, exec, error) == TGRT_OK &&
       ok;
  if (!ok) {
    // Not recordable (a kernel that fails, or work the backend cannot
    // record): issue node by node from now on.
    if (recorder.captured)
      backend.destroyCaptured(recorder.captured);
    recorder.captured = nullptr;
    recorder.usable = false;
    return false;
  }
  recorder.captured = exec;
  recorder.capturedParams.assign(st.appliedParams.begin(),
                                 st.appliedParams.end());
  return true;
}

/// Launches the recording on the graph's first stream, followed by one
/// completion callback. False (and recording switched off) if the launch
/// fails: the caller then issues op by op.
bool tgrt_graph_impl::launchDeviceGraph() {
  StreamBackend &backend = *rt->backend;
  std::string error;
  if (backend.launchCaptured(recorder.captured, program.captureOrigin, error) !=
      TGRT_OK) {
    backend.destroyCaptured(recorder.captured);
    recorder.captured = nullptr;
    recorder.usable = false;
    return false;
  }
  st.current->deviceGraph = true;
  for (uint32_t i = 0, n = static_cast<uint32_t>(program.nodes.size()); i < n;
       ++i)
    st.issued[i].store(1, std::memory_order_release);
  // One completion callback stands for every stream's: of the finish
  // count's callback ranges, one stays (startReplay's joins take theirs).
  st.finish.fetch_sub(static_cast<int32_t>(program.callbackRanges.size()) - 1,
                      std::memory_order_acq_rel);
  if (backend.enqueueHostFn(program.captureOrigin, &deviceGraphDone, this,
                            error) != TGRT_OK) {
    recordGraphFailure("cannot enqueue the completion callback: " + error);
    backend.synchronize();
    finishOne();
  }
  return true;
}

void tgrt_graph_impl::deviceGraphDone(void *arg) {
  static_cast<tgrt_graph_impl *>(arg)->finishOne();
}
