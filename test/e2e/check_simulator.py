#!/usr/bin/env python3
"""The IMX500 simulator against the interpreter on PicoSAM3: the planned
INT8 graph for the imx500 (picosam-compile --target=imx500 --to=planned,
minmax on the shipped calibration crops, tiled separable blocks) is written
as a network file (picosam-translate --pico-to-imx500-network); the
simulator (picosam-imx500 run, no MLIR) runs the file on evaluation crops
and must give picosam-run --planned's logits of the planned graph bit for
bit. Prints the number of identical crops and the time per crop of both."""
import argparse
import os
import time

import numpy as np

from check_fp32 import ROOT, evaluation_inputs, run

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
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    planned = os.path.join(args.work, "planned.mlir")
    network = os.path.join(args.work, "picosam3.pimx")
    run([args.compile_tool, MODEL, "--target=imx500", "--to=planned",
         "--plan-tile-separable-blocks", f"--calibration-data={CALIBRATION}",
         "--calibration-method=minmax", "-o", planned])
    run([args.translate_tool, "--pico-to-imx500-network", planned, "-o", network])

    inputs, normalized = evaluation_inputs(args.work, args.limit)
    count = normalized.shape[0]
    simulated = os.path.join(args.work, "simulator_logits.npy")
    interpreted = os.path.join(args.work, "interpreter_logits.npy")
    start = time.time()
    run([args.imx500_tool, "run", network, "--batch", "-i", inputs, "-o", simulated])
    simulator_time = time.time() - start
    start = time.time()
    run([args.run_tool, planned, "--planned", "--batch", "-i", inputs, "-o", interpreted])
    interpreter_time = time.time() - start
    sim, ref = np.load(simulated), np.load(interpreted)
    if sim.shape != ref.shape or sim.dtype != ref.dtype:
        raise SystemExit(f"FAIL: simulator gives {sim.dtype} {sim.shape}, "
                         f"picosam-run {ref.dtype} {ref.shape}")
    identical = int(sum(np.array_equal(s, r) for s, r in zip(sim, ref)))
    print(f"crops compared: {count}, identical: {identical}")
    print(f"time per crop: simulator {1000 * simulator_time / count:.1f} ms, "
          f"picosam-run --planned {1000 * interpreter_time / count:.1f} ms")
    if identical != count:
        worst = np.abs(sim - ref).max()
        raise SystemExit(f"FAIL: {count - identical} crops differ (max abs difference {worst})")
    print("PASS")


if __name__ == "__main__":
    main()
