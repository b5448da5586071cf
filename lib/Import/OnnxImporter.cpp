//===- OnnxImporter.cpp - ONNX model -> pico IR ---------------------------===//
//
// Model loading (protobuf, external data), graph inputs and outputs, the
// tensor-name map and the per-node dispatch. The converters live in
// ImportOps.cpp (ops that become pico ops) and FoldOps.cpp (ops evaluated on
// constants).
//
//===----------------------------------------------------------------------===//
#include "picosam/Import/OnnxImporter.h"
#include "picosam/Import/OnnxModel.h"
#include "Folding.h"
#include "GraphImporter.h"

#include "Pico/PicoOps.h"
#include "Pico/QuantizedArithmetic.h"
#include "Pico/ShapeUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <climits>

using namespace mlir;
using namespace picosam;
using namespace picosam::onnx_import;
using llvm::Error;
using llvm::Expected;

/// The newest opset whose operator definitions the converters follow.
static constexpr int64_t kMaxOpset = 20;

//===----------------------------------------------------------------------===//
// Small utilities
//===----------------------------------------------------------------------===//

Error onnx_import::makeError(const Twine &message) {
  return llvm::make_error<llvm::StringError>(message, llvm::inconvertibleErrorCode());
}

Error onnx_import::unsupportedValue(StringRef attribute, const Twine &value,
                                   StringRef supported) {
  return makeError("unsupported value '" + value + "' for attribute '" + attribute +
                   "' (supported: " + supported + ")");
}

/// `prefix` followed by `err`'s message.
static Error prefixError(const Twine &prefix, Error err) {
  return makeError(prefix + llvm::toString(std::move(err)));
}

std::string onnx_import::formatType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

std::string onnx_import::formatInts(ArrayRef<int64_t> values) {
  return "[" + llvm::join(llvm::map_range(values, [](int64_t v) { return std::to_string(v); }),
                          ", ") +
         "]";
}

std::string onnx_import::dataTypeName(int32_t dataType) {
  if (!onnx::TensorProto_DataType_IsValid(dataType))
    return "data type " + std::to_string(dataType);
  return onnx::TensorProto_DataType_Name(
      static_cast<onnx::TensorProto_DataType>(dataType));
}

Type onnx_import::getElementType(MLIRContext *context, int32_t dataType) {
  auto signless = [&](unsigned width) { return IntegerType::get(context, width); };
  auto unsignedInt = [&](unsigned width) {
    return IntegerType::get(context, width, IntegerType::Unsigned);
  };
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(context);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(context);
  case onnx::TensorProto::FLOAT16:
    return Float16Type::get(context);
  case onnx::TensorProto::BFLOAT16:
    return BFloat16Type::get(context);
  case onnx::TensorProto::BOOL:
    return signless(1);
  case onnx::TensorProto::INT8:
    return signless(8);
  case onnx::TensorProto::INT16:
    return signless(16);
  case onnx::TensorProto::INT32:
    return signless(32);
  case onnx::TensorProto::INT64:
    return signless(64);
  case onnx::TensorProto::UINT8:
    return unsignedInt(8);
  case onnx::TensorProto::UINT16:
    return unsignedInt(16);
  case onnx::TensorProto::UINT32:
    return unsignedInt(32);
  case onnx::TensorProto::UINT64:
    return unsignedInt(64);
  default:
    return nullptr;
  }
}

bool onnx_import::isIRElementType(Type type) {
  if (isa<quant::QuantizedType>(type) || type.isF32())
    return true;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return false;
  if (intType.isUnsigned())
    return intType.getWidth() == 8;
  return intType.isSignless() && llvm::is_contained({1u, 8u, 16u, 32u, 64u},
                                                    intType.getWidth());
}

Type onnx_import::getStorageElementType(Type type) {
  auto quantized = dyn_cast<quant::QuantizedType>(type);
  if (!quantized)
    return type;
  return IntegerType::get(type.getContext(), quantized.getStorageTypeIntegralWidth(),
                          quantized.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
}

/// What picosam does with the element types the IR can hold, for messages
/// about a tensor of another type (findUncomputableElementType refuses an
/// op computing on an integer type).
static constexpr const char *kIRElementTypes =
    "picosam computes on FLOAT tensors (and on INT8 and UINT8 ones "
    "quantized by QuantizeLinear/DequantizeLinear), and holds INT8, UINT8, "
    "INT16, INT32, INT64 and BOOL tensors only to reshape, transpose or "
    "concatenate them and in the shape code it folds";

DiagnosticCapture::DiagnosticCapture(MLIRContext *context, bool withLocations)
    : handler(context, [this, withLocations](Diagnostic &diag) {
        if (!text.empty())
          text += "; ";
        auto name = dyn_cast<NameLoc>(diag.getLocation());
        if (withLocations && name)
          text += "at '" + name.getName().str() + "': ";
        text += diag.str();
        return success();
      }) {}

//===----------------------------------------------------------------------===//
// NodeAttributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *
NodeAttributes::lookup(StringRef name, onnx::AttributeProto::AttributeType type) {
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.name() != name)
      continue;
    used.insert(name);
    if (attr.type() == type)
      return &attr;
    if (error.empty())
      error = ("attribute '" + name + "' must be " +
               onnx::AttributeProto_AttributeType_Name(type) + ", got " +
               onnx::AttributeProto_AttributeType_Name(attr.type()))
                  .str();
    return nullptr;
  }
  return nullptr;
}

int64_t NodeAttributes::getInt(StringRef name, int64_t defaultValue) {
  const onnx::AttributeProto *attr = lookup(name, onnx::AttributeProto::INT);
  return attr ? attr->i() : defaultValue;
}

float NodeAttributes::getFloat(StringRef name, float defaultValue) {
  const onnx::AttributeProto *attr = lookup(name, onnx::AttributeProto::FLOAT);
  return attr ? attr->f() : defaultValue;
}

std::string NodeAttributes::getString(StringRef name, StringRef defaultValue) {
  const onnx::AttributeProto *attr = lookup(name, onnx::AttributeProto::STRING);
  return attr ? attr->s() : defaultValue.str();
}

SmallVector<int64_t, 4> NodeAttributes::getInts(StringRef name,
                                                ArrayRef<int64_t> defaultValue) {
  const onnx::AttributeProto *attr = lookup(name, onnx::AttributeProto::INTS);
  if (!attr)
    return SmallVector<int64_t, 4>(defaultValue);
  return SmallVector<int64_t, 4>(attr->ints().begin(), attr->ints().end());
}

SmallVector<float, 4> NodeAttributes::getFloats(StringRef name) {
  const onnx::AttributeProto *attr = lookup(name, onnx::AttributeProto::FLOATS);
  if (!attr)
    return {};
  return SmallVector<float, 4>(attr->floats().begin(), attr->floats().end());
}

const onnx::TensorProto *NodeAttributes::getTensor(StringRef name) {
  const onnx::AttributeProto *attr = lookup(name, onnx::AttributeProto::TENSOR);
  return attr ? &attr->t() : nullptr;
}

bool NodeAttributes::has(StringRef name) const {
  return llvm::any_of(node.attribute(), [&](const onnx::AttributeProto &attr) {
    return attr.name() == name;
  });
}

const onnx::AttributeProto *NodeAttributes::firstUnused() const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (!used.contains(attr.name()))
      return &attr;
  return nullptr;
}

Error NodeAttributes::takeError() {
  if (error.empty())
    return Error::success();
  return makeError(std::exchange(error, std::string()));
}

//===----------------------------------------------------------------------===//
// Converter table
//===----------------------------------------------------------------------===//

const llvm::StringMap<OpConverter> &onnx_import::getOpConverters() {
  // sinceOpset: the op's definition is the one the converter implements
  // from that opset on (through 20), e.g. Resize has roi/scales/sizes from
  // 11. Converters handle older definitions where they differ only in
  // attributes: Softmax's pre-13 axis semantics, Clip-6's min/max
  // attributes, BatchNormalization-6/7's is_test and spatial, Gemm-6's
  // broadcast, Add/Sub/Mul/Div-6's and Pow-1's broadcast and axis, Max/Min/
  // Sum-6 without broadcasting, Split-2 (its sizes an attribute until 13),
  // Pad-2's pads and value and Slice-1's starts, ends and axes as attributes.
  static const llvm::StringMap<OpConverter> converters = {
      {"Abs", {6, &GraphImporter::convertAbs}},
      {"Add", {6, &GraphImporter::convertAdd}},
      {"AveragePool", {1, &GraphImporter::convertAveragePool}},
      {"BatchNormalization", {6, &GraphImporter::convertBatchNormalization}},
      {"Cast", {6, &GraphImporter::convertCast}},
      {"Ceil", {6, &GraphImporter::convertCeil}},
      {"Clip", {6, &GraphImporter::convertClip}},
      {"Concat", {4, &GraphImporter::convertConcat}},
      {"Constant", {1, &GraphImporter::convertConstant}},
      {"ConstantOfShape", {9, &GraphImporter::convertConstantOfShape}},
      {"Conv", {1, &GraphImporter::convertConv}},
      {"ConvTranspose", {1, &GraphImporter::convertConvTranspose}},
      {"DequantizeLinear", {10, &GraphImporter::convertDequantizeLinear}},
      {"Div", {6, &GraphImporter::convertDiv}},
      {"Dropout", {7, &GraphImporter::convertDropout}},
      {"Elu", {6, &GraphImporter::convertElu}},
      {"Equal", {7, &GraphImporter::convertEqual}},
      {"Exp", {6, &GraphImporter::convertExp}},
      {"Expand", {8, &GraphImporter::convertExpand}},
      {"Flatten", {1, &GraphImporter::convertFlatten}},
      {"Floor", {6, &GraphImporter::convertFloor}},
      {"Gather", {1, &GraphImporter::convertGather}},
      {"Gemm", {6, &GraphImporter::convertGemm}},
      {"GlobalAveragePool", {1, &GraphImporter::convertGlobalAveragePool}},
      {"Greater", {7, &GraphImporter::convertGreater}},
      {"HardSigmoid", {6, &GraphImporter::convertHardSigmoid}},
      {"HardSwish", {14, &GraphImporter::convertHardSwish}},
      {"Identity", {1, &GraphImporter::convertIdentity}},
      {"InstanceNormalization", {6, &GraphImporter::convertInstanceNormalization}},
      {"LeakyRelu", {6, &GraphImporter::convertLeakyRelu}},
      {"Less", {7, &GraphImporter::convertLess}},
      {"LogSoftmax", {1, &GraphImporter::convertLogSoftmax}},
      {"MatMul", {1, &GraphImporter::convertMatMul}},
      {"Max", {6, &GraphImporter::convertMax}},
      {"MaxPool", {1, &GraphImporter::convertMaxPool}},
      {"Min", {6, &GraphImporter::convertMin}},
      {"Mul", {6, &GraphImporter::convertMul}},
      {"Neg", {6, &GraphImporter::convertNeg}},
      {"Pad", {2, &GraphImporter::convertPad}},
      {"Pow", {1, &GraphImporter::convertPow}},
      {"PRelu", {7, &GraphImporter::convertPRelu}},
      {"QuantizeLinear", {10, &GraphImporter::convertQuantizeLinear}},
      {"ReduceMax", {1, &GraphImporter::convertReduceMax}},
      {"ReduceMean", {1, &GraphImporter::convertReduceMean}},
      {"ReduceSum", {1, &GraphImporter::convertReduceSum}},
      {"Relu", {6, &GraphImporter::convertRelu}},
      {"Reshape", {5, &GraphImporter::convertReshape}},
      {"Resize", {11, &GraphImporter::convertResize}},
      {"Selu", {6, &GraphImporter::convertSelu}},
      {"Shape", {1, &GraphImporter::convertShape}},
      {"Sigmoid", {6, &GraphImporter::convertSigmoid}},
      {"Slice", {1, &GraphImporter::convertSlice}},
      {"Softmax", {1, &GraphImporter::convertSoftmax}},
      {"Softplus", {1, &GraphImporter::convertSoftplus}},
      {"Split", {2, &GraphImporter::convertSplit}},
      {"Sqrt", {6, &GraphImporter::convertSqrt}},
      {"Squeeze", {1, &GraphImporter::convertSqueeze}},
      {"Sub", {6, &GraphImporter::convertSub}},
      {"Sum", {6, &GraphImporter::convertSum}},
      {"Tanh", {6, &GraphImporter::convertTanh}},
      {"Tile", {6, &GraphImporter::convertTile}},
      {"Transpose", {1, &GraphImporter::convertTranspose}},
      {"Unsqueeze", {1, &GraphImporter::convertUnsqueeze}},
      {"Upsample", {9, &GraphImporter::convertUpsample}},
      {"Where", {9, &GraphImporter::convertWhere}},
  };
  return converters;
}

std::vector<std::string> picosam::getSupportedOnnxOps() {
  std::vector<std::string> names;
  for (const auto &entry : getOpConverters())
    names.push_back(entry.getKey().str());
  llvm::sort(names);
  return names;
}

//===----------------------------------------------------------------------===//
// GraphImporter: tensors
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext *context, StringRef modelPath,
                             const onnx::ModelProto &model,
                             const OnnxImportOptions &options)
    : context(context), builder(context), modelPath(modelPath.str()),
      fileLoc(FileLineColLoc::get(context, modelPath, 0, 0)), model(model),
      options(options), currentLoc(fileLoc) {}

Location GraphImporter::namedLoc(StringRef name) const {
  return NameLoc::get(StringAttr::get(context, name), fileLoc);
}

Location GraphImporter::auxLoc(StringRef role) const {
  return namedLoc(currentName + "/" + role.str());
}

Expected<StringRef> GraphImporter::readExternalData(const onnx::TensorProto &tensor) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    int64_t *number = entry.key() == "offset"   ? &offset
                      : entry.key() == "length" ? &length
                                                : nullptr;
    if (entry.key() == "location")
      location = entry.value();
    else if (number && (StringRef(entry.value()).getAsInteger(10, *number) || *number < 0))
      return makeError("external data " + entry.key() + " '" + entry.value() +
                       "' is not a non-negative integer");
  }
  if (location.empty())
    return makeError("external data has no location");
  // Like ONNX's checker: data files live in the model's directory tree.
  if (llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         ".."))
    return makeError("external data location '" + location +
                     "' must be a relative path inside the model's directory");

  StringRef directory = llvm::sys::path::parent_path(modelPath);
  SmallString<256> path(directory);
  llvm::sys::path::append(path, location);
  auto cached = externalFiles.find(path);
  if (cached == externalFiles.end()) {
    // Symbolic links must stay inside the directory too, and only regular
    // files are read: a device never ends, a FIFO blocks.
    SmallString<256> realDirectory, realPath;
    if (std::error_code error = llvm::sys::fs::real_path(path, realPath))
      return makeError("cannot read external data file '" + path +
                       "': " + error.message());
    if (std::error_code error = llvm::sys::fs::real_path(
            directory.empty() ? StringRef(".") : directory, realDirectory))
      return makeError("cannot resolve the model's directory '" + directory +
                       "': " + error.message());
    if (!llvm::sys::path::is_separator(realDirectory.back()))
      realDirectory += llvm::sys::path::get_separator();
    if (!StringRef(realPath).starts_with(realDirectory))
      return makeError("external data file '" + path + "' is '" + realPath +
                       "', outside the model's directory");
    llvm::sys::fs::file_status status;
    if (std::error_code error = llvm::sys::fs::status(realPath, status))
      return makeError("cannot read external data file '" + path +
                       "': " + error.message());
    if (!llvm::sys::fs::is_regular_file(status))
      return makeError("external data file '" + path +
                       "' is not a regular file");
    auto file = llvm::MemoryBuffer::getFile(realPath, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
    if (!file)
      return makeError("cannot read external data file '" + path +
                       "': " + file.getError().message());
    cached = externalFiles.try_emplace(path, std::move(*file)).first;
  }
  StringRef bytes = cached->second->getBuffer();
  int64_t size = static_cast<int64_t>(bytes.size());
  if (offset > size)
    return makeError("external data file '" + path + "' holds " + Twine(size) +
                     " bytes, but the tensor starts at offset " +
                     Twine(offset));
  if (length < 0)
    length = size - offset;
  if (length > size - offset)
    return makeError("external data file '" + path + "' holds " + Twine(size) +
                     " bytes, but the tensor reads " + Twine(length) +
                     " bytes at offset " + Twine(offset));
  return bytes.substr(offset, length);
}

Expected<DenseElementsAttr> GraphImporter::readTensor(const onnx::TensorProto &tensor) {
  Type elementType = getElementType(context, tensor.data_type());
  if (!elementType)
    return makeError("element type " + dataTypeName(tensor.data_type()) +
                     " is not supported");
  SmallVector<int64_t, 4> shape;
  int64_t count = 1;
  for (int64_t dim : tensor.dims()) {
    // 2^40 elements is far beyond any model picosam targets and keeps the
    // byte counts below from overflowing.
    if (dim < 0 || (dim > 0 && count > (int64_t(1) << 40) / dim))
      return makeError("invalid dimensions " + formatShape(SmallVector<int64_t>(
                                                   tensor.dims().begin(),
                                                   tensor.dims().end())));
    shape.push_back(dim);
    count *= dim;
  }
  auto type = RankedTensorType::get(shape, elementType);
  std::string description =
      formatShape(shape) + " " + dataTypeName(tensor.data_type());

  StringRef raw;
  bool hasRawData = true;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    Expected<StringRef> bytes = readExternalData(tensor);
    if (!bytes)
      return bytes.takeError();
    raw = *bytes;
  } else if (tensor.has_raw_data()) {
    raw = tensor.raw_data();
  } else {
    hasRawData = false;
  }

  if (hasRawData) {
    int64_t elementBytes = (elementType.getIntOrFloatBitWidth() + 7) / 8;
    if (static_cast<int64_t>(raw.size()) != count * elementBytes)
      return makeError("holds " + Twine(raw.size()) + " bytes of data, expected " +
                       Twine(count * elementBytes) + " for " + description);
    if (elementType.isInteger(1)) {
      SmallVector<bool> bits;
      for (char byte : raw)
        bits.push_back(byte != 0);
      return DenseElementsAttr::get(type, bits);
    }
    if (count == 0)
      return DenseElementsAttr::get(type, ArrayRef<Attribute>());
    return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(raw.data(), raw.size()));
  }

  // Typed fields: each data type has its own repeated field, which must
  // hold `count` values.
  auto checkCount = [&](int64_t given) -> Error {
    if (given == count)
      return Error::success();
    return makeError("holds " + Twine(given) + " values, expected " + Twine(count) +
                     " for " + description);
  };
  // A float field holds the elements themselves.
  auto fromFloatField = [&](const auto &field) -> Expected<DenseElementsAttr> {
    if (Error err = checkCount(field.size()))
      return std::move(err);
    return DenseElementsAttr::get(type, llvm::ArrayRef(field.data(), field.size()));
  };
  // An integer field holds them widened to 32 or 64 bits.
  auto fromIntField = [&](const auto &field) -> Expected<DenseElementsAttr> {
    if (Error err = checkCount(field.size()))
      return std::move(err);
    return makeIntConstant(shape, elementType, std::vector<int64_t>(field.begin(), field.end()));
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    return fromFloatField(tensor.float_data());
  case onnx::TensorProto::DOUBLE:
    return fromFloatField(tensor.double_data());
  case onnx::TensorProto::INT64:
    return fromIntField(tensor.int64_data());
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    return fromIntField(tensor.uint64_data());
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    // Stored as the 16-bit patterns in int32_data.
    if (Error err = checkCount(tensor.int32_data_size()))
      return std::move(err);
    const llvm::fltSemantics &semantics = cast<FloatType>(elementType).getFloatSemantics();
    SmallVector<llvm::APFloat> values;
    for (int32_t bits : tensor.int32_data())
      values.emplace_back(semantics, llvm::APInt(16, static_cast<uint16_t>(bits)));
    return DenseElementsAttr::get(type, values);
  }
  default:
    // BOOL, INT8, INT16, INT32, UINT8, UINT16 live in int32_data.
    return fromIntField(tensor.int32_data());
  }
}

Error GraphImporter::defineTensor(StringRef name, ImportedTensor tensor) {
  if (!tensors.try_emplace(name, tensor).second)
    return makeError("tensor '" + name + "' is defined twice");
  return Error::success();
}

Expected<ImportedTensor *> GraphImporter::lookupTensor(StringRef name) {
  auto it = tensors.find(name);
  if (it == tensors.end())
    return makeError("input '" + name +
                     "' is not a graph input, an initializer or an earlier node's "
                     "output");
  return &it->second;
}

Expected<Value> GraphImporter::getValue(StringRef name) {
  Expected<ImportedTensor *> found = lookupTensor(name);
  if (!found)
    return found.takeError();
  ImportedTensor &tensor = **found;
  if (tensor.value)
    return tensor.value;
  Type elementType = tensor.constant.getElementType();
  if (!isIRElementType(elementType))
    return makeError("constant '" + name + "' has element type " +
                     formatType(elementType) + "; " + kIRElementTypes);
  tensor.value = pico::ConstantOp::create(builder, tensor.constantLoc, tensor.constant);
  return tensor.value;
}

//===----------------------------------------------------------------------===//
// GraphImporter: the node being converted
//===----------------------------------------------------------------------===//

bool GraphImporter::hasInput(int index) const {
  return index < node().input_size() && !node().input(index).empty();
}

Expected<Value> GraphImporter::getInput(int index) {
  if (!hasInput(index))
    return makeError("input #" + Twine(index) + " is missing");
  return getValue(node().input(index));
}

Error GraphImporter::getInputs(MutableArrayRef<Value> values, int numRequired) {
  for (int index = 0; index < static_cast<int>(values.size()); ++index) {
    if (index >= numRequired && !hasInput(index))
      continue;
    Expected<Value> input = getInput(index);
    if (!input)
      return input.takeError();
    values[index] = *input;
  }
  return Error::success();
}

DenseElementsAttr GraphImporter::getConstantInput(int index) {
  if (!hasInput(index))
    return nullptr;
  auto it = tensors.find(node().input(index));
  return it == tensors.end() ? nullptr : it->second.constant;
}

Error GraphImporter::makeNotConstantError(int index, StringRef role,
                                          ConstantUse use) {
  std::string input = "input '" + role.str() + "' ('" + node().input(index) + "')";
  if (use == ConstantUse::Data)
    return makeError(node().op_type() + " on activations is not supported: "
                     "picosam folds " + node().op_type() +
                     " at import time (shape code on constants), and " + input +
                     " is computed by the graph");
  return makeError(node().op_type() + " with a computed '" + role +
                   "' is not supported: " + input +
                   " must be a constant known at import time");
}

Expected<DenseElementsAttr> GraphImporter::requireConstantInput(int index,
                                                                StringRef role,
                                                                ConstantUse use) {
  if (!hasInput(index))
    return makeError("input '" + role + "' (#" + Twine(index) + ") is missing");
  StringRef name = node().input(index);
  Expected<ImportedTensor *> tensor = lookupTensor(name);
  if (!tensor)
    return tensor.takeError();
  if (!(*tensor)->constant)
    return makeNotConstantError(index, role, use);
  return (*tensor)->constant;
}

Expected<std::vector<int64_t>> GraphImporter::requireIntConstantInput(int index,
                                                                      StringRef role) {
  Expected<DenseElementsAttr> attr = requireConstantInput(index, role);
  if (!attr)
    return attr.takeError();
  if (!isa<IntegerType>(attr->getElementType()))
    return makeError("input '" + role + "' must be an integer tensor");
  return getIntValues(*attr);
}

Expected<DenseElementsAttr> GraphImporter::getOptionalConstantInput(int index, StringRef role) {
  if (!hasInput(index))
    return nullptr;
  return requireConstantInput(index, role);
}

Expected<std::vector<int64_t>>
GraphImporter::getOptionalIntConstantInput(int index, StringRef role,
                                           ArrayRef<int64_t> defaultValue) {
  if (!hasInput(index))
    return std::vector<int64_t>(defaultValue.begin(), defaultValue.end());
  return requireIntConstantInput(index, role);
}

Expected<RankedTensorType> GraphImporter::getInputType(int index) {
  if (DenseElementsAttr constant = getConstantInput(index))
    return cast<RankedTensorType>(constant.getType());
  Expected<Value> value = getInput(index);
  if (!value)
    return value.takeError();
  return cast<RankedTensorType>(value->getType());
}

bool GraphImporter::allInputsConstant() {
  for (int index = 0; index < node().input_size(); ++index)
    if (hasInput(index) && !getConstantInput(index))
      return false;
  return true;
}

bool GraphImporter::hasOutput(int index) const {
  return index < node().output_size() && !node().output(index).empty();
}

Error GraphImporter::setOutput(int index, Value value) {
  if (!hasOutput(index))
    return Error::success();
  return defineTensor(node().output(index), ImportedTensor{value, nullptr, nullptr});
}

Error GraphImporter::setOutput(int index, Expected<Value> value) {
  if (!value)
    return value.takeError();
  return setOutput(index, *value);
}

Error GraphImporter::setConstantOutput(int index, DenseElementsAttr value) {
  if (!hasOutput(index))
    return Error::success();
  return defineTensor(node().output(index),
                      ImportedTensor{nullptr, value, LocationAttr(currentLoc)});
}

Error GraphImporter::checkFoldedShape(ArrayRef<int64_t> shape) {
  std::optional<int64_t> count = pico::numElements(shape);
  if (count && *count <= options.maxFoldElements)
    return Error::success();
  return makeError("folding makes a constant of shape " + formatShape(shape) +
                   ", more than " + Twine(options.maxFoldElements) +
                   " elements (--max-fold-elements)");
}

Error GraphImporter::aliasOutput(int index, int inputIndex) {
  if (!hasInput(inputIndex))
    return makeError("input #" + Twine(inputIndex) + " is missing");
  Expected<ImportedTensor *> tensor = lookupTensor(node().input(inputIndex));
  if (!tensor)
    return tensor.takeError();
  if (!hasOutput(index))
    return Error::success();
  return defineTensor(node().output(index), **tensor);
}

Error GraphImporter::checkOutputCount(int count, StringRef whatTheyAre) {
  for (int index = count; index < node().output_size(); ++index)
    if (hasOutput(index))
      return makeError("output #" + Twine(index) + " ('" + node().output(index) +
                       "') is not supported: " + whatTheyAre);
  return Error::success();
}

Error GraphImporter::verifyCreatedOp(Operation *op) {
  DiagnosticCapture diagnostics(context);
  if (succeeded(verify(op, /*verifyRecursively=*/false)))
    return Error::success();
  op->erase();
  return makeError(diagnostics.messages());
}

//===----------------------------------------------------------------------===//
// GraphImporter: graph level
//===----------------------------------------------------------------------===//

Error GraphImporter::importInitializers() {
  const onnx::GraphProto &graph = model.graph();
  if (graph.sparse_initializer_size() > 0)
    return makeError("sparse initializer '" + graph.sparse_initializer(0).values().name() +
                     "' is not supported");
  for (const onnx::TensorProto &initializer : graph.initializer()) {
    std::string what = "initializer '" + initializer.name() + "': ";
    Expected<DenseElementsAttr> value = readTensor(initializer);
    if (!value)
      return prefixError(what, value.takeError());
    if (Error err = defineTensor(initializer.name(),
                                 ImportedTensor{nullptr, *value,
                                                namedLoc(initializer.name())}))
      return err;
  }
  return Error::success();
}

Expected<SmallVector<int64_t, 4>>
GraphImporter::getGraphInputShape(const onnx::ValueInfoProto &input) {
  const std::string &name = input.name();
  const onnx::TypeProto::Tensor &tensorType = input.type().tensor_type();
  auto given = options.inputShapes.find(name);
  bool hasGiven = given != options.inputShapes.end();
  if (!tensorType.has_shape()) {
    if (hasGiven)
      return given->second;
    return makeError("graph input '" + name +
                     "' has no shape; give it one with --input-shape=" + name +
                     ":<d0>x<d1>x...");
  }

  // The declared dimensions; -1 for symbolic or unknown ones.
  SmallVector<int64_t, 4> declared;
  for (const onnx::TensorShapeProto::Dimension &dim : tensorType.shape().dim())
    declared.push_back(dim.has_dim_value() && dim.dim_value() >= 0 ? dim.dim_value() : -1);

  if (hasGiven) {
    ArrayRef<int64_t> shape = given->second;
    if (shape.size() != declared.size())
      return makeError("--input-shape gives graph input '" + name + "' rank " +
                       Twine(shape.size()) + ", but the model declares rank " +
                       Twine(declared.size()));
    for (auto [axis, dim] : llvm::enumerate(declared))
      if (dim >= 0 && dim != shape[axis])
        return makeError("--input-shape gives graph input '" + name + "' dimension " +
                         Twine(axis) + " = " + Twine(shape[axis]) +
                         ", but the model fixes it to " + Twine(dim));
    return SmallVector<int64_t, 4>(shape);
  }

  for (auto [axis, dim] : llvm::enumerate(declared)) {
    if (dim >= 0)
      continue;
    const std::string &symbol = tensorType.shape().dim(axis).dim_param();
    SmallVector<int64_t, 4> suggestion;
    for (int64_t d : declared)
      suggestion.push_back(d >= 0 ? d : 1);
    return makeError("graph input '" + name + "' has a dynamic dimension " +
                     Twine(axis) + (symbol.empty() ? "" : " ('" + symbol + "')") +
                     "; give it a fixed shape with --input-shape=" + name + ":" +
                     formatShape(suggestion));
  }
  return declared;
}

Error GraphImporter::importGraphInputs(Block &body) {
  const onnx::GraphProto &graph = model.graph();
  // Before IR version 4, initializers are listed as graph inputs too. (The
  // initializers are the only tensors defined yet: a graph input named twice
  // is defined twice below, not taken for an initializer.)
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &initializer : graph.initializer())
    initializers.insert(initializer.name());
  auto isInitializer = [&](const onnx::ValueInfoProto &input) {
    return initializers.contains(input.name());
  };
  // A misspelt --input-shape name is reported before the shape it failed
  // to fix.
  std::vector<StringRef> inputNames;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!isInitializer(input))
      inputNames.push_back(input.name());
  for (const auto &given : options.inputShapes)
    if (!llvm::is_contained(inputNames, given.getKey()))
      return makeError("--input-shape names '" + given.getKey() +
                       "', which is not a graph input (inputs: " +
                       llvm::join(inputNames, ", ") + ")");

  for (const onnx::ValueInfoProto &input : graph.input()) {
    const std::string &name = input.name();
    if (isInitializer(input))
      continue;
    if (tensors.count(name))
      return makeError("graph input '" + name + "' is listed twice");
    if (!input.type().has_tensor_type())
      return makeError("graph input '" + name +
                       "' is not a tensor (sequence, map and optional inputs are "
                       "not supported)");
    int32_t dataType = input.type().tensor_type().elem_type();
    Type elementType = getElementType(context, dataType);
    if (!elementType || !isIRElementType(elementType))
      return makeError("graph input '" + name + "' has element type " +
                       dataTypeName(dataType) + "; " + kIRElementTypes);
    Expected<SmallVector<int64_t, 4>> shape = getGraphInputShape(input);
    if (!shape)
      return shape.takeError();
    Value argument =
        body.addArgument(RankedTensorType::get(*shape, elementType), namedLoc(name));
    if (Error err = defineTensor(name, ImportedTensor{argument, nullptr, nullptr}))
      return err;
  }
  return Error::success();
}

Error GraphImporter::importNode(const onnx::NodeProto &node, int index) {
  currentNode = &node;
  currentName = node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                                    : node.name();
  currentLoc = namedLoc(currentName);
  bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
  std::string opName = defaultDomain ? node.op_type() : node.domain() + "." + node.op_type();
  std::string prefix = "node '" + currentName + "' (" + opName + "): ";

  ConvertFn convert = nullptr;
  if (node.domain() == kMctQuantizersDomain) {
    const llvm::StringMap<ConvertFn> &quantizers = getMctqConverters();
    auto converter = quantizers.find(node.op_type());
    if (converter == quantizers.end()) {
      std::vector<StringRef> names;
      for (const auto &entry : quantizers)
        names.push_back(entry.getKey());
      llvm::sort(names);
      return makeError(prefix + "unsupported operator; supported in domain " +
                       kMctQuantizersDomain + ": " + llvm::join(names, ", "));
    }
    convert = converter->second;
  } else {
    const llvm::StringMap<OpConverter> &converters = getOpConverters();
    auto converter = defaultDomain ? converters.find(node.op_type()) : converters.end();
    if (converter == converters.end())
      return makeError(prefix + "unsupported operator; supported: " +
                       llvm::join(getSupportedOnnxOps(), ", "));
    if (opset < converter->second.sinceOpset)
      return makeError(prefix + "the opset " + Twine(opset) + " definition of " + opName +
                       " is not supported (picosam implements it from opset " +
                       Twine(converter->second.sinceOpset) + " on)");
    convert = converter->second.convert;
  }

  // The ops the node becomes are appended after this one.
  Block *block = builder.getInsertionBlock();
  Operation *previous = block->empty() ? nullptr : &block->back();
  NodeAttributes attrs(node);
  Error err = (this->*convert)(attrs);
  if (Error attrError = attrs.takeError()) {
    llvm::consumeError(std::move(err));
    return prefixError(prefix, std::move(attrError));
  }
  if (err)
    return prefixError(prefix, std::move(err));
  if (const onnx::AttributeProto *unused = attrs.firstUnused())
    return makeError(prefix + "unsupported attribute '" + unused->name() + "'");
  // What imports runs: an op the interpreter cannot compute on its element
  // types is refused here, not when it runs.
  for (Operation &op : llvm::make_range(
           previous ? std::next(previous->getIterator()) : block->begin(),
           block->end()))
    if (Type type = pico::findUncomputableElementType(&op))
      return makeError(prefix + opName + " on " + formatType(type) +
                       " tensors is not supported: picosam computes it on "
                       "f32 tensors, and on 8-bit ones quantized by "
                       "QuantizeLinear/DequantizeLinear");
  // An output the converter did not define would otherwise vanish silently.
  for (auto [outputIndex, output] : llvm::enumerate(node.output()))
    if (!output.empty() && !tensors.count(output))
      return makeError(prefix + "output #" + Twine(outputIndex) + " ('" +
                       output + "') is not one " + opName + " has");
  return Error::success();
}

Error GraphImporter::importGraphOutputs(func::FuncOp function) {
  const onnx::GraphProto &graph = model.graph();
  if (graph.output_size() == 0)
    return makeError("the graph has no outputs");
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    const std::string &name = output.name();
    if (!tensors.count(name))
      return makeError("graph output '" + name +
                       "' is not a graph input, an initializer or a node's output");
    Expected<Value> value = getValue(name);
    if (!value)
      return prefixError("graph output '" + name + "': ", value.takeError());
    auto type = cast<RankedTensorType>(value->getType());

    // The declared type, where the model gives one, must be what the graph
    // computes (quantized results: their storage type).
    const onnx::TypeProto::Tensor &declared = output.type().tensor_type();
    if (declared.elem_type() != onnx::TensorProto::UNDEFINED &&
        getElementType(context, declared.elem_type()) !=
            getStorageElementType(type.getElementType()))
      return makeError("graph output '" + name + "' is declared " +
                       dataTypeName(declared.elem_type()) + " but computes " +
                       formatType(type.getElementType()));
    if (declared.has_shape()) {
      bool matches = declared.shape().dim_size() == type.getRank();
      SmallVector<std::string> dims;
      for (auto [axis, dim] : llvm::enumerate(declared.shape().dim())) {
        dims.push_back(dim.has_dim_value() ? std::to_string(dim.dim_value()) : "?");
        if (matches && dim.has_dim_value() &&
            dim.dim_value() != type.getDimSize(axis))
          matches = false;
      }
      if (!matches)
        return makeError("graph output '" + name + "' is declared with shape " +
                         (dims.empty() ? "scalar" : llvm::join(dims, "x")) +
                         " but computes " + formatShape(type.getShape()));
    }
    results.push_back(*value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  function.setFunctionType(FunctionType::get(
      context, function.getBody().getArgumentTypes(), TypeRange(results)));
  return Error::success();
}

Error GraphImporter::importInto(ModuleOp module) {
  bool hasDefaultOpset = false;
  for (const onnx::OperatorSetIdProto &opsetId : model.opset_import())
    if (opsetId.domain().empty() || opsetId.domain() == "ai.onnx") {
      opset = opsetId.version();
      hasDefaultOpset = true;
    }
  if (!hasDefaultOpset)
    return makeError("the model imports no opset of the default ONNX domain");
  if (opset > kMaxOpset)
    return makeError("opset " + Twine(opset) + " is not supported (picosam imports up "
                     "to opset " + Twine(kMaxOpset) + ")");

  builder.setInsertionPointToEnd(module.getBody());
  auto function = func::FuncOp::create(builder, fileLoc, "main",
                                       FunctionType::get(context, {}, {}));
  Block *body = function.addEntryBlock();
  if (Error err = importInitializers())
    return err;
  if (Error err = importGraphInputs(*body))
    return err;
  builder.setInsertionPointToEnd(body);
  for (auto [index, node] : llvm::enumerate(model.graph().node()))
    if (Error err = importNode(node, static_cast<int>(index)))
      return err;
  if (Error err = importGraphOutputs(function))
    return err;
  if (Error err = attachImportedQuantization(module))
    return err;

  DiagnosticCapture diagnostics(context, /*withLocations=*/true);
  if (failed(verify(module)))
    return makeError("the imported IR does not verify: " + diagnostics.messages());
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

Error picosam::parseInputShape(StringRef spec, OnnxImportOptions &options) {
  // Split at the last ':' so input names may contain ':' ("input:0").
  auto [name, dims] = spec.rsplit(':');
  if (name.empty() || dims.empty() || dims == spec)
    return makeError("--input-shape=" + spec + ": expected <name>:<d0>x<d1>x...");
  SmallVector<StringRef, 4> parts;
  dims.split(parts, 'x');
  SmallVector<int64_t, 4> shape;
  for (StringRef part : parts) {
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return makeError("--input-shape=" + spec + ": '" + part +
                       "' is not a non-negative dimension");
    shape.push_back(dim);
  }
  if (!options.inputShapes.try_emplace(name, shape).second)
    return makeError("--input-shape=" + spec + ": input '" + name +
                     "' is given twice");
  return Error::success();
}

Error picosam::setMaxFoldElements(int64_t value, OnnxImportOptions &options) {
  if (value < 1)
    return makeError("--max-fold-elements must be at least 1, got " +
                     Twine(value));
  options.maxFoldElements = value;
  return Error::success();
}

Error picosam::loadOnnxModel(StringRef path, onnx::ModelProto &model) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return makeError(path + ": cannot read the model: " + file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  // protobuf parses at most 2 GiB; larger models keep weights in external
  // data files.
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return makeError(path + ": not a valid ONNX model (larger than 2 GiB; store the "
                            "weights as external data)");
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return makeError(path + ": not a valid ONNX model (protobuf parsing failed: the "
                            "file is truncated or is not an ONNX model)");
  if (!model.has_graph())
    return makeError(path + ": not a valid ONNX model (it has no graph)");
  return Error::success();
}

Expected<OwningOpRef<ModuleOp>> picosam::importOnnxModel(MLIRContext &context,
                                                          StringRef path,
                                                          const OnnxImportOptions &options) {
  context.loadDialect<pico::PicoDialect, func::FuncDialect, quant::QuantDialect>();
  onnx::ModelProto model;
  if (Error err = loadOnnxModel(path, model))
    return std::move(err);

  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(&context, path, 0, 0));
  GraphImporter importer(&context, path, model, options);
  if (Error err = importer.importInto(*module))
    return prefixError(path + ": ", std::move(err));
  return module;
}
