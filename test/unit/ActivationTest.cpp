//===- ActivationTest.cpp - #pico.act semantics ---------------------------===//
#include "Pico/PicoDialect.h"
#include "Pico/PicoOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <cmath>

using namespace picosam::pico;

namespace {
class ActivationTest : public ::testing::Test {
protected:
  ActivationTest() { context.loadDialect<PicoDialect>(); }
  ActivationAttr act(ActivationKind kind, float alpha = 0.0f, float beta = 0.0f) {
    return ActivationAttr::get(&context, kind, alpha, beta);
  }
  mlir::MLIRContext context;
};
} // namespace

TEST_F(ActivationTest, ReluClampsNegatives) {
  EXPECT_EQ(act(ActivationKind::Relu).apply(-2.5f), 0.0f);
  EXPECT_EQ(act(ActivationKind::Relu).apply(3.0f), 3.0f);
}

TEST_F(ActivationTest, ClipIsRelu6) {
  ActivationAttr relu6 = act(ActivationKind::Clip, 0.0f, 6.0f);
  EXPECT_EQ(relu6.apply(-1.0f), 0.0f);
  EXPECT_EQ(relu6.apply(2.0f), 2.0f);
  EXPECT_EQ(relu6.apply(7.0f), 6.0f);
}

TEST_F(ActivationTest, LeakyReluScalesNegatives) {
  EXPECT_FLOAT_EQ(act(ActivationKind::LeakyRelu, 0.1f).apply(-2.0f), -0.2f);
  EXPECT_EQ(act(ActivationKind::LeakyRelu, 0.1f).apply(2.0f), 2.0f);
}

TEST_F(ActivationTest, HardSwishMatchesDefinition) {
  ActivationAttr hs = act(ActivationKind::HardSwish);
  EXPECT_EQ(hs.apply(-4.0f), 0.0f);
  EXPECT_EQ(hs.apply(4.0f), 4.0f);
  EXPECT_FLOAT_EQ(hs.apply(1.0f), 1.0f * (1.0f / 6.0f + 0.5f));
}

TEST_F(ActivationTest, SigmoidAndTanh) {
  EXPECT_FLOAT_EQ(act(ActivationKind::Sigmoid).apply(0.0f), 0.5f);
  EXPECT_FLOAT_EQ(act(ActivationKind::Tanh).apply(1.0f), std::tanh(1.0f));
  EXPECT_FLOAT_EQ(act(ActivationKind::HardSigmoid, 0.2f, 0.5f).apply(1.0f), 0.7f);
}

TEST_F(ActivationTest, ElementwiseMath) {
  EXPECT_EQ(act(ActivationKind::Abs).apply(-2.5f), 2.5f);
  EXPECT_EQ(act(ActivationKind::Neg).apply(2.5f), -2.5f);
  EXPECT_EQ(act(ActivationKind::Exp).apply(0.0f), 1.0f);
  EXPECT_EQ(act(ActivationKind::Sqrt).apply(6.25f), 2.5f);
  EXPECT_TRUE(std::isnan(act(ActivationKind::Sqrt).apply(-1.0f)));
  EXPECT_EQ(act(ActivationKind::Pow, 2.0f).apply(-3.0f), 9.0f);
  EXPECT_EQ(act(ActivationKind::Pow, 0.5f).apply(4.0f), 2.0f);
  EXPECT_EQ(act(ActivationKind::Elu, 0.5f).apply(3.0f), 3.0f);
  EXPECT_FLOAT_EQ(act(ActivationKind::Elu, 0.5f).apply(-1.0f),
                  0.5f * (std::exp(-1.0f) - 1.0f));
  EXPECT_FLOAT_EQ(act(ActivationKind::Selu, 1.5f, 2.0f).apply(1.0f), 2.0f);
  EXPECT_FLOAT_EQ(act(ActivationKind::Selu, 1.5f, 2.0f).apply(-1.0f),
                  2.0f * 1.5f * (std::exp(-1.0f) - 1.0f));
  EXPECT_FLOAT_EQ(act(ActivationKind::Softplus).apply(0.0f), std::log(2.0f));
  // Neither overflows where exp(x) would: softplus(x) is x for large x.
  EXPECT_EQ(act(ActivationKind::Softplus).apply(100.0f), 100.0f);
  EXPECT_EQ(act(ActivationKind::Softplus).apply(-200.0f), 0.0f);
}

// createActivationOp makes the op whose getActivationFunction is the
// attribute, parameters included, for every kind.
TEST_F(ActivationTest, CreateActivationOpInvertsGetActivationFunction) {
  mlir::OpBuilder builder(&context);
  mlir::Location loc = builder.getUnknownLoc();
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  auto type = mlir::RankedTensorType::get({2}, builder.getF32Type());
  mlir::Value input =
      ConstantOp::create(builder, loc, type,
                         mlir::DenseElementsAttr::get(type, 1.0f));
  for (uint32_t value = 1; value <= getMaxEnumValForActivationKind(); ++value) {
    ActivationKind kind = *symbolizeActivationKind(value);
    ActivationAttr activation = act(kind, 0.25f, 0.75f);
    if (kind == ActivationKind::Relu || kind == ActivationKind::Sigmoid ||
        kind == ActivationKind::HardSwish || kind == ActivationKind::Tanh ||
        kind == ActivationKind::Abs || kind == ActivationKind::Neg ||
        kind == ActivationKind::Exp || kind == ActivationKind::Sqrt ||
        kind == ActivationKind::Softplus)
      activation = act(kind);
    else if (kind == ActivationKind::LeakyRelu || kind == ActivationKind::Pow ||
             kind == ActivationKind::Elu)
      activation = act(kind, 0.25f);
    mlir::Operation *op = createActivationOp(builder, loc, input, activation);
    EXPECT_EQ(mlir::cast<ActivationOpInterface>(op).getActivationFunction(),
              activation)
        << stringifyActivationKind(kind).str();
    EXPECT_EQ(op->getResult(0).getType(), type);
  }
}
