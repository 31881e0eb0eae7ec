//===- ProgramDecoder.cpp - Running a graph program -----------------------===//
//
// A graph program (tgrt.h, "Graph programs") is the sequence of
// graph-building calls convert-tgraph-to-runtime would otherwise emit as
// straight-line code, as LEB128 numbers. The decoder reads each call's
// opcode and operands, checks what the encoding alone can say (known
// opcode, operand count, 32-bit operands, strings inside the table), and
// makes the very C ABI call the compiler would have made, so that a program
// is validated exactly like the calls; then it finalizes. Every error says
// at which byte and opcode it happened.
//
//===----------------------------------------------------------------------===//

#include "ProgramDecoder.h"

#include "Support.h"

#include <cstring>
#include <string>

using namespace tgraph::rt;

namespace {
/// How a program call's operands look: how many, and which are 64-bit
/// numbers (bit i: operand i; every other one must fit 32 bits). Derived from
/// tgrt_symbols.def, the table the lowering encodes with, so the two cannot
/// disagree: the operands are the parameters after the graph, without the
/// out-pointer ('o'); 'i' is 32-bit, 'l', 'p' (a copy's pointer, 0) and 's'
/// (a string-table offset) are 64-bit.
struct ProgramCall {
  uint8_t operands = 0;
  uint16_t wide = 0;
};
constexpr uint32_t kNumProgramOps = TGRT_OP_EXPECT_DEPS + 1;
struct ProgramTable {
  ProgramCall calls[kNumProgramOps];
};
constexpr ProgramCall describeCall(const char *params) {
  ProgramCall call;
  for (const char *c = params + 1; *c; ++c) {
    if (*c == 'o')
      continue;
    if (*c != 'i')
      call.wide |= uint16_t(1u << call.operands);
    ++call.operands;
  }
  return call;
}
constexpr ProgramTable makeProgramTable() {
  ProgramTable table;
#define TGRT_SYMBOL(name, params, opcode)                                      \
  if (int(opcode) != 0)                                                        \
    table.calls[opcode] = describeCall(params);
#include "tgraph/Runtime/tgrt_symbols.def"
#undef TGRT_SYMBOL
  return table;
}
constexpr ProgramTable kProgramTable = makeProgramTable();
static_assert(kProgramTable.calls[TGRT_OP_ADD_COPY].operands == 10 &&
                  kProgramTable.calls[TGRT_OP_ADD_COPY].wide == 0b1101101000,
              "tgrt_symbols.def: tgrt_graph_add_copy's parameters");
constexpr uint32_t kMaxOperands = 16; // ProgramCall::wide's bits
constexpr bool operandsFit() {
  for (const ProgramCall &call : kProgramTable.calls)
    if (call.operands > kMaxOperands)
      return false;
  return true;
}
static_assert(operandsFit(), "a program call with over 16 operands");

/// Reads the unsigned LEB128 number at p[pc] (see tgrt.h) and moves pc past
/// it. Null on success, else what is wrong.
inline const char *readNumber(const uint8_t *p, uint64_t n, uint64_t &pc,
                              uint64_t &value) {
  value = 0;
  for (unsigned shift = 0; pc < n; shift += 7) {
    const uint8_t byte = p[pc++];
    if (shift == 63 && byte > 1)
      return "a number does not fit 64 bits";
    value |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      return nullptr;
  }
  return "the program ends inside a number";
}

} // namespace

tgrt_status tgraph::rt::runProgram(tgrt_graph g, const uint8_t *p, uint64_t n,
                                   const char *strings, uint64_t stringsSize,
                                   std::string &where) {
  uint64_t pc = 0, version = 0;
  const char *bad = n ? readNumber(p, n, pc, version) : nullptr;
  if (n == 0 || bad || version != TGRT_PROGRAM_VERSION) {
    where = "byte 0";
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    "the program's version is " +
                        (n == 0 ? std::string("missing")
                         : bad  ? "unreadable (" + std::string(bad) + ")"
                                : std::to_string(version)) +
                        "; this runtime reads version " +
                        std::to_string(TGRT_PROGRAM_VERSION) +
                        " (recompile the graph)");
  }
  uint32_t out = 0;
  uint64_t op = 0, callPc = 0;
  // Formatted only on an error: the loop runs once per call of a graph.
  auto at = [&] {
    where = "byte " + std::to_string(callPc) + " (opcode " +
            std::to_string(op) + ")";
  };
  uint64_t a[kMaxOperands]; // the call's operands
  while (pc < n) {
    callPc = pc;
    if ((bad = readNumber(p, n, pc, op))) {
      op = 0;
      at();
      return setError(TGRT_ERROR_INVALID_ARGUMENT, bad);
    }
    if (op == 0 || op >= kNumProgramOps ||
        (kProgramTable.calls[op].operands == 0 && op != TGRT_OP_ADD_JOIN)) {
      at();
      return setError(TGRT_ERROR_INVALID_ARGUMENT,
                      "unknown program opcode " + std::to_string(op));
    }
    const ProgramCall &call = kProgramTable.calls[op];
    for (int i = 0; i < call.operands; ++i) {
      if (pc == n) {
        at();
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "the program ends inside a call");
      }
      if ((bad = readNumber(p, n, pc, a[i]))) {
        at();
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "operand " + std::to_string(i) + ": " + bad);
      }
      if (!(call.wide >> i & 1) && a[i] > UINT32_MAX) {
        at();
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "operand " + std::to_string(i) + " (" +
                            std::to_string(a[i]) +
                            ") does not fit the call's 32-bit parameter");
      }
    }
    auto u32 = [&](int i) { return static_cast<uint32_t>(a[i]); };
    auto i32 = [&](int i) { return static_cast<int32_t>(a[i]); };
    auto str = [&](int i) -> const char * {
      if (a[i] >= stringsSize ||
          !std::memchr(strings + a[i], '\0', stringsSize - a[i]))
        return nullptr;
      return strings + a[i];
    };
    tgrt_status s = TGRT_OK;
    switch (static_cast<tgrt_program_op>(op)) {
    case TGRT_OP_SET_NUM_PARAMS:
      s = tgrt_graph_set_num_params(g, u32(0));
      break;
    case TGRT_OP_ADD_TASK:
      if (!str(0)) {
        at();
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "a kernel name is outside the string table");
      }
      s = tgrt_graph_add_task(g, str(0), i32(1), u32(2), u32(3), u32(4), &out);
      break;
    case TGRT_OP_ADD_ARG:
      s = tgrt_graph_add_arg(g, u32(0), a[1]);
      break;
    case TGRT_OP_ADD_ARG_PARAM:
      s = tgrt_graph_add_arg_param(g, u32(0), u32(1));
      break;
    case TGRT_OP_ADD_ARG_VALUE:
      s = tgrt_graph_add_arg_value(g, u32(0), u32(1), u32(2));
      break;
    case TGRT_OP_SET_ELSE_VALUE:
      s = tgrt_graph_set_else_value(g, u32(0), u32(1), a[2]);
      break;
    case TGRT_OP_ADD_COPY:
      if (a[3] || a[6]) {
        at();
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "a program's copy has a pointer; bind its buffers "
                        "with COPY_BIND_PARAM");
      }
      s = tgrt_graph_add_copy(g, i32(0), u32(1), u32(2), nullptr, i32(4), a[5],
                              nullptr, i32(7), a[8], a[9], &out);
      break;
    case TGRT_OP_COPY_BIND_PARAM:
      s = tgrt_graph_copy_bind_param(g, u32(0), i32(1), u32(2));
      break;
    case TGRT_OP_ADD_JOIN:
      s = tgrt_graph_add_join(g, &out);
      break;
    case TGRT_OP_SET_NODE_NAME:
      if (!str(1)) {
        at();
        return setError(TGRT_ERROR_INVALID_ARGUMENT,
                        "a node name is outside the string table");
      }
      s = tgrt_graph_set_node_name(g, u32(0), str(1));
      break;
    case TGRT_OP_ADD_DEP:
      s = tgrt_graph_add_dep(g, u32(0), u32(1), i32(2));
      break;
    case TGRT_OP_PRED_CONST:
      s = tgrt_graph_pred_const(g, i32(0), &out);
      break;
    case TGRT_OP_PRED_FROM_VALUE:
      s = tgrt_graph_pred_from_value(g, u32(0), u32(1), &out);
      break;
    case TGRT_OP_PRED_NOT:
      s = tgrt_graph_pred_not(g, u32(0), &out);
      break;
    case TGRT_OP_PRED_AND:
      s = tgrt_graph_pred_and(g, u32(0), u32(1), &out);
      break;
    case TGRT_OP_PRED_OR:
      s = tgrt_graph_pred_or(g, u32(0), u32(1), &out);
      break;
    case TGRT_OP_SET_PREDICATE:
      s = tgrt_graph_set_predicate(g, u32(0), u32(1), i32(2));
      break;
    case TGRT_OP_SET_QUEUE_POS:
      s = tgrt_graph_set_queue_pos(g, u32(0), u32(1));
      break;
    case TGRT_OP_EXPECT_DEPS:
      s = tgrt_graph_expect_deps(g, u32(0), u32(1));
      break;
    }
    if (s != TGRT_OK) {
      at();
      return s;
    }
  }
  where = "finalize";
  return tgrt_graph_finalize(g);
}
