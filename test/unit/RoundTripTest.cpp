//===- RoundTripTest.cpp - what is built in memory survives the text ------===//
//
// Every stage is handed on as text (picosam-compile -o, picosam-opt,
// picosam-run), so what a pass builds in memory must be what the printed
// text parses back to. Attributes are built here from C++ values, never
// from text, with the edge values of f32: every #pico.act the verifier
// accepts parses back to the identical attribute, and a function of ops
// holding such attributes parses back with identical attributes and runs to
// the same tensors, bit for bit, from the custom and the generic form.
//
//===----------------------------------------------------------------------===//
#include "picosam/Interpreter/Interpreter.h"

#include "Pico/PicoOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace picosam;
using pico::ActivationAttr;
using pico::ActivationKind;

namespace {
/// f32 bit patterns: zeros, the smallest denormals, the largest denormal,
/// the smallest normal, the largest finite values, infinities, NaNs (one
/// negative with a payload), and values printed with 9 digits or exactly.
constexpr uint32_t edgeBits[] = {
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF,
    0x00800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F800000, 0xFF800000,
    0x7FC00000, 0xFFC00001, 0x3DCCCCCD, 0x3EAAAAAB, 0x3D800000};
constexpr unsigned numEdgeValues = std::size(edgeBits);
constexpr unsigned numFiniteEdgeValues = 11;
/// Clip bound pairs min <= max among the non-NaN values: the 13 values
/// sort to 12 classes (-0.0 equals +0.0), so 13 * 14 / 2 pairs plus the one
/// pair (+0.0, -0.0) the order adds.
constexpr unsigned numOrderedClipPairs = 13 * 14 / 2 + 1;

APFloat edgeValue(uint32_t bits) {
  return APFloat(APFloat::IEEEsingle(), APInt(32, bits));
}

class RoundTripTest : public ::testing::Test {
protected:
  RoundTripTest() : builder(&context) {
    DialectRegistry registry;
    registerInferenceExternalModels(registry);
    context.appendDialectRegistry(registry);
    context.loadDialect<pico::PicoDialect, func::FuncDialect>();
  }

  /// The attribute when the verifier accepts it, else null (silently).
  ActivationAttr activation(ActivationKind kind, const APFloat &alpha,
                            const APFloat &beta) {
    ScopedDiagnosticHandler silence(&context,
                                    [](Diagnostic &) { return success(); });
    return ActivationAttr::getChecked(
        [&] { return emitError(builder.getUnknownLoc()); }, &context, kind,
        alpha, beta);
  }

  /// Every #pico.act the verifier accepts with edge values as parameters.
  std::vector<ActivationAttr> verifiedActivations() {
    std::vector<ActivationAttr> activations;
    for (uint32_t kind = 0; kind <= pico::getMaxEnumValForActivationKind();
         ++kind)
      for (uint32_t alpha : edgeBits)
        for (uint32_t beta : edgeBits)
          if (ActivationAttr attr = activation(
                  *pico::symbolizeActivationKind(kind), edgeValue(alpha),
                  edgeValue(beta)))
            activations.push_back(attr);
    return activations;
  }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  /// Keeps `op` when it verifies, erases it otherwise (the op verifiers
  /// decide which edge values an op attribute takes).
  void keepIfValid(Operation *op) {
    ScopedDiagnosticHandler silence(&context,
                                    [](Diagnostic &) { return success(); });
    if (failed(verify(op)))
      op->erase();
  }

  /// @main(%x: tensor<16xf32>) -> tensor<16xf32> holding, for every edge
  /// value, each op whose attributes take a float, with that value in them:
  /// clip bounds, leaky_relu's, hard_sigmoid's, pow's, elu's and selu's
  /// parameters, batch_norm's and instance_norm's epsilon, gemm's alpha and
  /// beta, and every verified #pico.act fused into add, sub, mul, div, max,
  /// min, conv2d and gemm.
  OwningOpRef<ModuleOp> buildModule() {
    OwningOpRef<ModuleOp> module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
    Location loc = builder.getUnknownLoc();
    auto func = func::FuncOp::create(
        builder, loc, "main",
        builder.getFunctionType({f32({16})}, {f32({16})}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToEnd(body);
    Value x = body->getArgument(0);
    Value image = pico::ReshapeOp::create(builder, loc, f32({1, 1, 4, 4}), x);
    Value matrix = pico::ReshapeOp::create(builder, loc, f32({4, 4}), x);
    Value weight = pico::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(f32({1, 1, 1, 1}), 0.5f));
    Value channel = pico::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(f32({1}), 1.0f));
    APFloat infinity = APFloat::getInf(APFloat::IEEEsingle());
    APFloat negativeInfinity = APFloat::getInf(APFloat::IEEEsingle(), true);
    for (uint32_t bits : edgeBits) {
      APFloat value = edgeValue(bits);
      FloatAttr attr = builder.getFloatAttr(builder.getF32Type(), value);
      keepIfValid(pico::ClipOp::create(builder, loc, f32({16}), x, value,
                                       infinity));
      keepIfValid(pico::ClipOp::create(builder, loc, f32({16}), x,
                                       negativeInfinity, value));
      keepIfValid(pico::LeakyReluOp::create(builder, loc, f32({16}), x, value));
      keepIfValid(pico::HardSigmoidOp::create(builder, loc, f32({16}), x,
                                              value, value));
      keepIfValid(pico::BatchNormOp::create(builder, loc, f32({1, 1, 4, 4}),
                                            image, channel, channel, channel,
                                            channel, value));
      keepIfValid(pico::PowOp::create(builder, loc, f32({16}), x, value));
      keepIfValid(pico::EluOp::create(builder, loc, f32({16}), x, value));
      keepIfValid(
          pico::SeluOp::create(builder, loc, f32({16}), x, value, value));
      keepIfValid(pico::InstanceNormOp::create(builder, loc, f32({1, 1, 4, 4}),
                                               image, channel, channel, value));
      keepIfValid(pico::GemmOp::create(
          builder, loc, f32({4, 4}), ValueRange{matrix, matrix, matrix},
          {builder.getNamedAttr("alpha", attr),
           builder.getNamedAttr("beta", attr)}));
    }
    for (ActivationAttr act : verifiedActivations()) {
      if (act.isNone())
        continue;
      keepIfValid(pico::AddOp::create(builder, loc, f32({16}), x, x, act));
      keepIfValid(pico::SubOp::create(builder, loc, f32({16}), x, x, act));
      keepIfValid(pico::MulOp::create(builder, loc, f32({16}), x, x, act));
      keepIfValid(pico::DivOp::create(builder, loc, f32({16}), x, x, act));
      keepIfValid(pico::MaxOp::create(builder, loc, f32({16}), x, x, act));
      keepIfValid(pico::MinOp::create(builder, loc, f32({16}), x, x, act));
      keepIfValid(pico::Conv2DOp::create(
          builder, loc, f32({1, 1, 4, 4}), ValueRange{image, weight},
          {builder.getNamedAttr("activation", act),
           builder.getNamedAttr("operandSegmentSizes",
                                builder.getDenseI32ArrayAttr({1, 1, 0, 0}))}));
      keepIfValid(pico::GemmOp::create(
          builder, loc, f32({4, 4}), ValueRange{matrix, matrix},
          {builder.getNamedAttr("activation", act)}));
    }
    func::ReturnOp::create(builder, loc, x);
    return module;
  }

  /// `module` printed (custom or generic form) and parsed back.
  OwningOpRef<ModuleOp> reparse(ModuleOp module, bool generic) {
    std::string text;
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    if (generic)
      flags.printGenericOpForm();
    module->print(os, flags);
    return parseSourceString<ModuleOp>(text, &context);
  }

  /// Every tensor of @main run on the edge values.
  NamedTensors run(ModuleOp module) {
    auto func = module.lookupSymbol<func::FuncOp>("main");
    FailureOr<Interpreter> interpreter = Interpreter::create(func);
    EXPECT_TRUE(succeeded(interpreter));
    Tensor input(ElementKind::F32, {16});
    for (unsigned i = 0; i < 16; ++i)
      input.floats()[i] =
          edgeValue(edgeBits[i % numEdgeValues]).convertToFloat();
    input.floats()[15] = -2.5f;
    NamedTensors record;
    EXPECT_TRUE(succeeded(interpreter->run({input}, &record)));
    return record;
  }

  MLIRContext context;
  OpBuilder builder;
};

std::string textOf(Operation *op) {
  std::string text;
  llvm::raw_string_ostream(text) << *op;
  return text;
}

std::vector<Operation *> opsOf(ModuleOp module) {
  std::vector<Operation *> ops;
  module->walk([&](Operation *op) { ops.push_back(op); });
  return ops;
}
} // namespace

TEST_F(RoundTripTest, EveryVerifiedActivationParsesBackIdentical) {
  std::map<ActivationKind, unsigned> accepted;
  for (ActivationAttr attr : verifiedActivations()) {
    ++accepted[attr.getKind()];
    std::string text;
    llvm::raw_string_ostream(text) << attr;
    EXPECT_EQ(parseAttribute(text, &context), attr) << text;
  }
  // The verifier's rules, counted over the edge values: kinds without
  // parameters hold +0.0 only; clip bounds are not NaN and ordered;
  // the other kinds' parameters are finite.
  for (ActivationKind kind :
       {ActivationKind::None, ActivationKind::Relu, ActivationKind::Sigmoid,
        ActivationKind::HardSwish, ActivationKind::Tanh, ActivationKind::Abs,
        ActivationKind::Neg, ActivationKind::Exp, ActivationKind::Sqrt,
        ActivationKind::Softplus})
    EXPECT_EQ(accepted[kind], 1u) << pico::stringifyActivationKind(kind).str();
  EXPECT_EQ(accepted[ActivationKind::Clip], numOrderedClipPairs);
  for (ActivationKind kind : {ActivationKind::LeakyRelu, ActivationKind::Pow,
                              ActivationKind::Elu})
    EXPECT_EQ(accepted[kind], numFiniteEdgeValues)
        << pico::stringifyActivationKind(kind).str();
  for (ActivationKind kind :
       {ActivationKind::HardSigmoid, ActivationKind::Selu})
    EXPECT_EQ(accepted[kind], numFiniteEdgeValues * numFiniteEdgeValues)
        << pico::stringifyActivationKind(kind).str();
}

TEST_F(RoundTripTest, OneSidedClipsKeepTheirInfiniteBound) {
  APFloat zero = APFloat::getZero(APFloat::IEEEsingle());
  APFloat infinity = APFloat::getInf(APFloat::IEEEsingle());
  ActivationAttr minOnly = activation(ActivationKind::Clip, zero, infinity);
  ActivationAttr maxOnly =
      activation(ActivationKind::Clip, -infinity, APFloat(0.0625f));
  for (ActivationAttr attr : {minOnly, maxOnly}) {
    std::string text;
    llvm::raw_string_ostream(text) << attr;
    auto parsed = dyn_cast_or_null<ActivationAttr>(parseAttribute(text, &context));
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(parsed.apply(5.0f), attr.apply(5.0f)) << text;
    EXPECT_EQ(parsed.apply(-5.0f), attr.apply(-5.0f)) << text;
  }
  EXPECT_EQ(minOnly.apply(5.0f), 5.0f);
  EXPECT_EQ(maxOnly.apply(-5.0f), -5.0f);
}

TEST_F(RoundTripTest, ParametersAKindLacksMustBePositiveZero) {
  APFloat zero = APFloat::getZero(APFloat::IEEEsingle());
  APFloat one(1.0f);
  EXPECT_TRUE(activation(ActivationKind::Relu, zero, zero));
  EXPECT_FALSE(activation(ActivationKind::Relu, one, zero));
  EXPECT_FALSE(activation(ActivationKind::Relu, -zero, zero));
  EXPECT_FALSE(activation(ActivationKind::LeakyRelu, one, one));
  EXPECT_TRUE(activation(ActivationKind::LeakyRelu, one, zero));
}

TEST_F(RoundTripTest, OpsParseBackIdenticalAndRunTheSame) {
  OwningOpRef<ModuleOp> module = buildModule();
  ASSERT_TRUE(succeeded(verify(*module)));
  std::vector<Operation *> built = opsOf(*module);
  // The ops the verifiers kept: clips bounded by each non-NaN value on
  // either side, the finite leaky_relu and hard_sigmoid parameters, the
  // positive finite epsilons (7), gemm with any alpha and beta, and every
  // verified activation but none on each op that fuses one.
  unsigned activations = verifiedActivations().size() - 1;
  std::map<std::string, unsigned> counts;
  for (Operation *op : built)
    ++counts[op->getName().getStringRef().str()];
  EXPECT_EQ(counts["pico.clip"], 2 * (numEdgeValues - 2));
  EXPECT_EQ(counts["pico.leaky_relu"], numFiniteEdgeValues);
  EXPECT_EQ(counts["pico.hard_sigmoid"], numFiniteEdgeValues);
  EXPECT_EQ(counts["pico.pow"], numFiniteEdgeValues);
  EXPECT_EQ(counts["pico.elu"], numFiniteEdgeValues);
  EXPECT_EQ(counts["pico.selu"], numFiniteEdgeValues);
  EXPECT_EQ(counts["pico.batch_norm"], 7u);
  EXPECT_EQ(counts["pico.instance_norm"], 7u);
  EXPECT_EQ(counts["pico.gemm"], numEdgeValues + activations);
  for (const char *name : {"pico.add", "pico.sub", "pico.mul", "pico.div",
                           "pico.max", "pico.min"})
    EXPECT_EQ(counts[name], activations) << name;
  EXPECT_EQ(counts["pico.conv2d"], activations);
  NamedTensors expected = run(*module);

  for (bool generic : {false, true}) {
    SCOPED_TRACE(generic ? "generic form" : "custom form");
    OwningOpRef<ModuleOp> parsed = reparse(*module, generic);
    ASSERT_TRUE(parsed);
    std::vector<Operation *> ops = opsOf(*parsed);
    ASSERT_EQ(ops.size(), built.size());
    for (auto [original, again] : llvm::zip_equal(built, ops)) {
      EXPECT_EQ(original->getName(), again->getName());
      EXPECT_EQ(original->getAttrDictionary(), again->getAttrDictionary())
          << "built:  " << textOf(original) << "\nparsed: " << textOf(again);
    }
    NamedTensors record = run(*parsed);
    ASSERT_EQ(record.size(), expected.size());
    for (auto [want, got] : llvm::zip_equal(expected, record)) {
      EXPECT_EQ(want.name, got.name);
      ASSERT_EQ(want.tensor.shape(), got.tensor.shape()) << want.name;
      EXPECT_EQ(std::memcmp(want.tensor.floats().data(),
                            got.tensor.floats().data(),
                            want.tensor.floats().size() * sizeof(float)),
                0)
          << want.name << " differs";
    }
  }
}
