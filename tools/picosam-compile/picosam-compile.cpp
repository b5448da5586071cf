//===- picosam-compile.cpp - model -> compiled stages ---------------------===//
//
// picosam-compile model.onnx|stage.mlir -o out.mlir --to=<stage>
//
// The compiler driver: imports an ONNX model (or reads the IR of an earlier
// stage) and runs the pipeline up to the requested stage. Every stage's
// output is printed with its locations, so tensors keep their ONNX node
// names from one stage to the next and picosam-run can compare any two.
//
//===----------------------------------------------------------------------===//
#include "picosam/Analysis/MemoryReport.h"
#include "picosam/Analysis/Passes.h"
#include "picosam/Import/OnnxImporter.h"
#include "picosam/InitAllDialects.h"
#include "picosam/Quantization/Calibration.h"
#include "picosam/Quantization/Quantize.h"
#include "picosam/Support/ToolSupport.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace llvm;

namespace {
/// The stages of the pipeline, in order; `--to` names the last one to run.
enum class Stage { Imported, Fused, Quantized, Planned };
} // namespace

static cl::OptionCategory compileCategory("picosam-compile options");

static cl::opt<std::string> inputPath(cl::Positional,
                                      cl::desc("<model.onnx | stage.mlir>"),
                                      cl::cat(compileCategory));

static cl::opt<std::string> outputPath("o", cl::desc("Output file (default: stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(compileCategory));

static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape for an ONNX graph input with symbolic or "
                         "unknown dimensions, e.g. --input-shape=input:1x3x96x96"),
                cl::value_desc("name:shape"), cl::cat(compileCategory));

static cl::opt<Stage> targetStage(
    "to", cl::desc("The last stage to run (default: imported)"),
    cl::values(clEnumValN(Stage::Imported, "imported",
                          "the ONNX graph as pico ops, one per node"),
               clEnumValN(Stage::Fused, "fused",
                          "after --pico-fusion-pipeline: batch_norm folded, "
                          "activations, adds, upsamples and channel attention "
                          "fused, separable blocks formed"),
               clEnumValN(Stage::Quantized, "quantized",
                          "the fused graph quantized (INT8 PTQ, "
                          "docs/quantization.md); needs --calibration-data "
                          "or --calibration-table"),
               clEnumValN(Stage::Planned, "planned",
                          "the fused graph, quantized when given "
                          "--calibration-data or --calibration-table, with "
                          "its memory plan (--pico-plan-memory, "
                          "docs/memory.md)")),
    cl::init(Stage::Imported), cl::cat(compileCategory));

static cl::opt<int64_t> planAlignment(
    "plan-alignment",
    cl::desc("--to=planned: offsets are multiples of this many bytes"),
    cl::value_desc("bytes"), cl::init(16), cl::cat(compileCategory));
static cl::opt<bool> planTileSeparableBlocks(
    "plan-tile-separable-blocks",
    cl::desc("--to=planned: run separable blocks row by row (their "
             "intermediate is a ring of rows; a block read only as a conv's "
             "residual streams into that conv)"),
    cl::cat(compileCategory));
static cl::opt<int64_t> planElementBytes(
    "plan-element-bytes",
    cl::desc("--to=planned: count every activation and weight element as "
             "this many bytes (1: an INT8 estimate of a float graph); 0: each "
             "type's width"),
    cl::value_desc("bytes"), cl::init(0), cl::cat(compileCategory));
static cl::opt<int64_t> planBeamWidth(
    "plan-schedule-beam-width",
    cl::desc("--to=planned: partial schedules the schedule search keeps per "
             "step; 0 keeps the input order"),
    cl::init(4096), cl::cat(compileCategory));
static cl::opt<int64_t> memoryBudget(
    "memory-budget",
    cl::desc("--to=planned: fail, at the op of the peak step, when weights + "
             "arena + --memory-reserved exceed this (IMX500: 8388480)"),
    cl::value_desc("bytes"), cl::init(0), cl::cat(compileCategory));
static cl::opt<int64_t> memoryReserved(
    "memory-reserved",
    cl::desc("--to=planned: bytes the target reserves, counted against "
             "--memory-budget"),
    cl::value_desc("bytes"), cl::init(0), cl::cat(compileCategory));
static cl::opt<std::string> memoryReport(
    "memory-report",
    cl::desc("--to=planned: print the memory plan of @main (stderr) and "
             "write it to PREFIX.txt, PREFIX.json and PREFIX.svg"),
    cl::value_desc("PREFIX"), cl::cat(compileCategory));

static cl::OptionCategory quantizationCategory(
    "picosam-compile quantization options (--to=quantized)");

static cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("Calibration set: an .npz or .npy of uint8 NHWC crops "
             "(normalised as models/data.py does) or float32 inputs, or a "
             "directory of .npy files; e.g. models/data/calibration.npz"),
    cl::value_desc("path"), cl::cat(quantizationCategory));

static cl::opt<picosam::CalibrationMethod> calibrationMethod(
    "calibration-method", cl::desc("How each tensor's threshold is chosen"),
    cl::values(clEnumValN(picosam::CalibrationMethod::MinMax, "minmax",
                          "the largest |x| (no clipping)"),
               clEnumValN(picosam::CalibrationMethod::Percentile, "percentile",
                          "the --calibration-percentile of |x|"),
               clEnumValN(picosam::CalibrationMethod::Mse, "mse",
                          "the smallest expected squared error"),
               clEnumValN(picosam::CalibrationMethod::Kl, "kl",
                          "the smallest KL divergence (entropy)")),
    cl::init(picosam::CalibrationMethod::Mse), cl::cat(quantizationCategory));

static cl::opt<double> calibrationPercentile(
    "calibration-percentile",
    cl::desc("Percentile of |x| for --calibration-method=percentile"),
    cl::init(99.99), cl::cat(quantizationCategory));

static cl::opt<std::string> calibrationTable(
    "calibration-table",
    cl::desc("With --calibration-data, write the calibration table here; "
             "without, read it from here instead of calibrating"),
    cl::value_desc("file"), cl::cat(quantizationCategory));

static cl::opt<std::string>
    profile("profile",
            cl::desc("cpu: int8 with any real scale and zero points; imx500: "
                     "power-of-two thresholds, symmetric, unsigned after "
                     "ReLU-like ops"),
            cl::value_desc("cpu|imx500"), cl::init("cpu"),
            cl::cat(quantizationCategory));

static cl::list<std::string> floatLayers(
    "float-layers",
    cl::desc("Ops to keep in float, by name (comma-separated); the cost is "
             "reported on stderr"),
    cl::value_desc("name,..."), cl::CommaSeparated,
    cl::cat(quantizationCategory));

static int fail(const Twine &message) {
  return picosam::reportFailure(message);
}

/// What the run writes: the IR, the calibration table, the memory report.
/// They replace their targets only once all are written.
static picosam::OutputFiles outputs;

/// Reads the input: an ONNX model is imported, anything else is parsed as
/// the MLIR of an earlier stage.
static mlir::OwningOpRef<mlir::ModuleOp> loadInput(mlir::MLIRContext &context) {
  if (sys::path::extension(inputPath) == ".onnx") {
    picosam::OnnxImportOptions options;
    for (const std::string &spec : inputShapes)
      if (Error err = picosam::parseInputShape(spec, options)) {
        fail(toString(std::move(err)));
        return nullptr;
      }
    auto module = picosam::importOnnxModel(context, inputPath, options);
    if (!module) {
      fail(toString(module.takeError()));
      return nullptr;
    }
    return std::move(*module);
  }
  // Parse errors are reported by the parser, with file, line and column.
  return mlir::parseSourceFile<mlir::ModuleOp>(inputPath, &context);
}

/// A progress bar on stderr: redrawn in place on a terminal, else a line
/// every tenth of the samples.
static void reportProgress(StringRef phase, int64_t done, int64_t total) {
  raw_ostream &os = errs();
  if (os.is_displayed()) {
    constexpr int64_t width = 30;
    int64_t filled = done * width / total;
    os << "\rcalibrating, " << phase << " [" << std::string(filled, '#')
       << std::string(width - filled, '.') << "] " << done << "/" << total;
    if (done == total)
      os << "\n";
  } else if (done == total || done % std::max<int64_t>(total / 10, 1) == 0) {
    os << "calibrating, " << phase << ": " << done << "/" << total << "\n";
  }
  os.flush();
}

/// The calibration table --to=quantized uses: calibrated on `module` (the
/// graph as imported, so entries carry ONNX node names) from
/// --calibration-data, or read from --calibration-table.
static Expected<picosam::CalibrationTable>
getCalibrationTable(mlir::ModuleOp module) {
  if (calibrationData.empty()) {
    if (calibrationTable.empty())
      return createStringError(
          "--to=quantized needs calibration: give --calibration-data=<.npz, "
          ".npy or directory> (the shipped set is "
          "models/data/calibration.npz) or --calibration-table=<file>");
    return picosam::CalibrationTable::read(calibrationTable);
  }
  auto func = module.lookupSymbol<mlir::func::FuncOp>("main");
  if (!func || func.isExternal())
    return createStringError("calibration runs @main, which " +
                             Twine(func ? "has no body" : "does not exist"));
  if (func.getNumArguments() != 1)
    return createStringError(
        "calibration runs @main on one input per sample, but it takes " +
        Twine(func.getNumArguments()) + " arguments");
  auto inputType =
      dyn_cast<mlir::RankedTensorType>(func.getArgument(0).getType());
  if (!inputType || !inputType.getElementType().isF32())
    return createStringError("calibration needs an f32 input tensor");
  Expected<std::vector<picosam::Tensor>> samples =
      picosam::loadCalibrationSet(calibrationData, inputType.getShape());
  if (!samples)
    return samples.takeError();
  picosam::CalibrationOptions options;
  options.method = calibrationMethod;
  options.profile = *picosam::parseQuantizationProfile(profile);
  options.percentile = calibrationPercentile;
  Expected<picosam::CalibrationTable> table =
      picosam::calibrate(func, *samples, options, reportProgress);
  if (!table)
    return table.takeError();
  table->header() = {
      "picosam calibration table",
      formatv("method: {0}, profile: {1}, samples: {2} ({3})",
              picosam::stringifyCalibrationMethod(options.method), profile,
              samples->size(), calibrationData)
          .str()};
  if (options.method == picosam::CalibrationMethod::Percentile)
    table->header().push_back(formatv("percentile: {0}", options.percentile));
  if (!calibrationTable.empty())
    if (Error error = outputs.write(calibrationTable, [&](raw_ostream &os) {
          table->print(os);
          return Error::success();
        }))
      return std::move(error);
  return table;
}

/// Adds the quantization of a fused module with calibration `table`.
static void addQuantization(mlir::PassManager &pm,
                            picosam::CalibrationTable table) {
  picosam::QuantizeOptions options;
  options.profile = profile;
  options.floatLayers.assign(floatLayers.begin(), floatLayers.end());
  pm.addPass(picosam::createQuantizePass(options, std::move(table)));
}

/// Adds the passes that take an imported module to `stage`; `table` is the
/// calibration of --to=quantized, or of --to=planned planning the quantized
/// graph.
static void addStagePasses(mlir::PassManager &pm, Stage stage,
                           std::optional<picosam::CalibrationTable> table) {
  switch (stage) {
  case Stage::Imported:
    break;
  case Stage::Fused:
    picosam::buildFusionPipeline(pm);
    break;
  case Stage::Planned: {
    picosam::buildFusionPipeline(pm);
    if (table)
      addQuantization(pm, std::move(*table));
    picosam::PlanMemoryOptions options;
    options.alignment = planAlignment;
    options.tileSeparableBlocks = planTileSeparableBlocks;
    options.assumeElementBytes = planElementBytes;
    options.scheduleBeamWidth = planBeamWidth;
    options.budget = memoryBudget;
    options.reserved = memoryReserved;
    pm.addNestedPass<mlir::func::FuncOp>(picosam::createPlanMemory(options));
    break;
  }
  case Stage::Quantized:
    picosam::buildFusionPipeline(pm);
    addQuantization(pm, std::move(*table));
    break;
  }
}

/// Prints the memory plan of @main on stderr and writes it as
/// --memory-report.{txt,json,svg}.
static int writeMemoryReport(mlir::ModuleOp module) {
  auto func = module.lookupSymbol<mlir::func::FuncOp>("main");
  if (!func)
    return fail("--memory-report: the module has no @main");
  mlir::FailureOr<picosam::MemoryReport> report =
      picosam::MemoryReport::read(func);
  if (mlir::failed(report))
    return 1;
  std::optional<picosam::MemoryBudget> budget;
  if (memoryBudget > 0)
    budget = picosam::MemoryBudget{memoryBudget, memoryReserved};
  report->printText(errs(), budget);
  auto write = [&](StringRef extension,
                   function_ref<void(raw_ostream &)> print) -> bool {
    if (Error error = outputs.write(memoryReport + extension.str(),
                                    [&](raw_ostream &os) {
                                      print(os);
                                      return Error::success();
                                    })) {
      fail(toString(std::move(error)));
      return false;
    }
    return true;
  };
  bool written =
      write(".txt", [&](raw_ostream &os) { report->printText(os, budget); }) &&
      write(".json", [&](raw_ostream &os) { report->printJson(os, budget); }) &&
      write(".svg", [&](raw_ostream &os) { report->printSvg(os); });
  return written ? 0 : 1;
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  // --help shows this tool's options and the pass manager's timing and
  // statistics, not the hundreds of options every LLVM tool links in.
  cl::HideUnrelatedOptions({&compileCategory, &quantizationCategory});
  for (auto &option : cl::getRegisteredOptions())
    if (option.first.starts_with("mlir-timing") ||
        option.first.starts_with("mlir-pass-statistics"))
      option.second->setHiddenFlag(cl::NotHidden);
  cl::ParseCommandLineOptions(argc, argv,
                              "picosam-compile: ONNX model -> picosam's compiled "
                              "stages\n");
  if (inputPath.empty())
    return fail("no input given (usage: picosam-compile model.onnx -o out.mlir)");

  mlir::DialectRegistry registry;
  picosam::registerAllPicosamDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // --to=planned plans the quantized graph when it is given calibration.
  bool calibrated = !calibrationData.empty() || !calibrationTable.empty();
  bool quantizing = targetStage == Stage::Quantized ||
                    (targetStage == Stage::Planned && calibrated);
  if (!quantizing && (calibrated || !floatLayers.empty()))
    return fail("--calibration-data, --calibration-table and --float-layers "
                "need --to=quantized (or --to=planned with calibration)");
  if (!picosam::parseQuantizationProfile(profile))
    return fail("--profile must be cpu or imx500, got '" + profile + "'");
  if (targetStage != Stage::Planned &&
      (!memoryReport.empty() || planTileSeparableBlocks ||
       llvm::any_of(ArrayRef<cl::opt<int64_t> *>{&planAlignment,
                                                 &planElementBytes,
                                                 &planBeamWidth, &memoryBudget,
                                                 &memoryReserved},
                    [](cl::opt<int64_t> *option) {
                      return option->getNumOccurrences() != 0;
                    })))
    return fail("--memory-report, --memory-budget, --memory-reserved and "
                "the --plan-* options need --to=planned");
  picosam::ToolFiles files;
  files.addInput("the input", inputPath);
  files.addInput("--calibration-data", calibrationData);
  if (calibrationData.empty())
    files.addInput("--calibration-table", calibrationTable);
  else
    files.addOutput("--calibration-table", calibrationTable);
  files.addOutput("-o", outputPath);
  if (!memoryReport.empty())
    for (StringRef extension : {".txt", ".json", ".svg"})
      files.addOutput("--memory-report", memoryReport + extension.str());
  if (Error error = files.check())
    return fail(toString(std::move(error)));
  mlir::OwningOpRef<mlir::ModuleOp> module = loadInput(context);
  if (!module)
    return 1;
  std::optional<picosam::CalibrationTable> table;
  if (quantizing) {
    Expected<picosam::CalibrationTable> calibrated =
        getCalibrationTable(*module);
    if (!calibrated)
      return fail(toString(calibrated.takeError()));
    table = std::move(*calibrated);
  }

  mlir::PassManager pm(&context);
  if (mlir::failed(mlir::applyPassManagerCLOptions(pm)))
    return fail("invalid pass manager options");
  // --mlir-timing reports each pass's time when the pipeline finishes.
  mlir::DefaultTimingManager timing;
  mlir::applyDefaultTimingManagerCLOptions(timing);
  mlir::TimingScope rootTiming = timing.getRootScope();
  pm.enableTiming(rootTiming);
  addStagePasses(pm, targetStage, std::move(table));
  if (mlir::failed(pm.run(*module)))
    return 1;

  // Locations carry the ONNX node names every later stage reports by.
  if (Error error = outputs.write(outputPath, [&](raw_ostream &os) {
        (*module)->print(os, mlir::OpPrintingFlags().enableDebugInfo());
        os << "\n";
        return Error::success();
      }))
    return fail(toString(std::move(error)));
  if (!memoryReport.empty() && writeMemoryReport(*module) != 0)
    return 1;
  if (Error error = outputs.commit())
    return fail(toString(std::move(error)));
  return 0;
}
