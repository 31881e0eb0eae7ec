#!/usr/bin/env bash
# The install tree works: installs the build tree into a scratch prefix and
# moves it (nothing may depend on where it was installed), then
#   - checks the layout: public headers and the generated .h.inc they need;
#     no CMakeFiles/, no private header, no .cpp.inc;
#   - runs the installed tools, with a clean environment: RUNPATH must find
#     libMLIR/libLLVM and the prefix's lib (tgraph-opt on an example with the
#     pipeline, tgraph-run replaying an example, the others' --help);
#   - builds and runs downstream projects that use find_package(tgraph)
#     (test/Install/downstream): runtime only (no MLIR, and no libcudart even
#     from a CUDA build: the CUDA backend is opt-in at link time); in a CUDA
#     build, the same program linked with tgraph::tgrt_cuda (it must link
#     libcudart and contain the backend); then, with the
#     compiler, a dialect + passes program (component Compiler: must not
#     link libcudart) and a frontend program (component Execution).
#   check-install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work="$build/install-test"
prefix="$work/moved"
rm -rf "$work" "$build/downstream-test"
mkdir -p "$work"

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
libdir=$(cache CMAKE_INSTALL_LIBDIR)
bindir=$(cache CMAKE_INSTALL_BINDIR)
compiler=$(cache TGRAPH_BUILD_COMPILER)
launcher=$(cache CMAKE_CXX_COMPILER_LAUNCHER)
fail() { echo "install: FAIL: $*"; exit 1; }
# Tools run as a user would: no LD_LIBRARY_PATH.
clean() { env -u LD_LIBRARY_PATH "$@"; }

cmake --install "$build" --prefix "$work/staged" >/dev/null
mv "$work/staged" "$prefix"

# --- Layout.
inc="$prefix/include/tgraph"
[[ -f $inc/Runtime/tgrt.h ]] || fail "no include/tgraph/Runtime/tgrt.h"
[[ -z $(find "$prefix" -name CMakeFiles) ]] || fail "CMakeFiles/ installed: $(find "$prefix" -name CMakeFiles | head -1)"
[[ -z $(find "$prefix" -name StreamBackend.h) ]] || fail "private StreamBackend.h installed"
[[ -z $(find "$prefix" -name '*.cpp.inc') ]] || fail ".cpp.inc installed"
[[ -z $(find "$prefix" -type d -empty) ]] || fail "empty folder installed: $(find "$prefix" -type d -empty | head -1)"
if [[ $compiler == ON ]]; then
  for f in Dialect/TGraph/TGraphOps.h.inc Dialect/TGraph/TGraphDialect.h.inc \
           Transforms/Passes.h.inc Conversion/Passes.h.inc; do
    [[ -f $inc/$f ]] || fail "no include/tgraph/$f"
  done
fi
echo "install: layout ok"

# --- The installed tools.
if [[ $compiler == ON ]]; then
  bin="$prefix/$bindir"
  rel=$(realpath -m --relative-to="/_/$bindir" "/_/$libdir")
  for tool in tgraph-opt tgraph-run tgraph-gen tgraph-translate; do
    runpath=$(readelf -d "$bin/$tool" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
    [[ ":$runpath:" == *":\$ORIGIN/$rel:"* ]] || fail "$tool: RUNPATH '$runpath' lacks \$ORIGIN/$rel"
    found=
    IFS=: read -ra dirs <<<"$runpath"
    for d in "${dirs[@]}"; do compgen -G "$d/libMLIR.so*" >/dev/null && found=$d; done
    [[ -n $found ]] || fail "$tool: no folder with libMLIR.so in RUNPATH '$runpath'"
    clean "$bin/$tool" --help >/dev/null || fail "$tool --help from the prefix"
  done
  echo "install: tools' RUNPATH has \$ORIGIN/$rel and $found"
  out=$(clean "$bin/tgraph-opt" "$src/examples/stencil.mlir" --tgraph-pipeline)
  grep -q "tgraph.graph @stencil" <<<"$out" || fail "installed tgraph-opt: no @stencil in its output"
  grep -q "tgraph.schedule" <<<"$out" || fail "installed tgraph-opt: the pipeline did not schedule"
  echo "install: installed tgraph-opt ran the pipeline on examples/stencil.mlir"
  out=$(clean "$bin/tgraph-run" "$src/examples/stencil.mlir" --replays=10 --print-buffers)
  grep -q "graph @stencil: 17 nodes, 10 replays" <<<"$out" || fail "installed tgraph-run: $out"
  grep -q "buffer #8: 6.77778" <<<"$out" || fail "installed tgraph-run: wrong buffers: $out"
  echo "install: installed tgraph-run replayed examples/stencil.mlir"
fi

# --- Downstream projects.
needed() { readelf -d "$1" | grep -q "NEEDED.*$2" && echo yes || echo no; }
configure() {
  cmake -S "$src/test/Install/downstream" -B "$1" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} "${@:2}" >"$1.log" 2>&1 ||
    { cat "$1.log"; fail "downstream configure ($1)"; }
}
down="$build/downstream-test"
mkdir -p "$down"
configure "$down/runtime" -DDOWNSTREAM_PART=runtime
ninja -C "$down/runtime" >/dev/null
clean "$down/runtime/downstream"
[[ $(needed "$down/runtime/downstream" libcudart) == no ]] ||
  fail "a consumer of tgraph::tgrt alone links libcudart"
# The backend's functions are weak references there, never defined.
backend=$(nm -C "$down/runtime/downstream" | grep -E ' [Tt] tgraph::rt::createCudaBackend' || true)
[[ -z $backend ]] || fail "a consumer of tgraph::tgrt alone contains the CUDA backend: $backend"
echo "install: a consumer of tgraph::tgrt links no libcudart and no CUDA backend"
if grep -q '^set(TGRAPH_HAS_CUDA ON)' "$prefix/$libdir/cmake/tgraph/tgraphConfig.cmake"; then
  configure "$down/cuda" -DDOWNSTREAM_PART=cuda
  ninja -C "$down/cuda" >/dev/null
  [[ $(needed "$down/cuda/downstream-cuda" libcudart) == yes ]] ||
    fail "a consumer of tgraph::tgrt_cuda does not link libcudart"
  # (nm into a variable: grep -q would end the pipe early, and pipefail.)
  symbols=$(nm -C "$down/cuda/downstream-cuda")
  grep -q ' T tgraph::rt::createCudaBackend' <<<"$symbols" ||
    fail "a consumer of tgraph::tgrt_cuda lacks the CUDA backend's definitions"
  clean "$down/cuda/downstream-cuda" # emulated streams: runs without a GPU
  echo "install: a consumer of tgraph::tgrt_cuda links libcudart and the CUDA backend"
fi
if [[ $compiler == ON ]]; then
  configure "$down/compiler" -DDOWNSTREAM_PART=compiler
  ninja -C "$down/compiler" >/dev/null
  [[ $(needed "$down/compiler/downstream-dialect" libcudart) == no ]] ||
    fail "a compiler-only consumer links libcudart"
  clean "$down/compiler/downstream-dialect"
  clean "$down/compiler/downstream-frontend"
fi
echo "install: all checks passed"
