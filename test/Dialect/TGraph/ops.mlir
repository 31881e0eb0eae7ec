// RUN: tgraph-opt %s | FileCheck %s
// RUN: tgraph-opt %s | tgraph-opt | FileCheck %s
// RUN: tgraph-opt %s --mlir-print-op-generic | tgraph-opt | FileCheck %s
// RUN: tgraph-opt %s --emit-bytecode | tgraph-opt | FileCheck %s

// Tests kernel declarations: signatures, targets and every contract flag.
// CHECK-LABEL: tgraph.kernel @fill(!tgraph.buffer<f32 x ?, host>, f32) cpu
// CHECK: tgraph.kernel @axpy(!tgraph.buffer<f64 x ?, gpu>, !tgraph.buffer<f64 x ?, gpu>, f64) gpu stream_ordered cost 5000
// CHECK: tgraph.kernel @norm(!tgraph.buffer<f64 x ?, gpu>) -> f64 gpu stream_ordered
// CHECK: tgraph.kernel @two() -> (f64, i1) cpu
// CHECK: tgraph.kernel @peek(!tgraph.buffer<f64 x 16, gpu>) gpu host_access
// CHECK: tgraph.kernel @io() cpu may_block spawns
// CHECK: tgraph.kernel @check(f64) -> i1 cpu
// CHECK: tgraph.kernel @sum(!tgraph.buffer<i64 x ?, host>, !tgraph.buffer<i64 x ?, host>) cpu
tgraph.kernel @fill(!tgraph.buffer<f32 x ?, host>, f32) cpu
tgraph.kernel @axpy(!tgraph.buffer<f64 x ?, gpu>, !tgraph.buffer<f64 x ?, gpu>, f64) gpu stream_ordered cost 5000
tgraph.kernel @norm(!tgraph.buffer<f64 x ?, gpu>) -> f64 gpu stream_ordered
tgraph.kernel @two() -> (f64, i1) cpu
tgraph.kernel @peek(!tgraph.buffer<f64 x 16, gpu>) gpu host_access
tgraph.kernel @io() cpu may_block spawns
tgraph.kernel @check(f64) -> i1 cpu
tgraph.kernel @sum(!tgraph.buffer<i64 x ?, host>, !tgraph.buffer<i64 x ?, host>) cpu

// Tests a logical graph: access modes, scalars, values, and a yield.
// CHECK-LABEL: tgraph.graph @logical(
// CHECK-SAME: %[[B:.*]]: !tgraph.buffer<f32 x 8, host>, %[[S:.*]]: f32) -> !tgraph.event
// CHECK: %[[E:.*]] = tgraph.task @fill(%[[B]] : write, %[[S]]) : (!tgraph.buffer<f32 x 8, host>, f32)
// CHECK: tgraph.yield %[[E]] : !tgraph.event
tgraph.graph @logical(%b: !tgraph.buffer<f32 x 8, host>, %s: f32) -> !tgraph.event {
  %e = tgraph.task @fill(%b : write, %s) : (!tgraph.buffer<f32 x 8, host>, f32)
  tgraph.yield %e : !tgraph.event
}

// Tests every reduction mode and a buffer read twice.
// CHECK-LABEL: tgraph.graph @reductions(
// CHECK: tgraph.task @sum(%{{.*}} : reduce<add>, %{{.*}} : read)
// CHECK: tgraph.task @sum(%{{.*}} : reduce<mul>, %{{.*}} : read_write)
// CHECK: tgraph.task @sum(%{{.*}} : reduce<min>, %{{.*}} : reduce<max>)
// CHECK: tgraph.task @sum(%[[R:.*]] : read, %[[R]] : read)
tgraph.graph @reductions(%a: !tgraph.buffer<i64 x 4, host>, %b: !tgraph.buffer<i64 x 4, host>) {
  %0 = tgraph.task @sum(%a : reduce<add>, %b : read) : (!tgraph.buffer<i64 x 4, host>, !tgraph.buffer<i64 x 4, host>)
  %1 = tgraph.task @sum(%a : reduce<mul>, %b : read_write) : (!tgraph.buffer<i64 x 4, host>, !tgraph.buffer<i64 x 4, host>)
  %2 = tgraph.task @sum(%a : reduce<min>, %b : reduce<max>) : (!tgraph.buffer<i64 x 4, host>, !tgraph.buffer<i64 x 4, host>)
  %3 = tgraph.task @sum(%a : read, %a : read) : (!tgraph.buffer<i64 x 4, host>, !tgraph.buffer<i64 x 4, host>)
  tgraph.yield
}

// Tests a physical graph: awaits with kinds, predicates with modes and else
// values, placements, stream_ordered markers, multi-result tasks, copies
// with offsets and sizes, joins, immediate events and predicate algebra.
// CHECK-LABEL: tgraph.graph @physical(
// CHECK-SAME: %[[PRE:[^:]*]]: !tgraph.event
// CHECK-SAME: -> (!tgraph.event, !tgraph.pred, !tgraph.value<f64>) physical
// CHECK: %[[A:.*]] = tgraph.task @axpy(%{{.*}} : read_write, %{{.*}} : read, %{{.*}}) await(%[[PRE]] host) if %{{.*}} guarded : ({{.*}}) on #tgraph.proc<gpu 0, stream 1> stream_ordered
// CHECK: %[[N:.*]], %[[V:.*]] = tgraph.task @norm(%{{.*}} : read) await(%[[A]] device) if %{{.*}} wait else(0.000000e+00 : f64) : (!tgraph.buffer<f64 x 16, gpu>) -> !tgraph.value<f64> on #tgraph.proc<gpu 0, stream 1>
// CHECK: %{{.*}}, %[[C:.*]] = tgraph.task @check(%[[V]]) await(%[[N]] host) {note = "user attr"} : (!tgraph.value<f64>) -> !tgraph.value<i1> on #tgraph.proc<cpu 3>
// CHECK: tgraph.task @two() : () -> (!tgraph.value<f64>, !tgraph.value<i1>)
// CHECK: tgraph.copy %{{.*}}[4] to %{{.*}}[0] size 8 await(%[[PRE]]) if %{{.*}} : !tgraph.buffer<f64 x 16, host> to !tgraph.buffer<f64 x 16, gpu> on #tgraph.proc<gpu 0, copy 0>
// CHECK: tgraph.copy %{{.*}} to %{{.*}} : !tgraph.buffer<f64 x 16, gpu> to !tgraph.buffer<f64 x 16, gpu>
// CHECK: tgraph.event.immediate
// CHECK: tgraph.join
// CHECK: tgraph.pred.from %[[C]] : !tgraph.value<i1>
// CHECK: tgraph.pred.const true
// CHECK: tgraph.pred.not
// CHECK: tgraph.pred.and
// CHECK: tgraph.pred.or
// CHECK: tgraph.value.const 1.500000e+00 : f64
// CHECK: tgraph.yield
tgraph.graph @physical(%pre: !tgraph.event, %x: !tgraph.buffer<f64 x 16, gpu>,
                       %r: !tgraph.buffer<f64 x 16, gpu>, %h: !tgraph.buffer<f64 x 16, host>,
                       %go: !tgraph.pred, %alpha: f64)
    -> (!tgraph.event, !tgraph.pred, !tgraph.value<f64>) physical {
  %a = tgraph.task @axpy(%x : read_write, %r : read, %alpha) await(%pre host) if %go guarded
         : (!tgraph.buffer<f64 x 16, gpu>, !tgraph.buffer<f64 x 16, gpu>, f64)
         on #tgraph.proc<gpu 0, stream 1> stream_ordered
  %n, %v = tgraph.task @norm(%r : read) await(%a device) if %go wait else(0.0 : f64)
         : (!tgraph.buffer<f64 x 16, gpu>) -> !tgraph.value<f64>
         on #tgraph.proc<gpu 0, stream 1>
  %k, %c = tgraph.task @check(%v) await(%n host) {note = "user attr"}
         : (!tgraph.value<f64>) -> !tgraph.value<i1> on #tgraph.proc<cpu 3>
  %t, %t0, %t1 = tgraph.task @two() : () -> (!tgraph.value<f64>, !tgraph.value<i1>)
  %cp = tgraph.copy %h[4] to %x[0] size 8 await(%pre) if %go
         : !tgraph.buffer<f64 x 16, host> to !tgraph.buffer<f64 x 16, gpu> on #tgraph.proc<gpu 0, copy 0>
  %cp2 = tgraph.copy %x to %r : !tgraph.buffer<f64 x 16, gpu> to !tgraph.buffer<f64 x 16, gpu>
  %i = tgraph.event.immediate
  %j = tgraph.join %k, %cp, %cp2, %t, %i
  %p = tgraph.pred.from %c : !tgraph.value<i1>
  %true = tgraph.pred.const true
  %np = tgraph.pred.not %p
  %and = tgraph.pred.and %np, %true
  %or = tgraph.pred.or %and, %go
  %v2 = tgraph.value.const 1.5 : f64
  tgraph.yield %j, %or, %v2 : !tgraph.event, !tgraph.pred, !tgraph.value<f64>
}

// Tests host code outside graphs: a wait on an event, predicates from i1.
// CHECK-LABEL: func.func @host(
// CHECK: tgraph.pred.from %{{.*}} : i1
// CHECK: tgraph.wait %{{.*}}
func.func @host(%e: !tgraph.event, %b: i1) {
  %p = tgraph.pred.from %b : i1
  tgraph.wait %e
  return
}

// Tests placement and machine attributes in attribute position.
// CHECK-LABEL: func.func @attrs()
// CHECK-SAME: machine = #tgraph.machine<cpus = 2, gpus = 1, streams_per_gpu = 4, copy_streams = 2>
// CHECK-SAME: proc = #tgraph.proc<cpu 0>
func.func @attrs() attributes {machine = #tgraph.machine<cpus = 2, gpus = 1, streams_per_gpu = 4, copy_streams = 2>, proc = #tgraph.proc<cpu 0>, dep = #tgraph.dep<device>, access = #tgraph.access<reduce_add>, mode = #tgraph.pred_mode<guarded>} {
  return
}
