//===- ModuleGenerator.h - bytes -> a well-formed tgraph module -----------===//
//
// For tgraph-fuzz-pipeline-gen: turns any byte string into the text of a
// tgraph module that usually parses and verifies (mutated .mlir text seldom
// does past the first few edits), so that the passes and the lowering see
// many graph shapes: tasks on host and GPU buffers with every access mode,
// value producers and consumers, predicates (from values, constants,
// not/and/or; guarded or wait), awaits on events (host or device), copies
// between host and GPU buffers, joins, graph arguments of every kind, and a
// random machine. Kernels are a fixed set with fixed signatures.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_FUZZ_MODULEGENERATOR_H
#define TGRAPH_FUZZ_MODULEGENERATOR_H

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tgraph_fuzz {

inline std::string generateModule(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  std::string out;
  auto pick = [&](const std::vector<std::string> &v) -> const std::string & {
    return v[fdp.ConsumeIntegralInRange<size_t>(0, v.size() - 1)];
  };
  const std::string H = "!tgraph.buffer<f64 x 4, host>";
  const std::string D = "!tgraph.buffer<f64 x 4, gpu>";

  // The machine: mostly a small valid one (GPU kernels need a GPU), now
  // and then absent (the pipeline's defaults) or odd (zero of something).
  auto count = [&](int lo, int hi) {
    return std::to_string(fdp.ConsumeIntegralInRange<int>(0, 15)
                              ? fdp.ConsumeIntegralInRange<int>(lo, hi)
                              : 0);
  };
  if (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    out += "module attributes {tgraph.machine = #tgraph.machine<cpus = " +
           count(1, 3) + ", gpus = " + count(1, 2) +
           ", streams_per_gpu = " + count(1, 3) +
           ", copy_streams = " + count(1, 2) + ">} {\n";
  } else {
    out += "module {\n";
  }
  out += "tgraph.kernel @c0() cpu\n"
         "tgraph.kernel @c1(!tgraph.buffer<f64 x ?, host>) -> i1 cpu\n"
         "tgraph.kernel @c2(i64) -> i64 cpu\n"
         "tgraph.kernel @g0(!tgraph.buffer<f64 x ?, gpu>) gpu stream_ordered\n"
         "tgraph.kernel @g1(!tgraph.buffer<f64 x ?, gpu>) -> f64 gpu\n"
         "tgraph.kernel @g2() gpu stream_ordered\n"
         "tgraph.kernel @g3(!tgraph.buffer<f64 x ?, gpu>) -> i1 gpu "
         "stream_ordered\n";

  int numGraphs = fdp.ConsumeIntegralInRange<int>(1, 2);
  for (int gi = 0; gi < numGraphs; ++gi) {
    std::vector<std::string> host, gpu, events, preds, boolValues, intValues,
        f64Values;
    std::string args;
    int nh = fdp.ConsumeIntegralInRange<int>(0, 3);
    int nd = fdp.ConsumeIntegralInRange<int>(0, 2);
    auto addArg = [&](const std::string &name, const std::string &type) {
      if (!args.empty())
        args += ", ";
      args += name + ": " + type;
    };
    for (int i = 0; i < nh; ++i) {
      host.push_back("%h" + std::to_string(i));
      addArg(host.back(), H);
    }
    for (int i = 0; i < nd; ++i) {
      gpu.push_back("%d" + std::to_string(i));
      addArg(gpu.back(), D);
    }
    if (fdp.ConsumeBool()) {
      preds.push_back("%parg");
      addArg("%parg", "!tgraph.pred");
    }
    if (fdp.ConsumeBool()) {
      events.push_back("%pre");
      addArg("%pre", "!tgraph.event");
    }
    if (fdp.ConsumeBool()) {
      addArg("%s", "i64");
    }
    // The body first: the header names the yield's types.
    const std::string header =
        "tgraph.graph @graph" + std::to_string(gi) + "(" + args + ")";
    std::string graphText = std::move(out);
    out = "  %n = arith.constant 4 : i64\n";
    int numOps = fdp.ConsumeIntegralInRange<int>(1, 24);
    int id = 0;
    for (int op = 0; op < numOps && fdp.remaining_bytes(); ++op) {
      const std::string e = "%e" + std::to_string(id);
      const std::string v = "%v" + std::to_string(id);
      ++id;
      // await(...), if ..., else(...) for a task.
      auto suffix = [&](const std::string &elseValue) {
        std::string s;
        if (!events.empty() && fdp.ConsumeBool()) {
          s += " await(";
          int k = fdp.ConsumeIntegralInRange<int>(1, 2);
          bool kinded = fdp.ConsumeBool(); // all or none
          for (int i = 0; i < k; ++i) {
            s += (i ? ", " : "") + pick(events);
            if (kinded)
              s += fdp.ConsumeBool() ? " host" : " device";
          }
          s += ")";
        }
        if (!preds.empty() && fdp.ConsumeBool()) {
          s += " if " + pick(preds);
          int mode = fdp.ConsumeIntegralInRange<int>(0, 2);
          s += mode == 0 ? "" : mode == 1 ? " guarded" : " wait";
          // Needed with results (left out now and then: the verifier).
          if (!elseValue.empty() && fdp.ConsumeIntegralInRange<int>(0, 15))
            s += " else(" + elseValue + ")";
        }
        return s;
      };
      auto access = [&] {
        static const std::vector<std::string> modes = {"read", "write",
                                                       "read_write"};
        return pick(modes);
      };
      switch (fdp.ConsumeIntegralInRange<int>(0, 15)) {
      case 0:
        out += "  " + e + " = tgraph.task @c0()" + suffix("") + "\n";
        events.push_back(e);
        break;
      case 1:
      case 2:
        if (host.empty())
          break;
        out += "  " + e + ", " + v + " = tgraph.task @c1(" + pick(host) +
               " : " + access() + ")" + suffix("false") + " : (" + H +
               ") -> !tgraph.value<i1>\n";
        events.push_back(e);
        boolValues.push_back(v);
        break;
      case 3: {
        std::string arg = "%n", type = "i64";
        if (!intValues.empty() && fdp.ConsumeBool()) {
          arg = pick(intValues);
          type = "!tgraph.value<i64>";
        } else if (args.find("%s: i64") != std::string::npos &&
                   fdp.ConsumeBool()) {
          arg = "%s";
        }
        out += "  " + e + ", " + v + " = tgraph.task @c2(" + arg + ")" +
               suffix("0 : i64") + " : (" + type + ") -> !tgraph.value<i64>\n";
        events.push_back(e);
        intValues.push_back(v);
        break;
      }
      case 4:
      case 5:
        if (gpu.empty())
          break;
        out += "  " + e + " = tgraph.task @g0(" + pick(gpu) + " : " + access() +
               ")" + suffix("") + " : (" + D + ")\n";
        events.push_back(e);
        break;
      case 6:
        if (gpu.empty())
          break;
        out += "  " + e + ", " + v + " = tgraph.task @g1(" + pick(gpu) + " : " +
               access() + ")" + suffix("0.0 : f64") + " : (" + D +
               ") -> !tgraph.value<f64>\n";
        events.push_back(e);
        f64Values.push_back(v);
        break;
      case 7:
        out += "  " + e + " = tgraph.task @g2()" + suffix("") + "\n";
        events.push_back(e);
        break;
      case 8:
        if (gpu.empty())
          break;
        out += "  " + e + ", " + v + " = tgraph.task @g3(" + pick(gpu) + " : " +
               access() + ")" + suffix("true") + " : (" + D +
               ") -> !tgraph.value<i1>\n";
        events.push_back(e);
        boolValues.push_back(v);
        break;
      case 9:
      case 10: {
        // A copy between any two buffers.
        std::vector<std::pair<std::string, std::string>> all;
        for (auto &b : host)
          all.push_back({b, H});
        for (auto &b : gpu)
          all.push_back({b, D});
        if (all.size() < 2)
          break;
        size_t a = fdp.ConsumeIntegralInRange<size_t>(0, all.size() - 1);
        size_t b = fdp.ConsumeIntegralInRange<size_t>(0, all.size() - 1);
        if (a == b)
          b = (b + 1) % all.size();
        std::string src = all[a].first, dst = all[b].first;
        if (fdp.ConsumeBool()) {
          int off = fdp.ConsumeIntegralInRange<int>(0, 3);
          int dOff = fdp.ConsumeIntegralInRange<int>(0, 3);
          // In range, bar now and then (the verifier's bounds checks).
          int len = fdp.ConsumeIntegralInRange<int>(1, 4);
          if (fdp.ConsumeIntegralInRange<int>(0, 15))
            len = std::max(1, std::min(len, 4 - std::max(off, dOff)));
          src += "[" + std::to_string(off) + "]";
          dst += "[" + std::to_string(dOff) + "] size " + std::to_string(len);
        }
        out += "  " + e + " = tgraph.copy " + src + " to " + dst;
        if (!preds.empty() && fdp.ConsumeBool())
          out += " if " + pick(preds);
        out += " : " + all[a].second + " to " + all[b].second + "\n";
        events.push_back(e);
        break;
      }
      case 11: {
        if (events.empty())
          break;
        out += "  " + e + " = tgraph.join ";
        int k = fdp.ConsumeIntegralInRange<int>(1, 3);
        for (int i = 0; i < k; ++i)
          out += (i ? ", " : "") + pick(events);
        out += "\n";
        events.push_back(e);
        break;
      }
      case 12: {
        const std::string p = "%p" + std::to_string(id);
        if (!boolValues.empty() && fdp.ConsumeBool())
          out += "  " + p + " = tgraph.pred.from " + pick(boolValues) +
                 " : !tgraph.value<i1>\n";
        else
          out += "  " + p + " = tgraph.pred.const " +
                 (fdp.ConsumeBool() ? "true" : "false") + "\n";
        preds.push_back(p);
        break;
      }
      case 13: {
        if (preds.empty())
          break;
        const std::string p = "%p" + std::to_string(id);
        int k = fdp.ConsumeIntegralInRange<int>(0, 2);
        if (k == 0)
          out += "  " + p + " = tgraph.pred.not " + pick(preds) + "\n";
        else
          out += "  " + p + " = tgraph.pred." + (k == 1 ? "and " : "or ") +
                 pick(preds) + ", " + pick(preds) + "\n";
        preds.push_back(p);
        break;
      }
      case 14:
        if (!events.empty() && fdp.ConsumeBool()) {
          out += "  " + e + " = tgraph.event.immediate\n";
          events.push_back(e);
        }
        break;
      default:
        // Consumes a value on the CPU: c2 on an i64, or c1-like use of a
        // bool through pred.from (covered above); here an int chain.
        if (!intValues.empty()) {
          out += "  " + e + ", " + v + " = tgraph.task @c2(" + pick(intValues) +
                 ")" + suffix("1 : i64") +
                 " : (!tgraph.value<i64>) -> !tgraph.value<i64>\n";
          events.push_back(e);
          intValues.push_back(v);
        }
        break;
      }
    }
    // Yield: nothing, or a value / event.
    std::string yield = "  tgraph.yield\n", results;
    int y = fdp.ConsumeIntegralInRange<int>(0, 3);
    if (y == 1 && !intValues.empty()) {
      yield = "  tgraph.yield " + pick(intValues) + " : !tgraph.value<i64>\n";
      results = " -> !tgraph.value<i64>";
    } else if (y == 2 && !events.empty()) {
      yield = "  tgraph.yield " + pick(events) + " : !tgraph.event\n";
      results = " -> !tgraph.event";
    } else if (y == 3 && !f64Values.empty()) {
      yield = "  tgraph.yield " + pick(f64Values) + " : !tgraph.value<f64>\n";
      results = " -> !tgraph.value<f64>";
    }
    out = graphText + header + results + " {\n" + out + yield + "}\n";
  }
  out += "}\n";
  return out;
}

} // namespace tgraph_fuzz

#endif // TGRAPH_FUZZ_MODULEGENERATOR_H
