// RUN: tgraph-opt %s -tgraph-verify-contracts -split-input-file -verify-diagnostics | FileCheck %s

// Tests that kernels honouring the contract pass unchanged, and that a
// blocking kernel used outside graphs is fine.
// CHECK-LABEL: tgraph.graph @ok
// CHECK: tgraph.task @cpu()
// CHECK: tgraph.task @gpu()
tgraph.kernel @cpu() cpu
tgraph.kernel @gpu() gpu stream_ordered
tgraph.kernel @io() cpu may_block
tgraph.graph @ok() {
  %0 = tgraph.task @cpu()
  %1 = tgraph.task @gpu()
  tgraph.yield
}

// -----

// Tests that a kernel that may block is rejected inside a graph, with a note
// at its declaration.
// expected-note @+1 {{kernel @io is declared here}}
tgraph.kernel @io() cpu may_block
tgraph.graph @g() {
  // expected-error @+1 {{calls kernel @io, which may block on events; a task in a graph must never block (forward progress): drop 'may_block' or run it outside the graph}}
  %0 = tgraph.task @io()
  tgraph.yield
}

// -----

// Tests that a kernel that spawns tasks is rejected inside a graph.
// expected-note @+1 {{kernel @fork is declared here}}
tgraph.kernel @fork() gpu stream_ordered spawns
tgraph.graph @g() {
  // expected-error @+1 {{calls kernel @fork, which spawns tasks; a task in a graph must not launch work the graph does not know: drop 'spawns' or add the work to the graph}}
  %0 = tgraph.task @fork()
  tgraph.yield
}

