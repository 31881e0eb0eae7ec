#!/usr/bin/env python3
"""Feeds tgraph-opt malformed input and checks it never crashes.

Every .mlir input under the given folders is cut at every line (each
`// -----` chunk separately), the generic form of every tgraph op is
mutated (operands dropped, attributes removed or retyped, result types
changed), and a fixed-seed set of random token edits is made to the inputs
as written (tokens replaced, dropped, copied; lines repeated or dropped). Each run must exit 0, or exit 1 with an `error:` diagnostic that
names a location; a signal, an abort or any other exit code fails the test.
"""
import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys


def run(tool, text, extra=()):
    proc = subprocess.run([tool, "-", *extra], input=text.encode(),
                          capture_output=True, timeout=60)
    return proc.returncode, proc.stderr.decode(errors="replace")


def ok(code, err):
    return code == 0 or (
        code == 1 and re.search(r"(<stdin>|loc\(|-):\d+:\d+: error:", err))


# Each input is parsed alone and also pushed through the whole pipeline and
# the lowering to the LLVM dialect (graph programs), so
# that passes meet malformed-but-valid IR too.
MODES = [[], ["--tgraph-pipeline=gpus=1", "--tgraph-lower-to-llvm"]]


def check_one(job, mode):
    tool, name, text = job
    code, err = run(tool, text, mode)
    if ok(code, err):
        return None
    return (f"{name} {' '.join(mode)}: exit {code}\n--- input ---\n{text}\n"
            f"--- stderr ---\n{err[-2000:]}")


def check_batch(batch):
    """Runs a batch in one process (-split-input-file); on a bad exit, runs
    each input alone to name the culprit."""
    tool = batch[0][0]
    text = "\n// -----\n".join(t for _, _, t in batch)
    failures = []
    for mode in MODES:
        code, err = run(tool, text, ["-split-input-file", *mode])
        errors = len(re.findall(r":\d+:\d+: error:", err))
        if code == 0 or (ok(code, err) and errors >= 1):
            continue
        failures += [r for r in (check_one(j, mode) for j in batch) if r]
    return failures


def chunks(path):
    with open(path) as f:
        text = f.read()
    # RUN lines and FileCheck directives do not matter to the parser.
    return [c for c in re.split(r"^// -----.*$", text, flags=re.M) if c.strip()]


def truncations(inputs):
    for path in inputs:
        for ci, chunk in enumerate(chunks(path)):
            lines = chunk.splitlines(keepends=True)
            for k in range(1, len(lines)):
                yield f"{path}#{ci}:cut@{k}", "".join(lines[:k])


MUTATIONS = [
    # Drop the first operand.
    (r'\((%[\w#]+), ', r'('),
    # Drop every property.
    (r'<\{.*\}>', r''),
    # Lose the operand segment sizes.
    (r'operandSegmentSizes = array<i32: [^>]*>', r'operandSegmentSizes = array<i32: 9, 9, 9>'),
    (r'operandSegmentSizes = array<i32: [^>]*>', r'operandSegmentSizes = array<i32: 1>'),
    # Retype attributes.
    (r'kernel = @\w+', r'kernel = 3 : i64'),
    (r'access = \[[^\]]*\]', r'access = [1 : i32]'),
    (r'access = \[[^\]]*\]', r'access = 1'),
    (r'else_values = \[[^\]]*\]', r'else_values = ["x"]'),
    (r'dep_kinds = \[[^\]]*\]', r'dep_kinds = [#tgraph.access<read>]'),
    (r'placement = #tgraph.proc<[^>]*>', r'placement = #tgraph.dep<host>'),
    (r'function_type = \([^)]*\) -> [^,]*', r'function_type = i32'),
    (r'function_type = ', r'function_typo = '),
    (r'target = #tgraph<target \w+>', r'target = 5 : i32'),
    (r'value = [^,}]*', r'value = "str"'),
    (r'size = \d+ : i64', r'size = "big"'),
    (r'sym_name = "\w+"', r'sym_name = 1 : i32'),
    # Wrong result and operand types.
    (r'-> !tgraph.event$', r'-> f32'),
    (r'-> \(!tgraph.event, ', r'-> (i1, '),
    (r': \(\) -> ', r': (f32) -> '),
    (r'!tgraph.pred\) ->', r'!tgraph.event) ->'),
    (r'!tgraph.value<(\w+)>', r'!tgraph.value<!tgraph.event>'),
    # Extra result.
    (r'-> !tgraph.event$', r'-> (!tgraph.event, !tgraph.event)'),
    # The discardable attributes passes write and read back.
    (r'tgraph.queue_pos = \d+ : i64', r'tgraph.queue_pos = #tgraph.proc<cpu 0>'),
    (r'tgraph.queue_pos = \d+ : i64', r'tgraph.queue_pos = -5 : i64'),
    (r'tgraph.dep_count = \d+ : i64', r'tgraph.dep_count = "n"'),
    (r'tgraph.pred_group = \d+ : i64', r'tgraph.pred_group = 0 : i8'),
    (r'\{tgraph.scheduled\}', r'{tgraph.scheduled = 1 : i64}'),
]


def generic_mutations(tool, inputs):
    for path in inputs:
        for ci, chunk in enumerate(chunks(path)):
            code, _ = run(tool, chunk)
            if code != 0:
                continue
            proc = subprocess.run([tool, "-", "--mlir-print-op-generic"],
                                  input=chunk.encode(), capture_output=True)
            lines = proc.stdout.decode().splitlines(keepends=True)
            for li, line in enumerate(lines):
                if '"tgraph.' not in line:
                    continue
                for mi, (pattern, repl) in enumerate(MUTATIONS):
                    mutated = re.sub(pattern, repl, line.rstrip("\n"), count=1)
                    if mutated == line.rstrip("\n"):
                        continue
                    text = "".join(lines[:li]) + mutated + "\n" + "".join(lines[li + 1:])
                    yield f"{path}#{ci}:line{li}:mutation{mi}", text


# Tokens of the custom syntax, for the random edits: keywords, placements,
# types, ids, and the discardable attributes the passes read back.
TOKENS = [
    "0", "1", "-1", "4294967296", "%0", "%x", "@k", "host", "gpu", "device",
    "read", "write", "read_write", "reduce_add", "wait", "guarded", "else",
    "on", "await", "if", "not", "stream_ordered", "physical", ",", "(", ")",
    "[", "]", "{", "}", "<", ">", ":", "->", "=", "?", "x",
    "#tgraph.proc<gpu 0, stream 0>", "#tgraph.proc<cpu 0>",
    "#tgraph.proc<gpu 0, copy 0>", "!tgraph.event", "!tgraph.pred",
    "!tgraph.value<f64>", "!tgraph.buffer<f64 x 4, host>", "f64", "i1", "i64",
    "tgraph.task", "tgraph.copy", "tgraph.join", "tgraph.yield",
    "tgraph.pred.and", "tgraph.pred.not", "tgraph.pred.from",
    "{tgraph.queue_pos = 0 : i64}", "{tgraph.queue_pos = #tgraph.proc<cpu 0>}",
    "{tgraph.dep_count = 7 : i64}", "{tgraph.pred_group = 0 : i64}",
]
TOKEN_RE = re.compile(r'%[\w#]+|@\w+|#[\w.]+<[^<>]*>|![\w.]+(?:<[^<>]*>)?'
                      r'|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|[\w.]+|"[^"]*"|\S')


def token_mutations(inputs, count, seed):
    rng = random.Random(seed)
    texts = []
    for path in inputs:
        for ci, chunk in enumerate(chunks(path)):
            if "tgraph." in chunk:
                texts.append((f"{path}#{ci}", chunk))
    for i in range(count if texts else 0):
        name, text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            spans = [m.span() for m in TOKEN_RE.finditer(text)]
            lines = text.splitlines() or [""]
            r = rng.random()
            if spans and r < 0.35:
                a, b = rng.choice(spans)
                text = text[:a] + rng.choice(TOKENS) + text[b:]
            elif spans and r < 0.55:
                a, b = rng.choice(spans)
                text = text[:a] + text[b:]
            elif spans and r < 0.7:
                (a, b), (c, d) = rng.choice(spans), rng.choice(spans)
                text = text[:a] + text[c:d] + text[b:]
            elif r < 0.85:
                lines.insert(rng.randrange(len(lines) + 1),
                             rng.choice(lines))
                text = "\n".join(lines)
            else:
                del lines[rng.randrange(len(lines))]
                text = "\n".join(lines)
        yield f"{name}:random{i}", text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--random", type=int, default=1500,
                    help="random token edits to make (fixed seed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    inputs = sorted(
        os.path.join(root, f)
        for d in args.dirs for root, _, files in os.walk(d)
        for f in files if f.endswith(".mlir") and "Integration" not in root)
    jobs = [(args.tool, n, t) for n, t in truncations(inputs)]
    jobs += [(args.tool, n, t) for n, t in generic_mutations(args.tool, inputs)]
    jobs += [(args.tool, n, t)
             for n, t in token_mutations(inputs, args.random, args.seed)]
    failures = []
    batches = [jobs[i:i + 40] for i in range(0, len(jobs), 40)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        for result in ex.map(check_batch, batches):
            failures.extend(result)
    print(f"robustness: {len(jobs)} runs over {len(inputs)} files, "
          f"{len(failures)} failures")
    for f in failures[:10]:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
