//===- GraphImporter.h - state of one ONNX graph import ---------*- C++ -*-===//
//
// Private to lib/Import. The importer walks the graph's nodes in order (ONNX
// graphs are topologically sorted) and converts each one with the converter
// registered for its op type. A tensor name stands for an SSA value, a
// constant known at import time, or both: constants (initializers, Constant
// nodes, folded sub-graphs) become `pico.constant` ops only when an op
// consumes them, so shape arithmetic that is folded away leaves nothing
// behind.
//
// Converters return an llvm::Error holding only the reason; the dispatcher
// prefixes the node ("node 'conv1' (Conv): ") and importOnnxModel the file.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_LIB_IMPORT_GRAPHIMPORTER_H
#define PICOSAM_LIB_IMPORT_GRAPHIMPORTER_H

#include "picosam/Import/OnnxImporter.h"
#include "picosam/Kernels/Activation.h"
#include "picosam/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include "picosam/Import/OnnxModel.h"

#include <array>
#include <memory>
#include <string>

namespace picosam {
namespace pico {
enum class ReduceKind : uint32_t;
} // namespace pico
namespace onnx_import {

/// An llvm::Error with `message` (inconvertibleErrorCode).
llvm::Error makeError(const llvm::Twine &message);

/// "unsupported value '<value>' for attribute '<attribute>' (supported:
/// <supported>)".
llvm::Error unsupportedValue(llvm::StringRef attribute, const llvm::Twine &value,
                             llvm::StringRef supported);

/// An MLIR type as printed ("f32", "tensor<1x3xf32>").
std::string formatType(mlir::Type type);

/// Integers as "[a, b, ...]".
std::string formatInts(llvm::ArrayRef<int64_t> values);

/// The ONNX name of a TensorProto data type ("FLOAT", "INT64", ...).
std::string dataTypeName(int32_t dataType);

/// The element type an ONNX data type maps to (ui8 for UINT8, i1 for BOOL,
/// signless for signed integers), or null for types picosam cannot hold at
/// all (strings, complex numbers).
mlir::Type getElementType(mlir::MLIRContext *context, int32_t dataType);

/// Whether tensors of `type` may appear in the imported IR: the element
/// kinds the interpreter holds (f32, i8, ui8, i16, i32, i64, i1; it
/// computes on f32 only) and quantized types. Other types (f64, f16, ...) may only occur in constants
/// that are folded away.
bool isIRElementType(mlir::Type type);

/// The integer type a quantized type stores its values in (signless for
/// signed storage, as getElementType maps ONNX's INT8); other types as they
/// are.
mlir::Type getStorageElementType(mlir::Type type);

/// Collects the diagnostics MLIR emits while it lives (op shape inference,
/// type verification) so they can be reported as the importer's error.
class DiagnosticCapture {
public:
  /// `withLocations` prefixes each message with its op's name ("at
  /// 'conv1': "), for diagnostics that are not about the current node.
  explicit DiagnosticCapture(mlir::MLIRContext *context, bool withLocations = false);
  /// The captured messages, "; "-separated.
  const std::string &messages() const { return text; }

private:
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

/// One node's attributes. Remembers which ones a converter read, so an
/// attribute the importer does not understand is reported rather than
/// silently ignored, and records the first attribute of the wrong kind
/// (getters then return the default) for the dispatcher to report.
class NodeAttributes {
public:
  explicit NodeAttributes(const onnx::NodeProto &node) : node(node) {}

  int64_t getInt(llvm::StringRef name, int64_t defaultValue);
  float getFloat(llvm::StringRef name, float defaultValue);
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue);
  llvm::SmallVector<int64_t, 4> getInts(llvm::StringRef name,
                                        llvm::ArrayRef<int64_t> defaultValue);
  /// The FLOATS attribute `name`, or empty when absent.
  llvm::SmallVector<float, 4> getFloats(llvm::StringRef name);
  /// The TENSOR attribute `name`, or null when absent.
  const onnx::TensorProto *getTensor(llvm::StringRef name);
  bool has(llvm::StringRef name) const;
  /// Accepts `name` although it does not change the imported op (for
  /// example MaxPool's storage_order without an Indices output).
  void ignore(llvm::StringRef name) { used.insert(name); }

  /// The first attribute no getter looked at, or null.
  const onnx::AttributeProto *firstUnused() const;
  /// The error of the first ill-typed attribute, or success.
  llvm::Error takeError();

private:
  const onnx::AttributeProto *lookup(llvm::StringRef name,
                                     onnx::AttributeProto::AttributeType type);

  const onnx::NodeProto &node;
  llvm::StringSet<> used;
  std::string error;
};

/// The quantization parameters QuantizeLinear and DequantizeLinear read:
/// the scale (input 1) and the zero point (input 2, null when not given).
struct QuantizationInputs {
  mlir::DenseElementsAttr scale, zeroPoint;
};

/// What an ONNX tensor name stands for.
struct ImportedTensor {
  /// The SSA value; null for a constant no op has consumed yet.
  mlir::Value value;
  /// The value when known at import time (initializers, Constant nodes,
  /// folded results); null otherwise.
  mlir::DenseElementsAttr constant;
  /// Where a materialized `constant` is located: its initializer's or its
  /// producing node's name.
  mlir::LocationAttr constantLoc;
};

class GraphImporter;
struct Window;
struct PoolWindow;
using ConvertFn = llvm::Error (GraphImporter::*)(NodeAttributes &);

/// How one ONNX op type is imported.
struct OpConverter {
  /// The first opset whose definition of the op the converter implements
  /// (the op is unchanged, for what the converter reads, from there to 20).
  int64_t sinceOpset;
  ConvertFn convert;
};

/// Every supported op type, by name.
const llvm::StringMap<OpConverter> &getOpConverters();
/// The supported op types of the mct_quantizers domain (MctqOps.cpp).
const llvm::StringMap<ConvertFn> &getMctqConverters();

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext *context, llvm::StringRef modelPath,
                const onnx::ModelProto &model,
                const OnnxImportOptions &options);

  /// Builds `module` (must be empty). Errors carry no file prefix.
  llvm::Error importInto(mlir::ModuleOp module);

  //===--------------------------------------------------------------------===//
  // Converters (ImportOps.cpp: ops that become pico ops; FoldOps.cpp: ops
  // folded on constants at import time).
  //===--------------------------------------------------------------------===//
  llvm::Error convertAdd(NodeAttributes &attrs);
  llvm::Error convertSub(NodeAttributes &attrs);
  llvm::Error convertMul(NodeAttributes &attrs);
  llvm::Error convertDiv(NodeAttributes &attrs);
  llvm::Error convertRelu(NodeAttributes &attrs);
  llvm::Error convertSigmoid(NodeAttributes &attrs);
  llvm::Error convertTanh(NodeAttributes &attrs);
  llvm::Error convertHardSwish(NodeAttributes &attrs);
  llvm::Error convertLeakyRelu(NodeAttributes &attrs);
  llvm::Error convertHardSigmoid(NodeAttributes &attrs);
  llvm::Error convertClip(NodeAttributes &attrs);
  llvm::Error convertConv(NodeAttributes &attrs);
  llvm::Error convertBatchNormalization(NodeAttributes &attrs);
  llvm::Error convertGlobalAveragePool(NodeAttributes &attrs);
  llvm::Error convertAveragePool(NodeAttributes &attrs);
  llvm::Error convertMaxPool(NodeAttributes &attrs);
  llvm::Error convertResize(NodeAttributes &attrs);
  llvm::Error convertUpsample(NodeAttributes &attrs);
  llvm::Error convertConcat(NodeAttributes &attrs);
  llvm::Error convertReshape(NodeAttributes &attrs);
  llvm::Error convertFlatten(NodeAttributes &attrs);
  llvm::Error convertSqueeze(NodeAttributes &attrs);
  llvm::Error convertUnsqueeze(NodeAttributes &attrs);
  llvm::Error convertTranspose(NodeAttributes &attrs);
  llvm::Error convertGemm(NodeAttributes &attrs);
  llvm::Error convertMatMul(NodeAttributes &attrs);
  llvm::Error convertSoftmax(NodeAttributes &attrs);
  llvm::Error convertIdentity(NodeAttributes &attrs);
  llvm::Error convertDropout(NodeAttributes &attrs);
  llvm::Error convertConstant(NodeAttributes &attrs);
  llvm::Error convertQuantizeLinear(NodeAttributes &attrs);
  llvm::Error convertDequantizeLinear(NodeAttributes &attrs);

  // mct_quantizers (MctqOps.cpp): the quantizers of an MCTQ model become
  // identities; their thresholds are collected for the module's
  // pico.calibration and pico.weight_thresholds attributes.
  llvm::Error convertActivationPOTQuantizer(NodeAttributes &attrs);
  llvm::Error convertWeightsSymmetricQuantizer(NodeAttributes &attrs);
  llvm::Error convertWeightsPOTQuantizer(NodeAttributes &attrs);

  llvm::Error convertShape(NodeAttributes &attrs);
  llvm::Error convertGather(NodeAttributes &attrs);
  llvm::Error convertSlice(NodeAttributes &attrs);
  llvm::Error convertCast(NodeAttributes &attrs);
  llvm::Error convertConstantOfShape(NodeAttributes &attrs);
  llvm::Error convertFloor(NodeAttributes &attrs);
  llvm::Error convertCeil(NodeAttributes &attrs);

  // Structural ops on activations (StructuralOps.cpp).
  llvm::Error convertPad(NodeAttributes &attrs);
  llvm::Error convertSplit(NodeAttributes &attrs);

  // Transposed convolution (ConvTransposeOps.cpp).
  llvm::Error convertConvTranspose(NodeAttributes &attrs);
  llvm::Error convertTile(NodeAttributes &attrs);
  llvm::Error convertExpand(NodeAttributes &attrs);
  /// Input 0, viewed as `shape` (its own with leading 1s added), repeated
  /// repeats[axis] times along each axis: folded for a constant, else one
  /// pico.concat of copies per repeated axis.
  llvm::Error repeatInput(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> repeats);
  /// `copies` (>= 1) copies of `value` concatenated along `axis`.
  llvm::Expected<mlir::Value> concatCopies(mlir::Location loc, mlir::Value value, int64_t axis,
                                           int64_t copies);

  // Reductions (ReduceOps.cpp).
  llvm::Error convertReduce(NodeAttributes &attrs, pico::ReduceKind kind);
  llvm::Error convertReduceMean(NodeAttributes &attrs);
  llvm::Error convertReduceSum(NodeAttributes &attrs);
  llvm::Error convertReduceMax(NodeAttributes &attrs);
  // PRelu (MathOps.cpp).
  llvm::Error convertPRelu(NodeAttributes &attrs);
  // Element-wise math, Max/Min/Sum, comparisons and Where (MathOps.cpp).
  llvm::Error convertAbs(NodeAttributes &attrs);
  llvm::Error convertNeg(NodeAttributes &attrs);
  llvm::Error convertExp(NodeAttributes &attrs);
  llvm::Error convertSqrt(NodeAttributes &attrs);
  llvm::Error convertPow(NodeAttributes &attrs);
  llvm::Error convertElu(NodeAttributes &attrs);
  llvm::Error convertSelu(NodeAttributes &attrs);
  llvm::Error convertSoftplus(NodeAttributes &attrs);
  llvm::Error convertMax(NodeAttributes &attrs);
  llvm::Error convertMin(NodeAttributes &attrs);
  llvm::Error convertSum(NodeAttributes &attrs);
  llvm::Error convertEqual(NodeAttributes &attrs);
  llvm::Error convertGreater(NodeAttributes &attrs);
  llvm::Error convertLess(NodeAttributes &attrs);
  llvm::Error convertWhere(NodeAttributes &attrs);
  llvm::Error convertLogSoftmax(NodeAttributes &attrs);
  llvm::Error convertInstanceNormalization(NodeAttributes &attrs);

private:
  //===--------------------------------------------------------------------===//
  // Graph level
  //===--------------------------------------------------------------------===//
  llvm::Error importInitializers();
  llvm::Error importGraphInputs(mlir::Block &body);
  llvm::Error importNode(const onnx::NodeProto &node, int index);
  llvm::Error importGraphOutputs(mlir::func::FuncOp function);
  /// The static shape of graph input `input`, from --input-shape or the
  /// model.
  llvm::Expected<llvm::SmallVector<int64_t, 4>>
  getGraphInputShape(const onnx::ValueInfoProto &input);

  /// A TensorProto's value (raw, typed or external data).
  llvm::Expected<mlir::DenseElementsAttr>
  readTensor(const onnx::TensorProto &tensor);
  /// The bytes of an external-data tensor, from its file next to the model.
  llvm::Expected<llvm::StringRef>
  readExternalData(const onnx::TensorProto &tensor);

  //===--------------------------------------------------------------------===//
  // The node being converted
  //===--------------------------------------------------------------------===//
  const onnx::NodeProto &node() const { return *currentNode; }
  /// The node's location: NameLoc(node name, model file).
  mlir::Location nodeLoc() const { return currentLoc; }
  /// The location of an op the node expands to besides the one producing
  /// its output: "<node name>/<role>".
  mlir::Location auxLoc(llvm::StringRef role) const;
  mlir::Location namedLoc(llvm::StringRef name) const;

  /// Whether input `index` is given (present and not the empty name).
  bool hasInput(int index) const;
  /// Input `index` as an SSA value; constants are materialized.
  llvm::Expected<mlir::Value> getInput(int index);
  /// Inputs 0 to values.size() - 1 as SSA values, in order; those from
  /// `numRequired` on are optional and stay null when the node leaves them
  /// out. Fails with the first input getInput rejects.
  llvm::Error getInputs(llvm::MutableArrayRef<mlir::Value> values, int numRequired);
  /// The same for a fixed count, so a converter can name its operands:
  ///   Expected<std::array<Value, 3>> inputs = getInputs<3>(/*numRequired=*/2);
  ///   ...
  ///   auto [input, weight, bias] = *inputs;
  template <size_t N>
  llvm::Expected<std::array<mlir::Value, N>> getInputs(int numRequired = N) {
    std::array<mlir::Value, N> values;
    if (llvm::Error err = getInputs(values, numRequired))
      return std::move(err);
    return values;
  }
  /// Input `index` if it is a constant, else null.
  mlir::DenseElementsAttr getConstantInput(int index);
  /// What a constant input is to its node, which says in the error for a
  /// computed one which feature picosam lacks: the tensor a node folded at
  /// import computes on ("Gather on activations is not supported"), or a
  /// parameter picosam needs the value of ("Clip with a computed 'min' is
  /// not supported").
  enum class ConstantUse { Data, Parameter };
  /// Input `index`, which must be a constant because picosam needs its
  /// value at import time; `role` names it in the error.
  llvm::Expected<mlir::DenseElementsAttr>
  requireConstantInput(int index, llvm::StringRef role,
                       ConstantUse use = ConstantUse::Parameter);
  /// The error for input `index` (`role`), computed by the graph where
  /// picosam needs a constant.
  llvm::Error makeNotConstantError(int index, llvm::StringRef role,
                                   ConstantUse use);
  /// Input `index`, which must be an integer constant (shapes, axes,
  /// indices), widened to int64.
  llvm::Expected<std::vector<int64_t>> requireIntConstantInput(int index,
                                                               llvm::StringRef role);
  /// Input `index` like requireConstantInput, but optional: null when the
  /// node leaves it out.
  llvm::Expected<mlir::DenseElementsAttr> getOptionalConstantInput(int index,
                                                                   llvm::StringRef role);
  /// Input `index` like requireIntConstantInput, but optional:
  /// `defaultValue` when the node leaves it out.
  llvm::Expected<std::vector<int64_t>>
  getOptionalIntConstantInput(int index, llvm::StringRef role,
                              llvm::ArrayRef<int64_t> defaultValue);
  /// Inputs 1 and 2 of QuantizeLinear/DequantizeLinear, which must be
  /// constants: "<tensor>_scale" and "<tensor>_zero_point" in errors.
  llvm::Expected<QuantizationInputs> getQuantizationInputs(llvm::StringRef tensor);
  /// Input `index`'s type (value or constant).
  llvm::Expected<mlir::RankedTensorType> getInputType(int index);
  /// Whether every given input is a constant.
  bool allInputsConstant();

  /// Whether output `index` is requested (present and not the empty name).
  bool hasOutput(int index) const;
  /// Defines output `index` of the node (ignored when the node leaves it
  /// unnamed).
  llvm::Error setOutput(int index, mlir::Value value);
  /// Defines output `index` as the op `value` holds, or passes on the error
  /// of creating it: `return setOutput(0, createInferred<...>(...));`.
  llvm::Error setOutput(int index, llvm::Expected<mlir::Value> value);
  llvm::Error setConstantOutput(int index, mlir::DenseElementsAttr value);
  /// Fails unless a constant of `shape` may be computed at import
  /// (OnnxImportOptions::maxFoldElements); call before computing it.
  llvm::Error checkFoldedShape(llvm::ArrayRef<int64_t> shape);
  /// Makes output `index` another name for input `inputIndex`.
  llvm::Error aliasOutput(int index, int inputIndex);
  /// Fails when the node asks for outputs past the first `count`.
  llvm::Error checkOutputCount(int count, llvm::StringRef whatTheyAre);

  /// What the tensor `name` stands for; an error names it as an input
  /// that is not defined.
  llvm::Expected<ImportedTensor *> lookupTensor(llvm::StringRef name);
  /// The SSA value of a tensor, materializing a constant on first use.
  llvm::Expected<mlir::Value> getValue(llvm::StringRef name);
  llvm::Error defineTensor(llvm::StringRef name, ImportedTensor tensor);

  /// Creates `OpTy` from `args`, its operands and attributes as its builders
  /// take them, with the result type it infers (InferTypeOpInterface), as
  /// `OpTy::create(builder, loc, args...)` does; but when the operands and
  /// attributes give no type, no op is created and the op's diagnostics
  /// become the returned error (ODS's inferring builders abort).
  template <typename OpTy, typename... Args>
  llvm::Expected<mlir::Value> createInferred(mlir::Location loc, Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(builder, state, /*output=*/mlir::Type(), std::forward<Args>(args)...);
    state.types.clear();
    DiagnosticCapture diagnostics(context);
    if (mlir::failed(OpTy::inferReturnTypes(context, loc, state.operands,
                                            state.attributes.getDictionary(context),
                                            state.getRawProperties(), state.regions,
                                            state.types)))
      return makeError(diagnostics.messages());
    return builder.create(state)->getResult(0);
  }
  /// Creates `OpTy` with result type `type`, for ops whose type the model
  /// gives (Reshape, Resize: the shape; QuantizeLinear: the scales), and
  /// verifies it; the op's diagnostics become the returned error.
  template <typename OpTy, typename... Args>
  llvm::Expected<mlir::Value> createWithType(mlir::Location loc, mlir::RankedTensorType type,
                                             Args &&...args) {
    auto op = OpTy::create(builder, loc, type, std::forward<Args>(args)...);
    if (llvm::Error err = verifyCreatedOp(op))
      return std::move(err);
    return op->getResult(0);
  }
  /// Verifies an op just created (not its regions); erases it and returns
  /// its diagnostics when it is invalid.
  llvm::Error verifyCreatedOp(mlir::Operation *op);

  /// Converts a node into one pico op of input 0 and `args`.
  template <typename OpTy, typename... Args>
  llvm::Error convertUnary(Args &&...args) {
    llvm::Expected<mlir::Value> input = getInput(0);
    if (!input)
      return input.takeError();
    return setOutput(0, createInferred<OpTy>(nodeLoc(), *input, std::forward<Args>(args)...));
  }
  /// Converts Add/Sub/Mul/Div: folded on constants, a pico op otherwise.
  template <typename OpTy>
  llvm::Error convertBinary(NodeAttributes &attrs,
                            bool (*foldInt)(int64_t, int64_t, int64_t &),
                            double (*foldFloat)(double, double));
  /// Before opset 7, Add/Sub/Mul/Div/Pow broadcast B to A's shape only with
  /// `broadcast` set; fails unless numpy broadcasting gives the same result.
  llvm::Error checkLegacyBroadcast(NodeAttributes &attrs, llvm::ArrayRef<int64_t> lhsShape,
                                   llvm::ArrayRef<int64_t> rhsShape);
  /// Emits pico.reshape of input 0 to `shape` (folded for constants).
  llvm::Error reshapeInputTo(llvm::ArrayRef<int64_t> shape);
  /// AveragePool, MaxPool: input 0 and the window (`kernel_shape`,
  /// `ceil_mode` and the attributes Conv has too).
  llvm::Expected<PoolWindow> readPoolWindow(NodeAttributes &attrs);
  /// Reshape, Flatten, Squeeze, Unsqueeze: reshapeInputTo the shape
  /// `shapeFor` gives for input 0's.
  llvm::Error reshapeInput(
      llvm::function_ref<llvm::Expected<llvm::SmallVector<int64_t, 4>>(
          llvm::ArrayRef<int64_t>)>
          shapeFor);
  /// Folds Floor/Ceil.
  llvm::Error convertRounding(double (*round)(double));
  /// Softmax and LogSoftmax (`log`), with their pre-13 axis semantics.
  llvm::Error convertSoftmaxOf(NodeAttributes &attrs, bool log);
  /// Converts a unary math node into `OpTy` of input 0 and `args`, whose
  /// function is `function`; folded (in f32) on a constant.
  template <typename OpTy, typename... Args>
  llvm::Error convertMath(kernels::Activation function, Args &&...args);
  /// Max, Min, Sum: folded on constants, else a left-to-right chain of
  /// binary `OpTy`.
  template <typename OpTy>
  llvm::Error convertVariadic(bool (*foldInt)(int64_t, int64_t, int64_t &),
                              double (*foldFloat)(double, double));
  /// Equal, Greater, Less on constants: a bool constant.
  llvm::Error convertComparison(bool (*compare)(double, double),
                                bool (*compareInt)(int64_t, int64_t));
  /// WeightsSymmetricQuantizer and WeightsPOTQuantizer (`powerOfTwo`).
  llvm::Error convertWeightsQuantizer(NodeAttributes &attrs, bool powerOfTwo);
  /// Sets the module attributes of the quantizers' thresholds, after every
  /// node is imported: each quantized weight must be a Conv's.
  llvm::Error attachImportedQuantization(mlir::ModuleOp module);

  mlir::MLIRContext *context;
  mlir::OpBuilder builder;
  std::string modelPath;
  mlir::Location fileLoc;
  const onnx::ModelProto &model;
  const OnnxImportOptions &options;
  int64_t opset = 0;

  llvm::StringMap<ImportedTensor> tensors;
  /// External data files by path, read once.
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> externalFiles;

  /// An ActivationPOTQuantizer's threshold, by the value it quantizes.
  struct ActivationThreshold {
    float threshold;
    bool isSigned;
    std::string node;
  };
  llvm::MapVector<mlir::Value, ActivationThreshold> activationThresholds;
  /// A weight quantizer's thresholds, one per output channel, by its output
  /// tensor's name.
  llvm::StringMap<std::vector<float>> weightThresholds;

  const onnx::NodeProto *currentNode = nullptr;
  std::string currentName;
  mlir::Location currentLoc;
};

} // namespace onnx_import
} // namespace picosam

#endif // PICOSAM_LIB_IMPORT_GRAPHIMPORTER_H
