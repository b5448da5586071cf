//===- PicoBase.td - pico dialect, enums and attributes ----*- tablegen -*-===//
#ifndef PICO_BASE_TD
#define PICO_BASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def Pico_Dialect : Dialect {
  let name = "pico";
  let cppNamespace = "::picosam::pico";
  let summary = "Value-semantics CNN operators for PicoSAM3-class networks";
  let description = [{
    The `pico` dialect holds the operator vocabulary of small convolutional
    networks as imported from ONNX: convolutions, normalisation,
    activations, element-wise arithmetic with numpy broadcasting, pooling,
    resizing and shape manipulation, all on ranked tensors with value
    semantics. Every op executes on the host (`InferenceOpInterface`,
    implemented by picosam's kernel library through external models that
    tools register) so a graph at any stage of the pipeline can be executed
    and compared tensor by tensor, and every op's location is the ONNX node
    name it came from.

    Quantized tensors use MLIR's `quant` element types.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // Where the memory plan's attributes may sit (pico.buffer,
  // pico.memory_plan, pico.arena), and the imported quantization's and what
  // they hold (PicoDialect.cpp).
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Registers the attributes (in the file that defines their storage).
    void registerAttributes();

    /// Module attributes of a model quantized elsewhere (an MCTQ ONNX model,
    /// docs/imx500.md), which --pico-quantize uses instead of calibrating:
    /// the calibration table its activation quantizers amount to (tensor
    /// name -> array<f32: min, max, threshold>), and the per-output-channel
    /// thresholds of its weight quantizers (ONNX Conv node name ->
    /// array<f32: T_0, T_1, ...>).
    static constexpr ::llvm::StringLiteral kCalibrationAttrName{
        "pico.calibration"};
    static constexpr ::llvm::StringLiteral kWeightThresholdsAttrName{
        "pico.weight_thresholds"};
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Pico_ActivationKind : I32EnumAttr<"ActivationKind",
    "element-wise activation applied to an op's result", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Relu", 1, "relu">,
      I32EnumAttrCase<"Clip", 2, "clip">,
      I32EnumAttrCase<"LeakyRelu", 3, "leaky_relu">,
      I32EnumAttrCase<"Sigmoid", 4, "sigmoid">,
      I32EnumAttrCase<"HardSigmoid", 5, "hard_sigmoid">,
      I32EnumAttrCase<"HardSwish", 6, "hard_swish">,
      I32EnumAttrCase<"Tanh", 7, "tanh">,
      I32EnumAttrCase<"Abs", 8, "abs">,
      I32EnumAttrCase<"Neg", 9, "neg">,
      I32EnumAttrCase<"Exp", 10, "exp">,
      I32EnumAttrCase<"Sqrt", 11, "sqrt">,
      I32EnumAttrCase<"Pow", 12, "pow">,
      I32EnumAttrCase<"Elu", 13, "elu">,
      I32EnumAttrCase<"Selu", 14, "selu">,
      I32EnumAttrCase<"Softplus", 15, "softplus">]> {
  let cppNamespace = "::picosam::pico";
  let genSpecializedAttr = 0;
}

def Pico_ResizeMode : I32EnumAttr<"ResizeMode", "Resize interpolation", [
      I32EnumAttrCase<"Nearest", 0, "nearest">,
      I32EnumAttrCase<"Linear", 1, "linear">]> {
  let cppNamespace = "::picosam::pico";
  let genSpecializedAttr = 0;
}

def Pico_CoordinateTransformMode : I32EnumAttr<"CoordinateTransformMode",
    "ONNX Resize coordinate_transformation_mode", [
      I32EnumAttrCase<"HalfPixel", 0, "half_pixel">,
      I32EnumAttrCase<"PytorchHalfPixel", 1, "pytorch_half_pixel">,
      I32EnumAttrCase<"AlignCorners", 2, "align_corners">,
      I32EnumAttrCase<"Asymmetric", 3, "asymmetric">,
      I32EnumAttrCase<"TfHalfPixelForNearest", 4, "tf_half_pixel_for_nearest">]> {
  let cppNamespace = "::picosam::pico";
  let genSpecializedAttr = 0;
}

def Pico_NearestMode : I32EnumAttr<"NearestMode", "ONNX Resize nearest_mode", [
      I32EnumAttrCase<"RoundPreferFloor", 0, "round_prefer_floor">,
      I32EnumAttrCase<"RoundPreferCeil", 1, "round_prefer_ceil">,
      I32EnumAttrCase<"Floor", 2, "floor">,
      I32EnumAttrCase<"Ceil", 3, "ceil">]> {
  let cppNamespace = "::picosam::pico";
  let genSpecializedAttr = 0;
}

def Pico_PadMode : I32EnumAttr<"PadMode", "ONNX Pad mode", [
      I32EnumAttrCase<"Constant", 0, "constant">,
      I32EnumAttrCase<"Reflect", 1, "reflect">,
      I32EnumAttrCase<"Edge", 2, "edge">]> {
  let cppNamespace = "::picosam::pico";
  // A specialized attribute (an integer attribute underneath), which op
  // formats print as its bare keyword: `pico.pad %x reflect ...`.
}

def Pico_ReduceKind : I32EnumAttr<"ReduceKind", "ONNX ReduceMean, ReduceSum, ReduceMax", [
      I32EnumAttrCase<"Mean", 0, "mean">,
      I32EnumAttrCase<"Sum", 1, "sum">,
      I32EnumAttrCase<"Max", 2, "max">]> {
  let cppNamespace = "::picosam::pico";
  // Printed as its bare keyword: `pico.reduce %x mean axes [2, 3] ...`.
}

def Pico_TargetKind : I32EnumAttr<"TargetKind", "the device a module is compiled for", [
      I32EnumAttrCase<"Cpu", 0, "cpu">,
      I32EnumAttrCase<"Imx500", 1, "imx500">]> {
  let cppNamespace = "::picosam::pico";
  let genSpecializedAttr = 0;
}

def Pico_BufferKind : I32EnumAttr<"BufferKind",
    "what a planned buffer holds", [
      I32EnumAttrCase<"Whole", 0, "whole">,
      I32EnumAttrCase<"Ring", 1, "ring">,
      I32EnumAttrCase<"Streamed", 2, "streamed">]> {
  let cppNamespace = "::picosam::pico";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Pico_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Pico_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Pico_ResizeModeAttr
    : EnumAttr<Pico_Dialect, Pico_ResizeMode, "resize_mode">;
def Pico_CoordinateTransformModeAttr
    : EnumAttr<Pico_Dialect, Pico_CoordinateTransformMode, "coordinate_transform_mode">;
def Pico_NearestModeAttr
    : EnumAttr<Pico_Dialect, Pico_NearestMode, "nearest_mode">;

// A buffer's kind: `whole` unless given.
def Pico_BufferKindParameter : EnumParameter<Pico_BufferKind> {
  let defaultValue = "::picosam::pico::BufferKind::Whole";
}

def Pico_ActivationAttr : Pico_Attr<"Activation", "act"> {
  let summary = "An activation fused into (or applied by) an op";
  let description = [{
    The activation and its parameters:

    ```mlir
    #pico.act<none>
    #pico.act<relu>
    #pico.act<clip, min = 0.0, max = 6.0>
    #pico.act<leaky_relu, alpha = 0.1>
    #pico.act<hard_sigmoid, alpha = 0.2, beta = 0.5>
    #pico.act<pow, exponent = 2.0>
    #pico.act<selu, alpha = 1.67326319, gamma = 1.05070102>
    ```

    `alpha` and `beta` hold `min`/`max` for `clip`, the negative slope for
    `leaky_relu`, the slope/offset for `hard_sigmoid`, the `exponent` of
    `pow`, `alpha` for `elu` and `alpha`/`gamma` for `selu`; other kinds
    (`relu`, `sigmoid`, `hard_swish`, `tanh`, `abs`, `neg`, `exp`, `sqrt`,
    `softplus`) have no parameters. The clip bounds are not NaN and
    `min <= max` (either may be infinite, as ONNX's missing bound is); the
    other kinds' parameters are finite. The standalone activation ops'
    parameters obey the same rules. A parameter the kind does not have is
    +0.0, so the printed form, which omits it, is the whole attribute.

    Parameters are f32 and print exactly: in decimal when a short decimal
    parses back to the same f32, otherwise as the f32 bits in hex (an
    infinite clip bound is `max = 0x7F800000`, ONNX's missing bound
    `min = 0xFF800000`); the parser reads both in f32, so print -> parse
    gives the identical attribute.
  }];
  let parameters = (ins
    EnumParameter<Pico_ActivationKind>:$kind,
    APFloatParameter<"first parameter (clip min, leaky_relu/hard_sigmoid alpha)">:$alpha,
    APFloatParameter<"second parameter (clip max, hard_sigmoid beta)">:$beta);
  let builders = [
    AttrBuilder<(ins "ActivationKind":$kind,
                     CArg<"float", "0.0f">:$alpha, CArg<"float", "0.0f">:$beta), [{
      return $_get($_ctxt, kind, ::llvm::APFloat(alpha), ::llvm::APFloat(beta));
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isNone() const { return getKind() == ActivationKind::None; }
    /// The activation as the kernels apply it (picosam/Kernels/Activation.h,
    /// the one definition of each activation's math).
    ::picosam::kernels::Activation getKernelActivation() const;
    /// Applies the activation to one float value.
    float apply(float x) const { return getKernelActivation().apply(x); }
  }];
}

//===----------------------------------------------------------------------===//
// Memory plan (set by --pico-plan-memory)
//===----------------------------------------------------------------------===//

def Pico_BufferAttr : Pico_Attr<"Buffer", "buffer"> {
  let summary = "Where the memory plan puts one activation";
  let description = [{
    ```mlir
    #pico.buffer<offset = 4096, size = 1024, first = 2, last = 5>
    #pico.buffer<offset = 768, size = 128, first = 0, last = 0, kind = ring, rows = 1, row_bytes = 128>
    ```
    The buffer occupies bytes [offset, offset + size) of its function's
    arena from step `first` to step `last`, both included (steps number the
    scheduled ops from 0). `kind` says what it holds:

    - `whole` (the default, not printed): the tensor, packed row-major at
      its element width;
    - `ring`: the rows of a tiled separable block's depthwise result, made
      one at a time just ahead of the pointwise conv reading them: `rows`
      slots of `row_bytes` bytes each (one row across every image, channel
      and column, laid out as a tensor of `rows` rows: row r of the
      tensor lives in slot r mod `rows`);
    - `streamed`: the rows of a streamed block's result (a tiled block read
      only as the residual of one conv), which that conv adds to its own
      rows in the same row loop; a ring like the one above.

    `--pico-plan-memory` sets it as the `pico.buffer` attribute of the op
    defining the tensor, the argument attribute of a function argument, on
    a separable block's depthwise conv for the block's intermediate (a
    `whole` buffer, or a `ring` when the block is tiled) and on its
    pointwise conv for a `streamed` result (the block then has none).
    Two tensors with the same offset and touching lifetimes are one written
    in place over the other. Checked here: sizes, steps and counts are
    >= 0, `first <= last`, a whole buffer has no rows, a ring's rows fit
    its size; `--pico-verify-memory-plan` checks the rest against the IR.
  }];
  let parameters = (ins "int64_t":$offset, "int64_t":$size, "int64_t":$first,
                        "int64_t":$last, Pico_BufferKindParameter:$kind,
                        DefaultValuedParameter<"int64_t", "0">:$rows,
                        DefaultValuedParameter<"int64_t", "0">:$row_bytes);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "int64_t":$offset, "int64_t":$size, "int64_t":$first,
                     "int64_t":$last), [{
      return $_get($_ctxt, offset, size, first, last, BufferKind::Whole, 0, 0);
    }]>
  ];
  let extraClassDeclaration = [{
    /// The name of the attribute that holds it.
    static constexpr ::llvm::StringLiteral attrName{"pico.buffer"};
    int64_t getEnd() const { return getOffset() + getSize(); }
    /// True for a ring of rows (`ring` or `streamed`).
    bool isRing() const { return getKind() != BufferKind::Whole; }
  }];
}

def Pico_MemoryPlanAttr : Pico_Attr<"MemoryPlan", "memory_plan"> {
  let summary = "A function's memory plan: arena, lower bound, weights";
  let description = [{
    ```mlir
    #pico.memory_plan<arena = 1290240, lower_bound = 1290240, peak_step = 61,
                      steps = 64, input_order_lower_bound = 1548288,
                      weights = 1364852, alignment = 16, element_bytes = 1,
                      tiled_blocks = 0>
    ```
    Set as the function's `pico.memory_plan` attribute by
    `--pico-plan-memory`, with a `#pico.buffer` on every activation:
    `arena` bytes hold every activation at its offset; `lower_bound` is the
    largest sum of live bytes at one step of the schedule (reached first at
    `peak_step`), which no packing of those lifetimes can beat, and
    `input_order_lower_bound` the same in the order the ops had before
    planning; `steps` is the number of steps of the schedule; `weights` is
    the bytes of the constants. `alignment` is the offsets' alignment,
    `element_bytes` the bytes every element was counted as (0: each type's
    own width) and `tiled_blocks` the number of separable blocks whose
    intermediate is a ring of rows.
  }];
  let parameters = (ins "int64_t":$arena, "int64_t":$lower_bound,
                        "int64_t":$peak_step, "int64_t":$steps,
                        "int64_t":$input_order_lower_bound,
                        "int64_t":$weights, "int64_t":$alignment,
                        "int64_t":$element_bytes, "int64_t":$tiled_blocks);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name of the function attribute that holds it.
    static constexpr ::llvm::StringLiteral attrName{"pico.memory_plan"};
    /// The unit argument attribute marking the `memref<arena x i8>`
    /// argument of a function --pico-materialize-arena has run on.
    static constexpr ::llvm::StringLiteral arenaArgAttrName{"pico.arena"};
  }];
}

//===----------------------------------------------------------------------===//
// Target (set by --pico-set-target)
//===----------------------------------------------------------------------===//

def Pico_TargetAttr : Pico_Attr<"Target", "target"> {
  let summary = "The device a module is compiled for, and its memory";
  let description = [{
    ```mlir
    #pico.target<cpu>
    #pico.target<imx500, budget = 8388480, reserved = 1024>
    ```
    Set as the module's `pico.target` attribute by `--pico-set-target`
    (`picosam-compile --target`); the passes that depend on the device read
    it: `--pico-quantize` quantizes with the target's profile (`cpu` or
    `imx500`, docs/quantization.md) and `--pico-plan-memory` checks the plan
    against its memory. `budget` is the bytes weights, arena and `reserved`
    bytes must fit in (0: no limit); the IMX500 has 8,388,480 bytes of which
    its runtime reserves 1,024. A budget is larger than the reserved bytes,
    and reserved bytes need a budget.
  }];
  let parameters = (ins EnumParameter<Pico_TargetKind>:$kind,
                        DefaultValuedParameter<"int64_t", "0">:$budget,
                        DefaultValuedParameter<"int64_t", "0">:$reserved);
  let assemblyFormat = "`<` $kind (`,` struct($budget, $reserved)^)? `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name of the module attribute that holds it.
    static constexpr ::llvm::StringLiteral attrName{"pico.target"};
    /// The IMX500's memory (../shared/imx500.md): weights and activations
    /// together, and what its runtime reserves of it.
    static constexpr int64_t kImx500Budget = 8388480;
    static constexpr int64_t kImx500Reserved = 1024;
    /// `kind` with its device's memory: the IMX500's budget and reserved
    /// bytes; no limit for the CPU.
    static TargetAttr getDefault(::mlir::MLIRContext *context, TargetKind kind);
    /// The target of the module holding `op` (or of `op` itself, a module),
    /// or null.
    static TargetAttr lookup(::mlir::Operation *op);
    bool hasBudget() const { return getBudget() > 0; }
  }];
}

#endif // PICO_BASE_TD
