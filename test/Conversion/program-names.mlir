// RUN: tgraph-opt %s --tgraph-pipeline --convert-tgraph-to-runtime | FileCheck %s

// Tests graph names cannot make the program globals of two graphs collide:
// @p's string table and a graph named @p_strings, or @p_program.
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_program_p(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_strings_p(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_program_p_strings(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_strings_p_strings(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_program_p_program(
// CHECK-DAG: func.func @tgraph_instantiate_p(
// CHECK-DAG: func.func @tgraph_instantiate_p_strings(
// CHECK-DAG: func.func @tgraph_instantiate_p_program(
tgraph.kernel @k() cpu
tgraph.graph @p() {
  %0 = tgraph.task @k()
  tgraph.yield
}
tgraph.graph @p_strings() {
  %0 = tgraph.task @k()
  tgraph.yield
}
tgraph.graph @p_program() {
  %0 = tgraph.task @k()
  tgraph.yield
}
