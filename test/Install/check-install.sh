#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, then configures, builds and
# runs a tiny downstream project that finds tgraph with find_package(tgraph).
#   check-install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
prefix="$build/install-test"
rm -rf "$prefix" "$build/downstream-test"
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$src/test/Install/downstream" -B "$build/downstream-test" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir >/dev/null
ninja -C "$build/downstream-test" >/dev/null
"$build/downstream-test/downstream"
