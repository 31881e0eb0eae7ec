//===- Dot.cpp - tgraph graphs as Graphviz DOT ----------------------------===//
//
// Walks a graph body once: every op that produces an event becomes a node,
// placed ops are grouped by processor into clusters, and every awaited event
// becomes an edge styled by its dependence kind. SSA names come from an
// AsmState, so labels match what tgraph-opt prints.
//
//===----------------------------------------------------------------------===//

#include "tgraph/Export/Dot.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

#include <map>
#include <tuple>

using namespace mlir;
using namespace mlir::tgraph;

/// Sort key of a processor: CPUs first, then each GPU's compute streams,
/// then its copy streams, each by number.
using ProcKey = std::tuple<unsigned, unsigned, bool, int64_t>;

static ProcKey getProcKey(ProcAttr proc) {
  return {static_cast<unsigned>(proc.getKind()), proc.getIndex(),
          proc.getCopy(), proc.getStream()};
}

namespace {
/// One DOT node: its id, the lines of its label and its attributes.
struct Node {
  std::string id;
  llvm::SmallVector<std::string, 3> lines;
  std::string attrs;
};

class DotWriter {
public:
  DotWriter(GraphOp graph, llvm::raw_ostream &os)
      : graph(graph), os(os), state(graph) {}
  void write();

private:
  std::string nameOf(Value value);
  /// The node id of the op or block argument that defines `value`, if it
  /// is drawn.
  std::optional<std::string> nodeOf(Value value);
  void addOpNode(Operation *op);
  void printNode(const Node &node, llvm::StringRef indent);
  void printEdge(Value from, llvm::StringRef to, llvm::StringRef style);

  GraphOp graph;
  llvm::raw_ostream &os;
  AsmState state;
  SymbolTableCollection symbols;
  /// Tasks, copies and joins so far (their `#N`), and other event ops.
  unsigned numTimelineOps = 0, numOtherOps = 0;
  llvm::DenseMap<Operation *, std::string> ids;
  std::vector<Node> sources, unplaced;
  std::map<ProcKey, std::pair<ProcAttr, std::vector<Node>>> clusters;
};
} // namespace

/// `s` as the inside of a DOT double-quoted string.
static std::string escape(llvm::StringRef s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string DotWriter::nameOf(Value value) {
  std::string name;
  llvm::raw_string_ostream nameOs(name);
  value.printAsOperand(nameOs, state);
  return name;
}

std::optional<std::string> DotWriter::nodeOf(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() == &graph.getBodyBlock() &&
        isa<EventType>(arg.getType()))
      return "arg" + std::to_string(arg.getArgNumber());
    return std::nullopt;
  }
  auto it = ids.find(value.getDefiningOp());
  if (it == ids.end())
    return std::nullopt;
  return it->second;
}

/// A short rendering of a scalar operand: its constant value, else its SSA
/// name.
static std::string scalarLabel(Value value,
                               llvm::function_ref<std::string(Value)> name) {
  llvm::APInt intValue;
  if (matchPattern(value, m_ConstantInt(&intValue))) {
    if (intValue.getBitWidth() == 1)
      return intValue.isZero() ? "false" : "true";
    return llvm::toString(intValue, 10, /*Signed=*/true);
  }
  FloatAttr floatValue;
  if (matchPattern(value, m_Constant(&floatValue))) {
    llvm::SmallString<16> text;
    floatValue.getValue().toString(text);
    return std::string(text);
  }
  return name(value);
}

void DotWriter::addOpNode(Operation *op) {
  Node node;
  std::string index = " #" + std::to_string(numTimelineOps);
  auto name = [this](Value v) { return nameOf(v); };
  llvm::StringRef fill = "white";
  ProcAttr placement;
  Value pred;
  PredModeAttr predMode;

  if (auto task = dyn_cast<TaskOp>(op)) {
    node.id = "n" + std::to_string(numTimelineOps++);
    node.lines.push_back("@" + task.getKernel().str() + index);
    // Scalars and values say which instance this is (Task Bench passes the
    // timestep and point); buffers would make labels too wide.
    llvm::SmallVector<std::string> scalars;
    for (Value arg : task.getArgs())
      if (!isa<BufferType>(arg.getType()))
        scalars.push_back(scalarLabel(arg, name));
    if (!scalars.empty())
      node.lines.push_back("(" + llvm::join(scalars, ", ") + ")");
    if (auto kernel = symbols.lookupNearestSymbolFrom<KernelOp>(
            task, task.getKernelAttr()))
      fill = kernel.isGpu() ? "#d9ead3" : "#cfe2f3";
    placement = task.getPlacementAttr();
    pred = task.getPred();
    predMode = task.getPredModeAttr();
    node.attrs = "shape=box";
  } else if (auto copy = dyn_cast<CopyOp>(op)) {
    node.id = "n" + std::to_string(numTimelineOps++);
    node.lines.push_back("copy" + index);
    node.lines.push_back(nameOf(copy.getSrc()) + " to " +
                         nameOf(copy.getDst()));
    fill = "#fff2cc";
    placement = copy.getPlacementAttr();
    pred = copy.getPred();
    predMode = copy.getPredModeAttr();
    node.attrs = "shape=box";
  } else if (isa<JoinOp>(op)) {
    node.id = "n" + std::to_string(numTimelineOps++);
    node.lines.push_back("join" + index);
    node.attrs = "shape=ellipse";
  } else if (isa<ImmediateOp>(op)) {
    node.id = "imm" + std::to_string(numOtherOps++);
    node.attrs = "shape=point";
    ids[op] = node.id;
    unplaced.push_back(std::move(node));
    return;
  } else {
    // Any other op that makes an event: drawn, so that no edge dangles.
    node.id = "op" + std::to_string(numOtherOps++);
    node.lines.push_back(op->getName().getStringRef().str());
    node.attrs = "shape=box";
  }

  std::string style = "filled";
  if (pred) {
    node.lines.push_back(
        "if " + nameOf(pred) +
        (predMode ? " " + stringifyPredMode(predMode.getValue()).str()
                  : std::string()));
    style += ",dashed";
  }
  if (!node.attrs.empty())
    node.attrs += ", ";
  node.attrs += "style=\"" + style + "\", fillcolor=\"" + fill.str() + "\"";
  ids[op] = node.id;
  if (!placement) {
    unplaced.push_back(std::move(node));
    return;
  }
  auto &cluster = clusters[getProcKey(placement)];
  cluster.first = placement;
  cluster.second.push_back(std::move(node));
}

void DotWriter::printNode(const Node &node, llvm::StringRef indent) {
  os << indent << node.id << " [label=\""
     << escape(llvm::join(node.lines, "\n")) << "\"";
  if (!node.attrs.empty())
    os << ", " << node.attrs;
  os << "];\n";
}

void DotWriter::printEdge(Value from, llvm::StringRef to,
                          llvm::StringRef style) {
  std::optional<std::string> src = nodeOf(from);
  if (!src)
    return;
  os << "  " << *src << " -> " << to << " [style=" << style;
  if (style == "dashed")
    os << ", color=\"#38761d\"";
  os << "];\n";
}

/// The DOT style of the dependence on awaited event `i` of an op with
/// dependence kinds `kinds` (null: not classified yet).
static llvm::StringRef edgeStyle(ArrayAttr kinds, unsigned i) {
  if (!kinds || i >= kinds.size())
    return "dotted";
  auto kind = dyn_cast<DepKindAttr>(kinds[i]);
  if (!kind)
    return "dotted";
  return kind.getValue() == DepKind::host ? "solid" : "dashed";
}

void DotWriter::write() {
  Block &body = graph.getBodyBlock();
  for (BlockArgument arg : body.getArguments()) {
    if (!isa<EventType>(arg.getType()))
      continue;
    Node node;
    node.id = "arg" + std::to_string(arg.getArgNumber());
    node.lines.push_back(nameOf(arg));
    node.attrs = "shape=invhouse, style=filled, fillcolor=\"#eeeeee\"";
    sources.push_back(std::move(node));
  }
  for (Operation &op : body.without_terminator()) {
    bool makesEvent = llvm::any_of(
        op.getResultTypes(), [](Type type) { return isa<EventType>(type); });
    if (makesEvent || isa<AwaitOpInterface>(op))
      addOpNode(&op);
  }

  os << "digraph \"" << escape(graph.getSymName()) << "\" {\n";
  os << "  label=\"@" << escape(graph.getSymName())
     << (graph.getPhysical() ? " (physical)" : " (logical)") << "\";\n";
  os << "  labelloc=t;\n";
  os << "  fontname=\"Helvetica\";\n";
  os << "  node [fontname=\"Helvetica\", fontsize=11];\n";
  os << "  edge [arrowsize=0.7];\n";
  for (const Node &node : sources)
    printNode(node, "  ");
  for (auto &[key, cluster] : clusters) {
    ProcAttr proc = cluster.first;
    std::string name, label;
    if (proc.isCpu()) {
      name = "cpu" + std::to_string(proc.getIndex());
      label = "cpu " + std::to_string(proc.getIndex());
    } else {
      const char *what = proc.getCopy() ? "copy" : "stream";
      name = "gpu" + std::to_string(proc.getIndex()) + "_" + what +
             std::to_string(proc.getStream());
      label = "gpu " + std::to_string(proc.getIndex()) + ", " + what + " " +
              std::to_string(proc.getStream());
    }
    os << "  subgraph cluster_" << name << " {\n";
    os << "    label=\"" << label << "\";\n";
    os << "    style=rounded;\n    color=gray50;\n";
    for (const Node &node : cluster.second)
      printNode(node, "    ");
    os << "  }\n";
  }
  for (const Node &node : unplaced)
    printNode(node, "  ");
  // A sink only when something flows into it (a logical graph often yields
  // nothing).
  Operation *yield = body.getTerminator();
  bool drawYield = llvm::any_of(yield->getOperands(),
                                [&](Value v) { return nodeOf(v).has_value(); });
  if (drawYield)
    os << "  yield [label=\"yield\", shape=Msquare];\n";

  // Edges in op order: each op's awaited events, then the yield's operands.
  for (Operation &op : body.without_terminator()) {
    auto it = ids.find(&op);
    if (it == ids.end())
      continue;
    ArrayAttr kinds;
    if (auto task = dyn_cast<TaskOp>(op))
      kinds = task.getDepKindsAttr();
    else if (auto copy = dyn_cast<CopyOp>(op))
      kinds = copy.getDepKindsAttr();
    if (auto awaiting = dyn_cast<AwaitOpInterface>(op))
      for (auto [i, event] : llvm::enumerate(awaiting.getAwaitedEvents()))
        printEdge(event, it->second, edgeStyle(kinds, i));
  }
  if (drawYield)
    for (Value result : yield->getOperands())
      printEdge(result, "yield", "dotted");
  os << "}\n";
}

void tgraph::exportDot(GraphOp graph, llvm::raw_ostream &os) {
  DotWriter(graph, os).write();
}

LogicalResult tgraph::exportDot(Operation *root, llvm::raw_ostream &os,
                                llvm::StringRef onlyGraph) {
  llvm::SmallVector<GraphOp> graphs;
  if (auto graph = dyn_cast<GraphOp>(root))
    graphs.push_back(graph);
  else
    root->walk<WalkOrder::PreOrder>([&](GraphOp graph) {
      graphs.push_back(graph);
      return WalkResult::skip();
    });
  if (!onlyGraph.empty())
    llvm::erase_if(graphs,
                   [&](GraphOp g) { return g.getSymName() != onlyGraph; });
  if (graphs.empty()) {
    if (onlyGraph.empty())
      return root->emitError("no tgraph.graph to export; the input holds only ")
             << "kernels or functions";
    return root->emitError("no tgraph.graph named @")
           << onlyGraph << " to export";
  }
  for (GraphOp graph : graphs)
    exportDot(graph, os);
  return success();
}
