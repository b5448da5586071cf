//===- InferenceModels.cpp - pico ops executed by picosam's kernels -------===//
//
// Each op's adapter checks what it is about to read (a graph that slipped
// past the verifier gets an op error instead of a crash), takes its
// operands' host tensors from the TensorEnvironment and runs the kernel:
// a quantized op the integer kernel, with the constants its `prepare`
// derived (QuantizedArithmetic.h), on storage values; a float op the float
// kernel, in f32 with longer sums in double. Result shapes come from the
// result types, which the verifier checks against shape inference.
//
//===----------------------------------------------------------------------===//
#include "picosam/Inference/Inference.h"

#include "Pico/QuantizedArithmetic.h"
#include "Pico/ShapeUtils.h"
#include "picosam/Kernels/ChannelAttention.h"
#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/ConvTranspose.h"
#include "picosam/Kernels/DataMovement.h"
#include "picosam/Kernels/Elementwise.h"
#include "picosam/Kernels/MatMul.h"
#include "picosam/Kernels/Normalization.h"
#include "picosam/Kernels/Pool.h"
#include "picosam/Kernels/Reduce.h"
#include "picosam/Kernels/Resize.h"
#include "picosam/Kernels/Structural.h"
#include "picosam/Support/Quant.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"

#include <type_traits>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;
using kernels::NCHWView;
using kernels::PreparedParams;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// The float kernels compute in f32: every operand value and result type
/// must be f32. (A quantized op that was not prepared ends up here too.)
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

/// A zero-filled tensor of `result`'s element kind (a quantized type's
/// storage kind) and shape.
static Tensor makeResult(Value result) {
  return Tensor(*elementKindOf(getElementTypeOrSelf(result.getType())),
                shapeOf(result));
}

/// The constants of type T `prepare` derived for `op`, or null (a float op).
template <typename T>
static const T *preparedAs(const PreparedKernels &prepared, Operation *op) {
  return std::get_if<T>(&prepared.lookup(op));
}

/// An op's optional fused activation as the kernels apply it.
static kernels::Activation activationOf(ActivationAttr activation) {
  return activation ? activation.getKernelActivation() : kernels::Activation();
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

/// The window of a 2-D pool, checked with its NCHW input and result (equal
/// N and C).
static FailureOr<kernels::PoolWindow>
poolWindow(Operation *op, ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
           ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads) {
  ArrayRef<int64_t> input = shapeOf(op->getOperand(0)),
                    output = shapeOf(op->getResult(0));
  if (input.size() != 4 || output.size() != 4 || input[0] != output[0] ||
      input[1] != output[1])
    return op->emitOpError("expects NCHW input and output with equal N and C, "
                           "got ")
           << formatShape(input) << " and " << formatShape(output);
  if (failed(verifyWindow(op, kernel, strides, dilations, pads)))
    return failure();
  return kernels::PoolWindow{kernel[0],    kernel[1],    strides[0],
                             strides[1],   dilations[0], dilations[1],
                             pads[0],      pads[1],      pads[2],
                             pads[3]};
}

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

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

FailureOr<Tensor> picosam::evaluateConstant(ConstantOp op) {
  Type resultElement = op.getOutput().getType().getElementType();
  std::optional<ElementKind> kind = elementKindOf(resultElement);
  if (!kind)
    return op.emitOpError("has no host representation for ") << resultElement;
  // Quantized results hold their storage integers in `value`.
  Type valueElement = op.getValue().getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(resultElement)) {
    auto integer = dyn_cast<IntegerType>(valueElement);
    if (!integer ||
        integer.getWidth() != quantized.getStorageTypeIntegralWidth())
      return op.emitOpError("a quantized constant's value must hold its "
                            "storage integers, got ")
             << valueElement;
  } else if (valueElement != resultElement) {
    return op.emitOpError("value element type ")
           << valueElement << " differs from the result's " << resultElement;
  }

  Tensor tensor(*kind, op.getOutput().getType().getShape());
  if (auto dense = dyn_cast<DenseElementsAttr>(op.getValue())) {
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
    return tensor;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(op.getValue());
  if (!resource)
    return op.emitOpError("supports dense and dense_resource values only");
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return op.emitOpError("resource '")
           << resource.getRawHandle().getKey() << "' has no data";
  ArrayRef<char> data = blob->getData();
  size_t expected = tensor.numElements() * byteWidth(tensor.kind());
  if (data.size() != expected)
    return op.emitOpError("resource '")
           << resource.getRawHandle().getKey() << "' holds " << data.size()
           << " bytes, the type needs " << expected;
  decodeLittleEndian(StringRef(data.data(), data.size()), tensor);
  return tensor;
}

static FailureOr<Tensor> run(ConstantOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  return evaluateConstant(op);
}

//===----------------------------------------------------------------------===//
// Convolution and normalisation
//===----------------------------------------------------------------------===//

/// The convolution `op` computes, checked so that every index it reads
/// stays in bounds.
static FailureOr<kernels::Conv2DGeometry> convGeometry(Conv2DOp op) {
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    wShape = shapeOf(op.getWeight()),
                    outShape = shapeOf(op.getOutput());
  if (inShape.size() != 4 || wShape.size() != 4 || outShape.size() != 4)
    return op.emitOpError("expects 4-D input, weight and result");
  auto upsample = static_cast<int64_t>(op.getInputUpsample());
  if (upsample < 1)
    return op.emitOpError("expects input_upsample >= 1, got ") << upsample;
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                    pads = op.getPads();
  if (failed(verifyWindow(op, wShape.drop_front(2), strides, dilations, pads)))
    return failure();
  kernels::Conv2DGeometry g{inShape[0], inShape[1], inShape[2], inShape[3],
                            wShape[0],  outShape[2], outShape[3],
                            wShape[2],  wShape[3],
                            static_cast<int64_t>(op.getGroup()),
                            strides[0], strides[1],  dilations[0],
                            dilations[1], pads[0],   pads[1],
                            upsample};
  if (g.groups < 1 || g.inChannels % g.groups || g.outChannels % g.groups ||
      wShape[1] != g.inChannels / g.groups || outShape[0] != g.batch ||
      outShape[1] != g.outChannels)
    return op.emitOpError("input ")
           << formatShape(inShape) << ", weight " << formatShape(wShape)
           << ", group " << g.groups << " and result " << formatShape(outShape)
           << " do not fit together";
  return g;
}

static FailureOr<Tensor> run(Conv2DOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  const auto *quantized = preparedAs<ConvRequantization>(prepared, op);
  FailureOr<kernels::Conv2DGeometry> geometry = convGeometry(op);
  if (failed(geometry))
    return failure();
  const kernels::Conv2DGeometry &g = *geometry;
  if (op.getBias() && env.get(op.getBias()).numElements() != g.outChannels)
    return op.emitOpError("bias must have ") << g.outChannels << " elements";
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  if (op.getResidual() && env.get(op.getResidual()).shape() != outShape)
    return op.emitOpError("residual must have the result's shape ")
           << formatShape(outShape);

  // The whole result at once; element type T is float, or int64_t for
  // storage values.
  Tensor result = makeResult(op.getOutput());
  auto data = [&](Value value, auto zero) {
    using T = decltype(zero);
    return value ? env.get(value).storage<T>().data() : nullptr;
  };
  auto residual = [&](auto zero) {
    using T = decltype(zero);
    if (!op.getResidual())
      return NCHWView<const T>();
    return NCHWView<const T>::dense(data(op.getResidual(), zero),
                                    g.outChannels, g.outHeight, g.outWidth);
  };
  auto convolve = [&](auto zero, const auto &epilogue) {
    using T = decltype(zero);
    using Acc = typename std::decay_t<decltype(epilogue)>::Acc;
    kernels::conv2d(g,
                    NCHWView<const T>::dense(data(op.getInput(), zero),
                                             g.inChannels, g.inHeight,
                                             g.inWidth),
                    data(op.getWeight(), zero),
                    NCHWView<T>::dense(result.storage<T>().data(),
                                       g.outChannels, g.outHeight, g.outWidth),
                    0, g.outHeight, epilogue,
                    env.workspace(
                        kernels::conv2dWorkspaceBytes<Acc>(g, g.outHeight)));
  };
  if (quantized) {
    convolve(int64_t{}, kernels::QuantizedConvEpilogue<int64_t>{
                            quantized->view(), data(op.getBias(), int64_t{}),
                            residual(int64_t{}), {}});
  } else {
    convolve(float{},
             kernels::FloatConvEpilogue{data(op.getBias(), float{}),
                                        residual(float{}),
                                        activationOf(op.getActivationAttr())});
  }
  return result;
}

/// The transposed convolution `op` computes, checked so that every index it
/// reads stays in bounds.
static FailureOr<kernels::Conv2DGeometry>
convTransposeGeometry(ConvTranspose2DOp op) {
  FailureOr<SmallVector<int64_t, 4>> shape = ConvTranspose2DOp::inferResultShape(
      ConvTranspose2DOp::Adaptor(op), ShapeDiagnostics(op));
  if (failed(shape))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    wShape = shapeOf(op.getWeight()),
                    outShape = shapeOf(op.getOutput());
  if (*shape != outShape)
    return op.emitOpError("result shape ")
           << formatShape(outShape) << " is not the inferred "
           << formatShape(*shape);
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                    pads = op.getPads();
  return kernels::Conv2DGeometry{
      inShape[0],   inShape[1],   inShape[2],
      inShape[3],   outShape[1],  outShape[2],
      outShape[3],  wShape[2],    wShape[3],
      static_cast<int64_t>(op.getGroup()),
      strides[0],   strides[1],   dilations[0],
      dilations[1], pads[0],      pads[1]};
}

static FailureOr<Tensor> run(ConvTranspose2DOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  const auto *quantized = preparedAs<ConvRequantization>(prepared, op);
  FailureOr<kernels::Conv2DGeometry> geometry =
      convTransposeGeometry(op);
  if (failed(geometry))
    return failure();
  const kernels::Conv2DGeometry &g = *geometry;
  if (op.getBias() && env.get(op.getBias()).numElements() != g.outChannels)
    return op.emitOpError("bias must have ") << g.outChannels << " elements";
  Tensor result = makeResult(op.getOutput());
  auto data = [&](Value value, auto zero) {
    using T = decltype(zero);
    return value ? env.get(value).storage<T>().data() : nullptr;
  };
  auto convolve = [&](auto zero, const auto &epilogue) {
    using T = decltype(zero);
    using Acc = typename std::decay_t<decltype(epilogue)>::Acc;
    kernels::convTranspose2d(
        g, data(op.getInput(), zero), data(op.getWeight(), zero),
        result.storage<T>().data(), epilogue,
        env.workspace(kernels::convTranspose2dWorkspaceBytes<Acc>(g)));
  };
  if (quantized)
    convolve(int64_t{}, kernels::QuantizedConvEpilogue<int64_t>{
                            quantized->view(), data(op.getBias(), int64_t{}),
                            {}, {}});
  else
    convolve(float{},
             kernels::FloatConvEpilogue{data(op.getBias(), float{}), {},
                                        activationOf(op.getActivationAttr())});
  return result;
}

static FailureOr<Tensor> run(BatchNormOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  if (shape.size() < 2 || shapeOf(op.getOutput()) != shape)
    return op.emitOpError("expects an input of rank >= 2 and a result of its "
                          "shape");
  int64_t channels = shape[1];
  for (Value parameter :
       {op.getScale(), op.getBias(), op.getMean(), op.getVariance()})
    if (env.get(parameter).numElements() != channels)
      return op.emitOpError("scale, bias, mean and variance must have ")
             << channels << " elements";
  Tensor result = makeResult(op.getOutput());
  kernels::batchNorm(env.get(op.getInput()).floats().data(),
                     shape[0] * channels, channels,
                     kernels::numElements(shape.drop_front(2)),
                     env.get(op.getScale()).floats().data(),
                     env.get(op.getBias()).floats().data(),
                     env.get(op.getMean()).floats().data(),
                     env.get(op.getVariance()).floats().data(),
                     op.getEpsilon().convertToFloat(),
                     result.floats().data());
  return result;
}

static FailureOr<Tensor> run(InstanceNormOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  if (shape.size() < 3 || shapeOf(op.getOutput()) != shape)
    return op.emitOpError("expects an input of rank >= 3 and a result of its "
                          "shape");
  int64_t channels = shape[1];
  for (Value parameter : {op.getScale(), op.getBias()})
    if (env.get(parameter).numElements() != channels)
      return op.emitOpError("scale and bias must have ")
             << channels << " elements";
  Tensor result = makeResult(op.getOutput());
  kernels::instanceNorm(env.get(op.getInput()).floats().data(),
                        shape[0] * channels, channels,
                        kernels::numElements(shape.drop_front(2)),
                        env.get(op.getScale()).floats().data(),
                        env.get(op.getBias()).floats().data(),
                        op.getEpsilon().convertToFloat(),
                        result.floats().data());
  return result;
}

//===----------------------------------------------------------------------===//
// Activations and element-wise binary ops
//===----------------------------------------------------------------------===//

/// Every standalone activation op: its ActivationOpInterface function on
/// f32 values, or its table on storage values.
static FailureOr<Tensor> runActivation(Operation *op, TensorEnvironment &env,
                                   const PreparedKernels &prepared) {
  Value input = op->getOperand(0), output = op->getResult(0);
  const auto *table = preparedAs<ActivationTable>(prepared, op);
  if (shapeOf(input) != shapeOf(output))
    return op->emitOpError("expects a result of the input's shape");
  Tensor result = table ? makeResult(output) : env.get(input);
  if (table) {
    llvm::transform(env.get(input).ints(), result.ints().begin(),
                    [&](int64_t q) { return table->lookup(q); });
  } else {
    cast<ActivationOpInterface>(op)
        .getActivationFunction()
        .getKernelActivation()
        .applyInPlace(result.floats().data(), result.numElements());
  }
  return result;
}

/// `floatFn` and the fused activation on f32 values, or the prepared integer
/// op on storage values, element by element with numpy broadcasting.
template <typename FloatFn>
static FailureOr<Tensor> runBinary(Operation *op, ActivationAttr activation,
                               TensorEnvironment &env,
                               const PreparedKernels &prepared,
                               FloatFn floatFn) {
  const PreparedParams &params = prepared.lookup(op);
  Value lhs = op->getOperand(0), rhs = op->getOperand(1),
        output = op->getResult(0);
  ArrayRef<int64_t> lhsShape = shapeOf(lhs), rhsShape = shapeOf(rhs),
                    outShape = shapeOf(output);
  if (!kernels::BroadcastIndexer::create(lhsShape, outShape) ||
      !kernels::BroadcastIndexer::create(rhsShape, outShape))
    return op->emitOpError("operands of shapes ")
           << formatShape(lhsShape) << " and " << formatShape(rhsShape)
           << " do not broadcast to the result shape " << formatShape(outShape);
  Tensor result = makeResult(output);
  auto apply = [&](auto zero, auto &&fn) {
    using T = decltype(zero);
    kernels::broadcastBinary(env.get(lhs).storage<T>().data(), lhsShape,
                             env.get(rhs).storage<T>().data(), rhsShape,
                             result.storage<T>().data(), outShape, fn);
  };
  auto integerOp = [&](const auto &requantization) {
    apply(int64_t{}, [&](int64_t a, int64_t b) -> int64_t {
      return requantization.apply(static_cast<int32_t>(a),
                                  static_cast<int32_t>(b));
    });
  };
  if (const auto *add = std::get_if<AddRequantization>(&params)) {
    integerOp(*add);
  } else if (const auto *mul = std::get_if<MulRequantization>(&params)) {
    integerOp(*mul);
  } else {
    kernels::Activation fused = activationOf(activation);
    apply(float{},
          [&](float a, float b) { return fused.apply(floatFn(a, b)); });
  }
  return result;
}

static FailureOr<Tensor> run(AddOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared,
                   [](float a, float b) { return a + b; });
}

static FailureOr<Tensor> run(SubOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared,
                   [](float a, float b) { return a - b; });
}

static FailureOr<Tensor> run(MulOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared,
                   [](float a, float b) { return a * b; });
}

static FailureOr<Tensor> run(DivOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared,
                   [](float a, float b) { return a / b; });
}

static FailureOr<Tensor> run(MaxOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared,
                   kernels::maximum);
}

static FailureOr<Tensor> run(PReluOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared, kernels::prelu);
}

static FailureOr<Tensor> run(MinOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  return runBinary(op, op.getActivationAttr(), env, prepared,
                   kernels::minimum);
}

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

/// `kernel(input, output, policy)` on the op's one input: on storage values
/// with IntegerPolicy{*params} when the op was prepared with constants
/// (`params`), else on f32 values with `real`.
template <typename IntegerPolicy, typename Params, typename FloatPolicy,
          typename Kernel>
static Tensor runWithPolicy(Operation *op, const TensorEnvironment &env,
                            const Params *params, const FloatPolicy &real,
                            Kernel &&kernel) {
  Tensor result = makeResult(op->getResult(0));
  const Tensor &input = env.get(op->getOperand(0));
  if (params)
    kernel(input.ints().data(), result.ints().data(), IntegerPolicy{*params});
  else
    kernel(input.floats().data(), result.floats().data(), real);
  return result;
}

/// The rescale of an op with one input, if it was prepared with one.
static const Rescale *inputRescale(const PreparedKernels &prepared,
                                   Operation *op) {
  const auto *rescales = preparedAs<std::vector<Rescale>>(prepared, op);
  return rescales ? &rescales->front() : nullptr;
}

static FailureOr<Tensor> run(GlobalAvgPoolOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  if (shape.size() < 3 || outShape.size() != shape.size() ||
      outShape.take_front(2) != shape.take_front(2) ||
      kernels::numElements(outShape) != shape[0] * shape[1])
    return op.emitOpError("expects an input of rank >= 3 and a result of shape "
                          "N x C x 1 x ...");
  return runWithPolicy<kernels::QuantizedAverage>(
      op, env, preparedAs<AverageRequantization>(prepared, op),
      kernels::FloatAverage{},
      [&](const auto *in, auto *out, const auto &policy) {
        kernels::globalAveragePool(in, shape[0] * shape[1],
                                   kernels::numElements(shape.drop_front(2)),
                                   out, policy);
      });
}

static FailureOr<Tensor> run(AvgPoolOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  FailureOr<kernels::PoolWindow> window = poolWindow(
      op, op.getKernelShape(), op.getStrides(), {1, 1}, op.getPads());
  if (failed(window))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    outShape = shapeOf(op.getOutput());
  return runWithPolicy<kernels::QuantizedAverage>(
      op, env, preparedAs<AverageRequantization>(prepared, op),
      kernels::FloatAverage{},
      [&](const auto *in, auto *out, const auto &policy) {
        kernels::averagePool(in, inShape[0] * inShape[1], inShape[2],
                             inShape[3], *window, op.getCountIncludePad(), out,
                             outShape[2], outShape[3], policy);
      });
}

static FailureOr<Tensor> run(MaxPoolOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  FailureOr<kernels::PoolWindow> window =
      poolWindow(op, op.getKernelShape(), op.getStrides(), op.getDilations(),
                 op.getPads());
  if (failed(window))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    outShape = shapeOf(op.getOutput());
  return runWithPolicy<kernels::QuantizedMaximum>(
      op, env, inputRescale(prepared, op), kernels::FloatMaximum{},
      [&](const auto *in, auto *out, const auto &policy) {
        kernels::maxPool(in, inShape[0] * inShape[1], inShape[2], inShape[3],
                         *window, out, outShape[2], outShape[3], policy);
      });
}

static FailureOr<Tensor> run(ResizeOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  ArrayRef<int64_t> inShape = shapeOf(op.getInput()),
                    outShape = shapeOf(op.getOutput());
  ArrayRef<float> scales = op.getScales();
  if (outShape.size() != inShape.size() || scales.size() != inShape.size())
    return op.emitOpError("expects one scale per axis and a result of the "
                          "input's rank");
  if (llvm::any_of(scales, [](float s) { return !(s > 0.0f); }))
    return op.emitOpError("expects positive scales");
  if (llvm::any_of(inShape, [](int64_t d) { return d == 0; }) &&
      kernels::numElements(outShape) != 0)
    return op.emitOpError("cannot resize an empty input to a non-empty result");
  kernels::ResizeTaps taps = kernels::resizeTaps(
      toKernelEnum<kernels::ResizeMode>(op.getMode()),
      toKernelEnum<kernels::CoordinateTransformMode>(
          op.getCoordinateTransformationMode()),
      toKernelEnum<kernels::NearestMode>(op.getNearestMode()), scales,
      inShape, outShape);
  return runWithPolicy<kernels::QuantizedNearestResize>(
      op, env, inputRescale(prepared, op), kernels::FloatResize{},
      [&](const auto *in, auto *out, const auto &policy) {
        kernels::resize(in, inShape, out, outShape, taps, policy);
      });
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> run(ConcatOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  // Quantized inputs move to the result's quantization on the way.
  const auto *rescales = preparedAs<std::vector<Rescale>>(prepared, op);
  if (op.getInputs().empty())
    return op.emitOpError("needs at least one input");
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  FailureOr<int64_t> axis =
      axisIndex(op, static_cast<int64_t>(op.getAxis()), outShape.size());
  if (failed(axis))
    return failure();
  int64_t concatenated = 0;
  SmallVector<int64_t> rowSizes;
  for (Value input : op.getInputs()) {
    ArrayRef<int64_t> shape = shapeOf(input);
    if (!rescales &&
        failed(requireSameKind(op, env.get(input), op.getOutput())))
      return failure();
    if (shape.size() != outShape.size() ||
        shape.take_front(*axis) != outShape.take_front(*axis) ||
        shape.drop_front(*axis + 1) != outShape.drop_front(*axis + 1))
      return op.emitOpError("input of shape ")
             << formatShape(shape) << " does not fit the result "
             << formatShape(outShape) << " along axis " << *axis;
    concatenated += shape[*axis];
    rowSizes.push_back(kernels::numElements(shape.drop_front(*axis)));
  }
  if (concatenated != outShape[*axis])
    return op.emitOpError("inputs add up to ")
           << concatenated << " along axis " << *axis << ", the result has "
           << outShape[*axis];

  Tensor result = makeResult(op.getOutput());
  dispatchStorage(result.kind(), [&](auto zero) {
    using T = decltype(zero);
    SmallVector<const T *> inputs;
    for (Value input : op.getInputs())
      inputs.push_back(env.get(input).storage<T>().data());
    kernels::concat<T>(
        inputs, rowSizes, kernels::numElements(outShape.take_front(*axis)),
        result.storage<T>().data(), [&](size_t input, T value) -> T {
          if constexpr (std::is_same_v<T, int64_t>)
            if (rescales)
              return (*rescales)[input].apply(static_cast<int32_t>(value));
          return value;
        });
  });
  return result;
}

static FailureOr<Tensor> run(ReshapeOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  const Tensor &input = env.get(op.getInput());
  if (failed(requireSameKind(op, input, op.getOutput())))
    return failure();
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  if (kernels::numElements(outShape) != input.numElements())
    return op.emitOpError("cannot reshape ")
           << formatShape(input.shape()) << " to " << formatShape(outShape);
  return input.reshaped(outShape);
}

static FailureOr<Tensor> run(TransposeOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  const Tensor &input = env.get(op.getInput());
  if (failed(requireSameKind(op, input, op.getOutput())))
    return failure();
  ArrayRef<int64_t> inShape = input.shape(), outShape = shapeOf(op.getOutput());
  ArrayRef<int64_t> perm = op.getPerm();
  int64_t rank = inShape.size();
  SmallVector<bool> seen(rank, false);
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= rank || seen[axis])
      return op.emitOpError("perm is not a permutation of the input's axes");
    seen[axis] = true;
  }
  if (static_cast<int64_t>(perm.size()) != rank ||
      static_cast<int64_t>(outShape.size()) != rank)
    return op.emitOpError("perm is not a permutation of the input's axes");
  for (int64_t axis = 0; axis < rank; ++axis)
    if (outShape[axis] != inShape[perm[axis]])
      return op.emitOpError("result shape ")
             << formatShape(outShape) << " is not the input's "
             << formatShape(inShape) << " permuted";
  Tensor result(input.kind(), outShape);
  dispatchStorage(input.kind(), [&](auto zero) {
    using T = decltype(zero);
    kernels::transpose(input.storage<T>().data(), inShape, perm,
                       result.storage<T>().data());
  });
  return result;
}

//===----------------------------------------------------------------------===//
// Structural ops: padding and slicing
//===----------------------------------------------------------------------===//

static kernels::PadMode toKernel(PadMode mode) {
  switch (mode) {
  case PadMode::Constant:
    return kernels::PadMode::Constant;
  case PadMode::Reflect:
    return kernels::PadMode::Reflect;
  case PadMode::Edge:
    return kernels::PadMode::Edge;
  }
  llvm_unreachable("unknown pad mode");
}

static FailureOr<Tensor> run(PadOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  const Tensor &input = env.get(op.getInput());
  if (failed(requireSameKind(op, input, op.getOutput())))
    return failure();
  ArrayRef<int64_t> inShape = input.shape();
  FailureOr<SmallVector<int64_t, 4>> shape =
      PadOp::inferResultShape(PadOp::Adaptor(op), ShapeDiagnostics(op));
  if (failed(shape))
    return failure();
  if (*shape != shapeOf(op.getOutput()))
    return op.emitOpError("result shape is not the input's ")
           << formatShape(inShape) << " padded";
  Tensor result(input.kind(), *shape);
  double value = op.getStoragePadValue();
  dispatchStorage(input.kind(), [&](auto zero) {
    using T = decltype(zero);
    kernels::pad(input.storage<T>().data(), inShape, op.getPads(),
                 toKernel(op.getMode()), static_cast<T>(value),
                 result.storage<T>().data());
  });
  return result;
}

static FailureOr<Tensor> run(SliceOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  const Tensor &input = env.get(op.getInput());
  if (failed(requireSameKind(op, input, op.getOutput())))
    return failure();
  FailureOr<SmallVector<int64_t, 4>> shape =
      SliceOp::inferResultShape(SliceOp::Adaptor(op), ShapeDiagnostics(op));
  if (failed(shape))
    return failure();
  if (*shape != shapeOf(op.getOutput()))
    return op.emitOpError("result shape is not the slice's sizes ")
           << formatShape(*shape);
  Tensor result(input.kind(), *shape);
  dispatchStorage(input.kind(), [&](auto zero) {
    using T = decltype(zero);
    kernels::slice(input.storage<T>().data(), input.shape(), op.getOffsets(),
                   op.getSizes(), op.getStrides(), result.storage<T>().data());
  });
  return result;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> run(ReduceOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  FailureOr<SmallVector<int64_t, 4>> shape =
      ReduceOp::inferResultShape(ReduceOp::Adaptor(op), ShapeDiagnostics(op));
  if (failed(shape))
    return failure();
  if (*shape != shapeOf(op.getOutput()))
    return op.emitOpError("result shape is not the reduction's ")
           << formatShape(*shape);
  kernels::ReductionGeometry geometry =
      kernels::reductionGeometry(shapeOf(op.getInput()), op.getAxes());
  switch (op.getKind()) {
  case ReduceKind::Mean:
    return runWithPolicy<kernels::QuantizedAverage>(
        op, env, preparedAs<AverageRequantization>(prepared, op),
        kernels::FloatAverage{},
        [&](const auto *in, auto *out, const auto &policy) {
          kernels::reduceMean(in, geometry, out, policy);
        });
  case ReduceKind::Max:
    return runWithPolicy<kernels::QuantizedMaximum>(
        op, env, inputRescale(prepared, op), kernels::FloatMaximum{},
        [&](const auto *in, auto *out, const auto &policy) {
          kernels::reduceMax(in, geometry, out, policy);
        });
  case ReduceKind::Sum: {
    Tensor result = makeResult(op.getOutput());
    kernels::reduceSum(env.get(op.getInput()).floats().data(), geometry,
                       result.floats().data());
    return result;
  }
  }
  llvm_unreachable("unknown reduction");
}

//===----------------------------------------------------------------------===//
// Matrix products and softmax
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> run(MatMulOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  // numpy promotes a 1-D lhs to 1xK and a 1-D rhs to Kx1, then drops the
  // added axis from the result.
  SmallVector<int64_t, 4> lhsShape(shapeOf(op.getLhs())),
      rhsShape(shapeOf(op.getRhs()));
  ArrayRef<int64_t> outShape = shapeOf(op.getOutput());
  if (lhsShape.empty() || rhsShape.empty())
    return op.emitOpError("operands must have rank >= 1");
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
    return op.emitOpError("operands of shapes ")
           << formatShape(shapeOf(op.getLhs())) << " and "
           << formatShape(shapeOf(op.getRhs())) << " do not multiply to "
           << formatShape(outShape);
  ArrayRef<int64_t> batch = outShape.drop_back(expectedTail.size());
  ArrayRef<int64_t> lhsBatch = ArrayRef(lhsShape).drop_back(2),
                    rhsBatch = ArrayRef(rhsShape).drop_back(2);
  if (!kernels::BroadcastIndexer::create(lhsBatch, batch) ||
      !kernels::BroadcastIndexer::create(rhsBatch, batch))
    return op.emitOpError("batch axes of ")
           << formatShape(shapeOf(op.getLhs())) << " and "
           << formatShape(shapeOf(op.getRhs())) << " do not broadcast to "
           << formatShape(batch);
  Tensor result = makeResult(op.getOutput());
  kernels::matmul(env.get(op.getLhs()).floats().data(), lhsBatch,
                  env.get(op.getRhs()).floats().data(), rhsBatch,
                  result.floats().data(), batch, m, k, n);
  return result;
}

static FailureOr<Tensor> run(GemmOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  ArrayRef<int64_t> aShape = shapeOf(op.getA()), bShape = shapeOf(op.getB()),
                    outShape = shapeOf(op.getOutput());
  if (aShape.size() != 2 || bShape.size() != 2 || outShape.size() != 2)
    return op.emitOpError("expects 2-D a, b and result");
  bool transA = op.getTransA(), transB = op.getTransB();
  int64_t m = transA ? aShape[1] : aShape[0],
          k = transA ? aShape[0] : aShape[1];
  int64_t n = transB ? bShape[0] : bShape[1];
  if ((transB ? bShape[1] : bShape[0]) != k || outShape[0] != m ||
      outShape[1] != n)
    return op.emitOpError("a ")
           << formatShape(aShape) << " and b " << formatShape(bShape)
           << " (with their transposes) do not give the result "
           << formatShape(outShape);
  ArrayRef<int64_t> cShape;
  if (op.getC()) {
    cShape = shapeOf(op.getC());
    if (!kernels::BroadcastIndexer::create(cShape, outShape))
      return op.emitOpError("c of shape ")
             << formatShape(cShape) << " does not broadcast to "
             << formatShape(outShape);
  }
  Tensor result = makeResult(op.getOutput());
  kernels::gemm(env.get(op.getA()).floats().data(), transA,
                env.get(op.getB()).floats().data(), transB, m, k, n,
                op.getAlpha().convertToFloat(),
                op.getC() ? env.get(op.getC()).floats().data() : nullptr,
                cShape, op.getBeta().convertToFloat(),
                activationOf(op.getActivationAttr()), result.floats().data());
  return result;
}

static FailureOr<Tensor> run(SoftmaxOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  if (shapeOf(op.getOutput()) != shape)
    return op.emitOpError("expects a result of the input's shape");
  FailureOr<int64_t> axis =
      axisIndex(op, static_cast<int64_t>(op.getAxis()), shape.size());
  if (failed(axis))
    return failure();
  Tensor result = makeResult(op.getOutput());
  kernels::softmax(env.get(op.getInput()).floats().data(),
                   kernels::numElements(shape.take_front(*axis)), shape[*axis],
                   kernels::numElements(shape.drop_front(*axis + 1)),
                   result.floats().data(), op.getLog());
  return result;
}

//===----------------------------------------------------------------------===//
// Fused operations
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> run(ChannelAttentionOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  const auto *quantized =
      preparedAs<ChannelAttentionRequantization>(prepared, op);
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  if (shape.size() != 4 || shapeOf(op.getOutput()) != shape)
    return op.emitOpError("expects an NCHW input and a result of its shape");
  int64_t n = shape[0], channels = shape[1], planeSize = shape[2] * shape[3];
  if (env.get(op.getWeight()).numElements() != channels * channels ||
      (op.getBias() && env.get(op.getBias()).numElements() != channels))
    return op.emitOpError("expects a ")
           << channels << "x" << channels << "x1x1 weight and " << channels
           << " biases";
  Tensor result = makeResult(op.getOutput());
  auto attend = [&](auto zero, const auto &average, const auto &gates,
                    auto &&scale) {
    using T = decltype(zero);
    using Value = kernels::AverageValue<std::decay_t<decltype(average)>>;
    using Acc = typename std::decay_t<decltype(gates)>::Acc;
    kernels::channelAttention(
        env.get(op.getInput()).storage<T>().data(), n, channels, planeSize,
        env.get(op.getWeight()).storage<T>().data(), result.storage<T>().data(),
        average, gates, scale,
        env.workspace(
            kernels::channelAttentionWorkspaceBytes<Value, Acc>(n, channels)));
  };
  auto bias = [&](auto zero) {
    using T = decltype(zero);
    return op.getBias() ? env.get(op.getBias()).storage<T>().data() : nullptr;
  };
  if (quantized) {
    attend(int64_t{}, kernels::QuantizedAverage{quantized->means},
           kernels::QuantizedConvEpilogue<int32_t>{
               quantized->gates.view(), bias(int64_t{}), {},
               quantized->gateTable.view()},
           [&](int64_t x, int32_t gate) -> int64_t {
             return quantized->scale(x, gate);
           });
  } else {
    attend(float{}, kernels::FloatAverage{},
           kernels::FloatConvEpilogue{bias(float{}),
                                      {},
                                      {kernels::ActivationKind::Sigmoid}},
           [](float x, float gate) { return x * gate; });
  }
  return result;
}

static FailureOr<Tensor> run(SeparableBlockOp op, TensorEnvironment &env,
                             const PreparedKernels &prepared) {
  // The body runs on the same environment, where the weights it captures
  // already are. Its results stay there: the interpreter records them by
  // name, then drops them.
  Block &body = op.getBody().front();
  BlockArgument input = body.getArgument(0);
  env.set(input, env.get(op.getInput()));
  for (Operation &nested : body.without_terminator())
    if (failed(cast<InferenceOpInterface>(nested).inference(env, prepared)))
      return failure();
  env.erase(input);
  return env.get(cast<YieldOp>(body.getTerminator()).getValue());
}

//===----------------------------------------------------------------------===//
// Quantization boundaries
//===----------------------------------------------------------------------===//

/// `input` converted by the quantization of `quantized`: to storage values
/// when it is the op's result (quantize), to f32 values when it is the op's
/// input (dequantize). The result must have the input's shape.
static FailureOr<Tensor> convertAtBoundary(Operation *op, Value quantized,
                                           const Tensor &input) {
  bool toStorage = quantized == op->getResult(0);
  if (shapeOf(op->getResult(0)) != input.shape())
    return op->emitOpError("expects a result of the input's shape");
  llvm::Expected<QuantParams> params = QuantParams::get(
      getElementTypeOrSelf(quantized.getType()), input.shape());
  if (!params)
    return op->emitOpError(toStorage ? "result: " : "input: ")
           << llvm::toString(params.takeError());
  return toStorage ? params->quantize(input) : params->dequantize(input);
}

static FailureOr<Tensor> run(QuantizeOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  const Tensor &input = env.get(op.getInput());
  if (!input.isFloat())
    return op.emitOpError("expects an f32 input, got ")
           << op.getInput().getType();
  return convertAtBoundary(op, op.getOutput(), input);
}

static FailureOr<Tensor> run(DequantizeOp op, TensorEnvironment &env,
                             const PreparedKernels &) {
  const Tensor &input = env.get(op.getInput());
  std::optional<ElementKind> storage =
      elementKindOf(getElementTypeOrSelf(op.getInput().getType()));
  if (!storage || input.isFloat() || *storage != input.kind())
    return op.emitOpError("expects quantized storage values, got ")
           << stringifyElementKind(input.kind()) << " values";
  if (!getElementTypeOrSelf(op.getOutput().getType()).isF32())
    return op.emitOpError("expects an f32 result, got ")
           << op.getOutput().getType();
  return convertAtBoundary(op, op.getInput(), input);
}

//===----------------------------------------------------------------------===//
// Preparation and the external models
//===----------------------------------------------------------------------===//

namespace {
/// InferenceOpInterface of pico op OpT: the standalone activations share
/// one implementation, every other op runs its own adapter above.
template <typename OpT>
struct InferenceModel
    : InferenceOpInterface::ExternalModel<InferenceModel<OpT>, OpT> {
  FailureOr<PreparedParams> prepare(Operation *op) const {
    if (!hasQuantizedValues(op))
      return PreparedParams();
    return getQuantizedConstants(op);
  }

  LogicalResult inference(Operation *op, TensorEnvironment &env,
                          const PreparedKernels &prepared) const {
    // Ops with no integer constants compute in f32, but for those that
    // only move, convert or hold values of any kind.
    if (!movesValuesOnly(op) &&
        std::holds_alternative<std::monostate>(prepared.lookup(op)) &&
        failed(requireF32(op, env)))
      return failure();
    FailureOr<Tensor> result;
    if constexpr (OpT::template hasTrait<ActivationOpInterface::Trait>())
      result = runActivation(op, env, prepared);
    else
      result = run(cast<OpT>(op), env, prepared);
    if (failed(result))
      return failure();
    env.set(op->getResult(0), std::move(*result));
    return success();
  }
};
} // namespace

/// Attaches InferenceModel to every op of `Ops` but terminators.
template <typename... Ops> static void attachInferenceModels(MLIRContext *ctx) {
  (
      [&] {
        if constexpr (!Ops::template hasTrait<mlir::OpTrait::IsTerminator>())
          Ops::template attachInterface<InferenceModel<Ops>>(*ctx);
      }(),
      ...);
}

void picosam::registerInferenceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, PicoDialect *) {
    attachInferenceModels<
#define GET_OP_LIST
#include "Pico/PicoOps.cpp.inc"
        >(ctx);
  });
}

LogicalResult picosam::requireInference(Operation *op) {
  // The promise is asked about first: with assertions on, asking an op for
  // an interface still promised is a fatal error.
  Dialect *dialect = op->getDialect();
  if (dialect && dialect->hasPromisedInterface(
                     op->getName().getTypeID(),
                     InferenceOpInterface::getInterfaceID()))
    return op->emitOpError("cannot execute: picosam's inference models are "
                           "not registered (the tool must call "
                           "picosam::registerInferenceExternalModels)");
  if (isa<InferenceOpInterface>(op))
    return success();
  return op->emitOpError("has no reference implementation; picosam-run "
                         "executes pico ops");
}

FailureOr<PreparedKernels> PreparedKernels::prepare(Operation *root) {
  PreparedKernels prepared;
  WalkResult walk = root->walk([&](InferenceOpInterface op) {
    FailureOr<PreparedParams> params = op.prepare();
    if (failed(params))
      return WalkResult::interrupt();
    if (!std::holds_alternative<std::monostate>(*params))
      prepared.params[op] = std::move(*params);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return prepared;
}

const PreparedParams &PreparedKernels::lookup(Operation *op) const {
  static const PreparedParams none;
  auto it = params.find(op);
  return it == params.end() ? none : it->second;
}
