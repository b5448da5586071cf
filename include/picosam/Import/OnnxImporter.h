//===- OnnxImporter.h - ONNX model -> pico IR -------------------*- C++ -*-===//
//
// Reads an ONNX model (protobuf, optionally with external data files) and
// builds a module with one `func.func @main` whose arguments are the graph
// inputs and whose results are the graph outputs, one pico op per ONNX node.
// Constant sub-graphs (shape arithmetic exporters emit for Reshape and
// Resize) are folded while importing.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_IMPORT_ONNXIMPORTER_H
#define PICOSAM_IMPORT_ONNXIMPORTER_H

#include "picosam/Support/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace picosam {

struct OnnxImportOptions {
  /// Static shapes for graph inputs, by input name; they replace the
  /// model's symbolic or unknown dimensions.
  llvm::StringMap<llvm::SmallVector<int64_t, 4>> inputShapes;
  /// The most elements a constant computed at import (ConstantOfShape, a
  /// folded Concat, Gather or broadcasting operation) may have: folding
  /// holds it in memory, and a hostile model asks for 2^40.
  int64_t maxFoldElements = kDefaultMaxFoldElements;
  static constexpr int64_t kDefaultMaxFoldElements = int64_t(1) << 24;
  /// An MLIR input instead (picosam::importModel): the most bytes one of
  /// its constants may hold (checkConstantSizes).
  uint64_t maxConstantBytes = kDefaultMaxConstantBytes;
};

/// Reads `--max-fold-elements`'s value into `options`: at least 1.
llvm::Error setMaxFoldElements(int64_t value, OnnxImportOptions &options);

/// Parses one `--input-shape` value, `name:1x3x96x96`, into `options`.
llvm::Error parseInputShape(llvm::StringRef spec, OnnxImportOptions &options);

/// Imports the ONNX model at `path`. Every failure is an llvm::Error whose
/// message starts with `path` and names the graph element (node, input,
/// initializer) at fault; nothing is printed.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxModel(mlir::MLIRContext &context, llvm::StringRef path,
                const OnnxImportOptions &options);

/// The ONNX operators the importer accepts (default domain), sorted.
std::vector<std::string> getSupportedOnnxOps();

} // namespace picosam

#endif // PICOSAM_IMPORT_ONNXIMPORTER_H
