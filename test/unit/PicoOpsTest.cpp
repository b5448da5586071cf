//===- PicoOpsTest.cpp - pico op interfaces as their users call them ------===//
//
// The importer creates ops from their operands and attributes, typed by
// their inference; fusion and the interpreter ask activation ops for their
// `#pico.act`. These tests make the same calls.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace picosam::pico;

namespace {
class PicoOpsTest : public ::testing::Test {
protected:
  PicoOpsTest() { context.loadDialect<PicoDialect, func::FuncDialect>(); }

  /// The pico ops of `source`, parsed without verification.
  llvm::SmallVector<Operation *> parseOps(llvm::StringRef source) {
    module = parseSourceString<ModuleOp>(
        source, ParserConfig(&context, /*verifyAfterParse=*/false));
    llvm::SmallVector<Operation *> ops;
    if (module)
      module->walk([&](Operation *op) {
        if (isa<PicoDialect>(op->getDialect()))
          ops.push_back(op);
      });
    return ops;
  }

  ActivationAttr act(ActivationKind kind, float alpha = 0.0f,
                     float beta = 0.0f) {
    return ActivationAttr::get(&context, kind, alpha, beta);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> errors;
  ScopedDiagnosticHandler collectErrors{&context, [this](Diagnostic &diag) {
                                          errors.push_back(diag.str());
                                          return success();
                                        }};
};
} // namespace

TEST_F(PicoOpsTest, ActivationOpsReturnTheirFunction) {
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%x: tensor<4xf32>) {
      %0 = pico.relu %x : tensor<4xf32> -> tensor<4xf32>
      %1 = pico.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32> -> tensor<4xf32>
      %2 = pico.leaky_relu %x : tensor<4xf32> -> tensor<4xf32>
      %3 = pico.sigmoid %x : tensor<4xf32> -> tensor<4xf32>
      %4 = pico.hard_sigmoid %x {alpha = 0.125 : f32} : tensor<4xf32> -> tensor<4xf32>
      %5 = pico.hard_swish %x : tensor<4xf32> -> tensor<4xf32>
      %6 = pico.tanh %x : tensor<4xf32> -> tensor<4xf32>
      return
    })mlir");
  ActivationAttr expected[] = {act(ActivationKind::Relu),
                               act(ActivationKind::Clip, 0.0f, 6.0f),
                               act(ActivationKind::LeakyRelu, 0.01f),
                               act(ActivationKind::Sigmoid),
                               act(ActivationKind::HardSigmoid, 0.125f, 0.5f),
                               act(ActivationKind::HardSwish),
                               act(ActivationKind::Tanh)};
  ASSERT_EQ(ops.size(), std::size(expected));
  for (auto [op, function] : llvm::zip(ops, expected))
    EXPECT_EQ(cast<ActivationOpInterface>(op).getActivationFunction(), function)
        << op->getName().getStringRef().str();
}

TEST_F(PicoOpsTest, CreateInfersTheResultType) {
  // The importer's way: an op from its operands and attributes only.
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%x: tensor<1x8x16x16xf32>, %w: tensor<16x4x3x3xf32>,
                 %q: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>,
                 %b: tensor<8x1x1xf32>) {
      return
    })mlir");
  ASSERT_EQ(ops.size(), 0u);
  auto func = *module->getOps<func::FuncOp>().begin();
  Value x = func.getArgument(0), w = func.getArgument(1),
        q = func.getArgument(2), b = func.getArgument(3);
  OpBuilder builder(func.getBody().front().getTerminator());
  Location loc = builder.getUnknownLoc();
  Type f32 = builder.getF32Type();

  auto conv =
      Conv2DOp::create(builder, loc, x, w, Value(), Value(),
                       /*strides=*/{2, 2}, /*dilations=*/{1, 1},
                       /*pads=*/{1, 1, 1, 1}, /*group=*/2, ActivationAttr());
  EXPECT_EQ(conv.getType(), RankedTensorType::get({1, 16, 8, 8}, f32));
  // ceil((16 - 3) / 2) + 1 = 8; the last window starts at 14 < 16.
  auto pool = MaxPoolOp::create(builder, loc, x, /*kernel_shape=*/{3, 3},
                                /*strides=*/{2, 2}, /*pads=*/{0, 0, 0, 0},
                                /*dilations=*/{1, 1}, /*ceil_mode=*/true);
  EXPECT_EQ(pool.getType(), RankedTensorType::get({1, 8, 8, 8}, f32));
  auto transpose = TransposeOp::create(builder, loc, x, {0, 2, 3, 1});
  EXPECT_EQ(transpose.getType(), RankedTensorType::get({1, 16, 16, 8}, f32));
  auto add = AddOp::create(builder, loc, pool, b, ActivationAttr());
  EXPECT_EQ(add.getType(), RankedTensorType::get({1, 8, 8, 8}, f32));
  // A dequantize's result is its input's expressed type.
  auto dequantize = DequantizeOp::create(builder, loc, q);
  EXPECT_EQ(dequantize.getType(), RankedTensorType::get({2, 3}, f32));
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_TRUE(errors.empty());
}

TEST_F(PicoOpsTest, QuantizedResultsAreBuiltWithTheirType) {
  // Scales are not inferred: the explicit result type is compatible with
  // the inferred one when the shapes agree.
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    !q = !quant.uniform<i8:f32, 5.000000e-01:-3>
    func.func @f(%x: tensor<1x2x4x4x!q>) {
      %0 = pico.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!q> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 1.0>>
      return
    })mlir");
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(MaxPoolOp::isCompatibleReturnTypes(
      ops[0]->getResultTypes(),
      RankedTensorType::get({1, 2, 2, 2}, Float32Type::get(&context))));
  EXPECT_FALSE(MaxPoolOp::isCompatibleReturnTypes(
      ops[0]->getResultTypes(),
      RankedTensorType::get({1, 2, 4, 4}, Float32Type::get(&context))));
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(PicoOpsTest, ResizeKeepsTheSizesTheModelGave) {
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%r: tensor<1x3x5x7xf32>) {
      %0 = pico.resize %r {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 0.5, 2.0>} : tensor<1x3x5x7xf32> -> tensor<1x3x3x14xf32>
      %1 = pico.resize %r {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 0.5, 2.0>} : tensor<1x3x5x7xf32> -> tensor<1x3x2x14xf32>
      return
    })mlir");
  ASSERT_EQ(ops.size(), 2u);
  // Sizes within 1 of in * scale, or floor(in * scale).
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_TRUE(errors.empty());
}

TEST_F(PicoOpsTest, InconsistentOpReportsWhy) {
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%x: tensor<1x6x16x16xf32>, %w: tensor<16x1x3x3xf32>) {
      %0 = pico.conv2d %x, %w {group = 4 : i64} : (tensor<1x6x16x16xf32>, tensor<16x1x3x3xf32>) -> tensor<?x?x?x?xf32>
      return
    })mlir");
  ASSERT_EQ(ops.size(), 1u);
  Operation *op = ops[0];
  llvm::SmallVector<Type> types;
  EXPECT_TRUE(failed(cast<InferTypeOpInterface>(op).inferReturnTypes(
      &context, op->getLoc(), op->getOperands(), op->getRawDictionaryAttrs(),
      op->getPropertiesStorage(), op->getRegions(), types)));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(
      errors[0],
      "'pico.conv2d' op input channels (6) are not a multiple of group (4)");
}
