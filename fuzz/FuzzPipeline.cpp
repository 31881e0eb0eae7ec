//===- FuzzPipeline.cpp - fuzz the compiler: parse, pipeline, lowering ----===//
//
// libFuzzer target tgraph-fuzz-pipeline. The input is the text of a .mlir
// module. It is parsed (and verified) in a fresh context with the dialects
// tgraph-opt registers, then `tgraph-pipeline` runs on it, then
// `convert-tgraph-to-runtime`. Diagnostics (parse errors, verifier and pass
// failures) are expected and swallowed; crashes, sanitizer reports, hangs
// and leaks are bugs.
//
// An optional first line sets the pipeline's machine and the lowering mode:
//   // fuzz-options: cpus=2 gpus=1 streams-per-gpu=2 copy-streams=1 mode=calls
// (each key optional; values are clamped to -1..64, -1 = the module's).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "tgraph/Conversion/Passes.h"
#include "tgraph/Dialect/TGraph/TGraphOps.h"
#include "tgraph/Transforms/Passes.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

namespace {

struct FuzzOptions {
  int cpus = -1, gpus = -1, streamsPerGpu = -1, copyStreams = -1;
  bool callsMode = false;
};

/// Reads `key=N` from the options line; leaves `out` alone if absent.
void readInt(llvm::StringRef line, llvm::StringRef key, int &out) {
  size_t pos = line.find((key + "=").str());
  if (pos == llvm::StringRef::npos)
    return;
  llvm::StringRef rest = line.drop_front(pos + key.size() + 1);
  long long v = 0;
  if (rest.consumeInteger(10, v))
    return;
  out = static_cast<int>(v < -1 ? -1 : v > 64 ? 64 : v);
}

FuzzOptions readOptions(llvm::StringRef text) {
  FuzzOptions o;
  llvm::StringRef line = text.split('\n').first;
  if (!line.starts_with("// fuzz-options:"))
    return o;
  readInt(line, "cpus", o.cpus);
  readInt(line, "gpus", o.gpus);
  readInt(line, "streams-per-gpu", o.streamsPerGpu);
  readInt(line, "copy-streams", o.copyStreams);
  o.callsMode = line.contains("mode=calls");
  return o;
}

bool allScheduled(ModuleOp module) {
  for (tgraph::GraphOp graph : module.getOps<tgraph::GraphOp>())
    if (!graph->hasAttr("tgraph.scheduled"))
      return false;
  return true;
}

LogicalResult lower(MLIRContext &context, ModuleOp module, bool callsMode) {
  PassManager pm(&context);
  tgraph::ConvertTGraphToRuntimeOptions options;
  options.mode = callsMode ? "calls" : "program";
  pm.addPass(tgraph::createConvertTGraphToRuntime(options));
  if (failed(pm.run(module)))
    return failure();
  // The printers of whatever the lowering left behind.
  module.print(llvm::nulls());
  return success();
}

} // namespace

// LLVM's BumpPtrAllocator poisons and unpoisons its slabs for ASan in its
// inline code, which Debian's uninstrumented libMLIR.so shares without the
// unpoisoning: objects that libMLIR allocates in a slab this code poisoned
// read as "use-after-poison". Only manual poisoning is turned off; every
// other ASan check stays.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Bound the work per input: the pipeline is superlinear in places, and a
  // 100 KB module is not a smaller test case than a 16 KB one.
  if (size > (16 << 10))
    return -1;
  std::string text(reinterpret_cast<const char *>(data), size);
  const FuzzOptions fuzzOptions = readOptions(text);

  DialectRegistry registry;
  registry.insert<tgraph::TGraphDialect, func::FuncDialect, arith::ArithDialect,
                  cf::ControlFlowDialect, LLVM::LLVMDialect>();
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  // Swallow every diagnostic (parse errors, verifier, passes).
  ScopedDiagnosticHandler swallow(&context,
                                  [](Diagnostic &) { return success(); });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz-input"), llvm::SMLoc());
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, config);
  if (!module)
    return 0;

  // Already scheduled input (as in the Conversion tests): lower it as is too.
  if (allScheduled(*module)) {
    OwningOpRef<ModuleOp> clone(module->clone());
    (void)lower(context, *clone, fuzzOptions.callsMode);
  }

  PassManager pm(&context);
  tgraph::PipelineOptions pipeline;
  pipeline.cpus = fuzzOptions.cpus;
  pipeline.gpus = fuzzOptions.gpus;
  pipeline.streamsPerGpu = fuzzOptions.streamsPerGpu;
  pipeline.copyStreams = fuzzOptions.copyStreams;
  tgraph::buildPipeline(pm, pipeline);
  if (failed(pm.run(*module)))
    return 0;
  // The printers of the scheduled form (what tgraph-opt would print).
  module->print(llvm::nulls());
  (void)lower(context, *module, fuzzOptions.callsMode);
  return 0;
}
