//===- Npy.cpp - read and write NumPy .npy files --------------------------===//
//
// The format (numpy.lib.format): the magic "\x93NUMPY", a major and a minor
// version byte, the header's length (2 bytes little-endian in version 1.0,
// 4 bytes in 2.0 and 3.0), the header (an ASCII, or in 3.0 UTF-8, Python
// dict literal padded with spaces and ended by a newline), then the
// elements.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"

#include <algorithm>
#include <cstring>

using namespace tgraph_run;
using llvm::StringRef;

static const char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

std::string NpyDType::str() const {
  return (itemSize == 1 ? "|" : "<") + std::string(1, kind) +
         std::to_string(itemSize);
}

std::string tgraph_run::shapeString(llvm::ArrayRef<uint64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + (shape.size() == 1 ? ",)" : ")");
}

namespace {
/// The header's Python literal: just the grammar of what NumPy writes
/// (strings, True/False, tuples of non-negative integers) in a dict.
class HeaderParser {
public:
  HeaderParser(StringRef name, StringRef text) : name(name.str()), text(text) {}

  llvm::Error parse(NpyArray &array) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    bool fortranOrder = false;
    if (!consume('{'))
      return error("expected '{'");
    while (!consume('}')) {
      std::string key;
      if (llvm::Error e = parseString(key))
        return e;
      if (!consume(':'))
        return error("expected ':' after '" + key + "'");
      if (key == "descr") {
        skipSpace();
        if (peek() == '[')
          return llvm::createStringError(
              name + " holds a structured array (a dtype with fields); "
                     "tgraph-run reads arrays of plain numbers");
        if (llvm::Error e = parseString(array.descr))
          return e;
        haveDescr = true;
      } else if (key == "fortran_order") {
        skipSpace();
        if (text.consume_front("True"))
          fortranOrder = true;
        else if (text.consume_front("False"))
          fortranOrder = false;
        else
          return error("'fortran_order' is not True or False");
        haveOrder = true;
      } else if (key == "shape") {
        if (llvm::Error e = parseShape(array.shape))
          return e;
        haveShape = true;
      } else {
        return error("unexpected key '" + key + "'");
      }
      if (!consume(',')) {
        if (!consume('}'))
          return error("expected ',' or '}'");
        break;
      }
    }
    skipSpace();
    if (!text.empty())
      return error("unexpected text after the dict");
    if (!haveDescr || !haveOrder || !haveShape)
      return error(std::string("no '") +
                   (!haveDescr   ? "descr"
                    : !haveOrder ? "fortran_order"
                                 : "shape") +
                   "' key");
    if (llvm::Error e = parseDescr(array.descr, array.dtype))
      return e;
    array.numElements = 1;
    unsigned dimsOverOne = 0;
    for (uint64_t d : array.shape) {
      if (__builtin_mul_overflow(array.numElements, d, &array.numElements))
        return error("the shape " + shapeString(array.shape) + " is too big");
      dimsOverOne += d > 1;
    }
    // Fortran order: the same bytes as C order when at most one dimension
    // has more than one element (or there are none); otherwise which flat
    // order the user means is ambiguous, so it is refused.
    if (fortranOrder && dimsOverOne > 1 && array.numElements > 0)
      return llvm::createStringError(
          name + " holds a Fortran-order array of shape " +
          shapeString(array.shape) +
          "; tgraph-run reads C-order arrays (save "
          "numpy.ascontiguousarray(a), or a.ravel(order='F') for the "
          "memory order)");
    return llvm::Error::success();
  }

private:
  llvm::Error error(const llvm::Twine &message) {
    return llvm::createStringError(name +
                                   " has a malformed .npy header: " + message);
  }
  void skipSpace() { text = text.ltrim(" \t\r\n"); }
  char peek() const { return text.empty() ? 0 : text.front(); }
  bool consume(char c) {
    skipSpace();
    return text.consume_front(StringRef(&c, 1));
  }

  llvm::Error parseString(std::string &out) {
    skipSpace();
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return error("expected a quoted string");
    size_t end = text.find(quote, 1);
    if (end == StringRef::npos)
      return error("unterminated string");
    out = text.slice(1, end).str();
    text = text.drop_front(end + 1);
    return llvm::Error::success();
  }

  llvm::Error parseShape(std::vector<uint64_t> &shape) {
    if (!consume('('))
      return error("'shape' is not a tuple");
    while (!consume(')')) {
      skipSpace();
      size_t digits = text.find_first_not_of("0123456789");
      if (digits == 0 || digits == StringRef::npos)
        return error("'shape' holds something other than non-negative "
                     "integers");
      uint64_t d = 0;
      if (text.take_front(digits).getAsInteger(10, d))
        return error("a dimension of 'shape' is too big");
      text = text.drop_front(digits);
      text.consume_front("L"); // Python 2 longs
      shape.push_back(d);
      if (!consume(',')) {
        if (!consume(')'))
          return error("expected ',' or ')' in 'shape'");
        break;
      }
    }
    return llvm::Error::success();
  }

  /// `<f8`, `|b1`, `>i4`, `f4`...: a byte order, a kind, a size.
  llvm::Error parseDescr(StringRef descr, NpyDType &dtype) {
    StringRef rest = descr;
    char order = '|';
    if (!rest.empty() && StringRef("<>=|").contains(rest.front())) {
      order = rest.front();
      rest = rest.drop_front();
    }
    if (rest.size() < 2 || !StringRef("biuf").contains(rest.front()) ||
        rest.drop_front().getAsInteger(10, dtype.itemSize) ||
        dtype.itemSize == 0)
      return llvm::createStringError(
          name + " holds '" + descr +
          "' elements; tgraph-run reads booleans, integers and floats "
          "(such as <f8, <i4, |u1, |b1)");
    dtype.kind = rest.front();
    bigEndian = order == '>' || (order == '=' && llvm::sys::IsBigEndianHost);
    return llvm::Error::success();
  }

public:
  bool bigEndian = false;

private:
  std::string name;
  StringRef text;
};
} // namespace

llvm::Expected<NpyArray> tgraph_run::parseNpy(StringRef path,
                                              llvm::ArrayRef<char> contents) {
  StringRef bytes(contents.data(), contents.size());
  if (!bytes.starts_with(StringRef(kMagic, kMagicSize))) {
    if (bytes.starts_with("PK\x03\x04"))
      return llvm::createStringError(
          path + " is a .npz archive, not a .npy file (save one array with "
                 "numpy.save)");
    return llvm::createStringError(path + " is not a NumPy .npy file (it "
                                          "does not start with \\x93NUMPY)");
  }
  if (bytes.size() < kMagicSize + 2)
    return llvm::createStringError(path + " is truncated: it ends in its "
                                          ".npy header");
  unsigned major = uint8_t(bytes[6]), minor = uint8_t(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return llvm::createStringError(
        path + " is a .npy file of version " + llvm::Twine(major) + "." +
        llvm::Twine(minor) + "; tgraph-run reads versions 1.0, 2.0 and 3.0");
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t headerStart = kMagicSize + 2 + lengthSize;
  if (bytes.size() < headerStart)
    return llvm::createStringError(path + " is truncated: it ends in its "
                                          ".npy header");
  uint64_t headerLength = 0;
  for (size_t k = 0; k < lengthSize; ++k)
    headerLength |= uint64_t(uint8_t(bytes[kMagicSize + 2 + k])) << (8 * k);
  if (bytes.size() - headerStart < headerLength)
    return llvm::createStringError(path + " is truncated: it ends in its "
                                          ".npy header");
  StringRef header = bytes.substr(headerStart, headerLength);

  NpyArray array;
  HeaderParser parser(path, header);
  if (llvm::Error e = parser.parse(array))
    return e;

  uint64_t dataBytes = 0;
  if (__builtin_mul_overflow(array.numElements, uint64_t(array.dtype.itemSize),
                             &dataBytes))
    return llvm::createStringError(path + ": the shape " +
                                   shapeString(array.shape) + " is too big");
  uint64_t available = bytes.size() - headerStart - headerLength;
  if (available < dataBytes)
    return llvm::createStringError(
        path + " is truncated: its header says " + shapeString(array.shape) +
        " " + array.descr + " (" + llvm::Twine(dataBytes) +
        " bytes of data) but " + llvm::Twine(available) + " bytes follow it");
  if (available > dataBytes)
    return llvm::createStringError(
        path + " has " + llvm::Twine(available - dataBytes) +
        " bytes after the data its header describes (" +
        shapeString(array.shape) + " " + array.descr + ")");
  const char *data = bytes.data() + headerStart + headerLength;
  array.data.assign(data, data + dataBytes);
  if (parser.bigEndian && array.dtype.itemSize > 1) {
    unsigned w = array.dtype.itemSize;
    for (uint64_t k = 0; k < dataBytes; k += w)
      std::reverse(array.data.begin() + k, array.data.begin() + k + w);
  }
  return array;
}

llvm::Expected<NpyArray> tgraph_run::readNpy(StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return llvm::createStringError("cannot read " + path + ": " +
                                   file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  return parseNpy(path, llvm::ArrayRef<char>(bytes.data(), bytes.size()));
}

std::vector<char> tgraph_run::formatNpy(NpyDType dtype,
                                        llvm::ArrayRef<uint64_t> shape,
                                        llvm::ArrayRef<char> data) {
  std::string header =
      "{'descr': '" + dtype.str() +
      "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
  // Pad with spaces so that the data starts at a multiple of 64 bytes, as
  // NumPy does; the header ends with a newline.
  unsigned major = header.size() + 1 + kMagicSize + 4 > 0xffff ? 2 : 1;
  size_t prefix = kMagicSize + 2 + (major == 1 ? 2 : 4);
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::vector<char> out(kMagic, kMagic + kMagicSize);
  out.push_back(char(major));
  out.push_back(0);
  uint64_t length = header.size();
  for (size_t k = 0; k < prefix - kMagicSize - 2; ++k)
    out.push_back(char((length >> (8 * k)) & 0xff));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}
