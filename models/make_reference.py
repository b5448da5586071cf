"""Compute the PyTorch FP32 reference outputs from the SHIPPED weights.

The float weights are read back from models/picosam3_bn.onnx (BatchNorm kept;
initializer names = PicoSAM3 state_dict keys, see export.load_onnx_weights),
the network is run in eval mode on the shipped evaluation crops
(models/data/evaluation.npz, normalised by data.normalize), and

  models/data/reference.npz     key "logits": float32 N x 1 x 96 x 96
  models/data/sample_input.npy  normalised float32 1x3x96x96 (evaluation crop 0)
  models/data/sample_logits.npy its PyTorch FP32 output, 1x1x96x96

are written. The mIoU of the reference logits against the ground-truth masks
is printed. check_references.py re-derives the same outputs with
compute_reference() and compares.

Determinism: one input at a time, one intra-op thread.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import data  # noqa: E402
from export import ONNX_BN, load_onnx_weights  # noqa: E402

DATA_DIR = os.path.join(HERE, "data")
EVAL_NPZ = os.path.join(DATA_DIR, "evaluation.npz")
REF_NPZ = os.path.join(DATA_DIR, "reference.npz")
SAMPLE_IN = os.path.join(DATA_DIR, "sample_input.npy")
SAMPLE_OUT = os.path.join(DATA_DIR, "sample_logits.npy")


@torch.no_grad()
def compute_reference(inputs, onnx_bn=ONNX_BN):
    """inputs: float32 N x 3 x 96 x 96 (already normalised) -> float32 N x 1 x 96 x 96 logits,
    from the weights stored in the BatchNorm-kept ONNX file, one sample at a time."""
    prev = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = load_onnx_weights(onnx_bn)
        out = np.empty((len(inputs), 1, data.CROP, data.CROP), np.float32)
        for i in range(len(inputs)):
            out[i] = model(torch.from_numpy(np.ascontiguousarray(inputs[i:i + 1]))).numpy()[0]
    finally:
        torch.set_num_threads(prev)
    return out


def miou(logits, masks):
    """mask = logit > 0, IoU per sample (empty vs empty = 1), mean; also returns the per-sample IoUs."""
    pred = logits.reshape(len(logits), -1) > 0
    gt = masks.reshape(len(masks), -1) > 0
    inter = (pred & gt).sum(1)
    union = (pred | gt).sum(1)
    iou = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    return float(iou.mean()), iou


def sample_input(eval_crops):
    return data.normalize(eval_crops[0:1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", default=ONNX_BN, help="BN-kept ONNX carrying the weights (default: %(default)s)")
    ap.add_argument("--eval", default=EVAL_NPZ, help="evaluation set (default: %(default)s)")
    ap.add_argument("--out", default=REF_NPZ, help="reference output (default: %(default)s)")
    args = ap.parse_args()
    ev = np.load(args.eval)
    crops, masks = ev["crops"], ev["masks"]
    logits = compute_reference(data.normalize(crops), args.onnx)
    np.savez_compressed(args.out, logits=logits)
    x = sample_input(crops)
    np.save(SAMPLE_IN, x)
    np.save(SAMPLE_OUT, compute_reference(x, args.onnx))
    m, iou = miou(logits, masks)
    print(f"wrote {args.out}: logits {logits.shape} {logits.dtype}, range [{logits.min():.2f}, {logits.max():.2f}]")
    print(f"wrote {SAMPLE_IN} {x.shape} and {SAMPLE_OUT}")
    print(f"evaluation-set mIoU of the reference logits vs ground truth: {m:.4f} "
          f"({len(iou)} crops, median {np.median(iou):.4f}, IoU<0.5: {(iou < 0.5).mean():.3f})")
    print(f"(baseline: whole box as the object gives mIoU {miou(np.ones_like(logits), masks)[0]:.4f})")


if __name__ == "__main__":
    main()
