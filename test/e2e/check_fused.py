#!/usr/bin/env python3
"""End-to-end check of fusion: compile an exported PicoSAM3 to the imported
and the fused stage with picosam-compile, run both with picosam-run on the
shipped evaluation crops, and compare the fused logits with the imported
graph's.

Passes when the largest absolute difference is within --rtol times the
imported logits' range and every sample's mask (logit > 0) is the same
(IoU 1.0). Then, for one sample, compares every tensor of the fused graph
with the imported graph's tensor it stands for (picosam-run --compare): a
fused op is named by all the nodes it merged joined with '+', and computes
what the last of them computed, so the imported dump is keyed by the fused
names before comparing."""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

from check_fp32 import evaluation_inputs, mask_iou


def compile_stage(tool, model, stage, path):
    subprocess.run([tool, model, f"--to={stage}", "-o", path], check=True)


def run_batch(tool, ir, inputs, outputs):
    start = time.time()
    subprocess.run([tool, ir, "--batch", "-i", inputs, "-o", outputs], check=True)
    return np.load(outputs), time.time() - start


def compare_tensors(args, imported_ir, fused_ir, sample):
    """picosam-run --compare of every fused tensor with the imported tensor
    of its last merged node; returns picosam-run's exit code."""
    sample_path = os.path.join(args.work, "sample.npy")
    np.save(sample_path, sample)
    imported_dump = os.path.join(args.work, "imported.npz")
    fused_dump = os.path.join(args.work, "fused.npz")
    subprocess.run([args.run_tool, imported_ir, "-i", sample_path, f"--dump={imported_dump}"],
                   check=True)
    subprocess.run([args.run_tool, fused_ir, "-i", sample_path, f"--dump={fused_dump}"],
                   check=True)
    imported = np.load(imported_dump)
    reference = {name: imported[name.split("+")[-1]] for name in np.load(fused_dump).files
                 if name.split("+")[-1] in imported.files}
    reference_path = os.path.join(args.work, "imported_by_fused_name.npz")
    np.savez(reference_path, **reference)
    return subprocess.run([args.run_tool, fused_ir, "-i", sample_path,
                           f"--compare={reference_path}",
                           f"--max-abs-error={args.tensor_atol}"]).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--model", required=True, help="ONNX model to check")
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    parser.add_argument("--rtol", type=float, default=1e-5,
                        help="max abs logit difference, relative to the logit range")
    parser.add_argument("--tensor-atol", type=float, default=1e-4,
                        help="max abs difference of any tensor in the per-tensor comparison")
    parser.add_argument("--sample", type=int, default=0,
                        help="the evaluation crop compared tensor by tensor")
    parser.add_argument("--limit", type=int, default=0, help="first N samples only (0: all)")
    args = parser.parse_args()

    inputs, normalized = evaluation_inputs(args.work, args.limit)

    imported_ir = os.path.join(args.work, "imported.mlir")
    fused_ir = os.path.join(args.work, "fused.mlir")
    compile_stage(args.compile_tool, args.model, "imported", imported_ir)
    compile_stage(args.compile_tool, args.model, "fused", fused_ir)
    imported, imported_seconds = run_batch(
        args.run_tool, imported_ir, inputs, os.path.join(args.work, "imported_logits.npy"))
    fused, fused_seconds = run_batch(
        args.run_tool, fused_ir, inputs, os.path.join(args.work, "fused_logits.npy"))

    error = np.abs(fused.astype(np.float64) - imported).max()
    logit_range = float(imported.max() - imported.min())
    iou = mask_iou(fused, imported)
    print(f"{os.path.basename(args.model)}: {len(fused)} samples, imported {imported_seconds:.1f} s, "
          f"fused {fused_seconds:.1f} s; max |fused - imported| = {error:.3e} "
          f"= {error / logit_range:.2e} of the logit range {logit_range:.2f}; "
          f"mask IoU min {iou.min():.6f}, mean {iou.mean():.6f}")
    failed = False
    if error > args.rtol * logit_range:
        print(f"FAIL: max abs difference {error:.3e} > {args.rtol:.0e} x {logit_range:.2f}")
        failed = True
    if iou.min() < 1.0:
        worst = int(np.argmin(iou))
        print(f"FAIL: {int((iou < 1.0).sum())} samples' masks differ "
              f"(worst: #{worst}, IoU {iou[worst]:.6f})")
        failed = True

    print(f"sample #{args.sample}, every fused tensor against the imported tensor it stands for:")
    sys.stdout.flush()
    if compare_tensors(args, imported_ir, fused_ir, normalized[args.sample: args.sample + 1]):
        print(f"FAIL: a tensor differs by more than {args.tensor_atol:.0e}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
