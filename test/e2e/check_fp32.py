#!/usr/bin/env python3
"""End-to-end check of the FP32 path: compile an exported PicoSAM3 to the
imported stage with picosam-compile (a text file, as a user's pipeline
writes it), run that file with picosam-run on the shipped evaluation crops,
and compare the logits with the PyTorch FP32 references shipped beside
them.

Passes when the largest absolute error is within --atol and every sample's
mask (logit > 0) equals PyTorch's (IoU 1.0)."""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from data import normalize  # noqa: E402  (the one definition of the preprocessing)


def run(cmd, **kwargs):
    """Runs `cmd` (subprocess.run's `kwargs`); on failure prints its output
    and fails the check."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"FAIL: {' '.join(cmd)} exited with {result.returncode}")
    return result


def mask_iou(a, b):
    """IoU of the masks logit > 0, per sample; two empty masks agree fully."""
    a, b = a.reshape(len(a), -1) > 0, b.reshape(len(b), -1) > 0
    inter = (a & b).sum(axis=1)
    union = (a | b).sum(axis=1)
    return np.where(union == 0, 1.0, inter / np.maximum(union, 1))


def evaluation_inputs(work, limit):
    """The shipped evaluation crops (the first `limit`; 0: all), normalised
    and saved as work/inputs.npy for picosam-run --batch: (path, array)."""
    os.makedirs(work, exist_ok=True)
    crops = np.load(os.path.join(ROOT, "models", "data", "evaluation.npz"))["crops"]
    if limit:
        crops = crops[:limit]
    inputs = os.path.join(work, "inputs.npy")
    normalized = normalize(crops)
    np.save(inputs, normalized)
    return inputs, normalized


def crop_files(work, normalized):
    """Each normalised crop as its own work/crop<i>.npy (the compiled
    program's raw mode reads one crop): the paths."""
    paths = []
    for i in range(len(normalized)):
        paths.append(os.path.join(work, f"crop{i}.npy"))
        np.save(paths[-1], normalized[i:i + 1])
    return paths


def program_logits(program, crops, work):
    """The logits of the compiled picosam3 `program` run in raw mode on each
    of the `crops` files, concatenated."""
    output = os.path.join(work, os.path.basename(program) + "_logits.npy")
    logits = []
    for crop in crops:
        run([program, "--input", crop, "--output", output])
        logits.append(np.load(output))
    return np.concatenate(logits)


def identical_count(logits, expected):
    """How many of the first len(`expected`) crops' `logits` are
    `expected`'s bit for bit."""
    return int(sum(np.array_equal(c, e) for c, e in zip(logits, expected)))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--model", required=True, help="ONNX model to check")
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--limit", type=int, default=0, help="first N samples only (0: all)")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    data_dir = os.path.join(ROOT, "models", "data")
    crops = np.load(os.path.join(data_dir, "evaluation.npz"))["crops"]
    reference = np.load(os.path.join(data_dir, "reference.npz"))["logits"]
    if args.limit:
        crops, reference = crops[: args.limit], reference[: args.limit]

    inputs = os.path.join(args.work, "inputs.npy")
    np.save(inputs, normalize(crops))
    ir = os.path.join(args.work, "model.mlir")
    outputs = os.path.join(args.work, "logits.npy")
    subprocess.run([args.compile_tool, args.model, "--to=imported", "-o", ir], check=True)
    start = time.time()
    subprocess.run([args.run_tool, ir, "--batch", "-i", inputs, "-o", outputs], check=True)
    seconds = time.time() - start

    logits = np.load(outputs)
    if logits.shape != reference.shape:
        print(f"FAIL: output shape {logits.shape}, reference {reference.shape}")
        return 1
    error = np.abs(logits.astype(np.float64) - reference).max()
    logit_range = float(reference.max() - reference.min())
    iou = mask_iou(logits, reference)
    print(f"{os.path.basename(args.model)}: {len(logits)} samples in {seconds:.1f} s; "
          f"max |picosam - PyTorch| = {error:.3e} (logit range {logit_range:.2f}); "
          f"mask IoU min {iou.min():.6f}, mean {iou.mean():.6f}")
    failed = False
    if error > args.atol:
        print(f"FAIL: max abs error {error:.3e} > {args.atol:.1e}")
        failed = True
    if iou.min() < 1.0:
        worst = int(np.argmin(iou))
        print(f"FAIL: {int((iou < 1.0).sum())} samples' masks differ (worst: #{worst}, IoU {iou[worst]:.6f})")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
