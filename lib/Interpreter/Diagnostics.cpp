//===- Diagnostics.cpp - the tools' diagnostics, by value names -----------===//
#include "picosam/Interpreter/Diagnostics.h"

#include "picosam/Interpreter/ValueNames.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace picosam;

static llvm::SourceMgr::DiagKind diagKind(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Note:
    return llvm::SourceMgr::DK_Note;
  case DiagnosticSeverity::Warning:
    return llvm::SourceMgr::DK_Warning;
  case DiagnosticSeverity::Error:
    return llvm::SourceMgr::DK_Error;
  case DiagnosticSeverity::Remark:
    return llvm::SourceMgr::DK_Remark;
  }
  llvm_unreachable("unknown diagnostic severity");
}

ToolDiagnosticHandler::ToolDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                                             MLIRContext *context)
    : SourceMgrDiagnosticHandler(sourceMgr, context) {
  context->printOpOnDiagnostic(false);
  // Replaces the handler the base class registered.
  setHandler([this](Diagnostic &diag) {
    emit(diag.getLocation(), diag.str(), diag.getSeverity());
    for (Diagnostic &note : diag.getNotes())
      emit(note.getLocation(), note.str(), note.getSeverity());
    return success();
  });
}

void ToolDiagnosticHandler::emit(Location loc, const llvm::Twine &message,
                                 DiagnosticSeverity severity) {
  std::optional<std::string> name = locationName(loc);
  if (!name) {
    emitDiagnostic(loc, message, severity);
    return;
  }
  llvm::SMDiagnostic(*name, diagKind(severity), message.str())
      .print(/*ProgName=*/nullptr, os);
}
