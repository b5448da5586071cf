#!/usr/bin/python3
"""Writes small ONNX models that break one IMX500 rule each (or, for the
rule classes the importer already refuses, one such node).

    make_imx500_models.py OUTDIR [NAME ...]

writes OUTDIR/NAME.onnx for every model named (all when none are). Built
with onnx.helper and the helpers of test/Import/make_models.py, so no binary
file is kept in the repository.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "Import"))
from make_models import FLOAT, const, make, tensor, weights  # noqa: E402

MODELS = {}


def model(fn):
    MODELS[fn.__name__] = fn
    return fn


def image(name="x", shape=(1, 3, 64, 64)):
    return tensor(name, FLOAT, list(shape))


def conv_weight(name, out_channels, in_channels, kernel, seed=0):
    return const(name, weights((out_channels, in_channels, kernel, kernel), seed))


# ---------------------------------------------------------------------------
# Inputs and outputs (published)
# ---------------------------------------------------------------------------

@model
def batch2():
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="/conv/Conv", pads=[1, 1, 1, 1])]
    return make(nodes, [image(shape=(2, 3, 64, 64))], [tensor("y", FLOAT, None)],
                [conv_weight("w", 8, 3, 3)])


@model
def small_input():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="/relu/Relu")]
    return make(nodes, [image(shape=(1, 3, 32, 32))], [tensor("y", FLOAT, None)])


@model
def outputs17():
    nodes = [helper.make_node("Relu", ["x"], [f"y{i}"], name=f"/relu{i}/Relu") for i in range(17)]
    return make(nodes, [image()], [tensor(f"y{i}", FLOAT, None) for i in range(17)])


@model
def unnamed_node():
    # The converter rejects nodes with empty names; the importer names this
    # one "Relu_0".
    nodes = [helper.make_node("Relu", ["x"], ["y"])]
    return make(nodes, [image()], [tensor("y", FLOAT, None)])


# ---------------------------------------------------------------------------
# Operators the converter does not accept
# ---------------------------------------------------------------------------

@model
def prelu():
    nodes = [helper.make_node("PRelu", ["x", "slope"], ["y"], name="/act/PRelu")]
    return make(nodes, [image()], [tensor("y", FLOAT, None)],
                [const("slope", np.full((3, 1, 1), 0.25, np.float32))])


@model
def conv_transpose():
    nodes = [helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="/up/ConvTranspose",
                              strides=[2, 2])]
    return make(nodes, [image()], [tensor("y", FLOAT, None)], [conv_weight("w", 3, 8, 2)])


# ---------------------------------------------------------------------------
# 1-D and 3-D ops
# ---------------------------------------------------------------------------

@model
def conv3d():
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="/conv3d/Conv")]
    return make(nodes, [tensor("x", FLOAT, [1, 3, 8, 64, 64])], [tensor("y", FLOAT, None)],
                [const("w", weights((4, 3, 3, 3, 3)))])


@model
def pool1d():
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["rows"], name="/rows/Reshape"),
             helper.make_node("GlobalAveragePool", ["rows"], ["y"], name="/pool/GlobalAveragePool")]
    return make(nodes, [image()], [tensor("y", FLOAT, None)],
                [const("shape", np.array([1, 3, 4096], np.int64))])


# ---------------------------------------------------------------------------
# Convolutions, pools, resizes, Gemm, Softmax, Concat (observed)
# ---------------------------------------------------------------------------

@model
def stride_dilation():
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="/down/Conv", strides=[2, 2],
                              dilations=[2, 2], pads=[2, 2, 2, 2])]
    return make(nodes, [image()], [tensor("y", FLOAT, None)], [conv_weight("w", 8, 3, 3)])


@model
def pool_ceil():
    nodes = [helper.make_node("MaxPool", ["x"], ["m"], name="/pool/MaxPool", kernel_shape=[3, 3],
                              strides=[2, 2], ceil_mode=1),
             helper.make_node("AveragePool", ["x"], ["a"], name="/pool/AveragePool",
                              kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)]
    return make(nodes, [image()], [tensor("m", FLOAT, None), tensor("a", FLOAT, None)])


@model
def maxpool_indices():
    nodes = [helper.make_node("MaxPool", ["x"], ["m", "indices"], name="/pool/MaxPool",
                              kernel_shape=[2, 2], strides=[2, 2])]
    return make(nodes, [image()],
                [tensor("m", FLOAT, None), tensor("indices", onnx.TensorProto.INT64, None)])


def resize_model(**attributes):
    nodes = [helper.make_node("Resize", ["x", "", "scales"], ["y"], name="/up/Resize",
                              **attributes)]
    return make(nodes, [image()], [tensor("y", FLOAT, None)],
                [const("scales", np.array([1, 1, 2, 2], np.float32))])


@model
def resize_cubic():
    return resize_model(mode="cubic")


@model
def resize_align_corners():
    return resize_model(mode="linear", coordinate_transformation_mode="align_corners")


@model
def gemm_alpha():
    nodes = [helper.make_node("Flatten", ["x"], ["flat"], name="/flatten/Flatten"),
             helper.make_node("Gemm", ["flat", "w"], ["y"], name="/fc/Gemm", alpha=2.0,
                              transB=1)]
    return make(nodes, [image()], [tensor("y", FLOAT, None)], [const("w", weights((10, 12288)))])


@model
def softmax_batch():
    nodes = [helper.make_node("Flatten", ["x"], ["flat"], name="/flatten/Flatten"),
             helper.make_node("Softmax", ["flat"], ["y"], name="/softmax/Softmax", axis=0)]
    return make(nodes, [image()], [tensor("y", FLOAT, None)])


@model
def concat_batch():
    nodes = [helper.make_node("Concat", ["x", "x"], ["y"], name="/concat/Concat", axis=0)]
    return make(nodes, [image()], [tensor("y", FLOAT, None)])


# ---------------------------------------------------------------------------
# Activations fusion puts where the IMX500 does not fuse them (MCT)
# ---------------------------------------------------------------------------

@model
def fused_activations():
    # conv + x -> Sigmoid becomes a convolution whose residual add carries
    # the sigmoid; x * x -> Tanh a mul carrying tanh.
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="/skip/Conv"),
             helper.make_node("Add", ["c", "x"], ["s"], name="/Add"),
             helper.make_node("Sigmoid", ["s"], ["y"], name="/Sigmoid"),
             helper.make_node("Mul", ["x", "x"], ["m"], name="/Mul"),
             helper.make_node("Tanh", ["m"], ["z"], name="/Tanh")]
    return make(nodes, [image()], [tensor("y", FLOAT, None), tensor("z", FLOAT, None)],
                [conv_weight("w", 3, 3, 1)])


# ---------------------------------------------------------------------------
# Several rules broken at once: all are reported in one run
# ---------------------------------------------------------------------------

@model
def graph_rules():
    # Every rule the ONNX graph shows before import, none of which picosam
    # can import: a PRelu, a cubic Resize, a 3-D Conv, a MaxPool's indices,
    # an unnamed node, an Erf, a GlobalMaxPool, a 1-D MaxPool and an
    # antialiased Resize.
    nodes = [helper.make_node("PRelu", ["x", "slope"], ["p"], name="/act/PRelu"),
             helper.make_node("Resize", ["x", "", "scales"], ["r"], name="/up/Resize",
                              mode="cubic"),
             helper.make_node("Conv", ["v", "w3"], ["c"], name="/conv3d/Conv"),
             helper.make_node("MaxPool", ["x"], ["m", "indices"], name="/pool/MaxPool",
                              kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Relu", ["x"], ["y"]),
             helper.make_node("Erf", ["x"], ["e"], name="/gelu/Erf"),
             helper.make_node("GlobalMaxPool", ["x"], ["g"], name="/pool/GlobalMaxPool"),
             helper.make_node("MaxPool", ["rows"], ["m1"], name="/pool1d/MaxPool",
                              kernel_shape=[3]),
             helper.make_node("Resize", ["x", "", "scales"], ["a"], name="/down/Resize",
                              mode="linear", antialias=1)]
    return make(nodes, [image(), tensor("v", FLOAT, [1, 3, 4, 8, 8]),
                        tensor("rows", FLOAT, [1, 3, 64])],
                [tensor(name, FLOAT, None) for name in ("p", "r", "c", "m", "y", "e", "g", "m1", "a")]
                + [tensor("indices", onnx.TensorProto.INT64, None)],
                [const("slope", np.full((1, 3, 1, 1), 0.25, np.float32)),
                 const("scales", np.array([1, 1, 2, 2], np.float32)),
                 const("w3", weights((4, 3, 3, 3, 3), 0))])


@model
def graph_and_ir_rules():
    # An unnamed node (the ONNX graph's rule) and, after import, a strided
    # dilated convolution and a 17th output (the IR's rules).
    nodes = [helper.make_node("Relu", ["x"], ["r"]),
             helper.make_node("Conv", ["r", "w"], ["y0"], name="/down/Conv", strides=[2, 2],
                              dilations=[2, 2], pads=[2, 2, 2, 2])]
    nodes += [helper.make_node("Relu", ["x"], [f"y{i}"], name=f"/relu{i}/Relu")
              for i in range(1, 17)]
    return make(nodes, [image()], [tensor(f"y{i}", FLOAT, None) for i in range(17)],
                [conv_weight("w", 8, 3, 3)])


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name in sys.argv[2:] or sorted(MODELS):
        onnx.save(MODELS[name](), os.path.join(outdir, name + ".onnx"))


if __name__ == "__main__":
    main()
