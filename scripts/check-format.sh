#!/usr/bin/env bash
# Checks that every C++/CUDA source in the repository follows .clang-format
# (LLVM style), with the clang-format of the LLVM the project builds with.
# Fix with: git ls-files '*.cpp' '*.h' '*.cu' | xargs clang-format-22 -i
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check-format: not a git checkout; nothing to check"
  exit 0
fi
git ls-files -z '*.cpp' '*.h' '*.cu' |
  xargs -0 clang-format-22 --dry-run --Werror
echo "check-format: every source follows .clang-format"
