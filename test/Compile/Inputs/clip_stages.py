"""Compiles every model of clip_models.py to every stage as a user's
pipeline does (picosam-compile -o STAGE.mlir, a text file), runs each with
picosam-run and compares it with PyTorch. Prints one row per model and
stage; exits 1 when any row fails.

usage: clip_stages.py --compile-tool PATH --run-tool PATH WORK_DIR
(WORK_DIR holds what clip_models.py wrote there)

Float stages must match PyTorch within --float-rtol of the output range.
Quantized ones must not be all zeros, keep the clip's bounds (within half
an output step, the bound's own rounding), and be within --int8-rtol of
the range with an SQNR of at least --int8-min-sqnr dB."""
import argparse
import os
import subprocess
import sys

import numpy as np

from clip_models import MODELS

# name: (picosam-compile options, picosam-run options, quantized)
STAGES = {
    "imported": (["--to=imported"], [], False),
    "fused": (["--to=fused"], [], False),
    "quantized-cpu": (["--to=quantized", "--profile=cpu", "--calibration-data={calibration}"],
                      [], True),
    "quantized-imx500": (["--to=quantized", "--profile=imx500",
                          "--calibration-data={calibration}"], [], True),
    "planned": (["--to=planned"], ["--planned"], False),
    "planned-cpu": (["--to=planned", "--profile=cpu", "--calibration-data={calibration}"],
                    ["--planned"], True),
    "planned-imx500": (["--to=planned", "--profile=imx500", "--calibration-data={calibration}",
                        "--plan-tile-separable-blocks"], ["--planned"], True),
}


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"FAIL: {' '.join(cmd)} exited with {result.returncode}")


def check(output, reference, bounds, quantized, args):
    """The failed checks of one stage's output, and its figures."""
    low, high = bounds
    error = np.abs(output.astype(np.float64) - reference)
    output_range = float(reference.max() - reference.min())
    noise = (error ** 2).sum()
    sqnr = float("inf") if noise == 0 else 10 * np.log10((reference.astype(np.float64) ** 2).sum()
                                                          / noise)
    figures = (f"max |error| {error.max() / output_range:.2e} of the range {output_range:.4f}, "
               f"SQNR {sqnr:6.2f} dB, output in [{output.min():+.4f}, {output.max():+.4f}]")
    failures = []
    if quantized:
        # The bound is quantized to the output's grid, rounding to nearest.
        levels = np.unique(output)
        tolerance = np.diff(levels).min() / 2 if len(levels) > 1 else 0.0
        if not np.any(output):
            failures.append("all zeros")
        if error.max() > args.int8_rtol * output_range:
            failures.append(f"max |error| > {args.int8_rtol} of the range")
        if sqnr < args.int8_min_sqnr:
            failures.append(f"SQNR < {args.int8_min_sqnr} dB")
    else:
        tolerance = 0.0
        if error.max() > args.float_rtol * output_range:
            failures.append(f"max |error| > {args.float_rtol:.0e} of the range")
    if low is not None and output.min() < low - tolerance:
        failures.append(f"below the clip's min {low}")
    if high is not None and output.max() > high + tolerance:
        failures.append(f"above the clip's max {high}")
    return failures, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("work", help="the directory clip_models.py wrote")
    parser.add_argument("--float-rtol", type=float, default=1e-5)
    parser.add_argument("--int8-rtol", type=float, default=0.1)
    parser.add_argument("--int8-min-sqnr", type=float, default=30.0)
    args = parser.parse_args()

    calibration = os.path.join(args.work, "calibration.npy")
    inputs = os.path.join(args.work, "inputs.npy")
    failed = False
    for model, bounds in MODELS.items():
        reference = np.load(os.path.join(args.work, f"{model}_torch.npy"))
        clipped = [f"{np.count_nonzero(reference == bound)} of {reference.size} at {bound}"
                   for bound in bounds if bound is not None]
        print(f"{model}: clip {bounds[0]} .. {bounds[1]}, PyTorch's output {', '.join(clipped)}")
        if not all(np.mean(reference == bound) >= 0.01 for bound in bounds if bound is not None):
            print(f"FAIL: {model}'s clip hardly binds: under 1 % of PyTorch's output at a bound")
            failed = True
        for stage, (compile_options, run_options, quantized) in STAGES.items():
            ir = os.path.join(args.work, f"{model}.{stage}.mlir")
            out = os.path.join(args.work, f"{model}.{stage}.npy")
            run([args.compile_tool, os.path.join(args.work, f"{model}.onnx"), "-o", ir] +
                [option.format(calibration=calibration) for option in compile_options])
            run([args.run_tool, ir, "--batch", "-i", inputs, "-o", out] + run_options)
            failures, figures = check(np.load(out), reference, bounds, quantized, args)
            print(f"{model:9s} {stage:16s} {'FAIL' if failures else 'ok':4s} {figures}"
                  + "".join(f"; {failure}" for failure in failures))
            failed |= bool(failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
