"""Tiny ONNX graph interpreter (PyTorch ops, float32) for the op set that the
PicoSAM3 exports use: Conv, BatchNormalization (inference), Relu, Add, Mul,
Sigmoid, GlobalAveragePool, Constant, Concat, Resize (nearest).

It runs the ONNX *graph* (not the PyTorch module), so it checks that an
exported file computes what PyTorch computes. onnxruntime is not available
on the project machines; any op or attribute outside this set raises.
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _s(v):
    return v.decode() if isinstance(v, bytes) else v


def _conv(ins, at):
    x, w = ins[0], ins[1]
    b = ins[2] if len(ins) > 2 and ins[2] is not None else None
    if _s(at.get("auto_pad", "NOTSET")) != "NOTSET":
        raise NotImplementedError("Conv auto_pad")
    k = list(at.get("kernel_shape", w.shape[2:]))
    if k != list(w.shape[2:]):
        raise ValueError("Conv kernel_shape does not match the weight")
    pads = list(at.get("pads", [0, 0, 0, 0]))
    strides = list(at.get("strides", [1, 1]))
    dil = list(at.get("dilations", [1, 1]))
    group = int(at.get("group", 1))
    if pads[0] == pads[2] and pads[1] == pads[3]:
        return F.conv2d(x, w, b, strides, (pads[0], pads[1]), dil, group)
    x = F.pad(x, (pads[1], pads[3], pads[0], pads[2]))
    return F.conv2d(x, w, b, strides, 0, dil, group)


def _bn(ins, at):
    if int(at.get("training_mode", 0)):
        raise NotImplementedError("BatchNormalization training_mode=1")
    x, scale, bias, mean, var = ins[:5]
    return F.batch_norm(x, mean, var, scale, bias, False, 0.0, float(at.get("epsilon", 1e-5)))


def _resize(ins, at):
    x = ins[0]
    if _s(at.get("mode", "nearest")) != "nearest":
        raise NotImplementedError(f"Resize mode {at.get('mode')}")
    ctm = _s(at.get("coordinate_transformation_mode", "half_pixel"))
    nm = _s(at.get("nearest_mode", "round_prefer_floor"))
    if ctm != "asymmetric" or nm != "floor":
        raise NotImplementedError(f"Resize {ctm}/{nm}")
    scales = ins[2] if len(ins) > 2 and ins[2] is not None and ins[2].numel() else None
    sizes = ins[3] if len(ins) > 3 and ins[3] is not None else None
    if sizes is not None:
        out = [int(v) for v in sizes.tolist()]
        sc = [o / i for o, i in zip(out, x.shape)]
    else:
        sc = [float(v) for v in scales.tolist()]
        out = [int(np.floor(i * s)) for i, s in zip(x.shape, sc)]
    if out[:2] != list(x.shape[:2]):
        raise NotImplementedError("Resize over N or C")
    iy = torch.clamp(torch.floor(torch.arange(out[2], dtype=torch.float64) / sc[2]).long(), max=x.shape[2] - 1)
    ix = torch.clamp(torch.floor(torch.arange(out[3], dtype=torch.float64) / sc[3]).long(), max=x.shape[3] - 1)
    return x[:, :, iy][:, :, :, ix]


OPS = {
    "Conv": _conv,
    "BatchNormalization": _bn,
    "Relu": lambda ins, at: torch.relu(ins[0]),
    "Sigmoid": lambda ins, at: torch.sigmoid(ins[0]),
    "Add": lambda ins, at: ins[0] + ins[1],
    "Mul": lambda ins, at: ins[0] * ins[1],
    "GlobalAveragePool": lambda ins, at: ins[0].mean(dim=(2, 3), keepdim=True),
    "Concat": lambda ins, at: torch.cat(ins, dim=int(at["axis"])),
    "Resize": _resize,
}


class OnnxGraph:
    def __init__(self, path):
        self.model = onnx.load(path)
        g = self.model.graph
        self.inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.inits]
        self.outputs = [o.name for o in g.output]
        for n in g.node:
            if n.op_type not in OPS and n.op_type != "Constant":
                raise NotImplementedError(f"{path}: op {n.op_type} ({n.name}) not supported by onnx_eval")

    @torch.no_grad()
    def run(self, x):
        """x: float32 NCHW numpy array or tensor -> first output as numpy."""
        env = dict(self.inits)
        env[self.inputs[0]] = torch.as_tensor(np.ascontiguousarray(x), dtype=torch.float32)
        for n in self.model.graph.node:
            at = _attrs(n)
            if n.op_type == "Constant":
                env[n.output[0]] = torch.from_numpy(numpy_helper.to_array(at["value"]).copy()
                                                    if isinstance(at["value"], onnx.TensorProto)
                                                    else np.asarray(at["value"]))
                continue
            ins = [env[i] if i else None for i in n.input]
            env[n.output[0]] = OPS[n.op_type](ins, at)
        return env[self.outputs[0]].numpy()


def main():
    ap = argparse.ArgumentParser(description="Run an ONNX file on models/data/sample_input.npy with the "
                                             "tiny interpreter and compare with sample_logits.npy.")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("onnx", nargs="?", default=os.path.join(here, "picosam3.onnx"))
    ap.add_argument("--input", default=os.path.join(here, "data", "sample_input.npy"))
    ap.add_argument("--expected", default=os.path.join(here, "data", "sample_logits.npy"))
    args = ap.parse_args()
    out = OnnxGraph(args.onnx).run(np.load(args.input))
    exp = np.load(args.expected)
    d = float(np.abs(out - exp).max())
    print(f"{args.onnx}: output {out.shape}, max |diff| vs {os.path.basename(args.expected)} = {d:.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
