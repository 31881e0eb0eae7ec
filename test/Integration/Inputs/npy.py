#!/usr/bin/env python3
"""Writes and reads NumPy .npy files without NumPy (for the npy-*.mlir tests).

  npy.py dump FILE           prints "DESCR SHAPE fortran=F: v0 v1 ..."
  npy.py write FILE DESCR SHAPE V... [--fortran] [--version=N] [--cut=K]
                             [--extra=K]
                             writes a file; SHAPE is "4" or "2,3" or ""
  npy.py gen DIR             (re)writes the committed inputs in DIR

The header is read with ast.literal_eval, as numpy.lib.format does, so the
dump is an independent check of what tgraph-run writes.
"""
import ast
import os
import struct
import sys

MAGIC = b"\x93NUMPY"
# dtype (without byte order) -> struct code
CODES = {"f8": "d", "f4": "f", "f2": "e", "i8": "q", "i4": "i", "i2": "h",
         "i1": "b", "u8": "Q", "u4": "I", "u2": "H", "u1": "B", "b1": "?"}


def encode(path, descr, shape, values, fortran=False, version=1, cut=0,
           extra=0):
    order = descr[0] if descr[0] in "<>|=" else "|"
    code = CODES[descr.lstrip("<>|=")]
    endian = ">" if order == ">" else "<"
    conv = float if code in "dfe" else (
        (lambda v: bool(int(v))) if code == "?" else int)
    data = struct.pack(endian + code * len(values),
                       *[conv(v) for v in values])
    if len(shape) == 1:
        shape_text = "(%d,)" % shape[0]
    else:
        shape_text = "(" + ", ".join("%d" % d for d in shape) + ")"
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape_text)
    length_size = 2 if version == 1 else 4
    prefix = len(MAGIC) + 2 + length_size
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    raw = header.encode("utf-8" if version == 3 else "latin1")
    out = MAGIC + bytes([version, 0])
    out += struct.pack("<H" if version == 1 else "<I", len(raw)) + raw + data
    if cut:
        out = out[:-cut]
    out += b"\0" * extra
    with open(path, "wb") as f:
        f.write(out)


def dump(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:6] == MAGIC, "no magic"
    version = raw[6]
    size = 2 if version == 1 else 4
    (length,) = struct.unpack("<H" if size == 2 else "<I", raw[8:8 + size])
    start = 8 + size
    assert (start + length) % 64 == 0, "data not 64-byte aligned"
    header = ast.literal_eval(raw[start:start + length].decode("latin1"))
    descr = header["descr"]
    count = 1
    for d in header["shape"]:
        count *= d
    code = CODES[descr.lstrip("<>|=")]
    endian = ">" if descr[0] == ">" else "<"
    data = raw[start + length:]
    values = struct.unpack(endian + code * count, data)
    assert len(data) == struct.calcsize(endian + code * count), "size"
    text = " ".join(("%g" % v) if code in "dfe" else str(v) for v in values)
    print("%s %s fortran=%s: %s" % (descr, header["shape"],
                                     header["fortran_order"], text))


def gen(d):
    """The committed inputs under test/Integration/Inputs/."""
    p = lambda n: os.path.join(d, n)
    encode(p("f64x4.npy"), "<f8", [4], [1, 2, 3, 4])
    encode(p("f64x2x2.npy"), "<f8", [2, 2], [10, 20, 30, 40], version=2)
    encode(p("f64x4-big.npy"), ">f8", [4], [0.5, 1.5, 2.5, 3.5], version=3)
    encode(p("f64x6.npy"), "<f8", [2, 3], [1, 2, 3, 4, 5, 6])
    encode(p("f64x2x2-fortran.npy"), "<f8", [2, 2], [1, 2, 3, 4],
           fortran=True)
    encode(p("f64x4x1-fortran.npy"), "<f8", [4, 1], [5, 6, 7, 8],
           fortran=True)
    encode(p("f32x3.npy"), "<f4", [3], [0.25, -1.5, 3])
    encode(p("i64x4.npy"), "<i8", [4], [-1, 2, -3, 4])
    encode(p("u32x3.npy"), "<u4", [3], [7, 4000000000, 9])
    encode(p("i32x3.npy"), "<i4", [3], [-7, 8, 9])
    encode(p("i8x4.npy"), "|i1", [4], [-128, -1, 0, 127])
    encode(p("b1x4.npy"), "|b1", [4], [1, 0, 0, 1])
    encode(p("f64-scalar.npy"), "<f8", [], [42])
    encode(p("f64x4-truncated.npy"), "<f8", [4], [1, 2, 3, 4], cut=5)
    encode(p("f64x4-extra.npy"), "<f8", [4], [1, 2, 3, 4], extra=3)
    with open(p("not-npy.npy"), "wb") as f:
        f.write(b"this is not a NumPy file\n")
    with open(p("header-truncated.npy"), "wb") as f:
        f.write(MAGIC + bytes([1, 0]) + struct.pack("<H", 118) + b"{'descr'")
    with open(p("bad-header.npy"), "wb") as f:
        h = "{'descr': '<f8', 'fortran_order': False, 'shape': (4, -1), }"
        h += " " * (64 - (10 + len(h) + 1) % 64) + "\n"
        f.write(MAGIC + bytes([1, 0]) + struct.pack("<H", len(h)) +
                h.encode() + bytes(32))
    with open(p("structured.npy"), "wb") as f:
        h = "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (4,), }"
        h += " " * (64 - (10 + len(h) + 1) % 64) + "\n"
        f.write(MAGIC + bytes([1, 0]) + struct.pack("<H", len(h)) +
                h.encode() + bytes(32))
    with open(p("objects.npy"), "wb") as f:
        h = "{'descr': '|O', 'fortran_order': False, 'shape': (4,), }"
        h += " " * (64 - (10 + len(h) + 1) % 64) + "\n"
        f.write(MAGIC + bytes([1, 0]) + struct.pack("<H", len(h)) +
                h.encode() + bytes(32))
    with open(p("version4.npy"), "wb") as f:
        f.write(MAGIC + bytes([4, 0]) + bytes(60))
    with open(p("archive.npz"), "wb") as f:
        f.write(b"PK\x03\x04" + bytes(40))


def main(argv):
    if argv[1] == "dump":
        dump(argv[2])
    elif argv[1] == "gen":
        gen(argv[2])
    elif argv[1] == "write":
        opts = {a.split("=")[0][2:]: a.split("=")[1] if "=" in a else True
                for a in argv[2:] if a.startswith("--")}
        pos = [a for a in argv[2:] if not a.startswith("--")]
        shape = [int(s) for s in pos[2].split(",") if s]
        encode(pos[0], pos[1], shape, pos[3:],
               fortran=bool(opts.get("fortran")),
               version=int(opts.get("version", 1)),
               cut=int(opts.get("cut", 0)), extra=int(opts.get("extra", 0)))
    else:
        sys.exit("usage: npy.py dump|write|gen ...")


if __name__ == "__main__":
    main(sys.argv)
