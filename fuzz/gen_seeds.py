#!/usr/bin/env python3
"""Regenerates the committed seed corpora of the fuzz targets.

  fuzz/gen_seeds.py [path/to/tgraph-opt]

corpus/pipeline/     the .mlir files of test/ and examples/, split at
                     `// -----`, comment lines dropped, with a
                     `// fuzz-options:` first line taken from the file's RUN
                     line (the machine of -tgraph-pipeline or
                     -tgraph-assign-processors).
corpus/graph-build/  the graph programs convert-tgraph-to-runtime emits for
                     those modules (tgraph-opt --tgraph-pipeline
                     --convert-tgraph-to-runtime, for the fuzz harness's
                     machine: 2 CPUs, 1 GPU with 2 streams and 1 copy stream),
                     as LEB128(strings size) + strings + program, plus a few
                     hand-made programs.
corpus/pipeline-gen/ pseudo-random byte strings (the generator makes any
                     input a module).
corpus/capi/         a few byte strings (FuzzedDataProvider input is opaque:
                     libFuzzer grows this corpus itself).

Deterministic: names are content hashes; re-running replaces the folders.
Also prints the kernels the programs name (the graph-build harness must
register them).
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_PIPELINE_FILE = 8 << 10
MACHINE = "cpus=2 gpus=1 streams-per-gpu=2 copy-streams=1"


def mlir_sources():
    for top in ("test", "examples"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in sorted(files):
                if f.endswith(".mlir"):
                    yield os.path.join(dirpath, f)


def options_of(text):
    """The machine options of the file's RUN lines, as a fuzz-options line."""
    for run in re.findall(r"//\s*RUN:(.*)", text):
        m = re.search(r"-(?:tgraph-pipeline|tgraph-assign-processors)="
                      r"\"([^\"]*)\"", run)
        if m:
            opts = m.group(1)
            if "mode=calls" in run:
                opts += " mode=calls"
            return "// fuzz-options: " + opts + "\n"
        if "mode=calls" in run or "--lowering=calls" in run:
            return "// fuzz-options: mode=calls\n"
    return ""


def chunks():
    for path in mlir_sources():
        text = open(path, encoding="utf-8").read()
        header = options_of(text)
        for chunk in re.split(r"^// -----.*$", text, flags=re.M):
            lines = [l for l in chunk.splitlines()
                     if l.strip() and not l.lstrip().startswith("//")]
            body = "\n".join(lines) + "\n"
            if not lines or len(body) > MAX_PIPELINE_FILE:
                continue
            yield path, header + body


def write(folder, data):
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def unescape_mlir(s):
    """The bytes of an MLIR string attribute's body."""
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            nxt = s[i + 1]
            if nxt in "\\\"":
                out.append(ord(nxt))
                i += 2
            elif nxt == "n":
                out.append(10)
                i += 2
            elif nxt == "t":
                out.append(9)
                i += 2
            else:
                out.append(int(s[i + 1:i + 3], 16))
                i += 3
        else:
            out += c.encode("utf-8")
            i += 1
    return bytes(out)


def leb128(v):
    out = bytearray()
    while True:
        low = v & 0x7F
        v >>= 7
        out.append(low | 0x80 if v else low)
        if not v:
            return bytes(out)


GLOBAL = re.compile(r'llvm\.mlir\.global internal constant '
                    r'@__tgraph_(program|strings)_([\w$.-]+)\("((?:[^"\\]|\\.)*)"\)')


def programs(tgraph_opt, module_text, options):
    p = subprocess.run([tgraph_opt, "--tgraph-pipeline=" + options,
                        "--convert-tgraph-to-runtime"],
                       input=module_text.encode(), capture_output=True,
                       timeout=60)
    if p.returncode != 0:
        return []
    found = {}
    for kind, graph, body in GLOBAL.findall(p.stdout.decode()):
        found.setdefault(graph, {})[kind] = unescape_mlir(body)
    return [(g["strings"], g["program"]) for g in found.values()
            if "program" in g and "strings" in g]


def hand_made():
    """Programs the lowering does not emit: edge cases of the format."""
    V = 2  # TGRT_PROGRAM_VERSION
    strings = b"record\0gpu_record\0fail\0value_i64\0n\0"
    progs = [
        [V],
        [V, 9, 9, 11, 0, 1, 0],                       # two joins, a dep
        [V, 2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 11, 0, 1, 0,
         18, 0, 0, 18, 1, 1, 19, 1, 1],                # schedule + expect
        [V, 1, 2, 7, 2, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 0, 0, 0, 8, 0, 1, 1],
        [V, 2, 23, 0, 0, 0, 1, 3, 0, 1, 13, 0, 0, 2, 0, 0, 1, 0, 0,
         5, 1, 0, 0, 17, 1, 0, 0, 6, 0, 0, 42],                    # value predicate
        [V, 2, 7, 1, 0, 0, 0, 2, 7, 1, 0, 1, 0, 11, 0, 1, 1],  # device dep
        [V, 12, 1, 14, 0, 15, 0, 1, 16, 1, 2, 9, 17, 0, 3, 1],  # pred ops
        [V, 2, 18, 0, 0, 0, 0, 10, 0, 33, 11, 0, 0, 0],  # self dep, name
    ]
    return [(strings, bytes(b"".join(leb128(x) for x in p))) for p in progs]


def main():
    tgraph_opt = sys.argv[1] if len(sys.argv) > 1 else shutil.which("tgraph-opt")
    if not tgraph_opt:
        sys.exit("gen_seeds.py: give the path of tgraph-opt")
    for sub in ("pipeline", "pipeline-gen", "graph-build", "capi"):
        shutil.rmtree(os.path.join(CORPUS, sub), ignore_errors=True)

    seen_progs = set()
    kernels = set()
    n_pipeline = 0
    for path, text in chunks():
        write(os.path.join(CORPUS, "pipeline"), text.encode())
        n_pipeline += 1
        body = text.split("\n", 1)[1] if text.startswith("// fuzz-") else text
        for opts in (MACHINE,):
            for strings, prog in programs(tgraph_opt, body, opts):
                if (strings, prog) in seen_progs:
                    continue
                seen_progs.add((strings, prog))
                kernels.update(s.decode() for s in strings.split(b"\0") if s)
                write(os.path.join(CORPUS, "graph-build"),
                      leb128(len(strings)) + strings + prog)
    for strings, prog in hand_made():
        write(os.path.join(CORPUS, "graph-build"),
              leb128(len(strings)) + strings + prog)
    for data in (b"", b"\0" * 16, bytes(range(256)), b"\xff" * 64,
                 bytes((i * 37) & 0xFF for i in range(512))):
        write(os.path.join(CORPUS, "capi"), data)
    # pipeline-gen: the bytes only steer ModuleGenerator.h; a few
    # pseudo-random strings of a few sizes (deterministic).
    state = 12345
    for n in (32, 64, 128, 200, 256, 300, 400, 512, 768, 1024):
        data = bytearray()
        for _ in range(n):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            data.append(state >> 16 & 0xFF)
        write(os.path.join(CORPUS, "pipeline-gen"), bytes(data))
    print("pipeline seeds:", n_pipeline)
    print("graph-build seeds:", len(seen_progs) + len(hand_made()))
    print("names in string tables:", " ".join(sorted(kernels)))


if __name__ == "__main__":
    main()
