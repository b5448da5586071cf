#!/usr/bin/env python3
"""The interpreter's float reductions against an exact (float64) numpy
evaluation, on ill-conditioned inputs: values over eight decades whose
products cancel (each channel's term has a twin of nearly opposite sign),
so that a sum accumulated in float32 loses many bits.

Every reduction of the reference kernels sums in double and rounds once, so
each result is within `BOUND_ULPS` float32 ulps of the float64 evaluation.
The same sums accumulated in float32, in the kernel's order, are printed
beside it and must be worse than the bound (else the input would not test
anything). Usage: precision.py --run picosam-run --compile picosam-compile
--work DIR"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BOUND_ULPS = 1.0
F = np.float32


def cancelling(rng, shape, axis):
    """Values of magnitude 1e-4..1e4 along `axis` (even length): the second
    half repeats the first, negated and perturbed by about 1e-3, so sums
    along it cancel to about a thousandth of their terms."""
    half = list(shape)
    half[axis] //= 2
    first = rng.standard_normal(half) * 10.0 ** rng.uniform(-4, 4, half)
    second = -first * (1 + 1e-3 * rng.standard_normal(half))
    return np.concatenate([first, second], axis=axis).astype(F)


def ulps(got, exact):
    """|got - exact| in float32 ulps of the exact value."""
    spacing = np.spacing(np.abs(exact.astype(F))).astype(np.float64)
    spacing = np.maximum(spacing, np.spacing(F(0)))
    return np.abs(got.astype(np.float64) - exact) / spacing


def conv_f32(x, w, b, residual=None):
    """1x1 or KxK convolution (stride 1, same padding) accumulated in
    float32 in the kernel's order: bias, then input channel, kernel row,
    kernel column; then the residual."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    pad = kh // 2
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    acc = np.broadcast_to(b.reshape(1, o, 1, 1), (n, o, h, wd)).astype(F).copy()
    for ic in range(c):
        for i in range(kh):
            for j in range(kw):
                acc += w[:, ic, i, j].reshape(1, o, 1, 1) * xp[:, ic:ic + 1, i:i + h, j:j + wd]
    return acc if residual is None else acc + residual


def conv_f64(x, w, b, residual=None):
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    pad = kh // 2
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.broadcast_to(b.astype(np.float64).reshape(1, o, 1, 1), (n, o, h, wd)).copy()
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("oc,nchw->nohw", w[:, :, i, j].astype(np.float64),
                             xp[:, :, i:i + h, j:j + wd])
    return out if residual is None else out + residual.astype(np.float64)


def sequential_f32(terms, axis):
    """The sum along `axis`, accumulated in float32 one term after another."""
    terms = np.moveaxis(terms.astype(F), axis, 0)
    acc = np.zeros(terms.shape[1:], F)
    for t in terms:
        acc += t
    return acc


def cases(rng):
    """(name, ONNX nodes, initializers, input, stage, float64 result,
    float32-accumulated result, bound in ulps)."""
    # A 960->128 1x1 convolution (the one the issue measured) and a 3x3 one.
    for name, (c, o, k) in {"conv1x1": (960, 128, 1), "conv3x3": (64, 16, 3)}.items():
        x = cancelling(rng, [1, c, 6, 6], 1)
        w = (rng.standard_normal([o, c, k, k])).astype(F)
        w[:, c // 2:] = w[:, :c // 2]
        b = rng.standard_normal(o).astype(F)
        nodes = [helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[k // 2] * 4)]
        yield (name, nodes, {"w": w, "b": b}, x, "imported", conv_f64(x, w, b),
               conv_f32(x, w, b), BOUND_ULPS)
    # A convolution with its residual Add fused (fused stage).
    x = cancelling(rng, [1, 128, 4, 4], 1)
    w = rng.standard_normal([128, 128, 1, 1]).astype(F)
    w[:, 64:] = w[:, :64]
    b = rng.standard_normal(128).astype(F)
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"]),
             helper.make_node("Add", ["c", "x"], ["y"])]
    yield ("conv_residual_fused", nodes, {"w": w, "b": b}, x, "fused",
           conv_f64(x, w, b, x), conv_f32(x, w, b, x), BOUND_ULPS)
    # MatMul and Gemm (with its bias) over 960 cancelling terms.
    a = cancelling(rng, [8, 960], 1)
    m = rng.standard_normal([960, 64]).astype(F)
    m[480:] = m[:480]
    bias = rng.standard_normal(64).astype(F)
    exact = a.astype(np.float64) @ m.astype(np.float64)
    f32 = sequential_f32(a[:, :, None] * m[None], 1)
    yield ("matmul", [helper.make_node("MatMul", ["x", "m"], ["y"])], {"m": m}, a,
           "imported", exact, f32, BOUND_ULPS)
    yield ("gemm", [helper.make_node("Gemm", ["x", "m", "bias"], ["y"])],
           {"m": m, "bias": bias}, a, "imported", exact + bias, f32 + bias, BOUND_ULPS)
    # Means of planes whose elements cancel.
    x = cancelling(rng, [1, 4, 32, 32], 2)
    planes = x.reshape(1, 4, -1)
    yield ("global_average_pool", [helper.make_node("GlobalAveragePool", ["x"], ["y"])],
           {}, x, "imported", planes.astype(np.float64).mean(-1).reshape(1, 4, 1, 1),
           (sequential_f32(planes, 2) / F(planes.shape[-1])).reshape(1, 4, 1, 1), BOUND_ULPS)
    x = cancelling(rng, [1, 2, 32, 32], 2)
    windows = np.stack([x[:, :, i::16, j::16] for i in range(16) for j in range(16)])
    yield ("average_pool", [helper.make_node("AveragePool", ["x"], ["y"],
                                             kernel_shape=[16, 16], strides=[16, 16])],
           {}, x, "imported", windows.astype(np.float64).mean(0),
           sequential_f32(windows, 0) / F(256), BOUND_ULPS)
    # Softmax over 4096 values: a long sum of positive terms.
    x = (rng.standard_normal([2, 4096]) * 3).astype(F)
    e64 = np.exp(x.astype(np.float64) - x.max(1, keepdims=True))
    e32 = np.exp(x - x.max(1, keepdims=True))
    yield ("softmax", [helper.make_node("Softmax", ["x"], ["y"], axis=1)], {}, x,
           "imported", e64 / e64.sum(1, keepdims=True),
           e32 / sequential_f32(e32, 1)[:, None], BOUND_ULPS)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", required=True)
    parser.add_argument("--compile", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(7)
    failed = 0
    for name, nodes, initializers, x, stage, exact, f32, bound in cases(rng):
        graph = helper.make_graph(
            nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, exact.shape)],
            [numpy_helper.from_array(v, k) for k, v in initializers.items()])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        path = os.path.join(args.work, name)
        onnx.save(model, path + ".onnx")
        np.save(path + "_x.npy", x)
        subprocess.run([args.compile, path + ".onnx", f"--to={stage}", "-o", path + ".mlir"],
                       check=True)
        subprocess.run([args.run, path + ".mlir", "-i", path + "_x.npy", "-o", path + "_y.npy"],
                       check=True)
        got = np.load(path + "_y.npy")
        picosam, accumulated = ulps(got, exact).max(), ulps(f32, exact).max()
        ok = picosam <= bound < accumulated
        failed += not ok
        print(f"{name}: picosam-run {picosam:.3g} ulp, float32 accumulation "
              f"{accumulated:.3g} ulp (bound {bound:g}): {'ok' if ok else 'FAIL'}")
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
