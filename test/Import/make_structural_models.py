#!/usr/bin/python3
"""Writes the ONNX models of the structural ops' import tests (Pad, Slice
on activations, Split).

    make_structural_models.py OUTDIR [NAME ...]

Same conventions and helpers as make_models.py.
"""
import os
import sys

import numpy as np
from onnx import helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import (FLOAT, INT64, const, make, model_registry, single_node,  # noqa: E402
                         tensor, write_models)

MODELS, model = model_registry()


def pad_node(name, pads, mode=None, value=None, axes=None, data="x"):
    inputs = [data, name + "_pads"]
    inits = [const(name + "_pads", np.array(pads, np.int64))]
    if value is not None or axes is not None:
        inputs.append("" if value is None else name + "_value")
        if value is not None:
            inits.append(const(name + "_value", np.array(value, np.float32)))
    if axes is not None:
        inputs.append(name + "_axes")
        inits.append(const(name + "_axes", np.array(axes, np.int64)))
    attrs = {} if mode is None else {"mode": mode}
    return helper.make_node("Pad", inputs, [name], name=name, **attrs), inits


@model
def pad_modes(_):
    """Constant (default value, given value), reflect, edge; opset 18 axes."""
    nodes, inits = [], []
    for args in [("zero", [0, 0, 1, 2, 0, 0, 3, 4]),
                 ("value", [0, 1, 0, 0, 0, 1, 0, 0], "constant", -1.5),
                 ("reflect", [0, 0, 1, 1, 0, 0, 2, 3], "reflect"),
                 ("edge", [0, 0, 2, 0, 0, 0, 0, 2], "edge")]:
        node, extra = pad_node(*args)
        nodes.append(node)
        inits += extra
    node, extra = pad_node("axes", [1, 2, 3, 4], axes=[-1, 2])
    nodes.append(node)
    inits += extra
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 5])],
                [tensor(n.output[0], FLOAT, None) for n in nodes], inits, opset=18)


def pad_error(pads, mode=None, x_shape=(1, 2, 4, 4), **kwargs):
    node, inits = pad_node("pad", pads, mode, **kwargs)
    return make([node], [tensor("x", FLOAT, list(x_shape))], [tensor("pad", FLOAT, None)],
                inits, opset=18)


@model
def pad_negative(_):
    return pad_error([0, 0, -1, 0, 0, 0, 0, 0])


@model
def pad_wrap(_):
    return pad_error([0, 0, 1, 1, 0, 0, 1, 1], "wrap")


@model
def pad_reflect_too_wide(_):
    return pad_error([0, 0, 4, 0, 0, 0, 0, 0], "reflect")


@model
def pad_count(_):
    return pad_error([0, 0, 1, 1, 0, 0])


@model
def pad_dynamic_pads(_):
    node = helper.make_node("Pad", ["x", "p"], ["y"], name="pad")
    return make([node], [tensor("x", FLOAT, [1, 2, 4, 4]), tensor("p", INT64, [8])],
                [tensor("y", FLOAT, None)])


@model
def pad_slice_opset6(_):
    # Pad-2 (pads, mode, value as attributes) and Slice-1 (starts, ends,
    # axes as attributes; an end past the dimension clamped).
    nodes = [helper.make_node("Pad", ["x"], ["p"], name="pad", pads=[0, 0, 1, 0, 0, 0, 2, 1],
                              value=0.5),
             helper.make_node("Pad", ["x"], ["r"], name="reflect", mode="reflect",
                              pads=[0, 0, 1, 1, 0, 0, 1, 1]),
             helper.make_node("Slice", ["x"], ["s"], name="slice", axes=[1, 3], starts=[1, 1],
                              ends=[2, 1000])]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])],
                [tensor(o, FLOAT, None) for o in ("p", "r", "s")], opset=6)


@model
def pad_opset1(_):
    # Pad-1 names its pads `paddings`.
    return single_node("Pad", opset=1, paddings=[0, 0, 1, 1, 0, 0, 1, 1])


@model
def pad_opset6_no_pads(_):
    return single_node("Pad", opset=6)


@model
def pad_opset6_count(_):
    return single_node("Pad", opset=6, pads=[0, 1, 0, 1])


@model
def slice_opset6_no_ends(_):
    return single_node("Slice", opset=6, starts=[0])


@model
def slice_split(_):
    """Slice on activations (steps, a negative step, axes, clamped ends) and
    Split: by an input (opset 13) and in equal parts."""
    inits = [const("starts", np.array([1, -1], np.int64)),
             const("ends", np.array([100, -6], np.int64)),
             const("axes", np.array([1, 3], np.int64)),
             const("steps", np.array([2, -2], np.int64)),
             const("sizes", np.array([1, 3], np.int64))]
    nodes = [helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["sliced"],
                              name="slice"),
             helper.make_node("Split", ["x", "sizes"], ["first", "rest"], name="split", axis=1),
             helper.make_node("Split", ["x"], ["a", "b"], name="halves", axis=-1)]
    return make(nodes, [tensor("x", FLOAT, [1, 4, 3, 6])],
                [tensor(n, FLOAT, None) for n in ["sliced", "first", "rest", "a", "b"]], inits)


@model
def split_uneven(_):
    """Opset 18: num_outputs parts of ceil(size / n), the last smaller."""
    node = helper.make_node("Split", ["x"], ["a", "b", "c"], name="split", axis=2,
                            num_outputs=3)
    return make([node], [tensor("x", FLOAT, [1, 2, 7, 2])],
                [tensor(n, FLOAT, None) for n in "abc"], opset=18)


@model
def split_opset11(_):
    node = helper.make_node("Split", ["x"], ["a", "b"], name="split", axis=1, split=[3, 1])
    return make([node], [tensor("x", FLOAT, [1, 4, 2, 2])],
                [tensor(n, FLOAT, None) for n in "ab"], opset=11)


@model
def split_bad_sizes(_):
    node = helper.make_node("Split", ["x", "sizes"], ["a", "b"], name="split", axis=1)
    return make([node], [tensor("x", FLOAT, [1, 4, 2, 2])],
                [tensor(n, FLOAT, None) for n in "ab"],
                [const("sizes", np.array([3, 2], np.int64))])


@model
def split_sizes_overflow(_):
    """Sizes whose sum passes 2^63 - 1 (and wraps around to 4)."""
    node = helper.make_node("Split", ["x", "sizes"], ["a", "b", "c"], name="split", axis=1)
    return make([node], [tensor("x", FLOAT, [1, 4, 2, 2])],
                [tensor(n, FLOAT, None) for n in "abc"],
                [const("sizes", np.array([(1 << 63) - 1, (1 << 63) - 1, 6], np.int64))])


@model
def split_no_outputs(_):
    node = helper.make_node("Split", ["x"], [], name="split", axis=1)
    return make([node], [tensor("x", FLOAT, [1, 4, 2, 2])], [tensor("x", FLOAT, None)])


@model
def split_num_outputs(_):
    node = helper.make_node("Split", ["x"], ["a", "b"], name="split", axis=1, num_outputs=3)
    return make([node], [tensor("x", FLOAT, [1, 4, 2, 2])],
                [tensor(n, FLOAT, None) for n in "ab"], opset=18)


if __name__ == "__main__":
    write_models(MODELS)
