// RUN: tgraph-translate --tgraph-to-dot %tgraph_src/docs/images/stencil.mlir | FileCheck %s

// Tests that the source of docs/images/stencil.png (docs/graphviz.md) still
// parses and draws: two compute streams, two copy streams, a host check.
// CHECK-LABEL: digraph "stencil_step" {
// CHECK: subgraph cluster_cpu0 {
// CHECK: subgraph cluster_gpu0_stream0 {
// CHECK: subgraph cluster_gpu0_stream1 {
// CHECK: subgraph cluster_gpu0_copy0 {
// CHECK: subgraph cluster_gpu0_copy1 {
// CHECK: n13 -> n14 [style=solid];
// CHECK: n14 -> yield [style=dotted];
