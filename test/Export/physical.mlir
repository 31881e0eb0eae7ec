// RUN: tgraph-translate --tgraph-to-dot %s | FileCheck %s
// RUN: tgraph-opt %s | tgraph-translate --tgraph-to-dot | FileCheck %s

// Tests a placed physical graph: processors become clusters in a fixed order
// (CPUs, then each GPU's compute streams, then its copy streams), the
// precondition is a source, the yield a sink, value operands show by SSA
// name and constants by value, and each await is an edge styled by its
// kind: host solid, device dashed (green), no kind dotted (join operands,
// the await of %b by @step #5).
// CHECK-LABEL: digraph "stencil" {
// CHECK-NEXT:   label="@stencil (physical)";
// CHECK-NEXT:   labelloc=t;
// CHECK-NEXT:   fontname="Helvetica";
// CHECK-NEXT:   node [fontname="Helvetica", fontsize=11];
// CHECK-NEXT:   edge [arrowsize=0.7];
// CHECK-NEXT:   arg0 [label="%arg0", shape=invhouse, style=filled, fillcolor="#eeeeee"];
// CHECK-NEXT:   subgraph cluster_cpu0 {
// CHECK-NEXT:     label="cpu 0";
// CHECK-NEXT:     style=rounded;
// CHECK-NEXT:     color=gray50;
// CHECK-NEXT:     n4 [label="@check #4\n(%values)", shape=box, style="filled", fillcolor="#cfe2f3"];
// CHECK-NEXT:   }
// CHECK-NEXT:   subgraph cluster_gpu0_stream0 {
// CHECK-NEXT:     label="gpu 0, stream 0";
// CHECK-NEXT:     style=rounded;
// CHECK-NEXT:     color=gray50;
// CHECK-NEXT:     n1 [label="@step #1\n(0)", shape=box, style="filled", fillcolor="#d9ead3"];
// CHECK-NEXT:     n3 [label="@norm #3", shape=box, style="filled", fillcolor="#d9ead3"];
// CHECK-NEXT:   }
// CHECK-NEXT:   subgraph cluster_gpu0_stream1 {
// CHECK-NEXT:     label="gpu 0, stream 1";
// CHECK-NEXT:     style=rounded;
// CHECK-NEXT:     color=gray50;
// CHECK-NEXT:     n2 [label="@step #2\n(1)", shape=box, style="filled", fillcolor="#d9ead3"];
// CHECK-NEXT:   }
// CHECK-NEXT:   subgraph cluster_gpu0_copy0 {
// CHECK-NEXT:     label="gpu 0, copy 0";
// CHECK-NEXT:     style=rounded;
// CHECK-NEXT:     color=gray50;
// CHECK-NEXT:     n0 [label="copy #0\n%arg1 to %arg2", shape=box, style="filled", fillcolor="#fff2cc"];
// CHECK-NEXT:   }
// CHECK-NEXT:   subgraph cluster_gpu1_stream0 {
// CHECK-NEXT:     label="gpu 1, stream 0";
// CHECK-NEXT:     style=rounded;
// CHECK-NEXT:     color=gray50;
// CHECK-NEXT:     n5 [label="@step #5\n(2)", shape=box, style="filled", fillcolor="#d9ead3"];
// CHECK-NEXT:   }
// CHECK-NEXT:   n6 [label="join #6", shape=ellipse, style="filled", fillcolor="white"];
// CHECK-NEXT:   yield [label="yield", shape=Msquare];
// CHECK-NEXT:   arg0 -> n0 [style=solid];
// CHECK-NEXT:   n0 -> n1 [style=dashed, color="#38761d"];
// CHECK-NEXT:   n0 -> n2 [style=dashed, color="#38761d"];
// CHECK-NEXT:   n1 -> n3 [style=dashed, color="#38761d"];
// CHECK-NEXT:   n2 -> n3 [style=dashed, color="#38761d"];
// CHECK-NEXT:   n3 -> n4 [style=solid];
// CHECK-NEXT:   n2 -> n5 [style=dotted];
// CHECK-NEXT:   n4 -> n6 [style=dotted];
// CHECK-NEXT:   n5 -> n6 [style=dotted];
// CHECK-NEXT:   n6 -> yield [style=dotted];
// CHECK-NEXT: }
tgraph.kernel @step(!tgraph.buffer<f32 x ?, gpu>, i64) gpu stream_ordered
tgraph.kernel @norm(!tgraph.buffer<f32 x ?, gpu>) -> f32 gpu stream_ordered
tgraph.kernel @check(f32) -> i1 cpu
tgraph.graph @stencil(%pre: !tgraph.event, %h: !tgraph.buffer<f32 x 64, host>,
                      %d: !tgraph.buffer<f32 x 64, gpu>) -> !tgraph.event physical {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %up = tgraph.copy %h to %d await(%pre host)
          : !tgraph.buffer<f32 x 64, host> to !tgraph.buffer<f32 x 64, gpu>
          on #tgraph.proc<gpu 0, copy 0> stream_ordered
  %a = tgraph.task @step(%d : read_write, %c0) await(%up device)
         : (!tgraph.buffer<f32 x 64, gpu>, i64) on #tgraph.proc<gpu 0, stream 0>
  %b = tgraph.task @step(%d : read_write, %c1) await(%up device)
         : (!tgraph.buffer<f32 x 64, gpu>, i64) on #tgraph.proc<gpu 0, stream 1>
  %n, %v = tgraph.task @norm(%d : read) await(%a device, %b device)
         : (!tgraph.buffer<f32 x 64, gpu>) -> !tgraph.value<f32>
         on #tgraph.proc<gpu 0, stream 0>
  %k, %ok = tgraph.task @check(%v) await(%n host)
         : (!tgraph.value<f32>) -> !tgraph.value<i1> on #tgraph.proc<cpu 0>
  %z = tgraph.task @step(%d : read_write, %c2) await(%b)
         : (!tgraph.buffer<f32 x 64, gpu>, i64) on #tgraph.proc<gpu 1, stream 0>
  %j = tgraph.join %k, %z
  tgraph.yield %j : !tgraph.event
}
