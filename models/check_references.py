"""Test (CI): the shipped reference data is what the shipped weights compute.

Checks, each printed with its figure; exit code 0 only if all pass:

 1. shipped files have the documented keys, shapes and dtypes;
 2. the shipped calibration / evaluation crops are exactly what data.py
    generates for their seeds (so they can be regenerated), unless
    --skip-generator;
 3. PyTorch FP32 logits re-derived from the weights in picosam3_bn.onnx on
    the shipped evaluation crops equal reference.npz (max |diff| <= 1e-5);
    sample_input.npy is normalize(evaluation crop 0) and sample_logits.npy
    its re-derived output (<= 1e-5);
 4. the ONNX graphs themselves compute the same thing: both files are run
    with the tiny interpreter onnx_eval.py on --graph-samples evaluation
    crops; the folded file's Conv weights must equal what export.py's recipe
    folds from the BN-kept weights (re-exported to a temp dir); the BN-kept
    graph must match the reference to 1e-5, the
    BN-folded picosam3.onnx to --folded-tol (folding BN into the conv
    weights changes float rounding only), and the folded graph must have no
    BatchNormalization and the same Conv node names as the BN-kept one;
 5. prints the ground-truth mIoU of the reference logits on the evaluation
    set (and fails if it is below --min-miou, 0 by default).
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

import data  # noqa: E402
from export import ONNX_BN, ONNX_FOLDED, export_folded, load_onnx_weights  # noqa: E402
from make_reference import (EVAL_NPZ, REF_NPZ, SAMPLE_IN, SAMPLE_OUT,  # noqa: E402
                            compute_reference, miou, sample_input)
from onnx_eval import OnnxGraph  # noqa: E402

TOL = 1e-5


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, ok, msg):
        print(f"{'PASS' if ok else 'FAIL'}: {msg}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph-samples", type=int, default=8,
                    help="evaluation crops run through the ONNX interpreter (default: %(default)s)")
    ap.add_argument("--folded-tol", type=float, default=1e-4,
                    help="max |diff| allowed for the BN-folded graph (default: %(default)s)")
    ap.add_argument("--min-miou", type=float, default=0.0,
                    help="fail if the reference mIoU vs ground truth is below this (default: %(default)s)")
    ap.add_argument("--skip-generator", action="store_true",
                    help="do not regenerate the shipped crops from their seeds")
    args = ap.parse_args()
    check = Checker()

    # 1. files
    cal = np.load(data.CALIBRATION_NPZ)["crops"]
    ev = np.load(EVAL_NPZ)
    crops, masks = ev["crops"], ev["masks"]
    ref = np.load(REF_NPZ)["logits"]
    s_in, s_out = np.load(SAMPLE_IN), np.load(SAMPLE_OUT)
    n = len(crops)
    check(cal.dtype == np.uint8 and cal.shape == (data.N_CALIBRATION, 96, 96, 3),
          f"calibration.npz crops {cal.shape} {cal.dtype}")
    check(crops.dtype == np.uint8 and crops.shape[1:] == (96, 96, 3) and n >= 256,
          f"evaluation.npz crops {crops.shape} {crops.dtype}")
    check(masks.dtype == np.uint8 and masks.shape == (n, 96, 96) and set(np.unique(masks)) <= {0, 1},
          f"evaluation.npz masks {masks.shape} {masks.dtype}, values {sorted(np.unique(masks).tolist())}")
    check(ref.dtype == np.float32 and ref.shape == (n, 1, 96, 96), f"reference.npz logits {ref.shape} {ref.dtype}")
    check(s_in.dtype == np.float32 and s_in.shape == (1, 3, 96, 96) and
          s_out.dtype == np.float32 and s_out.shape == (1, 1, 96, 96),
          f"sample_input {s_in.shape} {s_in.dtype}, sample_logits {s_out.shape} {s_out.dtype}")

    # 2. generator
    if not args.skip_generator:
        g_cal, _ = data.make_dataset("calibration", len(cal))
        g_crops, g_masks = data.make_dataset("evaluation", n)
        check(np.array_equal(g_cal, cal), "calibration crops == data.make_dataset('calibration', %d)" % len(cal))
        check(np.array_equal(g_crops, crops) and np.array_equal(g_masks, masks),
              "evaluation crops+masks == data.make_dataset('evaluation', %d)" % n)

    # 3. PyTorch references from the shipped weights
    x = data.normalize(crops)
    logits = compute_reference(x)
    d = float(np.abs(logits - ref).max())
    check(d <= TOL, f"re-derived PyTorch FP32 logits vs reference.npz: max |diff| = {d:.3e} (tol {TOL:g}), "
                    f"{n} crops, |logit| up to {np.abs(ref).max():.2f}")
    d_in = float(np.abs(sample_input(crops) - s_in).max())
    check(d_in == 0.0, f"sample_input.npy == normalize(evaluation crop 0): max |diff| = {d_in:.3e}")
    d_out = float(np.abs(compute_reference(s_in) - s_out).max())
    check(d_out <= TOL, f"sample_logits.npy vs re-derived: max |diff| = {d_out:.3e} (tol {TOL:g})")

    # 4. the ONNX graphs
    k = min(args.graph_samples, n)
    m_bn, m_f = onnx.load(ONNX_BN), onnx.load(ONNX_FOLDED)
    for mm, name in ((m_bn, "picosam3_bn.onnx"), (m_f, "picosam3.onnx")):
        try:
            onnx.checker.check_model(mm)
            check(True, f"{name}: onnx.checker")
        except onnx.checker.ValidationError as e:
            check(False, f"{name}: onnx.checker: {e}")
    n_bn = sum(nd.op_type == "BatchNormalization" for nd in m_bn.graph.node)
    n_bn_f = sum(nd.op_type == "BatchNormalization" for nd in m_f.graph.node)
    check(n_bn == 21 and n_bn_f == 0, f"BatchNormalization nodes: BN-kept {n_bn} (want 21), folded {n_bn_f} (want 0)")
    conv_bn = [nd.name for nd in m_bn.graph.node if nd.op_type == "Conv"]
    conv_f = [nd.name for nd in m_f.graph.node if nd.op_type == "Conv"]
    check(conv_bn == conv_f and len(conv_f) == 31,
          f"Conv nodes: {len(conv_f)} in the folded graph, same names as the BN-kept one: {conv_bn == conv_f}")
    # the folded weights are what export.py's recipe folds from the BN-kept weights
    with tempfile.TemporaryDirectory() as td:
        re_path = os.path.join(td, "refolded.onnx")
        export_folded(load_onnx_weights(ONNX_BN), re_path)
        m_re = onnx.load(re_path)
    inits_f = {i.name: numpy_helper.to_array(i) for i in m_f.graph.initializer}
    inits_re = {i.name: numpy_helper.to_array(i) for i in m_re.graph.initializer}
    conv_re = [nd for nd in m_re.graph.node if nd.op_type == "Conv"]
    conv_sh = [nd for nd in m_f.graph.node if nd.op_type == "Conv"]
    worst, same = 0.0, len(conv_re) == len(conv_sh)
    for a, b in zip(conv_sh, conv_re):
        if a.name != b.name or len(a.input) != len(b.input):
            same = False
            break
        for ia, ib in zip(a.input[1:], b.input[1:]):
            wa, wb = inits_f.get(ia), inits_re.get(ib)
            if wa is None or wb is None or wa.shape != wb.shape:
                same = False
                break
            worst = max(worst, float(np.abs(wa - wb).max()))
    check(same and worst <= 1e-6,
          f"picosam3.onnx Conv weights/biases vs BN folded again from picosam3_bn.onnx with export.py's recipe: "
          f"structure {'identical' if same else 'DIFFERENT'}, max |diff| = {worst:.3e} (tol 1e-06)")
    for path, tol in ((ONNX_BN, TOL), (ONNX_FOLDED, args.folded_tol)):
        g = OnnxGraph(path)
        out = np.concatenate([g.run(x[i:i + 1]) for i in range(k)])
        d = float(np.abs(out - ref[:k]).max())
        agree = float(((out > 0) == (ref[:k] > 0)).mean())
        check(d <= tol, f"{os.path.basename(path)} graph (onnx_eval) vs reference on {k} crops: "
                        f"max |diff| = {d:.3e} (tol {tol:g}), mask agreement {agree:.6f}")

    # 5. quality
    m, iou = miou(ref, masks)
    print(f"evaluation-set mIoU of the reference logits vs ground truth: {m:.4f} "
          f"({n} crops, median IoU {np.median(iou):.4f}, IoU<0.5: {(iou < 0.5).mean():.3f})")
    base, _ = miou(np.ones_like(ref), masks)
    print(f"(baseline for scale: predicting the whole box as the object gives mIoU {base:.4f})")
    check(m >= args.min_miou, f"mIoU {m:.4f} >= --min-miou {args.min_miou:g}")

    print(f"{check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
