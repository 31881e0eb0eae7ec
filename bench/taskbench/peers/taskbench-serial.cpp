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

namespace {
/// Task (t, i)'s input pointers, built once before timing.
struct Plan {
  std::vector<const uint8_t *> inputs;
  std::vector<int64_t> start; // per task id
};

Plan makePlan(tb::GraphState &g) {
  Plan plan;
  plan.start.assign(g.numTasks() + 1, 0);
  for (int64_t id = 0; id < g.numTasks(); ++id) {
    plan.start[id + 1] = plan.start[id] + g.numInputs(id);
  }
  plan.inputs.resize(plan.start.back());
  for (int64_t t = 0; t < g.params.steps; ++t)
    for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
      int64_t id = g.taskId(t, i);
      for (int64_t k = 0; k < g.numInputs(id); ++k)
        plan.inputs[plan.start[id] + k] =
            g.slot((t - 1) % 2, g.inputsBegin(id)[k]);
    }
  return plan;
}
} // namespace

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(argc, argv, kTool, options))
    return 1;
  auto graphs = tb::makeGraphs(options);
  std::vector<Plan> plans;
  int64_t maxSteps = 0;
  for (auto &g : graphs) {
    plans.push_back(makePlan(*g));
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
