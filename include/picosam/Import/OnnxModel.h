//===- OnnxModel.h - an ONNX file as its protobuf ---------------*- C++ -*-===//
//
// Reading an ONNX model file into onnx::ModelProto, for the importer and
// for the writers that annotate a source model (the MCTQ export,
// docs/imx500.md). Only libonnx's protobuf classes are used: they compile
// without exceptions.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_IMPORT_ONNXMODEL_H
#define PICOSAM_IMPORT_ONNXMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

// onnx_pb.h defines ONNX_API, which onnx-ml.pb.h needs, then includes it.
#include "onnx/onnx_pb.h"

namespace picosam {

/// Parses the ONNX model at `path` into `model`. Errors start with `path`
/// (unreadable, larger than protobuf's 2 GiB, not a model, no graph).
llvm::Error loadOnnxModel(llvm::StringRef path, onnx::ModelProto &model);

/// The domain of MCT's quantizer nodes (docs/imx500.md).
inline constexpr llvm::StringLiteral kMctQuantizersDomain = "mct_quantizers";

} // namespace picosam

#endif // PICOSAM_IMPORT_ONNXMODEL_H
