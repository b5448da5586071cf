//===- ActivationTest.cpp - #pico.act semantics ---------------------------===//
#include "Pico/PicoDialect.h"

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
