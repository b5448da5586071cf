"""Checks pico.resize against ONNX's own reference implementation of Resize
(onnx.backend.test.case.node.resize, the code that generates ONNX's node
tests): every coordinate_transformation_mode with every nearest_mode, and
n-linear interpolation with each mode, upsampling and downsampling. Writes
one IR function per case, runs each with picosam-run, prints "<case>: ok"
or what differs, and exits 1 when any case fails.

usage: resize_sweep.py --tool PICOSAM_RUN --work DIR"""
import argparse
import itertools
import os
import subprocess
import sys

import numpy as np

# onnx 1.12's test-case modules use aliases numpy 1.24 removed.
for alias, value in (("float", float), ("int", int), ("bool", bool), ("object", object),
                     ("complex", complex), ("str", str)):
    if alias not in np.__dict__:
        setattr(np, alias, value)
from onnx.backend.test.case.node.resize import (interpolate_nd, linear_coeffs,  # noqa: E402
                                                nearest_coeffs)

COORDINATE_MODES = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                    "tf_half_pixel_for_nearest"]
NEAREST_MODES = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
# Scales exact in binary, so the f32 arithmetic of picosam (and onnxruntime)
# and the f64 arithmetic of the reference meet the same ties; and output
# sizes in * scale that are whole, since for align_corners the reference
# divides by in * scale - 1 where picosam, onnxruntime and PyTorch divide by
# the output size - 1.
SCALES = {"up": [1.0, 1.0, 1.5, 2.5], "down": [1.0, 1.0, 0.75, 0.625], "twice": [1.0, 1.0, 2.0, 2.0]}
SHAPE = [1, 2, 4, 8]


def tf_half_pixel_for_nearest(x, scales, nearest_mode):
    """ONNX's reference lacks this mode: x_original = (x + 0.5) / scale,
    rounded by nearest_mode and clamped to the axis, per axis."""
    rounding = {"round_prefer_floor": lambda v: np.ceil(v - 0.5),
                "round_prefer_ceil": lambda v: np.floor(v + 0.5),
                "floor": np.floor, "ceil": np.ceil}[nearest_mode]
    for axis, scale in enumerate(scales):
        size = x.shape[axis]
        positions = (np.arange(int(size * scale)) + 0.5) / scale
        index = np.clip(rounding(positions), 0, size - 1).astype(int)
        x = np.take(x, index, axis=axis)
    return x


def cases():
    for ctm, nm, (direction, scales) in itertools.product(COORDINATE_MODES, NEAREST_MODES,
                                                          SCALES.items()):
        yield f"nearest_{ctm}_{nm}_{direction}", "nearest", ctm, nm, SHAPE, scales
    for ctm, (direction, scales) in itertools.product(COORDINATE_MODES[:4], SCALES.items()):
        yield f"linear_{ctm}_{direction}", "linear", ctm, "round_prefer_floor", SHAPE, scales
    # Interpolation along three axes at once.
    yield "linear_trilinear", "linear", "half_pixel", "round_prefer_floor", [1, 2, 4, 8], \
        [1.0, 1.5, 2.0, 0.625]


def tensor_type(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    failed = 0
    rng = np.random.default_rng(0)
    for name, mode, ctm, nm, shape, scales in cases():
        out_shape = [int(d * s) for d, s in zip(shape, scales)]
        ir = os.path.join(args.work, f"{name}.mlir")
        with open(ir, "w") as f:
            f.write(f"func.func @main(%x: {tensor_type(shape)}) -> {tensor_type(out_shape)} {{\n"
                    f"  %0 = pico.resize %x {{mode = #pico<resize_mode {mode}>, "
                    f"coordinate_transformation_mode = #pico<coordinate_transform_mode {ctm}>, "
                    f"nearest_mode = #pico<nearest_mode {nm}>, "
                    f"scales = array<f32: {', '.join(map(str, scales))}>}} : "
                    f"{tensor_type(shape)} -> {tensor_type(out_shape)}\n"
                    f"  return %0 : {tensor_type(out_shape)}\n}}\n")
        x = rng.standard_normal(shape).astype(np.float32)
        inp, out = os.path.join(args.work, f"{name}.in.npy"), os.path.join(args.work, f"{name}.out.npy")
        np.save(inp, x)
        run = subprocess.run([args.tool, ir, "-i", inp, "-o", out], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name}: FAIL: picosam-run exited {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        if ctm == "tf_half_pixel_for_nearest":
            want = tf_half_pixel_for_nearest(x, scales, nm)
        else:
            coeffs = linear_coeffs if mode == "linear" else (lambda r, nm=nm: nearest_coeffs(r, mode=nm))
            want = interpolate_nd(x, coeffs, scale_factors=np.array(scales),
                                  coordinate_transformation_mode=ctm).astype(np.float32)
        got = np.load(out)
        if got.shape != want.shape:
            print(f"{name}: FAIL: shape {got.shape}, reference {want.shape}")
            failed += 1
            continue
        error = np.abs(got.astype(np.float64) - want).max()
        ok = error <= (1e-5 if mode == "linear" else 0.0)
        print(f"{name}: " + ("ok" if ok else f"FAIL: max abs error {error:.3e}"))
        failed += not ok
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
