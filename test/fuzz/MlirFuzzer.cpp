//===- MlirFuzzer.cpp - libFuzzer target for pico IR text -----------------===//
//
// Text -> the nesting bound picosam-opt applies first -> MLIR's parser with
// picosam's dialects -> the verifiers (pico's op, attribute and type
// verifiers run on whatever the parser accepts).
//
//===----------------------------------------------------------------------===//
#include "picosam/InitAllDialects.h"
#include "picosam/Support/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::DialectRegistry *registry = [] {
    auto *result = new mlir::DialectRegistry();
    picosam::registerAllPicosamDialects(*result);
    return result;
  }();
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir");
  if (llvm::Error error = picosam::checkMlirNesting(*buffer)) {
    llvm::consumeError(std::move(error));
    return 0;
  }
  // Making a context with every dialect loaded costs more than most inputs
  // take to parse: one context serves 1000 inputs (its uniqued attributes
  // and types grow meanwhile).
  static std::unique_ptr<mlir::MLIRContext> context;
  static int uses = 0;
  if (!context || ++uses % 1000 == 0) {
    context = std::make_unique<mlir::MLIRContext>(
        *registry, mlir::MLIRContext::Threading::DISABLED);
    context->loadAllAvailableDialects();
    context->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  // parseSourceFile verifies what it parsed.
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, context.get());
  (void)module;
  return 0;
}
