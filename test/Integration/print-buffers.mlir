// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/i32.npy '<i4' 3 -7 0 2147483647
// RUN: %python %S/Inputs/npy.py write %t/u8.npy '|u1' 3 255 0 7
// RUN: %python %S/Inputs/npy.py write %t/f16.npy '<f2' 3 0.5 -2 1024
// RUN: %python %S/Inputs/npy.py write %t/i1.npy '|b1' 3 1 0 1
// RUN: tgraph-run %s --input a=%t/i32.npy --input b=%t/u8.npy \
// RUN:   --input c=%t/f16.npy --input d=%t/i1.npy --print-buffers | FileCheck %s

// Tests that --print-buffers shows each element type as its value: narrow
// signed integers negative, unsigned ones unsigned, f16 as a number.
// CHECK: buffer #0: -7 0 2147483647{{$}}
// CHECK: buffer #1: 255 0 7{{$}}
// CHECK: buffer #2: 0.5 -2 1024{{$}}
// CHECK: buffer #3: true false true{{$}}
tgraph.graph @types(%a: !tgraph.buffer<i32 x 3, host>, %b: !tgraph.buffer<ui8 x 3, host>,
                    %c: !tgraph.buffer<f16 x 3, host>, %d: !tgraph.buffer<i1 x 3, host>) {
  tgraph.yield
}
