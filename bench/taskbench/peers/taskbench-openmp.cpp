//===- taskbench-openmp.cpp - Task Bench on OpenMP tasks ------------------===//
//
// The same graphs through OpenMP tasks with `depend` clauses (GCC libgomp):
// one task per point, `depend(out: slot[t % 2][i])` and
// `depend(iterator(k = 0:n), in: slot[(t - 1) % 2][j_k])`, so the OpenMP
// runtime derives the same RAW and WAR edges as tgraph-infer-deps does on
// the double-buffered logical form. One parallel region (with `-worker`
// threads) spans every execution; an execution is all graphs' tasks created
// by one thread, timestep by timestep, then `taskwait` (-taskwait-every N
// adds one every N timesteps). Same flags, tasks,
// validation and report as tgraph-bench.
//
//===----------------------------------------------------------------------===//

#include "../TaskBenchCore.h"

#include <cstdio>
#include <omp.h>

static const char *kTool = "taskbench-openmp";

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(
          argc, argv, kTool, options,
          "taskbench-openmp only:\n"
          "  -taskwait-every N  taskwait after every N timesteps (default 0:\n"
          "                only at the end of an execution, as Task Bench's\n"
          "                OpenMP driver; libgomp's dependence tracking slows\n"
          "                down as deferred tasks pile up)\n"))
    return 1;
  auto graphs = tb::makeGraphs(options);
  std::vector<tb::InputPlan> plans;
  int64_t maxSteps = 0;
  for (auto &g : graphs) {
    plans.push_back(tb::makeInputPlan(*g));
    maxSteps = std::max(maxSteps, g->params.steps);
  }

  auto submit = [&] {
    for (int64_t t = 0; t < maxSteps; ++t) {
      for (size_t gi = 0; gi < graphs.size(); ++gi) {
        tb::GraphState *g = graphs[gi].get();
        if (t >= g->params.steps)
          continue;
        const bool outputs = g->hasOutputs();
        for (int64_t i = g->offsetAt(t), e = i + g->widthAt(t); i < e; ++i) {
          int64_t id = g->taskId(t, i);
          if (!outputs) {
#pragma omp task firstprivate(g, t, i)
            g->executePoint(t, i, nullptr, nullptr, 0);
            continue;
          }
          uint8_t *out = g->slot(t % 2, i);
          const uint8_t *const *in =
              plans[gi].inputs.data() + plans[gi].start[id];
          int64_t n = g->numInputs(id);
#pragma omp task firstprivate(g, t, i, out, in, n) depend(out : out[0])        \
    depend(iterator(k = 0 : n), in : in[k][0])
          g->executePoint(t, i, out, in, n);
        }
      }
      if (options.taskwaitEvery > 0 && (t + 1) % options.taskwaitEvery == 0) {
#pragma omp taskwait
      }
    }
#pragma omp taskwait
  };

  // One parallel region for every execution: the measurement loop runs in
  // the single thread that creates the tasks.
  int rc = 0;
#pragma omp parallel num_threads(options.workers)
#pragma omp single
  rc = tb::measure(kTool, options, graphs, [&] {
    submit();
    return true;
  });
  return rc;
}
