#!/usr/bin/python3
"""Writes the small ONNX models the importer's lit tests read.

    make_models.py OUTDIR [NAME ...]

writes OUTDIR/NAME.onnx for every model named (all when none are), plus
the data files of the external-data models; the names include the
deliberately broken files (truncated, garbage, empty). Models are built with onnx.helper so no
binary file is kept in the repository; every model is deterministic.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64


def model_registry():
    """A new table of model builders by name, and the decorator that
    registers a builder in it under its function's name (each make_*.py has
    its own)."""
    models = {}

    def register(fn):
        models[fn.__name__] = fn
        return fn

    return models, register


def write_models(models):
    """The command line of the make_*.py scripts whose builders take the
    output directory: OUTDIR [NAME ...] (default: every model) written as
    OUTDIR/NAME.onnx."""
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name in sys.argv[2:] or sorted(models):
        onnx.save(models[name](outdir), os.path.join(outdir, name + ".onnx"))


MODELS, model = model_registry()


def tensor(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def weights(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def make(nodes, inputs, outputs, initializers=(), opset=13, name="graph"):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="make_models.py")


# ---------------------------------------------------------------------------
# Models that import
# ---------------------------------------------------------------------------

@model
def conv_bn_relu(_):
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1],
                         strides=[2, 2], kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["n"],
                         name="bn", epsilon=1e-3, momentum=0.9),
        helper.make_node("Relu", ["n"], ["r"], name="relu"),
        helper.make_node("Conv", ["r", "dw"], ["y"], name="depthwise", group=8, dilations=[2, 2],
                         pads=[2, 2, 2, 2]),
    ]
    inits = [const("w", weights((8, 3, 3, 3))), const("b", np.zeros(8, np.float32)),
             const("scale", np.ones(8, np.float32)), const("bias", np.zeros(8, np.float32)),
             const("mean", np.zeros(8, np.float32)), const("var", np.ones(8, np.float32)),
             const("dw", weights((8, 1, 3, 3), 1))]
    return make(nodes, [tensor("x", FLOAT, [1, 3, 16, 16])], [tensor("y", FLOAT, [1, 8, 8, 8])],
                inits)


@model
def conv_auto_pad(_):
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["upper"], name="same_upper", auto_pad="SAME_UPPER",
                         strides=[2, 2]),
        helper.make_node("Conv", ["x", "w"], ["lower"], name="same_lower", auto_pad="SAME_LOWER",
                         strides=[2, 2]),
        helper.make_node("Conv", ["x", "w"], ["valid"], name="valid", auto_pad="VALID"),
    ]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 7, 7])],
                [tensor("upper", FLOAT, None), tensor("lower", FLOAT, None),
                 tensor("valid", FLOAT, None)],
                [const("w", weights((4, 2, 4, 4)))])


@model
def activations(_):
    nodes = [
        helper.make_node("Clip", ["x", "lo", "hi"], ["relu6"], name="relu6"),
        helper.make_node("Clip", ["relu6", "", "hi"], ["max_only"], name="max_only"),
        helper.make_node("Clip", ["max_only"], ["unbounded"], name="unbounded"),
        helper.make_node("LeakyRelu", ["unbounded"], ["leaky"], name="leaky", alpha=0.1),
        helper.make_node("Sigmoid", ["leaky"], ["sig"], name="sigmoid"),
        helper.make_node("HardSigmoid", ["sig"], ["hsig"], name="hard_sigmoid", alpha=0.25),
        helper.make_node("HardSwish", ["hsig"], ["hswish"], name="hard_swish"),
        helper.make_node("Tanh", ["hswish"], ["y"], name="tanh"),
    ]
    return make(nodes, [tensor("x", FLOAT, [1, 4])], [tensor("y", FLOAT, [1, 4])],
                [const("lo", np.float32(0)), const("hi", np.float32(6))], opset=14)


@model
def elementwise(_):
    nodes = [
        helper.make_node("Add", ["x", "bias"], ["a"], name="add"),
        helper.make_node("Sub", ["a", "y"], ["s"], name="sub"),
        helper.make_node("Mul", ["s", "half"], ["m"], name="mul"),
        helper.make_node("Div", ["m", "y"], ["z"], name="div"),
    ]
    return make(nodes, [tensor("x", FLOAT, [2, 3, 4]), tensor("y", FLOAT, [4])],
                [tensor("z", FLOAT, [2, 3, 4])],
                [const("bias", np.ones((3, 1), np.float32)), const("half", np.float32(0.5))],
                opset=14)


@model
def pooling(_):
    nodes = [
        helper.make_node("AveragePool", ["x"], ["avg"], name="avg", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], strides=[2, 2], count_include_pad=1, ceil_mode=1),
        helper.make_node("MaxPool", ["x"], ["max"], name="max", kernel_shape=[2, 2],
                         auto_pad="SAME_UPPER", strides=[2, 2], storage_order=0),
        helper.make_node("MaxPool", ["x"], ["dilated"], name="dilated", kernel_shape=[2, 2],
                         dilations=[2, 2]),
        helper.make_node("GlobalAveragePool", ["max"], ["gap"], name="gap"),
    ]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 9, 9])],
                [tensor("avg", FLOAT, None), tensor("dilated", FLOAT, None),
                 tensor("gap", FLOAT, [1, 2, 1, 1])], opset=12)


@model
def resize_scales(_):
    nodes = [helper.make_node("Resize", ["x", "", "scales"], ["y"], name="upsample2x",
                              mode="nearest", coordinate_transformation_mode="asymmetric",
                              nearest_mode="floor")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 5])], [tensor("y", FLOAT, [1, 2, 6, 10])],
                [const("scales", np.array([1, 1, 2, 2], np.float32))])


@model
def resize_sizes(_):
    nodes = [helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], name="to_7x9",
                              mode="linear", coordinate_transformation_mode="align_corners")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 5])], [tensor("y", FLOAT, [1, 2, 7, 9])],
                [const("sizes", np.array([1, 2, 7, 9], np.int64))])


@model
def resize_opset11(_):
    # Opset 11: roi and scales are required inputs; an empty scales tensor
    # means "use sizes".
    nodes = [helper.make_node("Resize", ["x", "roi", "no_scales", "sizes"], ["y"], name="resize",
                              mode="nearest", coordinate_transformation_mode="half_pixel",
                              nearest_mode="round_prefer_ceil", cubic_coeff_a=-0.5)]
    return make(nodes, [tensor("x", FLOAT, [1, 1, 4, 4])], [tensor("y", FLOAT, [1, 1, 8, 6])],
                [const("roi", np.zeros(0, np.float32)), const("no_scales", np.zeros(0, np.float32)),
                 const("sizes", np.array([1, 1, 8, 6], np.int64))], opset=11)


@model
def resize_opset18_axes(_):
    nodes = [helper.make_node("Resize", ["x", "", "scales"], ["y"], name="resize", axes=[2, 3],
                              mode="linear", coordinate_transformation_mode="pytorch_half_pixel",
                              antialias=0, keep_aspect_ratio_policy="stretch")]
    return make(nodes, [tensor("x", FLOAT, [1, 1, 4, 4])], [tensor("y", FLOAT, [1, 1, 2, 6])],
                [const("scales", np.array([0.5, 1.5], np.float32))], opset=18)


@model
def upsample(_):
    nodes = [helper.make_node("Upsample", ["x", "scales"], ["y"], name="upsample", mode="nearest")]
    return make(nodes, [tensor("x", FLOAT, [1, 1, 2, 3])], [tensor("y", FLOAT, [1, 1, 4, 6])],
                [const("scales", np.array([1, 1, 2, 2], np.float32))], opset=9)


@model
def shape_ops(_):
    nodes = [
        helper.make_node("Concat", ["x", "x"], ["cat"], name="concat", axis=-1),
        helper.make_node("Reshape", ["cat", "shape"], ["flat"], name="reshape"),
        helper.make_node("Reshape", ["flat", "empty_shape"], ["zero"], name="reshape_allowzero",
                         allowzero=1),
        helper.make_node("Flatten", ["cat"], ["f"], name="flatten", axis=2),
        helper.make_node("Transpose", ["cat"], ["t"], name="transpose", perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["x"], ["rev"], name="reverse"),
        helper.make_node("Unsqueeze", ["f", "axes"], ["u"], name="unsqueeze"),
        helper.make_node("Squeeze", ["u", "axes"], ["sq"], name="squeeze"),
    ]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 4])],
                [tensor("flat", FLOAT, [2, 2, 12]), tensor("zero", FLOAT, [2, 3, 8]),
                 tensor("t", FLOAT, None), tensor("rev", FLOAT, None),
                 tensor("sq", FLOAT, [2, 24])],
                [const("shape", np.array([2, 0, -1], np.int64)),
                 const("empty_shape", np.array([2, 3, 8], np.int64)),
                 const("axes", np.array([0], np.int64))], opset=14)


@model
def squeeze_opset11(_):
    # Before opset 13 the axes are attributes.
    nodes = [helper.make_node("Unsqueeze", ["x"], ["u"], name="unsqueeze", axes=[0, 3]),
             helper.make_node("Squeeze", ["u"], ["y"], name="squeeze", axes=[-1])]
    return make(nodes, [tensor("x", FLOAT, [2, 3])], [tensor("y", FLOAT, [1, 2, 3])], opset=11)


@model
def matmul_softmax(_):
    nodes = [
        helper.make_node("Gemm", ["x", "w", "c"], ["g"], name="fc", transB=1, alpha=0.5),
        helper.make_node("MatMul", ["g", "m"], ["mm"], name="matmul"),
        helper.make_node("Softmax", ["mm"], ["y"], name="softmax", axis=1),
    ]
    return make(nodes, [tensor("x", FLOAT, [2, 4])], [tensor("y", FLOAT, [2, 3])],
                [const("w", weights((5, 4))), const("c", np.zeros(5, np.float32)),
                 const("m", weights((5, 3), 1))])


@model
def softmax_opset11(_):
    # Before opset 13 Softmax normalizes the input flattened to 2-D at axis.
    nodes = [helper.make_node("Softmax", ["x"], ["inner"], name="softmax_last", axis=2),
             helper.make_node("Softmax", ["inner"], ["y"], name="softmax_coerced")]
    return make(nodes, [tensor("x", FLOAT, [2, 3, 4])], [tensor("y", FLOAT, [2, 3, 4])], opset=11)


@model
def identity_dropout(_):
    nodes = [
        helper.make_node("Identity", ["x"], ["i"], name="identity"),
        helper.make_node("Dropout", ["i", "ratio", "training"], ["d", "mask"], name="dropout",
                         seed=3),
        helper.make_node("Relu", ["d"], ["y"], name="relu"),
    ]
    return make(nodes, [tensor("x", FLOAT, [2, 2])],
                [tensor("y", FLOAT, [2, 2]), tensor("mask", TensorProto.BOOL, [2, 2])],
                [const("ratio", np.float32(0.5)), const("training", np.bool_(False))])


@model
def fold_limit_constant_of_shape(_):
    # 4097 x 4096 = 16,781,312 elements: just over the default
    # --max-fold-elements (2^24); a splat, cheap once allowed.
    nodes = [helper.make_node("ConstantOfShape", ["shape"], ["c"], name="fill",
                              value=helper.make_tensor("v", FLOAT, [1], [1.0])),
             helper.make_node("Add", ["x", "c"], ["y"], name="add")]
    return make(nodes, [tensor("x", FLOAT, [4097, 4096])], [tensor("y", FLOAT, [4097, 4096])],
                [const("shape", np.array([4097, 4096], np.int64))])


@model
def fold_limit_broadcast(_):
    # Two small constants whose folded product broadcasts to 4097 x 4096.
    nodes = [helper.make_node("Mul", ["a", "b"], ["c"], name="outer"),
             helper.make_node("Add", ["x", "c"], ["y"], name="add")]
    return make(nodes, [tensor("x", FLOAT, [4097, 4096])], [tensor("y", FLOAT, [4097, 4096])],
                [const("a", np.ones((4097, 1), np.float32)),
                 const("b", np.ones((1, 4096), np.float32))])


@model
def fold_limit_dropout_mask(_):
    # The mask of a 2^40-element input: a splat, never materialised.
    nodes = [helper.make_node("Dropout", ["x"], ["y", "mask"], name="dropout")]
    return make(nodes, [tensor("x", FLOAT, [1048576, 1048576])],
                [tensor("y", FLOAT, [1048576, 1048576]),
                 tensor("mask", TensorProto.BOOL, [1048576, 1048576])])


@model
def constant_folding(_):
    # What exporters emit without constant folding: Reshape to
    # [N, C*H*W] from Shape/Gather/Unsqueeze/Concat, and Resize sizes from
    # Shape/Slice/Cast/Mul/Floor/Cast/Concat.
    c = lambda name, value: helper.make_node(
        "Constant", [], [name], name=name + "_node", value=numpy_helper.from_array(
            np.asarray(value), name))
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        c("zero", np.int64(0)),
        helper.make_node("Gather", ["shape", "zero"], ["n"], name="gather", axis=0),
        c("axes0", np.array([0], np.int64)),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"], name="unsqueeze"),
        helper.make_node("Constant", [], ["minus_one"], name="minus_one", value_ints=[-1]),
        helper.make_node("Concat", ["n1", "minus_one"], ["flat_shape"], name="concat", axis=0),
        helper.make_node("Reshape", ["x", "flat_shape"], ["flat"], name="flatten"),

        helper.make_node("Shape", ["x"], ["shape2"], name="shape2", start=2),
        helper.make_node("Cast", ["shape2"], ["shape_f"], name="cast_f", to=FLOAT),
        helper.make_node("Constant", [], ["scale"], name="scale", value_float=1.5),
        helper.make_node("Mul", ["shape_f", "scale"], ["scaled"], name="mul"),
        helper.make_node("Floor", ["scaled"], ["floored"], name="floor"),
        helper.make_node("Cast", ["floored"], ["hw"], name="cast_i", to=INT64),
        c("starts", np.array([0], np.int64)), c("ends", np.array([2], np.int64)),
        helper.make_node("Slice", ["shape", "starts", "ends"], ["nc"], name="slice"),
        helper.make_node("Concat", ["nc", "hw"], ["sizes"], name="sizes", axis=0),
        helper.make_node("Resize", ["x", "", "", "sizes"], ["resized"], name="resize"),

        # ones of shape [1, C, 1, 1]: [N, C] from the Slice, then Unsqueeze.
        helper.make_node("ConstantOfShape", ["nc"], ["ones_nc"], name="ones",
                         value=numpy_helper.from_array(np.array([1.0], np.float32))),
        c("hw_axes", np.array([2, 3], np.int64)),
        helper.make_node("Unsqueeze", ["ones_nc", "hw_axes"], ["ones_nc11"], name="unsqueeze_hw"),
        helper.make_node("Squeeze", ["ones_nc11", "hw_axes"], ["ones_again"], name="squeeze_hw"),
        helper.make_node("Unsqueeze", ["ones_again", "hw_axes"], ["one"], name="unsqueeze_again"),
        helper.make_node("Add", ["resized", "one"], ["y"], name="add_one"),
    ]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 6])],
                [tensor("flat", FLOAT, [1, 48]), tensor("y", FLOAT, [1, 2, 6, 9])])


@model
def qdq(_):
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"], name="quantize"),
        helper.make_node("DequantizeLinear", ["xq", "x_scale", "x_zp"], ["xd"], name="dequantize"),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zp"], ["w"], name="dequantize_w",
                         axis=0),
        helper.make_node("Conv", ["xd", "w"], ["c"], name="conv"),
        helper.make_node("QuantizeLinear", ["c", "c_scale"], ["y"], name="quantize_out"),
    ]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 4, 4])], [tensor("y", TensorProto.UINT8, None)],
                [const("x_scale", np.float32(0.125)), const("x_zp", np.int8(-3)),
                 const("w_q", np.array([-2, 1, 3, -1], np.int8).reshape(2, 2, 1, 1)),
                 const("w_scale", np.array([0.5, 0.25], np.float32)),
                 const("w_zp", np.zeros(2, np.int8)),
                 const("c_scale", np.float32(0.0625))])


@model
def dequantize_input(_):
    nodes = [helper.make_node("DequantizeLinear", ["x", "scale", "zp"], ["y"], name="dequantize")]
    return make(nodes, [tensor("x", TensorProto.UINT8, [4])], [tensor("y", FLOAT, [4])],
                [const("scale", np.float32(0.5)), const("zp", np.uint8(128))])


def external_data_model(outdir, name, location, offset_w=0, length_w=None, write=True,
                        file_bytes=None):
    """A Conv whose weight and bias live in `location` (weight at offset_w;
    length_w -1 leaves the weight's length out); `write` creates that file,
    of `file_bytes` bytes when given."""
    w = np.array([1.5, -2.0], np.float32).reshape(2, 1, 1, 1)
    b = np.array([0.25, -0.5], np.float32)
    blob = bytearray(offset_w) + w.tobytes() + b.tobytes()
    if file_bytes is not None:
        blob = blob[:file_bytes]
    if write:
        with open(os.path.join(outdir, location), "wb") as f:
            f.write(bytes(blob))

    def external(tensor_name, array, offset, length):
        t = TensorProto(name=tensor_name, data_type=FLOAT, dims=array.shape,
                        data_location=TensorProto.EXTERNAL)
        entries = [("location", location), ("offset", str(offset))]
        if length != -1:
            entries.append(("length", str(length)))
        for key, value in entries:
            entry = t.external_data.add()
            entry.key, entry.value = key, value
        return t

    inits = [external("w", w, offset_w, w.nbytes if length_w is None else length_w),
             external("b", b, offset_w + w.nbytes, b.nbytes)]
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv")]
    return make(nodes, [tensor("x", FLOAT, [1, 1, 2, 2])], [tensor("y", FLOAT, [1, 2, 2, 2])],
                inits, name=name)


@model
def external_data(outdir):
    return external_data_model(outdir, "external_data", "external_data.bin", offset_w=16)


@model
def slice_extreme_steps(_):
    # Slices folded with steps of magnitude 2^63 - 1 and 2^63: one element
    # each, the first and the last.
    big, small = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    nodes = [helper.make_node("Slice", ["data", "zero", "big", "zero", "big"], ["first"],
                              name="slice_forward"),
             helper.make_node("Slice", ["data", "last", "small", "zero", "small"], ["last_"],
                              name="slice_backward"),
             helper.make_node("Add", ["x", "first"], ["y"], name="add_first"),
             helper.make_node("Add", ["y", "last_"], ["z"], name="add_last")]
    i64 = lambda v: np.array([v], np.int64)
    return make(nodes, [tensor("x", FLOAT, [1])], [tensor("z", FLOAT, [1])],
                [const("data", np.arange(5, dtype=np.float32)), const("zero", i64(0)),
                 const("big", i64(big)), const("last", i64(-1)), const("small", i64(small))])


@model
def escape_in_name(_):
    # A node name holding terminal escape sequences and a bell.
    nodes = [helper.make_node("Foo", ["x"], ["y"], name="bad\x1b[2J\x07")]
    return make(nodes, [tensor("x", FLOAT, [1])], [tensor("y", FLOAT, [1])])


@model
def node_names(_):
    nodes = [helper.make_node("Relu", ["x"], ["r"]),
             helper.make_node("Sigmoid", ["r"], ["s"], name="named_sigmoid"),
             helper.make_node("Tanh", ["s"], ["y"])]
    return make(nodes, [tensor("x", FLOAT, [1, 3])], [tensor("y", FLOAT, [1, 3])])


@model
def dynamic_batch(_):
    nodes = [helper.make_node("Relu", ["input"], ["y"], name="relu")]
    return make(nodes, [tensor("input", FLOAT, ["batch", 3, 96, 96])],
                [tensor("y", FLOAT, ["batch", 3, 96, 96])])


@model
def initializer_as_input(_):
    # IR version 3 lists initializers among the graph inputs.
    m = make([helper.make_node("Add", ["x", "b"], ["y"], name="add")],
             [tensor("x", FLOAT, [2]), tensor("b", FLOAT, [2])], [tensor("y", FLOAT, [2])],
             [const("b", np.ones(2, np.float32))], opset=9)
    m.ir_version = 3
    return m


@model
def old_opset_model(_):
    # GlobalAveragePool is unchanged since opset 1.
    nodes = [helper.make_node("GlobalAveragePool", ["x"], ["y"], name="gap")]
    return make(nodes, [tensor("x", FLOAT, [1, 2, 3, 3])], [tensor("y", FLOAT, [1, 2, 1, 1])],
                opset=1)


# ---------------------------------------------------------------------------
# Models the importer rejects
# ---------------------------------------------------------------------------

def single_node(op_type, inputs=("x",), x_shape=(1, 2, 4, 4), opset=13, inits=(), outputs=("y",),
                name=None, **attrs):
    node = helper.make_node(op_type, list(inputs), list(outputs),
                            name=op_type.lower() if name is None else name, **attrs)
    return make([node], [tensor("x", FLOAT, list(x_shape))],
                [tensor(o, FLOAT, None) for o in outputs if o], list(inits), opset=opset)


@model
def unsupported_op(_):
    return single_node("TopK", inputs=("x", "k"), outputs=("values", "indices"),
                       inits=[const("k", np.array([2], np.int64))])


@model
def custom_domain_op(_):
    m = single_node("FusedConv", name="fused")
    m.graph.node[0].domain = "com.microsoft"
    m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return m


@model
def resize_cubic(_):
    return single_node("Resize", inputs=("x", "", "scales"), mode="cubic",
                       inits=[const("scales", np.array([1, 1, 2, 2], np.float32))])


@model
def resize_tf_crop(_):
    return single_node("Resize", inputs=("x", "roi", "scales"),
                       coordinate_transformation_mode="tf_crop_and_resize",
                       inits=[const("roi", np.zeros(8, np.float32)),
                              const("scales", np.array([1, 1, 2, 2], np.float32))])


@model
def resize_antialias(_):
    return single_node("Resize", inputs=("x", "", "scales"), mode="linear", antialias=1,
                       opset=18, inits=[const("scales", np.array([1, 1, 0.5, 0.5], np.float32))])


@model
def resize_both_scales_and_sizes(_):
    return single_node("Resize", inputs=("x", "", "scales", "sizes"),
                       inits=[const("scales", np.array([1, 1, 2, 2], np.float32)),
                              const("sizes", np.array([1, 2, 8, 8], np.int64))])


@model
def resize_axis_twice(_):
    return single_node("Resize", inputs=("x", "", "scales"), axes=[2, -2], opset=18,
                       inits=[const("scales", np.array([2, 2], np.float32))])


@model
def conv_extra_output(_):
    # Conv has one output; a second one, even unused by the graph, is refused.
    return single_node("Conv", inputs=("x", "w"), outputs=("y", "z"),
                       inits=[const("w", weights((2, 2, 1, 1)))])


@model
def conv_unknown_attribute(_):
    return single_node("Conv", inputs=("x", "w"), inits=[const("w", weights((2, 2, 1, 1)))],
                       frobnicate=1)


@model
def conv_attribute_type(_):
    return single_node("Conv", inputs=("x", "w"), inits=[const("w", weights((2, 2, 1, 1)))],
                       strides=[1.0, 1.0])


@model
def conv_1d(_):
    return single_node("Conv", inputs=("x", "w"), x_shape=(1, 2, 8),
                       inits=[const("w", weights((2, 2, 3)))])


@model
def conv_auto_pad_value(_):
    return single_node("Conv", inputs=("x", "w"), inits=[const("w", weights((2, 2, 1, 1)))],
                       auto_pad="SAME")


@model
def conv_auto_pad_overflow(_):
    # A dilation of 2^62: the 3-tap window spans 2^63 + 1 elements.
    return single_node("Conv", inputs=("x", "w"), inits=[const("w", weights((2, 2, 3, 3)))],
                       auto_pad="SAME_UPPER", dilations=[4611686018427387904, 1])


@model
def conv_channel_mismatch(_):
    return single_node("Conv", inputs=("x", "w"), inits=[const("w", weights((2, 3, 1, 1)))])


@model
def batchnorm_training(_):
    return single_node("BatchNormalization", inputs=("x", "s", "b", "m", "v"), training_mode=1,
                       opset=15, inits=[const(n, np.ones(2, np.float32)) for n in "sbmv"])


@model
def batchnorm_training_outputs(_):
    return single_node("BatchNormalization", inputs=("x", "s", "b", "m", "v"),
                       outputs=("y", "running_mean"), opset=11,
                       inits=[const(n, np.ones(2, np.float32)) for n in "sbmv"])


@model
def maxpool_indices(_):
    return single_node("MaxPool", outputs=("y", "indices"), kernel_shape=[2, 2])


@model
def avgpool_dilations(_):
    return single_node("AveragePool", kernel_shape=[2, 2], dilations=[2, 2], opset=19)


@model
def reshape_dynamic_shape(_):
    node = helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")
    return make([node], [tensor("x", FLOAT, [2, 3]), tensor("shape", INT64, [2])],
                [tensor("y", FLOAT, None)])


@model
def reshape_bad_size(_):
    return single_node("Reshape", inputs=("x", "shape"), x_shape=(2, 3),
                       inits=[const("shape", np.array([4, -1], np.int64))])


@model
def clip_dynamic_bound(_):
    node = helper.make_node("Clip", ["x", "lo"], ["y"], name="clip")
    return make([node], [tensor("x", FLOAT, [2]), tensor("lo", FLOAT, [])],
                [tensor("y", FLOAT, [2])])


@model
def clip_opset6(_):
    return single_node("Clip", opset=6, min=0.0, max=6.0)


@model
def gather_dynamic(_):
    return single_node("Gather", inputs=("x", "idx"), inits=[const("idx", np.array([0], np.int64))])


@model
def slice_dynamic(_):
    return single_node("Slice", inputs=("x", "starts", "ends"),
                       inits=[const("starts", np.array([0], np.int64)),
                              const("ends", np.array([1], np.int64))])


@model
def slice_dynamic_starts(_):
    node = helper.make_node("Slice", ["d", "s", "e"], ["y"], name="slice")
    return make([node], [tensor("s", INT64, [1])], [tensor("y", FLOAT, [1])],
                [const("d", np.array([1, 2], np.float32)), const("e", np.array([1], np.int64))])


@model
def add_int64(_):
    node = helper.make_node("Add", ["a", "b"], ["y"], name="add")
    return make([node], [tensor("a", INT64, [4]), tensor("b", INT64, [4])],
                [tensor("y", INT64, [4])])


@model
def transpose_int64(_):
    node = helper.make_node("Transpose", ["a"], ["y"], name="transpose", perm=[1, 0])
    return make([node], [tensor("a", INT64, [2, 3])], [tensor("y", INT64, [3, 2])])


@model
def cast_dynamic(_):
    return single_node("Cast", to=INT64)


@model
def quantize_dynamic_scale(_):
    node = helper.make_node("QuantizeLinear", ["x", "s"], ["y"], name="quantize")
    return make([node], [tensor("x", FLOAT, [2]), tensor("s", FLOAT, [])],
                [tensor("y", TensorProto.UINT8, [2])])


@model
def add_broadcast_mismatch(_):
    node = helper.make_node("Add", ["x", "z"], ["y"], name="add")
    return make([node], [tensor("x", FLOAT, [2, 3]), tensor("z", FLOAT, [4])],
                [tensor("y", FLOAT, None)])


@model
def add_type_mismatch(_):
    node = helper.make_node("Add", ["x", "z"], ["y"], name="add")
    return make([node], [tensor("x", FLOAT, [2]), tensor("z", INT64, [2])],
                [tensor("y", FLOAT, None)])


@model
def missing_input_shape(_):
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [helper.make_tensor_value_info("x", FLOAT, None)], [tensor("y", FLOAT, None)])


@model
def double_input(_):
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [tensor("x", TensorProto.DOUBLE, [2])], [tensor("y", TensorProto.DOUBLE, [2])])


@model
def sequence_input(_):
    seq = helper.make_tensor_sequence_value_info("x", FLOAT, [2])
    return make([helper.make_node("Identity", ["x"], ["y"], name="identity")], [seq],
                [seq.__class__(name="y", type=seq.type)])


@model
def undefined_input(_):
    return make([helper.make_node("Relu", ["nope"], ["y"], name="relu")],
                [tensor("x", FLOAT, [2])], [tensor("y", FLOAT, [2])])


@model
def duplicate_input(_):
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [tensor("x", FLOAT, [2]), tensor("x", FLOAT, [2])], [tensor("y", FLOAT, [2])])


@model
def duplicate_output(_):
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu1"),
                 helper.make_node("Relu", ["x"], ["y"], name="relu2")],
                [tensor("x", FLOAT, [2])], [tensor("y", FLOAT, [2])])


@model
def wrong_output_shape(_):
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [tensor("x", FLOAT, [1, 4])], [tensor("y", FLOAT, [1, 5])])


@model
def missing_output(_):
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [tensor("x", FLOAT, [2])], [tensor("z", FLOAT, [2])])


@model
def initializer_short_data(_):
    w = TensorProto(name="w", data_type=FLOAT, dims=[2, 2], raw_data=b"\0" * 8)
    return make([helper.make_node("Add", ["x", "w"], ["y"], name="add")],
                [tensor("x", FLOAT, [2, 2])], [tensor("y", FLOAT, [2, 2])], [w])


@model
def external_data_missing_file(outdir):
    return external_data_model(outdir, "external_data_missing_file", "no_such_file.bin", write=False)


@model
def external_data_out_of_range(outdir):
    # The weight claims 4 bytes more than the file holds after its offset.
    return external_data_model(outdir, "external_data_out_of_range",
                               "external_data_out_of_range.bin", length_w=28)


@model
def external_data_offset_past_end(outdir):
    # A 16-byte file; the weight starts at 116, its length left out.
    return external_data_model(outdir, "external_data_offset_past_end",
                               "external_data_offset_past_end.bin", offset_w=116,
                               length_w=-1, file_bytes=16)


@model
def external_data_escape(outdir):
    return external_data_model(outdir, "external_data_escape", "../secret.bin", write=False)


@model
def opset_too_new(_):
    return single_node("Relu", opset=21)


@model
def no_default_opset(_):
    m = single_node("Relu")
    del m.opset_import[:]
    m.opset_import.append(helper.make_opsetid("ai.onnx.ml", 3))
    return m


# ---------------------------------------------------------------------------
# MCTQ models (Sony MCT's quantizer nodes, domain mct_quantizers): a conv
# with a ReLU, its input and output quantized, its weights per channel.
# ---------------------------------------------------------------------------

def mctq(act=None, weights_attrs=None, thresholds=(0.5, 0.25, 1.0, 0.75),
         weights_op="WeightsSymmetricQuantizer", extra_nodes=()):
    """The MCTQ model; `act` and `weights_attrs` replace the output
    quantizer's and the weight quantizer's attributes."""
    act = {"threshold": 4.0, "signed": 0, "num_bits": 8, "mctq_version": "1.7.0"} \
        if act is None else act
    weights_attrs = {"num_bits": 8, "per_channel": 1, "channel_axis": 0, "signed": 1,
                     "mctq_version": "1.7.0"} if weights_attrs is None else weights_attrs
    nodes = [
        helper.make_node("ActivationPOTQuantizer", ["x"], ["xq"], name="x_quant",
                         domain="mct_quantizers", threshold=2.0, signed=1, num_bits=8,
                         mctq_version="1.7.0"),
        helper.make_node(weights_op, ["w", "w_threshold"], ["wq"], name="w_quant",
                         domain="mct_quantizers", **weights_attrs),
        helper.make_node("Conv", ["xq", "wq", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("ActivationPOTQuantizer", ["r"], ["y"], name="relu_quant",
                         domain="mct_quantizers", **act),
    ] + list(extra_nodes)
    m = make(nodes, [tensor("x", FLOAT, [1, 2, 8, 8])], [tensor("y", FLOAT, [1, 4, 8, 8])],
             [const("w", weights((4, 2, 3, 3))), const("b", weights((4,), seed=1)),
              const("w_threshold", np.asarray(thresholds, np.float32))])
    m.opset_import.append(helper.make_opsetid("mct_quantizers", 1))
    return m


@model
def mctq_conv(_):
    return mctq()


@model
def mctq_missing_threshold(_):
    return mctq(act={"signed": 0, "num_bits": 8})


@model
def mctq_activation_bits(_):
    return mctq(act={"threshold": 4.0, "signed": 0, "num_bits": 16})


@model
def mctq_threshold_not_pot(_):
    return mctq(act={"threshold": 3.0, "signed": 0, "num_bits": 8})


@model
def mctq_weight_pot(_):
    return mctq(weights_op="WeightsPOTQuantizer")


@model
def mctq_threshold_count(_):
    return mctq(thresholds=(0.5, 0.25, 1.0))


@model
def mctq_weight_bits(_):
    return mctq(weights_attrs={"num_bits": 4, "per_channel": 1, "channel_axis": 0, "signed": 1})


@model
def mctq_channel_axis(_):
    return mctq(weights_attrs={"num_bits": 8, "per_channel": 1, "channel_axis": 1, "signed": 1})


@model
def mctq_unsupported(_):
    m = mctq()
    m.graph.node[4].op_type = "ActivationUniformQuantizer"
    return m


def relu_model_bytes():
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [tensor("x", FLOAT, [1, 3])], [tensor("y", FLOAT, [1, 3])],
                [const("unused", weights((64,)))]).SerializeToString()


def utf8_in_name_bytes():
    """A node name of valid UTF-8 ("é"), a C1 control (U+009B, CSI) and bytes
    of no UTF-8 sequence (0xf3 alone, 0x9b alone, a truncated "é"), which
    protobuf's Python API refuses to write: placeholders replaced in the
    serialized model, byte for byte."""
    model = make([helper.make_node("Foo", ["x"], ["y"], name="ok\u00e9 C1 @@ lone ## $$ %%")],
                 [tensor("x", FLOAT, [1])], [tensor("y", FLOAT, [1])])
    serialized = model.SerializeToString()
    for placeholder, raw in [(b"@@", b"\xc2\x9b"), (b"##", b"\xf3 "), (b"$$", b"\x9b "),
                             (b"%%", b"\xc3 ")]:
        assert serialized.count(placeholder) == 1
        serialized = serialized.replace(placeholder, raw)
    return serialized


# Files that are not ONNX models, by name: their bytes.
BROKEN_FILES = {
    "utf8_in_name": utf8_in_name_bytes,
    "truncated": lambda: relu_model_bytes()[: len(relu_model_bytes()) // 2],
    "garbage": lambda: b"this is not a protobuf\n" * 4,
    "empty": lambda: b"",
}


def main():
    outdir = sys.argv[1]
    names = sys.argv[2:] or sorted(MODELS) + sorted(BROKEN_FILES)
    os.makedirs(outdir, exist_ok=True)
    for name in names:
        path = os.path.join(outdir, name + ".onnx")
        if name in BROKEN_FILES:
            with open(path, "wb") as f:
                f.write(BROKEN_FILES[name]())
        else:
            onnx.save(MODELS[name](outdir), path)


if __name__ == "__main__":
    main()
