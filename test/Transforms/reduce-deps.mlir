// RUN: tgraph-opt %s -tgraph-reduce-deps -split-input-file -verify-diagnostics | FileCheck %s

tgraph.kernel @k() cpu

// Tests that an await implied through another await is dropped (a chain).
// CHECK-LABEL: tgraph.graph @chain
// CHECK: %[[A:.*]] = tgraph.task @k()
// CHECK: %[[B:.*]] = tgraph.task @k() await(%[[A]])
// CHECK: tgraph.task @k() await(%[[B]]){{$}}
tgraph.graph @chain() physical {
  %a = tgraph.task @k()
  %b = tgraph.task @k() await(%a)
  %c = tgraph.task @k() await(%a, %b)
  tgraph.yield
}

// Tests a longer implied path and that independent awaits stay.
// CHECK-LABEL: tgraph.graph @diamond
// CHECK: %[[A:.*]] = tgraph.task @k()
// CHECK: %[[B:.*]] = tgraph.task @k() await(%[[A]])
// CHECK: %[[C:.*]] = tgraph.task @k() await(%[[A]])
// CHECK: %[[D:.*]] = tgraph.task @k() await(%[[B]])
// CHECK: tgraph.task @k() await(%[[D]], %[[C]]){{$}}
tgraph.graph @diamond() physical {
  %a = tgraph.task @k()
  %b = tgraph.task @k() await(%a)
  %c = tgraph.task @k() await(%a)
  %d = tgraph.task @k() await(%b)
  %e = tgraph.task @k() await(%a, %d, %c, %b)
  tgraph.yield
}

// Tests that awaited joins are flattened and removed, duplicates and
// immediate events dropped, kinds kept aligned (host wins on duplicates),
// and a join the yield uses is kept (its external input, implied by %t, goes).
// CHECK-LABEL: tgraph.graph @joins
// CHECK-SAME: (%[[X:[^:]*]]: !tgraph.event, %[[Y:[^:]*]]: !tgraph.event
// CHECK-NOT: tgraph.event.immediate
// CHECK: %[[T:.*]] = tgraph.task @k() await(%[[X]] host, %[[Y]] device)
// CHECK: %[[J2:.*]] = tgraph.join %[[T]]{{$}}
// CHECK: tgraph.yield %[[J2]]
tgraph.graph @joins(%x: !tgraph.event, %y: !tgraph.event) -> !tgraph.event physical {
  %i = tgraph.event.immediate
  %j = tgraph.join %x, %y, %i
  %t = tgraph.task @k() await(%j device, %x host, %i device)
  %j2 = tgraph.join %x, %t
  tgraph.yield %j2 : !tgraph.event
}

// Tests that an external precondition awaited by an awaited op is implied.
// CHECK-LABEL: tgraph.graph @external
// CHECK-SAME: (%[[PRE:[^:]*]]: !tgraph.event
// CHECK: %[[A:.*]] = tgraph.task @k() await(%[[PRE]])
// CHECK: tgraph.task @k() await(%[[A]]){{$}}
tgraph.graph @external(%pre: !tgraph.event) physical {
  %a = tgraph.task @k() await(%pre)
  %b = tgraph.task @k() await(%pre, %a)
  tgraph.yield
}

// Tests that awaits of one level (a stencil row) are all kept.
// CHECK-LABEL: tgraph.graph @same_level
// CHECK: tgraph.task @k() await(%{{.*}}, %{{.*}}, %{{.*}}){{$}}
tgraph.graph @same_level() physical {
  %a = tgraph.task @k()
  %b = tgraph.task @k()
  %c = tgraph.task @k()
  %d = tgraph.task @k() await(%a, %b, %c)
  tgraph.yield
}

// -----

tgraph.kernel @k() cpu
// Tests that reduce-deps needs the physical form.
// expected-error @+1 {{is in the logical form; tgraph-reduce-deps needs explicit awaits: run tgraph-infer-deps first}}
tgraph.graph @logical() {
  tgraph.yield
}
