// RUN: tgraph-opt %s --convert-tgraph-to-runtime -split-input-file -verify-diagnostics

tgraph.kernel @k(f64) cpu
// Tests a scalar the lowering cannot express (computed in the graph).
tgraph.graph @computed(%x: f64) physical attributes {tgraph.scheduled} {
  %y = arith.addf %x, %x : f64
  // expected-error @+1 {{passes an operand the runtime lowering cannot express; use graph arguments, constants or task values}}
  %0 = tgraph.task @k(%y) : (f64) on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests a predicate passed as a graph argument.
// expected-error @+1 {{predicates passed as graph arguments are not supported by the runtime lowering; compute the predicate inside the graph (tgraph.pred.const or tgraph.pred.from)}}
tgraph.graph @pred_arg(%p: !tgraph.pred) physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @k() if %p on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests an op without a placement.
tgraph.graph @unplaced() physical attributes {tgraph.scheduled} {
  // expected-error @+1 {{has no placement; run tgraph-pipeline (or tgraph-assign-processors) before convert-tgraph-to-runtime}}
  %0 = tgraph.task @k()
  tgraph.yield
}

// -----

// Tests tgraph ops left outside graphs.
func.func @host(%e: !tgraph.event) {
  // expected-error @+1 {{is not supported outside graphs by the runtime lowering}}
  tgraph.wait %e
  return
}

// -----

tgraph.kernel @k() cpu
// Tests that the lowering needs a scheduled graph.
// expected-error @+1 {{is not scheduled; run tgraph-pipeline before convert-tgraph-to-runtime}}
tgraph.graph @unscheduled() physical {
  tgraph.yield
}
