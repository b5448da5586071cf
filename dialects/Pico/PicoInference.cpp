//===- PicoInference.cpp - reference semantics of every pico op -----------===//
//
// Each op's `inference` reads its operands from the TensorEnvironment and
// stores its result, with ONNX semantics. These are the executable
// specification of the dialect: plain loops, f32 values, and longer sums
// (pooling means, matrix products, softmax) accumulated in double. Result
// shapes come from the result types (the verifier checks them against shape
// inference); the checks here only keep every index in bounds, so a graph
// that slipped past the verifier gets an op error instead of a crash.
//
//===----------------------------------------------------------------------===//
#include "Pico/KernelIndexing.h"
#include "Pico/PicoOps.h"
#include "Pico/QuantizedInference.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Support/Quant.h"
#include "picosam/Support/Tensor.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// The float ops compute in f32: every operand value and result type must
/// be f32 (quantized ops get their own integer semantics when they arrive).
static LogicalResult requireF32(Operation *op, const TensorEnvironment &env) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands()))
    if (!env.get(operand).isFloat())
      return op->emitOpError("reference implementation computes in f32, but "
                             "operand #")
             << index << " is " << operand.getType();
  for (auto [index, result] : llvm::enumerate(op->getResults()))
    if (!getElementTypeOrSelf(result.getType()).isF32())
      return op->emitOpError("reference implementation computes in f32, but "
                             "result #")
             << index << " is " << result.getType();
  return success();
}

/// A zero-filled f32 tensor shaped like `result`.
static Tensor makeF32Result(Value result) {
  return Tensor(ElementKind::F32, shapeOf(result));
}

/// Applies an op's optional fused activation in place.
static void applyActivation(ActivationAttr activation,
                            MutableArrayRef<float> values) {
  if (!activation || activation.isNone())
    return;
  for (float &value : values)
    value = activation.apply(value);
}

/// An axis attribute in [-rank, rank) as an index in [0, rank).
static FailureOr<int64_t> axisIndex(Operation *op, int64_t axis, int64_t rank) {
  if (std::optional<int64_t> index = normalizeAxis(axis, rank))
    return *index;
  return op->emitOpError("axis ")
         << axis << " is out of range for rank " << rank;
}

/// Checks the attributes every 2-D window op shares: `strides` (and
/// `dilations`) of two positive entries, four non-negative `pads`.
static LogicalResult verifyWindow(Operation *op, ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> dilations,
                                  ArrayRef<int64_t> pads) {
  auto positive = [](ArrayRef<int64_t> values) {
    return llvm::all_of(values, [](int64_t v) { return v >= 1; });
  };
  if (kernel.size() != 2 || !positive(kernel))
    return op->emitOpError("expects a 2-D kernel of positive sizes");
  if (strides.size() != 2 || !positive(strides))
    return op->emitOpError("expects 2 positive strides");
  if (dilations.size() != 2 || !positive(dilations))
    return op->emitOpError("expects 2 positive dilations");
  if (pads.size() != 4 || !llvm::all_of(pads, [](int64_t p) { return p >= 0; }))
    return op->emitOpError("expects 4 non-negative pads [top, left, bottom, "
                           "right]");
  return success();
}

/// Checks that `input` and `output` are NCHW tensors with the same N and C.
static LogicalResult verifyPlanes(Operation *op, ArrayRef<int64_t> input,
                                  ArrayRef<int64_t> output) {
  if (input.size() != 4 || output.size() != 4 || input[0] != output[0] ||
      input[1] != output[1])
    return op->emitOpError("expects NCHW input and output with equal N and C, "
                           "got ")
           << formatShape(input) << " and " << formatShape(output);
  return success();
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inference(TensorEnvironment &env) {
  Type resultElement = getOutput().getType().getElementType();
  std::optional<ElementKind> kind = elementKindOf(resultElement);
  if (!kind)
    return emitOpError("has no host representation for ") << resultElement;
  // Quantized results hold their storage integers in `value`.
  Type valueElement = getValue().getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(resultElement)) {
    auto integer = dyn_cast<IntegerType>(valueElement);
    if (!integer ||
        integer.getWidth() != quantized.getStorageTypeIntegralWidth())
      return emitOpError("a quantized constant's value must hold its "
                         "storage integers, got ")
             << valueElement;
  } else if (valueElement != resultElement) {
    return emitOpError("value element type ")
           << valueElement << " differs from the result's " << resultElement;
  }

  Tensor tensor(*kind, getOutput().getType().getShape());
  if (auto dense = dyn_cast<DenseElementsAttr>(getValue())) {
    if (tensor.kind() == ElementKind::F32) {
      llvm::copy(dense.getValues<float>(), tensor.floats().begin());
    } else if (tensor.kind() == ElementKind::F64) {
      llvm::copy(dense.getValues<double>(), tensor.doubles().begin());
    } else {
      bool zeroExtend = tensor.kind() == ElementKind::U8 ||
                        tensor.kind() == ElementKind::Bool;
      for (auto [value, element] :
           llvm::zip_equal(tensor.ints(), dense.getValues<APInt>()))
        value = zeroExtend ? element.getZExtValue() : element.getSExtValue();
    }
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(getValue())) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return emitOpError("resource '")
             << resource.getRawHandle().getKey() << "' has no data";
    ArrayRef<char> data = blob->getData();
    size_t expected = tensor.numElements() * byteWidth(tensor.kind());
    if (data.size() != expected)
      return emitOpError("resource '")
             << resource.getRawHandle().getKey() << "' holds " << data.size()
             << " bytes, the type needs " << expected;
    decodeLittleEndian(StringRef(data.data(), data.size()), tensor);
  } else {
    return emitOpError("supports dense and dense_resource values only");
  }
  env.set(getOutput(), std::move(tensor));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and normalisation
//===----------------------------------------------------------------------===//

/// out[i] += w * in[i * stride] for i in [0, n): the inner loop of the
/// convolution, contiguous (and so vectorized) in the output.
static inline void accumulateRow(float *__restrict out,
                                 const float *__restrict in, float w, int64_t n,
                                 int64_t stride) {
  if (stride == 1) {
    for (int64_t i = 0; i < n; ++i)
      out[i] += w * in[i];
  } else {
    for (int64_t i = 0; i < n; ++i)
      out[i] += w * in[i * stride];
  }
}

/// `input` (NCHW) upsampled by `factor` in H and W, nearest neighbour:
/// element [h, w] of a plane is input element [h / factor, w / factor].
static Tensor upsampleNearest(const Tensor &input, int64_t factor) {
  ArrayRef<int64_t> shape = input.shape();
  int64_t height = shape[2], width = shape[3];
  Tensor result(ElementKind::F32, {shape[0], shape[1], height * factor,
                                   width * factor});
  float *out = result.floats().data();
  for (int64_t plane = 0; plane < shape[0] * shape[1]; ++plane) {
    const float *in = input.floats().data() + plane * height * width;
    for (int64_t h = 0; h < height * factor; ++h)
      for (int64_t w = 0; w < width * factor; ++w)
        *out++ = in[(h / factor) * width + w / factor];
  }
  return result;
}

LogicalResult Conv2DOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (failed(requireF32(*this, env)))
    return failure();
  if (shapeOf(getInput()).size() != 4)
    return emitOpError("expects 4-D input, weight and result");
  // The reference materialises the upsampled input (backends never do).
  auto upsample = static_cast<int64_t>(getInputUpsample());
  if (upsample < 1)
    return emitOpError("expects input_upsample >= 1, got ") << upsample;
  Tensor upsampled;
  const Tensor *inputValue = &env.get(getInput());
  if (upsample != 1) {
    upsampled = upsampleNearest(*inputValue, upsample);
    inputValue = &upsampled;
  }
  ArrayRef<int64_t> inShape = inputValue->shape(),
                    wShape = shapeOf(getWeight()),
                    outShape = shapeOf(getOutput());
  ArrayRef<int64_t> strides = getStrides(), dilations = getDilations(),
                    pads = getPads();
  if (inShape.size() != 4 || wShape.size() != 4 || outShape.size() != 4)
    return emitOpError("expects 4-D input, weight and result");
  if (failed(
          verifyWindow(*this, wShape.drop_front(2), strides, dilations, pads)))
    return failure();
  int64_t n = inShape[0], channels = inShape[1], height = inShape[2],
          width = inShape[3];
  int64_t outChannels = wShape[0], groupChannels = wShape[1],
          kernelH = wShape[2], kernelW = wShape[3];
  int64_t outH = outShape[2], outW = outShape[3];
  int64_t group = static_cast<int64_t>(getGroup());
  if (group < 1 || channels % group || outChannels % group ||
      groupChannels != channels / group || outShape[0] != n ||
      outShape[1] != outChannels)
    return emitOpError("input ")
           << formatShape(inShape) << ", weight " << formatShape(wShape)
           << ", group " << group << " and result " << formatShape(outShape)
           << " do not fit together";
  const float *bias = nullptr;
  if (getBias()) {
    if (env.get(getBias()).numElements() != outChannels)
      return emitOpError("bias must have ") << outChannels << " elements";
    bias = env.get(getBias()).floats().data();
  }
  const float *residual = nullptr;
  if (getResidual()) {
    if (env.get(getResidual()).shape() != outShape)
      return emitOpError("residual must have the result's shape ")
             << formatShape(outShape);
    residual = env.get(getResidual()).floats().data();
  }

  const float *input = inputValue->floats().data();
  const float *weight = env.get(getWeight()).floats().data();
  Tensor result = makeF32Result(getOutput());
  float *output = result.floats().data();
  int64_t outChannelsPerGroup = outChannels / group;
  int64_t strideH = strides[0], strideW = strides[1];
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t oc = 0; oc < outChannels; ++oc) {
      float *outPlane = output + (b * outChannels + oc) * outH * outW;
      std::fill(outPlane, outPlane + outH * outW, bias ? bias[oc] : 0.0f);
      int64_t firstChannel = (oc / outChannelsPerGroup) * groupChannels;
      for (int64_t ic = 0; ic < groupChannels; ++ic) {
        const float *inPlane =
            input + (b * channels + firstChannel + ic) * height * width;
        const float *kernel =
            weight + (oc * groupChannels + ic) * kernelH * kernelW;
        for (int64_t kh = 0; kh < kernelH; ++kh) {
          int64_t rowOffset = kh * dilations[0] - pads[0];
          auto [ohBegin, ohEnd] =
              validOutputRange(rowOffset, strideH, height, outH);
          for (int64_t kw = 0; kw < kernelW; ++kw) {
            float w = kernel[kh * kernelW + kw];
            int64_t colOffset = kw * dilations[1] - pads[1];
            auto [owBegin, owEnd] =
                validOutputRange(colOffset, strideW, width, outW);
            if (owBegin >= owEnd)
              continue;
            // Unstrided taps that cover whole rows of equally wide planes
            // (1x1 convolutions, mostly) read one contiguous run.
            if (strideH == 1 && strideW == 1 && colOffset == 0 &&
                outW == width) {
              accumulateRow(outPlane + ohBegin * outW,
                            inPlane + (ohBegin + rowOffset) * width, w,
                            (ohEnd - ohBegin) * outW, 1);
              continue;
            }
            for (int64_t oh = ohBegin; oh < ohEnd; ++oh)
              accumulateRow(outPlane + oh * outW + owBegin,
                            inPlane + (oh * strideH + rowOffset) * width +
                                owBegin * strideW + colOffset,
                            w, owEnd - owBegin, strideW);
          }
        }
      }
      if (residual) {
        const float *residualPlane =
            residual + (b * outChannels + oc) * outH * outW;
        for (int64_t i = 0; i < outH * outW; ++i)
          outPlane[i] += residualPlane[i];
      }
      applyActivation(getActivationAttr(),
                      MutableArrayRef<float>(outPlane, outH * outW));
    }
  }
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult BatchNormOp::inference(TensorEnvironment &env) {
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(getInput());
  if (shape.size() < 2 || shapeOf(getOutput()) != shape)
    return emitOpError("expects an input of rank >= 2 and a result of its "
                       "shape");
  int64_t channels = shape[1];
  for (Value parameter : {getScale(), getBias(), getMean(), getVariance()})
    if (env.get(parameter).numElements() != channels)
      return emitOpError("scale, bias, mean and variance must have ")
             << channels << " elements";
  const std::vector<float> &scale = env.get(getScale()).floats(),
                           &bias = env.get(getBias()).floats(),
                           &mean = env.get(getMean()).floats(),
                           &variance = env.get(getVariance()).floats();
  const std::vector<float> &input = env.get(getInput()).floats();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &output = result.floats();
  float epsilon = getEpsilon().convertToFloat();
  int64_t planeSize = numElementsOf(shape.drop_front(2));
  for (int64_t i = 0, planes = shape[0] * channels; i < planes; ++i) {
    int64_t c = i % channels;
    float factor = scale[c] / std::sqrt(variance[c] + epsilon);
    for (int64_t j = i * planeSize, e = j + planeSize; j < e; ++j)
      output[j] = (input[j] - mean[c]) * factor + bias[c];
  }
  env.set(getOutput(), std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// Every standalone activation op: its ActivationOpInterface function,
/// element by element.
static LogicalResult activationInference(Operation *op,
                                         TensorEnvironment &env) {
  if (hasQuantizedValues(op))
    return quantizedActivationInference(op, env);
  if (failed(requireF32(op, env)))
    return failure();
  Value input = op->getOperand(0), output = op->getResult(0);
  if (shapeOf(input) != shapeOf(output))
    return op->emitOpError("expects a result of the input's shape");
  Tensor result = env.get(input);
  applyActivation(cast<ActivationOpInterface>(op).getActivationFunction(),
                  result.floats());
  env.set(output, std::move(result));
  return success();
}

LogicalResult ReluOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

LogicalResult ClipOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

LogicalResult LeakyReluOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

LogicalResult SigmoidOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

LogicalResult HardSigmoidOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

LogicalResult HardSwishOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

LogicalResult TanhOp::inference(TensorEnvironment &env) {
  return activationInference(*this, env);
}

//===----------------------------------------------------------------------===//
// Element-wise binary ops
//===----------------------------------------------------------------------===//

/// `fn(lhs, rhs)` element by element with numpy broadcasting, then the
/// optional fused activation.
template <typename Fn>
static LogicalResult binaryInference(Operation *op, Value lhs, Value rhs,
                                     ActivationAttr activation,
                                     TensorEnvironment &env, Fn fn) {
  if (failed(requireF32(op, env)))
    return failure();
  Value output = op->getResult(0);
  std::optional<BroadcastIndexer> lhsIndex =
      BroadcastIndexer::create(shapeOf(lhs), shapeOf(output));
  std::optional<BroadcastIndexer> rhsIndex =
      BroadcastIndexer::create(shapeOf(rhs), shapeOf(output));
  if (!lhsIndex || !rhsIndex)
    return op->emitOpError("operands of shapes ")
           << formatShape(shapeOf(lhs)) << " and " << formatShape(shapeOf(rhs))
           << " do not broadcast to the result shape "
           << formatShape(shapeOf(output));
  const std::vector<float> &a = env.get(lhs).floats();
  const std::vector<float> &b = env.get(rhs).floats();
  Tensor result = makeF32Result(output);
  std::vector<float> &out = result.floats();
  if (lhsIndex->isIdentity() && rhsIndex->isIdentity()) {
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = fn(a[i], b[i]);
  } else {
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = fn(a[lhsIndex->operandIndex(i)], b[rhsIndex->operandIndex(i)]);
  }
  applyActivation(activation, out);
  env.set(output, std::move(result));
  return success();
}

LogicalResult AddOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  return binaryInference(*this, getLhs(), getRhs(), getActivationAttr(), env,
                         [](float a, float b) { return a + b; });
}

LogicalResult SubOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  return binaryInference(*this, getLhs(), getRhs(), getActivationAttr(), env,
                         [](float a, float b) { return a - b; });
}

LogicalResult MulOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  return binaryInference(*this, getLhs(), getRhs(), getActivationAttr(), env,
                         [](float a, float b) { return a * b; });
}

LogicalResult DivOp::inference(TensorEnvironment &env) {
  return binaryInference(*this, getLhs(), getRhs(), getActivationAttr(), env,
                         [](float a, float b) { return a / b; });
}

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

LogicalResult GlobalAvgPoolOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(getInput());
  ArrayRef<int64_t> outShape = shapeOf(getOutput());
  if (shape.size() < 3 || outShape.size() != shape.size() ||
      outShape.take_front(2) != shape.take_front(2) ||
      numElementsOf(outShape) != shape[0] * shape[1])
    return emitOpError("expects an input of rank >= 3 and a result of shape "
                       "N x C x 1 x ...");
  const std::vector<float> &input = env.get(getInput()).floats();
  Tensor result = makeF32Result(getOutput());
  int64_t planeSize = numElementsOf(shape.drop_front(2));
  for (int64_t i = 0, planes = shape[0] * shape[1]; i < planes; ++i) {
    double sum = 0.0;
    for (int64_t j = i * planeSize, e = j + planeSize; j < e; ++j)
      sum += input[j];
    result.floats()[i] = static_cast<float>(sum / planeSize);
  }
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult AvgPoolOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(getInput()),
                    outShape = shapeOf(getOutput());
  ArrayRef<int64_t> kernel = getKernelShape(), strides = getStrides(),
                    pads = getPads();
  if (failed(verifyPlanes(*this, inShape, outShape)) ||
      failed(verifyWindow(*this, kernel, strides, {1, 1}, pads)))
    return failure();
  int64_t height = inShape[2], width = inShape[3];
  int64_t outH = outShape[2], outW = outShape[3];
  const std::vector<float> &input = env.get(getInput()).floats();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &output = result.floats();
  for (int64_t plane = 0, planes = inShape[0] * inShape[1]; plane < planes;
       ++plane) {
    const float *in = input.data() + plane * height * width;
    float *out = output.data() + plane * outH * outW;
    for (int64_t oh = 0; oh < outH; ++oh) {
      // Windows end at the far padding (ceil_mode windows may reach past
      // it); count_include_pad divides by the window size within those
      // bounds, as PyTorch and onnxruntime do.
      int64_t h0 = oh * strides[0] - pads[0];
      int64_t h1 = std::min(h0 + kernel[0], height + pads[2]);
      for (int64_t ow = 0; ow < outW; ++ow) {
        int64_t w0 = ow * strides[1] - pads[1];
        int64_t w1 = std::min(w0 + kernel[1], width + pads[3]);
        int64_t paddedCount = (h1 - h0) * (w1 - w0);
        int64_t hBegin = std::max<int64_t>(h0, 0), hEnd = std::min(h1, height);
        int64_t wBegin = std::max<int64_t>(w0, 0), wEnd = std::min(w1, width);
        double sum = 0.0;
        for (int64_t h = hBegin; h < hEnd; ++h)
          for (int64_t w = wBegin; w < wEnd; ++w)
            sum += in[h * width + w];
        int64_t count = getCountIncludePad()
                            ? paddedCount
                            : std::max<int64_t>(hEnd - hBegin, 0) *
                                  std::max<int64_t>(wEnd - wBegin, 0);
        out[oh * outW + ow] =
            count > 0 ? static_cast<float>(sum / count) : 0.0f;
      }
    }
  }
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult MaxPoolOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(getInput()),
                    outShape = shapeOf(getOutput());
  ArrayRef<int64_t> kernel = getKernelShape(), strides = getStrides(),
                    dilations = getDilations(), pads = getPads();
  if (failed(verifyPlanes(*this, inShape, outShape)) ||
      failed(verifyWindow(*this, kernel, strides, dilations, pads)))
    return failure();
  int64_t height = inShape[2], width = inShape[3];
  int64_t outH = outShape[2], outW = outShape[3];
  const std::vector<float> &input = env.get(getInput()).floats();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &output = result.floats();
  for (int64_t plane = 0, planes = inShape[0] * inShape[1]; plane < planes;
       ++plane) {
    const float *in = input.data() + plane * height * width;
    float *out = output.data() + plane * outH * outW;
    for (int64_t oh = 0; oh < outH; ++oh) {
      for (int64_t ow = 0; ow < outW; ++ow) {
        // Padding never wins: only taps inside the input are compared (a
        // window entirely in padding, possible with ceil_mode, gives -inf).
        float best = -std::numeric_limits<float>::infinity();
        for (int64_t kh = 0; kh < kernel[0]; ++kh) {
          int64_t h = oh * strides[0] - pads[0] + kh * dilations[0];
          if (h < 0 || h >= height)
            continue;
          for (int64_t kw = 0; kw < kernel[1]; ++kw) {
            int64_t w = ow * strides[1] - pads[1] + kw * dilations[1];
            if (w < 0 || w >= width)
              continue;
            float value = in[h * width + w];
            if (value > best || std::isnan(value))
              best = value;
          }
        }
        out[oh * outW + ow] = best;
      }
    }
  }
  env.set(getOutput(), std::move(result));
  return success();
}

namespace {
/// How one output index of a resized axis reads the input: the weighted
/// sum of elements `low` and `high` (equal for nearest and copied axes).
struct AxisTap {
  int64_t low, high;
  float highWeight;
};
} // namespace

LogicalResult ResizeOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(getInput()),
                    outShape = shapeOf(getOutput());
  ArrayRef<float> scales = getScales();
  int64_t rank = inShape.size();
  if (static_cast<int64_t>(outShape.size()) != rank ||
      static_cast<int64_t>(scales.size()) != rank)
    return emitOpError("expects one scale per axis and a result of the "
                       "input's rank");
  if (llvm::any_of(scales, [](float s) { return !(s > 0.0f); }))
    return emitOpError("expects positive scales");
  if (llvm::any_of(inShape, [](int64_t d) { return d == 0; }) &&
      numElementsOf(outShape) != 0)
    return emitOpError("cannot resize an empty input to a non-empty result");

  // Per axis and output index: the input elements read and their weights.
  // Linear mode interpolates along axes whose scale is not 1, with the
  // source coordinate clamped to the axis as onnxruntime does.
  bool linear = getMode() == ResizeMode::Linear;
  SmallVector<std::vector<AxisTap>> taps(rank);
  SmallVector<int64_t> interpolatedAxes;
  for (int64_t axis = 0; axis < rank; ++axis) {
    bool interpolate = linear && scales[axis] != 1.0f;
    if (interpolate)
      interpolatedAxes.push_back(axis);
    for (int64_t x = 0; x < outShape[axis]; ++x) {
      float source = resizeSourceCoordinate(getCoordinateTransformationMode(),
                                            x, scales[axis], inShape[axis],
                                            outShape[axis]);
      if (!linear) {
        int64_t index =
            resizeNearestIndex(getNearestMode(), source, inShape[axis]);
        taps[axis].push_back({index, index, 0.0f});
        continue;
      }
      if (!interpolate) {
        int64_t index = std::clamp<int64_t>(x, 0, inShape[axis] - 1);
        taps[axis].push_back({index, index, 0.0f});
        continue;
      }
      source = std::clamp(source, 0.0f, static_cast<float>(inShape[axis] - 1));
      int64_t low = static_cast<int64_t>(std::floor(source));
      int64_t high = std::min(low + 1, inShape[axis] - 1);
      taps[axis].push_back({low, high, source - static_cast<float>(low)});
    }
  }

  const std::vector<float> &input = env.get(getInput()).floats();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &output = result.floats();
  SmallVector<int64_t, 4> inStrides = rowMajorStrides(inShape);
  SmallVector<int64_t, 4> index(rank, 0);
  size_t corners = size_t(1) << interpolatedAxes.size();
  for (float &out : output) {
    // The nearest (or low) element, then each corner of the n-linear cell:
    // bit i of `corner` picks the high side of interpolated axis i.
    double sum = 0.0;
    for (size_t corner = 0; corner < corners; ++corner) {
      int64_t offset = 0;
      double weight = 1.0;
      for (int64_t axis = 0, bit = 0; axis < rank; ++axis) {
        const AxisTap &tap = taps[axis][index[axis]];
        bool high = false;
        if (bit < static_cast<int64_t>(interpolatedAxes.size()) &&
            interpolatedAxes[bit] == axis) {
          high = (corner >> bit) & 1;
          weight *= high ? tap.highWeight : 1.0f - tap.highWeight;
          ++bit;
        }
        offset += (high ? tap.high : tap.low) * inStrides[axis];
      }
      sum += weight * input[offset];
    }
    out = static_cast<float>(sum);
    for (int64_t axis = rank - 1; axis >= 0; --axis) {
      if (++index[axis] < outShape[axis])
        break;
      index[axis] = 0;
    }
  }
  env.set(getOutput(), std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

/// Checks that `operand`'s value has the element kind of `result`'s type:
/// the ops that only move elements work on every kind.
static LogicalResult requireSameKind(Operation *op, const Tensor &operand,
                                     Value result) {
  std::optional<ElementKind> kind =
      elementKindOf(getElementTypeOrSelf(result.getType()));
  if (!kind || *kind != operand.kind())
    return op->emitOpError("operand holds ")
           << stringifyElementKind(operand.kind()) << " values but the result "
           << "type is " << result.getType();
  return success();
}

LogicalResult ConcatOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  ArrayRef<int64_t> outShape = shapeOf(getOutput());
  FailureOr<int64_t> axis =
      axisIndex(*this, static_cast<int64_t>(getAxis()), outShape.size());
  if (failed(axis))
    return failure();
  int64_t concatenated = 0;
  for (Value input : getInputs()) {
    ArrayRef<int64_t> shape = shapeOf(input);
    if (failed(requireSameKind(*this, env.get(input), getOutput())))
      return failure();
    if (shape.size() != outShape.size() ||
        shape.take_front(*axis) != outShape.take_front(*axis) ||
        shape.drop_front(*axis + 1) != outShape.drop_front(*axis + 1))
      return emitOpError("input of shape ")
             << formatShape(shape) << " does not fit the result "
             << formatShape(outShape) << " along axis " << *axis;
    concatenated += shape[*axis];
  }
  if (concatenated != outShape[*axis])
    return emitOpError("inputs add up to ")
           << concatenated << " along axis " << *axis << ", the result has "
           << outShape[*axis];

  Tensor result(*elementKindOf(getElementTypeOrSelf(getOutput().getType())),
                outShape);
  int64_t outer = numElementsOf(outShape.take_front(*axis));
  int64_t outRow = numElementsOf(outShape.drop_front(*axis));
  dispatchStorage(result.kind(), [&](auto zero) {
    using T = decltype(zero);
    std::vector<T> &out = result.storage<T>();
    int64_t column = 0;
    for (Value input : getInputs()) {
      const std::vector<T> &in = env.get(input).storage<T>();
      int64_t row = numElementsOf(shapeOf(input).drop_front(*axis));
      for (int64_t i = 0; i < outer; ++i)
        std::copy(in.begin() + i * row, in.begin() + (i + 1) * row,
                  out.begin() + i * outRow + column);
      column += row;
    }
  });
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult ReshapeOp::inference(TensorEnvironment &env) {
  const Tensor &input = env.get(getInput());
  if (failed(requireSameKind(*this, input, getOutput())))
    return failure();
  ArrayRef<int64_t> outShape = shapeOf(getOutput());
  if (numElementsOf(outShape) != input.numElements())
    return emitOpError("cannot reshape ")
           << formatShape(input.shape()) << " to " << formatShape(outShape);
  env.set(getOutput(), input.reshaped(outShape));
  return success();
}

LogicalResult TransposeOp::inference(TensorEnvironment &env) {
  const Tensor &input = env.get(getInput());
  if (failed(requireSameKind(*this, input, getOutput())))
    return failure();
  ArrayRef<int64_t> inShape = input.shape(), outShape = shapeOf(getOutput());
  ArrayRef<int64_t> perm = getPerm();
  int64_t rank = inShape.size();
  SmallVector<bool> seen(rank, false);
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= rank || seen[axis])
      return emitOpError("perm is not a permutation of the input's axes");
    seen[axis] = true;
  }
  if (static_cast<int64_t>(perm.size()) != rank ||
      static_cast<int64_t>(outShape.size()) != rank)
    return emitOpError("perm is not a permutation of the input's axes");
  for (int64_t axis = 0; axis < rank; ++axis)
    if (outShape[axis] != inShape[perm[axis]])
      return emitOpError("result shape ")
             << formatShape(outShape) << " is not the input's "
             << formatShape(inShape) << " permuted";

  // Output axis i steps through input axis perm[i].
  SmallVector<int64_t, 4> inStrides = rowMajorStrides(inShape);
  SmallVector<int64_t, 4> strides(rank);
  for (int64_t axis = 0; axis < rank; ++axis)
    strides[axis] = inStrides[perm[axis]];
  Tensor result(input.kind(), outShape);
  dispatchStorage(input.kind(), [&](auto zero) {
    using T = decltype(zero);
    const std::vector<T> &in = input.storage<T>();
    SmallVector<int64_t, 4> index(rank, 0);
    int64_t offset = 0;
    for (T &out : result.storage<T>()) {
      out = in[offset];
      for (int64_t axis = rank - 1; axis >= 0; --axis) {
        offset += strides[axis];
        if (++index[axis] < outShape[axis])
          break;
        offset -= strides[axis] * outShape[axis];
        index[axis] = 0;
      }
    }
  });
  env.set(getOutput(), std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Matrix products and softmax
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inference(TensorEnvironment &env) {
  if (failed(requireF32(*this, env)))
    return failure();
  // numpy promotes a 1-D lhs to 1xK and a 1-D rhs to Kx1, then drops the
  // added axis from the result.
  SmallVector<int64_t, 4> lhsShape(shapeOf(getLhs())),
      rhsShape(shapeOf(getRhs()));
  ArrayRef<int64_t> outShape = shapeOf(getOutput());
  if (lhsShape.empty() || rhsShape.empty())
    return emitOpError("operands must have rank >= 1");
  bool lhsVector = lhsShape.size() == 1, rhsVector = rhsShape.size() == 1;
  if (lhsVector)
    lhsShape.insert(lhsShape.begin(), 1);
  if (rhsVector)
    rhsShape.push_back(1);
  int64_t m = lhsShape[lhsShape.size() - 2], k = lhsShape.back();
  int64_t n = rhsShape.back();
  SmallVector<int64_t, 4> expectedTail;
  if (!lhsVector)
    expectedTail.push_back(m);
  if (!rhsVector)
    expectedTail.push_back(n);
  if (rhsShape[rhsShape.size() - 2] != k ||
      outShape.size() < expectedTail.size() ||
      outShape.take_back(expectedTail.size()) != ArrayRef(expectedTail))
    return emitOpError("operands of shapes ")
           << formatShape(shapeOf(getLhs())) << " and "
           << formatShape(shapeOf(getRhs())) << " do not multiply to "
           << formatShape(outShape);
  ArrayRef<int64_t> batch = outShape.drop_back(expectedTail.size());
  std::optional<BroadcastIndexer> lhsBatch =
      BroadcastIndexer::create(ArrayRef(lhsShape).drop_back(2), batch);
  std::optional<BroadcastIndexer> rhsBatch =
      BroadcastIndexer::create(ArrayRef(rhsShape).drop_back(2), batch);
  if (!lhsBatch || !rhsBatch)
    return emitOpError("batch axes of ")
           << formatShape(shapeOf(getLhs())) << " and "
           << formatShape(shapeOf(getRhs())) << " do not broadcast to "
           << formatShape(batch);

  const std::vector<float> &a = env.get(getLhs()).floats();
  const std::vector<float> &b = env.get(getRhs()).floats();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &out = result.floats();
  for (int64_t i = 0, batches = numElementsOf(batch); i < batches; ++i) {
    const float *lhs = a.data() + lhsBatch->operandIndex(i) * m * k;
    const float *rhs = b.data() + rhsBatch->operandIndex(i) * k * n;
    float *product = out.data() + i * m * n;
    for (int64_t row = 0; row < m; ++row)
      for (int64_t col = 0; col < n; ++col) {
        double sum = 0.0;
        for (int64_t j = 0; j < k; ++j)
          sum += static_cast<double>(lhs[row * k + j]) * rhs[j * n + col];
        product[row * n + col] = static_cast<float>(sum);
      }
  }
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult GemmOp::inference(TensorEnvironment &env) {
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> aShape = shapeOf(getA()), bShape = shapeOf(getB()),
                    outShape = shapeOf(getOutput());
  if (aShape.size() != 2 || bShape.size() != 2 || outShape.size() != 2)
    return emitOpError("expects 2-D a, b and result");
  bool transA = getTransA(), transB = getTransB();
  int64_t m = transA ? aShape[1] : aShape[0],
          k = transA ? aShape[0] : aShape[1];
  int64_t n = transB ? bShape[0] : bShape[1];
  if ((transB ? bShape[1] : bShape[0]) != k || outShape[0] != m ||
      outShape[1] != n)
    return emitOpError("a ")
           << formatShape(aShape) << " and b " << formatShape(bShape)
           << " (with their transposes) do not give the result "
           << formatShape(outShape);
  std::optional<BroadcastIndexer> cIndex;
  if (getC()) {
    cIndex = BroadcastIndexer::create(shapeOf(getC()), outShape);
    if (!cIndex)
      return emitOpError("c of shape ")
             << formatShape(shapeOf(getC())) << " does not broadcast to "
             << formatShape(outShape);
  }

  const std::vector<float> &a = env.get(getA()).floats();
  const std::vector<float> &b = env.get(getB()).floats();
  float alpha = getAlpha().convertToFloat(), beta = getBeta().convertToFloat();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &out = result.floats();
  for (int64_t row = 0; row < m; ++row)
    for (int64_t col = 0; col < n; ++col) {
      double sum = 0.0;
      for (int64_t j = 0; j < k; ++j)
        sum += static_cast<double>(a[transA ? j * m + row : row * k + j]) *
               b[transB ? col * k + j : j * n + col];
      int64_t index = row * n + col;
      float value = alpha * static_cast<float>(sum);
      if (cIndex)
        value += beta * env.get(getC()).floats()[cIndex->operandIndex(index)];
      out[index] = value;
    }
  applyActivation(getActivationAttr(), out);
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult SoftmaxOp::inference(TensorEnvironment &env) {
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(getInput());
  if (shapeOf(getOutput()) != shape)
    return emitOpError("expects a result of the input's shape");
  FailureOr<int64_t> axis =
      axisIndex(*this, static_cast<int64_t>(getAxis()), shape.size());
  if (failed(axis))
    return failure();
  int64_t outer = numElementsOf(shape.take_front(*axis));
  int64_t length = shape[*axis];
  int64_t inner = numElementsOf(shape.drop_front(*axis + 1));
  const std::vector<float> &input = env.get(getInput()).floats();
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &output = result.floats();
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t first = o * length * inner + i;
      // Subtracting the maximum keeps exp() finite.
      float maximum = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < length; ++j)
        maximum = std::max(maximum, input[first + j * inner]);
      double sum = 0.0;
      for (int64_t j = 0; j < length; ++j) {
        float e = std::exp(input[first + j * inner] - maximum);
        output[first + j * inner] = e;
        sum += e;
      }
      for (int64_t j = 0; j < length; ++j)
        output[first + j * inner] =
            static_cast<float>(output[first + j * inner] / sum);
    }
  }
  env.set(getOutput(), std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// Fused operations
//===----------------------------------------------------------------------===//

LogicalResult ChannelAttentionOp::inference(TensorEnvironment &env) {
  if (hasQuantizedValues(*this))
    return quantizedInference(*this, env);
  if (failed(requireF32(*this, env)))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(getInput());
  if (shape.size() != 4 || shapeOf(getOutput()) != shape)
    return emitOpError("expects an NCHW input and a result of its shape");
  int64_t n = shape[0], channels = shape[1], planeSize = shape[2] * shape[3];
  if (env.get(getWeight()).numElements() != channels * channels ||
      (getBias() && env.get(getBias()).numElements() != channels))
    return emitOpError("expects a ")
           << channels << "x" << channels << "x1x1 weight and " << channels
           << " biases";
  const std::vector<float> &input = env.get(getInput()).floats();
  const std::vector<float> &weight = env.get(getWeight()).floats();
  const float *bias =
      getBias() ? env.get(getBias()).floats().data() : nullptr;
  ActivationAttr sigmoid =
      ActivationAttr::get(getContext(), ActivationKind::Sigmoid);
  Tensor result = makeF32Result(getOutput());
  std::vector<float> &output = result.floats();
  // The sums run in the order global_avg_pool's and conv2d's do, so the
  // fused op gives the unfused graph's numbers.
  std::vector<float> means(channels), gates(channels);
  for (int64_t b = 0; b < n; ++b) {
    const float *in = input.data() + b * channels * planeSize;
    float *out = output.data() + b * channels * planeSize;
    for (int64_t c = 0; c < channels; ++c) {
      double sum = 0.0;
      for (int64_t j = 0; j < planeSize; ++j)
        sum += in[c * planeSize + j];
      means[c] = static_cast<float>(sum / planeSize);
    }
    for (int64_t oc = 0; oc < channels; ++oc) {
      float gate = bias ? bias[oc] : 0.0f;
      for (int64_t ic = 0; ic < channels; ++ic)
        gate += weight[oc * channels + ic] * means[ic];
      gates[oc] = sigmoid.apply(gate);
    }
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t j = 0; j < planeSize; ++j)
        out[c * planeSize + j] = in[c * planeSize + j] * gates[c];
  }
  env.set(getOutput(), std::move(result));
  return success();
}

LogicalResult SeparableBlockOp::inference(TensorEnvironment &env) {
  // The body runs on the same environment, where the weights it captures
  // already are. Its results stay there: the interpreter records them by
  // name, then drops them.
  Block &body = getBody().front();
  BlockArgument input = body.getArgument(0);
  env.set(input, env.get(getInput()));
  for (Operation &op : body.without_terminator())
    if (failed(cast<InferenceOpInterface>(op).inference(env)))
      return failure();
  env.erase(input);
  env.set(getOutput(),
          env.get(cast<YieldOp>(body.getTerminator()).getValue()));
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization boundaries
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::inference(TensorEnvironment &env) {
  const Tensor &input = env.get(getInput());
  if (!input.isFloat())
    return emitOpError("expects an f32 input, got ") << getInput().getType();
  if (shapeOf(getOutput()) != input.shape())
    return emitOpError("expects a result of the input's shape");
  llvm::Expected<QuantParams> params = QuantParams::get(
      getElementTypeOrSelf(getOutput().getType()), input.shape());
  if (!params)
    return emitOpError("result: ") << llvm::toString(params.takeError());
  env.set(getOutput(), params->quantize(input));
  return success();
}

LogicalResult DequantizeOp::inference(TensorEnvironment &env) {
  const Tensor &input = env.get(getInput());
  std::optional<ElementKind> storage =
      elementKindOf(getElementTypeOrSelf(getInput().getType()));
  if (!storage || input.isFloat() || *storage != input.kind())
    return emitOpError("expects quantized storage values, got ")
           << stringifyElementKind(input.kind()) << " values";
  if (!getElementTypeOrSelf(getOutput().getType()).isF32())
    return emitOpError("expects an f32 result, got ") << getOutput().getType();
  if (shapeOf(getOutput()) != input.shape())
    return emitOpError("expects a result of the input's shape");
  llvm::Expected<QuantParams> params = QuantParams::get(
      getElementTypeOrSelf(getInput().getType()), input.shape());
  if (!params)
    return emitOpError("input: ") << llvm::toString(params.takeError());
  env.set(getOutput(), params->dequantize(input));
  return success();
}
