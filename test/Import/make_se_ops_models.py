#!/usr/bin/python3
"""Writes the ONNX models of the import tests of the ops squeeze-and-
excitation and attention blocks export: ReduceMean, ReduceSum, ReduceMax,
PRelu, Tile and Expand.

    make_se_ops_models.py OUTDIR [NAME ...]

Same conventions and helpers as make_models.py.
"""
import os
import sys

import numpy as np
from onnx import helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import (FLOAT, INT64, const, make, model_registry, tensor,  # noqa: E402
                         write_models)

MODELS, model = model_registry()


X = [1, 4, 3, 5]


def reduce_model(nodes, inits=(), opset=13, x_shape=X):
    return make(nodes, [tensor("x", FLOAT, list(x_shape))],
                [tensor(n.output[0], FLOAT, None) for n in nodes], list(inits), opset=opset)


@model
def reduce_opset13(_):
    """Axes as attributes (ReduceSum's as an input from 13): the kept
    spatial mean is a global_avg_pool, the others pico.reduce."""
    nodes = [helper.make_node("ReduceMean", ["x"], ["se"], name="se", axes=[-2, -1]),
             helper.make_node("ReduceMean", ["x"], ["flat"], name="flat", axes=[2, 3],
                              keepdims=0),
             helper.make_node("ReduceMax", ["x"], ["channels"], name="channels", axes=[1]),
             helper.make_node("ReduceMax", ["x"], ["all"], name="all", keepdims=0),
             helper.make_node("ReduceSum", ["x", "sum_axes"], ["sum"], name="sum")]
    return reduce_model(nodes, [const("sum_axes", np.array([3, 1], np.int64))])


@model
def reduce_opset18(_):
    """Axes as an input; noop_with_empty_axes passes the input on."""
    nodes = [helper.make_node("ReduceMean", ["x", "axes"], ["mean"], name="mean"),
             helper.make_node("ReduceMax", ["x"], ["noop"], name="noop",
                              noop_with_empty_axes=1)]
    return reduce_model(nodes, [const("axes", np.array([1], np.int64))], opset=18)


@model
def reduce_twice(_):
    return reduce_model([helper.make_node("ReduceMean", ["x"], ["y"], name="mean",
                                          axes=[1, -3])])


@model
def reduce_axis_range(_):
    return reduce_model([helper.make_node("ReduceMax", ["x"], ["y"], name="max", axes=[4])])


@model
def reduce_dynamic_axes(_):
    node = helper.make_node("ReduceSum", ["x", "a"], ["y"], name="sum")
    return make([node], [tensor("x", FLOAT, X), tensor("a", INT64, [1])],
                [tensor("y", FLOAT, None)])


@model
def prelu(_):
    """One slope is a leaky_relu, a per-channel one a pico.prelu."""
    nodes = [helper.make_node("PRelu", ["x", "one"], ["leaky"], name="leaky"),
             helper.make_node("PRelu", ["x", "per_channel"], ["prelu"], name="prelu")]
    return reduce_model(nodes, [const("one", np.array([0.25], np.float32)),
                                const("per_channel",
                                      np.array([0.1, 0.2, 0.3, 0.4], np.float32).reshape(4, 1, 1))])


@model
def prelu_wide_slope(_):
    node = helper.make_node("PRelu", ["x", "slope"], ["y"], name="prelu")
    return reduce_model([node], [const("slope", np.arange(8, dtype=np.float32).reshape(2, 4, 1, 1))])


@model
def tile_expand(_):
    """On activations: one concat of copies per repeated axis (Expand adds
    leading axes by a reshape first); on constants: folded."""
    inits = [const("repeats", np.array([1, 2, 1, 3], np.int64)),
             const("gate_shape", np.array([1, 4, 3, 5], np.int64)),
             const("row_shape", np.array([2, 1, 5], np.int64)),
             const("table", np.array([[1.0, 2.0]], np.float32)),
             const("table_repeats", np.array([2, 2], np.int64))]
    nodes = [helper.make_node("Tile", ["x", "repeats"], ["tiled"], name="tile"),
             helper.make_node("ReduceMean", ["x"], ["gate"], name="gate", axes=[2, 3]),
             helper.make_node("Expand", ["gate", "gate_shape"], ["expanded"], name="expand"),
             helper.make_node("Mul", ["x", "expanded"], ["scaled"], name="scale"),
             helper.make_node("ReduceMax", ["x"], ["row"], name="row", axes=[0, 1, 2],
                              keepdims=0),
             helper.make_node("Expand", ["row", "row_shape"], ["rows"], name="rows"),
             helper.make_node("Tile", ["table", "table_repeats"], ["tiled_table"],
                              name="tile_table"),
             helper.make_node("Reshape", ["tiled_table", "column_shape"], ["column"],
                              name="column"),
             helper.make_node("Add", ["rows", "column"], ["shifted"], name="shift")]
    inits.append(const("column_shape", np.array([2, 4, 1], np.int64)))
    return make(nodes, [tensor("x", FLOAT, X)],
                [tensor(n, FLOAT, None) for n in ["tiled", "scaled", "shifted"]], inits)


@model
def expand_mismatch(_):
    node = helper.make_node("Expand", ["x", "shape"], ["y"], name="expand")
    return reduce_model([node], [const("shape", np.array([1, 4, 2, 5], np.int64))])


@model
def tile_count(_):
    node = helper.make_node("Tile", ["x", "repeats"], ["y"], name="tile")
    return reduce_model([node], [const("repeats", np.array([1, 2], np.int64))])


@model
def tile_many(_):
    """200 copies: a concat of 3 concats of 64, and 8 more."""
    node = helper.make_node("Tile", ["x", "repeats"], ["y"], name="tile")
    return reduce_model([node], [const("repeats", np.array([1, 200, 1, 1], np.int64))])


@model
def tile_huge(_):
    """2^24 copies of an axis: 4 levels of concats of 64, not 2^24 operands."""
    node = helper.make_node("Tile", ["x", "repeats"], ["y"], name="tile")
    return reduce_model([node], [const("repeats", np.array([1, 1, 1 << 24, 1], np.int64))])


@model
def tile_overflow(_):
    node = helper.make_node("Tile", ["x", "repeats"], ["y"], name="tile")
    return reduce_model([node], [const("repeats", np.array([1, 1 << 62, 1, 1], np.int64))])


@model
def expand_overflow(_):
    node = helper.make_node("Expand", ["x", "shape"], ["y"], name="expand")
    return reduce_model([node], [const("shape", np.array([1 << 62, 1, 1, 1, 1], np.int64))],
                        x_shape=[4, 3, 5, 1])


if __name__ == "__main__":
    write_models(MODELS)
