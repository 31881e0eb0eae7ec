// RUN: tgraph-opt %s -tgraph-assign-processors="cpus=5000" -split-input-file -verify-diagnostics

// Tests that a machine option beyond the machine model's bounds is refused
// (the bounds of #tgraph.machine), not scheduled for.
// expected-error @+1 {{#tgraph.machine: cpus must be at most 4096, got 5000}}
module {
  tgraph.kernel @k() cpu
}
