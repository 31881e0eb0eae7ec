// RUN: %python %S/Inputs/npy.py write %t.in.npy '<i8' 4 7 -1 5 9
// RUN: tgraph-run %s --input a=%t.in.npy --output b=%t.out.npy --print-buffers | FileCheck %s
// RUN: %python %S/Inputs/npy.py dump %t.out.npy | FileCheck %s --check-prefix=OUT

// Tests copies of `index` buffers (8 bytes an element): placement, the
// lowering's byte counts and the replay. They used to crash
// tgraph-assign-processors, which asked `index` for its bit width.
// CHECK: graph @index_copies
// CHECK: buffer #0: 7 -1 5 9{{$}}
// CHECK: buffer #1: 0 7 -1 0{{$}}
// OUT: <i8 (4,) fortran=False: 0 7 -1 0
tgraph.graph @index_copies(%a: !tgraph.buffer<index x 4, host>,
                           %b: !tgraph.buffer<index x 4, host>) {
  %0 = tgraph.copy %a[0] to %b[1] size 2 : !tgraph.buffer<index x 4, host> to !tgraph.buffer<index x 4, host>
  tgraph.yield
}
