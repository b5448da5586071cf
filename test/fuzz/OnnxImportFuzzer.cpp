//===- OnnxImportFuzzer.cpp - libFuzzer target for the ONNX importer ------===//
//
// Bytes -> model -> import -> verify: the input is written as model.onnx in
// an empty directory of its own (external data resolves inside it only) and
// imported with the default limits; an imported module must verify.
//
//===----------------------------------------------------------------------===//
#include "picosam/Import/OnnxImporter.h"
#include "picosam/InitAllDialects.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {
std::string modelPath() {
  llvm::SmallString<128> directory;
  if (llvm::sys::fs::createUniqueDirectory("picosam-onnx-fuzz", directory))
    std::abort();
  llvm::sys::path::append(directory, "model.onnx");
  return std::string(directory);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path = modelPath();
  static mlir::DialectRegistry *registry = [] {
    auto *result = new mlir::DialectRegistry();
    picosam::registerAllPicosamDialects(*result);
    return result;
  }();
  {
    std::error_code error;
    llvm::raw_fd_ostream file(path, error);
    if (error)
      std::abort();
    file.write(reinterpret_cast<const char *>(data), size);
  }
  // One context serves 1000 inputs (MlirFuzzer.cpp says why).
  static std::unique_ptr<mlir::MLIRContext> context;
  static int uses = 0;
  if (!context || ++uses % 1000 == 0) {
    context = std::make_unique<mlir::MLIRContext>(
        *registry, mlir::MLIRContext::Threading::DISABLED);
    context->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  }
  picosam::OnnxImportOptions options;
  auto module = picosam::importOnnxModel(*context, path, options);
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  // The importer's promise: what it returns verifies.
  if (mlir::failed(mlir::verify(**module)))
    std::abort();
  return 0;
}
