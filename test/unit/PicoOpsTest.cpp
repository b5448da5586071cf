//===- PicoOpsTest.cpp - pico op interfaces as their users call them ------===//
//
// The importer creates ops with placeholder result types and asks them for
// their shapes; fusion and the interpreter ask activation ops for their
// `#pico.act`. These tests make the same calls on parsed, unverified ops.
//
//===----------------------------------------------------------------------===//
#include "Pico/PicoOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace picosam::pico;
using Shapes = llvm::SmallVector<llvm::SmallVector<int64_t, 4>>;

namespace {
class PicoOpsTest : public ::testing::Test {
protected:
  PicoOpsTest() { context.loadDialect<PicoDialect, func::FuncDialect>(); }

  /// The pico ops of `source`, parsed without verification so their result
  /// types can be placeholders, as the importer's are.
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

  /// The shapes `op` infers, or std::nullopt (with the error in `errors`).
  std::optional<Shapes> infer(Operation *op) {
    Shapes shapes;
    if (failed(cast<ShapeInferenceOpInterface>(op).inferResultShapes(shapes)))
      return std::nullopt;
    return shapes;
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

TEST_F(PicoOpsTest, ShapesOfOpsWithPlaceholderResults) {
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%x: tensor<1x8x16x16xf32>, %w: tensor<16x4x3x3xf32>, %r: tensor<1x3x5x7xf32>) {
      %0 = pico.conv2d %x, %w {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<16x4x3x3xf32>) -> tensor<?x?x?x?xf32>
      %1 = pico.max_pool %x {ceil_mode = true, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x8x16x16xf32> -> tensor<?x?x?x?xf32>
      %2 = pico.resize %r {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 0.5, 2.0>} : tensor<1x3x5x7xf32> -> tensor<?x?x?x?xf32>
      %3 = pico.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x8x16x16xf32> -> tensor<?x?x?x?xf32>
      return
    })mlir");
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(infer(ops[0]), Shapes({{1, 16, 8, 8}}));
  // ceil((16 - 3) / 2) + 1 = 8; the last window starts at 14 < 16.
  EXPECT_EQ(infer(ops[1]), Shapes({{1, 8, 8, 8}}));
  // Without sizes in the result type: floor(5 * 0.5) and floor(7 * 2).
  EXPECT_EQ(infer(ops[2]), Shapes({{1, 3, 2, 14}}));
  EXPECT_EQ(infer(ops[3]), Shapes({{1, 16, 16, 8}}));
  EXPECT_TRUE(errors.empty());
}

TEST_F(PicoOpsTest, ResizeKeepsTheSizesTheModelGave) {
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%r: tensor<1x3x5x7xf32>) {
      %0 = pico.resize %r {mode = #pico<resize_mode nearest>, scales = array<f32: 1.0, 1.0, 0.5, 2.0>} : tensor<1x3x5x7xf32> -> tensor<1x3x3x14xf32>
      return
    })mlir");
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(infer(ops[0]), Shapes({{1, 3, 3, 14}}));
}

TEST_F(PicoOpsTest, InconsistentOpReportsWhy) {
  llvm::SmallVector<Operation *> ops = parseOps(R"mlir(
    func.func @f(%x: tensor<1x6x16x16xf32>, %w: tensor<16x1x3x3xf32>) {
      %0 = pico.conv2d %x, %w {group = 4 : i64} : (tensor<1x6x16x16xf32>, tensor<16x1x3x3xf32>) -> tensor<?x?x?x?xf32>
      return
    })mlir");
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(infer(ops[0]), std::nullopt);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(
      errors[0],
      "'pico.conv2d' op input channels (6) are not a multiple of group (4)");
}
