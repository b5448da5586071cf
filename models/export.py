"""Export PicoSAM3 to ONNX, exactly as a user would with torch.onnx.export.

* models/picosam3.onnx    : model.eval(), opset 13, export defaults
                            (constant folding on: BatchNorm folded into Conv).
* models/picosam3_bn.onnx : same, but training=TrainingMode.PRESERVE and
                            do_constant_folding=False, model still in eval
                            mode, so BatchNormalization nodes are kept and use
                            the running statistics.

Both are checked with onnx.checker and their op counts by type are printed.

The weights come from --weights: a state_dict .pt, or an ONNX file whose
initializers carry them (default: the shipped models/picosam3_bn.onnx, i.e.
a re-export round trip). load_onnx_weights() is the loader every script
uses to get the shipped float weights back into PicoSAM3.
"""
import argparse
import collections
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from onnx import numpy_helper  # noqa: E402

from picosam3 import PicoSAM3  # noqa: E402

ONNX_FOLDED = os.path.join(HERE, "picosam3.onnx")
ONNX_BN = os.path.join(HERE, "picosam3_bn.onnx")
INPUT_NAME = "input"
OUTPUT_NAME = "logits"
OPSET = 13


def export_folded(model, path=ONNX_FOLDED):
    model.eval()
    x = torch.zeros(1, 3, 96, 96)
    torch.onnx.export(model, x, path, opset_version=OPSET,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME])


def export_bn(model, path=ONNX_BN):
    model.eval()
    x = torch.zeros(1, 3, 96, 96)
    torch.onnx.export(model, x, path, opset_version=OPSET,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)


def op_counts(path):
    m = onnx.load(path)
    return collections.Counter(n.op_type for n in m.graph.node)


def check_and_describe(path):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    counts = collections.Counter(n.op_type for n in m.graph.node)
    n_params = sum(int(np.prod(i.dims)) for i in m.graph.initializer)
    print(f"{os.path.relpath(os.path.abspath(path), os.path.dirname(HERE))}: onnx.checker OK, opset "
          f"{m.opset_import[0].version}, {len(m.graph.node)} nodes, {len(m.graph.initializer)} initializers "
          f"({n_params:,} values), {os.path.getsize(path):,} bytes")
    print("  inputs:  " + ", ".join(f"{i.name} {[d.dim_value for d in i.type.tensor_type.shape.dim]}"
                                    for i in m.graph.input))
    print("  outputs: " + ", ".join(f"{o.name} {[d.dim_value for d in o.type.tensor_type.shape.dim]}"
                                    for o in m.graph.output))
    print("  ops: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
    return counts


def export_all(model, folded=ONNX_FOLDED, bn=ONNX_BN):
    model = model.to(memory_format=torch.contiguous_format).eval()
    export_folded(model, folded)
    export_bn(model, bn)
    return check_and_describe(folded), check_and_describe(bn)


def load_onnx_weights(path=ONNX_BN, model=None):
    """Load float weights from an ONNX file exported from PicoSAM3 with BatchNorm kept
    (picosam3_bn.onnx) back into a PicoSAM3: initializer names are the state_dict keys.
    Every state_dict tensor must be found with the right shape (num_batches_tracked,
    unused in eval mode, is not exported and is left at 0). Returns the model in eval mode."""
    model = PicoSAM3() if model is None else model
    inits = {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}
    sd = model.state_dict()
    new = {}
    missing = []
    for k, v in sd.items():
        if k.endswith("num_batches_tracked"):
            new[k] = v
            continue
        if k not in inits:
            missing.append(k)
            continue
        a = inits[k]
        if tuple(a.shape) != tuple(v.shape):
            raise ValueError(f"{path}: initializer {k} has shape {a.shape}, model expects {tuple(v.shape)}")
        new[k] = torch.from_numpy(a.copy()).to(v.dtype)
    if missing:
        raise KeyError(f"{path}: no initializer for {len(missing)} state_dict entries, e.g. {missing[:5]} "
                       "(is this the BatchNorm-kept export of PicoSAM3?)")
    model.load_state_dict(new)
    return model.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default=ONNX_BN,
                    help="state_dict .pt or BN-kept .onnx to take the weights from (default: %(default)s)")
    ap.add_argument("--out-folded", default=ONNX_FOLDED, help="default-export path (default: %(default)s)")
    ap.add_argument("--out-bn", default=ONNX_BN, help="BN-kept export path (default: %(default)s)")
    args = ap.parse_args()
    if args.weights.endswith(".onnx"):
        model = load_onnx_weights(args.weights)
    else:
        model = PicoSAM3()
        model.load_state_dict(torch.load(args.weights, map_location="cpu"))
    export_all(model, args.out_folded, args.out_bn)


if __name__ == "__main__":
    main()
