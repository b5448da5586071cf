//===- PicoQuantizedInference.cpp - integer semantics of pico ops ---------===//
//
// The reference semantics of quantized pico ops, on storage values only:
// every constant they use (zero points, multipliers and shifts, clamps,
// tables) comes from QuantizedArithmetic.h, and the data never leaves the
// integers. docs/quantization.md states each rule as a formula; the loops
// here mirror the float kernels of PicoInference.cpp.
//
//===----------------------------------------------------------------------===//
#include "Pico/KernelIndexing.h"
#include "Pico/QuantizedArithmetic.h"
#include "Pico/QuantizedInference.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Support/Tensor.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
using fixedpoint::multiplyByQuantizedMultiplier;
using fixedpoint::QuantizedMultiplier;
using fixedpoint::saturateToInt32;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// A zero-filled tensor of `result`'s storage kind and shape.
static Tensor makeResult(Value result) {
  return Tensor(*elementKindOf(getElementTypeOrSelf(result.getType())),
                shapeOf(result));
}

static bool sameQuantization(const TensorQuantization &a,
                             const TensorQuantization &b) {
  return a.scale == b.scale && a.zeroPoint == b.zeroPoint &&
         a.storageMin == b.storageMin && a.storageMax == b.storageMax;
}

/// `values` moved from quantization `input` to `output` (unchanged when the
/// two are the same).
static void rescaleInPlace(MutableArrayRef<int64_t> values,
                           const TensorQuantization &input,
                           const TensorQuantization &output) {
  if (sameQuantization(input, output))
    return;
  Rescale rescale = getRescale(input, output);
  for (int64_t &value : values)
    value = rescale.apply(static_cast<int32_t>(value));
}

/// outZp + MBQM(sum, multiplier), clamped to the output's storage range:
/// the last step of the pools.
static int64_t requantizeSum(int64_t sum, QuantizedMultiplier multiplier,
                             const TensorQuantization &output) {
  int32_t scaled =
      multiplyByQuantizedMultiplier(saturateToInt32(sum), multiplier);
  return std::clamp<int64_t>(int64_t(output.zeroPoint) + scaled,
                             output.storageMin, output.storageMax);
}

/// Checks that sums of `count` zero-point-free values of `input` cannot
/// leave int32, the width the accumulators are specified with.
static LogicalResult verifySumFits(Operation *op, int64_t count,
                                   const TensorQuantization &input) {
  if (count * storageSpanOf(input) <= std::numeric_limits<int32_t>::max())
    return success();
  return op->emitOpError("sums ")
         << count << " values: the int32 accumulator could overflow";
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// out[i] += w * in[i * stride] for i in [0, n): the integer twin of the
/// float kernel's inner loop.
static inline void accumulateRow(int32_t *__restrict out,
                                 const int32_t *__restrict in, int32_t w,
                                 int64_t n, int64_t stride) {
  if (stride == 1) {
    for (int64_t i = 0; i < n; ++i)
      out[i] += w * in[i];
  } else {
    for (int64_t i = 0; i < n; ++i)
      out[i] += w * in[i * stride];
  }
}

LogicalResult picosam::pico::quantizedInference(Conv2DOp op,
                                                TensorEnvironment &env) {
  FailureOr<ConvRequantization> params = getConvRequantization(op);
  if (failed(params))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    wShape = shapeOf(op.getWeight()),
                    outShape = shapeOf(op.getOutput());
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                    pads = op.getPads();
  if (inShape.size() != 4 || wShape.size() != 4 || outShape.size() != 4 ||
      strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return op.emitOpError("expects 4-D input, weight and result, 2 strides, "
                          "2 dilations and 4 pads");
  auto upsample = static_cast<int64_t>(op.getInputUpsample());
  if (upsample < 1)
    return op.emitOpError("expects input_upsample >= 1, got ") << upsample;
  // The convolution reads the input upsampled (nearest) by this factor.
  int64_t n = inShape[0], channels = inShape[1],
          height = inShape[2] * upsample, width = inShape[3] * upsample;
  int64_t outChannels = wShape[0], groupChannels = wShape[1],
          kernelH = wShape[2], kernelW = wShape[3];
  int64_t outH = outShape[2], outW = outShape[3];
  int64_t group = static_cast<int64_t>(op.getGroup());
  if (group < 1 || channels % group || outChannels % group ||
      groupChannels != channels / group || outShape[0] != n ||
      outShape[1] != outChannels)
    return op.emitOpError("input ")
           << formatShape(inShape) << ", weight " << formatShape(wShape)
           << ", group " << group << " and result " << formatShape(outShape)
           << " do not fit together";
  // |x - inZp| <= span and |w| <= 128: the int32 sum is exact when the
  // products of one output element cannot add up past 2^31.
  int64_t taps = groupChannels * kernelH * kernelW;
  if (taps * storageSpanOf(params->input) * 128 >
      std::numeric_limits<int32_t>::max())
    return op.emitOpError("sums ")
           << taps << " products per output: the int32 accumulator could "
           << "overflow";

  // Zero-point-free input: padding is real 0, the zero point, so the taps
  // that read padding add nothing and are skipped. The reference
  // materialises the upsampled input (backends never do).
  const std::vector<int64_t> &inputValues = env.get(op.getInput()).ints();
  std::vector<int32_t> input(n * channels * height * width);
  for (int64_t plane = 0, i = 0; plane < n * channels; ++plane) {
    const int64_t *inPlane =
        inputValues.data() + plane * inShape[2] * inShape[3];
    for (int64_t h = 0; h < height; ++h)
      for (int64_t w = 0; w < width; ++w, ++i)
        input[i] = static_cast<int32_t>(
            inPlane[(h / upsample) * inShape[3] + w / upsample] -
            params->input.zeroPoint);
  }
  const std::vector<int64_t> &weightValues = env.get(op.getWeight()).ints();
  std::vector<int32_t> weight(weightValues.begin(), weightValues.end());
  std::vector<int64_t> bias(outChannels, 0);
  if (op.getBias()) {
    const std::vector<int64_t> &biasValues = env.get(op.getBias()).ints();
    if (static_cast<int64_t>(biasValues.size()) != outChannels)
      return op.emitOpError("bias must have ") << outChannels << " elements";
    bias = biasValues;
  }
  const int64_t *residual = nullptr;
  if (op.getResidual()) {
    if (shapeOf(op.getResidual()) != outShape)
      return op.emitOpError("residual must have the result's shape ")
             << formatShape(outShape);
    residual = env.get(op.getResidual()).ints().data();
  }

  Tensor result = makeResult(op.getOutput());
  std::vector<int64_t> &output = result.ints();
  std::vector<int32_t> accumulator(outH * outW);
  int64_t outChannelsPerGroup = outChannels / group;
  int64_t strideH = strides[0], strideW = strides[1];
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t oc = 0; oc < outChannels; ++oc) {
      std::fill(accumulator.begin(), accumulator.end(), 0);
      int32_t *acc = accumulator.data();
      int64_t firstChannel = (oc / outChannelsPerGroup) * groupChannels;
      for (int64_t ic = 0; ic < groupChannels; ++ic) {
        const int32_t *inPlane =
            input.data() + (b * channels + firstChannel + ic) * height * width;
        const int32_t *kernel =
            weight.data() + (oc * groupChannels + ic) * kernelH * kernelW;
        for (int64_t kh = 0; kh < kernelH; ++kh) {
          int64_t rowOffset = kh * dilations[0] - pads[0];
          auto [ohBegin, ohEnd] =
              validOutputRange(rowOffset, strideH, height, outH);
          for (int64_t kw = 0; kw < kernelW; ++kw) {
            int32_t w = kernel[kh * kernelW + kw];
            int64_t colOffset = kw * dilations[1] - pads[1];
            auto [owBegin, owEnd] =
                validOutputRange(colOffset, strideW, width, outW);
            if (owBegin >= owEnd)
              continue;
            if (strideH == 1 && strideW == 1 && colOffset == 0 &&
                outW == width) {
              accumulateRow(acc + ohBegin * outW,
                            inPlane + (ohBegin + rowOffset) * width, w,
                            (ohEnd - ohBegin) * outW, 1);
              continue;
            }
            for (int64_t oh = ohBegin; oh < ohEnd; ++oh)
              accumulateRow(acc + oh * outW + owBegin,
                            inPlane + (oh * strideH + rowOffset) * width +
                                owBegin * strideW + colOffset,
                            w, owEnd - owBegin, strideW);
          }
        }
      }
      int64_t planeOffset = (b * outChannels + oc) * outH * outW;
      int64_t *outPlane = output.data() + planeOffset;
      for (int64_t i = 0; i < outH * outW; ++i) {
        int64_t sum = int64_t(acc[i]) + bias[oc];
        if (residual)
          sum += params->residualTerm(
              oc, static_cast<int32_t>(residual[planeOffset + i]));
        outPlane[i] = params->requantize(oc, sum);
      }
    }
  }
  env.set(op.getOutput(), std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

/// `fn(lhs, rhs)` on storage values, element by element with numpy
/// broadcasting.
template <typename Fn>
static LogicalResult binaryInference(Operation *op, TensorEnvironment &env,
                                     Fn fn) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1),
        output = op->getResult(0);
  std::optional<BroadcastIndexer> lhsIndex =
      BroadcastIndexer::create(shapeOf(lhs), shapeOf(output));
  std::optional<BroadcastIndexer> rhsIndex =
      BroadcastIndexer::create(shapeOf(rhs), shapeOf(output));
  if (!lhsIndex || !rhsIndex)
    return op->emitOpError("operands of shapes ")
           << formatShape(shapeOf(lhs)) << " and " << formatShape(shapeOf(rhs))
           << " do not broadcast to the result shape "
           << formatShape(shapeOf(output));
  const std::vector<int64_t> &a = env.get(lhs).ints();
  const std::vector<int64_t> &b = env.get(rhs).ints();
  Tensor result = makeResult(output);
  std::vector<int64_t> &out = result.ints();
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = fn(static_cast<int32_t>(a[lhsIndex->operandIndex(i)]),
                static_cast<int32_t>(b[rhsIndex->operandIndex(i)]));
  env.set(output, std::move(result));
  return success();
}

/// add and sub share AddRequantization (which knows which one it is).
static LogicalResult addInference(Operation *op, TensorEnvironment &env) {
  FailureOr<AddRequantization> params = getAddRequantization(op);
  if (failed(params))
    return failure();
  return binaryInference(op, env, [&](int32_t a, int32_t b) {
    return params->apply(a, b);
  });
}

LogicalResult picosam::pico::quantizedInference(AddOp op,
                                                TensorEnvironment &env) {
  return addInference(op, env);
}

LogicalResult picosam::pico::quantizedInference(SubOp op,
                                                TensorEnvironment &env) {
  return addInference(op, env);
}

LogicalResult picosam::pico::quantizedInference(MulOp op,
                                                TensorEnvironment &env) {
  FailureOr<MulRequantization> params = getMulRequantization(op);
  if (failed(params))
    return failure();
  return binaryInference(op, env, [&](int32_t a, int32_t b) {
    return params->apply(a, b);
  });
}

LogicalResult
picosam::pico::quantizedActivationInference(Operation *op,
                                            TensorEnvironment &env) {
  Value input = op->getOperand(0), output = op->getResult(0);
  FailureOr<TensorQuantization> in =
      getActivationQuantization(op, input, "input");
  FailureOr<TensorQuantization> out =
      getActivationQuantization(op, output, "result");
  if (failed(in) || failed(out))
    return failure();
  if (shapeOf(input) != shapeOf(output))
    return op->emitOpError("expects a result of the input's shape");
  ActivationTable table = getActivationTable(
      cast<ActivationOpInterface>(op).getActivationFunction(), *in, *out);
  Tensor result = makeResult(output);
  llvm::transform(env.get(input).ints(), result.ints().begin(),
                  [&](int64_t q) { return table.lookup(q); });
  env.set(output, std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling, resizing, concatenation
//===----------------------------------------------------------------------===//

LogicalResult picosam::pico::quantizedInference(GlobalAvgPoolOp op,
                                                TensorEnvironment &env) {
  FailureOr<TensorQuantization> in =
      getActivationQuantization(op, op.getInput(), "input");
  FailureOr<TensorQuantization> out =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(in) || failed(out))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  if (shape.size() < 3 || outShape.size() != shape.size() ||
      outShape.take_front(2) != shape.take_front(2) ||
      numElementsOf(outShape) != shape[0] * shape[1])
    return op.emitOpError("expects an input of rank >= 3 and a result of "
                          "shape N x C x 1 x ...");
  int64_t planeSize = numElementsOf(shape.drop_front(2));
  if (failed(verifySumFits(op, planeSize, *in)))
    return failure();
  QuantizedMultiplier multiplier = getAverageMultiplier(*in, *out, planeSize);
  const std::vector<int64_t> &input = env.get(op.getInput()).ints();
  Tensor result = makeResult(op.getOutput());
  for (int64_t i = 0, planes = shape[0] * shape[1]; i < planes; ++i) {
    int64_t sum = 0;
    for (int64_t j = i * planeSize, e = j + planeSize; j < e; ++j)
      sum += input[j] - in->zeroPoint;
    result.ints()[i] = requantizeSum(sum, multiplier, *out);
  }
  env.set(op.getOutput(), std::move(result));
  return success();
}

/// Checks the window attributes and NCHW shapes the 2-D pools share.
static LogicalResult verifyPool(Operation *op, ArrayRef<int64_t> inShape,
                                ArrayRef<int64_t> outShape,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads) {
  if (inShape.size() != 4 || outShape.size() != 4 ||
      inShape.take_front(2) != outShape.take_front(2) || kernel.size() != 2 ||
      strides.size() != 2 || pads.size() != 4)
    return op->emitOpError("expects NCHW input and result with equal N and "
                           "C, a 2-D kernel, 2 strides and 4 pads");
  return success();
}

LogicalResult picosam::pico::quantizedInference(AvgPoolOp op,
                                                TensorEnvironment &env) {
  FailureOr<TensorQuantization> in =
      getActivationQuantization(op, op.getInput(), "input");
  FailureOr<TensorQuantization> out =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(in) || failed(out))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    outShape = shapeOf(op.getOutput());
  ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                    pads = op.getPads();
  if (failed(verifyPool(op, inShape, outShape, kernel, strides, pads)) ||
      failed(verifySumFits(op, kernel[0] * kernel[1], *in)))
    return failure();
  int64_t height = inShape[2], width = inShape[3];
  int64_t outH = outShape[2], outW = outShape[3];
  const std::vector<int64_t> &input = env.get(op.getInput()).ints();
  Tensor result = makeResult(op.getOutput());
  std::vector<int64_t> &output = result.ints();
  // One multiplier per divisor; windows at the border divide by fewer.
  llvm::DenseMap<int64_t, QuantizedMultiplier> multipliers;
  for (int64_t plane = 0, planes = inShape[0] * inShape[1]; plane < planes;
       ++plane) {
    const int64_t *inPlane = input.data() + plane * height * width;
    int64_t *outPlane = output.data() + plane * outH * outW;
    for (int64_t oh = 0; oh < outH; ++oh) {
      // The windows of the float kernel: they end at the far padding, and
      // count_include_pad divides by the window size within those bounds.
      int64_t h0 = oh * strides[0] - pads[0];
      int64_t h1 = std::min(h0 + kernel[0], height + pads[2]);
      for (int64_t ow = 0; ow < outW; ++ow) {
        int64_t w0 = ow * strides[1] - pads[1];
        int64_t w1 = std::min(w0 + kernel[1], width + pads[3]);
        int64_t hBegin = std::max<int64_t>(h0, 0), hEnd = std::min(h1, height);
        int64_t wBegin = std::max<int64_t>(w0, 0), wEnd = std::min(w1, width);
        int64_t sum = 0;
        for (int64_t h = hBegin; h < hEnd; ++h)
          for (int64_t w = wBegin; w < wEnd; ++w)
            sum += inPlane[h * width + w] - in->zeroPoint;
        int64_t count = op.getCountIncludePad()
                            ? (h1 - h0) * (w1 - w0)
                            : std::max<int64_t>(hEnd - hBegin, 0) *
                                  std::max<int64_t>(wEnd - wBegin, 0);
        if (count <= 0) {
          outPlane[oh * outW + ow] = out->zeroPoint;
          continue;
        }
        auto [it, inserted] = multipliers.try_emplace(count);
        if (inserted)
          it->second = getAverageMultiplier(*in, *out, count);
        outPlane[oh * outW + ow] = requantizeSum(sum, it->second, *out);
      }
    }
  }
  env.set(op.getOutput(), std::move(result));
  return success();
}

LogicalResult picosam::pico::quantizedInference(MaxPoolOp op,
                                                TensorEnvironment &env) {
  FailureOr<TensorQuantization> in =
      getActivationQuantization(op, op.getInput(), "input");
  FailureOr<TensorQuantization> out =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(in) || failed(out))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    outShape = shapeOf(op.getOutput());
  ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                    pads = op.getPads(), dilations = op.getDilations();
  if (failed(verifyPool(op, inShape, outShape, kernel, strides, pads)))
    return failure();
  if (dilations.size() != 2)
    return op.emitOpError("expects 2 dilations");
  int64_t height = inShape[2], width = inShape[3];
  int64_t outH = outShape[2], outW = outShape[3];
  const std::vector<int64_t> &input = env.get(op.getInput()).ints();
  Tensor result = makeResult(op.getOutput());
  std::vector<int64_t> &output = result.ints();
  // Scales are positive, so the largest storage value is the largest real
  // value; padding never wins, and a window entirely in padding (possible
  // with ceil_mode) gives the storage minimum.
  for (int64_t plane = 0, planes = inShape[0] * inShape[1]; plane < planes;
       ++plane) {
    const int64_t *inPlane = input.data() + plane * height * width;
    int64_t *outPlane = output.data() + plane * outH * outW;
    for (int64_t oh = 0; oh < outH; ++oh)
      for (int64_t ow = 0; ow < outW; ++ow) {
        int64_t best = in->storageMin;
        for (int64_t kh = 0; kh < kernel[0]; ++kh) {
          int64_t h = oh * strides[0] - pads[0] + kh * dilations[0];
          if (h < 0 || h >= height)
            continue;
          for (int64_t kw = 0; kw < kernel[1]; ++kw) {
            int64_t w = ow * strides[1] - pads[1] + kw * dilations[1];
            if (w >= 0 && w < width)
              best = std::max(best, inPlane[h * width + w]);
          }
        }
        outPlane[oh * outW + ow] = best;
      }
  }
  rescaleInPlace(output, *in, *out);
  env.set(op.getOutput(), std::move(result));
  return success();
}

LogicalResult picosam::pico::quantizedInference(ResizeOp op,
                                                TensorEnvironment &env) {
  if (op.getMode() != ResizeMode::Nearest)
    return op.emitOpError("integer semantics are defined for nearest "
                          "resizing only");
  FailureOr<TensorQuantization> in =
      getActivationQuantization(op, op.getInput(), "input");
  FailureOr<TensorQuantization> out =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(in) || failed(out))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    outShape = shapeOf(op.getOutput());
  ArrayRef<float> scales = op.getScales();
  int64_t rank = inShape.size();
  if (static_cast<int64_t>(outShape.size()) != rank ||
      static_cast<int64_t>(scales.size()) != rank ||
      llvm::any_of(inShape, [](int64_t d) { return d == 0; }))
    return op.emitOpError("expects one scale per axis, a result of the "
                          "input's rank and a non-empty input");
  // Per axis and output index, the input index read: the float kernel's
  // nearest mapping.
  SmallVector<SmallVector<int64_t>> sources(rank);
  for (int64_t axis = 0; axis < rank; ++axis)
    for (int64_t x = 0; x < outShape[axis]; ++x)
      sources[axis].push_back(resizeNearestIndex(
          op.getNearestMode(),
          resizeSourceCoordinate(op.getCoordinateTransformationMode(), x,
                                 scales[axis], inShape[axis], outShape[axis]),
          inShape[axis]));
  const std::vector<int64_t> &input = env.get(op.getInput()).ints();
  Tensor result = makeResult(op.getOutput());
  SmallVector<int64_t, 4> inStrides = rowMajorStrides(inShape);
  SmallVector<int64_t, 4> index(rank, 0);
  for (int64_t &value : result.ints()) {
    int64_t offset = 0;
    for (int64_t axis = 0; axis < rank; ++axis)
      offset += sources[axis][index[axis]] * inStrides[axis];
    value = input[offset];
    for (int64_t axis = rank - 1; axis >= 0; --axis) {
      if (++index[axis] < outShape[axis])
        break;
      index[axis] = 0;
    }
  }
  rescaleInPlace(result.ints(), *in, *out);
  env.set(op.getOutput(), std::move(result));
  return success();
}

LogicalResult picosam::pico::quantizedInference(ConcatOp op,
                                                TensorEnvironment &env) {
  FailureOr<TensorQuantization> out =
      getActivationQuantization(op, op.getOutput(), "result");
  if (failed(out))
    return failure();
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  std::optional<int64_t> axis =
      normalizeAxis(static_cast<int64_t>(op.getAxis()), outShape.size());
  if (!axis || op.getInputs().empty())
    return op.emitOpError("expects inputs and an axis within the result's "
                          "rank");
  int64_t outer = numElementsOf(outShape.take_front(*axis));
  int64_t outRow = numElementsOf(outShape.drop_front(*axis));
  Tensor result = makeResult(op.getOutput());
  int64_t column = 0, concatenated = 0;
  for (Value input : op.getInputs()) {
    FailureOr<TensorQuantization> in =
        getActivationQuantization(op, input, "input");
    if (failed(in))
      return failure();
    ArrayRef<int64_t> shape = shapeOf(input);
    if (shape.size() != outShape.size() ||
        shape.take_front(*axis) != outShape.take_front(*axis) ||
        shape.drop_front(*axis + 1) != outShape.drop_front(*axis + 1) ||
        concatenated + shape[*axis] > outShape[*axis])
      return op.emitOpError("input of shape ")
             << formatShape(shape) << " does not fit the result "
             << formatShape(outShape) << " along axis " << *axis;
    // Each input moves to the result's quantization on the way.
    std::vector<int64_t> values = env.get(input).ints();
    rescaleInPlace(values, *in, *out);
    int64_t row = numElementsOf(shape.drop_front(*axis));
    for (int64_t i = 0; i < outer; ++i)
      std::copy(values.begin() + i * row, values.begin() + (i + 1) * row,
                result.ints().begin() + i * outRow + column);
    column += row;
    concatenated += shape[*axis];
  }
  if (concatenated != outShape[*axis])
    return op.emitOpError("inputs add up to ")
           << concatenated << " along axis " << *axis << ", the result has "
           << outShape[*axis];
  env.set(op.getOutput(), std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Fused operations
//===----------------------------------------------------------------------===//

LogicalResult picosam::pico::quantizedInference(ChannelAttentionOp op,
                                                TensorEnvironment &env) {
  FailureOr<ChannelAttentionRequantization> params =
      getChannelAttentionRequantization(op);
  if (failed(params))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  if (shapeOf(op.getOutput()) != shape)
    return op.emitOpError("expects a result of the input's shape");
  int64_t n = shape[0], channels = shape[1], planeSize = shape[2] * shape[3];
  if (env.get(op.getWeight()).numElements() != channels * channels ||
      (op.getBias() && env.get(op.getBias()).numElements() != channels))
    return op.emitOpError("expects a ")
           << channels << "x" << channels << "x1x1 weight and " << channels
           << " biases";
  if (failed(verifySumFits(op, planeSize, params->input)))
    return failure();
  if (channels * 128 * storageSpanOf(params->mean) >
      std::numeric_limits<int32_t>::max())
    return op.emitOpError("sums ")
           << channels << " products per gate: the int32 accumulator could "
           << "overflow";
  const std::vector<int64_t> &input = env.get(op.getInput()).ints();
  const std::vector<int64_t> &weight = env.get(op.getWeight()).ints();
  Tensor result = makeResult(op.getOutput());
  std::vector<int64_t> &output = result.ints();
  const TensorQuantization &in = params->input, &mean = params->mean,
                           &logits = params->logits, &out = params->output;
  std::vector<int64_t> means(channels), gates(channels);
  for (int64_t b = 0; b < n; ++b) {
    const int64_t *x = input.data() + b * channels * planeSize;
    for (int64_t k = 0; k < channels; ++k) {
      int64_t sum = 0;
      for (int64_t j = 0; j < planeSize; ++j)
        sum += x[k * planeSize + j] - in.zeroPoint;
      means[k] = requantizeSum(sum, params->meanMultiplier, mean);
    }
    for (int64_t c = 0; c < channels; ++c) {
      int64_t acc = op.getBias() ? env.get(op.getBias()).ints()[c] : 0;
      for (int64_t k = 0; k < channels; ++k)
        acc += weight[c * channels + k] * (means[k] - mean.zeroPoint);
      int64_t logit =
          requantizeSum(acc, params->logitMultipliers[c], logits);
      gates[c] = params->gateTable.lookup(static_cast<int32_t>(logit));
    }
    int64_t *y = output.data() + b * channels * planeSize;
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t j = 0; j < planeSize; ++j) {
        int64_t product = (x[c * planeSize + j] - in.zeroPoint) * gates[c];
        y[c * planeSize + j] =
            requantizeSum(product, params->outputMultiplier, out);
      }
  }
  env.set(op.getOutput(), std::move(result));
  return success();
}
