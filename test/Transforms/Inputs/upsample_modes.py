"""For every Resize coordinate_transformation_mode x nearest_mode pair,
integer factors 2..4 and two input sizes: checks with picosam-run whether pico.resize (nearest)
equals the floor upsample (output [h, w] = input [h / f, w / f]) and whether
--pico-fold-upsample folds it, and that the pass folds exactly those. Prints
one line per case, "<mode> <nearest_mode> x<f> <H>x<W>: exact|inexact,
folded|kept",
and FAIL lines, then per mode pair the factors folded ("folds <mode>
<nearest_mode>: x2 x3"); exits 1 when the pass folds an inexact resize, keeps an
exact one, or changes the numbers.

usage: upsample_modes.py --opt PICOSAM_OPT --run PICOSAM_RUN --work DIR"""
import argparse
import os
import subprocess
import sys

import numpy as np

MODES = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
         "tf_half_pixel_for_nearest"]
NEAREST = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
FACTORS = [2, 3, 4]
# Odd sizes, and a short axis some modes get right by chance for f = 3.
SIZES = [(5, 7), (2, 16)]


def function(mode, nearest, factor, size):
    """@<case>(x) = identity 1x1 conv of resize(x): the conv is what lets the
    resize fold, and it returns the resized values unchanged."""
    H, W = size
    name = f"{mode}__{nearest}__x{factor}__{H}x{W}"
    small, big = f"1x2x{H}x{W}xf32", f"1x2x{H * factor}x{W * factor}xf32"
    return name, f"""
func.func @{name}(%x: tensor<{small}>) -> tensor<{big}> {{
  %id = pico.constant dense<[[[[1.0]], [[0.0]]], [[[0.0]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %0 = pico.resize %x {{coordinate_transformation_mode = #pico<coordinate_transform_mode {mode}>, mode = #pico<resize_mode nearest>, nearest_mode = #pico<nearest_mode {nearest}>, scales = array<f32: 1.0, 1.0, {factor}.0, {factor}.0>}} : tensor<{small}> -> tensor<{big}>
  %1 = pico.conv2d %0, %id : (tensor<{big}>, tensor<2x2x1x1xf32>) -> tensor<{big}>
  return %1 : tensor<{big}>
}}
"""


def run(tool, ir, name, x_path, out_path):
    subprocess.run([tool, ir, f"--entry={name}", "-i", x_path, "-o", out_path], check=True)
    return np.load(out_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opt", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    cases = [(m, n, f, s) for m in MODES for n in NEAREST for f in FACTORS for s in SIZES]
    functions = [function(*case) for case in cases]
    original = os.path.join(args.work, "resize.mlir")
    folded = os.path.join(args.work, "folded.mlir")
    with open(original, "w") as f:
        f.write("".join(text for _, text in functions))
    subprocess.run([args.opt, original, "--pico-fold-upsample", "-o", folded], check=True)
    # The folded module's functions, by name: which still hold a resize.
    bodies = {}
    for chunk in open(folded).read().split("func.func @")[1:]:
        bodies[chunk.split("(", 1)[0]] = chunk

    rng = np.random.default_rng(0)
    inputs = {}
    for H, W in SIZES:
        inputs[H, W] = rng.standard_normal((1, 2, H, W)).astype(np.float32)
        np.save(os.path.join(args.work, f"x{H}x{W}.npy"), inputs[H, W])
    failures = 0
    folded_factors = {}
    for (mode, nearest, factor, (H, W)), (name, _) in zip(cases, functions):
        x = inputs[H, W]
        x_path = os.path.join(args.work, f"x{H}x{W}.npy")
        out = os.path.join(args.work, f"{name}.npy")
        resized = run(args.run, original, name, x_path, out)
        exact = np.array_equal(resized, np.repeat(np.repeat(x, factor, 2), factor, 3))
        was_folded = "pico.resize" not in bodies[name]
        print(f"{mode} {nearest} x{factor} {H}x{W}: {'exact' if exact else 'inexact'}, "
              f"{'folded' if was_folded else 'kept'}")
        if was_folded:
            folded_factors.setdefault((mode, nearest), set()).add(factor)
        if exact != was_folded:
            print(f"FAIL: {name}: the pass {'folds' if was_folded else 'keeps'} it")
            failures += 1
        if was_folded and not np.array_equal(run(args.run, folded, name, x_path, out), resized):
            print(f"FAIL: {name}: the folded graph computes other numbers")
            failures += 1
    for (mode, nearest), factors in folded_factors.items():
        print(f"folds {mode} {nearest}: " + " ".join(f"x{f}" for f in sorted(factors)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
