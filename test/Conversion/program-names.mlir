// RUN: tgraph-opt %s --tgraph-pipeline --convert-tgraph-to-runtime | FileCheck %s

// Tests graph names cannot make the program globals of two graphs collide:
// @p's string table and a graph named @p_strings, or @p_words.
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_words_p(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_strings_p(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_words_p_strings(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_strings_p_strings(
// CHECK-DAG: llvm.mlir.global internal constant @__tgraph_words_p_words(
// CHECK-DAG: func.func @tgraph_instantiate_p(
// CHECK-DAG: func.func @tgraph_instantiate_p_strings(
// CHECK-DAG: func.func @tgraph_instantiate_p_words(
tgraph.kernel @k() cpu
tgraph.graph @p() {
  %0 = tgraph.task @k()
  tgraph.yield
}
tgraph.graph @p_strings() {
  %0 = tgraph.task @k()
  tgraph.yield
}
tgraph.graph @p_words() {
  %0 = tgraph.task @k()
  tgraph.yield
}
