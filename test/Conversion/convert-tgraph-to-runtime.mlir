// RUN: tgraph-opt %s --tgraph-pipeline="cpus=2 gpus=1" --convert-tgraph-to-runtime=mode=calls -split-input-file -verify-diagnostics | FileCheck %s
// RUN: tgraph-opt %s --tgraph-pipeline="cpus=2 gpus=1" --convert-tgraph-to-runtime -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=PROG
// RUN: tgraph-opt %s --tgraph-pipeline="cpus=2 gpus=1" --tgraph-lower-to-llvm -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=LLVM
// RUN: not tgraph-opt %s --tgraph-pipeline="cpus=2 gpus=1" --convert-tgraph-to-runtime=mode=bogus 2>&1 | FileCheck %s --check-prefix=MODE
// MODE: error: convert-tgraph-to-runtime: mode must be 'program' or 'calls', not 'bogus'

tgraph.kernel @k(!tgraph.buffer<f32 x ?, host>, i64) -> i1 cpu
tgraph.kernel @g(!tgraph.buffer<f32 x ?, gpu>) gpu stream_ordered

// Tests the calls a scheduled graph lowers to: only the symbols used are
// declared; the instantiate function creates the graph, sets the parameter
// count, adds each node with its placement, its queue position (from
// tgraph.queue_pos) and arguments, its predicate and else values, its
// dependences with their kinds and their count (from tgraph.dep_count), and
// finalizes; every status is checked and a failure returns null.
// CHECK-DAG: func.func private @tgrt_graph_create(!llvm.ptr, !llvm.ptr, !llvm.ptr) -> i32
// CHECK-DAG: func.func private @tgrt_graph_add_task(!llvm.ptr, !llvm.ptr, i32, i32, i32, i32, !llvm.ptr) -> i32
// CHECK-DAG: func.func private @tgrt_graph_add_copy(
// CHECK-DAG: func.func private @tgrt_graph_finalize(!llvm.ptr) -> i32
// CHECK-DAG: llvm.mlir.global internal constant @{{.*}}("k\00")
// CHECK-NOT: tgrt_graph_add_join
// CHECK-NOT: tgrt_graph_pred_not
// CHECK-LABEL: func.func @tgraph_instantiate_main(%{{.*}}: !llvm.ptr) -> !llvm.ptr
// CHECK: call @tgrt_graph_create
// CHECK: %[[C3:.*]] = arith.constant 3 : i32
// CHECK: call @tgrt_graph_set_num_params(%{{.*}}, %[[C3]])
// Node 0: task @k on cpu 0 with a buffer parameter and an immediate, first
// in its queue, awaiting no op (the precondition gates the replay).
// CHECK: call @tgrt_graph_add_task
// CHECK: call @tgrt_graph_set_queue_pos(%{{[^,]*}}, %c0_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_add_arg_param
// CHECK: %[[SEVEN:.*]] = arith.constant 7 : i64
// CHECK: call @tgrt_graph_add_arg(%{{.*}}, %{{.*}}, %[[SEVEN]])
// CHECK: call @tgrt_graph_expect_deps(%{{[^,]*}}, %c0_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// Node 1: a host-to-device copy on the copy stream, parameters bound.
// CHECK: call @tgrt_graph_add_copy
// CHECK: call @tgrt_graph_set_queue_pos(%{{[^,]*}}, %c1_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_copy_bind_param
// CHECK: call @tgrt_graph_copy_bind_param
// CHECK: call @tgrt_graph_expect_deps(%{{[^,]*}}, %c1_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// Node 2: the GPU task, predicated on the value of node 0, awaiting nodes
// 0 (host) and 1 (device: a stream-ordered copy on its GPU).
// CHECK: call @tgrt_graph_add_task
// CHECK: call @tgrt_graph_set_queue_pos(%{{[^,]*}}, %c2_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_pred_from_value
// CHECK: call @tgrt_graph_set_predicate
// CHECK: call @tgrt_graph_add_dep(%{{[^,]*}}, %c0_i32{{[_0-9]*}}, %c2_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_add_dep(%{{[^,]*}}, %c1_i32{{[_0-9]*}}, %c2_i32{{[_0-9]*}}, %c1_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_expect_deps(%{{[^,]*}}, %c2_i32{{[_0-9]*}}, %c2_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_finalize
// CHECK: return
// CHECK-NOT: tgraph.
tgraph.graph @main(%pre: !tgraph.event, %h: !tgraph.buffer<f32 x 4, host>,
                   %d: !tgraph.buffer<f32 x 4, gpu>, %n: i64) -> !tgraph.event {
  %c7 = arith.constant 7 : i64
  %0, %ok = tgraph.task @k(%h : read, %c7) await(%pre) : (!tgraph.buffer<f32 x 4, host>, i64) -> !tgraph.value<i1>
  %1 = tgraph.copy %h to %d : !tgraph.buffer<f32 x 4, host> to !tgraph.buffer<f32 x 4, gpu>
  %p = tgraph.pred.from %ok : !tgraph.value<i1>
  %2 = tgraph.task @g(%d : read_write) if %p : (!tgraph.buffer<f32 x 4, gpu>)
  tgraph.yield %2 : !tgraph.event
}

// Tests the default, a graph program: one tgrt_graph_build call running
// constant bytes, with the kernel names in a string table.
// PROG-DAG: llvm.mlir.global internal constant @__tgraph_strings_main("k\00g\00\00")
// PROG-DAG: llvm.mlir.global internal constant @__tgraph_program_main("\02\01\03{{.*}}")
// @streams below as a program (tgrt_program_op; kernel names "s" at 0, "k" at 2):
// version 2; SET_NUM_PARAMS 1; ADD_TASK "s" gpu 0 stream 0, SET_QUEUE_POS
// 0 0, EXPECT_DEPS 0 0; ADD_TASK "s" gpu 0 stream 0, SET_QUEUE_POS 1 1,
// ADD_DEP 0 -> 1 device, EXPECT_DEPS 1 1; ADD_TASK "s" gpu 0 stream 1,
// SET_QUEUE_POS 2 0, ADD_DEP 0 -> 2 device, EXPECT_DEPS 2 1; ADD_TASK "k"
// cpu N with one result, SET_QUEUE_POS 3 0, ADD_ARG_PARAM 3 0, ADD_ARG 3 7,
// ADD_DEP 2 -> 3 host, EXPECT_DEPS 3 1.
// PROG-DAG: llvm.mlir.global internal constant @__tgraph_strings_streams("s\00k\00\00")
// Every number here is below 128: one byte each.
// PROG-DAG: llvm.mlir.global internal constant @__tgraph_program_streams("\02\01\01\02\00\01\00\00\00\12\00\00\13\00\00\02\00\01\00\00\00\12\01\01\0B\00\01\01\13\01\01\02\00\01\00\01\00\12\02\00\0B\00\02\01\13\02\01\02\02\00\0{{[01]}}\00\01\12\03\00\04\03\00\03\03\07\0B\02\03\00\13\03\01")
// PROG-DAG: func.func private @tgrt_graph_build(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr) -> i32
// PROG-LABEL: func.func @tgraph_instantiate_main(%{{.*}}: !llvm.ptr) -> !llvm.ptr
// PROG-NOT: tgrt_graph_add
// PROG: %[[STATUS:.*]] = call @tgrt_graph_build(%arg0, %{{.*}}, %{{.*}}, %c76_i64, %{{.*}}, %c5_i64, %{{.*}})
// PROG: cf.cond_br
// PROG-NOT: call
// PROG: return

// LLVM-LABEL: llvm.func @tgraph_instantiate_main(%{{.*}}: !llvm.ptr) -> !llvm.ptr
// LLVM: llvm.call @tgrt_graph_build
// LLVM-NOT: func.call
// LLVM-NOT: cf.cond_br

tgraph.kernel @s() gpu stream_ordered

// Tests dependences by kind: one add_dep per awaited op, device (1) between
// stream-ordered ops of one GPU, on the same stream too (the runtime checks
// the queue order against it and needs nothing more on the device), host
// (0) otherwise; the queue positions of the stream are 0 and 1.
// CHECK-LABEL: func.func @tgraph_instantiate_streams
// Nodes: a = 0, b = 1, c = 2, d = 3 (block order).
// CHECK: call @tgrt_graph_set_queue_pos(%{{[^,]*}}, %c1_i32{{[_0-9]*}}, %c1_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_add_dep(%{{[^,]*}}, %c0_i32{{[_0-9]*}}, %c1_i32{{[_0-9]*}}, %c1_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_add_dep(%{{[^,]*}}, %c0_i32{{[_0-9]*}}, %c2_i32{{[_0-9]*}}, %c1_i32{{[_0-9]*}})
// CHECK: call @tgrt_graph_add_dep(%{{[^,]*}}, %c2_i32{{[_0-9]*}}, %c3_i32{{[_0-9]*}}, %c0_i32{{[_0-9]*}})
// CHECK-NOT: call @tgrt_graph_add_dep
// CHECK: call @tgrt_graph_finalize
tgraph.graph @streams(%h: !tgraph.buffer<f32 x 4, host>) {
  %c7 = arith.constant 7 : i64
  %a = tgraph.task @s() on #tgraph.proc<gpu 0, stream 0>
  %b = tgraph.task @s() await(%a) on #tgraph.proc<gpu 0, stream 0>
  %c = tgraph.task @s() await(%a) on #tgraph.proc<gpu 0, stream 1>
  %d, %v = tgraph.task @k(%h : read, %c7) await(%c) : (!tgraph.buffer<f32 x 4, host>, i64) -> !tgraph.value<i1>
  tgraph.yield
}
