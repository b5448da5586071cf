//===- CpuTargetTest.cpp - the CPU backend's back half and its runtime ----===//
#include "picosam/Runtime/CpuFeatures.h"
#include "picosam/Target/CPU/CHeader.h"
#include "picosam/Target/CPU/CodeGen.h"
#include "picosam/Target/CPU/Link.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "gtest/gtest.h"

using namespace picosam;

namespace {

#define FEATURE(ID) PICOSAM_CPU_FEATURE(ID)

const uint64_t x86_64_v2 = FEATURE(CX16) | FEATURE(SAHF) | FEATURE(POPCNT) |
                           FEATURE(SSE3) | FEATURE(SSSE3) | FEATURE(SSE4_1) |
                           FEATURE(SSE4_2);
const uint64_t x86_64_v3 = x86_64_v2 | FEATURE(AVX) | FEATURE(AVX2) |
                           FEATURE(BMI) | FEATURE(BMI2) | FEATURE(F16C) |
                           FEATURE(FMA) | FEATURE(LZCNT) | FEATURE(MOVBE) |
                           FEATURE(XSAVE);
const uint64_t x86_64_v4 = x86_64_v3 | FEATURE(AVX512F) | FEATURE(AVX512BW) |
                           FEATURE(AVX512CD) | FEATURE(AVX512DQ) |
                           FEATURE(AVX512VL);

std::string message(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : "";
}

//===----------------------------------------------------------------------===//
// The runtime's check, on fake masks
//===----------------------------------------------------------------------===//

TEST(CpuFeatures, NamesAreLLVMs) {
  EXPECT_STREQ(picosam_cpu_feature_name(PICOSAM_CPU_FEATURE_INDEX_CX16),
               "cx16");
  EXPECT_STREQ(picosam_cpu_feature_name(PICOSAM_CPU_FEATURE_INDEX_SSE4_1),
               "sse4.1");
  EXPECT_STREQ(picosam_cpu_feature_name(PICOSAM_CPU_FEATURE_INDEX_AMX_TILE),
               "amx-tile");
  EXPECT_EQ(picosam_cpu_feature_name(PICOSAM_CPU_FEATURE_COUNT), nullptr);
  static_assert(PICOSAM_CPU_FEATURE_COUNT <= 64, "a mask is 64 bits");
}

TEST(CpuFeatures, MissingFeaturesAreNamedInTableOrder) {
  char names[128];
  uint64_t required = FEATURE(AMX_TILE) | FEATURE(AVX2) | FEATURE(AVX512F);
  EXPECT_EQ(picosam_cpu_missing_features(required, x86_64_v3, names,
                                         sizeof(names)),
            FEATURE(AVX512F) | FEATURE(AMX_TILE));
  EXPECT_STREQ(names, "avx512f amx-tile");

  EXPECT_EQ(picosam_cpu_missing_features(x86_64_v3, x86_64_v4, names,
                                         sizeof(names)),
            0u);
  EXPECT_STREQ(names, "");
  EXPECT_EQ(picosam_cpu_missing_features(x86_64_v4, x86_64_v2, names,
                                         sizeof(names)),
            x86_64_v4 & ~x86_64_v2);
  EXPECT_STREQ(names, "xsave movbe lzcnt bmi bmi2 avx f16c fma avx2 avx512f "
                      "avx512dq avx512cd avx512bw avx512vl");
}

TEST(CpuFeatures, NamesAreTruncatedToTheBuffer) {
  char names[8];
  uint64_t required = FEATURE(AVX512F) | FEATURE(AMX_TILE);
  EXPECT_EQ(picosam_cpu_missing_features(required, 0, names, sizeof(names)),
            required);
  EXPECT_STREQ(names, "avx512f");
  char longer[12]; // "avx512f amx" would fit: whole names only
  picosam_cpu_missing_features(required, 0, longer, sizeof(longer));
  EXPECT_STREQ(longer, "avx512f");
  EXPECT_EQ(picosam_cpu_missing_features(required, 0, nullptr, 0), required);
}

//===----------------------------------------------------------------------===//
// The TargetMachine and the features the guard requires
//===----------------------------------------------------------------------===//

uint64_t requiredFor(const std::string &cpu, const std::string &features = "") {
  CpuTargetOptions options;
  options.cpu = cpu;
  options.features = features;
  auto machine = createCpuTargetMachine(options);
  EXPECT_TRUE(bool(machine)) << message(machine.takeError());
  return machine ? requiredCpuFeatures(**machine) : ~uint64_t(0);
}

TEST(CpuTargetMachine, LevelsRequireTheirFeatures) {
  EXPECT_EQ(requiredFor("x86-64"), 0u);
  EXPECT_EQ(requiredFor("x86-64-v2"), x86_64_v2);
  EXPECT_EQ(requiredFor("x86-64-v3"), x86_64_v3);
  EXPECT_EQ(requiredFor("x86-64-v4"), x86_64_v4);
  EXPECT_EQ(requiredFor("x86-64", "+amx-tile"), FEATURE(AMX_TILE));
  EXPECT_EQ(requiredFor("x86-64-v3", "-fma"), x86_64_v3 & ~FEATURE(FMA));
}

// LLVM's host detection and the runtime's CPUID agree: code built for this
// machine passes its own start-up check.
TEST(CpuTargetMachine, HostCodeRunsOnThisMachine) {
  uint64_t required = requiredFor("host");
  EXPECT_NE(required, 0u);
  EXPECT_EQ(required & ~picosam_cpu_features(), 0u);
}

TEST(CpuTargetMachine, HostIsResolvedAndDescribed) {
  CpuTargetOptions options;
  auto machine = createCpuTargetMachine(options);
  ASSERT_TRUE(bool(machine)) << message(machine.takeError());
  EXPECT_NE((*machine)->getTargetCPU(), "host");
  EXPECT_EQ(describeCpuTarget(**machine, options),
            "host (" + (*machine)->getTargetCPU().str() + ")");
  options.cpu = "x86-64-v3";
  options.features = "+avx512vnni";
  EXPECT_EQ(describeCpuTarget(**machine, options), "x86-64-v3 +avx512vnni");
}

TEST(CpuTargetMachine, RejectsWhatLLVMWouldOnlyWarnAbout) {
  CpuTargetOptions options;
  options.cpu = "pentium9";
  EXPECT_NE(message(createCpuTargetMachine(options).takeError())
                .find("unknown CPU 'pentium9'"),
            std::string::npos);
  options.cpu = "x86-64";
  options.features = "avx2";
  EXPECT_NE(message(createCpuTargetMachine(options).takeError())
                .find("unknown CPU feature 'avx2'"),
            std::string::npos);
  options.features = "+avx2,+nosuchfeature";
  EXPECT_NE(message(createCpuTargetMachine(options).takeError())
                .find("unknown CPU feature '+nosuchfeature'"),
            std::string::npos);
  options.features = "";
  options.optLevel = 4;
  EXPECT_NE(message(createCpuTargetMachine(options).takeError())
                .find("optimisation level 4"),
            std::string::npos);
  options.optLevel = 3;
  options.triple = "mips-unknown-linux-gnu";
  EXPECT_NE(message(createCpuTargetMachine(options).takeError())
                .find("no code generator for 'mips-unknown-linux-gnu'"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// The C header
//===----------------------------------------------------------------------===//

class CHeaderTest : public ::testing::Test {
protected:
  CHeaderTest() {
    context.loadDialect<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                        mlir::memref::MemRefDialect>();
  }

  /// Writes the header of the one function of `source` with `arguments`;
  /// the header text, or "error: " and the message.
  std::string header(llvm::StringRef source,
                     std::vector<EntryArgument> arguments,
                     int64_t arenaAlignment = 16) {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    if (!module)
      return "";
    auto entry = *module->getOps<mlir::func::FuncOp>().begin();
    CHeaderOptions options;
    options.arguments = std::move(arguments);
    options.arenaAlignment = arenaAlignment;
    std::string text;
    llvm::raw_string_ostream os(text);
    if (llvm::Error error = writeCHeader(entry, options, os))
      return "error: " + llvm::toString(std::move(error));
    return text;
  }

  mlir::MLIRContext context;
};

const EntryArgument input{"x", EntryArgumentRole::Input, ""};
const EntryArgument output{"y", EntryArgumentRole::Output, ""};
const EntryArgument arena{"arena", EntryArgumentRole::Arena, ""};

TEST_F(CHeaderTest, IntegerElementsAndLayout) {
  std::string text = header(
      "func.func @quantized(%x: memref<1x3x2x2xi8>, %y: memref<4xui8>,"
      " %z: memref<2xi32>) { return }",
      {{"x", EntryArgumentRole::Input, "NCHW"}, output,
       {"z", EntryArgumentRole::Output, ""}});
  EXPECT_NE(text.find("void quantized(const int8_t *x, uint8_t *y, int32_t "
                      "*z);"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("x  input   int8_t[1][3][2][2], 12 bytes (NCHW)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("#define QUANTIZED_Z_ELEMENTS ((size_t)2)"),
            std::string::npos);
  // No arena, no arena constants.
  EXPECT_EQ(text.find("ARENA"), std::string::npos) << text;
}

TEST_F(CHeaderTest, ErrorsNameTheFunctionAndArgument) {
  const char *twoArguments =
      "func.func @f(%x: memref<4xf32>, %arena: memref<64xi8>) { return }";
  EXPECT_EQ(header(twoArguments, {input}),
            "error: entry function 'f': it has 2 arguments but 1 are "
            "described");
  EXPECT_EQ(header(twoArguments, {{"x.1", EntryArgumentRole::Input, ""}, arena}),
            "error: entry function 'f': argument 0 ('x.1') is not named by a "
            "C identifier");
  EXPECT_EQ(header(twoArguments, {input, {"x", EntryArgumentRole::Arena, ""}}),
            "error: entry function 'f': argument 1 ('x') has the name of an "
            "earlier argument");
  EXPECT_EQ(header(twoArguments, {arena, {"a2", EntryArgumentRole::Arena, ""}}),
            "error: entry function 'f': argument 0 ('arena') is the arena but "
            "not a memref<Nxi8>");
  EXPECT_EQ(header(twoArguments, {input, arena}, 24),
            "error: entry function 'f': arena alignment 24 is not a power of "
            "two");
  EXPECT_EQ(header("func.func @g(%a: memref<64xi8>, %b: memref<64xi8>) "
                   "{ return }",
                   {arena, {"second", EntryArgumentRole::Arena, ""}}),
            "error: entry function 'g': argument 1 ('second') is a second "
            "arena");
  EXPECT_EQ(header("func.func @h(%x: memref<?xf32>) { return }", {input}),
            "error: entry function 'h': argument 0 ('x') is not a statically "
            "shaped memref with the identity layout");
  EXPECT_EQ(header("func.func @h(%x: memref<4xf32, strided<[2]>>) { return }",
                   {input}),
            "error: entry function 'h': argument 0 ('x') is not a statically "
            "shaped memref with the identity layout");
  EXPECT_EQ(header("func.func @h(%x: memref<4xf16>) { return }", {input}),
            "error: entry function 'h': argument 0 ('x') has elements of a "
            "type C has no name for");
  EXPECT_EQ(header("func.func @r(%x: memref<4xf32>) -> f32 {"
                   " %c = arith.constant 0.0 : f32 return %c : f32 }",
                   {input}),
            "error: entry function 'r': it returns values; outputs must be "
            "arguments");
}

//===----------------------------------------------------------------------===//
// The static library and the link step
//===----------------------------------------------------------------------===//

TEST(StaticLibrary, MissingRuntimeArchiveIsNamed) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("picosam-lib", "a", path));
  llvm::FileRemover remove(path);
  std::string error = message(writeStaticLibrary(
      path, "model.o", "not an object", {"/nonexistent/libPicoCpuRuntime.a"}));
  EXPECT_NE(error.find("/nonexistent/libPicoCpuRuntime.a"), std::string::npos)
      << error;
}

TEST(StaticLibrary, RuntimeIsNextToTheCompiler) {
  EXPECT_EQ(defaultRuntimeArchives("/opt/picosam/bin/picosam-compile"),
            (std::vector<std::string>{"/opt/picosam/lib/libPicoCpuUkernels.a",
                                      "/opt/picosam/lib/libPicoKernels.a",
                                      "/opt/picosam/lib/libPicoCpuRuntime.a"}));
  EXPECT_EQ(programRuntimeArchives("/opt/picosam/bin/picosam-compile"),
            (std::vector<std::string>{"/opt/picosam/lib/libPicoRuntimeMain.a",
                                      "/opt/picosam/lib/libPicoRuntime.a",
                                      "/opt/picosam/lib/libPicoNpyFormat.a"}));
}

TEST(Link, FailuresSayWhatRan) {
  LinkOptions options;
  options.compilerDriver = "picosam-no-such-compiler";
  EXPECT_NE(message(linkExecutable("/dev/null", {}, options))
                .find("cannot find the C compiler driver "
                      "'picosam-no-such-compiler'"),
            std::string::npos);
  std::string error =
      message(linkExecutable("/nonexistent/dir/a.out", {"/nonexistent.o"}));
  EXPECT_NE(error.find("linking failed"), std::string::npos) << error;
  EXPECT_NE(error.find("-o /nonexistent/dir/a.out /nonexistent.o -lm"),
            std::string::npos)
      << error;
}

} // namespace
