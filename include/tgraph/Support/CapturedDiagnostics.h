//===- CapturedDiagnostics.h - diagnostics as an llvm::Error -----*- C++
//-*-===//
//
// The library APIs (GraphBuilder, CompiledModule) report the verifier's and
// the passes' diagnostics to their caller as an llvm::Error instead of
// printing them: this handler collects them while it is alive, as
// "file:line:col: error: message" lines (notes follow their error).
// Header-only so that the frontend and the execution library share it
// without depending on each other.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_SUPPORT_CAPTUREDDIAGNOSTICS_H
#define TGRAPH_SUPPORT_CAPTUREDDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::tgraph {

/// Diagnostics of the verifier or of a pass, as an Error: lets a caller
/// tell them from other failures (e.g. a tool whose own handler has already
/// printed them).
class DiagnosticsError : public llvm::ErrorInfo<DiagnosticsError> {
public:
  static inline char ID = 0;
  explicit DiagnosticsError(std::string text) : text(std::move(text)) {}
  const std::string &getText() const { return text; }
  void log(llvm::raw_ostream &os) const override { os << text; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  std::string text;
};

class CapturedDiagnostics {
public:
  /// With `forward`, every diagnostic also goes on to the handlers that were
  /// installed before this one.
  explicit CapturedDiagnostics(MLIRContext *context, bool forward = false)
      : handler(context, [this, forward](Diagnostic &diag) {
          record(diag);
          return failure(forward);
        }) {}

  /// Whether an error was reported since construction.
  bool hadError() const { return numErrors != 0; }
  const std::string &text() const { return messages; }

  /// The collected diagnostics, after `prefix` lines (e.g. the frontend's
  /// own errors), as a DiagnosticsError; `fallback` if there are none.
  llvm::Error takeError(llvm::StringRef fallback, llvm::StringRef prefix = "") {
    std::string text = prefix.str() + messages;
    if (text.empty())
      text = fallback.str();
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    messages.clear();
    numErrors = 0;
    return llvm::make_error<DiagnosticsError>(std::move(text));
  }

  /// "file:line[:col]" of the first file location in `loc`, or "".
  static std::string formatLocation(Location loc) {
    std::string out;
    loc->walk([&](Location inner) {
      if (auto file = dyn_cast<FileLineColLoc>(inner)) {
        llvm::raw_string_ostream os(out);
        // Column 0: a location from C++ code (the frontend), which has none.
        os << file.getFilename().getValue() << ':' << file.getLine();
        if (file.getColumn())
          os << ':' << file.getColumn();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return out;
  }

private:
  static llvm::StringRef severityName(DiagnosticSeverity severity) {
    switch (severity) {
    case DiagnosticSeverity::Error:
      return "error";
    case DiagnosticSeverity::Warning:
      return "warning";
    case DiagnosticSeverity::Remark:
      return "remark";
    case DiagnosticSeverity::Note:
      return "note";
    }
    return "error";
  }

  void append(Location loc, DiagnosticSeverity severity,
              const std::string &message) {
    llvm::raw_string_ostream os(messages);
    std::string where = formatLocation(loc);
    if (!where.empty())
      os << where << ": ";
    os << severityName(severity) << ": " << message << '\n';
  }

  void record(Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++numErrors;
    append(diag.getLocation(), diag.getSeverity(), diag.str());
    for (Diagnostic &note : diag.getNotes()) {
      // The verifier's dump of the op in generic form: noise for a caller
      // whose diagnostic already points at the line that built the op.
      std::string text = note.str();
      if (llvm::StringRef(text).starts_with("see current operation:"))
        continue;
      append(note.getLocation(), DiagnosticSeverity::Note, text);
    }
  }

  std::string messages;
  unsigned numErrors = 0;
  ScopedDiagnosticHandler handler;
};

} // namespace mlir::tgraph

#endif // TGRAPH_SUPPORT_CAPTUREDDIAGNOSTICS_H
