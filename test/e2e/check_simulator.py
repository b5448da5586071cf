#!/usr/bin/env python3
"""The IMX500 simulator against the interpreter on PicoSAM3: the planned
INT8 graph for the imx500 (picosam-compile --target=imx500 --to=planned,
minmax on the shipped calibration crops, tiled separable blocks) is written
as a network file (picosam-translate --pico-to-imx500-network); the
simulator (picosam-imx500 run, no MLIR) runs the file on every evaluation
crop and must give picosam-run --planned's logits of the planned graph bit
for bit on the first 64 (--interpreter-samples: the interpreter is the
specification, not the fast path). Prints the number of identical crops and
the time per crop of both.

Then the sensor's path: the uint8 RGB crops through the file's fixed-point
normalisation (picosam-imx500 run --rgb) against the float normalize +
quantize above. Prints how many input storage values differ and by how much
(the file's gains and offsets applied in numpy, every crop; at most 1 LSB,
docs/imx500.md) and the two paths' mask IoU (logit > 0) on the first
--rgb-crops crops run through the simulator, which must agree to 0.99.

Last, the CPU backend with the imx500 profile on every crop: the same
quantization (minmax on the same crops) planned tiled and untiled
(--to=planned --profile=imx500) and compiled for the CPU to the picosam3
program must give the simulator's logits above bit for bit on every crop."""
import argparse
import os
import re
import time

import numpy as np

from check_fp32 import (ROOT, crop_files, evaluation_inputs, identical_count, mask_iou,
                        program_logits, run)

MODEL = os.path.join(ROOT, "models", "picosam3.onnx")
CALIBRATION = os.path.join(ROOT, "models", "data", "calibration.npz")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True)
    parser.add_argument("--translate-tool", required=True)
    parser.add_argument("--run-tool", required=True)
    parser.add_argument("--imx500-tool", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--limit", type=int, default=0, help="first N crops only (0: all)")
    parser.add_argument("--rgb-crops", type=int, default=32,
                        help="crops run through the sensor's path (the test's time is bounded)")
    parser.add_argument("--interpreter-samples", type=int, default=64,
                        help="crops picosam-run runs (the simulator and the programs run all)")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    planned = os.path.join(args.work, "planned.mlir")
    network = os.path.join(args.work, "picosam3.pimx")
    run([args.compile_tool, MODEL, "--target=imx500", "--to=planned",
         "--plan-tile-separable-blocks", f"--calibration-data={CALIBRATION}",
         "--calibration-method=minmax", "-o", planned])
    run([args.translate_tool, "--pico-to-imx500-network", planned, "-o", network])

    inputs, normalized = evaluation_inputs(args.work, args.limit)
    interpreter_inputs = os.path.join(args.work, "interpreter_inputs.npy")
    np.save(interpreter_inputs, normalized[: args.interpreter_samples])
    simulated = os.path.join(args.work, "simulator_logits.npy")
    interpreted = os.path.join(args.work, "interpreter_logits.npy")
    start = time.time()
    run([args.imx500_tool, "run", network, "--batch", "-i", inputs, "-o", simulated])
    simulator_time = time.time() - start
    start = time.time()
    run([args.run_tool, planned, "--planned", "--batch", "-i", interpreter_inputs,
         "-o", interpreted])
    interpreter_time = time.time() - start
    sim, ref = np.load(simulated), np.load(interpreted)
    if (sim.shape[0] != normalized.shape[0] or sim.shape[1:] != ref.shape[1:]
            or sim.dtype != ref.dtype):
        raise SystemExit(f"FAIL: simulator gives {sim.dtype} {sim.shape}, "
                         f"picosam-run {ref.dtype} {ref.shape}")
    count = len(ref)
    identical = identical_count(sim, ref)
    print(f"crops compared with picosam-run: {count}, identical: {identical}")
    print(f"time per crop: simulator {1000 * simulator_time / len(sim):.1f} ms, "
          f"picosam-run --planned {1000 * interpreter_time / count:.1f} ms")
    if identical != count:
        worst = np.abs(sim[:count] - ref).max()
        raise SystemExit(f"FAIL: {count - identical} crops differ (max abs difference {worst})")
    check_sensor_normalization(args, network, normalized, sim)
    check_compiled(args, normalized, sim)
    print("PASS")


def check_compiled(args, normalized, expected):
    """PicoSAM3 with the imx500 profile compiled for the CPU (tiled and
    untiled plans) against the simulator's logits of the imx500 plan
    (picosam-run --planned's on the crops it ran), crop by crop, bit for
    bit."""
    crops = crop_files(args.work, normalized)
    for label, options in [("tiled", ["--plan-tile-separable-blocks"]), ("untiled", [])]:
        plan = os.path.join(args.work, f"imx500-profile-{label}.mlir")
        program = os.path.join(args.work, f"imx500-profile-{label}-picosam3")
        run([args.compile_tool, MODEL, "--to=planned", "--profile=imx500",
             f"--calibration-data={CALIBRATION}", "--calibration-method=minmax",
             *options, "-o", plan])
        run([args.compile_tool, plan, "--target=cpu", "--emit=exe", "-o", program])
        identical = identical_count(program_logits(program, crops, args.work), expected)
        print(f"imx500 profile, {label} plan compiled for the CPU (--emit=exe): {identical} of "
              f"{len(expected)} crops' logits bit-identical with the simulator")
        if identical != len(expected):
            raise SystemExit(f"FAIL: the compiled {label} imx500-profile program differs")


def rounding_divide_by_pot(values, shift):
    """picosam/Kernels/FixedPoint.h's RoundingDivideByPOT: ties away from 0."""
    mask = (1 << shift) - 1
    remainder = values & mask
    threshold = (mask >> 1) + (values < 0)
    return (values >> shift) + (remainder > threshold)


def check_sensor_normalization(args, network, normalized, float_logits):
    """The uint8 crops through the file's fixed-point normalisation against
    the float normalize + quantize: input values and masks."""
    dump = run([args.imx500_tool, "inspect", network]).stdout
    scale, zero_point = re.search(r"'input/quantize' i8 \S+ scale (\S+) zp (-?\d+)", dump).groups()
    shift, gains, offsets = re.search(
        r"q = \(u \* gain \+ offset\) / 2\^(\d+), gain ([-\d ]+), offset ([-\d ]+)", dump).groups()
    gains = np.array(gains.split(), np.int64).reshape(1, 3, 1, 1)
    offsets = np.array(offsets.split(), np.int64).reshape(1, 3, 1, 1)
    crops = np.load(os.path.join(ROOT, "models", "data", "evaluation.npz"))["crops"]
    crops = crops[: len(normalized)]
    pixels = crops.transpose(0, 3, 1, 2).astype(np.int64)
    fixed = np.clip(rounding_divide_by_pot(pixels * gains + offsets, int(shift)), -128, 127)
    # pico.quantize: divided in float by the scale, rounded half to even.
    quantized = np.clip(np.rint(normalized / np.float32(scale)) + int(zero_point), -128, 127)
    difference = np.abs(fixed - quantized)
    print(f"sensor normalisation: {int((difference > 0).sum())} of {difference.size} input "
          f"values differ from normalize + quantize, by at most {int(difference.max())} LSB")

    rgb = os.path.join(args.work, "crops_u8.npy")
    crops, float_logits = crops[: args.rgb_crops], float_logits[: args.rgb_crops]
    np.save(rgb, crops)
    rgb_logits = os.path.join(args.work, "simulator_rgb_logits.npy")
    run([args.imx500_tool, "run", network, "--rgb", "--batch", "-i", rgb, "-o", rgb_logits])
    sensor = np.load(rgb_logits)
    iou = mask_iou(sensor, float_logits)
    identical = int(sum(np.array_equal(s, f) for s, f in zip(sensor, float_logits)))
    print(f"sensor path against the float path: {identical} of {len(sensor)} crops' logits "
          f"identical, mask IoU mean {iou.mean():.4f}, min {iou.min():.4f}")
    if difference.max() > 1:
        raise SystemExit("FAIL: the fixed-point normalisation is more than 1 LSB off")
    if iou.mean() < 0.99:
        raise SystemExit("FAIL: the sensor path's masks disagree with the float path's")


if __name__ == "__main__":
    main()
