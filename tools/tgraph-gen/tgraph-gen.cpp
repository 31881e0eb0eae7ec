//===- tgraph-gen.cpp - Task Bench graphs as tgraph IR --------------------===//
//
// Prints the tgraph IR of one Task Bench graph. The flags are spelled like
// Task Bench's (`-type stencil_1d -steps 4 -width 4 -radix 3 -period 3
// -fraction 0.25 -output 16`), so a Task Bench command line carries over;
// the rest choose how the graph is emitted (kernel name, GPU, physical form,
// buffer reuse). `-and` starts the next graph of the same module, as in Task
// Bench. `-print-deps` prints the dependence lists instead of IR.
// Bad parameters are reported with the flag at fault and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "tgraph/TaskBench/Generator.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tgraph;
namespace cl = llvm::cl;

static cl::OptionCategory genCategory("Task Bench graph options");

static cl::opt<std::string>
    typeFlag("type",
             cl::desc("Dependence pattern: trivial, no_comm, "
                      "stencil_1d, stencil_1d_periodic, dom, tree, "
                      "fft, all_to_all, nearest, spread, "
                      "random_nearest"),
             cl::value_desc("pattern"), cl::init("trivial"),
             cl::cat(genCategory));
static cl::opt<int64_t> stepsFlag("steps", cl::desc("Timesteps (height)"),
                                  cl::init(4), cl::cat(genCategory));
static cl::opt<int64_t> widthFlag("width", cl::desc("Points per timestep"),
                                  cl::init(4), cl::cat(genCategory));
static cl::opt<int64_t> radixFlag(
    "radix", cl::desc("Dependences per task (nearest, spread, random_nearest)"),
    cl::init(3), cl::cat(genCategory));
static cl::opt<int64_t>
    periodFlag("period",
               cl::desc("Dependence sets (spread, random_nearest; default 3)"),
               cl::init(-1), cl::cat(genCategory));
static cl::opt<double> fractionFlag(
    "fraction",
    cl::desc("Probability of each random_nearest dependence (default 0.25)"),
    cl::init(0.25), cl::cat(genCategory));
static cl::opt<int64_t> outputFlag("output",
                                   cl::desc("Bytes each task writes (>= 16)"),
                                   cl::init(16), cl::cat(genCategory));
static cl::opt<int64_t>
    graphIndexFlag("graph-index",
                   cl::desc("Task Bench graph index (seeds random_nearest)"),
                   cl::init(0), cl::cat(genCategory));

static cl::OptionCategory irCategory("IR options");
static cl::opt<std::string>
    kernelFlag("kernel",
               cl::desc("Kernel symbol (logical form: <name>_in<N> per "
                        "input count N)"),
               cl::init("empty"), cl::cat(irCategory));
static cl::opt<std::string> nameFlag("name", cl::desc("Graph symbol name"),
                                     cl::init("task_bench"),
                                     cl::cat(irCategory));
static cl::opt<bool>
    gpuFlag("gpu", cl::desc("GPU stream-ordered kernels and gpu buffers"),
            cl::cat(irCategory));
static cl::opt<bool>
    physicalFlag("physical",
                 cl::desc("Emit awaits on the previous row's events "
                          "(physical form) instead of buffer accesses"),
                 cl::cat(irCategory));
static cl::opt<int64_t> buffersFlag(
    "buffers",
    cl::desc("Output slots per point in the logical form: 2 = double "
             "buffering (default), 0 = one per task (no WAR/WAW edges)"),
    cl::init(2), cl::cat(irCategory));
static cl::opt<bool>
    printDeps("print-deps",
              cl::desc("Print each task's dependence intervals instead of IR"),
              cl::cat(irCategory));
static cl::opt<bool> noVerify("no-verify",
                              cl::desc("Skip verifying the generated module"),
                              cl::cat(irCategory));
static cl::opt<bool> emitBytecode(
    "emit-bytecode",
    cl::desc("Write MLIR bytecode (several times faster to write and read "
             "back than text for big graphs)"),
    cl::cat(irCategory));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("filename"),
                                       cl::init("-"), cl::cat(irCategory));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tgraph-gen") << message << "\n";
  return 1;
}

/// One line per task: `t i: [lo, hi] ...`, then Task Bench's totals.
static void printDependences(const taskbench::Params &params,
                             llvm::raw_ostream &os) {
  llvm::SmallVector<taskbench::Interval, 4> deps;
  for (int64_t t = 0; t < params.steps; ++t) {
    int64_t offset = taskbench::offsetAt(params, t);
    for (int64_t i = offset, e = offset + taskbench::widthAt(params, t); i < e;
         ++i) {
      taskbench::dependencies(params, t, i, deps);
      os << t << " " << i << ":";
      for (taskbench::Interval d : deps)
        os << " [" << d.first << ", " << d.second << "]";
      os << "\n";
    }
  }
  os << "Total Tasks " << taskbench::countTasks(params) << "\n";
  os << "Total Dependencies " << taskbench::countDependencies(params) << "\n";
}

/// The options that apply to the whole run rather than to one graph; they
/// may be given in any `-and` group.
struct RunOptions {
  std::string output = "-";
  bool printDeps = false;
  bool emitBytecode = false;
  bool noVerify = false;
  bool timing = false;
};

/// Parses one `-and` group of flags into `params` (graph `index` of
/// `count`) and the run-wide options it sets into `run`. Returns an error
/// message, or an empty string.
static std::string parseGroup(llvm::ArrayRef<const char *> args, unsigned index,
                              unsigned count, taskbench::Params &params,
                              RunOptions &run) {
  // llvm::cl keeps option values in globals: reset them so that a group
  // never inherits the flags of the one before it.
  cl::ResetAllOptionOccurrences();
  cl::ParseCommandLineOptions(
      args.size(), args.data(),
      "tgraph-gen: prints Task Bench graphs as tgraph IR\n\n"
      "  tgraph-gen -type stencil_1d -steps 4 -width 4 | tgraph-opt\n"
      "  tgraph-gen -type dom -steps 8 -width 4 -and -type tree -steps 4\n\n"
      "  -and starts the flags of the next graph of the module (as in Task\n"
      "  Bench); -mlir-timing reports generate/verify/print times.\n");
  std::optional<taskbench::DependenceType> pattern =
      taskbench::parsePattern(typeFlag);
  if (!pattern)
    return "unknown pattern '" + typeFlag + "' (-type); expected one of " +
           llvm::join(taskbench::getPatternNames(), ", ");
  params.pattern = *pattern;
  params.steps = stepsFlag;
  params.width = widthFlag;
  params.radix = radixFlag;
  params.period = periodFlag;
  params.fraction = fractionFlag;
  params.outputBytes = outputFlag;
  // Like Task Bench, graph k of several defaults to graph index k; names
  // must differ, so they get the index as a suffix.
  params.graphIndex =
      graphIndexFlag.getNumOccurrences() ? graphIndexFlag : int64_t(index);
  params.graphName = nameFlag;
  if (count > 1 && !nameFlag.getNumOccurrences())
    params.graphName += "_" + std::to_string(index);
  params.kernel = kernelFlag;
  params.gpu = gpuFlag;
  params.physical = physicalFlag;
  params.buffers = buffersFlag;

  if (outputFile.getNumOccurrences())
    run.output = outputFile;
  run.printDeps |= printDeps;
  run.emitBytecode |= emitBytecode;
  run.noVerify |= noVerify;
  // The timing flags belong to MLIR; find out whether this group set one.
  for (auto &[name, option] : cl::getRegisteredOptions())
    if (name.starts_with("mlir-timing") && option->getNumOccurrences())
      run.timing = true;
  if (llvm::Error err = taskbench::checkParams(params))
    return llvm::toString(std::move(err));
  return "";
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions({&genCategory, &irCategory});

  // Task Bench's `-and` starts the flags of the next graph.
  llvm::SmallVector<llvm::SmallVector<const char *>> groups(1, {argv[0]});
  for (int i = 1; i < argc; ++i) {
    if (llvm::StringRef(argv[i]) == "-and" ||
        llvm::StringRef(argv[i]) == "--and")
      groups.push_back({argv[0]});
    else
      groups.back().push_back(argv[i]);
  }
  RunOptions run;
  DefaultTimingManager timing;
  llvm::SmallVector<taskbench::Params> graphs(groups.size());
  for (auto [index, group] : llvm::enumerate(groups)) {
    std::string error =
        parseGroup(group, index, groups.size(), graphs[index], run);
    if (!error.empty())
      return fail(groups.size() > 1
                      ? "graph " + llvm::Twine(index) + ": " + error
                      : llvm::Twine(error));
    // Read MLIR's timing flags while they hold this group's values.
    if (run.timing && !timing.isEnabled())
      applyDefaultTimingManagerCLOptions(timing);
  }

  std::string errorMessage;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(run.output, &errorMessage);
  if (!output)
    return fail(errorMessage);

  if (run.printDeps) {
    for (const taskbench::Params &params : graphs) {
      if (graphs.size() > 1)
        output->os() << "graph @" << params.graphName << "\n";
      printDependences(params, output->os());
    }
    output->keep();
    return 0;
  }

  // -mlir-timing reports how long generating, verifying and printing took.
  TimingScope root = timing.getRootScope();
  MLIRContext context;
  // A 1M-task graph is built on one thread; a thread pool would only cost
  // start-up time here.
  context.disableMultithreading();
  TimingScope generateTimer = root.nest("Generate");
  auto module = taskbench::generateModule(&context, graphs);
  if (!module)
    return fail(llvm::toString(module.takeError()));
  generateTimer.stop();
  if (!run.noVerify) {
    TimingScope verifyTimer = root.nest("Verify");
    if (failed(verify(**module)))
      return fail("the generated module does not verify (a tgraph-gen bug)");
  }
  // Verified above (or explicitly not wanted): the printer need not verify
  // again, which would double the time for big graphs.
  TimingScope printTimer = root.nest("Print");
  if (run.emitBytecode) {
    if (failed(writeBytecodeToFile(**module, output->os())))
      return fail("cannot write bytecode to '" + run.output + "'");
  } else {
    (*module)->print(output->os(), OpPrintingFlags().assumeVerified());
  }
  output->keep();
  return 0;
}
