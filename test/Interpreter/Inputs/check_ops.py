"""Runs functions of a pico IR file with picosam-run on seeded random inputs
and compares every result with an independent reference (PyTorch, or numpy
where PyTorch has no equivalent). Prints "<case>: ok" per case, or what
differs, and exits 1 when any case fails.

usage: check_ops.py --tool PICOSAM_RUN --ir FILE --work DIR CASE...
The IR function of each case is named like the case."""
import argparse
import os
import subprocess
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

CASES = {}


def case(*input_specs, tol=1e-5):
    """Registers a reference: input_specs are (shape, dtype[, kind]) with kind
    'normal' (default), 'positive', 'int', or a function that edits the
    normal sample in place."""
    def register(fn):
        CASES[fn.__name__] = (input_specs, fn, tol)
        return fn
    return register


def make_input(rng, spec):
    shape, dtype = spec[0], spec[1]
    kind = spec[2] if len(spec) > 2 else "normal"
    if kind == "positive":
        return rng.uniform(0.5, 2.0, shape).astype(dtype)
    if kind == "int":
        return rng.integers(-128, 128, shape).astype(dtype)
    sample = rng.standard_normal(shape).astype(dtype)
    if callable(kind):
        kind(sample)
    return sample


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def conv(x, w, b, strides, dilations, pads, group):
    """ONNX Conv: pads are [top, left, bottom, right]."""
    top, left, bottom, right = pads
    x = F.pad(t(x), (left, right, top, bottom))
    return F.conv2d(x, t(w), None if b is None else t(b), strides, 0, dilations, group).numpy()


# --- convolution ------------------------------------------------------------

@case(((1, 3, 7, 8), np.float32), ((4, 3, 3, 2), np.float32), ((4,), np.float32))
def conv_pads_stride(x, w, b):
    return [np.maximum(conv(x, w, b, (2, 1), (1, 1), (1, 0, 2, 1), 1), 0)]


@case(((2, 4, 9, 9), np.float32), ((6, 2, 3, 3), np.float32))
def conv_groups_dilation(x, w):
    return [np.clip(conv(x, w, None, (1, 2), (2, 3), (2, 1, 0, 3), 2), -0.5, 0.5)]


@case(((1, 5, 6, 6), np.float32), ((5, 1, 3, 3), np.float32), ((5,), np.float32))
def conv_depthwise(x, w, b):
    y = conv(x, w, b, (1, 1), (1, 1), (1, 1, 1, 1), 5)
    return [np.where(y >= 0, y, np.float32(0.1) * y)]


@case(((1, 8, 5, 7), np.float32), ((3, 8, 1, 1), np.float32))
def conv_pointwise(x, w):
    return [conv(x, w, None, (1, 1), (1, 1), (0, 0, 0, 0), 1)]


# --- fused ops ---------------------------------------------------------------

def upsample2(x):
    """Nearest x2 upsample of H and W (ONNX Resize nearest, asymmetric, floor)."""
    return np.repeat(np.repeat(x, 2, axis=2), 2, axis=3)


@case(((1, 3, 5, 4), np.float32), ((6, 3, 3, 3), np.float32), ((6,), np.float32),
      ((1, 6, 10, 8), np.float32))
def conv_residual_upsample(x, w, b, r):
    return [np.maximum(conv(upsample2(x), w, b, (1, 1), (1, 1), (1, 1, 1, 1), 1) + r, 0)]


@case(((2, 4, 5, 6), np.float32), ((4, 4, 1, 1), np.float32), ((4,), np.float32))
def channel_attention(x, w, b):
    gates = torch.sigmoid(t(conv(x.mean(axis=(2, 3), keepdims=True), w, b, (1, 1), (1, 1),
                                 (0, 0, 0, 0), 1))).numpy()
    return [x * gates]


@case(((1, 4, 5, 5), np.float32), ((4, 1, 3, 3), np.float32), ((4,), np.float32),
      ((6, 4, 1, 1), np.float32), ((6,), np.float32), ((1, 6, 10, 10), np.float32))
def separable_block(x, wd, bd, wp, bp, r):
    dw = np.maximum(conv(upsample2(x), wd, bd, (1, 1), (1, 1), (1, 1, 1, 1), 4), 0)
    return [np.clip(conv(dw, wp, bp, (1, 1), (1, 1), (0, 0, 0, 0), 1) + r, 0, 6)]


# --- element-wise -----------------------------------------------------------

@case(((2, 1, 4), np.float32), ((3, 1), np.float32))
def add_broadcast(a, b):
    return [np.maximum(a + b, 0)]


@case(((4,), np.float32), ((2, 3, 1), np.float32))
def sub_broadcast(a, b):
    return [a - b]


@case(((2, 3), np.float32), ((), np.float32))
def mul_scalar(a, b):
    return [a * b]


@case(((2, 3, 4, 5), np.float32), ((3, 1, 1), np.float32, "positive"))
def div_channels(a, b):
    return [a / b]


@case(((3, 4), np.float32))
def activations(x):
    x = x * 4
    xt = t(x)
    return [F.relu(xt).numpy(), np.clip(x, -1, 2), F.leaky_relu(xt, 0.2).numpy(),
            torch.sigmoid(xt).numpy(), np.clip(np.float32(0.25) * x + np.float32(0.4), 0, 1),
            F.hardswish(xt).numpy(), np.tanh(x)]


@case(((2, 3, 4, 5), np.float32), ((3,), np.float32), ((3,), np.float32),
      ((3,), np.float32), ((3,), np.float32, "positive"))
def batch_norm(x, scale, bias, mean, var):
    return [F.batch_norm(t(x), t(mean), t(var), t(scale), t(bias), False, 0.0, 1e-3).numpy()]


@case(((2, 3, 5, 7), np.float32))
def global_avg_pool(x):
    return [x.mean(axis=(2, 3), keepdims=True)]


def spike(x):
    x[0, 0, 0] = 1000.0  # exp(1000) overflows unless the maximum is subtracted


@case(((2, 5, 3), np.float32, spike))
def softmax(x):
    return [torch.softmax(t(x), 1).numpy(), torch.softmax(t(x), -1).numpy()]


# --- pooling ----------------------------------------------------------------

@case(((1, 2, 7, 7), np.float32))
def avg_pool_include_pad(x):
    return [F.avg_pool2d(t(x), 3, 2, 1, count_include_pad=True).numpy()]


@case(((1, 2, 6, 6), np.float32))
def avg_pool_exclude_pad_ceil(x):
    return [F.avg_pool2d(t(x), 3, 2, 1, ceil_mode=True, count_include_pad=False).numpy()]


@case(((1, 2, 6, 6), np.float32))
def avg_pool_include_pad_ceil(x):
    return [F.avg_pool2d(t(x), 3, 2, 1, ceil_mode=True, count_include_pad=True).numpy()]


@case(((1, 2, 8, 8), np.float32))
def max_pool_dilation(x):
    return [F.max_pool2d(t(x), (2, 3), (1, 2), 1, (2, 1)).numpy()]


def all_negative(x):
    # A zero from the padding would win if it counted.
    x[...] = -np.abs(x) - 1


@case(((1, 1, 5, 5), np.float32, all_negative))
def max_pool_ceil_padding(x):
    padded = np.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)), constant_values=-np.inf)
    return [F.max_pool2d(t(padded), 2, 2, ceil_mode=True).numpy()]


# --- shape manipulation and products ---------------------------------------

@case(((2, 3, 4), np.float32), ((2, 1, 4), np.float32), ((2, 2, 4), np.float32))
def concat(a, b, c):
    return [np.concatenate([a, b, c], axis=-2)]


@case(((2, 3, 4), np.float32))
def reshape_transpose(x):
    return [x.reshape(4, 6), x.transpose(2, 0, 1)]


@case(((2, 3), np.int8, "int"), ((2, 1), np.int8, "int"))
def concat_transpose_i8(a, b):
    return [np.concatenate([a, b], axis=1).T]


@case(((2, 1, 3, 4), np.float32), ((5, 4, 2), np.float32))
def matmul_batched(a, b):
    return [np.matmul(a, b)]


@case(((4,), np.float32), ((3, 4, 2), np.float32), ((2, 3, 4), np.float32))
def matmul_vectors(v, b, a):
    return [np.matmul(v, b), np.matmul(a, v)]


@case(((4, 3), np.float32), ((5, 4), np.float32), ((5,), np.float32))
def gemm_transposed(a, b, c):
    return [np.maximum(np.float32(0.5) * (a.T @ b.T) + np.float32(2.0) * c, 0)]


@case(((2, 3), np.float32), ((3, 4), np.float32))
def gemm_plain(a, b):
    return [a @ b]


# --- quantization -----------------------------------------------------------

def quantize(x, scale, zero_point, lo, hi):
    """ONNX QuantizeLinear: f32 division, round half to even, saturate."""
    q = np.round(x / np.float32(scale)).astype(np.float64) + zero_point
    return np.clip(q, lo, hi)


def halves_and_extremes(x):
    # In f32, x / 0.1 is exactly 2.5, 3.5, -2.5, -3.5 (ties, rounded half to
    # even), then two values that saturate.
    x[0, :] = [0.25, 0.35, -0.25, -0.35, 100.0, -100.0]


@case(((2, 6), np.float32, halves_and_extremes))
def quantize_per_tensor(x):
    q = quantize(x, 0.1, -3, -128, 127).astype(np.int8)
    return [q, ((q.astype(np.float32) + 3) * np.float32(0.1)).astype(np.float32)]


@case(((2, 3), np.float32))
def quantize_per_axis(x):
    scales = np.array([0.1, 0.2, 0.05], np.float32)
    zero_points = np.array([128, 10, 0])
    q = np.stack([quantize(x[:, i], scales[i], zero_points[i], 0, 255) for i in range(3)], 1)
    q = q.astype(np.uint8)
    return [q, ((q.astype(np.float32) - zero_points) * scales).astype(np.float32)]


@case()
def constants():
    resource = np.array([1.5, -2.0, 0.25, 8.0], np.float32).reshape(2, 2)
    quantized = (np.array([[-128, 0], [5, 127]], np.float32) - 1) * np.float32(0.5)
    return [np.array([[1, 2], [3, 4]], np.float32), np.full((2, 2), 7.0, np.float32),
            resource, quantized, np.array([True, False, True]), np.array([200, 7], np.uint8)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--ir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    failed = 0
    for name in args.cases:
        specs, reference, tol = CASES[name]
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        inputs = [make_input(rng, spec) for spec in specs]
        expected = reference(*inputs)
        command = [args.tool, args.ir, f"--entry={name}"]
        for i, array in enumerate(inputs):
            path = os.path.join(args.work, f"{name}.in{i}.npy")
            np.save(path, array)
            command += ["-i", path]
        outputs = [os.path.join(args.work, f"{name}.out{i}.npy") for i in range(len(expected))]
        for path in outputs:
            command += ["-o", path]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name}: FAIL: picosam-run exited {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        problems = []
        for i, (path, want) in enumerate(zip(outputs, expected)):
            got = np.load(path)
            want = np.asarray(want)
            if got.shape != want.shape or got.dtype != want.dtype:
                problems.append(f"result {i} is {got.dtype}{list(got.shape)}, "
                                f"expected {want.dtype}{list(want.shape)}")
                continue
            error = np.abs(got.astype(np.float64) - want.astype(np.float64)).max(initial=0)
            exact = not np.issubdtype(want.dtype, np.floating)
            if error > (0 if exact else tol):
                problems.append(f"result {i}: max abs error {error:.3e}")
        print(f"{name}: " + ("ok" if not problems else "FAIL: " + "; ".join(problems)))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
