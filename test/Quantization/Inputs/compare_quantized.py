"""Compares two runs of a quantized model's dequantized output in units of
its quantization step (the smallest gap between distinct reference values):
prints the largest difference in steps and the share of elements that
differ, and exits 1 when the difference exceeds --max-steps.

usage: compare_quantized.py OUTPUT.npy REFERENCE.npy [--max-steps N]"""
import argparse
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("output")
parser.add_argument("reference")
parser.add_argument("--max-steps", type=int, default=1)
args = parser.parse_args()
output, reference = np.load(args.output), np.load(args.reference)
step = np.diff(np.unique(reference)).min()
steps = int(np.rint(np.abs(output.astype(np.float64) - reference).max() / step))
share = (np.abs(output - reference) > step / 2).mean()
print(f"max difference: {steps} step(s); {100 * share:.1f} % of elements differ")
sys.exit(0 if steps <= args.max_steps else 1)
