#!/usr/bin/env python3
"""METG(50%) of tgraph and its peers, measured side by side (Task Bench).

Runs every system (tgraph-bench, taskbench-openmp, taskbench-starpu,
taskbench-serial, taskbench-static) on the Task Bench patterns with the compute_bound kernel,
sweeping -iter downward in powers of 2 (one process per system, pattern and
worker count: `-iters A,B,...` measures each size in turn, `-replays R` times
after a warm-up, and reports the mean). The whole sweep runs `--sweeps` times
(default 3, about 8 minutes on 2 cores); each point is the median of those
means. For each point:

    granularity = elapsed * cores / tasks     (cores = workers; serial: 1)
    efficiency  = FLOP/s / peak               (peak: the best FLOP/s measured
                                               with that many cores, any
                                               system, any pattern)

METG(50%) = the smallest granularity with efficiency >= 50%, interpolated
linearly between the last point at or above 50% and the first below it
(scanning from large to small granularity), as Task Bench defines it.

Writes a Markdown report (table, exact commands, date, machine, load), a
JSON of every point, and a PNG (efficiency vs granularity, one line per
system; needs matplotlib: when this Python lacks it, the plot is drawn by
/usr/bin/python3, Debian's python3-matplotlib). Standard library only.

    bench/taskbench/metg.py --bin build-tb/bin
    bench/taskbench/metg.py --merge a.json,b.json   # re-analyse earlier runs
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import subprocess
import sys
import time

# (name, executable, extra flags). openmp adds a taskwait every 4 timesteps:
# libgomp's dependence tracking slows down with the number of deferred tasks
# (1.6 µs/task for a 250-task chain, 18 µs at 1000, 104 µs at 4000 on one
# thread), so Task Bench's structure (openmp-tb: one taskwait per execution)
# measures that, not the per-task cost.
SYSTEMS = [
    ("tgraph", "tgraph-bench", []),
    ("openmp", "taskbench-openmp", ["-taskwait-every", "4"]),
    ("openmp-tb", "taskbench-openmp", []),
    ("starpu", "taskbench-starpu", []),
    ("serial", "taskbench-serial", []),
    ("static", "taskbench-static", []),
]
# Floors, not peers: the best-peer ratio leaves them out. serial = the task
# bodies in a loop on one core; static = a hand-written static schedule with
# spin flags on `-worker` threads (what the machine can do with no runtime).
FLOORS = {"serial", "static"}
PATTERNS = ["trivial", "stencil_1d", "nearest", "spread", "fft", "tree"]
REPORT = {
    "tasks": re.compile(r"^Total Tasks (\d+)$"),
    "deps": re.compile(r"^Total Dependencies (\d+)$"),
    "flops": re.compile(r"^Total FLOPs (\d+)$"),
    "elapsed": re.compile(r"^Elapsed Time ([0-9.eE+-]+) seconds$"),
    "flops_per_s": re.compile(r"^FLOP/s ([0-9.eE+-]+)$"),
}


def graph_flags(pattern, workers, tasks_per_worker):
    """Task Bench flags of one graph: width = workers (one point per core),
    except nearest and spread with radix 5, which need width >= radix: there
    width = 5 * workers (spread: period = ceil(width / radix), its maximum).
    Steps keep about tasks_per_worker * workers tasks."""
    if pattern in ("nearest", "spread"):
        width = 5 * workers
        flags = ["-radix", "5"]
        if pattern == "spread":
            flags += ["-period", str(-(-width // 5))]
    else:
        width = workers
        flags = []
    steps = max(1, tasks_per_worker * workers // width)
    return ["-type", pattern, "-steps", str(steps), "-width", str(width)] + flags


def parse_blocks(text):
    """The report blocks of a -iters run: [(iter, {field: value})]."""
    blocks, current, it = [], None, None
    for line in text.splitlines():
        m = re.match(r"^Iterations (\d+)$", line)
        if m:
            it = int(m.group(1))
            current = {}
            blocks.append((it, current))
            continue
        for key, rx in REPORT.items():
            m = rx.match(line)
            if m and current is not None:
                current[key] = float(m.group(1))
    return blocks


def metg(points):
    """METG(50%) from points sorted by decreasing granularity.
    Returns (value in seconds or None, note)."""
    if not points:
        return None, "no data"
    if points[0]["efficiency"] < 0.5:
        return None, "never reaches 50%"
    for prev, cur in zip(points, points[1:]):
        if cur["efficiency"] < 0.5:
            g0, e0 = prev["granularity"], prev["efficiency"]
            g1, e1 = cur["granularity"], cur["efficiency"]
            if e0 == e1:
                return g0, ""
            return g1 + (0.5 - e1) * (g0 - g1) / (e0 - e1), ""
    return points[-1]["granularity"], "<="  # every point is >= 50%


def fmt_time(seconds):
    if seconds is None:
        return "—"
    if seconds < 1e-6:
        return "%.0f ns" % (seconds * 1e9)
    if seconds < 1e-3:
        return "%.2f µs" % (seconds * 1e6)
    return "%.2f ms" % (seconds * 1e3)


def machine_description():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d logical CPUs, %s %s" % (
        model or platform.processor(), os.cpu_count() or 0, platform.system(),
        platform.release())


def plot(data, png):
    """Efficiency vs granularity: one panel per (workers, pattern), one line
    per system."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workers = sorted({r["workers"] for r in data["runs"]})
    patterns = [p for p in PATTERNS if any(r["pattern"] == p for r in data["runs"])]
    colors = {"tgraph": "tab:red", "openmp": "tab:blue",
              "openmp-tb": "tab:cyan", "starpu": "tab:green",
              "serial": "tab:gray", "static": "tab:olive"}
    fig, axes = plt.subplots(len(workers), len(patterns), squeeze=False,
                             figsize=(3.2 * len(patterns), 3.0 * len(workers)),
                             sharex=True, sharey=True)
    for wi, w in enumerate(workers):
        for pi, p in enumerate(patterns):
            ax = axes[wi][pi]
            for r in data["runs"]:
                if r["workers"] != w or r["pattern"] != p or not r["points"]:
                    continue
                pts = r["points"]
                ax.plot([q["granularity"] * 1e6 for q in pts],
                        [q["efficiency"] * 100 for q in pts], marker=".",
                        label=r["system"], color=colors.get(r["system"]))
            ax.axhline(50, color="black", lw=0.6, ls="--")
            ax.set_xscale("log")
            ax.set_ylim(0, 105)
            ax.grid(True, which="both", lw=0.3)
            ax.set_title("%s, %d worker%s" % (p, w, "" if w == 1 else "s"),
                         fontsize=9)
            if wi == len(workers) - 1:
                ax.set_xlabel("task granularity (µs)")
            if pi == 0:
                ax.set_ylabel("efficiency (% of peak FLOP/s)")
    handles, labels = [], []
    for row in axes:
        for ax in row:
            for h, l in zip(*ax.get_legend_handles_labels()):
                if l not in labels:
                    handles.append(h)
                    labels.append(l)
    fig.suptitle("Task Bench compute_bound: efficiency vs task granularity; "
                 "METG(50%%) = where a line crosses the dashed 50%% line. "
                 "%s, %s, load average %.1f-%.1f" %
                 (data["machine"], data["date"], data["load_before"],
                  data["load_after"]), fontsize=9, y=0.99)
    fig.legend(handles, labels, loc="upper center", ncol=len(labels),
               bbox_to_anchor=(0.5, 0.955), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.90))
    os.makedirs(os.path.dirname(os.path.abspath(png)), exist_ok=True)
    fig.savefig(png, dpi=110)


def write_markdown(data, path):
    runs = data["runs"]
    workers = sorted({r["workers"] for r in runs})
    systems = [s for s, _, _ in SYSTEMS if any(r["system"] == s for r in runs)]
    lines = []
    lines.append("# Task Bench METG(50%): tgraph vs peers\n")
    lines.append("Measured by `bench/taskbench/metg.py`: %d sweeps, started %s." %
                 (len(data["sweeps"]), data["date"]))
    lines.append("Machine: %s, shared with other jobs (compiler builds). Load "
                 "average (1 min) at the start / end of each sweep: %s; per run "
                 "in the JSON.\n" % (data["machine"], ", ".join(
                     "%.1f / %.1f" % (sw["load_before"], sw["load_after"])
                     for sw in data["sweeps"])))
    lines.append("Kernel compute_bound (128 FLOP per iteration), -iter swept "
                 "over %s; each size: %d warm-up + %d timed executions of the "
                 "graph, mean elapsed, then the median of that mean over the "
                 "sweeps. granularity = elapsed × cores / tasks; "
                 "efficiency = FLOP/s ÷ peak, peak = best FLOP/s measured with "
                 "the same number of cores (any system, any pattern): %s. "
                 "METG(50%%) interpolated linearly between the last point at "
                 "or above 50%% and the first below.\n" %
                 (",".join(str(i) for i in data["iters"]), data["warmup"],
                  data["replays"],
                  ", ".join("%d core%s: %.3g GFLOP/s" % (
                      w, "" if w == 1 else "s", data["peak"][str(w)] / 1e9)
                            for w in workers)))
    def table(key):
        header = "| pattern |"
        sep = "|---|"
        for w in workers:
            for s in systems:
                if s == "serial" and w != 1:
                    continue
                header += " %s (%dw) |" % (s, w)
                sep += "---|"
            header += " best peer ÷ tgraph (%dw) |" % w
            sep += "---|"
        lines.append(header)
        lines.append(sep)
        patterns = [p for p in PATTERNS if any(r["pattern"] == p for r in runs)]
        for p in patterns:
            row = "| %s |" % p
            for w in workers:
                tg, best = None, None
                for s in systems:
                    if s == "serial" and w != 1:
                        continue
                    r = next((r for r in runs if r["system"] == s and
                              r["pattern"] == p and r["workers"] == w), None)
                    if r is None:
                        row += " n/a |"
                        continue
                    if r.get("error"):
                        row += " failed |"
                        continue
                    v, note = r[key], r[key + "_note"]
                    cell = fmt_time(v) if v is not None else note
                    if note == "<=" and v is not None:
                        cell = "≤ " + fmt_time(v)
                    row += " %s |" % cell
                    if s == "tgraph":
                        tg = v
                    elif s not in FLOORS and v is not None:
                        best = v if best is None else min(best, v)
                if tg and best:
                    row += " %.1f× |" % (best / tg)
                else:
                    row += " — |"
            lines.append(row)

    lines.append("### METG(50%) against the machine's peak (Task Bench's definition)\n")
    table("metg")
    lines.append("")
    lines.append("### METG(50%) against each run's own best FLOP/s (robust to a "
                 "busy machine: a run slowed down as a whole keeps its METG)\n")
    table("metg_own")
    lines.append("")
    lines.append("`serial` is the zero-overhead floor (a plain loop calling the "
                 "same task body, one core). ≤ means every measured point "
                 "reached 50% (the METG is at most the smallest granularity "
                 "measured). openmp = OpenMP tasks with a taskwait every 4 "
                 "timesteps; openmp-tb = Task Bench's structure (one taskwait "
                 "per execution), which libgomp's dependence tracking slows "
                 "down as deferred tasks pile up. StarPU runs with its default "
                 "scheduler (lws). `static` is the multi-core floor: a "
                 "hand-written static schedule (each worker owns a block of "
                 "points and spins on per-point progress flags), no runtime. "
                 "The best-peer ratio excludes the floors (serial, static).\n")
    lines.append("## Commands\n")
    lines.append("```sh")
    lines.append(data["command"])
    lines.append("# each sweep runs:")
    for r in runs:
        lines.append(r["command"])
    lines.append("```\n")
    lines.append("## Points\n")
    lines.append("All points (iter, elapsed, granularity, efficiency, load "
                 "average) are in `%s`; the plot is `%s`.\n" %
                 (os.path.relpath(data["json"], data["root"]),
                  os.path.relpath(data["png"], data["root"])
                  if data.get("png") else "(none)"))
    with open(path, "w") as f:
        f.write("\n".join(lines))


def run_sweep(args, root, iters):
    """One sweep: every system, pattern and worker count once."""
    tools = {s: (exe, extra) for s, exe, extra in SYSTEMS}
    sweep = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
             "load_before": os.getloadavg()[0], "runs": []}
    start = time.time()
    for w in [int(w) for w in args.workers.split(",")]:
        for p in args.patterns.split(","):
            for s in args.systems.split(","):
                if s == "serial" and w != 1:
                    continue  # one core only
                exe = os.path.join(args.bin, tools[s][0])
                if not os.path.exists(exe):
                    print("skip %s: %s not built" % (s, exe), file=sys.stderr)
                    continue
                cmd = [exe] + graph_flags(p, w, args.tasks_per_worker) + [
                    "-kernel", "compute_bound", "-iters",
                    ",".join(str(i) for i in iters), "-worker", str(w),
                    "-replays", str(args.replays), "-warmup", str(args.warmup),
                    "-v"  # Task Bench's configuration block, for its scripts
                ] + tools[s][1]
                shown = " ".join(shlex.quote(os.path.relpath(c, root)
                                             if c == exe else c) for c in cmd)
                load = os.getloadavg()[0]
                t0 = time.time()
                env = dict(os.environ, STARPU_SILENT="1")
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if args.logs:
                    # Task Bench's log layout (scripts/chart_util.py parses
                    # the name; each sweep appends one repetition).
                    os.makedirs(args.logs, exist_ok=True)
                    log = os.path.join(args.logs, "%s_%dw_ngraphs_1_type_%s_nodes_1.log"
                                       % (s.replace("-", ""), w, p))
                    with open(log, "a") as f:
                        f.write(proc.stdout)
                run = {"system": s, "pattern": p, "workers": w,
                       "cores": 1 if s == "serial" else w, "command": shown,
                       "load": load, "wall": time.time() - t0, "points": []}
                if proc.returncode != 0:
                    run["error"] = proc.stderr.strip()[-2000:]
                    print("FAILED: %s\n%s" % (shown, run["error"]), file=sys.stderr)
                for it, b in parse_blocks(proc.stdout):
                    if "elapsed" not in b:
                        continue
                    run["points"].append({
                        "iter": it, "elapsed": b["elapsed"], "tasks": int(b["tasks"]),
                        "flops": b["flops"], "flops_per_s": b["flops_per_s"]})
                sweep["runs"].append(run)
                print("%-9s %-10s %dw  %5.1fs  load %.2f" % (s, p, w, run["wall"], load),
                      file=sys.stderr)
    sweep["load_after"] = os.getloadavg()[0]
    sweep["seconds"] = time.time() - start
    return sweep


def merge(sweeps):
    """One run per (system, pattern, workers); each point's elapsed is the
    median over the sweeps (each already the mean of -replays executions)."""
    keyed = {}
    for sw in sweeps:
        for r in sw["runs"]:
            k = (r["system"], r["pattern"], r["workers"])
            m = keyed.setdefault(k, dict(r, points=[], samples={}, errors=[]))
            if r.get("error"):
                m["errors"].append(r["error"])
            for q in r["points"]:
                m["samples"].setdefault(q["iter"], []).append(q)
    runs = []
    for k, m in keyed.items():
        for it, qs in m.pop("samples").items():
            el = sorted(q["elapsed"] for q in qs)
            med = el[len(el) // 2] if len(el) % 2 else 0.5 * (el[len(el) // 2 - 1] + el[len(el) // 2])
            flops = qs[0].get("flops", qs[0]["flops_per_s"] * qs[0]["elapsed"])
            m["points"].append({
                "iter": it, "elapsed": med, "elapsed_samples": el,
                "tasks": qs[0]["tasks"], "flops_per_s": flops / med if med else 0.0,
                "granularity": med * m["cores"] / qs[0]["tasks"]})
        m["error"] = "; ".join(m.pop("errors")) or None
        runs.append(m)
    return runs


def analyze(data):
    """Peak per core count, efficiencies and METG (both definitions)."""
    peak = {}
    for r in data["runs"]:
        for q in r["points"]:
            peak[r["cores"]] = max(peak.get(r["cores"], 0.0), q["flops_per_s"])
    data["peak"] = {str(c): v for c, v in peak.items()}
    for r in data["runs"]:
        for q in r["points"]:
            q["efficiency"] = q["flops_per_s"] / peak[r["cores"]] if peak[r["cores"]] else 0
        r["points"].sort(key=lambda q: -q["iter"])
        r["metg"], r["metg_note"] = metg(r["points"])
        # Load-robust variant: each run against its own best FLOP/s (a busy
        # machine lowers a whole run, not the machine's peak).
        own = max((q["flops_per_s"] for q in r["points"]), default=0.0)
        selfpts = [dict(q, efficiency=q["flops_per_s"] / own if own else 0)
                   for q in r["points"]]
        r["peak_own"] = own
        r["metg_own"], r["metg_own_note"] = metg(selfpts)


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(root, "build", "bin"),
                    help="folder with tgraph-bench and taskbench-* (default: build/bin)")
    ap.add_argument("--systems", default=",".join(s for s, _, _ in SYSTEMS))
    ap.add_argument("--patterns", default=",".join(PATTERNS))
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--tasks-per-worker", type=int, default=1000,
                    help="tasks per worker (-steps = this x workers / width)")
    ap.add_argument("--max-log2-iter", type=int, default=15)
    ap.add_argument("--min-log2-iter", type=int, default=0)
    ap.add_argument("--replays", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--sweeps", type=int, default=3,
                    help="whole sweeps; each point takes the median over them "
                         "(a 2-core machine shared with other jobs has load bursts)")
    ap.add_argument("--merge", help="comma-separated JSONs of earlier runs of this "
                    "script (same flags): merge their sweeps instead of measuring")
    ap.add_argument("--md", default=os.path.join(root, "bench", "results", "taskbench-metg.md"))
    ap.add_argument("--json", default=os.path.join(root, "bench", "results", "taskbench-metg.json"))
    ap.add_argument("--png", default=os.path.join(root, "docs", "images", "metg-efficiency.png"))
    ap.add_argument("--logs", help="also write each run's output here, one "
                    "file per system, worker count and pattern, named and "
                    "formatted as Task Bench's METG scripts expect "
                    "(<name>_ngraphs_1_type_<pattern>_nodes_1.log)")
    ap.add_argument("--plot-from", help="only draw the plot from this JSON")
    args = ap.parse_args()

    if args.plot_from:
        with open(args.plot_from) as f:
            plot(json.load(f), args.png)
        return 0

    iters = [2 ** k for k in range(args.max_log2_iter, args.min_log2_iter - 1, -1)]
    data = {
        "machine": machine_description(),
        "command": " ".join(shlex.quote(a) for a in [sys.argv[0]] + sys.argv[1:]),
        "iters": iters, "replays": args.replays, "warmup": args.warmup,
        "root": root, "json": os.path.abspath(args.json),
        "png": os.path.abspath(args.png),
    }
    if args.merge:
        sweeps, commands = [], []
        for path in args.merge.split(","):
            with open(path) as f:
                old = json.load(f)
            commands += [c for c in old["command"].split("\n") if c not in commands]
            for sw in old.get("sweeps") or [old]:  # first version: one sweep
                sweeps.append({k: sw[k] for k in ("date", "load_before", "load_after", "runs")})
            data.update(iters=old["iters"], replays=old["replays"], warmup=old["warmup"],
                        machine=old["machine"])
        data["command"] = "\n".join(
            ["# measured by (once per input; one sweep each):"] + commands +
            ["# merged by:", data["command"]])
    else:
        sweeps = [run_sweep(args, root, iters) for _ in range(args.sweeps)]
    data["sweeps"] = sweeps
    data["date"] = ", ".join(sw["date"] for sw in sweeps)
    data["load_before"] = min(sw["load_before"] for sw in sweeps)
    data["load_after"] = max(sw["load_after"] for sw in sweeps)
    data["runs"] = merge(sweeps)
    analyze(data)

    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    try:
        import matplotlib  # noqa: F401
        plot(data, args.png)
    except ImportError:
        if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
            subprocess.run(["/usr/bin/python3", os.path.abspath(__file__),
                            "--plot-from", args.json, "--png", args.png], check=False)
        else:
            print("no matplotlib: plot skipped", file=sys.stderr)
            data["png"] = None
    write_markdown(data, args.md)
    print("wrote %s, %s, %s" % (args.md, args.json, args.png), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
