#!/usr/bin/env python3
"""End-to-end check of memory planning by execution: PicoSAM3 compiled to
the planned INT8 graph with tiled separable blocks (picosam-compile
--to=planned, calibrated with minmax on the shipped calibration crops: the
plan depends on the types, not on the scales) runs materialised over its
one arena (picosam-run --planned: every tensor at its planned offset, every
tiled block row by row through its rings) on the first 64 shipped evaluation
crops (--interpreter-samples: the interpreter is the specification, not the
fast path), and must give the unplanned run's logits bit for bit.

Also checks that the materialised function really is the row-by-row form
(no separable block left, a row loop for each tiled block), and, on one
crop, every recorded tensor (max abs error 0) of the tiled INT8 plan, the
untiled INT8 plan, the tiled plan of the imx500 profile (unsigned storage)
and the untiled and tiled FP32 plans against their unplanned runs.

Last, the CPU backend on every crop: the tiled and the untiled INT8 plans
compiled to the picosam3 program (picosam-compile PLAN --target=cpu
--emit=exe), run in raw mode, must give the same logits bit for bit on
every crop, and picosam-run's on the interpreter's crops (the planned run's
for the tiled plan, the unplanned run's, which the planned runs equal, for
the untiled one). check_simulator.py does the same for the imx500 profile."""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

from check_fp32 import ROOT, crop_files, evaluation_inputs, identical_count, program_logits, run

MODEL = os.path.join(ROOT, "models", "picosam3.onnx")
CALIBRATION = os.path.join(ROOT, "models", "data", "calibration.npz")


def compile_plan(args, name, *options):
    path = os.path.join(args.work, name + ".mlir")
    run([args.compile_tool, MODEL, "--to=planned", "-o", path, *options])
    return path


def run_batch(args, ir, inputs, name, *options):
    outputs = os.path.join(args.work, name + "_logits.npy")
    start = time.time()
    run([args.run_tool, ir, "--batch", "-i", inputs, "-o", outputs, *options])
    return np.load(outputs), time.time() - start


def compare_sample(args, ir, sample):
    """Every tensor of the planned run of `ir` on `sample` against the
    unplanned run's; returns the comparison's last line."""
    name = os.path.splitext(os.path.basename(ir))[0]
    dump = os.path.join(args.work, name + "_dump.npz")
    reference = os.path.join(args.work, name + "_reference.npy")
    planned = os.path.join(args.work, name + "_planned.npy")
    run([args.run_tool, ir, "-i", sample, "-o", reference, f"--dump={dump}"])
    result = subprocess.run([args.run_tool, ir, "--planned", "-i", sample, "-o", planned,
                             f"--compare={dump}", "--max-abs-error=0"],
                            capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    same = (result.returncode == 0 and
            open(reference, "rb").read() == open(planned, "rb").read())
    return same, lines[-1] if lines else result.stderr.strip()


def check_compiled(args, label, plan, crops, expected):
    """`plan` compiled to the picosam3 program and run on each of `crops`:
    its logits, and whether those of the first len(`expected`) crops are
    `expected` (picosam-run's logits) bit for bit."""
    program = os.path.join(args.work, label.replace(" ", "-") + "-picosam3")
    run([args.compile_tool, plan, "--target=cpu", "--emit=exe", "-o", program])
    compiled = program_logits(program, crops, args.work)
    identical = identical_count(compiled, expected)
    print(f"{label} compiled (--emit=exe): {identical} of the first {len(expected)} crops' "
          f"logits bit-identical with picosam-run")
    return compiled, identical == len(expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--opt-tool", required=True, help="path of picosam-opt")
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    parser.add_argument("--sample", type=int, default=0,
                        help="the evaluation crop compared tensor by tensor")
    parser.add_argument("--limit", type=int, default=0, help="first N samples only (0: all)")
    parser.add_argument("--interpreter-samples", type=int, default=64,
                        help="crops picosam-run runs (the compiled programs run all)")
    args = parser.parse_args()

    _, normalized = evaluation_inputs(args.work, args.limit)
    sample = os.path.join(args.work, "sample.npy")
    np.save(sample, normalized[args.sample: args.sample + 1])
    inputs = os.path.join(args.work, "interpreter_inputs.npy")
    np.save(inputs, normalized[: args.interpreter_samples])

    table = os.path.join(args.work, "calibration.txt")
    calibration = [f"--calibration-data={CALIBRATION}", "--calibration-method=minmax",
                   f"--calibration-table={table}"]
    tiled = compile_plan(args, "int8-tiled", *calibration, "--plan-tile-separable-blocks")
    failed = False

    # The form the planned run executes: every tiled block a row loop.
    arena = os.path.join(args.work, "int8-tiled-arena.mlir")
    run([args.opt_tool, tiled, "--pico-materialize-arena", "-o", arena])
    text = open(arena).read()
    loops, blocks = text.count("scf.for"), text.count("pico.separable_block")
    tiled_blocks = open(tiled).read().count("kind = ring")
    print(f"materialised: {loops} row loops for {tiled_blocks} tiled blocks, "
          f"{blocks} separable blocks left")
    if blocks or tiled_blocks != 11 or loops < tiled_blocks:
        print("FAIL: the tiled blocks are not all row loops")
        failed = True

    reference, reference_seconds = run_batch(args, tiled, inputs, "unplanned")
    planned, planned_seconds = run_batch(args, tiled, inputs, "planned", "--planned")
    differing = int(np.sum(np.any(
        reference.view(np.uint32).reshape(len(reference), -1) !=
        planned.view(np.uint32).reshape(len(planned), -1), axis=1)))
    max_error = float(np.abs(reference.astype(np.float64) - planned).max())
    print(f"INT8 tiled plan, {len(planned)} samples: unplanned {reference_seconds:.1f} s, "
          f"planned {planned_seconds:.1f} s; max |planned - unplanned| = {max_error:.1e}, "
          f"{differing} samples' logits differ in any bit")
    if differing or reference.tobytes() != planned.tobytes():
        print("FAIL: the planned logits differ from the unplanned run's")
        failed = True

    untiled = compile_plan(args, "int8", f"--calibration-table={table}")
    crops = crop_files(args.work, normalized)
    compiled = []
    for label, plan, expected in [("INT8 tiled plan", tiled, planned),
                                  ("INT8 untiled plan", untiled, reference)]:
        logits, same = check_compiled(args, label, plan, crops, expected)
        compiled.append(logits)
        if not same:
            print(f"FAIL: the compiled {label} differs from picosam-run")
            failed = True
    identical = identical_count(*compiled)
    print(f"the compiled tiled and untiled plans: {identical} of {len(crops)} crops' logits "
          f"bit-identical")
    if identical != len(crops):
        print("FAIL: the compiled tiled and untiled plans differ")
        failed = True

    plans = [
        ("INT8 tiled", tiled),
        ("INT8 untiled", untiled),
        ("INT8 imx500 tiled", compile_plan(args, "imx500-tiled", f"--calibration-table={table}",
                                           "--profile=imx500", "--plan-tile-separable-blocks")),
        ("FP32 untiled", compile_plan(args, "fp32")),
        ("FP32 tiled", compile_plan(args, "fp32-tiled", "--plan-tile-separable-blocks")),
    ]
    for label, ir in plans:
        same, summary = compare_sample(args, ir, sample)
        print(f"sample #{args.sample}, {label}: {summary}; logits "
              + ("identical" if same else "DIFFER"))
        if not same:
            print(f"FAIL: the {label} plan's planned run differs")
            failed = True
    print("ok" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
