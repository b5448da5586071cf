//===- PicoOps.td - pico operations ------------------------*- tablegen -*-===//
//
// Operand order and attribute names follow ONNX so the importer is a direct
// mapping; `pads` are [top, left, bottom, right] (ONNX's begin..., end...).
//
//===----------------------------------------------------------------------===//
#ifndef PICO_OPS_TD
#define PICO_OPS_TD

include "Pico/PicoBase.td"
include "Pico/PicoInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Pico_Op<string mnemonic, list<Trait> traits = []>
    : Op<Pico_Dialect, mnemonic, !listconcat([Pure,
        DeclareOpInterfaceMethods<Pico_InferenceOpInterface>,
        DeclareOpInterfaceMethods<Pico_ShapeInferenceOpInterface>], traits)>;

// The optional activation every producer can carry after fusion; absent
// means none.
defvar Pico_OptionalActivation = OptionalAttr<Pico_ActivationAttr>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Pico_ConstantOp : Pico_Op<"constant", [ConstantLike]> {
  let summary = "A constant tensor (weights, biases, shapes)";
  let description = [{
    ```mlir
    %w = pico.constant dense<1.0> : tensor<8x3x3x3xf32>
    ```
    The result type equals the value's type, except for quantized results,
    whose storage values are held in an integer `value`:
    `pico.constant dense<...> : tensor<8xi8> -> tensor<8x!quant.uniform<...>>`.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict custom<ConstantValue>($value, type($output))";
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>
  ];
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and normalisation
//===----------------------------------------------------------------------===//

def Pico_Conv2DOp : Pico_Op<"conv2d"> {
  let summary = "2-D convolution (grouped, strided, dilated), NCHW / OIHW";
  let description = [{
    ONNX `Conv` on 4-D tensors: `input` is NxCxHxW, `weight` is
    Ox(C/group)xKhxKw, the optional `bias` has O elements. `pads` is
    [top, left, bottom, right]. The optional `activation` is applied to the
    result (after fusion).
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
    Optional<AnyRankedTensor>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<I64Attr, "1">:$group,
    Pico_OptionalActivation:$activation);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Pico_BatchNormOp : Pico_Op<"batch_norm"> {
  let summary = "Inference-mode batch normalisation over axis 1";
  let description = [{
    `y = scale * (x - mean) / sqrt(variance + epsilon) + bias`, per channel
    (axis 1); `scale`, `bias`, `mean` and `variance` are 1-D with C elements.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
    AnyRankedTensor:$bias, AnyRankedTensor:$mean, AnyRankedTensor:$variance,
    DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

class Pico_ActivationOp<string mnemonic, list<Trait> traits = []>
    : Pico_Op<mnemonic, !listconcat([
        DeclareOpInterfaceMethods<Pico_ActivationOpInterface>], traits)> {
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_ReluOp : Pico_ActivationOp<"relu"> {
  let summary = "max(x, 0)";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_ClipOp : Pico_ActivationOp<"clip"> {
  let summary = "min(max(x, min), max); ReLU6 is clip [0, 6]";
  let arguments = (ins AnyRankedTensor:$input, F32Attr:$min, F32Attr:$max);
}

def Pico_LeakyReluOp : Pico_ActivationOp<"leaky_relu"> {
  let summary = "x if x >= 0 else alpha * x";
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}

def Pico_SigmoidOp : Pico_ActivationOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_HardSigmoidOp : Pico_ActivationOp<"hard_sigmoid"> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
    DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}

def Pico_HardSwishOp : Pico_ActivationOp<"hard_swish"> {
  let summary = "x * max(0, min(1, x / 6 + 1 / 2))";
  let arguments = (ins AnyRankedTensor:$input);
}

def Pico_TanhOp : Pico_ActivationOp<"tanh"> {
  let summary = "tanh(x)";
  let arguments = (ins AnyRankedTensor:$input);
}

//===----------------------------------------------------------------------===//
// Element-wise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Pico_BinaryOp<string mnemonic, list<Trait> traits = []>
    : Pico_Op<mnemonic, traits> {
  let description = [{
    Element-wise with numpy (multidirectional) broadcasting; the optional
    `activation` is applied to the result (after fusion).
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
    Pico_OptionalActivation:$activation);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

def Pico_AddOp : Pico_BinaryOp<"add", [Commutative]> { let summary = "lhs + rhs"; }
def Pico_SubOp : Pico_BinaryOp<"sub"> { let summary = "lhs - rhs"; }
def Pico_MulOp : Pico_BinaryOp<"mul", [Commutative]> { let summary = "lhs * rhs"; }
def Pico_DivOp : Pico_BinaryOp<"div"> { let summary = "lhs / rhs"; }

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

def Pico_GlobalAvgPoolOp : Pico_Op<"global_avg_pool"> {
  let summary = "Mean over every spatial axis (axes 2 and up), kept as size 1";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_AvgPoolOp : Pico_Op<"avg_pool"> {
  let summary = "2-D average pooling, NCHW";
  let arguments = (ins AnyRankedTensor:$input,
    DenseI64ArrayAttr:$kernel_shape,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_MaxPoolOp : Pico_Op<"max_pool"> {
  let summary = "2-D max pooling, NCHW";
  let arguments = (ins AnyRankedTensor:$input,
    DenseI64ArrayAttr:$kernel_shape,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_ResizeOp : Pico_Op<"resize"> {
  let summary = "ONNX Resize (nearest or linear) with a static output shape";
  let description = [{
    One `scales` entry per axis; the result type holds the output shape
    (`floor(in * scale)`, or the `sizes` the model gave). Coordinates map
    back with `coordinate_transformation_mode`, and `nearest_mode` rounds
    them for `nearest`. `linear` interpolates along every axis whose
    scale is not 1 (bilinear for NCHW images).
  }];
  let arguments = (ins AnyRankedTensor:$input,
    Pico_ResizeModeAttr:$mode,
    DefaultValuedAttr<Pico_CoordinateTransformModeAttr,
        "::picosam::pico::CoordinateTransformMode::HalfPixel">:$coordinate_transformation_mode,
    DefaultValuedAttr<Pico_NearestModeAttr,
        "::picosam::pico::NearestMode::RoundPreferFloor">:$nearest_mode,
    DenseF32ArrayAttr:$scales);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Pico_ConcatOp : Pico_Op<"concat"> {
  let summary = "Concatenation along `axis` (negative counts from the back)";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
}

def Pico_ReshapeOp : Pico_Op<"reshape"> {
  let summary = "Reshape to the result type's static shape (also ONNX Flatten)";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_TransposeOp : Pico_Op<"transpose"> {
  let summary = "Permutes axes: output axis i is input axis perm[i]";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Matrix products and softmax
//===----------------------------------------------------------------------===//

def Pico_MatMulOp : Pico_Op<"matmul"> {
  let summary = "numpy matmul (batched, broadcasting, 1-D operands promoted)";
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

def Pico_GemmOp : Pico_Op<"gemm"> {
  let summary = "alpha * op(a) * op(b) + beta * c, 2-D, c broadcast to the result";
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$b,
    Optional<AnyRankedTensor>:$c,
    DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
    DefaultValuedAttr<F32Attr, "1.0f">:$beta,
    DefaultValuedAttr<BoolAttr, "false">:$trans_a,
    DefaultValuedAttr<BoolAttr, "false">:$trans_b,
    Pico_OptionalActivation:$activation);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Pico_SoftmaxOp : Pico_Op<"softmax"> {
  let summary = "Softmax along one axis (ONNX opset 13 semantics)";
  let arguments = (ins AnyRankedTensor:$input,
    DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

//===----------------------------------------------------------------------===//
// Quantization boundaries (ONNX QuantizeLinear / DequantizeLinear)
//===----------------------------------------------------------------------===//

def Pico_QuantizeOp : Pico_Op<"quantize"> {
  let summary = "float -> quantized: q = clamp(round(x / scale) + zero_point)";
  let description = [{
    The scale and zero point are the result's `!quant.uniform` element type
    (per tensor, or per axis). Rounding is half to even, as in ONNX.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Pico_DequantizeOp : Pico_Op<"dequantize"> {
  let summary = "quantized -> float: x = (q - zero_point) * scale";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

#endif // PICO_OPS_TD
