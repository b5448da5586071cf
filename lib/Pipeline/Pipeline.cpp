//===- Pipeline.cpp - the compiler's phases -------------------------------===//
#include "picosam/Pipeline/Pipeline.h"

#include "picosam/Import/OnnxModel.h"
#include "picosam/Quantization/Quantize.h"
#include "picosam/Support/ToolSupport.h"
#include "picosam/Target/IMX500/Legality.h"
#include "picosam/Target/IMX500/NetworkWriter.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace picosam;

llvm::Expected<OwningOpRef<ModuleOp>>
picosam::importModel(MLIRContext &context, llvm::StringRef path,
                     const OnnxImportOptions &options) {
  if (llvm::sys::path::extension(path) == ".onnx")
    return importOnnxModel(context, path, options);
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  if (llvm::Error error = checkMlirNesting(**buffer))
    return std::move(error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return llvm::createStringError(path + ": could not parse or verify the IR");
  if (failed(checkConstantSizes(*module, options.maxConstantBytes)))
    return llvm::createStringError(path + ": a constant is too large");
  return std::move(module);
}

LogicalResult picosam::checkImx500OnnxModel(MLIRContext &context,
                                            llvm::StringRef path) {
  onnx::ModelProto model;
  if (llvm::sys::path::extension(path) != ".onnx")
    return success();
  if (llvm::Error error = loadOnnxModel(path, model)) {
    llvm::consumeError(std::move(error));
    return success();
  }
  return imx500::checkImx500OnnxGraph(context, path, model);
}

LogicalResult picosam::setTarget(ModuleOp module,
                                 const SetTargetOptions &options) {
  PassManager pm(module->getContext());
  pm.addPass(createSetTarget(options));
  return pm.run(module);
}

bool picosam::carriesQuantization(ModuleOp module) {
  return module->hasAttr(pico::PicoDialect::kCalibrationAttrName);
}

llvm::Expected<CalibrationTable>
picosam::getCalibrationTable(ModuleOp module,
                             const QuantizationOptions &options,
                             CalibrationProgress progress) {
  if (std::optional<CalibrationTable> carried = getModuleCalibration(module)) {
    if (!options.calibrationData.empty() || !options.calibrationTable.empty())
      return llvm::createStringError(
          "--calibration-data and --calibration-table do not apply to an "
          "MCTQ model: its mct_quantizers nodes give the thresholds");
    return std::move(*carried);
  }
  if (options.calibrationData.empty()) {
    if (options.calibrationTable.empty())
      return llvm::createStringError(
          "--to=quantized needs calibration: give --calibration-data=<.npz, "
          ".npy or directory> (the shipped set is "
          "models/data/calibration.npz) or --calibration-table=<file>");
    return CalibrationTable::read(options.calibrationTable);
  }
  CalibrationOptions calibration = options.calibration;
  llvm::Expected<QuantizationProfile> profile = selectQuantizationProfile(
      options.profile, pico::TargetAttr::lookup(module));
  if (!profile)
    return profile.takeError();
  calibration.profile = *profile;

  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal())
    return llvm::createStringError(
        "calibration runs @main, which " +
        llvm::Twine(func ? "has no body" : "does not exist"));
  if (func.getNumArguments() != 1)
    return llvm::createStringError(
        "calibration runs @main on one input per sample, but it takes " +
        llvm::Twine(func.getNumArguments()) + " arguments");
  auto inputType = dyn_cast<RankedTensorType>(func.getArgument(0).getType());
  if (!inputType || !inputType.getElementType().isF32())
    return llvm::createStringError("calibration needs an f32 input tensor");
  llvm::Expected<std::vector<Tensor>> samples =
      loadCalibrationSet(options.calibrationData, inputType.getShape(),
                         options.maxNpzBytes);
  if (!samples)
    return samples.takeError();
  llvm::Expected<CalibrationTable> table =
      calibrate(func, *samples, calibration, progress);
  if (!table)
    return table.takeError();
  table->header() = {
      "picosam calibration table",
      llvm::formatv("method: {0}, profile: {1}, samples: {2} ({3})",
                    stringifyCalibrationMethod(calibration.method),
                    stringifyQuantizationProfile(calibration.profile),
                    samples->size(), options.calibrationData)
          .str()};
  if (calibration.method == CalibrationMethod::Percentile)
    table->header().push_back(
        llvm::formatv("percentile: {0}", calibration.percentile));
  return table;
}

void picosam::buildQuantizationPhase(OpPassManager &pm,
                                     const QuantizationOptions &options,
                                     CalibrationTable table) {
  QuantizeOptions quantize;
  if (options.profile)
    quantize.profile = stringifyQuantizationProfile(*options.profile).str();
  quantize.floatLayers.assign(options.floatLayers.begin(),
                              options.floatLayers.end());
  pm.addPass(createQuantizePass(quantize, std::move(table)));
}

void picosam::buildPlanningPhase(OpPassManager &pm,
                                 const PlanMemoryOptions &options) {
  pm.addNestedPass<func::FuncOp>(createPlanMemory(options));
  // A plan that breaks its own rules never leaves the compiler.
  pm.addNestedPass<func::FuncOp>(createVerifyMemoryPlan());
}

void picosam::buildPipeline(OpPassManager &pm, const PipelineOptions &options,
                            std::optional<CalibrationTable> table) {
  if (options.stage == Stage::Imported)
    return;
  buildFusionPipeline(pm);
  if (options.quantization)
    buildQuantizationPhase(pm, *options.quantization, std::move(*table));
  // The network file only for a model the sensor can run: it fails with
  // every rule it breaks (docs/imx500.md), before planning.
  if (options.stage == Stage::Network && options.target &&
      options.target->target == pico::TargetKind::Imx500)
    pm.addNestedPass<func::FuncOp>(createCheckImx500());
  if (options.stage >= Stage::Planned)
    buildPlanningPhase(pm, options.planning);
}

LogicalResult picosam::emitNetwork(ModuleOp module,
                                   const PlanMemoryOptions &planning,
                                   llvm::raw_ostream &os) {
  pico::TargetAttr target = pico::TargetAttr::lookup(module);
  if (!target || target.getKind() != pico::TargetKind::Imx500)
    return module.emitError("--to=network writes the network file of an "
                            "imx500 target (--target=imx500); this module's "
                            "target is ")
           << (target ? stringifyTargetKind(target.getKind()) : "not set");
  return writeImx500Network(module, planning, os);
}
