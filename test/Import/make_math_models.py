#!/usr/bin/python3
"""Writes the importer's test models of element-wise math (Abs, Neg, Exp,
Sqrt, Pow, Elu, Selu, Softplus, Max, Min, Sum, LogSoftmax,
InstanceNormalization), of the comparisons and Where folded in shape code,
and of the older opset definitions picosam imports.

    make_math_models.py OUTDIR [NAME ...]

As make_models.py (whose helpers it uses): OUTDIR/NAME.onnx for every model
named, all when none are; deterministic, built with onnx.helper.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import (FLOAT, INT64, const, make, model_registry, single_node,  # noqa: E402
                         tensor, weights)

MODELS, model = model_registry()


# ---------------------------------------------------------------------------
# Models that import
# ---------------------------------------------------------------------------

@model
def math_unary():
    # |x| -> sqrt -> neg -> exp -> pow 2; elu, selu, softplus of x.
    nodes = [helper.make_node("Abs", ["x"], ["a"], name="abs"),
             helper.make_node("Sqrt", ["a"], ["s"], name="sqrt"),
             helper.make_node("Neg", ["s"], ["n"], name="neg"),
             helper.make_node("Exp", ["n"], ["e"], name="exp"),
             helper.make_node("Pow", ["e", "two"], ["p"], name="pow"),
             helper.make_node("Elu", ["x"], ["el"], name="elu", alpha=0.5),
             helper.make_node("Selu", ["x"], ["se"], name="selu"),
             helper.make_node("Softplus", ["x"], ["sp"], name="softplus")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])],
                [tensor(o, FLOAT, [1, 2, 4, 4]) for o in ("p", "el", "se", "sp")],
                [const("two", np.float32(2.0))])


@model
def math_binary():
    # Max/Min with broadcasting, a three-input Sum.
    nodes = [helper.make_node("Max", ["x", "lo"], ["m"], name="max"),
             helper.make_node("Min", ["m", "hi"], ["n"], name="min"),
             helper.make_node("Sum", ["x", "n", "bias"], ["y"], name="sum")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])], [tensor("y", FLOAT, [1, 2, 4, 4])],
                [const("lo", np.array([[[-0.5]], [[0.0]]], np.float32)),
                 const("hi", np.float32(0.75)),
                 const("bias", weights([4], seed=3))])


@model
def math_softmax():
    # LogSoftmax along the last axis (opset 13) next to Softmax.
    nodes = [helper.make_node("LogSoftmax", ["x"], ["log"], name="log_softmax", axis=-1),
             helper.make_node("Softmax", ["x"], ["soft"], name="softmax", axis=1)]
    return make(nodes, [tensor("x", FLOAT, [2, 3, 5])],
                [tensor("log", FLOAT, [2, 3, 5]), tensor("soft", FLOAT, [2, 3, 5])])


@model
def log_softmax_opset11():
    # Before opset 13: the input flattened to 2-D at axis 1.
    return single_node("LogSoftmax", x_shape=(2, 3, 4), opset=11, axis=1)


@model
def instance_norm():
    nodes = [helper.make_node("InstanceNormalization", ["x", "scale", "bias"], ["y"],
                              name="instance_norm", epsilon=1e-3)]
    return make(nodes, [tensor("x", FLOAT, [1, 3, 4, 4])], [tensor("y", FLOAT, [1, 3, 4, 4])],
                [const("scale", weights([3], seed=1)), const("bias", weights([3], seed=2))])


@model
def math_conv_fused():
    # Conv then Elu and Softplus: the Elu fuses into the convolution.
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
             helper.make_node("Elu", ["c"], ["e"], name="elu"),
             helper.make_node("Softplus", ["e"], ["y"], name="softplus")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])], [tensor("y", FLOAT, [1, 3, 4, 4])],
                [const("w", weights([3, 2, 3, 3], seed=4)), const("b", weights([3], seed=5))])


@model
def math_folded():
    # Shape code: the comparisons, Where, and math on constants, folded
    # into the Reshape's target shape [2, 16].
    nodes = [helper.make_node("Shape", ["x"], ["shape"], name="shape"),
             helper.make_node("Equal", ["shape", "ones"], ["is_one"], name="equal"),
             helper.make_node("Greater", ["shape", "threes"], ["big"], name="greater"),
             helper.make_node("Less", ["shape", "threes"], ["small"], name="less"),
             helper.make_node("Where", ["is_one", "minus", "shape"], ["kept"], name="where"),
             helper.make_node("Where", ["big", "kept", "zeros"], ["dims"], name="where_big"),
             helper.make_node("Where", ["small", "kept", "dims"], ["dims2"], name="where_small"),
             helper.make_node("Abs", ["dims2"], ["abs"], name="abs"),
             helper.make_node("Neg", ["abs"], ["neg"], name="neg"),
             helper.make_node("Max", ["neg", "floor"], ["target"], name="max"),
             helper.make_node("Reshape", ["x", "target"], ["y"], name="reshape")]
    # shape [1, 2, 4, 4]: is_one [T, F, F, F], kept [-1, 2, 4, 4],
    # big [F, F, T, T], dims [0, 0, 4, 4]; small [T, T, F, F],
    # dims2 [-1, 2, 4, 4]; abs [1, 2, 4, 4]; neg [-1, -2, -4, -4];
    # max with [0, 2, -1, 0] -> [0, 2, -1, 0]: Reshape keeps dim 0 (1)
    # and 3 (4) and infers dim 2 -> [1, 2, 4, 4].
    inits = [const("ones", np.ones(4, np.int64)), const("threes", np.full(4, 3, np.int64)),
             const("minus", np.int64(-1)), const("zeros", np.zeros(4, np.int64)),
             const("floor", np.array([0, 2, -1, 0], np.int64))]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])], [tensor("y", FLOAT, [1, 2, 4, 4])],
                inits)


@model
def math_float_folded():
    # Math on float constants folds (in f32): y = x + softplus(c) * exp(c)^2.
    nodes = [helper.make_node("Softplus", ["c"], ["sp"], name="softplus"),
             helper.make_node("Exp", ["c"], ["e"], name="exp"),
             helper.make_node("Pow", ["e", "two"], ["p"], name="pow"),
             helper.make_node("Mul", ["sp", "p"], ["k"], name="mul"),
             helper.make_node("Add", ["x", "k"], ["y"], name="add")]
    return make(nodes, [tensor("x", FLOAT, [2])], [tensor("y", FLOAT, [2])],
                [const("c", np.array([0.0, 1.0], np.float32)), const("two", np.float32(2.0))])


@model
def pool_opset1():
    # AveragePool-1 and MaxPool-1 (no count_include_pad, ceil_mode, indices).
    nodes = [helper.make_node("AveragePool", ["x"], ["a"], name="avg", kernel_shape=[2, 2],
                              strides=[2, 2]),
             helper.make_node("MaxPool", ["a"], ["y"], name="max", kernel_shape=[2, 2])]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 6, 6])], [tensor("y", FLOAT, [1, 2, 2, 2])],
                opset=1)


@model
def batchnorm_opset6():
    # BatchNormalization-6: is_test and spatial attributes.
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                              name="bn", is_test=1, spatial=1, epsilon=1e-3)]
    inits = [const(n, np.abs(weights([2], seed=i)) + 0.5) for i, n in enumerate("sbmv")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 3])], [tensor("y", FLOAT, [1, 2, 3, 3])],
                inits, opset=6)


@model
def batchnorm_opset7():
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                              name="bn", spatial=1)]
    inits = [const(n, np.abs(weights([2], seed=i)) + 0.5) for i, n in enumerate("sbmv")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 3])], [tensor("y", FLOAT, [1, 2, 3, 3])],
                inits, opset=7)


@model
def gemm_opset6():
    # Gemm-6 with broadcast = 1: C of shape [N].
    nodes = [helper.make_node("Gemm", ["x", "w", "c"], ["y"], name="gemm", broadcast=1,
                              transB=1)]
    return make(nodes, [tensor("x", FLOAT, [2, 3])], [tensor("y", FLOAT, [2, 4])],
                [const("w", weights([4, 3], seed=6)), const("c", weights([4], seed=7))], opset=6)


@model
def elementwise_opset6():
    # Opset 6 definitions: Add/Sub-6 broadcasting B (suffix, one value),
    # Mul/Div-6 and Max/Min/Sum-6 on one shape, Pow-1, Split-2.
    nodes = [helper.make_node("Add", ["x", "b"], ["a"], name="add", broadcast=1),
             helper.make_node("Mul", ["a", "x"], ["m"], name="mul"),
             helper.make_node("Sub", ["m", "one"], ["s"], name="sub", broadcast=1, axis=0),
             helper.make_node("Div", ["s", "a"], ["d"], name="div"),
             helper.make_node("Max", ["d", "x"], ["mx"], name="max"),
             helper.make_node("Min", ["mx", "x"], ["mn"], name="min"),
             helper.make_node("Sum", ["mn", "x", "a"], ["sm"], name="sum"),
             helper.make_node("Pow", ["sm", "two"], ["p"], name="pow", broadcast=1),
             helper.make_node("Split", ["p"], ["p0", "p1"], name="split", axis=1, split=[1, 1])]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])],
                [tensor(o, FLOAT, [1, 1, 4, 4]) for o in ("p0", "p1")],
                [const("b", weights([4], seed=8)), const("one", np.ones([1], np.float32)),
                 const("two", np.float32(2.0))], opset=6)


@model
def clip_opset6_defaults():
    # Clip-6 with only max: min defaults to the lowest finite float.
    return single_node("Clip", opset=6, max=6.0)


# ---------------------------------------------------------------------------
# Models the importer rejects
# ---------------------------------------------------------------------------

@model
def pow_computed_exponent():
    return make([helper.make_node("Pow", ["x", "e"], ["y"], name="pow")],
                [tensor("x", FLOAT, [2]), tensor("e", FLOAT, [1])], [tensor("y", FLOAT, [2])])


@model
def pow_exponent_tensor():
    return single_node("Pow", inputs=("x", "e"), inits=[const("e", np.ones(4, np.float32))])


@model
def int_add_computed():
    return make([helper.make_node("Add", ["a", "b"], ["y"], name="add")],
                [tensor("a", INT64, [2]), tensor("b", INT64, [2])], [tensor("y", INT64, [2])])


@model
def int_max_computed():
    return make([helper.make_node("Max", ["a", "b"], ["y"], name="max")],
                [tensor("a", INT64, [2]), tensor("b", INT64, [2])], [tensor("y", INT64, [2])])


@model
def int_exp_constant():
    return make([helper.make_node("Exp", ["c"], ["e"], name="exp"),
                 helper.make_node("Add", ["x", "e"], ["y"], name="add")],
                [tensor("x", INT64, [2])], [tensor("y", INT64, [2])],
                [const("c", np.array([1, 2], np.int64))])


@model
def where_computed():
    return make([helper.make_node("Where", ["cond", "x", "x"], ["y"], name="where")],
                [tensor("x", FLOAT, [2])], [tensor("y", FLOAT, [2])],
                [const("cond", np.array([True, False]))])


@model
def greater_computed():
    return make([helper.make_node("Greater", ["x", "zero"], ["y"], name="greater")],
                [tensor("x", FLOAT, [2])], [tensor("y", TensorProto.BOOL, [2])],
                [const("zero", np.float32(0))])


@model
def batchnorm_spatial0():
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                              name="bn", spatial=0)]
    inits = [const(n, np.ones([2, 3, 3], np.float32)) for n in "sbmv"]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 3])], [tensor("y", FLOAT, [1, 2, 3, 3])],
                inits, opset=7)


@model
def batchnorm_opset5():
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                              name="bn")]
    inits = [const(n, np.ones([2], np.float32)) for n in "sbmv"]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 3])], [tensor("y", FLOAT, [1, 2, 3, 3])],
                inits, opset=5)


@model
def gemm_opset6_no_broadcast():
    nodes = [helper.make_node("Gemm", ["x", "w", "c"], ["y"], name="gemm", transB=1)]
    return make(nodes, [tensor("x", FLOAT, [2, 3])], [tensor("y", FLOAT, [2, 4])],
                [const("w", weights([4, 3], seed=6)), const("c", weights([4], seed=7))], opset=6)


@model
def add_opset6_axis():
    # B aligned at axis 1 of A: numpy broadcasting would align it at the end.
    return single_node("Add", inputs=("x", "b"), opset=6, broadcast=1, axis=1,
                       inits=[const("b", weights([2], seed=9))])


@model
def add_opset6_mismatch():
    return single_node("Add", inputs=("x", "b"), opset=6, broadcast=1,
                       inits=[const("b", weights([3], seed=9))])


@model
def mul_opset6_no_broadcast():
    return single_node("Mul", inputs=("x", "b"), opset=6,
                       inits=[const("b", weights([4], seed=9))])


@model
def max_opset6_broadcast():
    return single_node("Max", inputs=("x", "b"), opset=6,
                       inits=[const("b", weights([4], seed=9))])


@model
def instance_norm_rank2():
    nodes = [helper.make_node("InstanceNormalization", ["x", "s", "b"], ["y"], name="norm")]
    return make(nodes, [tensor("x", FLOAT, [2, 3])], [tensor("y", FLOAT, [2, 3])],
                [const("s", np.ones(3, np.float32)), const("b", np.zeros(3, np.float32))])


def main():
    outdir = sys.argv[1]
    names = sys.argv[2:] or sorted(MODELS)
    os.makedirs(outdir, exist_ok=True)
    from onnx import save
    for name in names:
        save(MODELS[name](), os.path.join(outdir, name + ".onnx"))


if __name__ == "__main__":
    main()
