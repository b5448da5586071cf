//===- picosam-import.cpp - ONNX model -> pico IR -------------------------===//
//
// picosam-import model.onnx [-o out.mlir] [--input-shape=name:1x3x96x96]...
//
// Prints the imported module (MLIR's --mlir-print-* options apply, e.g.
// --mlir-print-debuginfo shows every op's ONNX node name). Errors go to
// stderr as "error: <file>: ..." with exit code 1. A separate tool keeps
// protobuf and libonnx out of picosam-opt.
//
//===----------------------------------------------------------------------===//
#include "picosam/Import/OnnxImporter.h"
#include "picosam/Support/ToolSupport.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory importCategory("picosam-import options");

static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::cat(importCategory));

static cl::opt<std::string> outputPath("o", cl::desc("Output file (default: stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(importCategory));

static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape for a graph input with symbolic or unknown "
                         "dimensions, e.g. --input-shape=input:1x3x96x96 (repeatable)"),
                cl::value_desc("name:shape"), cl::cat(importCategory));

static cl::opt<int64_t> maxFoldElements(
    "max-fold-elements",
    cl::desc("Refuse constants computed at import (ConstantOfShape, folded "
             "Concat, Gather, broadcasts) of more elements than this"),
    cl::init(picosam::OnnxImportOptions::kDefaultMaxFoldElements),
    cl::cat(importCategory));

static cl::opt<bool> listSupportedOps("list-supported-ops",
                                      cl::desc("Print the supported ONNX operators, one "
                                               "per line, and exit"),
                                      cl::cat(importCategory));

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  // --help lists this tool's options and MLIR's printing options, not the
  // hundreds every LLVM tool links in (they still parse).
  cl::HideUnrelatedOptions(importCategory);
  for (auto &option : cl::getRegisteredOptions())
    if (option.first.starts_with("mlir-print-") ||
        option.first.starts_with("mlir-elide-"))
      option.second->setHiddenFlag(cl::NotHidden);
  cl::ParseCommandLineOptions(argc, argv,
                              "picosam-import: ONNX model -> pico dialect IR "
                              "(func.func @main)\n");

  if (listSupportedOps) {
    for (const std::string &op : picosam::getSupportedOnnxOps())
      outs() << op << "\n";
    return 0;
  }
  if (modelPath.empty())
    return picosam::reportFailure(
        "no model given (usage: picosam-import model.onnx [-o out.mlir])");
  picosam::ToolFiles files;
  files.addInput("the model", modelPath);
  files.addOutput("-o", outputPath);
  if (Error error = files.check())
    return picosam::reportFailure(std::move(error));

  picosam::OnnxImportOptions options;
  for (const std::string &spec : inputShapes)
    if (Error err = picosam::parseInputShape(spec, options))
      return picosam::reportFailure(std::move(err));
  if (Error err = picosam::setMaxFoldElements(maxFoldElements, options))
    return picosam::reportFailure(std::move(err));

  mlir::MLIRContext context;
  auto module = picosam::importOnnxModel(context, modelPath, options);
  if (!module)
    return picosam::reportFailure(module.takeError());

  if (Error error = picosam::writeOutputFile(outputPath, [&](raw_ostream &os) {
        (*module)->print(os);
        os << "\n";
        return Error::success();
      }))
    return picosam::reportFailure(std::move(error));
  return 0;
}
