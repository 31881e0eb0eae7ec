// RUN: tgraph-opt %s --convert-tgraph-to-runtime -split-input-file -verify-diagnostics

tgraph.kernel @k(f64) cpu
// Tests a scalar the lowering cannot express (computed in the graph).
tgraph.graph @computed(%x: f64) physical attributes {tgraph.scheduled} {
  %y = arith.addf %x, %x : f64
  // expected-error @+1 {{passes an operand the runtime lowering cannot express; use graph arguments, constants or task values}}
  %0 = tgraph.task @k(%y) {tgraph.queue_pos = 0 : i64} : (f64) on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests a predicate passed as a graph argument.
// expected-error @+1 {{predicates passed as graph arguments are not supported by the runtime lowering; compute the predicate inside the graph (tgraph.pred.const or tgraph.pred.from)}}
tgraph.graph @pred_arg(%p: !tgraph.pred) physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @k() if %p {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
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

// -----

tgraph.kernel @k() cpu
// Tests a task of a scheduled graph without a queue position.
tgraph.graph @no_pos() physical attributes {tgraph.scheduled} {
  // expected-error @+1 {{has no tgraph.queue_pos in scheduled graph @no_pos; run tgraph-schedule before convert-tgraph-to-runtime}}
  %0 = tgraph.task @k() on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests queue positions that are not 0..k-1 on a processor.
tgraph.graph @gap() physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @k() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  // expected-error @+1 {{has tgraph.queue_pos 2 but #tgraph.proc<cpu 0> runs 2 ops of graph @gap (positions 0..1); run tgraph-schedule}}
  %1 = tgraph.task @k() {tgraph.queue_pos = 2 : i64} on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests two ops at one queue position.
tgraph.graph @twice() physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @k() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  // expected-error-re @+1 {{has tgraph.queue_pos 0, as does task @k (line {{[0-9]+}}) on #tgraph.proc<cpu 0>; run tgraph-schedule}}
  %1 = tgraph.task @k() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests a dependency count that disagrees with the awaits.
tgraph.graph @count() physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @k() {tgraph.dep_count = 0 : i64, tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  // expected-error @+1 {{has tgraph.dep_count = 2 but awaits 1 distinct ops of graph @count; run tgraph-schedule again}}
  %1 = tgraph.task @k() await(%0 host, %0 host) {tgraph.dep_count = 2 : i64, tgraph.queue_pos = 1 : i64} on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
tgraph.kernel @g() gpu stream_ordered
// Tests a device dependence the runtime cannot honour (a CPU producer).
tgraph.graph @device_from_cpu() physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @k() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<cpu 0>
  // expected-error-re @+1 {{awaits task @k (line {{[0-9]+}}) with a device dependence, but only stream-ordered ops on streams of one GPU can be ordered on the device; make it `host` (tgraph-mark-runahead does)}}
  %1 = tgraph.task @g() await(%0 device) {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @g() gpu stream_ordered
// Tests a device dependence across GPUs.
tgraph.graph @device_across_gpus() physical attributes {tgraph.scheduled} {
  %0 = tgraph.task @g() {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 0, stream 0> stream_ordered
  // expected-error-re @+1 {{awaits task @g (line {{[0-9]+}}) with a device dependence, but only stream-ordered ops on streams of one GPU can be ordered on the device}}
  %1 = tgraph.task @g() await(%0 device) {tgraph.queue_pos = 0 : i64} on #tgraph.proc<gpu 1, stream 0> stream_ordered
  tgraph.yield
}

// -----

tgraph.kernel @g() -> i1 gpu stream_ordered
// Tests a guarded copy, which the runtime refuses.
tgraph.graph @guarded_copy(%h: !tgraph.buffer<f32 x 4, host>, %d: !tgraph.buffer<f32 x 4, gpu>) physical attributes {tgraph.scheduled} {
  %0, %v = tgraph.task @g() {tgraph.queue_pos = 0 : i64} : () -> !tgraph.value<i1> on #tgraph.proc<gpu 0, stream 0> stream_ordered
  %p = tgraph.pred.from %v : !tgraph.value<i1>
  // expected-error @+1 {{is guarded, but only a GPU task of a stream-ordered kernel can check its predicate on the device; make it `wait` (tgraph-mark-runahead does)}}
  %1 = tgraph.copy %h to %d await(%0 device) if %p guarded {tgraph.queue_pos = 0 : i64} : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> on #tgraph.proc<gpu 0, copy 0> stream_ordered
  tgraph.yield
}
