#!/usr/bin/env python3
"""The PicoSAM3 CPU benchmark (./picosam.sh bench; docs/performance.md).

In one invocation on this machine, batch 1, the 1x3x96x96 sample crop,
PicoSAM3 with the shipped weights:
  - picosam's compiled program (picosam-compile --target=cpu --emit=exe):
    INT8 (cpu profile), INT8 (imx500 profile), FP32; 1 and 2 threads when
    the program has --threads;
  - ONNX Runtime (onnxruntime-node, installed here under BUILD/bench/node):
    FP32 on models/picosam3.onnx and INT8 on torch FX's QDQ export, graph
    optimisation levels all and extended (the faster reported), 1 and 2
    intra-op threads;
  - PyTorch: FP32 and FX INT8, 1 thread;
  - the compute floor: picosam-floor's measured peaks turned into the least
    time PicoSAM3's MACs (picosam-opt --pico-model-summary) take on one core.
Every configuration runs in --rounds rounds, interleaved, each a fresh
process timing runs/rounds runs after its warm-up, so a noisy neighbour
shows as spread between rounds instead of as a wrong ratio. Prints one
table (p50, p90, the spread of the rounds' p50s, ratios) and writes it with
every run's latency to BUILD/bench/bench.json; then the per-op profile of
the INT8 program (picosam-compile --profile-kernels, the program's
--profile) against the INT8 floor.
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "picosam3.onnx")
DATA = os.path.join(ROOT, "models", "data")
SAMPLE = os.path.join(DATA, "sample_input.npy")
REFERENCE = os.path.join(DATA, "sample_logits.npy")
ORT_VERSION = "1.31.1"
PYTHON = sys.executable


def say(message):
    print(f"[bench] {message}", flush=True)


def run(cmd, env=None):
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench: {' '.join(cmd)} exited with {result.returncode}")
    return result.stdout


def newer(path, sources):
    """Whether `path` exists and is newer than every file in `sources`."""
    return os.path.exists(path) and all(
        os.path.getmtime(path) > os.path.getmtime(s) for s in sources if os.path.exists(s))


def mask_agreement(logits):
    reference = np.load(REFERENCE)
    return float(((np.asarray(logits).reshape(reference.shape) > 0) == (reference > 0)).mean())


# ----------------------------------------------------------------------------
# Preparation: the floor, the programs, ONNX Runtime, the QDQ model.


def measure_floor(bin_dir, work):
    imported = os.path.join(work, "picosam3.imported.mlir")
    run([os.path.join(bin_dir, "picosam-compile"), MODEL, "--to=imported", "-o", imported])
    summary = subprocess.run([os.path.join(bin_dir, "picosam-opt"), imported,
                              "--pico-model-summary", "-o", os.devnull],
                             capture_output=True, text=True)
    macs = int(re.search(r"MACs: (\d+)", summary.stdout + summary.stderr).group(1))
    floor = {}
    for line in run([os.path.join(bin_dir, "picosam-floor"), "--macs", str(macs)]).splitlines():
        key, value = line.split(maxsplit=1)
        floor[key] = value if key.endswith("_isa") else float(value)
    floor["macs"] = macs
    return floor


def best_floor(a, b):
    """The higher peaks of two measurements (before and after the runs)."""
    return a if a["int8_gmacs"] + a["fp32_gflops"] >= b["int8_gmacs"] + b["fp32_gflops"] else b


# name: (planning options, profile), tiled as ./picosam.sh demo compiles: the
# separable blocks whose intermediate has at least TILE_MIN_BYTES run row by
# row (docs/memory.md, "Tiling separable blocks").
TILE_MIN_BYTES = 131072
PROGRAMS = {
    "int8-cpu": ["--calibration-data=" + os.path.join(DATA, "calibration.npz")],
    "int8-imx500": ["--calibration-data=" + os.path.join(DATA, "calibration.npz"),
                    "--profile=imx500"],
    "fp32": [],
}


def compile_programs(bin_dir, lib_dir, work):
    """The compiled programs (rebuilt when the compiler, its runtime or the
    model changed), and the INT8 cpu one with --profile-kernels."""
    compiler = os.path.join(bin_dir, "picosam-compile")
    sources = [compiler, MODEL] + [os.path.join(lib_dir, f) for f in os.listdir(lib_dir)
                                   if f.endswith(".a")]
    programs = {}
    for name, options in PROGRAMS.items():
        planned = os.path.join(work, f"picosam3-{name}.planned.mlir")
        if not newer(planned, [compiler, MODEL]):
            say(f"planning {name} (INT8 calibrates on the shipped crops: about a minute)")
            run([compiler, MODEL, "--to=planned", "--plan-tile-separable-blocks",
                 f"--plan-tile-min-bytes={TILE_MIN_BYTES}", *options,
                 "-o", planned])
        variants = [("", [])] + ([("-profiled", ["--profile-kernels"])]
                                 if name == "int8-cpu" else [])
        for suffix, extra in variants:
            program = os.path.join(work, f"picosam3-{name}{suffix}")
            if not newer(program, sources + [planned]):
                say(f"compiling {name}{suffix} to {program}")
                run([compiler, planned, "--target=cpu", "--emit=exe", *extra, "-o", program])
            programs[name + suffix] = program
    return programs


def install_onnxruntime(work):
    """onnxruntime-node under work/node; None (and why) when npm cannot."""
    node_dir = os.path.join(work, "node")
    package = os.path.join(node_dir, "node_modules", "onnxruntime-node", "package.json")
    if os.path.exists(package):
        return node_dir, None
    if not shutil.which("npm") or not shutil.which("node"):
        return None, "node and npm are not installed"
    os.makedirs(node_dir, exist_ok=True)
    say(f"installing onnxruntime-node {ORT_VERSION} with npm into {node_dir}")
    # The install script only fetches GPU providers (from NuGet): the CPU
    # binaries are in the npm package.
    env = dict(os.environ, ONNXRUNTIME_NODE_INSTALL="skip")
    result = subprocess.run(["npm", "install", "--prefix", node_dir, "--no-audit", "--no-fund",
                             f"onnxruntime-node@{ORT_VERSION}"],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return None, "npm install onnxruntime-node failed: " + result.stderr.strip()[-300:]
    return node_dir, None


def export_qdq(work):
    path = os.path.join(work, "picosam3_qdq_fx.onnx")
    script = os.path.join(ROOT, "bench", "torch_runner.py")
    if not newer(path, [MODEL, script]):
        say("quantizing PicoSAM3 with torch FX and exporting it as QDQ ONNX")
        run([PYTHON, script, "export-qdq", path])
    return path


# ----------------------------------------------------------------------------
# Configurations: each times `runs` runs after its warm-up in a fresh process.


class Config:
    def __init__(self, name, runtime, precision, threads, runner, group=None):
        self.name, self.runtime, self.precision, self.threads = name, runtime, precision, threads
        self.runner = runner          # runs -> (latencies, mask agreement or None)
        self.group = group or name    # configurations of a group: the fastest is reported
        self.latencies, self.round_p50s = [], []
        self.mask_agreement = None

    def run_round(self, runs):
        latencies, agreement = self.runner(runs)
        self.latencies += latencies
        self.round_p50s.append(float(np.median(latencies)))
        if agreement is not None:
            self.mask_agreement = agreement


def picosam_runner(program, threads, warmup, work):
    def runner(runs):
        latencies_path = os.path.join(work, "latencies.txt")
        output = os.path.join(work, "logits.npy")
        cmd = [program, "--input", SAMPLE, "--output", output, "--bench", str(runs + warmup),
               "--latencies", latencies_path]
        if threads > 1:
            cmd += ["--threads", str(threads)]
        run(cmd)
        latencies = [float(line) for line in open(latencies_path)][warmup:]
        return latencies, mask_agreement(np.load(output))
    return runner


def ort_runner(node_dir, model, level, threads, warmup, work):
    script = os.path.join(ROOT, "bench", "ort_runner.js")
    raw_input = os.path.join(work, "sample_input.f32")
    if not os.path.exists(raw_input):
        np.load(SAMPLE).astype("<f4").tofile(raw_input)

    def runner(runs):
        output = os.path.join(work, "ort_logits.f32")
        env = dict(os.environ, NODE_PATH=os.path.join(node_dir, "node_modules"))
        result = json.loads(run(["node", script, model, raw_input, "--threads", str(threads),
                                 "--level", level, "--runs", str(runs), "--warmup", str(warmup),
                                 "--output", output], env=env))
        return result["latencies_ms"], mask_agreement(np.fromfile(output, dtype="<f4"))
    return runner


def torch_runner(precision, warmup, work):
    script = os.path.join(ROOT, "bench", "torch_runner.py")

    def runner(runs):
        output = os.path.join(work, "torch_logits.npy")
        result = json.loads(run([PYTHON, script, "run", "--precision", precision,
                                 "--runs", str(runs), "--warmup", str(warmup),
                                 "--output", output]).splitlines()[-1])
        return result["latencies_ms"], mask_agreement(np.load(output))
    return runner


def has_threads_option(program):
    return "--threads" in subprocess.run([program, "--help"], capture_output=True,
                                         text=True).stdout


# ----------------------------------------------------------------------------
# Results


def percentile(values, p):
    """Nearest rank, as the compiled program's --bench."""
    ordered = sorted(values)
    return ordered[max(int(np.ceil(p / 100 * len(ordered))), 1) - 1]


def summarize(config):
    return {"name": config.name, "runtime": config.runtime, "precision": config.precision,
            "threads": config.threads, "runs": len(config.latencies),
            "p50_ms": percentile(config.latencies, 50), "p90_ms": percentile(config.latencies, 90),
            "round_p50_ms": config.round_p50s, "mask_agreement": config.mask_agreement,
            "latencies_ms": config.latencies}


def best_of_groups(rows):
    """One row per group: the configuration with the lowest p50 (ONNX
    Runtime's optimisation levels)."""
    best = {}
    for row, group in rows:
        if group not in best or row["p50_ms"] < best[group][0]["p50_ms"]:
            best[group] = (row, group)
    return [row for row, _ in best.values()]


def print_table(rows, floor, notes):
    picosam = {(r["precision"], r["threads"]): r for r in rows if r["runtime"] == "picosam"}
    picosam.setdefault(("int8", 1), picosam.get(("int8-cpu", 1)))
    header = (f"{'configuration':<50} {'thr':>3} {'p50 ms':>8} {'p90 ms':>8} "
              f"{'rounds p50 ms':>15} {'x floor':>8} {'picosam x':>9} {'mask':>6}")
    print(header)
    print("-" * len(header))
    for row in rows:
        precision = "int8" if row["precision"].startswith("int8") else "fp32"
        floor_ms = floor[f"{precision}_floor_ms"] / row["threads"]
        row["x_floor"] = row["p50_ms"] / floor_ms
        # picosam's INT8 cpu program stands for picosam's INT8.
        ours = picosam.get(("int8-cpu" if precision == "int8" else "fp32", row["threads"]))
        row["picosam_speedup"] = (row["p50_ms"] / ours["p50_ms"]
                                  if ours and row["runtime"] != "picosam" else None)
        spread = f"{min(row['round_p50_ms']):.2f}-{max(row['round_p50_ms']):.2f}"
        speedup = f"{row['picosam_speedup']:.2f}" if row["picosam_speedup"] else "-"
        agreement = (f"{100 * row['mask_agreement']:.1f}%"
                     if row["mask_agreement"] is not None else "-")
        print(f"{row['name']:<50} {row['threads']:>3} {row['p50_ms']:>8.2f} {row['p90_ms']:>8.2f} "
              f"{spread:>15} {row['x_floor']:>8.2f} {speedup:>9} {agreement:>6}")
    print(f"{'floor: INT8 ' + floor['int8_isa']:<50} {1:>3} {floor['int8_floor_ms']:>8.3f} "
          f"({floor['int8_gmacs']:.1f} GMAC/s per core)")
    print(f"{'floor: FP32 ' + floor['fp32_isa']:<50} {1:>3} {floor['fp32_floor_ms']:>8.3f} "
          f"({floor['fp32_gflops']:.1f} GFLOP/s per core)")
    print("p50/p90 over every run of every round; 'rounds p50' the lowest and highest round's p50; "
          "'x floor' p50 / (floor / threads); 'picosam x' the row's p50 / picosam's of the same "
          "precision and threads (> 1: picosam faster); 'mask' the sample mask's pixels equal to "
          "PyTorch FP32's.")
    for note in notes:
        print("note: " + note)


def profile_ops(program, floor, runs):
    """The profiled INT8 program's ops, slowest first, with their floors."""
    out = run([program, "--input", SAMPLE, "--bench", str(runs), "--profile"])
    ops = []
    for line in out.split("profile:", 1)[1].splitlines()[2:]:
        fields = line.split(None, 5)
        if len(fields) < 6 or line.endswith("total of the kernel calls"):
            continue
        ms, macs, calls, name = float(fields[0]), int(fields[2]), int(fields[4]), fields[5]
        floor_ms = macs / (floor["int8_gmacs"] * 1e6)
        ops.append({"op": name, "ms": ms, "macs": macs, "calls": calls,
                    "floor_ms": floor_ms, "x_floor": ms / floor_ms if floor_ms else None})
    return ops


def print_profile(ops, top):
    total = sum(op["ms"] for op in ops)
    print(f"\nprofile of the INT8 (cpu profile) program, per run, the {top} slowest of "
          f"{len(ops)} ops (total {total:.2f} ms of kernel calls):")
    print(f"  {'ms':>8} {'share':>6} {'MACs':>10} {'x floor':>8}  op")
    for op in sorted(ops, key=lambda op: -op["ms"])[:top]:
        x_floor = f"{op['x_floor']:.1f}" if op["x_floor"] else "-"
        print(f"  {op['ms']:>8.3f} {100 * op['ms'] / total:>5.1f}% {op['macs']:>10} "
              f"{x_floor:>8}  {op['op']}")


def job_overhead(program, runs):
    """The whole box-prompt job (crop, normalise, network, mask; no file
    I/O) against the network alone, on the first shipped scene."""
    boxes = json.load(open(os.path.join(DATA, "scenes", "boxes.json")))["scenes"][0]
    out = run([program, "--image", os.path.join(DATA, "scenes", boxes["file"]),
               "--box", ",".join(map(str, boxes["box"])), "--bench", str(runs)])
    network = float(re.search(r"network\s+([\d.]+)", out).group(1))
    job = float(re.search(r"job \(crop\.\.mask\)\s+([\d.]+)", out).group(1))
    return {"network_p50_ms": network, "job_p50_ms": job, "ratio": job / network}


def check_goals(rows, floor, job):
    """Issue 14's goals on this run's table: (goal, measured, met)."""
    def p50(runtime, precision, threads):
        times = [r["p50_ms"] for r in rows if r["runtime"] == runtime
                 and r["precision"] == precision and r["threads"] == threads]
        return min(times) if times else None

    goals = []
    ours_int8, ours_fp32 = p50("picosam", "int8-cpu", 1), p50("picosam", "fp32", 1)
    ort_int8, ort_fp32 = p50("onnxruntime", "int8", 1), p50("onnxruntime", "fp32", 1)
    if ort_int8:
        goals.append(("INT8, 1 thread: ONNX Runtime's best INT8 / picosam >= 2.5",
                      ort_int8 / ours_int8, ort_int8 / ours_int8 >= 2.5))
    goals.append(("INT8, 1 thread: picosam / the INT8 floor <= 2.0",
                  ours_int8 / floor["int8_floor_ms"], ours_int8 / floor["int8_floor_ms"] <= 2.0))
    if ort_fp32:
        goals.append(("FP32, 1 thread: ONNX Runtime FP32 / picosam >= 1.25",
                      ort_fp32 / ours_fp32, ort_fp32 / ours_fp32 >= 1.25))
    for precision, label in (("int8-cpu", "INT8"), ("fp32", "FP32")):
        two = p50("picosam", precision, 2)
        if two:
            one = p50("picosam", precision, 1)
            goals.append((f"{label}: picosam 1 thread / 2 threads >= 1.7", one / two,
                          one / two >= 1.7))
    if job:
        goals.append(("the whole box-prompt job / the network alone <= 1.2", job["ratio"],
                      job["ratio"] <= 1.2))
    return [{"goal": goal, "measured": round(value, 3), "met": met}
            for goal, value, met in goals]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="the build directory (its bin/ and lib/; results in its bench/)")
    parser.add_argument("--runs", type=int, default=200,
                        help="timed runs per configuration, over all rounds (default 200)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds the runs are split into, configurations interleaved")
    parser.add_argument("--warmup", type=int, default=5,
                        help="untimed runs at the start of each round's process")
    parser.add_argument("--profile-runs", type=int, default=20,
                        help="runs of the profiled program (0: no profile)")
    parser.add_argument("--no-ort", action="store_true", help="leave out ONNX Runtime")
    parser.add_argument("--no-torch", action="store_true", help="leave out PyTorch")
    args = parser.parse_args()
    rounds = max(1, min(args.rounds, args.runs))
    runs_per_round = -(-args.runs // rounds)
    bin_dir, lib_dir = os.path.join(args.build, "bin"), os.path.join(args.build, "lib")
    work = os.path.join(args.build, "bench")
    os.makedirs(work, exist_ok=True)
    notes = []
    started = time.time()

    floor = measure_floor(bin_dir, work)
    say(f"floor: {floor['int8_gmacs']} GMAC/s INT8 ({floor['int8_isa']}), "
        f"{floor['fp32_gflops']} GFLOP/s FP32 ({floor['fp32_isa']}) per core; "
        f"{floor['macs']} MACs")
    programs = compile_programs(bin_dir, lib_dir, work)
    threads = [1, 2] if has_threads_option(programs["int8-cpu"]) else [1]
    if threads == [1]:
        notes.append("the compiled program has no --threads option yet: picosam's 2-thread "
                     "rows are left out")

    configs = []
    labels = {"int8-cpu": "picosam INT8 (cpu profile)",
              "int8-imx500": "picosam INT8 (imx500 profile)", "fp32": "picosam FP32"}
    for name in PROGRAMS:
        for t in threads:
            configs.append(Config(labels[name], "picosam", name, t,
                                  picosam_runner(programs[name], t, args.warmup, work),
                                  group=f"picosam-{name}-{t}"))
    if not args.no_ort:
        node_dir, why = install_onnxruntime(work)
        if node_dir:
            qdq = export_qdq(work)
            for precision, model, label in (("fp32", MODEL, "FP32"),
                                            ("int8", qdq, "INT8 (torch FX QDQ)")):
                for t in (1, 2):
                    for level in ("all", "extended"):
                        configs.append(Config(
                            f"ONNX Runtime {ORT_VERSION} {label} {level}", "onnxruntime",
                            precision, t, ort_runner(node_dir, model, level, t, args.warmup, work),
                            group=f"ort-{precision}-{t}"))
        else:
            notes.append(f"ONNX Runtime left out: {why}")
        notes.append("ONNX Runtime's own static quantization (onnxruntime.quantization, Python) "
                     "is not installed here and PyPI is not reachable: its INT8 model is "
                     "torch FX's QDQ export alone")
    if not args.no_torch:
        import torch
        configs.append(Config(f"PyTorch {torch.__version__} FP32", "pytorch", "fp32", 1,
                              torch_runner("fp32", args.warmup, work)))
        configs.append(Config(f"PyTorch {torch.__version__} INT8 FX (onednn)", "pytorch",
                              "int8", 1, torch_runner("int8", args.warmup, work)))
        notes.append("PyTorch INT8 runs on the onednn engine: Debian's torch has no fbgemm/x86 "
                     "engine, and its qnnpack engine computes PicoSAM3 wrongly (about 56% of "
                     "the sample mask agrees with FP32)")

    for r in range(rounds):
        say(f"round {r + 1} of {rounds}: {runs_per_round} runs of each of "
            f"{len(configs)} configurations")
        for config in configs:
            config.run_round(runs_per_round)

    # The peaks again: a neighbour that loaded the core at the start should
    # not have lowered the floor.
    floor = best_floor(floor, measure_floor(bin_dir, work))
    configurations = [(summarize(c), c.group) for c in configs]
    rows = best_of_groups(configurations)
    print()
    print(f"PicoSAM3, batch 1, 1x3x96x96, {platform.node()}: "
          f"{open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}, "
          f"{os.cpu_count()} CPUs")
    print_table(rows, floor, notes)

    result = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "floor": floor, "runs": args.runs, "rounds": rounds, "warmup": args.warmup,
              "rows": rows, "notes": notes,
              # Every configuration run, the levels not reported included.
              "configurations": [row for row, _ in configurations]}
    if args.profile_runs > 0:
        result["profile"] = profile_ops(programs["int8-cpu-profiled"], floor, args.profile_runs)
        print_profile(result["profile"], 10)
        result["job"] = job_overhead(programs["int8-cpu"], args.profile_runs)
        print(f"\nwhole box-prompt job (crop..mask, no file I/O) / network alone, INT8 cpu: "
              f"{result['job']['job_p50_ms']:.2f} / {result['job']['network_p50_ms']:.2f} ms = "
              f"{result['job']['ratio']:.3f}")
    result["goals"] = check_goals(rows, floor, result.get("job"))
    print("\ngoals (issue 14), on this run's table:")
    for goal in result["goals"]:
        print(f"  {'met    ' if goal['met'] else 'NOT met'}  {goal['measured']:>8.3f}  {goal['goal']}")
    path = os.path.join(work, "bench.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    say(f"wrote {path} ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
