//===- InterpreterTest.cpp - running pico functions and comparing runs ----===//
#include "picosam/Interpreter/Interpreter.h"
#include "picosam/Interpreter/Compare.h"

#include "Pico/PicoOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace picosam;

namespace {
class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() : builder(&context) {
    DialectRegistry registry;
    registerInferenceExternalModels(registry);
    context.appendDialectRegistry(registry);
    context.loadDialect<pico::PicoDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
  }

  RankedTensorType f32(llvm::ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }
  Location name(llvm::StringRef text) {
    return NameLoc::get(builder.getStringAttr(text));
  }

  /// @main(%x: 2x3 loc("x"), %y: 3) -> 2x3:
  ///   %c = constant [1, -2, 3]
  ///   %a = add %x, %c {relu}  loc("/add")
  ///   %m = mul %a, %y          (unnamed)
  ///   %n = mul %m, %y          loc(fused["/mul", "/relu"])
  ///   %s = sub %n, %m          (unnamed, unused)
  ///   return %n
  func::FuncOp buildGraph() {
    builder.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(
        builder, builder.getUnknownLoc(), "main",
        builder.getFunctionType({f32({2, 3}), f32({3})}, {f32({2, 3})}));
    Block *body = func.addEntryBlock();
    body->getArgument(0).setLoc(name("x"));
    builder.setInsertionPointToEnd(body);
    Value x = body->getArgument(0), y = body->getArgument(1);
    auto constant = pico::ConstantOp::create(
        builder, name("/c"),
        DenseElementsAttr::get(f32({3}), llvm::ArrayRef<float>{1, -2, 3}));
    Value added = pico::AddOp::create(
        builder, name("/add"), f32({2, 3}), x, constant,
        pico::ActivationAttr::get(&context, pico::ActivationKind::Relu));
    Value scaled = pico::MulOp::create(builder, builder.getUnknownLoc(),
                                       f32({2, 3}), added, y, nullptr);
    Value twice = pico::MulOp::create(
        builder, FusedLoc::get(&context, {name("/mul"), name("/relu")}),
        f32({2, 3}), scaled, y, nullptr);
    pico::SubOp::create(builder, builder.getUnknownLoc(), f32({2, 3}), twice,
                        scaled, nullptr);
    func::ReturnOp::create(builder, builder.getUnknownLoc(), twice);
    return func;
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

Tensor f32Tensor(llvm::ArrayRef<int64_t> shape, std::vector<float> values) {
  Tensor tensor(ElementKind::F32, shape);
  tensor.floats() = std::move(values);
  return tensor;
}
} // namespace

TEST_F(InterpreterTest, LocationNames) {
  EXPECT_EQ(locationName(name("/enc1/dw/Conv")), "/enc1/dw/Conv");
  EXPECT_EQ(
      locationName(FusedLoc::get(
          &context, {name("/conv"), builder.getUnknownLoc(), name("/bn")})),
      "/conv+/bn");
  EXPECT_EQ(locationName(CallSiteLoc::get(name("/callee"), name("/caller"))),
            "/callee");
  EXPECT_EQ(locationName(builder.getUnknownLoc()), std::nullopt);
  EXPECT_EQ(locationName(FusedLoc::get(&context, {builder.getUnknownLoc()})),
            std::nullopt);
}

TEST_F(InterpreterTest, RunsABuiltGraph) {
  func::FuncOp func = buildGraph();
  ASSERT_TRUE(succeeded(verify(func)));
  FailureOr<Interpreter> interpreter = Interpreter::create(func);
  ASSERT_TRUE(succeeded(interpreter));

  NamedTensors record;
  FailureOr<std::vector<Tensor>> outputs = interpreter->run(
      {f32Tensor({2, 3}, {0, 1, 2, -3, 4, -5}), f32Tensor({3}, {2, 1, -1})},
      &record);
  ASSERT_TRUE(succeeded(outputs));
  ASSERT_EQ(outputs->size(), 1u);
  // relu(x + c) = [1, 0, 5, 0, 2, 0]; times y twice = [4, 0, 5, 0, 2, 0].
  EXPECT_EQ((*outputs)[0].floats(), (std::vector<float>{4, 0, 5, 0, 2, 0}));

  std::vector<std::string> names;
  for (const NamedTensor &named : record)
    names.push_back(named.name);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "arg1", "/add", "pico.mul#0",
                                             "/mul+/relu", "pico.sub#0"}));
  EXPECT_EQ(record[2].tensor.floats(), (std::vector<float>{1, 0, 5, 0, 2, 0}));
  EXPECT_EQ(record[5].tensor.floats(), (std::vector<float>{2, 0, 10, 0, 0, 0}));
}

TEST_F(InterpreterTest, RepeatedNamesGetSuffixes) {
  builder.setInsertionPointToEnd(module->getBody());
  auto func =
      func::FuncOp::create(builder, builder.getUnknownLoc(), "main",
                           builder.getFunctionType({f32({2})}, {f32({2})}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  Value value = body->getArgument(0);
  for (int i = 0; i < 3; ++i)
    value = pico::ReluOp::create(builder, name("/same"), f32({2}), value);
  func::ReturnOp::create(builder, builder.getUnknownLoc(), value);
  FailureOr<Interpreter> interpreter = Interpreter::create(func);
  ASSERT_TRUE(succeeded(interpreter));
  std::vector<std::string> names;
  for (Operation &op : body->without_terminator())
    names.push_back(interpreter->getName(op.getResult(0)).str());
  EXPECT_EQ(names, (std::vector<std::string>{"/same", "/same#1", "/same#2"}));
}

TEST_F(InterpreterTest, ReportsBadArguments) {
  FailureOr<Interpreter> interpreter = Interpreter::create(buildGraph());
  ASSERT_TRUE(succeeded(interpreter));
  Tensor wrongKind(ElementKind::F64, {2, 3});
  EXPECT_EQ(llvm::toString(interpreter->checkArgument(0, wrongKind)),
            "argument #0 ('x') is tensor<2x3xf32>: expected 2x3 f32 values, "
            "got 2x3 f64");
  EXPECT_EQ(llvm::toString(
                interpreter->checkArgument(1, f32Tensor({1, 3}, {0, 0, 0}))),
            "argument #1 ('arg1') is tensor<3xf32>: expected 3 f32 values, got "
            "1x3 f32");

  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    diagnostics += diagnostic.str();
    return success();
  });
  EXPECT_TRUE(failed(interpreter->run({wrongKind})));
  EXPECT_EQ(diagnostics, "@main takes 2 arguments, got 1 tensors");
}

TEST(CompareTest, Metrics) {
  Tensor reference(ElementKind::F64, {4});
  reference.doubles() = {1, 2, 3, 4};
  Tensor same = f32Tensor({4}, {1, 2, 3, 4});
  TensorComparison equal = compareTensors("t", same, reference);
  EXPECT_EQ(equal.maxAbsError, 0.0);
  EXPECT_DOUBLE_EQ(equal.cosine, 1.0);
  EXPECT_EQ(equal.sqnrDb, std::numeric_limits<double>::infinity());

  // Noise power 0.01 against signal power 30: 10 log10(3000) dB.
  TensorComparison noisy =
      compareTensors("t", f32Tensor({4}, {1, 2, 3, 4.125f}), reference);
  EXPECT_EQ(noisy.maxAbsError, 0.125);
  EXPECT_NEAR(noisy.sqnrDb, 10 * std::log10(30 / (0.125 * 0.125)), 1e-9);
  double dot = 1 + 4 + 9 + 4 * 4.125;
  EXPECT_NEAR(noisy.cosine,
              dot / (std::sqrt(30.0) * std::sqrt(14 + 4.125 * 4.125)), 1e-12);

  TensorComparison opposite =
      compareTensors("t", f32Tensor({4}, {-1, -2, -3, -4}), reference);
  EXPECT_DOUBLE_EQ(opposite.cosine, -1.0);
  TensorComparison zeros =
      compareTensors("t", f32Tensor({2}, {0, 0}), f32Tensor({2}, {0, 0}));
  EXPECT_EQ(zeros.cosine, 1.0);
  TensorComparison shapes =
      compareTensors("t", f32Tensor({2}, {0, 0}), f32Tensor({1, 2}, {0, 0}));
  EXPECT_FALSE(shapes.shapesMatch());
}

TEST(CompareTest, ThresholdsAndNaN) {
  TensorComparison nan = compareTensors("t", f32Tensor({2}, {std::nanf(""), 1}),
                                        f32Tensor({2}, {1, 1}));
  EXPECT_TRUE(std::isnan(nan.maxAbsError));
  ComparisonThresholds none;
  EXPECT_FALSE(none.violatedBy(nan));
  ComparisonThresholds sqnr;
  sqnr.minSqnrDb = 20.0;
  EXPECT_TRUE(sqnr.violatedBy(nan));
  TensorComparison good =
      compareTensors("t", f32Tensor({2}, {1, 1}), f32Tensor({2}, {1, 1}));
  EXPECT_FALSE(sqnr.violatedBy(good));
  ComparisonThresholds absolute;
  absolute.maxAbsError = 0.5;
  EXPECT_TRUE(absolute.violatedBy(
      compareTensors("t", f32Tensor({2}, {1, 2}), f32Tensor({2}, {1, 1}))));
}

TEST(CompareTest, ReportsNamesOnOneSide) {
  NamedTensors run, reference;
  run.push_back({"a", f32Tensor({1}, {1})});
  run.push_back({"b", f32Tensor({1}, {2})});
  reference.push_back({"c", f32Tensor({1}, {3})});
  reference.push_back({"a", f32Tensor({1}, {1})});
  ComparisonReport report = compareNamedTensors(run, reference);
  ASSERT_EQ(report.compared.size(), 1u);
  EXPECT_EQ(report.compared[0].name, "a");
  EXPECT_EQ(report.onlyInRun, std::vector<std::string>{"b"});
  EXPECT_EQ(report.onlyInReference, std::vector<std::string>{"c"});

  std::string table;
  llvm::raw_string_ostream os(table);
  EXPECT_EQ(printComparison(report, {}, os), 0u);
  EXPECT_EQ(table, "tensor  shape  max_abs_err    cosine  sqnr_db\n"
                   "a       1        0.000e+00  1.000000      inf\n"
                   "only in this run (1): b\n"
                   "only in the reference (1): c\n"
                   "compared 1 tensors\n");
}

TEST(InterpreterRegistrationTest, MissingInferenceModelsAreNamed) {
  // A context whose registry lacks registerInferenceExternalModels: the pico
  // dialect promised InferenceOpInterface, nothing implements it.
  MLIRContext context;
  context.loadDialect<pico::PicoDialect, func::FuncDialect>();
  OpBuilder builder(&context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToEnd(module->getBody());
  auto type = RankedTensorType::get({2}, builder.getF32Type());
  auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "main",
                                   builder.getFunctionType({type}, {type}));
  builder.setInsertionPointToEnd(func.addEntryBlock());
  Value relu = pico::ReluOp::create(builder, builder.getUnknownLoc(), type,
                                    func.getArgument(0));
  func::ReturnOp::create(builder, builder.getUnknownLoc(), relu);

  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    diagnostics += diagnostic.str();
    return success();
  });
  EXPECT_TRUE(failed(Interpreter::create(func)));
  EXPECT_EQ(diagnostics,
            "'pico.relu' op cannot execute: picosam's inference models are not "
            "registered (the tool must call "
            "picosam::registerInferenceExternalModels)");
}
