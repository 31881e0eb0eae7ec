#!/usr/bin/env python3
"""Checks that a Task Bench driver's log can be read by Task Bench's own
METG scripts (scripts/chart_metg.py in StanfordLegion/task-bench).

Those scripts read a log as columns, each the list of every match of one
line pattern in the whole file (leading spaces allowed):

    per run:    Elapsed Time <float> seconds, Total Tasks <int>,
                Total FLOPs <int>, Total Bytes <int>
    per graph:  Iterations: <int>, Output Bytes: <int>, Time Steps: <int>,
                Max Width: <int>            (the -v configuration block)

and require: per-graph columns hold `ngraphs` equal values per run, all
columns then have one value per run, and Total Tasks = ngraphs x steps x
width. This runs a driver (argv[1]) with `-v -iters` on two identical graphs
(`-and`) and checks exactly that, plus that the iteration counts come out in
the order asked for. Standard library only; exits 1 with the reason.

    check_log_format.py build/bin/tgraph-bench
"""

import re
import subprocess
import sys

PER_RUN = {
    "elapsed": r"Elapsed Time ([0-9.e+-]+) seconds",
    "tasks": r"Total Tasks ([0-9]+)",
    "flops": r"Total FLOPs ([0-9]+)",
    "bytes": r"Total Bytes ([0-9]+)",
}
PER_GRAPH = {
    "iterations": r"Iterations: ([0-9]+)",
    "output": r"Output Bytes: ([0-9]+)",
    "steps": r"Time Steps: ([0-9]+)",
    "width": r"Max Width: ([0-9]+)",
}


def column(text, pattern):
    return [m.group(1) for m in
            re.finditer(r"^\s*" + pattern + r"$", text, re.MULTILINE)]


def check(text, ngraphs, iters, steps, width):
    runs = len(column(text, PER_RUN["elapsed"]))
    if runs != len(iters):
        return "%d 'Elapsed Time' lines, expected %d" % (runs, len(iters))
    for name, pattern in PER_RUN.items():
        if len(column(text, pattern)) != runs:
            return "column %s has %d values for %d runs" % (
                name, len(column(text, pattern)), runs)
    per_graph = {}
    for name, pattern in PER_GRAPH.items():
        values = column(text, pattern)
        if len(values) != ngraphs * runs:
            return "column %s has %d values, expected %d graphs x %d runs" % (
                name, len(values), ngraphs, runs)
        groups = [values[i:i + ngraphs] for i in range(0, len(values), ngraphs)]
        if any(len(set(g)) != 1 for g in groups):
            return "column %s differs between the graphs of one run" % name
        per_graph[name] = [int(g[0]) for g in groups]
    if per_graph["iterations"] != iters:
        return "iterations %s, expected %s" % (per_graph["iterations"], iters)
    for r in range(runs):
        tasks = int(column(text, PER_RUN["tasks"])[r])
        if (per_graph["steps"][r], per_graph["width"][r]) != (steps, width):
            return "run %d: steps x width %d x %d, expected %d x %d" % (
                r, per_graph["steps"][r], per_graph["width"][r], steps, width)
        if tasks != ngraphs * steps * width:
            return "run %d: Total Tasks %d != %d graphs x %d x %d" % (
                r, tasks, ngraphs, steps, width)
        if float(column(text, PER_RUN["elapsed"])[r]) <= 0:
            return "run %d: elapsed time is not positive" % r
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    iters, steps, width = [8, 4, 2], 6, 3
    graph = ["-type", "stencil_1d", "-steps", str(steps), "-width", str(width),
             "-kernel", "compute_bound"]
    cmd = [sys.argv[1]] + graph + ["-and"] + graph + [
        "-iters", ",".join(map(str, iters)), "-worker", "2", "-replays", "2",
        "-v"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print("%s: exit %d\n%s" % (" ".join(cmd), proc.returncode, proc.stderr),
              file=sys.stderr)
        return 1
    problem = check(proc.stdout, 2, iters, steps, width)
    if problem:
        print("%s: %s\n%s" % (" ".join(cmd), problem, proc.stdout),
              file=sys.stderr)
        return 1
    print("ok: %s" % " ".join(cmd))
    return 0


if __name__ == "__main__":
    sys.exit(main())
