//===- taskbench-starpu.cpp - Task Bench on StarPU ------------------------===//
//
// The same graphs through StarPU 1.3 (Debian's libstarpu-dev): every output
// slot [t % 2][i] is a registered `variable` data handle, every task a
// starpu_task with the slot it writes (STARPU_W) and the slots it reads
// (STARPU_R), so StarPU's sequential consistency derives the same RAW and
// WAR edges as tgraph-infer-deps does on the double-buffered logical form.
// `-worker N` CPU workers, no GPU. An execution submits every task of every
// graph, timestep by timestep, then starpu_task_wait_for_all(). Same flags,
// tasks, validation and report as tgraph-bench. StarPU's own knobs
// (STARPU_SCHED, ...) apply; its default scheduler is used unless set.
//
//===----------------------------------------------------------------------===//

#include "../TaskBenchCore.h"

#include <cstdio>
#include <cstdlib>
#include <starpu.h>

static const char *kTool = "taskbench-starpu";

namespace {
/// The codelet's argument for one task (persistent; not copied by StarPU).
struct TaskArg {
  tb::GraphState *graph;
  int64_t t, i;
};

void cpuFunc(void *buffers[], void *clArg) {
  auto *arg = static_cast<TaskArg *>(clArg);
  tb::GraphState *g = arg->graph;
  if (!g->hasOutputs()) {
    g->executePoint(arg->t, arg->i, nullptr, nullptr, 0);
    return;
  }
  int64_t n = g->numInputs(g->taskId(arg->t, arg->i));
  const uint8_t *small[16];
  std::vector<const uint8_t *> large;
  const uint8_t **in = small;
  if (n > 16) {
    large.resize(n);
    in = large.data();
  }
  for (int64_t k = 0; k < n; ++k)
    in[k] = reinterpret_cast<const uint8_t *>(
        STARPU_VARIABLE_GET_PTR(buffers[k + 1]));
  g->executePoint(
      arg->t, arg->i,
      reinterpret_cast<uint8_t *>(STARPU_VARIABLE_GET_PTR(buffers[0])), in, n);
}

struct GraphData {
  std::vector<starpu_data_handle_t> handles; // [s * W + i]
  std::vector<TaskArg> args;                 // per task id
};
} // namespace

int main(int argc, char **argv) {
  tb::Options options;
  if (!tb::parseOptions(argc, argv, kTool, options))
    return 1;
  auto graphs = tb::makeGraphs(options);

  if (!std::getenv("STARPU_SILENT"))
    setenv("STARPU_SILENT", "1", 0);
  starpu_conf conf;
  starpu_conf_init(&conf);
  conf.ncpus = options.workers;
  conf.ncuda = 0;
  conf.nopencl = 0;
  int ret = starpu_init(&conf);
  if (ret != 0) {
    std::fprintf(stderr, "%s: error: starpu_init failed (%d)\n", kTool, ret);
    return 1;
  }
  if (starpu_cpu_worker_get_count() != options.workers)
    std::fprintf(stderr, "%s: warning: StarPU has %u CPU workers, asked %u\n",
                 kTool, starpu_cpu_worker_get_count(), options.workers);

  starpu_codelet codelet;
  starpu_codelet_init(&codelet);
  codelet.where = STARPU_CPU;
  codelet.cpu_funcs[0] = cpuFunc;
  codelet.nbuffers = STARPU_VARIABLE_NBUFFERS;
  codelet.name = "task_bench";

  std::vector<GraphData> data(graphs.size());
  int64_t maxSteps = 0;
  for (size_t gi = 0; gi < graphs.size(); ++gi) {
    tb::GraphState &g = *graphs[gi];
    maxSteps = std::max(maxSteps, g.params.steps);
    if (g.hasOutputs()) {
      data[gi].handles.resize(2 * g.params.width);
      for (int64_t s = 0; s < 2; ++s)
        for (int64_t i = 0; i < g.params.width; ++i)
          starpu_variable_data_register(
              &data[gi].handles[s * g.params.width + i], STARPU_MAIN_RAM,
              reinterpret_cast<uintptr_t>(g.slot(s, i)), g.outputBytes);
    }
    data[gi].args.resize(g.numTasks());
    for (int64_t t = 0; t < g.params.steps; ++t)
      for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i)
        data[gi].args[g.taskId(t, i)] = {&g, t, i};
  }

  bool ok = true;
  auto execute = [&] {
    for (int64_t t = 0; t < maxSteps && ok; ++t)
      for (size_t gi = 0; gi < graphs.size(); ++gi) {
        tb::GraphState &g = *graphs[gi];
        if (t >= g.params.steps)
          continue;
        const int64_t w = g.params.width;
        for (int64_t i = g.offsetAt(t), e = i + g.widthAt(t); i < e; ++i) {
          int64_t id = g.taskId(t, i);
          starpu_task *task = starpu_task_create();
          task->cl = &codelet;
          task->cl_arg = &data[gi].args[id];
          task->cl_arg_size = sizeof(TaskArg);
          if (g.hasOutputs()) {
            int64_t n = g.numInputs(id);
            const int32_t *deps = g.inputsBegin(id);
            task->nbuffers = n + 1;
            starpu_data_handle_t *handles = task->handles;
            starpu_data_access_mode *modes = task->modes;
            if (n + 1 > STARPU_NMAXBUFS) {
              // StarPU frees dynamic arrays with the task.
              handles = task->dyn_handles = static_cast<starpu_data_handle_t *>(
                  std::malloc((n + 1) * sizeof(starpu_data_handle_t)));
              modes = task->dyn_modes = static_cast<starpu_data_access_mode *>(
                  std::malloc((n + 1) * sizeof(starpu_data_access_mode)));
            }
            handles[0] = data[gi].handles[(t % 2) * w + i];
            modes[0] = STARPU_W;
            for (int64_t k = 0; k < n; ++k) {
              handles[k + 1] = data[gi].handles[((t - 1) % 2) * w + deps[k]];
              modes[k + 1] = STARPU_R;
            }
          } else {
            task->nbuffers = 0;
          }
          int r = starpu_task_submit(task);
          if (r != 0) {
            std::fprintf(stderr, "%s: error: starpu_task_submit failed (%d)\n",
                         kTool, r);
            ok = false;
            break;
          }
        }
      }
    starpu_task_wait_for_all();
  };

  int rc = tb::measure(kTool, options, graphs, [&] {
    execute();
    return ok;
  });
  for (GraphData &d : data)
    for (starpu_data_handle_t h : d.handles)
      starpu_data_unregister(h);
  starpu_shutdown();
  return rc;
}
