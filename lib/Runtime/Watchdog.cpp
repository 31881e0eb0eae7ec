//===- Watchdog.cpp - Time limits of replays ------------------------------===//
//
// tgrt_graph_set_replay_timeout gives a graph's replays a time limit. A
// replay that passes it is completed as failed (its event triggers with
// TGRT_ERROR_TASK_FAILED and a message naming the tasks still inside their
// kernel functions), but a running task cannot be stopped: until the stuck
// replay has really finished, the graph refuses replays and calls that
// would wait for it (wait_idle, destroy, ...) return TGRT_ERROR_INVALID_STATE
// instead of hanging. One watchdog thread per runtime, started by the first
// limit, checks the deadlines about every millisecond; replays without a
// limit never touch it (Replay.cpp: one branch per replay start and per
// kernel call).
//
//===----------------------------------------------------------------------===//

#include "Graph.h"

#include <algorithm>
#include <chrono>

using namespace tgraph::rt;

void tgrt_runtime_impl::watch(tgrt_graph_impl *g) {
  std::lock_guard<std::mutex> lock(watchMu);
  if (std::find(watched.begin(), watched.end(), g) != watched.end())
    return;
  watched.push_back(g);
  if (!watchThread.joinable())
    watchThread = std::thread([this] { watchdogLoop(); });
}

void tgrt_runtime_impl::unwatch(tgrt_graph_impl *g) {
  std::lock_guard<std::mutex> lock(watchMu);
  watched.erase(std::remove(watched.begin(), watched.end(), g), watched.end());
}

void tgrt_runtime_impl::stopWatchdog() {
  {
    std::lock_guard<std::mutex> lock(watchMu);
    watchStop = true;
  }
  watchCv.notify_all();
  if (watchThread.joinable())
    watchThread.join();
}

namespace {
struct Fired {
  tgrt_event_impl *done; // retained
  std::string message;
};
} // namespace

void tgrt_runtime_impl::watchdogLoop() {
  std::vector<Fired> fired;
  std::unique_lock<std::mutex> lock(watchMu);
  while (!watchStop) {
    const uint64_t now = nowNs();
    for (tgrt_graph_impl *g : watched) {
      std::string message;
      if (tgrt_event_impl *done = g->checkDeadline(now, message))
        fired.push_back({done, std::move(message)});
    }
    if (!fired.empty()) {
      // The completion events' waiters may start other replays: not under
      // watchMu.
      lock.unlock();
      for (Fired &f : fired) {
        f.done->trigger(true, &f.message);
        f.done->release();
      }
      fired.clear();
      lock.lock();
      continue;
    }
    watchCv.wait_for(lock, std::chrono::milliseconds(1));
  }
}

tgrt_event_impl *tgrt_graph_impl::checkDeadline(uint64_t now,
                                                std::string &message) {
  tgrt_event_impl *done;
  {
    std::lock_guard<std::mutex> lock(st.timeoutMu);
    // A deadline is set only while its replay runs (replayDone clears it
    // under this lock before letting go of the completion event).
    if (st.deadline == 0 || now < st.deadline)
      return nullptr;
    st.deadline = 0;
    done = st.current->done;
    done->retain();
    message = "graph '" + name + "': replay " +
              std::to_string(st.currentIndex) + " timed out after " +
              std::to_string(st.timeoutNs.load(std::memory_order_relaxed)) +
              " ns; still running: " + tasksInKernel() +
              " (a running task cannot be stopped: the graph refuses "
              "replays until it returns)";
    st.timedOut.store(true, std::memory_order_release);
  }
  // Wake calls waiting for the graph to become idle: they give up now.
  {
    std::lock_guard<std::mutex> lock(rt->idleMu);
  }
  rt->idleCv.notify_all();
  return done;
}

std::string tgrt_graph_impl::tasksInKernel() {
  std::string list;
  for (uint32_t i = 0; i < program.numNodes(); ++i) {
    const XNode &x = program.nodes[i];
    if (!st.inKernel[x.state].load(std::memory_order_acquire))
      continue;
    if (!list.empty())
      list += ", ";
    list +=
        "task '" + std::string(x.name) + "' (node " + std::to_string(i) + ")";
  }
  return list.empty() ? "no task is inside its kernel function (device "
                        "work or a dependence is stuck)"
                      : list;
}

tgrt_status tgrt_graph_impl::checkNotStuck(const char *fn) {
  if (__builtin_expect(!st.timedOut.load(std::memory_order_acquire), 1))
    return TGRT_OK;
  return setError(TGRT_ERROR_INVALID_STATE,
                  std::string(fn) + ": graph '" + name +
                      "' has a replay that timed out and has not finished; "
                      "still running: " +
                      tasksInKernel() +
                      " (a running task cannot be stopped; make it return)");
}
