// Input of misc.mlir: an event made by an op of an unregistered dialect.
tgraph.kernel @k() cpu
tgraph.graph @other() -> !tgraph.event {
  %e = "test.make_event"() : () -> !tgraph.event
  %0 = tgraph.task @k() await(%e) : ()
  tgraph.yield %0 : !tgraph.event
}
