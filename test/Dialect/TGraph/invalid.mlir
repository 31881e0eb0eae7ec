// RUN: tgraph-opt %s -split-input-file -verify-diagnostics

// Tests that awaiting a non-event is rejected.
tgraph.graph @g(%x: f64) {
  // expected-error @+1 {{operand #0 must be variadic of A completion token, but got 'f64'}}
  %0 = "tgraph.task"(%x) <{kernel = @k, operandSegmentSizes = array<i32: 0, 1, 0>}> : (f64) -> !tgraph.event
  tgraph.yield
}

// -----

// Tests that a join of a non-event is rejected.
tgraph.graph @g(%x: f64) {
  // expected-error @+1 {{operand #0 must be variadic of A completion token, but got 'f64'}}
  %0 = "tgraph.join"(%x) : (f64) -> !tgraph.event
  tgraph.yield
}

// -----

// Tests a task naming an undeclared kernel.
tgraph.graph @g() {
  // expected-error @+1 {{calls kernel @nope, which is not declared; declare it at module level with 'tgraph.kernel @nope(...) cpu|gpu'}}
  %0 = tgraph.task @nope()
  tgraph.yield
}

// -----

// Tests an operand count that does not match the kernel.
tgraph.kernel @k(f64) cpu
tgraph.graph @g() {
  // expected-error @+1 {{passes 0 operands but kernel @k takes 1}}
  %0 = tgraph.task @k()
  tgraph.yield
}

// -----

// Tests an operand type that does not match the kernel.
tgraph.kernel @k(f64) cpu
tgraph.graph @g(%x: i32) {
  // expected-error @+1 {{operand #0 has type 'i32' but kernel @k expects 'f64'}}
  %0 = tgraph.task @k(%x) : (i32)
  tgraph.yield
}

// -----

// Tests a buffer whose memory kind does not match the kernel.
tgraph.kernel @k(!tgraph.buffer<f64 x ?, gpu>) gpu
tgraph.graph @g(%b: !tgraph.buffer<f64 x 8, host>) {
  // expected-error @+1 {{operand #0 has type '!tgraph.buffer<f64 x 8, host>' but kernel @k expects '!tgraph.buffer<f64 x ?, gpu>'}}
  %0 = tgraph.task @k(%b : read) : (!tgraph.buffer<f64 x 8, host>)
  tgraph.yield
}

// -----

// Tests a result count that does not match the kernel.
tgraph.kernel @k() -> f64 cpu
tgraph.graph @g() {
  // expected-error @+1 {{returns 0 values but kernel @k returns 1}}
  %0 = tgraph.task @k()
  tgraph.yield
}

// -----

// Tests a result type that does not match the kernel.
tgraph.kernel @k() -> f64 cpu
tgraph.graph @g() {
  // expected-error @+1 {{result #0 is '!tgraph.value<i32>' but kernel @k returns 'f64'; expected '!tgraph.value<f64>'}}
  %0, %v = tgraph.task @k() : () -> !tgraph.value<i32>
  tgraph.yield
}

// -----

// Tests a GPU kernel placed on a CPU worker.
tgraph.kernel @k() gpu stream_ordered
tgraph.graph @g() {
  // expected-error @+1 {{kernel @k is a GPU kernel but is placed on #tgraph.proc<cpu 0>; place it on a GPU stream (#tgraph.proc<gpu G, stream S>)}}
  %0 = tgraph.task @k() on #tgraph.proc<cpu 0>
  tgraph.yield
}

// -----

// Tests a GPU kernel placed on a copy stream.
tgraph.kernel @k() gpu stream_ordered
tgraph.graph @g() {
  // expected-error @+1 {{kernel @k is a GPU kernel but is placed on #tgraph.proc<gpu 0, copy 0>}}
  %0 = tgraph.task @k() on #tgraph.proc<gpu 0, copy 0>
  tgraph.yield
}

// -----

// Tests a CPU kernel placed on a GPU stream.
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{kernel @k is a CPU kernel but is placed on #tgraph.proc<gpu 0, stream 1>; place it on a CPU worker (#tgraph.proc<cpu N>)}}
  %0 = tgraph.task @k() on #tgraph.proc<gpu 0, stream 1>
  tgraph.yield
}

// -----

// Tests a predicated task with results but no else values.
tgraph.kernel @k() -> f64 cpu
tgraph.graph @g(%p: !tgraph.pred) {
  // expected-error @+1 {{is predicated and returns 1 values, so it needs one else value per result: add 'else(...)'}}
  %0, %v = tgraph.task @k() if %p : () -> !tgraph.value<f64>
  tgraph.yield
}

// -----

// Tests else values whose count does not match the results.
tgraph.kernel @k() -> f64 cpu
tgraph.graph @g(%p: !tgraph.pred) {
  // expected-error @+1 {{has 2 else values for 1 results; give one per result}}
  %0, %v = tgraph.task @k() if %p else(1.0 : f64, 2.0 : f64) : () -> !tgraph.value<f64>
  tgraph.yield
}

// -----

// Tests an else value whose type does not match its result.
tgraph.kernel @k() -> f64 cpu
tgraph.graph @g(%p: !tgraph.pred) {
  // expected-error @+1 {{else value #0 is 1 : i32 but result #0 is a value of 'f64'; write a constant of 'f64'}}
  %0, %v = tgraph.task @k() if %p else(1 : i32) : () -> !tgraph.value<f64>
  tgraph.yield
}

// -----

// Tests else values without a predicate.
tgraph.kernel @k() -> f64 cpu
tgraph.graph @g() {
  // expected-error @+1 {{has else values but no predicate; add 'if %p' or drop 'else(...)'}}
  %0:2 = "tgraph.task"() <{kernel = @k, else_values = [1.0 : f64], operandSegmentSizes = array<i32: 0, 0, 0>}> : () -> (!tgraph.event, !tgraph.value<f64>)
  tgraph.yield
}

// -----

// Tests a predicate mode without a predicate.
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{has a predicate mode but no predicate; add 'if %p' or drop the mode}}
  %0 = "tgraph.task"() <{kernel = @k, pred_mode = #tgraph.pred_mode<guarded>, operandSegmentSizes = array<i32: 0, 0, 0>}> : () -> !tgraph.event
  tgraph.yield
}

// -----

// Tests a host wait inside a graph.
tgraph.graph @g(%e: !tgraph.event) {
  // expected-error @+1 {{blocks the host inside graph @g; a graph must never block: await the event instead, or wait on the graph's result outside it}}
  tgraph.wait %e
  tgraph.yield
}

// -----

// Tests one task accessing one buffer twice with conflicting modes.
tgraph.kernel @k(!tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>) cpu
tgraph.graph @g(%b: !tgraph.buffer<f64 x 4, host>) {
  // expected-error @+1 {{accesses one buffer as operands #0 and #1 with conflicting modes 'read' and 'write'; pass it once with the combined mode (e.g. 'read_write')}}
  %0 = tgraph.task @k(%b : read, %b : write) : (!tgraph.buffer<f64 x 4, host>, !tgraph.buffer<f64 x 4, host>)
  tgraph.yield
}

// -----

// Tests two different reductions of one buffer in one task.
tgraph.kernel @k(!tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>) cpu
tgraph.graph @g(%b: !tgraph.buffer<f64 x 4, host>) {
  // expected-error @+1 {{with conflicting modes 'reduce<add>' and 'reduce<max>'}}
  %0 = tgraph.task @k(%b : reduce<add>, %b : reduce<max>) : (!tgraph.buffer<f64 x 4, host>, !tgraph.buffer<f64 x 4, host>)
  tgraph.yield
}

// -----

// Tests a number of access modes that does not match the buffer operands.
tgraph.kernel @k(!tgraph.buffer<f64 x ?, host>) cpu
tgraph.graph @g(%b: !tgraph.buffer<f64 x 4, host>) {
  // expected-error @+1 {{has 1 buffer operands but 0 access modes; give one mode per buffer operand}}
  %0 = "tgraph.task"(%b) <{kernel = @k, operandSegmentSizes = array<i32: 1, 0, 0>}> : (!tgraph.buffer<f64 x 4, host>) -> !tgraph.event
  tgraph.yield
}

// -----

// Tests an event passed as a task operand.
tgraph.kernel @k() cpu
tgraph.graph @g(%e: !tgraph.event) {
  // expected-error @+1 {{operand #0 is an event; a task waits for events with 'await(...)', not as an operand}}
  %0 = "tgraph.task"(%e) <{kernel = @k, operandSegmentSizes = array<i32: 1, 0, 0>}> : (!tgraph.event) -> !tgraph.event
  tgraph.yield
}

// -----

// Tests a predicate passed as a task operand.
tgraph.kernel @k() cpu
tgraph.graph @g(%p: !tgraph.pred) {
  // expected-error @+1 {{operand #0 has type '!tgraph.pred'; a task takes buffers, scalars and !tgraph.value operands}}
  %0 = "tgraph.task"(%p) <{kernel = @k, operandSegmentSizes = array<i32: 1, 0, 0>}> : (!tgraph.pred) -> !tgraph.event
  tgraph.yield
}

// -----

// Tests dependence kinds that do not match the awaits.
tgraph.kernel @k() cpu
tgraph.graph @g(%e: !tgraph.event) {
  // expected-error @+1 {{has 2 dependence kinds for 1 awaited events; give one kind per event}}
  %0 = "tgraph.task"(%e) <{kernel = @k, dep_kinds = [#tgraph.dep<host>, #tgraph.dep<device>], operandSegmentSizes = array<i32: 0, 1, 0>}> : (!tgraph.event) -> !tgraph.event
  tgraph.yield
}

// -----

// Tests a copy between buffers of different sizes without an explicit size.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f32 x 4, gpu>) {
  // expected-error @+1 {{copies between buffers of different sizes (8 and 4 elements) without an explicit size; add 'size N'}}
  %0 = tgraph.copy %a to %b : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f32 x 4, gpu>
  tgraph.yield
}

// -----

// Tests a copy between different element types.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f64 x 8, gpu>) {
  // expected-error @+1 {{copies 'f32' elements into a buffer of 'f64'; source and destination need the same element type}}
  %0 = tgraph.copy %a to %b : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f64 x 8, gpu>
  tgraph.yield
}

// -----

// Tests a copy that reads past its source.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f32 x 16, gpu>) {
  // expected-error @+1 {{reads elements [4, 12) of a source with 8 elements}}
  %0 = tgraph.copy %a[4] to %b size 8 : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f32 x 16, gpu>
  tgraph.yield
}

// -----

// Tests a copy that writes past its destination.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f32 x 16, gpu>) {
  // expected-error @+1 {{writes elements [12, 20) of a destination with 16 elements}}
  %0 = tgraph.copy %a to %b[12] size 8 : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f32 x 16, gpu>
  tgraph.yield
}

// -----

// Tests a copy with an offset but no size.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f32 x 8, gpu>) {
  // expected-error @+1 {{has an offset but no size; add 'size N'}}
  %0 = tgraph.copy %a[2] to %b : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f32 x 8, gpu>
  tgraph.yield
}

// -----

// Tests a copy with a negative offset.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f32 x 8, gpu>) {
  // expected-error @+1 {{has a negative offset; offsets count elements from 0}}
  %0 = tgraph.copy %a[-1] to %b size 2 : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f32 x 8, gpu>
  tgraph.yield
}

// -----

// Tests a copy with a negative size.
tgraph.graph @g(%a: !tgraph.buffer<f32 x 8, host>, %b: !tgraph.buffer<f32 x 8, gpu>) {
  // expected-error @+1 {{has negative size -2}}
  %0 = tgraph.copy %a to %b size -2 : !tgraph.buffer<f32 x 8, host> to !tgraph.buffer<f32 x 8, gpu>
  tgraph.yield
}

// -----

// Tests a copy of a buffer of unknown size.
func.func @f(%a: !tgraph.buffer<f32 x ?, host>, %b: !tgraph.buffer<f32 x 8, gpu>) {
  // expected-error @+1 {{copies between buffers of unknown size; give both buffers a static element count}}
  %0 = tgraph.copy %a to %b : !tgraph.buffer<f32 x ?, host> to !tgraph.buffer<f32 x 8, gpu>
  return
}

// -----

// Tests a yield whose operand count does not match the graph.
tgraph.graph @g(%e: !tgraph.event) -> !tgraph.event {
  // expected-error @+1 {{yields 0 values but graph @g returns 1}}
  tgraph.yield
}

// -----

// Tests a yield whose operand types do not match the graph.
tgraph.graph @g(%e: !tgraph.event, %p: !tgraph.pred) -> !tgraph.event {
  // expected-error @+1 {{operand #0 has type '!tgraph.pred' but graph @g returns '!tgraph.event' there}}
  tgraph.yield %p : !tgraph.pred
}

// -----

// Tests a graph argument buffer of unknown size.
// expected-error @+1 {{argument #0 is a buffer of unknown size '!tgraph.buffer<f32 x ?, host>'; graph buffers need a static element count}}
tgraph.graph @g(%b: !tgraph.buffer<f32 x ?, host>) {
  tgraph.yield
}

// -----

// Tests a graph argument of an unsupported type.
// expected-error @+1 {{argument #0 has type '!tgraph.value<f32>'; a graph takes events (external preconditions), buffers, predicates and integer, float or index scalars}}
tgraph.graph @g(%v: !tgraph.value<f32>) {
  tgraph.yield
}

// -----

// Tests a graph result of an unsupported type.
// expected-error @+1 {{result #0 has type 'f32'; a graph returns events, predicates and !tgraph.value}}
tgraph.graph @g(%x: f32) -> f32 {
  tgraph.yield %x : f32
}

// -----

// Tests a kernel parameter of an unsupported type.
// expected-error @+1 {{parameter #0 has type '!tgraph.event'; a kernel takes buffers (!tgraph.buffer<...>) and integer, float or index scalars}}
tgraph.kernel @k(!tgraph.event) cpu

// -----

// Tests a kernel result of an unsupported type.
// expected-error @+1 {{result #0 has type '!tgraph.buffer<f32 x 4, host>'; a kernel returns integer, float or index scalars}}
tgraph.kernel @k() -> !tgraph.buffer<f32 x 4, host> cpu

// -----

// Tests a negative kernel cost.
// expected-error @+1 {{cost must be a non-negative number of nanoseconds, got -5}}
tgraph.kernel @k() cpu cost -5

// -----

// Tests a CPU kernel marked stream_ordered.
// expected-error @+1 {{is a CPU kernel marked stream_ordered; only GPU kernels queue work on a stream}}
tgraph.kernel @k() cpu stream_ordered

// -----

// Tests an unknown kernel target.
// expected-error @+1 {{expected the kernel's target, 'cpu' or 'gpu', got 'tpu'}}
tgraph.kernel @k() tpu

// -----

// Tests pred.from of a value that is not a boolean.
tgraph.graph @g(%p: !tgraph.pred) {
  %v = tgraph.value.const 1.0 : f32
  // expected-error @+1 {{needs a boolean; got '!tgraph.value<f32>', expected !tgraph.value<i1> or i1}}
  %q = tgraph.pred.from %v : !tgraph.value<f32>
  tgraph.yield
}

// -----

// Tests pred.from of a scalar that is not i1.
tgraph.graph @g(%x: i32) {
  // expected-error @+1 {{operand #0 must be 1-bit signless integer or A future: a scalar that a task returns, but got 'i32'}}
  %q = tgraph.pred.from %x : i32
  tgraph.yield
}

// -----

// Tests value.const of a non-scalar.
tgraph.graph @g() {
  // expected-error @+1 {{needs an integer, float or index constant, got "s"}}
  %v = "tgraph.value.const"() <{value = "s"}> : () -> !tgraph.value<i32>
  tgraph.yield
}

// -----

// Tests a buffer of a non-scalar element type.
// expected-error @+1 {{buffer element type must be an integer, float or index type, but got '!tgraph.event'}}
func.func @f(%b: !tgraph.buffer<!tgraph.event x 4, host>)

// -----

// Tests a buffer of negative size.
// expected-error @+1 {{buffer size must be a non-negative element count or '?', but got -4}}
func.func @f(%b: !tgraph.buffer<f32 x -4, host>)

// -----

// Tests an unknown memory kind.
// expected-error @+1 {{unknown memory kind 'disk'; expected 'host', 'pinned' or 'gpu'}}
func.func @f(%b: !tgraph.buffer<f32 x 4, disk>)

// -----

// Tests a CPU placement with a stream.
// expected-error @+1 {{expected '>'}}
func.func @f() attributes {p = #tgraph.proc<cpu 0, stream 1>}

// -----

// Tests a negative GPU stream.
// expected-error @+1 {{a GPU stream index must be non-negative, got -1}}
func.func @f() attributes {p = #tgraph.proc<gpu 0, stream -1>}

// -----

// Tests an unknown processor kind.
// expected-error @+1 {{expected 'cpu N' or 'gpu G, stream S' or 'gpu G, copy C' in #tgraph.proc, got 'tpu'}}
func.func @f() attributes {p = #tgraph.proc<tpu 0>}

// -----

// Tests an unknown stream kind.
// expected-error @+1 {{expected 'stream' or 'copy' after the GPU index, got 'lane'}}
func.func @f() attributes {p = #tgraph.proc<gpu 0, lane 1>}

// -----

// Tests a buffer operand without an access mode.
tgraph.kernel @k(!tgraph.buffer<f32 x ?, host>) cpu
tgraph.graph @g(%b: !tgraph.buffer<f32 x 4, host>) {
  // expected-error @+1 {{buffer operand #0 needs an access mode: read, write, read_write or reduce<op>}}
  %0 = tgraph.task @k(%b) : (!tgraph.buffer<f32 x 4, host>)
  tgraph.yield
}

// -----

// Tests an access mode on a scalar operand.
tgraph.kernel @k(f32) cpu
tgraph.graph @g(%x: f32) {
  // expected-error @+1 {{operand #0 of type 'f32' is not a buffer and takes no access mode}}
  %0 = tgraph.task @k(%x : read) : (f32)
  tgraph.yield
}

// -----

// Tests an unknown access mode.
tgraph.kernel @k(!tgraph.buffer<f32 x ?, host>) cpu
tgraph.graph @g(%b: !tgraph.buffer<f32 x 4, host>) {
  // expected-error @+1 {{unknown access mode 'modify'; expected read, write, read_write or reduce<op>}}
  %0 = tgraph.task @k(%b : modify) : (!tgraph.buffer<f32 x 4, host>)
  tgraph.yield
}

// -----

// Tests an unknown reduction.
tgraph.kernel @k(!tgraph.buffer<f32 x ?, host>) cpu
tgraph.graph @g(%b: !tgraph.buffer<f32 x 4, host>) {
  // expected-error @+1 {{unknown reduction 'xor'; expected reduce<add>, reduce<mul>, reduce<min> or reduce<max>}}
  %0 = tgraph.task @k(%b : reduce<xor>) : (!tgraph.buffer<f32 x 4, host>)
  tgraph.yield
}

// -----

// Tests awaits where only some events carry a dependence kind.
tgraph.kernel @k() cpu
tgraph.graph @g(%a: !tgraph.event, %b: !tgraph.event) {
  // expected-error @+1 {{either every awaited event has a dependence kind ('host' or 'device') or none has}}
  %0 = tgraph.task @k() await(%a host, %b)
  tgraph.yield
}

// -----

// Tests a task whose type list does not cover its operands.
tgraph.kernel @k(f32) cpu
tgraph.graph @g(%x: f32) {
  // expected-error @+1 {{task has 1 operands but 0 operand types; list one type per operand after ':'}}
  %0 = tgraph.task @k(%x)
  tgraph.yield
}

// -----

// Tests a placement that is not a processor.
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{expected a placement such as #tgraph.proc<cpu 0> after 'on'}}
  %0 = tgraph.task @k() on 3 : i32
  tgraph.yield
}

// -----

// Tests a graph without a body.
tgraph.graph @g()
// expected-error @+1 {{a graph needs a body: '{ ... }'}}
func.func @f()

// -----

// Tests a schedule position that is not an integer (found by fuzzing: the
// schedule pass read it as one and crashed).
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{'tgraph.queue_pos' must be a non-negative i64, got #tgraph.proc<cpu 0>}}
  %0 = tgraph.task @k() {tgraph.queue_pos = #tgraph.proc<cpu 0>}
  tgraph.yield
}

// -----

// Tests a negative dependency count.
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{'tgraph.dep_count' must be a non-negative i64, got -1 : i64}}
  %0 = tgraph.task @k() {tgraph.dep_count = -1 : i64}
  tgraph.yield
}

// -----

// Tests a predicate group of another integer type.
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{'tgraph.pred_group' must be a non-negative i64, got 0 : i32}}
  %0 = tgraph.task @k() {tgraph.pred_group = 0 : i32}
  tgraph.yield
}

// -----

// Tests a schedule attribute on an op of another dialect.
// expected-error @+1 {{'tgraph.queue_pos' is only for tgraph ops}}
func.func @f() attributes {tgraph.queue_pos = 0 : i64} {
  return
}

// -----

// Tests tgraph.scheduled with a value, and on the wrong op.
// expected-error @+1 {{'tgraph.scheduled' is a unit attribute of tgraph.graph}}
tgraph.graph @g() attributes {tgraph.scheduled = 1 : i64} {
  tgraph.yield
}

// -----

// expected-error @+1 {{'tgraph.scheduled' is a unit attribute of tgraph.graph}}
func.func @f() attributes {tgraph.scheduled} {
  return
}

// -----

// Tests a machine description that is not one, and one off the module.
// expected-error @+1 {{'tgraph.machine' must be a #tgraph.machine<...>, got 2 : i64}}
module attributes {tgraph.machine = 2 : i64} {
}

// -----

// expected-error @+1 {{'tgraph.machine' belongs on the module}}
func.func @f() attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 0, streams_per_gpu = 2, copy_streams = 1>} {
  return
}

// -----

// Tests a misspelt tgraph attribute is caught, not ignored.
tgraph.kernel @k() cpu
tgraph.graph @g() {
  // expected-error @+1 {{unknown attribute 'tgraph.queuepos'; tgraph's are tgraph.queue_pos, tgraph.dep_count, tgraph.pred_group, tgraph.scheduled and tgraph.machine}}
  %0 = tgraph.task @k() {tgraph.queuepos = 0 : i64}
  tgraph.yield
}

// -----

// Tests that a negative machine count (which an unsigned parameter reads as
// 4294967295) is refused instead of scheduling for four billion workers.
// expected-error @+1 {{#tgraph.machine: cpus must be at most 4096, got 4294967295 (-1? counts are non-negative)}}
module attributes {tgraph.machine = #tgraph.machine<cpus = -1, gpus = 0, streams_per_gpu = 2, copy_streams = 1>} {
}

// -----

// expected-error @+1 {{#tgraph.machine: gpus must be at most 64, got 65}}
module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 65, streams_per_gpu = 2, copy_streams = 1>} {
}

// -----

// expected-error @+1 {{#tgraph.machine: streams_per_gpu must be at most 256, got 1000}}
module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 1, streams_per_gpu = 1000, copy_streams = 1>} {
}

// -----

// expected-error @+1 {{#tgraph.machine: copy_streams must be at most 256, got 4294967295}}
module attributes {tgraph.machine = #tgraph.machine<cpus = 2, gpus = 1, streams_per_gpu = 2, copy_streams = -1>} {
}

// -----

tgraph.kernel @k() cpu
// Tests a CPU worker index beyond the machine model's bounds.
tgraph.graph @g() {
  // expected-error @+1 {{a CPU worker index must be below 4096, got 5000}}
  %0 = tgraph.task @k() on #tgraph.proc<cpu 5000>
  tgraph.yield
}

// -----

tgraph.kernel @k() gpu stream_ordered
// Tests a GPU index beyond the machine model's bounds.
tgraph.graph @g() {
  // expected-error @+1 {{a GPU index must be below 64, got 64}}
  %0 = tgraph.task @k() on #tgraph.proc<gpu 64, stream 0>
  tgraph.yield
}

// -----

tgraph.kernel @k() gpu stream_ordered
// Tests a compute stream index beyond the machine model's bounds.
tgraph.graph @g() {
  // expected-error @+1 {{a compute stream index must be below 256, got 256}}
  %0 = tgraph.task @k() on #tgraph.proc<gpu 0, stream 256>
  tgraph.yield
}

// -----

tgraph.graph @g(%h: !tgraph.buffer<f32 x 4, host>, %d: !tgraph.buffer<f32 x 4, gpu>) {
  // expected-error @+1 {{a copy stream index must be below 256, got 9999}}
  %0 = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu> on #tgraph.proc<gpu 0, copy 9999>
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests a queue position beyond the runtime's 32-bit node numbers.
tgraph.graph @g() {
  // expected-error @+1 {{'tgraph.queue_pos' must be at most 4294967295 (the runtime numbers nodes in 32 bits), got 4294967296}}
  %0 = tgraph.task @k() {tgraph.queue_pos = 4294967296 : i64}
  tgraph.yield
}

// -----

// Tests a kernel cost beyond the bound that keeps sums of costs exact.
// expected-error @+1 {{cost must be at most 1099511627776 nanoseconds, got 9223372036854775807}}
tgraph.kernel @k() cpu cost 9223372036854775807
