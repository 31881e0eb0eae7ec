//===- Trace.cpp - Chrome-trace / Perfetto timeline of a replay -----------===//
//
// Writes the spans recorded by the last completed traced replay as Chrome
// trace-event JSON: one lane (thread) per processor for host spans (run on a
// CPU worker, or issue on a stream), one lane per stream for device spans,
// and one lane for inline joins. Skipped (predicated-false or poisoned) ops
// are marked in their args.
//
//===----------------------------------------------------------------------===//

#include "Graph.h"

#include <cstdio>

using namespace tgraph::rt;

namespace {
std::string jsonEscape(const char *s) {
  std::string out;
  for (; *s; ++s) {
    unsigned char c = static_cast<unsigned char>(*s);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}
} // namespace

tgrt_status tgrt_graph_impl::writeTrace(const char *path) {
  if (!tracing.haveLast)
    return setError(TGRT_ERROR_INVALID_STATE,
                    "tgrt_graph_write_trace: no traced replay has completed "
                    "(enable tracing with tgrt_graph_set_tracing first)");
  std::FILE *f = std::fopen(path, "w");
  if (!f)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string("tgrt_graph_write_trace: cannot open ") + path);
  const uint32_t numProcs = static_cast<uint32_t>(rt->procs.size());
  // Lanes: host lane of processor p = p; device lane of a stream processor
  // = numProcs + p; inline joins = 2 * numProcs.
  const uint32_t inlineLane = 2 * numProcs;
  std::fprintf(f, "{\"traceEvents\":[\n");
  bool first = true;
  auto sep = [&] {
    if (!first)
      std::fprintf(f, ",\n");
    first = false;
  };
  auto laneName = [&](uint32_t lane, const std::string &label) {
    sep();
    std::fprintf(f,
                 "{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"thread_name\","
                 "\"args\":{\"name\":\"%s\"}}",
                 lane, jsonEscape(label.c_str()).c_str());
    sep();
    std::fprintf(f,
                 "{\"ph\":\"M\",\"pid\":1,\"tid\":%u,"
                 "\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%u}}",
                 lane, lane);
  };
  sep();
  std::fprintf(f,
               "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\","
               "\"args\":{\"name\":\"tgraph %s\"}}",
               jsonEscape(name.c_str()).c_str());
  for (uint32_t p : program.involved) {
    const Processor &proc = *rt->procs[p];
    if (proc.kind == Processor::Kind::Cpu) {
      laneName(p, proc.name);
    } else {
      laneName(p, proc.name + " (host issue)");
      laneName(numProcs + p, proc.name + " (device)");
    }
  }
  for (const XNode &x : program.nodes)
    if (x.exec == ExecKind::Inline) {
      laneName(inlineLane, "inline joins");
      break;
    }
  auto span = [&](uint32_t lane, uint32_t node, uint64_t start, uint64_t end,
                  const char *cat) {
    if (start == 0)
      return;
    double ts = static_cast<double>(start - tracing.lastStart) / 1000.0;
    double dur = end >= start ? static_cast<double>(end - start) / 1000.0 : 0;
    sep();
    std::fprintf(
        f,
        "{\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"name\":\"%s\","
        "\"cat\":\"%s\",\"ts\":%.3f,\"dur\":%.3f,"
        "\"args\":{\"node\":%u,\"skipped\":%s}}",
        lane, jsonEscape(program.nodes[node].name).c_str(), cat, ts, dur, node,
        st.skipped[program.nodes[node].state].load(std::memory_order_relaxed)
            ? "true"
            : "false");
  };
  for (uint32_t i = 0; i < program.numNodes(); ++i) {
    const XNode &x = program.nodes[i];
    const Tracing::Span &s = tracing.lastSpans[i];
    switch (x.exec) {
    case ExecKind::Cpu:
      span(x.proc, i, s.hostStart, s.hostEnd, "host");
      break;
    case ExecKind::Stream:
      span(x.proc, i, s.hostStart, s.hostEnd, "issue");
      span(numProcs + x.proc, i, s.devStart, s.devEnd, "device");
      break;
    case ExecKind::Inline:
      span(inlineLane, i, s.hostStart, s.hostEnd, "join");
      break;
    }
  }
  std::fprintf(f, "\n],\"displayTimeUnit\":\"ns\"}\n");
  bool ok = std::fclose(f) == 0;
  if (!ok)
    return setError(TGRT_ERROR_INVALID_ARGUMENT,
                    std::string("tgrt_graph_write_trace: cannot write ") +
                        path);
  return TGRT_OK;
}
