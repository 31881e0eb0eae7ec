//===- BufferFiles.cpp - tgraph-run's --input and --output ----------------===//

#include "BufferFiles.h"

#include "mlir/IR/BuiltinTypes.h"
#include "tgraph/Dialect/TGraph/TGraphTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace tgraph_run;
using llvm::StringRef;
using mlir::tgraph::BufferType;

static std::string typeString(mlir::Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

std::optional<NpyDType> tgraph_run::npyTypeOf(mlir::Type elementType) {
  if (elementType.isF64())
    return NpyDType{'f', 8};
  if (elementType.isF32())
    return NpyDType{'f', 4};
  if (elementType.isF16())
    return NpyDType{'f', 2};
  if (elementType.isIndex())
    return NpyDType{'i', 8};
  if (auto integer = llvm::dyn_cast<mlir::IntegerType>(elementType)) {
    unsigned width = integer.getWidth();
    if (width == 1)
      return NpyDType{'b', 1};
    if (width == 8 || width == 16 || width == 32 || width == 64)
      return NpyDType{integer.isUnsigned() ? 'u' : 'i', width / 8};
  }
  return std::nullopt;
}

/// Whether a file of dtype `file` may initialise a buffer of `elementType`
/// (whose own dtype is `want`): the same dtype, or for signless integers
/// (and index) either signedness of the same size: the bits are the same.
static bool accepts(mlir::Type elementType, NpyDType want, NpyDType file) {
  if (file == want)
    return true;
  bool signless = elementType.isIndex() || (elementType.isSignlessInteger() &&
                                            !elementType.isSignlessInteger(1));
  return signless && file.itemSize == want.itemSize &&
         (file.kind == 'i' || file.kind == 'u');
}

static std::string argLabel(const ArgumentInfo &a, unsigned i) {
  return a.name.empty() ? "#" + std::to_string(i) : "'" + a.name + "'";
}

/// The buffer arguments of `g`, as "a, b, #2", or "none".
static std::string bufferList(const GraphInfo &g) {
  std::string s;
  for (auto [i, a] : llvm::enumerate(g.args)) {
    if (!llvm::isa<BufferType>(a.type))
      continue;
    s += (s.empty() ? "" : ", ") +
         (a.name.empty() ? "#" + std::to_string(i) : a.name);
  }
  return s.empty() ? "none" : s;
}

namespace {
struct Target {
  unsigned graph, arg;
  bool operator==(const Target &o) const {
    return graph == o.graph && arg == o.arg;
  }
};
} // namespace

/// The argument NAME names: `x`, `%x`, `#N`, each optionally prefixed by
/// `GRAPH.` or `@GRAPH.`.
static llvm::Expected<Target> resolve(StringRef name,
                                      llvm::ArrayRef<GraphInfo> graphs) {
  std::vector<Target> matches;
  for (auto [gi, g] : llvm::enumerate(graphs)) {
    for (auto [ai, a] : llvm::enumerate(g.args)) {
      std::vector<std::string> forms = {"#" + std::to_string(ai)};
      if (!a.name.empty()) {
        forms.push_back(a.name);
        forms.push_back("%" + a.name);
      }
      bool match = false;
      for (const std::string &f : forms)
        match |= name == f || name == g.name + "." + f ||
                 name == "@" + g.name + "." + f;
      if (match)
        matches.push_back({unsigned(gi), unsigned(ai)});
    }
  }
  if (matches.size() == 1) {
    Target t = matches.front();
    const GraphInfo &g = graphs[t.graph];
    const ArgumentInfo &a = g.args[t.arg];
    if (!llvm::isa<BufferType>(a.type))
      return llvm::createStringError(
          "argument " + argLabel(a, t.arg) + " of graph @" + g.name +
          " is not a buffer but " + typeString(a.type) +
          " (its buffer arguments: " + bufferList(g) + ")");
    return t;
  }
  if (matches.empty()) {
    if (graphs.size() == 1)
      return llvm::createStringError(
          "graph @" + graphs.front().name + " has no argument '" + name +
          "'; its buffer arguments: " + bufferList(graphs.front()));
    std::string list;
    for (const GraphInfo &g : graphs)
      list += (list.empty() ? "@" : "; @") + g.name + ": " + bufferList(g);
    return llvm::createStringError("no graph has an argument '" + name +
                                   "'; the buffer arguments are " + list);
  }
  std::string which, qualified;
  for (auto [k, m] : llvm::enumerate(matches)) {
    StringRef sep = k == 0 ? "" : k + 1 == matches.size() ? " and " : ", ";
    which += (sep + "@" + graphs[m.graph].name).str();
    qualified += ((k == 0                    ? ""
                   : k + 1 == matches.size() ? " or "
                                             : ", ") +
                  graphs[m.graph].name + "." + name)
                     .str();
  }
  return llvm::createStringError("'" + name + "' names arguments of graphs " +
                                 which + "; write " + qualified +
                                 ", or run one graph with --graph");
}

/// "NAME=FILE" split.
static llvm::Expected<std::pair<StringRef, StringRef>>
splitFlag(StringRef flagName, StringRef value) {
  auto [name, path] = value.split('=');
  if (name.empty() || path.empty() || value.find('=') == StringRef::npos)
    return llvm::createStringError(flagName + " '" + value +
                                   "' is not NAME=FILE.npy");
  return std::make_pair(name, path);
}

static std::string normalisedPath(StringRef path) {
  llvm::SmallString<256> p(path);
  llvm::sys::fs::make_absolute(p);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return std::string(p);
}

/// Whether `path` can be created or replaced: the same temporary file in
/// the same directory that `write` makes, discarded at once.
static llvm::Error checkWritable(StringRef path) {
  if (path == "-")
    return llvm::createStringError("cannot write to standard output; give "
                                   "a file name");
  if (llvm::sys::fs::is_directory(path))
    return llvm::createStringError("cannot write " + path +
                                   ": it is a directory");
  auto temp = llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
  if (!temp) {
    std::string message = llvm::toString(temp.takeError());
    return llvm::createStringError("cannot write " + path + ": " + message);
  }
  llvm::consumeError(temp->discard());
  return llvm::Error::success();
}

llvm::Expected<BufferFiles>
BufferFiles::prepare(llvm::ArrayRef<std::string> inputFlags,
                     llvm::ArrayRef<std::string> outputFlags,
                     llvm::ArrayRef<GraphInfo> graphs) {
  BufferFiles files;
  for (bool isInput : {true, false}) {
    StringRef flagName = isInput ? "--input" : "--output";
    std::vector<BufferFile> &list = isInput ? files.inputs : files.outputs;
    std::vector<Target> targets;
    std::vector<std::string> paths;
    for (const std::string &value : isInput ? inputFlags : outputFlags) {
      std::string flag = (flagName + " " + value).str();
      auto fail = [&](const llvm::Twine &message) {
        return llvm::createStringError(flag + ": " + message);
      };
      auto split = splitFlag(flagName, value);
      if (!split)
        return split.takeError();
      auto [name, path] = *split;
      auto target = resolve(name, graphs);
      if (!target)
        return fail(llvm::toString(target.takeError()));
      const GraphInfo &g = graphs[target->graph];
      const ArgumentInfo &a = g.args[target->arg];
      BufferFile file;
      file.flag = flag;
      file.graph = g.name;
      file.arg = target->arg;
      file.label = argLabel(a, target->arg);
      file.path = path.str();

      auto it = llvm::find(targets, *target);
      if (it != targets.end())
        return fail("buffer " + file.label + " of graph @" + g.name +
                    " is already " + (isInput ? "read" : "written") + " by " +
                    list[it - targets.begin()].flag);
      std::string normalised = normalisedPath(path);
      auto same = llvm::find(paths, normalised);
      if (!isInput && same != paths.end())
        return fail(path + " is already written by " +
                    list[same - paths.begin()].flag);

      auto buffer = llvm::cast<BufferType>(a.type);
      std::optional<NpyDType> dtype = npyTypeOf(buffer.getElementType());
      if (!dtype)
        return fail("buffer " + file.label + " is " +
                    typeString(buffer.getElementType()) +
                    ", which has no NumPy dtype that tgraph-run reads or "
                    "writes (f64, f32, f16, i1, 8- to 64-bit integers, "
                    "index)");
      file.dtype = *dtype;

      if (isInput) {
        auto array = readNpy(path);
        if (!array)
          return fail(llvm::toString(array.takeError()));
        if (!accepts(buffer.getElementType(), *dtype, array->dtype))
          return fail("buffer " + file.label + " is " +
                      typeString(buffer.getElementType()) + " (" +
                      dtype->str() + ") but " + path + " holds " +
                      array->descr);
        if (array->numElements != uint64_t(buffer.getSize()))
          return fail("buffer " + file.label + " has " +
                      llvm::Twine(buffer.getSize()) + " elements but " + path +
                      " holds " + llvm::Twine(array->numElements) + " (shape " +
                      shapeString(array->shape) + ")");
        file.data = std::move(array->data);
        // NumPy booleans are bytes 0 and 1; any other byte is true too.
        if (dtype->kind == 'b')
          for (char &c : file.data)
            c = c != 0;
      } else if (llvm::Error e = checkWritable(path)) {
        return fail(llvm::toString(std::move(e)));
      }
      targets.push_back(*target);
      paths.push_back(normalised);
      list.push_back(std::move(file));
    }
  }
  return files;
}

const BufferFile *BufferFiles::input(StringRef graph, unsigned arg) const {
  for (const BufferFile &f : inputs)
    if (f.graph == graph && f.arg == arg)
      return &f;
  return nullptr;
}

std::vector<const BufferFile *> BufferFiles::outputsOf(StringRef graph) const {
  std::vector<const BufferFile *> result;
  for (const BufferFile &f : outputs)
    if (f.graph == graph)
      result.push_back(&f);
  return result;
}

llvm::Error BufferFiles::write(const BufferFile &output,
                               llvm::ArrayRef<char> contents) {
  std::vector<char> data(contents.begin(), contents.end());
  if (output.dtype.kind == 'b')
    for (char &c : data)
      c = c != 0;
  uint64_t count = data.size() / output.dtype.itemSize;
  std::vector<char> bytes = formatNpy(output.dtype, {count}, data);
  // A temporary file renamed over the path: a failed write leaves no
  // partial file behind.
  llvm::Error e = llvm::writeToOutput(
      output.path, [&](llvm::raw_ostream &os) -> llvm::Error {
        os.write(bytes.data(), bytes.size());
        return llvm::Error::success();
      });
  if (e)
    return llvm::createStringError(output.flag + ": cannot write " +
                                   output.path + ": " +
                                   llvm::toString(std::move(e)));
  return llvm::Error::success();
}
