// Tests --input and --output: buffers initialised from NumPy .npy files
// and written back to .npy files (test/Integration/Inputs/npy.py writes and
// dumps them without NumPy).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/f16x2.npy '<f2' 2 0.5 -2
// RUN: %python %S/Inputs/npy.py write %t/idx.npy '<i8' 2 7 -8

// y = y + a x on inputs: y from a 1-D version 1.0 file, x from a 2x2
// version 2.0 file (any shape with the buffer's element count); n = 4,
// a = 2. The inputs are read once: each replay adds 2x again. Buffers
// without --input start at zero, as before. --print-buffers is unchanged.
// RUN: tgraph-run %s --graph=axpy --gpus=1 --scalar=4 --scalar=2 \
// RUN:   --input y=%S/Inputs/f64x4.npy --input x=%S/Inputs/f64x2x2.npy \
// RUN:   --output y=%t/y.npy --output x=%t/x.npy --output zero=%t/zero.npy \
// RUN:   --print-buffers | FileCheck %s --check-prefix=AXPY
// AXPY: graph @axpy: 1 nodes, 1 replays
// AXPY-NEXT: buffer #0: 21 42 63 84{{$}}
// AXPY-NEXT: buffer #1: 10 20 30 40{{$}}
// AXPY-NEXT: buffer #4: 0 0{{$}}
// AXPY-NEXT: output 'y': {{.*}}y.npy
// AXPY-NEXT: output 'x': {{.*}}x.npy
// AXPY-NEXT: output 'zero': {{.*}}zero.npy
// RUN: %python %S/Inputs/npy.py dump %t/y.npy | FileCheck %s --check-prefix=Y
// RUN: %python %S/Inputs/npy.py dump %t/x.npy | FileCheck %s --check-prefix=X
// RUN: %python %S/Inputs/npy.py dump %t/zero.npy | FileCheck %s --check-prefix=ZERO
// Y: <f8 (4,) fortran=False: 21 42 63 84{{$}}
// X: <f8 (4,) fortran=False: 10 20 30 40{{$}}
// ZERO: <f8 (2,) fortran=False: 0 0{{$}}
// RUN: tgraph-run %s --graph=axpy --gpus=1 --scalar=4 --scalar=2 --replays=3 \
// RUN:   --input y=%S/Inputs/f64x4.npy --input x=%S/Inputs/f64x2x2.npy \
// RUN:   --output y=%t/y3.npy
// RUN: %python %S/Inputs/npy.py dump %t/y3.npy | FileCheck %s --check-prefix=Y3
// Y3: <f8 (4,) fortran=False: 61 122 183 244{{$}}

// The same file in and out: updated in place (and an existing file is
// replaced). Names: %y, #1 (argument 1), graph-qualified names.
// RUN: cp %S/Inputs/f64x4.npy %t/inplace.npy
// RUN: tgraph-run %s --graph=axpy --gpus=1 --scalar=4 --scalar=1 \
// RUN:   --input %%y=%t/inplace.npy --input '#1=%S/Inputs/f64x4.npy' \
// RUN:   --output axpy.y=%t/inplace.npy
// RUN: tgraph-run %s --graph=axpy --gpus=1 --scalar=4 --scalar=1 \
// RUN:   --input @axpy.y=%t/inplace.npy --input 'axpy.#1=%S/Inputs/f64x4.npy' \
// RUN:   --output @axpy.%%y=%t/inplace.npy
// RUN: %python %S/Inputs/npy.py dump %t/inplace.npy | FileCheck %s --check-prefix=INPLACE
// INPLACE: <f8 (4,) fortran=False: 3 6 9 12{{$}}
tgraph.kernel @axpy_f64(!tgraph.buffer<f64 x ?, host>, !tgraph.buffer<f64 x ?, host>, i64, f64) cpu
tgraph.graph @axpy(%y: !tgraph.buffer<f64 x 4, host>, %x: !tgraph.buffer<f64 x 4, host>,
                   %n: i64, %a: f64, %zero: !tgraph.buffer<f64 x 2, host>) {
  %0 = tgraph.task @axpy_f64(%y : read_write, %x : read, %n, %a) : (!tgraph.buffer<f64 x 4, host>, !tgraph.buffer<f64 x 4, host>, i64, f64)
  tgraph.yield
}

// Element types: each buffer is copied to a second one, which is written.
// Signless integers also take unsigned files of their size (u32 -> i32:
// the bits are kept); i1 is NumPy's bool; index is <i8; a big-endian
// version 3.0 file is swapped; a 0-d array fills a 1-element buffer; a
// Fortran-order (4, 1) array is the same bytes as C order. (index is read
// and written back without a copy: copying index buffers crashes
// tgraph-assign-processors at the time of writing.)
// RUN: tgraph-run %s --graph=types --gpus=1 \
// RUN:   --input f64=%S/Inputs/f64x4-big.npy --output f64c=%t/f64.npy \
// RUN:   --input f32=%S/Inputs/f32x3.npy --output f32c=%t/f32.npy \
// RUN:   --input f16=%t/f16x2.npy --output f16c=%t/f16.npy \
// RUN:   --input i64=%S/Inputs/i64x4.npy --output i64c=%t/i64.npy \
// RUN:   --input i32=%S/Inputs/u32x3.npy --output i32c=%t/i32.npy \
// RUN:   --input ui32=%S/Inputs/u32x3.npy --output ui32c=%t/ui32.npy \
// RUN:   --input i8=%S/Inputs/i8x4.npy --output i8c=%t/i8.npy \
// RUN:   --input i1=%S/Inputs/b1x4.npy --output i1c=%t/i1.npy \
// RUN:   --input idx=%t/idx.npy --output idx=%t/idx-out.npy \
// RUN:   --input one=%S/Inputs/f64-scalar.npy --output onec=%t/one.npy \
// RUN:   --input fort=%S/Inputs/f64x4x1-fortran.npy --output fortc=%t/fort.npy \
// RUN:   | FileCheck %s --check-prefix=TYPES
// TYPES: graph @types: 10 nodes, 1 replays
// TYPES-COUNT-11: output
// RUN: %python %S/Inputs/npy.py dump %t/f64.npy | FileCheck %s --check-prefix=F64
// RUN: %python %S/Inputs/npy.py dump %t/f32.npy | FileCheck %s --check-prefix=F32
// RUN: %python %S/Inputs/npy.py dump %t/f16.npy | FileCheck %s --check-prefix=F16
// RUN: %python %S/Inputs/npy.py dump %t/i64.npy | FileCheck %s --check-prefix=I64
// RUN: %python %S/Inputs/npy.py dump %t/i32.npy | FileCheck %s --check-prefix=I32
// RUN: %python %S/Inputs/npy.py dump %t/ui32.npy | FileCheck %s --check-prefix=UI32
// RUN: %python %S/Inputs/npy.py dump %t/i8.npy | FileCheck %s --check-prefix=I8
// RUN: %python %S/Inputs/npy.py dump %t/i1.npy | FileCheck %s --check-prefix=I1
// RUN: %python %S/Inputs/npy.py dump %t/idx-out.npy | FileCheck %s --check-prefix=IDX
// RUN: %python %S/Inputs/npy.py dump %t/one.npy | FileCheck %s --check-prefix=ONE
// RUN: %python %S/Inputs/npy.py dump %t/fort.npy | FileCheck %s --check-prefix=FORT
// F64: <f8 (4,) fortran=False: 0.5 1.5 2.5 3.5{{$}}
// F32: <f4 (3,) fortran=False: 0.25 -1.5 3{{$}}
// F16: <f2 (2,) fortran=False: 0.5 -2{{$}}
// I64: <i8 (4,) fortran=False: -1 2 -3 4{{$}}
// I32: <i4 (3,) fortran=False: 7 -294967296 9{{$}}
// UI32: <u4 (3,) fortran=False: 7 4000000000 9{{$}}
// I8: |i1 (4,) fortran=False: -128 -1 0 127{{$}}
// I1: |b1 (4,) fortran=False: True False False True{{$}}
// IDX: <i8 (2,) fortran=False: 7 -8{{$}}
// ONE: <f8 (1,) fortran=False: 42{{$}}
// FORT: <f8 (4,) fortran=False: 5 6 7 8{{$}}
tgraph.graph @types(%f64: !tgraph.buffer<f64 x 4, host>, %f64c: !tgraph.buffer<f64 x 4, host>,
                    %f32: !tgraph.buffer<f32 x 3, host>, %f32c: !tgraph.buffer<f32 x 3, host>,
                    %f16: !tgraph.buffer<f16 x 2, host>, %f16c: !tgraph.buffer<f16 x 2, host>,
                    %i64: !tgraph.buffer<i64 x 4, host>, %i64c: !tgraph.buffer<i64 x 4, host>,
                    %i32: !tgraph.buffer<i32 x 3, host>, %i32c: !tgraph.buffer<i32 x 3, host>,
                    %ui32: !tgraph.buffer<ui32 x 3, host>, %ui32c: !tgraph.buffer<ui32 x 3, host>,
                    %i8: !tgraph.buffer<i8 x 4, host>, %i8c: !tgraph.buffer<i8 x 4, host>,
                    %i1: !tgraph.buffer<i1 x 4, host>, %i1c: !tgraph.buffer<i1 x 4, host>,
                    %idx: !tgraph.buffer<index x 2, host>,
                    %one: !tgraph.buffer<f64 x 1, host>, %onec: !tgraph.buffer<f64 x 1, host>,
                    %fort: !tgraph.buffer<f64 x 4, host>, %fortc: !tgraph.buffer<f64 x 4, host>) {
  %0 = tgraph.copy %f64 to %f64c : !tgraph.buffer<f64 x 4, host> to !tgraph.buffer<f64 x 4, host>
  %1 = tgraph.copy %f32 to %f32c : !tgraph.buffer<f32 x 3, host> to !tgraph.buffer<f32 x 3, host>
  %2 = tgraph.copy %f16 to %f16c : !tgraph.buffer<f16 x 2, host> to !tgraph.buffer<f16 x 2, host>
  %3 = tgraph.copy %i64 to %i64c : !tgraph.buffer<i64 x 4, host> to !tgraph.buffer<i64 x 4, host>
  %4 = tgraph.copy %i32 to %i32c : !tgraph.buffer<i32 x 3, host> to !tgraph.buffer<i32 x 3, host>
  %5 = tgraph.copy %ui32 to %ui32c : !tgraph.buffer<ui32 x 3, host> to !tgraph.buffer<ui32 x 3, host>
  %6 = tgraph.copy %i8 to %i8c : !tgraph.buffer<i8 x 4, host> to !tgraph.buffer<i8 x 4, host>
  %7 = tgraph.copy %i1 to %i1c : !tgraph.buffer<i1 x 4, host> to !tgraph.buffer<i1 x 4, host>
  %9 = tgraph.copy %one to %onec : !tgraph.buffer<f64 x 1, host> to !tgraph.buffer<f64 x 1, host>
  %10 = tgraph.copy %fort to %fortc : !tgraph.buffer<f64 x 4, host> to !tgraph.buffer<f64 x 4, host>
  tgraph.yield
}

// GPU memory (emulated streams without CUDA, device memory with; copied
// with tgrt_mem_copy): a gpu buffer read, copied to another gpu buffer and
// back to the host, all three written.
// RUN: tgraph-run %s --graph=gpu --gpus=1 \
// RUN:   --input d=%S/Inputs/f64x6.npy --output d=%t/d.npy \
// RUN:   --output d2=%t/d2.npy --output back=%t/back.npy \
// RUN:   --print-buffers | FileCheck %s --check-prefix=GPU
// GPU: buffer #0: 1 2 3 4 5 6{{$}}
// GPU: buffer #1: 1 2 3 4 5 6{{$}}
// GPU: buffer #2: 1 2 3 4 5 6{{$}}
// RUN: %python %S/Inputs/npy.py dump %t/d.npy | FileCheck %s --check-prefix=D
// RUN: %python %S/Inputs/npy.py dump %t/d2.npy | FileCheck %s --check-prefix=D
// RUN: %python %S/Inputs/npy.py dump %t/back.npy | FileCheck %s --check-prefix=D
// D: <f8 (6,) fortran=False: 1 2 3 4 5 6{{$}}
tgraph.graph @gpu(%d: !tgraph.buffer<f64 x 6, gpu>, %d2: !tgraph.buffer<f64 x 6, gpu>,
                  %back: !tgraph.buffer<f64 x 6, host>) {
  %0 = tgraph.copy %d to %d2 : !tgraph.buffer<f64 x 6, gpu> to !tgraph.buffer<f64 x 6, gpu>
  %1 = tgraph.copy %d2 to %back : !tgraph.buffer<f64 x 6, gpu> to !tgraph.buffer<f64 x 6, host>
  tgraph.yield
}

// All graphs at once: a name that one graph has needs no qualification
// (y, back); one that several have does (axpy.x: @types has no x, but
// #1 is in every graph). Scalars are per graph, as before.
// RUN: tgraph-run %s --gpus=1 --scalar=4 --scalar=2 \
// RUN:   --input y=%S/Inputs/f64x4.npy --input 'axpy.#1=%S/Inputs/f64x4.npy' \
// RUN:   --input gpu.d=%S/Inputs/f64x6.npy --output back=%t/all-back.npy \
// RUN:   --output y=%t/all-y.npy | FileCheck %s --check-prefix=ALL
// ALL: graph @axpy
// ALL-NEXT: output 'y': {{.*}}all-y.npy
// ALL: graph @types
// ALL: graph @gpu
// ALL-NEXT: output 'back': {{.*}}all-back.npy
// RUN: %python %S/Inputs/npy.py dump %t/all-y.npy | FileCheck %s --check-prefix=ALLY
// RUN: %python %S/Inputs/npy.py dump %t/all-back.npy | FileCheck %s --check-prefix=D
// ALLY: <f8 (4,) fortran=False: 3 6 9 12{{$}}

// Names come from the source, also from standard input. Bytecode keeps no
// names: its arguments are #N only.
// RUN: cat %s | tgraph-run - --graph=gpu --gpus=1 \
// RUN:   --input d=%S/Inputs/f64x6.npy --output back=%t/stdin.npy
// RUN: %python %S/Inputs/npy.py dump %t/stdin.npy | FileCheck %s --check-prefix=D
// RUN: tgraph-opt %s --emit-bytecode -o %t/module.mlirbc
// RUN: tgraph-run %t/module.mlirbc --graph=gpu --gpus=1 \
// RUN:   --input '#0=%S/Inputs/f64x6.npy' --output 'gpu.#2=%t/bytecode.npy'
// RUN: %python %S/Inputs/npy.py dump %t/bytecode.npy | FileCheck %s --check-prefix=D
// RUN: not tgraph-run %t/module.mlirbc --graph=gpu --gpus=1 \
// RUN:   --input d=%S/Inputs/f64x6.npy 2>&1 | FileCheck %s --check-prefix=BYTECODE
// BYTECODE: tgraph-run: error: --input d={{.*}}f64x6.npy: graph @gpu has no argument 'd'; its buffer arguments: #0, #1, #2{{$}}
