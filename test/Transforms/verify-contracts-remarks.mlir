// RUN: tgraph-opt %s -tgraph-verify-contracts="remarks=true" -verify-diagnostics

// Tests the tgraph-verify-contracts remarks for GPU kernels that cannot run
// ahead; a stream-ordered GPU kernel gets none.
// expected-note @+1 {{kernel declared here}}
tgraph.kernel @sync() gpu
// expected-note @+1 {{kernel declared here}}
tgraph.kernel @peek() gpu stream_ordered host_access
tgraph.kernel @fast() gpu stream_ordered
tgraph.graph @g() {
  // expected-remark @+1 {{GPU kernel @sync is not stream_ordered, so its dependences wait on the host (no runahead)}}
  %0 = tgraph.task @sync()
  // expected-remark @+1 {{GPU kernel @peek touches its data from the host, so its dependences wait on the host (no runahead)}}
  %1 = tgraph.task @peek()
  %2 = tgraph.task @fast()
  tgraph.yield
}
