#!/usr/bin/env python3
"""The MCTQ export checked against the quantizer arithmetic it documents.

picosam-compile --target=imx500 --emit=mctq-onnx quantizes the model (the
shipped calibration crops) and writes it as Sony's MCTQ ONNX: the float
graph with mct_quantizers nodes. This script evaluates that file on its own
with a numpy reference of the documented arithmetic (docs/imx500.md, "The
MCT bridge"), MCT's fake quantization in float:

  ActivationPOTQuantizer(T, signed, n):  s = T / 2^(n-1) (signed) or T / 2^n,
      y = clip(round_half_even(x / s) * s, -T or 0, T - s)
  WeightsSymmetricQuantizer(W, T_c, n):  the same with s_c = T_c / 2^(n-1),
      signed, per output channel

and the ONNX ops PicoSAM3 uses (Conv, Relu, Add, Mul, Sigmoid,
GlobalAveragePool, nearest Resize, Constant), in float64, biases in float
as MCT leaves them. The MCTQ file is then imported back by picosam-compile
(its quantizers give the thresholds) and run with picosam's integer kernels
(picosam-run of the quantized stage; picosam has no float fake-quant mode)
on the same evaluation crops. They are the same quantization computed two
ways (float fake quantization vs integer arithmetic: int32 biases,
fixed-point requantization), so:

- layer by layer (on --layer-crops crops, each layer's reference computed
  from picosam's own input to it): at most MAX_LAYER_STEPS output steps
  apart, on at most MAX_LAYER_SHARE of a tensor's elements;
- end to end (the per-layer differences propagate): logits SQNR against
  the reference >= MIN_SQNR_DB and mean mask IoU >= MIN_MEAN_IOU.

Prints the figures and fails when a bound is broken. About 40 s."""
import argparse
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from data import normalize  # noqa: E402  (the one definition of the preprocessing)
from check_fp32 import run  # noqa: E402

# Per layer, from the same input: picosam's bias is int32 at the accumulator's
# scale s_x s_w (docs/quantization.md), MCT's stays float, so where s_x s_w
# exceeds the output step (PicoSAM3's bottleneck depthwise: s_x s_w / s_y up
# to 1.6) the bias alone moves a result by up to 0.8 steps: 2 steps at most.
MAX_LAYER_STEPS = 2       # largest difference, in the layer's output steps
MAX_LAYER_SHARE = 0.08    # share of a tensor's elements that differ
MIN_SQNR_DB = 30.0        # end to end: logits SQNR of picosam against the reference
MIN_MEAN_IOU = 0.99       # end to end: mean mask IoU (logit > 0)


def fake_quantize(x, threshold, signed, num_bits):
    """MCT's quantizer in float: `threshold` broadcasts against x."""
    scale = threshold / 2.0 ** (num_bits - 1 if signed else num_bits)
    low = -threshold if signed else np.zeros_like(threshold)
    return np.clip(np.round(x / scale) * scale, low, threshold - scale)


def attributes(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def evaluate(model, x, picosam=None):
    """The MCTQ graph on one NCHW float input, in float64. With `picosam`
    (picosam's tensors of the same input, by ONNX tensor name), each
    quantizer output picosam has is compared with picosam's, then replaced
    by it: every layer is checked on the same input. Returns the output and
    {tensor: (largest difference in quantizer steps, share that differs)}."""
    values = {t.name: numpy_helper.to_array(t).astype(np.float64)
              if numpy_helper.to_array(t).dtype.kind == "f" else numpy_helper.to_array(t)
              for t in model.graph.initializer}
    values[model.graph.input[0].name] = x.astype(np.float64)
    layers = {}
    for node in model.graph.node:
        a = attributes(node)
        ins = [values[name] if name else None for name in node.input]
        op = node.op_type
        if node.domain == "mct_quantizers" and op == "ActivationPOTQuantizer":
            out = fake_quantize(ins[0], float(a["threshold"]), a["signed"], a["num_bits"])
        elif node.domain == "mct_quantizers" and op == "WeightsSymmetricQuantizer":
            assert a["per_channel"] == 1 and a["channel_axis"] == 0, node.name
            shape = [-1] + [1] * (ins[0].ndim - 1)
            out = fake_quantize(ins[0], ins[1].astype(np.float64).reshape(shape),
                                a["signed"], a["num_bits"])
        elif node.domain:
            raise SystemExit(f"FAIL: node {node.name}: no reference for {node.domain}.{op}")
        elif op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            assert pads[:2] == pads[2:], node.name
            out = torch.nn.functional.conv2d(
                torch.from_numpy(ins[0]), torch.from_numpy(ins[1]),
                None if len(ins) < 3 else torch.from_numpy(ins[2]),
                stride=a.get("strides", [1, 1]), padding=pads[:2],
                dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1)).numpy()
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Mul":
            out = ins[0] * ins[1]
        elif op == "Sigmoid":
            out = 1 / (1 + np.exp(-ins[0]))
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Resize":
            assert (a["mode"], a["coordinate_transformation_mode"], a["nearest_mode"]) == \
                (b"nearest", b"asymmetric", b"floor"), node.name
            scales = ins[2].astype(int)
            assert list(scales[:2]) == [1, 1] and (scales == ins[2]).all(), node.name
            out = ins[0].repeat(scales[2], axis=2).repeat(scales[3], axis=3)
        else:
            raise SystemExit(f"FAIL: node {node.name}: no reference for {op}")
        name = node.output[0]
        if picosam is not None and node.domain and name in picosam:
            step = float(a["threshold"]) / 2.0 ** (a["num_bits"] - (1 if a["signed"] else 0))
            difference = np.abs(picosam[name] - out) / step
            layers[name] = (float(difference.max()), float((difference > 1e-6).mean()))
            out = picosam[name]
        values[name] = out
    return values[model.graph.output[0].name], layers


def picosam_tensors(dump, model):
    """picosam-run's dump of one crop by the ONNX tensor each quantizer of
    `model` writes: a fused op's tensor is its last node's output."""
    quantized = {n.output[0] for n in model.graph.node if n.domain == "mct_quantizers"}
    producers = {n.name: n.output[0] for n in model.graph.node}
    tensors = {}
    for key in dump.files:
        tensor = producers.get(key.split("+")[-1], "").removesuffix("/float")
        if tensor in quantized:
            tensors[tensor] = dump[key].astype(np.float64)
    return tensors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compile-tool", required=True)
    parser.add_argument("--run-tool", required=True)
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "picosam3.onnx"))
    parser.add_argument("--work", required=True)
    parser.add_argument("--calibration-crops", type=int, default=16)
    parser.add_argument("--crops", type=int, default=16, help="evaluation crops compared")
    parser.add_argument("--layer-crops", type=int, default=2,
                        help="evaluation crops compared layer by layer")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    data = os.path.join(ROOT, "models", "data")
    calibration = os.path.join(args.work, "calibration.npy")
    np.save(calibration, np.load(os.path.join(data, "calibration.npz"))["crops"][
        : args.calibration_crops])
    mctq = os.path.join(args.work, "model.mctq.onnx")
    run([args.compile_tool, args.model, "--target=imx500", "--emit=mctq-onnx",
         f"--calibration-data={calibration}", "-o", mctq])
    quantized = os.path.join(args.work, "imported.quantized.mlir")
    run([args.compile_tool, mctq, "--target=imx500", "--to=quantized", "-o", quantized])

    crops = np.load(os.path.join(data, "evaluation.npz"))["crops"][: args.crops]
    inputs = normalize(crops)
    inputs_path = os.path.join(args.work, "inputs.npy")
    logits_path = os.path.join(args.work, "logits.npy")
    np.save(inputs_path, inputs)
    run([args.run_tool, quantized, "--batch", "-i", inputs_path, "-o", logits_path])
    picosam = np.load(logits_path).astype(np.float64)
    model = onnx.load(mctq)
    reference = np.concatenate([evaluate(model, x[None])[0] for x in inputs])

    # Layer by layer: each quantizer's reference output from picosam's own
    # input to that layer.
    layers = {}
    for index in range(args.layer_crops):
        crop_path = os.path.join(args.work, "crop.npy")
        dump_path = os.path.join(args.work, "crop.npz")
        np.save(crop_path, inputs[index:index + 1])
        run([args.run_tool, quantized, "-i", crop_path, f"--dump={dump_path}"])
        tensors = picosam_tensors(np.load(dump_path), model)
        for name, (steps, share) in evaluate(model, inputs[index:index + 1], tensors)[1].items():
            worst = layers.get(name, (0.0, 0.0))
            layers[name] = (max(worst[0], steps), max(worst[1], share))

    output = next(n for n in model.graph.node if n.output[0] == model.graph.output[0].name)
    out_attrs = attributes(output)
    step = float(out_attrs["threshold"]) / 2.0 ** (out_attrs["num_bits"] - 1)
    lsb = np.abs(picosam - reference) / step
    a = picosam.reshape(len(picosam), -1) > 0
    b = reference.reshape(len(reference), -1) > 0
    union = (a | b).sum(axis=1)
    iou = np.where(union == 0, 1.0, (a & b).sum(axis=1) / np.maximum(union, 1))
    noise = ((picosam - reference) ** 2).sum()
    sqnr = 10 * np.log10((reference ** 2).sum() / noise) if noise else float("inf")

    quantizers = sum(n.domain == "mct_quantizers" for n in model.graph.node)
    print(f"{os.path.basename(args.model)} exported as MCTQ ({quantizers} quantizer nodes, "
          f"calibrated on {args.calibration_crops} crops); numpy reference of the MCTQ "
          f"arithmetic vs picosam-run of the MCTQ model imported and quantized")
    worst_layer = max(layers, key=lambda name: layers[name][0])
    worst_share = max(share for _, share in layers.values())
    print(f"layer by layer ({len(layers)} quantized tensors, {args.layer_crops} crops, each "
          f"layer fed picosam's input): largest difference {layers[worst_layer][0]:.2f} steps "
          f"(bound {MAX_LAYER_STEPS}, at '{worst_layer}'), at most {100 * worst_share:.2f} % "
          f"of a tensor's elements differ (bound {100 * MAX_LAYER_SHARE:.1f} %)")
    print(f"end to end ({len(inputs)} crops, output step {step:g}): max |difference| "
          f"{lsb.max():.2f} steps, {100 * float((lsb <= 1 + 1e-9).mean()):.2f} % within 1 step, "
          f"SQNR {sqnr:.2f} dB (bound {MIN_SQNR_DB}), mask IoU mean {iou.mean():.4f} "
          f"(bound {MIN_MEAN_IOU}), min {iou.min():.4f}")
    failures = []
    if layers[worst_layer][0] > MAX_LAYER_STEPS:
        failures.append(f"'{worst_layer}' differs by {layers[worst_layer][0]:.2f} steps")
    if worst_share > MAX_LAYER_SHARE:
        failures.append(f"{100 * worst_share:.2f} % of a tensor's elements differ")
    if sqnr < MIN_SQNR_DB:
        failures.append(f"the end-to-end SQNR is {sqnr:.2f} dB")
    if iou.mean() < MIN_MEAN_IOU:
        failures.append(f"the mean mask IoU is {iou.mean():.4f}")
    if failures:
        raise SystemExit("FAIL: " + "; ".join(failures))
    print("PASS")


if __name__ == "__main__":
    main()
