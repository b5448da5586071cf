//===- picosam-opt.cpp - pass driver for picosam's IR ---------------------===//
//
// mlir-opt with the pico dialect and picosam's passes registered, plus the
// upstream dialects pico IR mixes with. Its -o goes through picosam's tool
// support: written atomically, never over the input.
//
//===----------------------------------------------------------------------===//
#include "picosam/InitAllDialects.h"
#include "picosam/InitAllPasses.h"
#include "picosam/Support/ToolSupport.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::DialectRegistry registry;
  picosam::registerAllPicosamDialects(registry);
  picosam::registerAllPicosamPasses();
  auto [inputPath, outputPath] = mlir::registerAndParseCLIOptions(
      argc, argv, "picosam optimizer: runs picosam's passes on MLIR files\n",
      registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects()) {
    llvm::outs() << "Available Dialects: ";
    llvm::interleave(registry.getDialectNames(), llvm::outs(), ",");
    llvm::outs() << "\n";
    return 0;
  }
  if (config.shouldListPasses()) {
    mlir::printRegisteredPasses();
    return 0;
  }

  picosam::ToolFiles files;
  files.addInput("the input", inputPath);
  files.addOutput("-o", outputPath);
  if (llvm::Error error = files.check())
    return picosam::reportFailure(std::move(error));
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputPath, &errorMessage);
  if (!input)
    return picosam::reportFailure(errorMessage);
  if (llvm::Error error = picosam::checkMlirNesting(*input))
    return picosam::reportFailure(std::move(error));
  llvm::Expected<picosam::OutputFile> output =
      picosam::OutputFile::open(outputPath);
  if (!output)
    return picosam::reportFailure(output.takeError());
  // A failed pipeline reports its own diagnostics; the output is then
  // discarded and -o left as it was.
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  if (llvm::Error error = output->commit())
    return picosam::reportFailure(std::move(error));
  return 0;
}
