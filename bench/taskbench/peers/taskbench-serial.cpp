//===- taskbench-serial.cpp - Task Bench as a plain loop ------------------===//
//
// The zero-overhead floor: every task of every graph called directly, in
// order (timestep by timestep, graphs interleaved per timestep), on the
// calling thread. Same flags, tasks, validation and report as tgraph-bench;
// `-worker` is accepted and ignored (one core).
//
//===----------------------------------------------------------------------===//

#include "../TaskBenchCore.h"

#include <cstdio>

static const char *kTool = "taskbench-serial";

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(argc, argv, kTool, options))
    return 1;
  auto graphs = tb::makeGraphs(options);
  std::vector<tb::InputPlan> plans;
  int64_t maxSteps = 0;
  for (auto &g : graphs) {
    plans.push_back(tb::makeInputPlan(*g));
    maxSteps = std::max(maxSteps, g->params.steps);
  }
  auto execute = [&] {
    for (int64_t t = 0; t < maxSteps; ++t)
      for (size_t gi = 0; gi < graphs.size(); ++gi) {
        tb::GraphState &g = *graphs[gi];
        if (t >= g.params.steps)
          continue;
        const bool outputs = g.hasOutputs();
        for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
          int64_t id = g.taskId(t, i);
          g.executePoint(t, i, outputs ? g.slot(t % 2, i) : nullptr,
                         plans[gi].inputs.data() + plans[gi].start[id],
                         g.numInputs(id));
        }
      }
  };
  return tb::measure(kTool, options, graphs, [&] {
    execute();
    return true;
  });
}
