//===- ProgramTest.cpp - Graphs built from graph programs -----------------===//
//
// tgrt_graph_build runs the programs convert-tgraph-to-runtime emits by
// default (tgrt_program_op, each number as LEB128). These check that a
// program builds the same graph the calls would (it replays and orders
// right, with parameters, values, predicates and copies), and that every
// malformed program is refused with a message naming the byte, and leaves
// no graph behind.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstring>
#include <string>
#include <vector>

using namespace tgrt_test;

namespace {

const char kStrings[] = "rec\0value\0";
constexpr uint64_t kRec = 0, kValue = 4; // offsets into kStrings

int32_t valueKernel(tgrt_task_context *ctx) {
  ctx->results[0] = ctx->args[0];
  return 0;
}

tgrt_status buildBytes(tgrt_runtime rt, const std::vector<uint8_t> &bytes,
                       tgrt_graph *g) {
  return tgrt_graph_build(rt, "prog", bytes.data(), bytes.size(), kStrings,
                          sizeof kStrings, g);
}

tgrt_status build(tgrt_runtime rt, const std::vector<uint64_t> &numbers,
                  tgrt_graph *g) {
  return buildBytes(rt, encode(numbers), g);
}

// Tests the encoding the runtime reads, on the numbers' edges.
TEST(Program, Leb128) {
  EXPECT_EQ(encode({0, 127, 128, 300}),
            (std::vector<uint8_t>{0x00, 0x7f, 0x80, 0x01, 0xac, 0x02}));
  const std::vector<uint8_t> max = encode({~0ull});
  ASSERT_EQ(max.size(), 10u);
  EXPECT_EQ(max.back(), 0x01);
}

// Tests a program with every kind of call builds a graph that replays like
// the one the calls build: order from dependences, a parameter argument, a
// task value argument, a predicate from a value with an else value, a copy
// bound to parameters, a join and a node name.
TEST(Program, BuildsAndReplays) {
  Runtime rt(2);
  Recorder rec;
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", recordKernel, &rec));
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "value", valueKernel, nullptr));
  // clang-format off
  const std::vector<uint64_t> words = {
      TGRT_PROGRAM_VERSION,
      TGRT_OP_SET_NUM_PARAMS, 3,
      // node 0: value(1) on cpu 1 -> one result
      TGRT_OP_ADD_TASK, kValue, TGRT_PROC_CPU, 1, 0, 1,
      TGRT_OP_ADD_ARG, 0, 1,
      // node 1: rec(param 0) on cpu 0, after node 0
      TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 0,
      TGRT_OP_ADD_ARG_PARAM, 1, 0,
      TGRT_OP_ADD_DEP, 0, 1, TGRT_DEP_HOST,
      // node 2: rec(value of node 0) if value of node 0, else value 9
      TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 1,
      TGRT_OP_ADD_ARG_VALUE, 2, 0, 0,
      TGRT_OP_PRED_FROM_VALUE, 0, 0, // pred 0
      TGRT_OP_PRED_NOT, 0,           // pred 1 (unused)
      TGRT_OP_SET_PREDICATE, 2, 0, TGRT_PRED_WAIT,
      TGRT_OP_SET_ELSE_VALUE, 2, 0, 9,
      TGRT_OP_SET_NODE_NAME, 2, kRec,
      // node 3: copy 8 bytes param 2 -> param 1 on cpu 0
      TGRT_OP_ADD_COPY, TGRT_PROC_CPU, 0, 0, 0, TGRT_MEM_HOST, 0, 0,
      TGRT_MEM_HOST, 0, 8,
      TGRT_OP_COPY_BIND_PARAM, 3, 0, 1,
      TGRT_OP_COPY_BIND_PARAM, 3, 1, 2,
      // node 4: a join of 1, 2, 3
      TGRT_OP_ADD_JOIN,
      TGRT_OP_ADD_DEP, 1, 4, TGRT_DEP_HOST,
      TGRT_OP_ADD_DEP, 2, 4, TGRT_DEP_HOST,
      TGRT_OP_ADD_DEP, 3, 4, TGRT_DEP_HOST,
  };
  // clang-format on
  tgrt_graph g = nullptr;
  ASSERT_TGRT(build(rt, words, &g));
  ASSERT_NE(g, nullptr);
  uint32_t nodes = 0;
  ASSERT_TGRT(tgrt_graph_num_nodes(g, &nodes));
  EXPECT_EQ(nodes, 5u);
  uint64_t src = 1234, dst = 0;
  uint64_t params[3] = {77, reinterpret_cast<uint64_t>(&dst),
                        reinterpret_cast<uint64_t>(&src)};
  ASSERT_TGRT(replayAndWait(g, params, 3));
  // Nodes 1 and 2 share worker 0, in creation order; node 2's predicate
  // (node 0's value, 1) held and its argument is that value.
  EXPECT_EQ(rec.get(), (std::vector<uint64_t>{77, 1}));
  EXPECT_EQ(dst, 1234u);
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests every malformed program is refused, naming where, with no graph.
TEST(Program, RejectsMalformedPrograms) {
  Runtime rt(1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", emptyKernel, nullptr));
  struct Case {
    std::vector<uint64_t> words;
    tgrt_status status;
    const char *message;
  };
  // clang-format off
  const Case cases[] = {
      {{}, TGRT_ERROR_INVALID_ARGUMENT, "version is missing"},
      {{99}, TGRT_ERROR_INVALID_ARGUMENT, "version is 99"},
      {{TGRT_PROGRAM_VERSION, 0}, TGRT_ERROR_INVALID_ARGUMENT,
       "byte 1 (opcode 0): unknown program opcode 0"},
      {{TGRT_PROGRAM_VERSION, TGRT_OP_EXPECT_DEPS + 1},
       TGRT_ERROR_INVALID_ARGUMENT, "unknown program opcode 20"},
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU},
       TGRT_ERROR_INVALID_ARGUMENT, "ends inside a call"},
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, 1000, TGRT_PROC_CPU, 0, 0, 0},
       TGRT_ERROR_INVALID_ARGUMENT, "outside the string table"},
      // "ec\0..." is inside, "value" at 4 too, but 9 is the last NUL.
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, sizeof kStrings, 0, 0, 0, 0},
       TGRT_ERROR_INVALID_ARGUMENT, "outside the string table"},
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_COPY, TGRT_PROC_CPU, 0, 0, 0x1000,
        TGRT_MEM_HOST, 0, 0, TGRT_MEM_HOST, 0, 8},
       TGRT_ERROR_INVALID_ARGUMENT, "has a pointer"},
      // A node id that only fits 64 bits (truncated, it would be node 0).
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 0,
        TGRT_OP_ADD_ARG, 0x100000000ull, 5},
       TGRT_ERROR_INVALID_ARGUMENT, "does not fit the call's 32-bit"},
      // A call the runtime refuses: the message names the byte and the call.
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 0,
        TGRT_OP_ADD_DEP, 0, 5, TGRT_DEP_HOST},
       TGRT_ERROR_OUT_OF_RANGE, "byte 7 (opcode 11): tgrt_graph_add_dep"},
      // Bytes, not numbers, are counted: ADD_ARG's 300 takes two, so the
      // bad ADD_DEP starts at byte 7 + 4.
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 0,
        TGRT_OP_ADD_ARG, 0, 300, TGRT_OP_ADD_DEP, 0, 5, TGRT_DEP_HOST},
       TGRT_ERROR_OUT_OF_RANGE, "byte 11 (opcode 11): tgrt_graph_add_dep"},
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kValue, TGRT_PROC_CPU, 0, 0,
        0},
       TGRT_ERROR_NOT_FOUND, "'value' is not registered"},
      // Finalize fails: a cycle.
      {{TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 0,
        TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 0, TGRT_OP_ADD_DEP, 0, 1,
        TGRT_DEP_HOST, TGRT_OP_ADD_DEP, 1, 0, TGRT_DEP_HOST},
       TGRT_ERROR_CYCLE, "finalize"},
  };
  // clang-format on
  auto expectRefused = [&](const std::vector<uint8_t> &bytes,
                           tgrt_status status, const char *message) {
    tgrt_graph g = reinterpret_cast<tgrt_graph>(0x1);
    EXPECT_EQ(buildBytes(rt, bytes, &g), status) << message;
    EXPECT_EQ(g, nullptr) << message;
    std::string msg = tgrt_last_error();
    EXPECT_NE(msg.find(message), std::string::npos)
        << "expected '" << message << "' in: " << msg;
    EXPECT_NE(msg.find("graph 'prog'"), std::string::npos) << msg;
  };
  for (const Case &c : cases)
    expectRefused(encode(c.words), c.status, c.message);
  // Malformed numbers: cut inside one (the high bit says more follows), and
  // over 64 bits.
  std::vector<uint8_t> bytes = encode({TGRT_PROGRAM_VERSION, TGRT_OP_ADD_ARG});
  bytes.push_back(0x80);
  expectRefused(bytes, TGRT_ERROR_INVALID_ARGUMENT,
                "byte 1 (opcode 3): operand 0: the program ends inside a "
                "number");
  expectRefused({0x82}, TGRT_ERROR_INVALID_ARGUMENT,
                "byte 0: the program's version is unreadable (the program "
                "ends inside a number)");
  bytes = encode({TGRT_PROGRAM_VERSION});
  bytes.push_back(0x83);
  expectRefused(bytes, TGRT_ERROR_INVALID_ARGUMENT,
                "byte 1 (opcode 0): the program ends inside a number");
  bytes = encode({TGRT_PROGRAM_VERSION, TGRT_OP_SET_NUM_PARAMS});
  bytes.insert(bytes.end(), 9, 0xff);
  bytes.push_back(0x02); // bit 64
  expectRefused(bytes, TGRT_ERROR_INVALID_ARGUMENT,
                "operand 0: a number does not fit 64 bits");
  bytes = encode({TGRT_PROGRAM_VERSION, TGRT_OP_SET_NUM_PARAMS});
  bytes.insert(bytes.end(), 10, 0x80);
  bytes.push_back(0x00); // 11 bytes
  expectRefused(bytes, TGRT_ERROR_INVALID_ARGUMENT,
                "operand 0: a number does not fit 64 bits");
  // The largest number still reads: 2^64-1 as an ADD_ARG's 64 bits.
  tgrt_graph big = nullptr;
  ASSERT_TGRT(build(rt,
                    {TGRT_PROGRAM_VERSION, TGRT_OP_ADD_TASK, kRec,
                     TGRT_PROC_CPU, 0, 0, 0, TGRT_OP_ADD_ARG, 0, ~0ull},
                    &big));
  ASSERT_TGRT(tgrt_graph_destroy(big));
  // A version-1 program (64-bit words) is refused by its version.
  const uint64_t oldWords[] = {1, TGRT_OP_ADD_JOIN};
  std::vector<uint8_t> old(reinterpret_cast<const uint8_t *>(oldWords),
                           reinterpret_cast<const uint8_t *>(oldWords + 2));
  expectRefused(old, TGRT_ERROR_INVALID_ARGUMENT,
                "version is 1; this runtime reads version 2");
  // Bad handles and pointers.
  const uint8_t version = TGRT_PROGRAM_VERSION;
  tgrt_graph g = nullptr;
  EXPECT_EQ(tgrt_graph_build(nullptr, "p", &version, 1, kStrings, 1, &g),
            TGRT_ERROR_INVALID_HANDLE);
  EXPECT_EQ(tgrt_graph_build(rt, "p", &version, 1, kStrings, 1, nullptr),
            TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tgrt_graph_build(rt, "p", nullptr, 1, kStrings, 1, &g),
            TGRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tgrt_graph_build(rt, "p", &version, 1, nullptr, 1, &g),
            TGRT_ERROR_INVALID_ARGUMENT);
  // The smallest valid program: an empty graph.
  ASSERT_TGRT(tgrt_graph_build(rt, "p", &version, 1, nullptr, 0, &g));
  ASSERT_TGRT(tgrt_graph_destroy(g));
}

// Tests random corruptions of a valid program (its numbers, and its bytes)
// never crash or hang: each is built (a status comes back, and a graph only
// on success) and, when it builds, replayed. The sanitizer builds run this too.
TEST(Program, CorruptedProgramsFailCleanly) {
  Runtime rt(2, 1, 2, 1);
  ASSERT_TGRT(tgrt_register_cpu_kernel(rt, "rec", emptyKernel, nullptr));
  ASSERT_TGRT(tgrt_register_gpu_kernel(rt, "value", emptyKernel, nullptr,
                                       TGRT_KERNEL_STREAM_ORDERED));
  // clang-format off
  const std::vector<uint64_t> valid = {
      TGRT_PROGRAM_VERSION,
      TGRT_OP_SET_NUM_PARAMS, 1,
      TGRT_OP_ADD_TASK, kRec, TGRT_PROC_CPU, 0, 0, 1,
      TGRT_OP_ADD_ARG_PARAM, 0, 0,
      TGRT_OP_ADD_TASK, kValue, TGRT_PROC_GPU, 0, 1, 0,
      TGRT_OP_ADD_ARG_VALUE, 1, 0, 0,
      TGRT_OP_PRED_FROM_VALUE, 0, 0,
      TGRT_OP_SET_PREDICATE, 1, 0, TGRT_PRED_GUARDED,
      TGRT_OP_ADD_JOIN,
      TGRT_OP_ADD_DEP, 0, 2, TGRT_DEP_HOST,
      TGRT_OP_ADD_DEP, 1, 2, TGRT_DEP_HOST,
  };
  // clang-format on
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  const uint64_t interesting[] = {
      0, 1, 2, 3, 17, 18, 255, 0xffffffffull, 0x100000000ull, ~0ull};
  int built = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint64_t> words = valid;
    for (int k = 1 + int(next() % 3); k > 0; --k) {
      uint64_t &w = words[1 + next() % (words.size() - 1)];
      w = next() % 2 ? interesting[next() % 10] : next();
    }
    if (next() % 4 == 0)
      words.resize(1 + next() % words.size());
    // Every other case also corrupts the encoding itself: random bytes.
    std::vector<uint8_t> bytes = encode(words);
    if (i % 2)
      for (int k = 1 + int(next() % 3); k > 0; --k)
        bytes[next() % bytes.size()] = static_cast<uint8_t>(next());
    tgrt_graph g = nullptr;
    tgrt_status s = buildBytes(rt, bytes, &g);
    ASSERT_EQ(s == TGRT_OK, g != nullptr) << "case " << i;
    if (!g)
      continue;
    ++built;
    const uint64_t param = 5;
    tgrt_event done = nullptr;
    if (tgrt_graph_replay(g, nullptr, 0, &param, 1, &done) == TGRT_OK) {
      waitEvent(done);
      tgrt_event_release(done);
    }
    ASSERT_TGRT(tgrt_graph_destroy(g));
  }
  EXPECT_GT(built, 0) << "some corruptions are harmless (e.g. a stream)";
}

} // namespace
