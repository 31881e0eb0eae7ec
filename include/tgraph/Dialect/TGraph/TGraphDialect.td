//===- TGraphDialect.td - the tgraph dialect ---------------*- tablegen -*-===//
//
// The dialect definition and the base classes of its ops, types and
// attributes. Everything else in the dialect is declared in the sibling .td
// files; TGraphOps.td includes them all and is the input of the doc generator.
//
//===----------------------------------------------------------------------===//

#ifndef TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_TD
#define TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def TGraph_Dialect : Dialect {
  let name = "tgraph";
  let cppNamespace = "::mlir::tgraph";
  let summary = "Compiled task graphs: tasks, copies, predicates and events";
  let description = [{
    The `tgraph` dialect describes a *task graph* that is compiled once and
    replayed many times by the tgraph runtime, on CPU worker threads and on
    CUDA streams.

    It has two levels in one dialect:

    * **Logical** (what a frontend writes): tasks and copies in program order
      inside a `tgraph.graph`, each naming the buffers it touches and how
      (`read`, `write`, `read_write`, `reduce<op>`). The semantics are those of
      sequential execution.
    * **Physical** (after `tgraph-infer-deps`): every task and copy awaits
      explicit `!tgraph.event` values and produces one; program order no longer
      matters. Later passes add placements (`on #tgraph.proc<...>`), dependence
      kinds (`await(%e device)`) and a schedule.

    ```mlir
    tgraph.kernel @scale(!tgraph.buffer<f64 x ?, host>, f64) cpu
    tgraph.kernel @norm(!tgraph.buffer<f64 x ?, host>) -> f64 cpu

    tgraph.graph @step(%pre: !tgraph.event, %x: !tgraph.buffer<f64 x 64, host>,
                       %a: f64) -> !tgraph.event {
      %0 = tgraph.task @scale(%x : read_write, %a) await(%pre)
             : (!tgraph.buffer<f64 x 64, host>, f64)
      %1, %n = tgraph.task @norm(%x : read) await(%0)
             : (!tgraph.buffer<f64 x 64, host>) -> !tgraph.value<f64>
      tgraph.yield %1 : !tgraph.event
    }
    ```
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // The discardable attributes the passes write and later passes (and the
  // lowering) read; each gets a typed helper (TGraphDialect::QueuePosAttrHelper
  // ...) and verifyOperationAttribute checks their shape and place:
  // * queue_pos: an op's position in its processor's queue (tasks, copies);
  // * dep_count: the number of distinct ops of the graph an op awaits;
  // * pred_group: ops sharing one predicate share a group number;
  // * scheduled: a graph tgraph-schedule has frozen (the lowering needs it);
  // * machine: the module's machine model (#tgraph.machine).
  let discardableAttrs = (ins
    "::mlir::IntegerAttr":$queue_pos,
    "::mlir::IntegerAttr":$dep_count,
    "::mlir::IntegerAttr":$pred_group,
    "::mlir::UnitAttr":$scheduled,
    "::mlir::tgraph::MachineAttr":$machine
  );
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
  private:
    void registerTypes();
    void registerAttributes();
  public:
  }];
}

class TGraph_Op<string mnemonic, list<Trait> traits = []>
    : Op<TGraph_Dialect, mnemonic, traits>;

class TGraph_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<TGraph_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

class TGraph_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TGraph_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // TGRAPH_DIALECT_TGRAPH_TGRAPHDIALECT_TD
