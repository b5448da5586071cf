//===- CheckImx500.cpp - the IMX500's operator and tensor limits ----------===//
//
// Every rule of docs/imx500.md, each with its own diagnostic naming the ONNX
// node, the op and the rule. Where a rule comes from matters to the user (a
// published limit is firm; what Sony's closed converter was seen to do may
// change with its version), so a rule that is not a published limit says so
// in a note.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Interpreter/Interpreter.h"
#include "picosam/Support/Quant.h"
#include "picosam/Support/Tensor.h"
#include "picosam/Target/IMX500/Legality.h"
#include "picosam/Target/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace picosam {
#define GEN_PASS_DEF_CHECKIMX500
#include "picosam/Target/Passes.h.inc"
} // namespace picosam

using namespace mlir;

void picosam::imx500::reportViolation(Location loc, RuleSource source,
                                      const Twine &message) {
  InFlightDiagnostic diagnostic = emitError(loc, message);
  if (source == RuleSource::Observed)
    diagnostic.attachNote() << "observed behaviour of Sony's converter, not a published limit";
  else if (source == RuleSource::MctTarget)
    diagnostic.attachNote() << "from MCT's IMX500 target platform (Sony's public quantization "
                               "toolkit), not a published limit of the converter";
}

using namespace picosam;
using namespace picosam::pico;

namespace {

using Source = imx500::RuleSource;

// Observed limits of Sony's converter (docs/imx500.md).
constexpr int64_t kMaxConvInputHeight = 32767;
constexpr int64_t kMaxDepthwiseKernel = 12;
constexpr int64_t kMaxMaxPoolWindow = 65535;
constexpr int64_t kMaxAvgPoolKernel = 255;
constexpr int64_t kMaxGemmInputs = 32700;
constexpr int64_t kMaxGemmOutputs = 8192;
constexpr int64_t kMaxUpsampleInput = 4093;
constexpr int64_t kMaxSoftmaxSize = 32767;
// Published output limits (picamera2).
constexpr int64_t kMaxOutputRank = 16;
constexpr int64_t kOutputDimLimit = 65536;

/// The ONNX operator the converter would see for `op`, the fused op's own
/// name for ops fusion makes from accepted ones, or none when the converter
/// accepts no equivalent.
std::optional<StringRef> getOnnxOpType(Operation *op) {
  using Result = std::optional<StringRef>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([](ConstantOp) { return "Constant"; })
      .Case([](Conv2DOp) { return "Conv"; })
      .Case([](ConvTranspose2DOp) { return "ConvTranspose"; })
      .Case([](BatchNormOp) { return "BatchNormalization"; })
      .Case([](ReluOp) { return "Relu"; })
      .Case([](ClipOp) { return "Clip"; })
      .Case([](LeakyReluOp) { return "LeakyRelu"; })
      .Case([](SigmoidOp) { return "Sigmoid"; })
      .Case([](HardSigmoidOp) { return "HardSigmoid"; })
      .Case([](HardSwishOp) { return "HardSwish"; })
      .Case([](TanhOp) { return "Tanh"; })
      .Case([](AbsOp) { return "Abs"; })
      .Case([](NegOp) { return "Neg"; })
      .Case([](ExpOp) { return "Exp"; })
      .Case([](SqrtOp) { return "Sqrt"; })
      .Case([](PowOp) { return "Pow"; })
      .Case([](MaxOp) { return "Max"; })
      .Case([](PReluOp) { return "PRelu"; })
      .Case([](MinOp) { return "Min"; })
      .Case([](AddOp) { return "Add"; })
      .Case([](SubOp) { return "Sub"; })
      .Case([](MulOp) { return "Mul"; })
      .Case([](DivOp) { return "Div"; })
      .Case([](GlobalAvgPoolOp) { return "GlobalAveragePool"; })
      .Case([](AvgPoolOp) { return "AveragePool"; })
      .Case([](MaxPoolOp) { return "MaxPool"; })
      .Case([](ResizeOp) { return "Resize"; })
      .Case([](ConcatOp) { return "Concat"; })
      .Case([](ReshapeOp) { return "Reshape"; })
      .Case([](TransposeOp) { return "Transpose"; })
      .Case([](PadOp) { return "Pad"; })
      .Case([](SliceOp) { return "Slice"; })
      .Case([](ReduceOp reduce) -> Result {
        switch (reduce.getKind()) {
        case ReduceKind::Mean:
          return "ReduceMean";
        case ReduceKind::Sum:
          return "ReduceSum";
        case ReduceKind::Max:
          return "ReduceMax";
        }
        return std::nullopt;
      })
      .Case([](MatMulOp) { return "MatMul"; })
      .Case([](GemmOp) { return "Gemm"; })
      .Case([](SoftmaxOp softmax) -> Result {
        if (softmax.getLog())
          return std::nullopt;
        return "Softmax";
      })
      .Case([](QuantizeOp) { return "QuantizeLinear"; })
      .Case([](DequantizeOp) { return "DequantizeLinear"; })
      .Case<ChannelAttentionOp, SeparableBlockOp>(
          [](Operation *fused) -> Result { return fused->getName().getStringRef(); })
      .Default([](Operation *) { return std::nullopt; });
}

ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// "1, 2, 3".
std::string listText(ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(values, os);
  return text;
}

std::string typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// The activations the IMX500 fuses into an Add/Sub/Mul/Div (MCT's
/// "any ReLU": ReLU, ReLU6, LeakyReLU, HardTanh).
bool fusesAfterAdd(ActivationKind kind) {
  return kind == ActivationKind::Relu || kind == ActivationKind::Clip ||
         kind == ActivationKind::LeakyRelu;
}

/// The activations the IMX500 fuses into a convolution or Gemm (MCT's
/// list: ReLU, ReLU6/HardTanh, LeakyReLU, Sigmoid, HardSigmoid, HardSwish,
/// Tanh); pico's element-wise math kinds (abs, exp, elu, ...) are not.
bool fusesAfterConv(ActivationKind kind) {
  return fusesAfterAdd(kind) || kind == ActivationKind::Sigmoid ||
         kind == ActivationKind::HardSigmoid ||
         kind == ActivationKind::HardSwish || kind == ActivationKind::Tanh;
}

class Imx500Checker {
public:
  Imx500Checker(int64_t minInputSize, int64_t maxInputSize, int64_t maxOutputs)
      : minInputSize(minInputSize), maxInputSize(maxInputSize),
        maxOutputs(maxOutputs) {}

  /// Reports every violation in `func`; true when there was none.
  bool check(func::FuncOp func) {
    checkInputs(func);
    checkOutputs(func);
    bool quantized = false;
    func.walk([&](Operation *op) {
      for (Value result : op->getResults())
        quantized |= isa<quant::QuantizedType>(getElementTypeOrSelf(result.getType()));
    });
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op != func && !op->hasTrait<mlir::OpTrait::IsTerminator>() && !isa<SeparableBlockOp>(op))
        checkOp(op, quantized);
    });
    return !violated;
  }

private:
  void report(Location loc, Source source, const Twine &message) {
    imx500::reportViolation(loc, source, message);
    violated = true;
  }

  /// Reports that `op` breaks `rule`: "node '<name>' (<ONNX op>): <rule>".
  void reportNode(Operation *op, Source source, const Twine &rule) {
    std::optional<std::string> name = locationName(op->getLoc());
    StringRef type = getOnnxOpType(op).value_or(op->getName().getStringRef());
    report(op->getLoc(), source,
           (name ? "node '" + *name + "'" : std::string("node without a name")) + " (" + type +
               "): " + rule);
  }

  //===--------------------------------------------------------------------===//
  // The function's inputs and outputs (published)
  //===--------------------------------------------------------------------===//

  void checkInputs(func::FuncOp func) {
    for (BlockArgument argument : func.getArguments()) {
      std::string name = "graph input '" +
                         locationName(argument.getLoc())
                             .value_or("#" + std::to_string(argument.getArgNumber())) +
                         "'";
      Location loc = argument.getLoc();
      auto type = dyn_cast<RankedTensorType>(argument.getType());
      if (!type) {
        report(loc, Source::Published,
               name + " is " + typeText(argument.getType()) +
                   "; the IMX500's input is one 4-D NCHW image");
        continue;
      }
      ArrayRef<int64_t> shape = type.getShape();
      if (shape.size() != 4) {
        report(loc, Source::Published,
               name + " has rank " + Twine(shape.size()) +
                   "; the IMX500's input is one 4-D NCHW image");
        continue;
      }
      if (shape[0] != 1)
        report(loc, Source::Published,
               name + " has batch " + Twine(shape[0]) + "; the IMX500 takes batch 1");
      if (shape[1] != 1 && shape[1] != 3)
        report(loc, Source::Published,
               name + " has " + Twine(shape[1]) +
                   " channels; the IMX500's input is an RGB or BGR image (3 channels) or a "
                   "Y or Bayer one (1 channel)");
      if (llvm::any_of(shape.drop_front(2), [&](int64_t size) {
            return size < minInputSize || size > maxInputSize;
          }))
        report(loc, Source::Published,
               llvm::formatv("{0} is {1}x{2} pixels; the IMX500's input is {3}x{3} to "
                             "{4}x{4}",
                             name, shape[2], shape[3], minInputSize, maxInputSize)
                   .str());
    }
  }

  void checkOutputs(func::FuncOp func) {
    func.walk([&](func::ReturnOp ret) {
      if (static_cast<int64_t>(ret.getNumOperands()) > maxOutputs)
        report(ret.getLoc(), Source::Published,
               "the graph has " + Twine(ret.getNumOperands()) +
                   " outputs; the IMX500 returns at most " + Twine(maxOutputs) + " tensors");
      for (OpOperand &output : ret->getOpOperands()) {
        Value value = output.get();
        std::optional<std::string> producer =
            value.getDefiningOp() ? locationName(value.getDefiningOp()->getLoc())
                                  : locationName(cast<BlockArgument>(value).getLoc());
        std::string name = "graph output #" + std::to_string(output.getOperandNumber()) +
                           (producer ? " ('" + *producer + "')" : std::string());
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type) {
          report(ret.getLoc(), Source::Published,
                 name + " is " + typeText(value.getType()) + "; the IMX500 returns tensors");
          continue;
        }
        ArrayRef<int64_t> shape = type.getShape();
        if (static_cast<int64_t>(shape.size()) > kMaxOutputRank)
          report(ret.getLoc(), Source::Published,
                 name + " has rank " + Twine(shape.size()) +
                     "; the IMX500's outputs have at most " + Twine(kMaxOutputRank) +
                     " dimensions");
        if (llvm::any_of(shape, [](int64_t dim) { return dim >= kOutputDimLimit; }))
          report(ret.getLoc(), Source::Published,
                 name + " is " + formatShape(shape) +
                     "; each dimension of an IMX500 output is below " +
                     Twine(kOutputDimLimit));
      }
    });
  }

  //===--------------------------------------------------------------------===//
  // Ops
  //===--------------------------------------------------------------------===//

  void checkOp(Operation *op, bool quantizedFunction) {
    // Constants are weights the backend stores under names of its own; one
    // without a name is one the compiler merged (CSE), not an ONNX node.
    if (!locationName(op->getLoc()) && !isa<ConstantOp>(op))
      reportNode(op, Source::Observed,
                 "Sony's converter rejects ONNX nodes with empty names; every op's location "
                 "must name its node");
    if (!getOnnxOpType(op)) {
      reportNode(op, Source::Observed, "Sony's converter accepts no equivalent of this op");
      return;
    }
    llvm::TypeSwitch<Operation *>(op)
        .Case([&](Conv2DOp conv) { checkConv(conv); })
        .Case([&](ConvTranspose2DOp conv) { checkConvTranspose(conv); })
        .Case([&](MaxPoolOp pool) { checkMaxPool(pool); })
        .Case([&](AvgPoolOp pool) { checkAvgPool(pool); })
        .Case([&](GlobalAvgPoolOp pool) {
          if (checkImageInput(op, pool.getInput()))
            checkGlobalPool(op, pool.getInput());
        })
        .Case([&](ChannelAttentionOp attention) {
          if (checkImageInput(op, attention.getInput()))
            checkGlobalPool(op, attention.getInput());
        })
        .Case([&](ResizeOp resize) { checkResize(resize); })
        .Case([&](GemmOp gemm) {
          checkGemm(gemm);
          checkFusedActivation(gemm, gemm.getActivationAttr());
        })
        .Case([&](SoftmaxOp softmax) { checkSoftmax(softmax); })
        .Case([&](ConcatOp concat) {
          int64_t rank = shapeOf(concat.getOutput()).size();
          if (rank > 1 && normalizeAxis(concat.getAxis(), rank) == 0)
            reportNode(op, Source::Observed,
                       "the IMX500 computes nothing along the batch axis; this concatenates "
                       "along axis 0");
        })
        .Case([&](TransposeOp transpose) {
          if (!transpose.getPerm().empty() && transpose.getPerm().front() != 0)
            reportNode(op, Source::Observed,
                       "the IMX500 computes nothing along the batch axis; this transpose "
                       "moves axis 0");
        })
        .Case([&](PadOp pad) { checkPad(pad); })
        .Case([&](PReluOp) {
          reportNode(op, Source::Observed,
                     "the IMX500 takes PRelu only fused into a convolution; a per-channel "
                     "slope stays a separate op (one slope fuses, as a LeakyRelu)");
        })
        .Case([&](ReduceOp reduce) {
          if (shapeOf(reduce.getInput()).size() > 1 && reduce.getAxes().front() == 0)
            reportNode(op, Source::Observed,
                       "the IMX500 computes nothing along the batch axis; this reduces axis 0");
        })
        .Case([&](SliceOp slice) {
          ArrayRef<int64_t> input = shapeOf(slice.getInput());
          if (input.size() > 1 && slice.getSizes().front() != input.front())
            reportNode(op, Source::Observed,
                       "the IMX500 computes nothing along the batch axis; this slices axis 0");
        })
        .Case<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp>([&](Operation *binary) {
          auto activation = binary->getAttrOfType<ActivationAttr>("activation");
          if (activation && !fusesAfterAdd(activation.getKind()))
            reportNode(op, Source::MctTarget,
                       "the IMX500 fuses only ReLU, ReLU6/HardTanh (clip) or LeakyReLU into "
                       "Add, Sub, Mul and Div; this carries " +
                           stringifyActivationKind(activation.getKind()));
        });
    if (quantizedFunction)
      checkQuantization(op);
  }

  /// Checks the input of a 2-D op: a 4-D NCHW tensor of batch 1. False when
  /// it is not 4-D (the op's other rules cannot be checked then).
  bool checkImageInput(Operation *op, Value input) {
    ArrayRef<int64_t> shape = shapeOf(input);
    if (shape.size() != 4) {
      int64_t spatial = static_cast<int64_t>(shape.size()) - 2;
      reportNode(op, Source::Observed,
                 "the IMX500 has no 1-D or 3-D ops, only 2-D ones on a 4-D NCHW input; this "
                 "input has rank " +
                     Twine(shape.size()) +
                     (spatial == 1 || spatial == 3 ? " (a " + Twine(spatial) + "-D op)" : ""));
      return false;
    }
    if (shape[0] != 1)
      reportNode(op, Source::Observed,
                 "the IMX500 runs batch 1; this input has batch " + Twine(shape[0]));
    return true;
  }

  void checkConv(Conv2DOp conv) {
    if (!checkImageInput(conv, conv.getInput()))
      return;
    ArrayRef<int64_t> strides = conv.getStrides(), dilations = conv.getDilations(),
                      pads = conv.getPads();
    ArrayRef<int64_t> kernel = shapeOf(conv.getWeight()).drop_front(2);
    auto aboveOne = [](int64_t value) { return value > 1; };
    if (llvm::any_of(strides, aboveOne) && llvm::any_of(dilations, aboveOne))
      reportNode(conv, Source::Observed,
                 "the IMX500 rejects a stride above 1 together with a dilation above 1; this "
                 "has strides " +
                     formatShape(strides) + " and dilations " + formatShape(dilations));
    // pads are [top, left, bottom, right]: even ones pad H, odd ones W.
    SmallVector<int64_t, 2> extent;
    for (int axis : {0, 1})
      extent.push_back(dilatedKernelExtent(kernel[axis], dilations[axis]).value_or(0));
    if (llvm::any_of(llvm::enumerate(pads),
                     [&](auto pad) { return pad.value() >= extent[pad.index() % 2]; }))
      reportNode(conv, Source::Observed,
                 "the IMX500 needs every pad smaller than the dilated kernel (" +
                     formatShape(extent) + "); this has pads [" + listText(pads) +
                     "] (top, left, bottom, right)");
    if (conv.isDepthwise() && llvm::any_of(kernel, [](int64_t size) {
          return size > kMaxDepthwiseKernel;
        }))
      reportNode(conv, Source::Observed,
                 "the IMX500 accepts depthwise kernels up to " + Twine(kMaxDepthwiseKernel) +
                     "x" + Twine(kMaxDepthwiseKernel) + "; this is " + formatShape(kernel));
    ArrayRef<int64_t> input = shapeOf(conv.getInput());
    int64_t upsample = conv.getInputUpsample();
    if (input[2] * upsample > kMaxConvInputHeight)
      reportNode(conv, Source::Observed,
                 "the IMX500 accepts convolution inputs up to " + Twine(kMaxConvInputHeight) +
                     " rows; this one has " + Twine(input[2] * upsample) +
                     (upsample > 1 ? " (after its fused upsample)" : ""));
    if (upsample > 1)
      checkUpsampledSize(conv, input.drop_front(2), "this convolution's fused upsample reads ");
    checkFusedActivation(conv, conv.getActivationAttr());
    if (conv.getResidual()) {
      if (std::optional<ActivationAttr> activation = conv.getActivation();
          activation && !fusesAfterAdd(activation->getKind()))
        reportNode(conv, Source::MctTarget,
                   "the IMX500 fuses only ReLU, ReLU6/HardTanh (clip) or LeakyReLU into an Add; "
                   "this convolution's residual Add carries " +
                       stringifyActivationKind(activation->getKind()));
    }
  }

  void checkConvTranspose(ConvTranspose2DOp conv) {
    if (!checkImageInput(conv, conv.getInput()))
      return;
    auto isOne = [](int64_t value) { return value == 1; };
    auto isZero = [](int64_t value) { return value == 0; };
    ArrayRef<int64_t> strides = conv.getStrides(), dilations = conv.getDilations();
    ArrayRef<int64_t> kernel = shapeOf(conv.getWeight()).drop_front(2);
    if (!llvm::all_of(dilations, isOne))
      reportNode(conv, Source::Observed,
                 "the IMX500 accepts ConvTranspose with dilation 1 only; this has dilations " +
                     formatShape(dilations));
    if (strides[0] > kernel[0] || strides[1] > kernel[1])
      reportNode(conv, Source::Observed,
                 "the IMX500 needs a ConvTranspose's stride no larger than its kernel; this "
                 "has strides " +
                     formatShape(strides) + " and kernel " + formatShape(kernel));
    if (!llvm::all_of(conv.getPads(), isZero) || !llvm::all_of(conv.getOutputPadding(), isZero))
      reportNode(conv, Source::Observed,
                 "the IMX500 accepts ConvTranspose without pads and without output_shape; this "
                 "has pads [" +
                     listText(conv.getPads()) + "] (top, left, bottom, right) and output padding " +
                     formatShape(conv.getOutputPadding()));
    if (conv.getGroup() != 1)
      reportNode(conv, Source::Observed,
                 "the IMX500 accepts ConvTranspose with group 1 only; this has group " +
                     Twine(conv.getGroup()));
    checkFusedActivation(conv, conv.getActivationAttr());
  }

  /// A convolution's or Gemm's fused activation is one MCT fuses there.
  void checkFusedActivation(Operation *op, ActivationAttr activation) {
    if (activation && !fusesAfterConv(activation.getKind()))
      reportNode(op, Source::MctTarget,
                 "the IMX500 fuses only ReLU, ReLU6/HardTanh, LeakyReLU, Sigmoid, HardSigmoid, "
                 "HardSwish or Tanh into a convolution or Gemm; this carries " +
                     stringifyActivationKind(activation.getKind()));
  }

  /// A pool with ceil_mode is accepted where it changes nothing: where the
  /// output has the size floor rounding gives.
  void checkCeilMode(Operation *op, bool ceilMode, ArrayRef<int64_t> kernel,
                     ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                     ArrayRef<int64_t> pads, Value input, Value output) {
    if (!ceilMode)
      return;
    ArrayRef<int64_t> inputHW = shapeOf(input).drop_front(2);
    SmallVector<int64_t, 2> floorHW;
    for (int axis : {0, 1})
      floorHW.push_back(poolOutputSize(inputHW[axis], kernel[axis], strides[axis],
                                       dilations[axis], pads[axis], pads[axis + 2],
                                       /*ceilMode=*/false)
                            .value_or(0));
    ArrayRef<int64_t> outputHW = shapeOf(output).drop_front(2);
    if (outputHW != ArrayRef<int64_t>(floorHW))
      reportNode(op, Source::Observed,
                 "the IMX500 accepts ceil_mode 0 only; this ceil_mode changes the output to " +
                     formatShape(outputHW) + " (" + formatShape(floorHW) + " without it)");
  }

  void checkMaxPool(MaxPoolOp pool) {
    if (!checkImageInput(pool, pool.getInput()))
      return;
    ArrayRef<int64_t> kernel = pool.getKernelShape(), dilations = pool.getDilations();
    checkCeilMode(pool, pool.getCeilMode(), kernel, pool.getStrides(), dilations,
                  pool.getPads(), pool.getInput(), pool.getOutput());
    if (llvm::any_of(dilations, [](int64_t dilation) { return dilation != 1; }))
      reportNode(pool, Source::Observed,
                 "the IMX500 accepts MaxPool with dilation 1 only; this has dilations " +
                     formatShape(dilations));
    if (kernel[0] * kernel[1] > kMaxMaxPoolWindow)
      reportNode(pool, Source::Observed,
                 "the IMX500 accepts MaxPool windows of at most " + Twine(kMaxMaxPoolWindow) +
                     " elements; this is " + formatShape(kernel) + " = " +
                     Twine(kernel[0] * kernel[1]));
  }

  void checkAvgPool(AvgPoolOp pool) {
    if (!checkImageInput(pool, pool.getInput()))
      return;
    ArrayRef<int64_t> kernel = pool.getKernelShape();
    checkCeilMode(pool, pool.getCeilMode(), kernel, pool.getStrides(), {1, 1}, pool.getPads(),
                  pool.getInput(), pool.getOutput());
    if (llvm::any_of(kernel, [](int64_t size) { return size > kMaxAvgPoolKernel; }))
      reportNode(pool, Source::Observed,
                 "the IMX500 accepts AveragePool kernels up to " + Twine(kMaxAvgPoolKernel) +
                     "x" + Twine(kMaxAvgPoolKernel) + "; this is " + formatShape(kernel));
  }

  /// GlobalAveragePool (alone or in channel attention) becomes an
  /// AveragePool over H x W, so its kernel limit applies.
  void checkGlobalPool(Operation *op, Value input) {
    ArrayRef<int64_t> spatial = shapeOf(input).drop_front(2);
    if (llvm::any_of(spatial, [](int64_t size) { return size > kMaxAvgPoolKernel; }))
      reportNode(op, Source::Observed,
                 "the IMX500 runs GlobalAveragePool as an AveragePool over H x W, whose kernel "
                 "is at most " +
                     Twine(kMaxAvgPoolKernel) + "x" + Twine(kMaxAvgPoolKernel) +
                     "; this input is " + formatShape(spatial));
  }

  void checkUpsampledSize(Operation *op, ArrayRef<int64_t> inputHW, StringRef what) {
    if (llvm::any_of(inputHW, [](int64_t size) { return size > kMaxUpsampleInput; }))
      reportNode(op, Source::Observed,
                 "the IMX500 upsamples inputs of at most " + Twine(kMaxUpsampleInput) + "x" +
                     Twine(kMaxUpsampleInput) + "; " + what + formatShape(inputHW));
  }

  void checkResize(ResizeOp resize) {
    if (!checkImageInput(resize, resize.getInput()))
      return;
    ArrayRef<float> scales = resize.getScales();
    if (scales[0] != 1.0f)
      reportNode(resize, Source::Observed,
                 "the IMX500 computes nothing along the batch axis; this resizes axis 0");
    ResizeMode mode = resize.getMode();
    CoordinateTransformMode transform = resize.getCoordinateTransformationMode();
    NearestMode nearest = resize.getNearestMode();
    // A nearest upsample whose modes give the asymmetric + floor indices
    // for its factor computes exactly what the IMX500's does.
    bool accepted =
        mode == ResizeMode::Nearest
            ? (transform == CoordinateTransformMode::Asymmetric &&
               nearest == NearestMode::Floor) ||
                  resize.getNearestUpsampleFactor()
            : transform == CoordinateTransformMode::HalfPixel ||
                  transform == CoordinateTransformMode::PytorchHalfPixel;
    if (!accepted)
      reportNode(resize, Source::Observed,
                 "the IMX500 accepts nearest with asymmetric + floor or linear with half_pixel; "
                 "this is " +
                     stringifyResizeMode(mode) + " with " +
                     stringifyCoordinateTransformMode(transform) +
                     (mode == ResizeMode::Nearest
                          ? (" + " + stringifyNearestMode(nearest)).str()
                          : std::string()));
    if (scales[2] > 1.0f || scales[3] > 1.0f)
      checkUpsampledSize(resize, shapeOf(resize.getInput()).drop_front(2), "this input is ");
  }

  void checkGemm(GemmOp gemm) {
    ArrayRef<int64_t> output = shapeOf(gemm.getOutput());
    if (output[0] != 1)
      reportNode(gemm, Source::Observed,
                 "the IMX500 runs batch 1; this Gemm has " + Twine(output[0]) + " rows");
    float alpha = gemm.getAlpha().convertToFloat(), beta = gemm.getBeta().convertToFloat();
    if (alpha != 1.0f || (gemm.getC() && beta != 1.0f))
      reportNode(gemm, Source::Observed,
                 llvm::formatv("the IMX500 accepts Gemm with alpha = beta = 1 only; this has "
                               "alpha {0} and beta {1}",
                               llvm::format("%g", alpha), llvm::format("%g", beta))
                     .str());
    if (gemm.getTransA())
      reportNode(gemm, Source::Observed, "the IMX500 accepts Gemm without transA only");
    if (!gemm.getB().getDefiningOp<ConstantOp>())
      reportNode(gemm, Source::Observed,
                 "the IMX500 needs Gemm's B (the weights) to be a constant");
    int64_t inputs = shapeOf(gemm.getA())[gemm.getTransA() ? 0 : 1];
    if (inputs > kMaxGemmInputs)
      reportNode(gemm, Source::Observed,
                 "the IMX500 accepts fully-connected layers of at most " +
                     Twine(kMaxGemmInputs) + " inputs; this has " + Twine(inputs));
    if (output[1] > kMaxGemmOutputs)
      reportNode(gemm, Source::Observed,
                 "the IMX500 accepts fully-connected layers of at most " +
                     Twine(kMaxGemmOutputs) + " output features; this has " +
                     Twine(output[1]));
  }

  void checkSoftmax(SoftmaxOp softmax) {
    ArrayRef<int64_t> shape = shapeOf(softmax.getInput());
    std::optional<int64_t> axis = normalizeAxis(softmax.getAxis(), shape.size());
    if (!axis)
      return;
    if (shape.size() > 1 && *axis == 0)
      reportNode(softmax, Source::Observed,
                 "the IMX500 computes Softmax along one non-batch axis; this is along axis 0");
    if (shape[*axis] > kMaxSoftmaxSize)
      reportNode(softmax, Source::Observed,
                 "the IMX500 accepts Softmax over at most " + Twine(kMaxSoftmaxSize) +
                     " elements; this axis has " + Twine(shape[*axis]));
  }

  void checkPad(PadOp pad) {
    if (pad.getMode() != PadMode::Constant)
      reportNode(pad, Source::Observed,
                 "the IMX500 pads with a constant only; this pads in " +
                     stringifyPadMode(pad.getMode()) + " mode");
    ArrayRef<int64_t> pads = pad.getPads();
    int64_t rank = shapeOf(pad.getInput()).size();
    if (rank > 1 && (pads[0] != 0 || pads[rank] != 0))
      reportNode(pad, Source::Observed,
                 "the IMX500 computes nothing along the batch axis; this pads axis 0");
  }

  //===--------------------------------------------------------------------===//
  // Quantized functions (MCT's IMX500 target platform)
  //===--------------------------------------------------------------------===//

  void checkQuantization(Operation *op) {
    if (isa<ConstantOp>(op))
      return;
    // The application reads the outputs dequantized: a dequantize is a
    // boundary, any other float result a float fallback.
    if (!isa<DequantizeOp>(op))
      for (Value result : op->getResults())
        if (isa<FloatType>(getElementTypeOrSelf(result.getType())))
          reportNode(op, Source::MctTarget,
                     "the IMX500 computes with integers only; in this quantized graph this op "
                     "computes in " +
                         typeText(getElementTypeOrSelf(result.getType())));
    SmallVector<Type> activations;
    for (Value result : op->getResults())
      activations.push_back(getElementTypeOrSelf(result.getType()));
    if (auto attention = dyn_cast<ChannelAttentionOp>(op)) {
      if (std::optional<Type> mean = attention.getMeanType())
        activations.push_back(*mean);
      if (std::optional<Type> logits = attention.getLogitsType())
        activations.push_back(*logits);
    }
    for (Type type : activations)
      checkActivationType(op, type);
  }

  /// Activations: 8 or 16 bits, per tensor, a power-of-two scale and zero
  /// point 0. (The ops' verifiers already require per-tensor 8-bit types
  /// wherever an op computes on them, and 8-bit symmetric weights; a
  /// quantize's result may still be anything.)
  void checkActivationType(Operation *op, Type type) {
    if (!isa<quant::QuantizedType>(type))
      return;
    auto uniform = dyn_cast<quant::UniformQuantizedType>(type);
    unsigned width = cast<quant::QuantizedType>(type).getStorageTypeIntegralWidth();
    if (!uniform || (width != 8 && width != 16) || uniform.getZeroPoint() != 0 ||
        !isPowerOfTwo(uniform.getScale()))
      reportNode(op, Source::MctTarget,
                 "the IMX500 quantizes activations per tensor to 8 or 16 bits with a "
                 "power-of-two scale and zero point 0; this is " +
                     typeText(type));
  }

  int64_t minInputSize, maxInputSize, maxOutputs;
  bool violated = false;
};

struct CheckImx500Pass : picosam::impl::CheckImx500Base<CheckImx500Pass> {
  using CheckImx500Base::CheckImx500Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (minInputSize < 1 || maxInputSize < minInputSize || maxOutputs < 1) {
      func.emitError("pico-check-imx500: min-input-size must be at least 1 and at most "
                     "max-input-size, and max-outputs at least 1");
      return signalPassFailure();
    }
    Imx500Checker checker(minInputSize, maxInputSize, maxOutputs);
    if (!checker.check(func))
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
