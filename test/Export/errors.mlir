// RUN: not tgraph-translate --tgraph-to-dot %s 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not tgraph-translate --tgraph-to-dot --tgraph-dot-graph=missing %S/physical.mlir 2>&1 | FileCheck %s --check-prefix=MISSING

// Tests the errors of --tgraph-to-dot: a module without graphs, and a
// graph name that is not in the module.
// NONE: error: no tgraph.graph to export; the input holds only kernels or functions
// MISSING: error: no tgraph.graph named @missing to export
tgraph.kernel @k() cpu
func.func @host() {
  return
}
