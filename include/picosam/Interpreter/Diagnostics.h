//===- Diagnostics.h - the tools' diagnostics, by value names ---*- C++ -*-===//
//
// How picosam-compile, picosam-run and picosam-translate print MLIR
// diagnostics. Ops keep their ONNX node names as locations through every
// stage (a fused op a FusedLoc of all the nodes it merged), so a diagnostic
// at such a location names the op as the dumps and calibration tables do
// (ValueNames.h): its names joined with '+',
//
//   /enc1/dw/Conv+/enc1/dw_relu/Relu: error: 'pico.conv2d' op ...
//
// rather than as raw `loc(fused["/enc1/dw/Conv"(...), ...])`; a location
// without names (a position in a parsed file) is shown with its source line
// as SourceMgrDiagnosticHandler shows it. The op itself is not printed with
// its diagnostic (the op's name and location say which op it is; a
// function would print whole): picosam-opt --mlir-print-op-on-diagnostic
// shows it.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INTERPRETER_DIAGNOSTICS_H
#define PICOSAM_INTERPRETER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

namespace picosam {

/// Prints every diagnostic of `context` (and its notes) as the file comment
/// says, while it lives; turns off the context's printing of ops on
/// diagnostics.
class ToolDiagnosticHandler : public mlir::SourceMgrDiagnosticHandler {
public:
  ToolDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                        mlir::MLIRContext *context);

private:
  void emit(mlir::Location loc, const llvm::Twine &message,
            mlir::DiagnosticSeverity severity);
};

} // namespace picosam

#endif // PICOSAM_INTERPRETER_DIAGNOSTICS_H
