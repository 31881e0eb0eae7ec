//===- GraphBuilderTest.cpp - the C++ frontend builds and verifies IR -----===//
//
// Each kind of op the frontend builds, checked on the printed IR, the
// round trip through the parser, and every error path: each returns the
// verifier's (or the builder's) diagnostic, located at the test's line,
// instead of aborting.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Frontend/GraphBuilder.h"

#include "TestUtil.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;
using namespace mlir::tgraph;
using namespace tgraph_test;

namespace {

class GraphBuilderTest : public ::testing::Test {
protected:
  GraphBuilderTest() : b(context) {
    f64 = b.f64();
    i64 = b.i64();
    hostBuf = b.bufferType(f64);
    scale = b.declareKernel(
        "scale", KernelSpec::cpu().param(hostBuf).param(f64).cost(500));
    sum = b.declareKernel("sum", KernelSpec::cpu().param(hostBuf).result(f64));
    less = b.declareKernel(
        "less", KernelSpec::cpu().param(f64).param(f64).result(b.i1()));
  }

  /// finish() must fail; returns its message.
  std::string finishError() {
    auto module = b.finish();
    EXPECT_FALSE(static_cast<bool>(module)) << "the module verified";
    return messageOf(module);
  }

  MLIRContext context;
  GraphBuilder b;
  Type f64, i64;
  BufferType hostBuf;
  Kernel scale, sum, less;
};

#define EXPECT_HAS(text, needle)                                               \
  EXPECT_NE(std::string(text).find(needle), std::string::npos)                 \
      << "expected \"" << (needle) << "\" in:\n"                               \
      << (text)

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

// Tests kernel declarations with every contract flag, parameters and
// results.
TEST_F(GraphBuilderTest, KernelContracts) {
  b.declareKernel("axpy", KernelSpec::gpu()
                              .param(b.bufferType(f64, BufferType::kDynamic,
                                                  MemoryKind::gpu))
                              .param(f64)
                              .streamOrdered()
                              .cost(5000));
  b.declareKernel("peek", KernelSpec::gpu()
                              .param(b.bufferType(f64, 16, MemoryKind::gpu))
                              .hostAccess());
  b.declareKernel("io", KernelSpec::cpu().mayBlock().spawns());
  b.declareKernel("two", KernelSpec::cpu().result(f64).result(b.i1()));
  ASSERT_EXPECTED(module, b.finish());
  EXPECT_TRUE(containsInOrder(
      print(*module),
      {"tgraph.kernel @scale(!tgraph.buffer<f64 x ?, host>, f64) cpu cost 500",
       "tgraph.kernel @sum(!tgraph.buffer<f64 x ?, host>) -> f64 cpu",
       "tgraph.kernel @less(f64, f64) -> i1 cpu",
       "tgraph.kernel @axpy(!tgraph.buffer<f64 x ?, gpu>, f64) gpu "
       "stream_ordered cost 5000",
       "tgraph.kernel @peek(!tgraph.buffer<f64 x 16, gpu>) gpu host_access",
       "tgraph.kernel @io() cpu may_block spawns",
       "tgraph.kernel @two() -> (f64, i1) cpu"}));
  EXPECT_TRUE(static_cast<bool>(b.lookupKernel("scale")) == false)
      << "finish() hands the module over";
}

// Tests graph arguments (precondition, buffers, scalar), a task with
// access modes, an explicit await, values and the yield.
TEST_F(GraphBuilderTest, ArgumentsTasksAndResults) {
  Graph g = b.graph("step");
  Event pre = g.addPrecondition();
  Buffer x = g.addBuffer(f64, 8);
  Buffer d = g.addBuffer(f64, 8, MemoryKind::gpu);
  Scalar a = g.addScalar(f64);
  Task t0 = g.task(scale, {readWrite(x), a}, TaskOptions().await(pre));
  Task t1 = g.task(sum, {read(x)});
  EXPECT_EQ(t1.getNumValues(), 1u);
  EXPECT_EQ(t1.value().getValueType(), f64);
  EXPECT_FALSE(static_cast<bool>(t1.value(1)));
  g.yield({t0, t1.value(0)});
  (void)d;
  ASSERT_EXPECTED(module, b.finish());
  EXPECT_TRUE(containsInOrder(
      print(*module),
      {"tgraph.graph @step(%arg0: !tgraph.event, %arg1: !tgraph.buffer<f64 x "
       "8, host>, %arg2: !tgraph.buffer<f64 x 8, gpu>, %arg3: f64) -> "
       "(!tgraph.event, !tgraph.value<f64>)",
       "%done = tgraph.task @scale(%arg1 : read_write, %arg3) await(%arg0) : "
       "(!tgraph.buffer<f64 x 8, host>, f64)",
       "%done_0, %values = tgraph.task @sum(%arg1 : read) : "
       "(!tgraph.buffer<f64 x 8, host>) -> !tgraph.value<f64>",
       "tgraph.yield %done, %values : !tgraph.event, !tgraph.value<f64>"}));
}

// Tests every access mode, including each reduction.
TEST_F(GraphBuilderTest, AccessModes) {
  Kernel pair =
      b.declareKernel("pair", KernelSpec::cpu().param(hostBuf).param(hostBuf));
  Graph g = b.graph("modes");
  Buffer x = g.addBuffer(f64, 4), y = g.addBuffer(f64, 4);
  g.task(pair, {read(x), write(y)});
  g.task(pair, {readWrite(x), read(y)});
  g.task(pair, {reduce(x, AccessMode::reduce_add),
                reduce(y, AccessMode::reduce_mul)});
  g.task(pair, {reduce(x, AccessMode::reduce_min),
                reduce(y, AccessMode::reduce_max)});
  g.task(pair, {read(x), read(x)});
  ASSERT_EXPECTED(module, b.finish());
  EXPECT_TRUE(containsInOrder(
      print(*module), {"@pair(%arg0 : read, %arg1 : write)",
                       "@pair(%arg0 : read_write, %arg1 : read)",
                       "@pair(%arg0 : reduce<add>, %arg1 : reduce<mul>)",
                       "@pair(%arg0 : reduce<min>, %arg1 : reduce<max>)",
                       "@pair(%arg0 : read, %arg0 : read)", "tgraph.yield"}));
}

// Tests C++ constants as operands: one arith.constant per value and graph,
// at the top of the body.
TEST_F(GraphBuilderTest, Constants) {
  Kernel k = b.declareKernel(
      "k",
      KernelSpec::cpu().param(i64).param(f64).param(b.f32()).param(b.i1()));
  Graph g = b.graph("consts");
  g.task(k, {16, 2.5, 1.5f, true});
  g.task(k, {int64_t(16), 2.5, 1.5f, false});
  Scalar idx = g.constant(IntegerAttr::get(b.index(), 7));
  EXPECT_TRUE(static_cast<bool>(idx));
  ASSERT_EXPECTED(module, b.finish());
  std::string text = print(*module);
  EXPECT_TRUE(containsInOrder(
      text, {"arith.constant 16 : i64", "arith.constant 2.500000e+00 : f64",
             "arith.constant 1.500000e+00 : f32", "arith.constant true",
             "arith.constant false", "arith.constant 7 : index",
             "tgraph.task @k(", "tgraph.task @k("}));
  // 16 and 2.5 are shared by both tasks.
  EXPECT_EQ(text.find("arith.constant 16"), text.rfind("arith.constant 16"));
}

// Tests copies: whole buffers, offsets and sizes, awaits and a predicate.
TEST_F(GraphBuilderTest, Copies) {
  Graph g = b.graph("copies");
  Event pre = g.addPrecondition();
  Buffer h = g.addBuffer(f64, 16);
  Buffer d = g.addBuffer(f64, 16, MemoryKind::gpu);
  Event c0 = g.copy(h, d);
  Event c1 = g.copy(
      d, h, CopyOptions().srcOffset(4).dstOffset(2).size(8).await({pre, c0}));
  Pred p = g.predConst(false);
  Event c2 = g.copy(h, d, CopyOptions().onlyIf(p));
  g.yield({g.join({c1, c2})});
  ASSERT_EXPECTED(module, b.finish());
  EXPECT_TRUE(containsInOrder(
      print(*module),
      {"%0 = tgraph.copy %arg1 to %arg2 : !tgraph.buffer<f64 x 16, host> to "
       "!tgraph.buffer<f64 x 16, gpu>",
       "%1 = tgraph.copy %arg2[4] to %arg1[2] size 8 await(%arg0, %0)",
       "%2 = tgraph.pred.const false", "%3 = tgraph.copy %arg1 to %arg2 if %2",
       "tgraph.join %1, %3"}));
}

// Tests joins, immediate events, and the predicate algebra with a
// predicated task and its else value.
TEST_F(GraphBuilderTest, PredicatesJoinsAndElseValues) {
  Graph g = b.graph("preds");
  Buffer x = g.addBuffer(f64, 8);
  Task s = g.task(sum, {read(x)});
  Task c = g.task(less, {s.value(), 1.0});
  Pred p = g.predFrom(c.value());
  Pred t = g.predConst(true);
  Pred q = g.predOr(g.predAnd(g.predNot(p), t), p);
  Task guarded = g.task(sum, {read(x)}, TaskOptions().onlyIf(q).orElse({-1.0}));
  Event all = g.join({s, c, guarded, g.immediate()});
  g.yield({all, guarded.value(), q});
  ASSERT_EXPECTED(module, b.finish());
  EXPECT_TRUE(containsInOrder(
      print(*module),
      {"-> (!tgraph.event, !tgraph.value<f64>, !tgraph.pred)",
       "%cst = arith.constant 1.000000e+00 : f64",
       "%done, %values = tgraph.task @sum(%arg0 : read)",
       "%done_0, %values_1 = tgraph.task @less(%values, %cst) : "
       "(!tgraph.value<f64>, f64) -> !tgraph.value<i1>",
       "%0 = tgraph.pred.from %values_1 : !tgraph.value<i1>",
       "%1 = tgraph.pred.const true", "%2 = tgraph.pred.not %0",
       "%3 = tgraph.pred.and %2, %1", "%4 = tgraph.pred.or %3, %0",
       "%done_2, %values_3 = tgraph.task @sum(%arg0 : read) if %4 "
       "else(-1.000000e+00 : f64)",
       "%5 = tgraph.event.immediate",
       "%6 = tgraph.join %done, %done_0, %done_2, %5",
       "tgraph.yield %6, %values_3, %4 : !tgraph.event, !tgraph.value<f64>, "
       "!tgraph.pred"}));
}

// Tests that a task can name its kernel, the machine attribute, and several
// graphs in one module.
TEST_F(GraphBuilderTest, ByNameMachineAndTwoGraphs) {
  b.setMachine(3, 1, 2, 1);
  Graph g1 = b.graph("first");
  g1.task("scale", {write(g1.addBuffer(f64, 2)), 1.0});
  Graph g2 = b.graph("second");
  g2.yield({g2.task("sum", {read(g2.addBuffer(f64, 2))}).value()});
  ASSERT_EXPECTED(module, b.finish());
  EXPECT_TRUE(containsInOrder(
      print(*module), {"tgraph.machine = #tgraph.machine<cpus = 3, gpus = 1, "
                       "streams_per_gpu = 2, copy_streams = 1>",
                       "tgraph.graph @first(", "tgraph.task @scale(",
                       "tgraph.graph @second(", "tgraph.task @sum("}));
}

// Tests that the built module prints, parses back and prints the same, and
// that ops are located at the C++ line that built them.
TEST_F(GraphBuilderTest, RoundTripAndLocations) {
  Graph g = b.graph("rt");
  Event pre = g.addPrecondition();
  Buffer x = g.addBuffer(f64, 8);
  Task s = g.task(sum, {read(x)}, TaskOptions().await(pre));
  unsigned line = __LINE__ - 1;
  Task c = g.task(less, {s.value(), 0.5});
  Task e = g.task(sum, {read(x)},
                  TaskOptions().onlyIf(g.predFrom(c.value())).orElse({0.0}));
  g.yield({e, e.value()});
  ASSERT_EXPECTED(module, b.finish());
  std::string text = print(*module);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(print(*parsed), text);

  auto loc = dyn_cast<FileLineColLoc>(s.getOp().getLoc());
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc.getLine(), line);
  EXPECT_NE(loc.getFilename().getValue().find("GraphBuilderTest.cpp"),
            StringRef::npos);
}

//===----------------------------------------------------------------------===//
// Errors: each is a diagnostic, never an abort
//===----------------------------------------------------------------------===//

// Tests a task with fewer operands than its kernel takes.
TEST_F(GraphBuilderTest, ErrorOperandCount) {
  Graph g = b.graph("g");
  g.task(scale, {readWrite(g.addBuffer(f64, 4))});
  unsigned line = __LINE__ - 1;
  std::string message = finishError();
  EXPECT_HAS(message, "GraphBuilderTest.cpp:" + std::to_string(line) +
                          ": error: 'tgraph.task' op passes 1 operands but "
                          "kernel @scale takes 2");
}

// Tests an operand of the wrong type (f32 where the kernel takes f64).
TEST_F(GraphBuilderTest, ErrorOperandType) {
  Graph g = b.graph("g");
  g.task(scale, {readWrite(g.addBuffer(f64, 4)), 2.0f});
  EXPECT_HAS(finishError(),
             "'tgraph.task' op operand #1 has type 'f32' but kernel @scale "
             "expects 'f64'");
}

// Tests that the verifier's generic dump of the op is left out.
TEST_F(GraphBuilderTest, ErrorHasNoOpDump) {
  Graph g = b.graph("g");
  g.task(scale, {readWrite(g.addBuffer(f64, 4))});
  EXPECT_EQ(finishError().find("see current operation"), std::string::npos);
}

// Tests a buffer of the wrong element type.
TEST_F(GraphBuilderTest, ErrorBufferType) {
  Graph g = b.graph("g");
  g.task(scale, {readWrite(g.addBuffer(b.f32(), 4)), 2.0});
  EXPECT_HAS(finishError(), "operand #0 has type '!tgraph.buffer<f32 x 4, "
                            "host>' but kernel @scale expects "
                            "'!tgraph.buffer<f64 x ?, host>'");
}

// Tests a task naming an undeclared kernel.
TEST_F(GraphBuilderTest, ErrorUnknownKernel) {
  Graph g = b.graph("g");
  Task t = g.task("nope", {1});
  EXPECT_TRUE(static_cast<bool>(t));
  EXPECT_HAS(finishError(), "'tgraph.task' op calls kernel @nope, which is "
                            "not declared");
}

// Tests a predicated task with results but no else values.
TEST_F(GraphBuilderTest, ErrorMissingElseValues) {
  Graph g = b.graph("g");
  g.task(sum, {read(g.addBuffer(f64, 4))},
         TaskOptions().onlyIf(g.predConst(true)));
  EXPECT_HAS(finishError(), "is predicated and returns 1 values, so it needs "
                            "one else value per result");
}

// Tests too many else values.
TEST_F(GraphBuilderTest, ErrorElseValueCount) {
  Graph g = b.graph("g");
  g.task(sum, {read(g.addBuffer(f64, 4))},
         TaskOptions().onlyIf(g.predConst(true)).orElse({0.0, 1.0}));
  EXPECT_HAS(finishError(), "has 2 else values for 1 results");
}

// Tests an else value of the wrong kind (an integer for an f64 result).
TEST_F(GraphBuilderTest, ErrorElseValueType) {
  Graph g = b.graph("g");
  g.task(sum, {read(g.addBuffer(f64, 4))},
         TaskOptions().onlyIf(g.predConst(true)).orElse({7}));
  EXPECT_HAS(finishError(), "else value #0 is 7 : i64 but result #0 is a "
                            "value of 'f64'");
}

// Tests else values without a predicate.
TEST_F(GraphBuilderTest, ErrorElseWithoutPredicate) {
  Graph g = b.graph("g");
  g.task(sum, {read(g.addBuffer(f64, 4))}, TaskOptions().orElse({0.0}));
  EXPECT_HAS(finishError(), "has else values but no predicate");
}

// Tests one buffer passed twice with conflicting modes.
TEST_F(GraphBuilderTest, ErrorConflictingAccess) {
  Kernel pair =
      b.declareKernel("pair", KernelSpec::cpu().param(hostBuf).param(hostBuf));
  Graph g = b.graph("g");
  Buffer x = g.addBuffer(f64, 4);
  g.task(pair, {read(x), write(x)});
  EXPECT_HAS(finishError(), "accesses one buffer as operands #0 and #1 with "
                            "conflicting modes 'read' and 'write'");
}

// Tests a kernel contract the verifier rejects, and a duplicate kernel.
TEST_F(GraphBuilderTest, ErrorKernelDeclarations) {
  b.declareKernel("bad", KernelSpec::cpu().streamOrdered());
  b.declareKernel("scale", KernelSpec::cpu());
  std::string message = finishError();
  EXPECT_HAS(message, "is a CPU kernel marked stream_ordered");
}

// Tests a duplicate kernel name.
TEST_F(GraphBuilderTest, ErrorDuplicateKernel) {
  b.declareKernel("scale", KernelSpec::cpu());
  EXPECT_HAS(finishError(), "redefinition of symbol named 'scale'");
}

// Tests copies the verifier rejects: an offset without a size, and a range
// past the end.
TEST_F(GraphBuilderTest, ErrorCopies) {
  Graph g = b.graph("g");
  Buffer x = g.addBuffer(f64, 8), y = g.addBuffer(f64, 8);
  g.copy(x, y, CopyOptions().srcOffset(2));
  EXPECT_HAS(finishError(), "has an offset but no size");

  Graph h = b.graph("h");
  Buffer u = h.addBuffer(f64, 8), v = h.addBuffer(f64, 8);
  h.copy(u, v, CopyOptions().srcOffset(4).size(8));
  EXPECT_HAS(finishError(), "reads elements [");
}

// Tests a predicate made from a value that is not a boolean.
TEST_F(GraphBuilderTest, ErrorPredicateFromNonBoolean) {
  Graph g = b.graph("g");
  g.predFrom(g.task(sum, {read(g.addBuffer(f64, 4))}).value());
  EXPECT_HAS(finishError(), "'tgraph.pred.from' op needs a boolean");
}

// Tests a buffer type the type verifier rejects.
TEST_F(GraphBuilderTest, ErrorBadBufferArgument) {
  Graph g = b.graph("g");
  Buffer bad = g.addBuffer(f64, -5);
  unsigned line = __LINE__ - 1;
  EXPECT_FALSE(static_cast<bool>(bad));
  EXPECT_HAS(finishError(), "GraphBuilderTest.cpp:" + std::to_string(line) +
                                ": error: buffer size must be");
}

// Tests builder misuse the IR cannot express: null handles, values of
// another graph, a buffer without an access mode, yielding twice, and a
// graph handle used after finish().
TEST_F(GraphBuilderTest, ErrorHandles) {
  Graph g = b.graph("g");
  Graph other = b.graph("other");
  Buffer foreign = other.addBuffer(f64, 4);
  Buffer x = g.addBuffer(f64, 4);
  EXPECT_FALSE(static_cast<bool>(g.task(scale, {readWrite(Buffer()), 1.0})));
  unsigned nullLine = __LINE__ - 1;
  EXPECT_FALSE(static_cast<bool>(g.task(scale, {readWrite(foreign), 1.0})));
  EXPECT_FALSE(static_cast<bool>(g.task(scale, {Scalar(x.getValue()), 1.0})));
  EXPECT_FALSE(static_cast<bool>(g.copy(x, foreign)));
  EXPECT_FALSE(static_cast<bool>(g.join({Event(), g.immediate()})));
  EXPECT_FALSE(static_cast<bool>(g.predNot(Pred())));
  EXPECT_FALSE(static_cast<bool>(g.task(Kernel(), {})));
  g.yield({});
  g.yield({});
  std::string message = finishError();
  EXPECT_HAS(message, "GraphBuilderTest.cpp:" + std::to_string(nullLine) +
                          ": error: operand #0 of the task @scale is a null "
                          "handle");
  EXPECT_HAS(message, "operand #0 of the task @scale belongs to graph @other, "
                      "not to graph @g");
  EXPECT_HAS(message, "is a buffer without an access mode");
  EXPECT_HAS(message, "the copy's destination belongs to graph @other");
  EXPECT_HAS(message, "joined event #0 is a null handle");
  EXPECT_HAS(message, "the negated predicate is a null handle");
  EXPECT_HAS(message, "task of a null kernel handle");
  EXPECT_HAS(message, "graph @g already yielded");

  // A fresh builder state after a successful finish(): old handles are
  // rejected, not used.
  GraphBuilder fresh(context);
  Graph h = fresh.graph("h");
  ASSERT_EXPECTED(module, fresh.finish());
  EXPECT_FALSE(static_cast<bool>(h.addPrecondition()));
  auto again = fresh.finish();
  EXPECT_HAS(messageOf(again), "graph handle used after "
                               "GraphBuilder::finish()");
  // So are kernels of the module handed over.
  GraphBuilder third(context);
  Kernel k = third.declareKernel("k", KernelSpec::cpu());
  ASSERT_EXPECTED(first, third.finish());
  Graph g2 = third.graph("g2");
  EXPECT_FALSE(static_cast<bool>(g2.task(k, {})));
  auto stale = third.finish();
  EXPECT_HAS(messageOf(stale), "task of a kernel declared before "
                               "GraphBuilder::finish()");
}

// Tests that verify() reports without handing the module over, and that a
// failed finish() keeps it for inspection.
TEST_F(GraphBuilderTest, VerifyKeepsTheModule) {
  Graph g = b.graph("g");
  g.task("nope", {});
  EXPECT_HAS(messageOf(b.verify()), "not declared");
  auto failed = b.finish();
  EXPECT_HAS(messageOf(failed), "not declared");
  std::string text;
  llvm::raw_string_ostream os(text);
  b.getModule().print(os, OpPrintingFlags().assumeVerified());
  EXPECT_TRUE(
      containsInOrder(text, {"tgraph.graph @g", "tgraph.task @nope()"}));
}

// Tests the placement attribute's verifier, which C++ callers reach
// directly (the parser has no syntax for a CPU with a stream).
TEST_F(GraphBuilderTest, ErrorProcPlacement) {
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    message += d.str();
    return success();
  });
  auto emit = [&] { return emitError(UnknownLoc::get(&context)); };
  EXPECT_FALSE(ProcAttr::getChecked(emit, &context, ProcKind::cpu, 0u,
                                    int64_t(1),
                                    /*copy=*/false));
  EXPECT_HAS(message, "a CPU placement has no stream; write "
                      "#tgraph.proc<cpu N>");
  message.clear();
  EXPECT_FALSE(ProcAttr::getChecked(emit, &context, ProcKind::gpu, 0u,
                                    int64_t(-2),
                                    /*copy=*/false));
  EXPECT_HAS(message, "a GPU stream index must be non-negative, got -2");
  EXPECT_TRUE(ProcAttr::getChecked(emit, &context, ProcKind::gpu, 0u,
                                   int64_t(3),
                                   /*copy=*/true));
}

} // namespace
