//===- ProgramDecoder.h - Running a graph program -------------------------===//
//
// The decoder behind tgrt_graph_build: runs a graph program's calls on a
// graph through the C ABI, then finalizes it.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_LIB_RUNTIME_PROGRAMDECODER_H
#define TGRAPH_LIB_RUNTIME_PROGRAMDECODER_H

#include "tgraph/Runtime/tgrt.h"

#include <string>

namespace tgraph {
namespace rt {

/// Runs one graph program (see tgrt.h) on `g`, then finalizes it. Returns
/// the first failing call's status; `where` then says where ("byte N
/// (opcode K)", or "finalize").
tgrt_status runProgram(tgrt_graph g, const uint8_t *program, uint64_t size,
                       const char *strings, uint64_t stringsSize,
                       std::string &where);

} // namespace rt
} // namespace tgraph

#endif // TGRAPH_LIB_RUNTIME_PROGRAMDECODER_H
