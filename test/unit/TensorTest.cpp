//===- TensorTest.cpp - host tensors and quantization ---------------------===//
#include "picosam/Support/Tensor.h"
#include "picosam/Support/Quant.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace picosam;

TEST(TensorTest, ShapeHelpers) {
  EXPECT_EQ(rowMajorStrides({2, 3, 4}),
            (llvm::SmallVector<int64_t, 4>{12, 4, 1}));
  EXPECT_TRUE(rowMajorStrides({}).empty());
  EXPECT_EQ(numElementsOf({2, 3, 4}), 24);
  EXPECT_EQ(numElementsOf({}), 1);
  EXPECT_EQ(numElementsOf({5, 0}), 0);
  EXPECT_EQ(formatShape({1, 3, 96, 96}), "1x3x96x96");
  EXPECT_EQ(formatShape({}), "scalar");
}

TEST(TensorTest, ZeroFilledStorageOfItsKind) {
  Tensor f(ElementKind::F32, {2, 2});
  EXPECT_EQ(f.floats(), std::vector<float>(4, 0.0f));
  EXPECT_TRUE(f.ints().empty());
  Tensor d(ElementKind::F64, {3});
  EXPECT_EQ(d.doubles().size(), 3u);
  Tensor i(ElementKind::U8, {});
  EXPECT_EQ(i.ints(), std::vector<int64_t>{0});
  EXPECT_EQ(i.numElements(), 1);
}

TEST(TensorTest, SliceAndWriteSliceAlongAxis0) {
  Tensor t(ElementKind::I32, {3, 2});
  t.ints() = {1, 2, 3, 4, 5, 6};
  Tensor middle = t.slice(1, 2);
  EXPECT_EQ(middle.shape(), (llvm::ArrayRef<int64_t>{2, 2}));
  EXPECT_EQ(middle.ints(), (std::vector<int64_t>{3, 4, 5, 6}));
  Tensor stacked(ElementKind::I32, {6, 2});
  stacked.writeSlice(0, t);
  stacked.writeSlice(3, t);
  EXPECT_EQ(stacked.ints(),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(t.reshaped({2, 3}).shape(), (llvm::ArrayRef<int64_t>{2, 3}));
}

TEST(TensorTest, LittleEndianBuffers) {
  Tensor t(ElementKind::I16, {3});
  decodeLittleEndian(llvm::StringRef("\x01\x00\xff\xff\x00\x80", 6), t);
  EXPECT_EQ(t.ints(), (std::vector<int64_t>{1, -1, -32768}));
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  encodeLittleEndian(t, os);
  EXPECT_EQ(bytes, std::string("\x01\x00\xff\xff\x00\x80", 6));
  EXPECT_EQ(t.getAsDouble(2), -32768.0);
}

namespace {
class QuantTest : public ::testing::Test {
protected:
  QuantTest() { context.loadDialect<mlir::quant::QuantDialect>(); }

  mlir::Type i8() { return mlir::IntegerType::get(&context, 8); }
  mlir::Type f32() { return mlir::Float32Type::get(&context); }
  mlir::MLIRContext context;
};
} // namespace

TEST_F(QuantTest, ElementKinds) {
  EXPECT_EQ(elementKindOf(f32()), ElementKind::F32);
  EXPECT_EQ(elementKindOf(mlir::IntegerType::get(&context, 1)),
            ElementKind::Bool);
  EXPECT_EQ(elementKindOf(mlir::IntegerType::get(&context, 8,
                                                 mlir::IntegerType::Unsigned)),
            ElementKind::U8);
  EXPECT_EQ(elementKindOf(mlir::IntegerType::get(&context, 4)), std::nullopt);
  EXPECT_EQ(elementKindOf(mlir::Float16Type::get(&context)), std::nullopt);
  auto signedType = mlir::quant::UniformQuantizedType::get(
      mlir::quant::QuantizationFlags::Signed, i8(), f32(), 0.5, 0, -128, 127);
  auto unsignedType =
      mlir::quant::UniformQuantizedType::get(0, i8(), f32(), 0.5, 128, 0, 255);
  EXPECT_EQ(elementKindOf(signedType), ElementKind::I8);
  EXPECT_EQ(elementKindOf(unsignedType), ElementKind::U8);
}

TEST_F(QuantTest, PerTensorRoundsHalfToEvenAndSaturates) {
  auto type = mlir::quant::UniformQuantizedType::get(
      mlir::quant::QuantizationFlags::Signed, i8(), f32(), 0.5, -1, -128, 127);
  llvm::Expected<QuantParams> params = QuantParams::get(type, {6});
  ASSERT_TRUE(static_cast<bool>(params));
  Tensor x(ElementKind::F32, {6});
  // x / 0.5 = 0.5, 1.5, 2.5, -0.5, 1000, -1000.
  x.floats() = {0.25f, 0.75f, 1.25f, -0.25f, 500.0f, -500.0f};
  Tensor q = params->quantize(x);
  EXPECT_EQ(q.kind(), ElementKind::I8);
  EXPECT_EQ(q.ints(), (std::vector<int64_t>{-1, 1, 1, -1, 127, -128}));
  Tensor back = params->dequantize(q);
  EXPECT_EQ(back.floats(),
            (std::vector<float>{0.0f, 1.0f, 1.0f, 0.0f, 64.0f, -63.5f}));
}

TEST_F(QuantTest, PerAxisUsesTheQuantizedDimension) {
  auto type = mlir::quant::UniformQuantizedPerAxisType::get(
      0, i8(), f32(), {1.0, 0.1}, {0, 100}, /*quantizedDimension=*/1, 0, 255);
  llvm::Expected<QuantParams> params = QuantParams::get(type, {2, 2});
  ASSERT_TRUE(static_cast<bool>(params));
  Tensor x(ElementKind::F32, {2, 2});
  x.floats() = {3.0f, 0.5f, -1.0f, -20.0f};
  EXPECT_EQ(params->quantize(x).ints(), (std::vector<int64_t>{3, 105, 0, 0}));
  EXPECT_EQ(llvm::toString(QuantParams::get(type, {2, 3}).takeError()),
            "the quantized dimension does not fit the shape 2x3");
  EXPECT_EQ(llvm::toString(QuantParams::get(f32(), {2}).takeError()),
            "expected a !quant.uniform type with 8, 16, 32 or 64-bit storage");
}
