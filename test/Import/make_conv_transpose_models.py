#!/usr/bin/python3
"""Writes the ONNX models of ConvTranspose's import tests.

    make_conv_transpose_models.py OUTDIR [NAME ...]

Same conventions and helpers as make_models.py.
"""
import os
import sys

import numpy as np
from onnx import helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import FLOAT, const, make, model_registry, tensor, write_models  # noqa: E402

MODELS, model = model_registry()


def conv_transpose(w_shape, x_shape=(1, 4, 3, 3), bias=False, weight_input=False, **attrs):
    """One ConvTranspose node 'up' with weight 'w' (an initializer of
    w_shape with values 0, 1, 2, ... unless weight_input) and bias 'b'."""
    inputs, inits = ["x", "w"], []
    graph_inputs = [tensor("x", FLOAT, list(x_shape))]
    if weight_input:
        graph_inputs.append(tensor("w", FLOAT, list(w_shape)))
    else:
        inits.append(const("w", np.arange(np.prod(w_shape), dtype=np.float32).reshape(w_shape)))
    if bias:
        inputs.append("b")
        inits.append(const("b", np.ones(w_shape[1] * attrs.get("group", 1), np.float32)))
    node = helper.make_node("ConvTranspose", inputs, ["y"], name="up", **attrs)
    return make([node], graph_inputs, [tensor("y", FLOAT, None)], inits)


@model
def convt_basic(_):
    """Stride 2, kernel 2, a bias: the weight transposed to O x C."""
    return conv_transpose([4, 2, 2, 2], bias=True, strides=[2, 2])


@model
def convt_pads(_):
    """Kernel 4, stride 2, pads 1, output_padding, dilation."""
    return conv_transpose([4, 3, 4, 4], strides=[2, 2], pads=[1, 1, 1, 1],
                          output_padding=[1, 0], dilations=[1, 2])


@model
def convt_grouped(_):
    """Two groups: input channel 2's weights feed output channels 3..5."""
    return conv_transpose([4, 3, 1, 1], x_shape=(1, 4, 2, 2), group=2)


@model
def convt_output_shape(_):
    """output_shape larger than the taps reach: output padding."""
    return conv_transpose([4, 1, 3, 3], strides=[3, 2], output_shape=[10, 8])


@model
def convt_same(_):
    """SAME_UPPER: output = input x stride, the odd pad at the end."""
    return conv_transpose([4, 1, 3, 3], strides=[2, 2], auto_pad="SAME_UPPER")


@model
def convt_weight_input(_):
    """A weight computed by the graph: transposed by pico.transpose."""
    return conv_transpose([4, 2, 1, 1], weight_input=True)


@model
def convt_3d(_):
    return conv_transpose([4, 1, 2, 2, 2], x_shape=(1, 4, 3, 3, 3))


@model
def convt_kernel_shape(_):
    return conv_transpose([4, 1, 3, 3], kernel_shape=[2, 2])


@model
def convt_group_mismatch(_):
    return conv_transpose([3, 1, 1, 1], group=2)


@model
def convt_negative_pads(_):
    return conv_transpose([4, 1, 3, 3], pads=[0, -1, 0, 0])


@model
def convt_output_padding(_):
    return conv_transpose([4, 1, 3, 3], output_padding=[1])


@model
def convt_auto_pad(_):
    return conv_transpose([4, 1, 3, 3], auto_pad="FULL")


@model
def convt_leading_output_shape(_):
    """An output_shape larger than the taps reach whose extra elements
    SAME_LOWER's rule puts first (a negative leading pad)."""
    return conv_transpose([4, 1, 3, 3], auto_pad="SAME_LOWER", output_shape=[7, 7])


@model
def convt_grouped_weight_input(_):
    return conv_transpose([4, 1, 1, 1], weight_input=True, group=2)


@model
def convt_too_small(_):
    """Pads that crop the whole output."""
    return conv_transpose([4, 1, 2, 2], x_shape=(1, 4, 1, 1), pads=[1, 0, 1, 0])


if __name__ == "__main__":
    write_models(MODELS)
