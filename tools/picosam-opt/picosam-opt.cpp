//===- picosam-opt.cpp - pass driver for picosam's IR ---------------------===//
//
// mlir-opt with the pico dialect and picosam's passes registered, plus the
// upstream dialects pico IR mixes with. Its -o goes through picosam's tool
// support: written atomically, never over the input. A failing pass is named
// with its op and location; the op's text is printed only on request.
//
//===----------------------------------------------------------------------===//
#include "picosam/InitAllDialects.h"
#include "picosam/InitAllPasses.h"
#include "picosam/Support/ToolSupport.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"

namespace {
/// Names the pass, the op it failed on and the op's location, instead of
/// the whole module MLIR attaches to each error by default (hundreds of
/// kilobytes for PicoSAM3).
struct PassFailureNaming : mlir::PassInstrumentation {
  void runAfterPassFailed(mlir::Pass *pass, mlir::Operation *op) override {
    // Pass managers nested in one (adaptors) fail with the pass inside.
    if (pass->getArgument().empty())
      return;
    // A note: the pass has reported its error already.
    mlir::InFlightDiagnostic diagnostic =
        op->getContext()->getDiagEngine().emit(op->getLoc(),
                                               mlir::DiagnosticSeverity::Note);
    diagnostic << "'" << pass->getArgument() << "' failed on '"
               << op->getName() << "'";
    if (auto symbol = op->getAttrOfType<mlir::StringAttr>(
            mlir::SymbolTable::getSymbolAttrName()))
      diagnostic << " @" << symbol.getValue();
  }
};
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::DialectRegistry registry;
  picosam::registerAllPicosamDialects(registry);
  picosam::registerAllPicosamPasses();
  // Errors do not print their op unless asked for with
  // --mlir-print-op-on-diagnostic.
  std::vector<char *> arguments(argv, argv + argc);
  static char noOpOnDiagnostic[] = "--mlir-print-op-on-diagnostic=false";
  if (llvm::none_of(arguments, [](llvm::StringRef argument) {
        return argument.contains("mlir-print-op-on-diagnostic");
      }))
    arguments.insert(arguments.begin() + 1, noOpOnDiagnostic);
  auto [inputPath, outputPath] = mlir::registerAndParseCLIOptions(
      static_cast<int>(arguments.size()), arguments.data(),
      "picosam optimizer: runs picosam's passes on MLIR files\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Under --verify-diagnostics every diagnostic must be expected: the
  // tests expect their passes' own.
  if (!config.shouldVerifyDiagnostics()) {
    mlir::MlirOptMainConfig pipeline = config;
    config.setPassPipelineSetupFn([pipeline](mlir::PassManager &passes) {
      passes.addInstrumentation(std::make_unique<PassFailureNaming>());
      return pipeline.setupPassPipeline(passes);
    });
  }
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
