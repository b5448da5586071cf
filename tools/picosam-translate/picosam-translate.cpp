//===- picosam-translate.cpp - picosam's IR <-> other formats ------------===//
//
// mlir-translate with picosam's translations registered (today the IMX500
// network file, --pico-to-imx500-network). Its -o goes through picosam's
// tool support: written atomically, never over the input, nothing written
// when the translation fails. --verify-diagnostics checks the expected-*
// comments of the input, as in mlir-translate.
//
//===----------------------------------------------------------------------===//
#include "picosam/Interpreter/Diagnostics.h"
#include "picosam/Support/ToolSupport.h"
#include "picosam/Target/IMX500/NetworkWriter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace llvm;

static cl::opt<std::string> inputPath(cl::Positional,
                                      cl::desc("<input file>"),
                                      cl::init("-"));
static cl::opt<std::string> outputPath("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"));
static cl::opt<bool> verifyDiagnostics(
    "verify-diagnostics",
    cl::desc("Check that the diagnostics match the input's expected-* "
             "comments"),
    cl::init(false));

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  picosam::registerToImx500NetworkTranslation();
  cl::opt<const mlir::Translation *, false, mlir::TranslationParser>
      translation(cl::desc("Translation to perform"), cl::Required);
  cl::ParseCommandLineOptions(argc, argv, "picosam translation driver\n");

  picosam::ToolFiles files;
  files.addInput("the input", inputPath);
  files.addOutput("-o", outputPath);
  if (Error error = files.check())
    return picosam::reportFailure(std::move(error));
  std::string message;
  std::unique_ptr<MemoryBuffer> input = mlir::openInputFile(inputPath, &message);
  if (!input)
    return picosam::reportFailure(message);

  // The translation registers the dialects it reads.
  mlir::MLIRContext context;
  auto sourceMgr = std::make_shared<SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(input), SMLoc());

  if (verifyDiagnostics) {
    mlir::SourceMgrDiagnosticVerifierHandler handler(*sourceMgr, &context);
    context.printOpOnDiagnostic(false);
    std::string ignored;
    raw_string_ostream output(ignored);
    (void)(*translation)(sourceMgr, output, &context);
    return mlir::failed(handler.verify()) ? 1 : 0;
  }
  picosam::ToolDiagnosticHandler handler(*sourceMgr, &context);
  bool translated = true;
  Error error = picosam::writeOutputFile(outputPath, [&](raw_ostream &os) -> Error {
    if (mlir::succeeded((*translation)(sourceMgr, os, &context)))
      return Error::success();
    translated = false;
    return createStringError("the translation failed");
  });
  // A failed translation has reported its diagnostics and written nothing.
  if (!translated) {
    consumeError(std::move(error));
    return 1;
  }
  if (error)
    return picosam::reportFailure(std::move(error));
  return 0;
}
