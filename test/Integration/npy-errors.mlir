// Tests the errors of --input and --output: each is one message naming
// the flag, the argument and the file, and exit code 1 (`not` fails on a
// crash). Nothing is written when a check fails.
//
// RUN: rm -rf %t && mkdir -p %t/out
// DEFINE: %{run} = not tgraph-run %s --graph=g
// DEFINE: %{in} = %S/Inputs

// Files that are not what they should be.
// RUN: %{run} --input y=%t/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: tgraph-run: error: --input y={{.*}}missing.npy: cannot read {{.*}}missing.npy: No such file or directory{{$}}
// RUN: %{run} --input y=%t 2>&1 | FileCheck %s --check-prefix=DIR
// DIR: tgraph-run: error: --input y={{.*}}: cannot read {{.*}}: Is a directory{{$}}
// RUN: %{run} --input y=%{in}/not-npy.npy 2>&1 | FileCheck %s --check-prefix=NOTNPY
// NOTNPY: tgraph-run: error: --input y={{.*}}not-npy.npy: {{.*}}not-npy.npy is not a NumPy .npy file (it does not start with \x93NUMPY){{$}}
// RUN: %{run} --input y=%{in}/archive.npz 2>&1 | FileCheck %s --check-prefix=NPZ
// NPZ: error: --input y={{.*}}archive.npz: {{.*}}archive.npz is a .npz archive, not a .npy file (save one array with numpy.save){{$}}
// RUN: %{run} --input y=%{in}/version4.npy 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: error: --input y={{.*}}version4.npy: {{.*}}version4.npy is a .npy file of version 4.0; tgraph-run reads versions 1.0, 2.0 and 3.0{{$}}
// RUN: %{run} --input y=%{in}/header-truncated.npy 2>&1 | FileCheck %s --check-prefix=HTRUNC
// HTRUNC: error: --input y={{.*}}header-truncated.npy: {{.*}}header-truncated.npy is truncated: it ends in its .npy header{{$}}
// RUN: %{run} --input y=%{in}/bad-header.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// HEADER: error: --input y={{.*}}bad-header.npy: {{.*}}bad-header.npy has a malformed .npy header: 'shape' holds something other than non-negative integers{{$}}
// RUN: %{run} --input y=%{in}/structured.npy 2>&1 | FileCheck %s --check-prefix=STRUCT
// STRUCT: error: --input y={{.*}}structured.npy: {{.*}}structured.npy holds a structured array (a dtype with fields); tgraph-run reads arrays of plain numbers{{$}}
// RUN: %{run} --input y=%{in}/objects.npy 2>&1 | FileCheck %s --check-prefix=OBJECTS
// OBJECTS: error: --input y={{.*}}objects.npy: {{.*}}objects.npy holds '|O' elements; tgraph-run reads booleans, integers and floats (such as <f8, <i4, |u1, |b1){{$}}
// RUN: %{run} --input y=%{in}/f64x4-truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: error: --input y={{.*}}f64x4-truncated.npy: {{.*}}f64x4-truncated.npy is truncated: its header says (4,) <f8 (32 bytes of data) but 27 bytes follow it{{$}}
// RUN: %{run} --input y=%{in}/f64x4-extra.npy 2>&1 | FileCheck %s --check-prefix=EXTRA
// EXTRA: error: --input y={{.*}}f64x4-extra.npy: {{.*}}f64x4-extra.npy has 3 bytes after the data its header describes ((4,) <f8){{$}}
// RUN: %{run} --input y=%{in}/f64x2x2-fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: error: --input y={{.*}}f64x2x2-fortran.npy: {{.*}}f64x2x2-fortran.npy holds a Fortran-order array of shape (2, 2); tgraph-run reads C-order arrays (save numpy.ascontiguousarray(a), or a.ravel(order='F') for the memory order){{$}}

// Files that do not fit their buffer: both types, both counts.
// RUN: %{run} --input y=%{in}/i64x4.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: tgraph-run: error: --input y={{.*}}i64x4.npy: buffer 'y' is f64 (<f8) but {{.*}}i64x4.npy holds <i8{{$}}
// RUN: %{run} --input b=%{in}/i8x4.npy 2>&1 | FileCheck %s --check-prefix=BOOL
// BOOL: error: --input b={{.*}}i8x4.npy: buffer 'b' is i1 (|b1) but {{.*}}i8x4.npy holds |i1{{$}}
// RUN: %{run} --input u=%{in}/i32x3.npy 2>&1 | FileCheck %s --check-prefix=UNSIGNED
// UNSIGNED: error: --input u={{.*}}i32x3.npy: buffer 'u' is ui32 (<u4) but {{.*}}i32x3.npy holds <i4{{$}}
// RUN: %{run} --input y=%{in}/f64x6.npy 2>&1 | FileCheck %s --check-prefix=SIZE
// SIZE: error: --input y={{.*}}f64x6.npy: buffer 'y' has 4 elements but {{.*}}f64x6.npy holds 6 (shape (2, 3)){{$}}
// RUN: %{run} --input w=%{in}/f64x4.npy 2>&1 | FileCheck %s --check-prefix=NODTYPE
// RUN: %{run} --output w=%t/out/w.npy 2>&1 | FileCheck %s --check-prefix=NODTYPE
// NODTYPE: error: --{{input|output}} w={{.*}}: buffer 'w' is bf16, which has no NumPy dtype that tgraph-run reads or writes (f64, f32, f16, i1, 8- to 64-bit integers, index){{$}}

// Names: unknown ones list the buffer arguments; scalars are no buffers;
// a name that several graphs have must be qualified; each buffer is read
// (and written) by one flag, each output file written once.
// RUN: %{run} --input z=%{in}/f64x4.npy 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: tgraph-run: error: --input z={{.*}}f64x4.npy: graph @g has no argument 'z'; its buffer arguments: y, x, w, b, u{{$}}
// RUN: %{run} --output '#9=%t/out/9.npy' 2>&1 | FileCheck %s --check-prefix=INDEX
// INDEX: error: --output #9={{.*}}9.npy: graph @g has no argument '#9'; its buffer arguments: y, x, w, b, u{{$}}
// RUN: %{run} --input n=%{in}/f64x4.npy 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: error: --input n={{.*}}f64x4.npy: argument 'n' of graph @g is not a buffer but i64 (its buffer arguments: y, x, w, b, u){{$}}
// RUN: not tgraph-run %s --input z=%{in}/f64x4.npy 2>&1 | FileCheck %s --check-prefix=UNKNOWN-ALL
// UNKNOWN-ALL: error: --input z={{.*}}f64x4.npy: no graph has an argument 'z'; the buffer arguments are @g: y, x, w, b, u; @h: y, q; @bad: q{{$}}
// RUN: not tgraph-run %s --output q=%t/out/q.npy 2>&1 | FileCheck %s --check-prefix=AMBIGUOUS
// AMBIGUOUS: error: --output q={{.*}}q.npy: 'q' names arguments of graphs @h and @bad; write h.q or bad.q, or run one graph with --graph{{$}}
// RUN: not tgraph-run %s --input y=%{in}/f64x4.npy 2>&1 | FileCheck %s --check-prefix=AMBIGUOUS-Y
// AMBIGUOUS-Y: error: --input y={{.*}}: 'y' names arguments of graphs @g and @h; write g.y or h.y, or run one graph with --graph{{$}}
// RUN: %{run} --input h.q=%{in}/f64x4.npy 2>&1 | FileCheck %s --check-prefix=OTHER-GRAPH
// OTHER-GRAPH: error: --input h.q={{.*}}: graph @g has no argument 'h.q'; its buffer arguments: y, x, w, b, u{{$}}
// RUN: %{run} --input y=%{in}/f64x4.npy --input '#0=%{in}/f64x4.npy' 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: error: --input #0={{.*}}f64x4.npy: buffer 'y' of graph @g is already read by --input y={{.*}}f64x4.npy{{$}}
// RUN: %{run} --output y=%t/out/a.npy --output g.y=%t/out/b.npy 2>&1 | FileCheck %s --check-prefix=TWICE-OUT
// TWICE-OUT: error: --output g.y={{.*}}b.npy: buffer 'y' of graph @g is already written by --output y={{.*}}a.npy{{$}}
// RUN: %{run} --output y=%t/out/a.npy --output x=%t/out/../out/a.npy 2>&1 | FileCheck %s --check-prefix=SAME-FILE
// SAME-FILE: error: --output x={{.*}}/out/../out/a.npy: {{.*}}/out/../out/a.npy is already written by --output y={{.*}}/out/a.npy{{$}}

// The flags' syntax.
// RUN: %{run} --input y 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: tgraph-run: error: --input 'y' is not NAME=FILE.npy{{$}}
// RUN: %{run} --output =%t/out/a.npy 2>&1 | FileCheck %s --check-prefix=SYNTAX-OUT
// SYNTAX-OUT: tgraph-run: error: --output '={{.*}}a.npy' is not NAME=FILE.npy{{$}}

// Outputs that cannot be written are found before anything runs.
// RUN: %{run} --output y=%t/nowhere/y.npy 2>&1 | FileCheck %s --check-prefix=NODIR
// NODIR: tgraph-run: error: --output y={{.*}}nowhere/y.npy: cannot write {{.*}}nowhere/y.npy: No such file or directory{{$}}
// RUN: %{run} --output y=%t/out 2>&1 | FileCheck %s --check-prefix=ISDIR
// ISDIR: error: --output y={{.*}}out: cannot write {{.*}}out: it is a directory{{$}}
// RUN: %{run} --output y=- 2>&1 | FileCheck %s --check-prefix=STDOUT
// STDOUT: error: --output y=-: cannot write to standard output; give a file name{{$}}
// The graph is not run when a later flag is wrong (no "graph @g" line, no
// file), and the output checks leave no temporary files behind.
// RUN: %{run} --output y=%t/out/y.npy --input x=%t/missing.npy > %t/stdout.txt 2>&1
// RUN: FileCheck %s --check-prefix=SKIPPED < %t/stdout.txt
// SKIPPED-NOT: graph @g
// SKIPPED: error: --input x=
// SKIPPED-NOT: graph @g
// RUN: %{run} --output x=%t/out/x.npy --output y=-
// RUN: ls -A %t/out | count 0

// A graph that fails writes none of its outputs.
// RUN: not tgraph-run %s --graph=bad --output q=%t/out/bad.npy 2>&1 | FileCheck %s --check-prefix=FAILED
// FAILED: tgraph-run: error: --output q={{.*}}bad.npy: not written: graph @bad failed{{$}}
// RUN: ls -A %t/out | count 0
tgraph.kernel @fail() cpu
tgraph.graph @g(%y: !tgraph.buffer<f64 x 4, host>, %x: !tgraph.buffer<f64 x 4, host>, %n: i64,
                %w: !tgraph.buffer<bf16 x 2, host>, %b: !tgraph.buffer<i1 x 4, host>,
                %u: !tgraph.buffer<ui32 x 3, host>) {
  tgraph.yield
}
tgraph.graph @h(%y: !tgraph.buffer<f64 x 4, host>, %q: !tgraph.buffer<f64 x 4, host>) {
  tgraph.yield
}
tgraph.graph @bad(%q: !tgraph.buffer<f64 x 4, host>) {
  %0 = tgraph.task @fail()
  tgraph.yield
}
