//===- picosam-compile.cpp - model -> compiled stages ---------------------===//
//
// picosam-compile model.onnx|stage.mlir -o out.mlir --to=<stage>
// picosam-compile model.onnx --target=cpu --emit=obj|lib|exe|... -o out
//
// The compiler driver: reads its command line into the options of each
// phase (picosam/Pipeline/Pipeline.h), in one place, refuses options that
// do not apply to the requested stage, and runs the phases up to that
// stage. Every stage's output is printed with its locations, so tensors
// keep their ONNX node names from one stage to the next and picosam-run can
// compare any two.
//
//===----------------------------------------------------------------------===//
#include "picosam/Analysis/MemoryPlanning.h"
#include "picosam/Analysis/MemoryReport.h"
#include "picosam/InitAllDialects.h"
#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Pipeline/CpuBackend.h"
#include "picosam/Pipeline/Pipeline.h"
#include "picosam/Target/CPU/Link.h"
#include "picosam/Target/IMX500/MctqExport.h"
#include "picosam/Support/ToolSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"

#include <memory>

using namespace llvm;
using picosam::Stage;

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

static cl::OptionCategory compileCategory("picosam-compile options");

static cl::opt<std::string> inputPath(cl::Positional,
                                      cl::desc("<model.onnx | stage.mlir>"),
                                      cl::cat(compileCategory));

static cl::opt<std::string>
    outputPath("o", cl::desc("Output file (default: stdout)"),
               cl::value_desc("file"), cl::init("-"), cl::cat(compileCategory));

static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Static shape for an ONNX graph input with symbolic or "
             "unknown dimensions, e.g. --input-shape=input:1x3x96x96"),
    cl::value_desc("name:shape"), cl::cat(compileCategory));

static cl::opt<int64_t> maxFoldElements(
    "max-fold-elements",
    cl::desc("ONNX input: refuse constants computed at import "
             "(ConstantOfShape, folded Concat, Gather, broadcasts) of more "
             "elements than this"),
    cl::init(picosam::OnnxImportOptions::kDefaultMaxFoldElements),
    cl::cat(compileCategory));

static cl::opt<uint64_t> maxConstantBytes(
    "max-constant-bytes",
    cl::desc("MLIR input: refuse a constant of more bytes than this (default "
             "1 GiB)"),
    cl::value_desc("bytes"), cl::init(picosam::kDefaultMaxConstantBytes),
    cl::cat(compileCategory));

static cl::opt<Stage> targetStage(
    "to",
    cl::desc("The last stage to run (default: network with --target=imx500, "
             "else imported)"),
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
                          "docs/memory.md)"),
               clEnumValN(Stage::Network, "network",
                          "the target's network file from the planned, "
                          "quantized graph (--target=imx500: the IMX500 "
                          "network file, docs/imx500.md); needs calibration")),
    cl::init(Stage::Imported), cl::cat(compileCategory));

static cl::opt<picosam::pico::TargetKind> targetDevice(
    "target",
    cl::desc("The device compiled for, recorded as the module's #pico.target: "
             "quantization takes its profile, planning checks its memory "
             "(--memory-budget/--memory-reserved, default the device's)"),
    cl::values(clEnumValN(picosam::pico::TargetKind::Cpu, "cpu",
                          "the host CPU (no memory limit)"),
               clEnumValN(picosam::pico::TargetKind::Imx500, "imx500",
                          "the Sony IMX500 (8388480 bytes, 1024 reserved; "
                          "the imx500 quantization profile)")),
    cl::cat(compileCategory));

static cl::opt<picosam::EmitFormat> emitFormat(
    "emit", cl::desc("What -o holds (default: mlir)"),
    cl::values(clEnumValN(picosam::EmitFormat::Mlir, "mlir",
                          "what --to produces (a stage's IR, or the network file)"),
               clEnumValN(picosam::EmitFormat::MctqOnnx, "mctq-onnx",
                          "the model quantized for the IMX500 in Sony's MCTQ "
                          "ONNX format (the source graph with mct_quantizers "
                          "nodes, for Sony's converter; docs/imx500.md); "
                          "needs an ONNX model, --target=imx500 and "
                          "calibration, and runs to --to=quantized"),
               // The CPU backend: after planning, with --target=cpu.
               clEnumValN(picosam::EmitFormat::CpuArena, "arena",
                          "--target=cpu: the planned function over its arena "
                          "(--pico-materialize-arena)"),
               clEnumValN(picosam::EmitFormat::CpuKernelCalls, "kernel-calls",
                          "--target=cpu: kernel calls in upstream dialects "
                          "(--pico-lower-to-kernel-calls)"),
               clEnumValN(picosam::EmitFormat::CpuLLVMDialect, "llvm-dialect",
                          "--target=cpu: the LLVM dialect "
                          "(--pico-cpu-lower-to-llvm)"),
               clEnumValN(picosam::EmitFormat::CpuLLVMIR, "llvm-ir",
                          "--target=cpu: optimised LLVM IR"),
               clEnumValN(picosam::EmitFormat::CpuAssembly, "asm",
                          "--target=cpu: assembly"),
               clEnumValN(picosam::EmitFormat::CpuObject, "obj",
                          "--target=cpu: an ELF object"),
               clEnumValN(picosam::EmitFormat::CpuLibrary, "lib",
                          "--target=cpu: a static library with the runtime, "
                          "and its C header OUT.h"),
               clEnumValN(picosam::EmitFormat::CpuExecutable, "exe",
                          "--target=cpu: the picosam3 program (docs/cli.md) "
                          "running the model")),
    cl::init(picosam::EmitFormat::Mlir), cl::cat(compileCategory));

static cl::OptionCategory cpuCategory(
    "picosam-compile CPU code options (--target=cpu --emit=obj|lib|exe|...)");

static cl::opt<std::string> cpuName(
    "cpu",
    cl::desc("The CPU the code is for: host, x86-64 (any x86-64), "
             "x86-64-v2, x86-64-v3, x86-64-v4 or a CPU LLVM knows"),
    cl::init("host"), cl::cat(cpuCategory));

static cl::opt<bool> profileKernels(
    "profile-kernels",
    cl::desc("Bracket each kernel call with the profiling hooks, for the "
             "program's --profile (include/picosam/Runtime/Profile.h)"),
    cl::cat(cpuCategory));

static cl::opt<int64_t> rowBands(
    "row-bands",
    cl::desc("Bands of rows each tiled separable block runs in, at once on "
             "the program's threads, each through its own rings (1: row "
             "after row, each kernel call split between the threads)"),
    cl::init(2), cl::cat(cpuCategory));

static cl::opt<std::string> entryName(
    "entry-name", cl::desc("The C name of the compiled model's function"),
    cl::init("picosam_model"), cl::cat(cpuCategory));

enum class Precision { Int8, Fp32 };
static cl::opt<Precision> precision(
    "precision",
    cl::desc("--to=planned or a CPU --emit: int8 quantizes (needs "
             "calibration), fp32 does not (default: int8 when given "
             "calibration)"),
    cl::values(clEnumValN(Precision::Int8, "int8", "INT8 PTQ"),
               clEnumValN(Precision::Fp32, "fp32", "float32 throughout")),
    cl::cat(compileCategory));

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
static cl::opt<int64_t> planTileMinBytes(
    "plan-tile-min-bytes",
    cl::desc("--to=planned with --plan-tile-separable-blocks: run row by row "
             "only the blocks whose intermediate has at least this many "
             "bytes (rows of small planes cost more calls than they save "
             "memory); 0: every block"),
    cl::value_desc("bytes"), cl::init(0), cl::cat(compileCategory));
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
             "arena + --memory-reserved exceed this; with --target, the "
             "target's budget (default: the device's, 8388480 for imx500)"),
    cl::value_desc("bytes"), cl::init(0), cl::cat(compileCategory));
static cl::opt<int64_t> memoryReserved(
    "memory-reserved",
    cl::desc("--to=planned: bytes the target reserves, counted against "
             "--memory-budget (with --target, default: the device's, 1024 "
             "for imx500)"),
    cl::value_desc("bytes"), cl::init(0), cl::cat(compileCategory));
static cl::opt<std::string> memoryReport(
    "memory-report",
    cl::desc("--to=planned: print the memory plan of @main (stderr) and "
             "write it to PREFIX.txt, PREFIX.json and PREFIX.svg (with "
             "--target=imx500 and -o FILE, written without this beside FILE "
             "as FILE-without-extension_MemoryReport.*, unless FILE is a "
             "device or FIFO such as /dev/null)"),
    cl::value_desc("PREFIX"), cl::cat(compileCategory));
static cl::opt<bool> memoryInputPersistent(
    "memory-input-persistent",
    cl::desc("--target=imx500, --to=planned or network: the input is kept "
             "for read-back "
             "and counts in the runtime memory (default: true)"),
    cl::init(picosam::kImx500InputPersistent), cl::cat(compileCategory));
static cl::opt<int64_t> memoryOutputChannelGroup(
    "memory-output-channel-group",
    cl::desc("--target=imx500, --to=planned or network: output channels are "
             "stored in "
             "groups of this many, weights, biases and quantization "
             "parameters padded to it (default: 32)"),
    cl::value_desc("channels"), cl::init(picosam::kImx500OutputChannelGroup),
    cl::cat(compileCategory));

static cl::OptionCategory quantizationCategory(
    "picosam-compile quantization options (--to=quantized)");

static cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("Calibration set: an .npz or .npy of uint8 NHWC crops "
             "(normalised as models/data.py does) or float32 inputs, or a "
             "directory of .npy files; e.g. models/data/calibration.npz"),
    cl::value_desc("path"), cl::cat(quantizationCategory));

static cl::opt<uint64_t> maxNpzBytes(
    "max-npz-bytes",
    cl::desc("The most bytes an .npz calibration set may hold inflated, all "
             "its arrays together (default 1 GiB)"),
    cl::value_desc("bytes"), cl::init(picosam::kDefaultMaxNpzBytes),
    cl::cat(quantizationCategory));

static cl::opt<picosam::CalibrationMethod> calibrationMethod(
    "calibration-method",
    cl::desc("With --calibration-data: how each tensor's threshold is chosen"),
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
                     "ReLU-like ops (default: the target's, cpu without one)"),
            cl::value_desc("cpu|imx500"), cl::cat(quantizationCategory));

static cl::list<std::string> floatLayers(
    "float-layers",
    cl::desc("Ops to keep in float, by name (comma-separated); the cost is "
             "reported on stderr"),
    cl::value_desc("name,..."), cl::CommaSeparated,
    cl::cat(quantizationCategory));

static bool given(const cl::Option &option) {
  return option.getNumOccurrences() != 0;
}

/// Refuses the options that do not apply to what the command line asks
/// for: each rule names a group of options and what they need.
static Error checkApplicableOptions(Stage stage, bool quantizing) {
  bool onnxInput = sys::path::extension(inputPath) == ".onnx";
  struct Rule {
    std::vector<const cl::Option *> options;
    bool applies;
    const char *message;
  };
  bool emitsMctq = emitFormat == picosam::EmitFormat::MctqOnnx;
  bool emitsCpu = picosam::isCpuEmitFormat(emitFormat);
  const Rule rules[] = {
      {{std::addressof(inputShapes), &maxFoldElements},
       onnxInput,
       "--input-shape and --max-fold-elements need an ONNX model as input"},
      {{&maxConstantBytes},
       !onnxInput,
       "--max-constant-bytes applies to an MLIR input"},
      {{&emitFormat},
       !emitsMctq || (onnxInput && given(targetDevice) &&
                      targetDevice == picosam::pico::TargetKind::Imx500),
       "--emit=mctq-onnx needs an ONNX model as input and --target=imx500"},
      {{&targetStage},
       !emitsMctq || targetStage == Stage::Quantized,
       "--emit=mctq-onnx writes the quantized stage: --to must be quantized "
       "or left out"},
      {{&calibrationData, &calibrationTable, std::addressof(floatLayers)},
       quantizing,
       "--calibration-data, --calibration-table and --float-layers need "
       "--to=quantized or --to=network (or --to=planned with calibration)"},
      {{&profile},
       quantizing,
       "--profile needs --to=quantized or --to=network (or --to=planned with "
       "calibration)"},
      {{&calibrationMethod, &calibrationPercentile},
       quantizing && !calibrationData.empty(),
       "--calibration-method and --calibration-percentile need "
       "--calibration-data"},
      {{&maxNpzBytes},
       quantizing && !calibrationData.empty(),
       "--max-npz-bytes needs --calibration-data"},
      {{&calibrationPercentile},
       calibrationMethod == picosam::CalibrationMethod::Percentile,
       "--calibration-percentile needs --calibration-method=percentile"},
      {{&memoryReport, &planTileSeparableBlocks, &planTileMinBytes,
        &planAlignment, &planElementBytes, &planBeamWidth, &memoryBudget,
        &memoryReserved},
       stage >= Stage::Planned,
       "--memory-report, --memory-budget, --memory-reserved and the --plan-* "
       "options need --to=planned, --to=network or a CPU --emit"},
      {{&planTileMinBytes},
       planTileSeparableBlocks,
       "--plan-tile-min-bytes needs --plan-tile-separable-blocks"},
      {{&memoryInputPersistent, &memoryOutputChannelGroup},
       stage >= Stage::Planned && given(targetDevice) &&
           targetDevice == picosam::pico::TargetKind::Imx500,
       "--memory-input-persistent and --memory-output-channel-group count "
       "memory the IMX500's way: they need --target=imx500 and --to=planned "
       "or --to=network"},
      {{&emitFormat},
       !emitsCpu || (given(targetDevice) &&
                     targetDevice == picosam::pico::TargetKind::Cpu &&
                     (!given(targetStage) || targetStage == Stage::Planned)),
       "a CPU --emit needs --target=cpu (and no --to, or --to=planned)"},
      {{&cpuName, &entryName, &profileKernels, &rowBands}, emitsCpu,
       "--cpu, --entry-name, --profile-kernels and --row-bands need a CPU "
       "--emit (obj, lib, exe, ...)"},
      {{&targetStage},
       stage != Stage::Network || !given(targetDevice) ||
           targetDevice == picosam::pico::TargetKind::Imx500,
       "--to=network writes the IMX500 network file: it needs "
       "--target=imx500 (a CPU program is --target=cpu --emit=exe)"},
      {{&precision}, stage == Stage::Planned,
       "--precision needs --to=planned or a CPU --emit"},
      {{&memoryReport}, !emitsCpu, "--memory-report needs --to=planned"},
  };
  for (const Rule &rule : rules)
    if (!rule.applies && llvm::any_of(rule.options, [](const cl::Option *o) {
          return given(*o);
        }))
      return createStringError(rule.message);
  return Error::success();
}

/// The stage to produce: --to, else the target's network file for a
/// target that has one.
static Stage getStage() {
  // The MCTQ model is the quantized stage's.
  if (emitFormat == picosam::EmitFormat::MctqOnnx)
    return Stage::Quantized;
  // The CPU backend compiles the planned graph.
  if (picosam::isCpuEmitFormat(emitFormat))
    return Stage::Planned;
  if (!given(targetStage) && given(targetDevice) &&
      targetDevice == picosam::pico::TargetKind::Imx500)
    return Stage::Network;
  return targetStage;
}

/// Reads the command line into the phases' options.
static Expected<picosam::PipelineOptions> readPipelineOptions() {
  picosam::PipelineOptions options;
  options.emit = emitFormat;
  options.stage = getStage();
  // --to=planned plans the quantized graph when it is given calibration.
  bool calibrated = !calibrationData.empty() || !calibrationTable.empty();
  bool quantizing = options.stage == Stage::Quantized ||
                    options.stage == Stage::Network ||
                    (options.stage == Stage::Planned && calibrated);
  if (given(precision) && (precision == Precision::Int8) != calibrated)
    return createStringError(
        precision == Precision::Int8
            ? "--precision=int8 needs --calibration-data or "
              "--calibration-table"
            : "--precision=fp32 does not quantize: drop --calibration-data "
              "and --calibration-table");
  if (Error error = checkApplicableOptions(options.stage, quantizing))
    return std::move(error);
  if ((emitFormat == picosam::EmitFormat::CpuLibrary ||
       emitFormat == picosam::EmitFormat::CpuExecutable) &&
      outputPath == "-")
    return createStringError("--emit=lib and --emit=exe need -o <file>");

  for (const std::string &spec : inputShapes)
    if (Error error = picosam::parseInputShape(spec, options.import))
      return std::move(error);
  if (Error error = picosam::setMaxFoldElements(maxFoldElements, options.import))
    return std::move(error);
  options.import.maxConstantBytes = maxConstantBytes;

  if (quantizing) {
    picosam::QuantizationOptions quantization;
    quantization.calibrationData = calibrationData;
    quantization.maxNpzBytes = maxNpzBytes;
    quantization.calibrationTable = calibrationTable;
    quantization.calibration.method = calibrationMethod;
    quantization.calibration.percentile = calibrationPercentile;
    // Written so that NaN fails too.
    if (!(calibrationPercentile > 0 && calibrationPercentile <= 100))
      return createStringError(
          llvm::formatv("--calibration-percentile must be in (0, 100], got {0}",
                        calibrationPercentile.getValue())
              .str());
    if (given(profile)) {
      quantization.profile = picosam::parseQuantizationProfile(profile);
      if (!quantization.profile)
        return createStringError("--profile must be cpu or imx500, got '" +
                                 profile + "'");
    }
    quantization.floatLayers.assign(floatLayers.begin(), floatLayers.end());
    options.quantization = std::move(quantization);
  }

  options.planning.alignment = planAlignment;
  options.planning.tileSeparableBlocks = planTileSeparableBlocks;
  options.planning.tileMinBytes = planTileMinBytes;
  options.planning.assumeElementBytes = planElementBytes;
  options.planning.scheduleBeamWidth = planBeamWidth;
  using picosam::PlanningOption;
  for (auto [option, name, value] :
       {std::make_tuple(PlanningOption::Alignment, "--plan-alignment",
                        planAlignment.getValue()),
        std::make_tuple(PlanningOption::AssumedElementBytes,
                        "--plan-element-bytes", planElementBytes.getValue()),
        std::make_tuple(PlanningOption::ScheduleBeamWidth,
                        "--plan-schedule-beam-width", planBeamWidth.getValue()),
        std::make_tuple(PlanningOption::TileMinBytes, "--plan-tile-min-bytes",
                        planTileMinBytes.getValue()),
        std::make_tuple(PlanningOption::Budget, "--memory-budget",
                        memoryBudget.getValue()),
        std::make_tuple(PlanningOption::Reserved, "--memory-reserved",
                        memoryReserved.getValue()),
        std::make_tuple(PlanningOption::OutputChannelGroup,
                        "--memory-output-channel-group",
                        memoryOutputChannelGroup.getValue())})
    if (std::optional<std::string> error =
            picosam::checkPlanningOption(option, name, value))
      return createStringError(*error);
  options.planning.inputPersistent = memoryInputPersistent;
  options.planning.outputChannelGroup = memoryOutputChannelGroup;
  // The memory goes into the target when there is one; without, it is the
  // planning pass's own budget.
  if (given(targetDevice)) {
    picosam::SetTargetOptions targetOptions;
    targetOptions.target = targetDevice;
    if (given(memoryBudget))
      targetOptions.budget = memoryBudget;
    if (given(memoryReserved))
      targetOptions.reserved = memoryReserved;
    options.target = targetOptions;
  } else {
    options.planning.budget = memoryBudget;
    options.planning.reserved = memoryReserved;
  }
  return options;
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

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

/// Where the memory report goes: --memory-report's prefix; for an IMX500
/// plan written to a file, beside it (`net.mlir`: `net_MemoryReport.*`, as
/// Sony's converter names its report); else nowhere (empty). An -o that
/// exists and is not a regular file (/dev/null, a FIFO) has no "beside":
/// /dev/null_MemoryReport.txt would land in /dev.
static std::string getMemoryReportPrefix() {
  if (!memoryReport.empty())
    return memoryReport;
  if (getStage() < Stage::Planned || !given(targetDevice) ||
      targetDevice != picosam::pico::TargetKind::Imx500 || outputPath == "-")
    return "";
  if (sys::fs::exists(outputPath) && !sys::fs::is_regular_file(outputPath))
    return "";
  SmallString<256> prefix(outputPath);
  sys::path::replace_extension(prefix, "");
  return (prefix + "_MemoryReport").str();
}

/// Writes the memory report of @main (picosam::buildMemoryReport) to
/// `prefix`.{txt,json,svg} into `outputs`; prints it on stderr when asked
/// for with --memory-report.
static Error writeMemoryReport(mlir::ModuleOp module,
                               const picosam::PlanMemoryOptions &planning,
                               StringRef prefix,
                               picosam::OutputFiles &outputs) {
  Expected<picosam::MemoryReport> report =
      picosam::buildMemoryReport(module, planning);
  if (!report)
    return report.takeError();
  if (!memoryReport.empty())
    report->printText(errs());
  auto write = [&](StringRef extension,
                   function_ref<void(raw_ostream &)> print) {
    return outputs.write((prefix + extension).str(), [&](raw_ostream &os) {
      print(os);
      return Error::success();
    });
  };
  if (Error error =
          write(".txt", [&](raw_ostream &os) { report->printText(os); }))
    return error;
  if (Error error =
          write(".json", [&](raw_ostream &os) { report->printJson(os); }))
    return error;
  return write(".svg", [&](raw_ostream &os) { report->printSvg(os); });
}

/// Prints an error diagnostic (others are not printed, as MLIR does without
/// a handler) with its notes: "model.onnx:0:0: error: ..." where the
/// location holds the file (an ONNX node's, or a position in a .mlir
/// input), else the op's names as the dumps join them
/// ("/enc/dw/Conv+/enc/dw_relu/Relu: error: ..." for an op of a .mlir input
/// whose locations are names), else the location as MLIR prints it. The
/// notes say, for one, where an IMX500 rule comes from.
static void printError(mlir::Diagnostic &diagnostic) {
  if (diagnostic.getSeverity() != mlir::DiagnosticSeverity::Error)
    return;
  auto print = [](mlir::Location loc, StringRef severity,
                  const mlir::Diagnostic &what) {
    if (auto file = loc->findInstanceOf<mlir::FileLineColLoc>())
      errs() << file.getFilename().getValue() << ":" << file.getLine() << ":"
             << file.getColumn();
    else if (std::optional<std::string> name = picosam::locationName(loc))
      errs() << *name;
    else
      errs() << loc;
    errs() << ": " << severity << ": " << what << "\n";
  };
  outs().flush();
  print(diagnostic.getLocation(), "error", diagnostic);
  for (const mlir::Diagnostic &note : diagnostic.getNotes())
    print(note.getLocation(), "note", note);
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  // --help shows this tool's options and the pass manager's timing and
  // statistics, not the hundreds of options every LLVM tool links in.
  cl::HideUnrelatedOptions(
      {&compileCategory, &quantizationCategory, &cpuCategory});
  for (auto &option : cl::getRegisteredOptions())
    if (option.first.starts_with("mlir-timing") ||
        option.first.starts_with("mlir-pass-statistics"))
      option.second->setHiddenFlag(cl::NotHidden);
  cl::ParseCommandLineOptions(
      argc, argv,
      "picosam-compile: ONNX model -> picosam's compiled "
      "stages\n");
  if (inputPath.empty())
    return picosam::reportFailure(
        "no input given (usage: picosam-compile model.onnx -o out.mlir)");
  Expected<picosam::PipelineOptions> options = readPipelineOptions();
  if (!options)
    return picosam::reportFailure(options.takeError());

  picosam::ToolFiles files;
  files.addInput("the input", inputPath);
  files.addInput("--calibration-data", calibrationData);
  if (calibrationData.empty())
    files.addInput("--calibration-table", calibrationTable);
  else
    files.addOutput("--calibration-table", calibrationTable);
  files.addOutput("-o", outputPath);
  if (emitFormat == picosam::EmitFormat::CpuLibrary)
    files.addOutput("-o's header", outputPath + ".h");
  std::string reportPrefix = getMemoryReportPrefix();
  if (!reportPrefix.empty())
    for (StringRef extension : {".txt", ".json", ".svg"})
      files.addOutput(memoryReport.empty() ? "the memory report"
                                            : "--memory-report",
                      reportPrefix + extension.str());
  if (Error error = files.check())
    return picosam::reportFailure(std::move(error));

  mlir::DialectRegistry registry;
  picosam::registerAllPicosamDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.getDiagEngine().registerHandler(printError);
  context.printOpOnDiagnostic(false);

  // import, target; for the IMX500's network file the rules of the ONNX
  // graph first, all of them, with those of the imported graph when it
  // imports (the stages before stay available to inspect, and the MCTQ
  // export names unnamed nodes itself).
  bool graphLegal = true;
  if (options->stage == Stage::Network && options->target &&
      options->target->target == picosam::pico::TargetKind::Imx500)
    graphLegal = mlir::succeeded(
        picosam::checkImx500OnnxModel(context, inputPath));
  Expected<mlir::OwningOpRef<mlir::ModuleOp>> module =
      picosam::importModel(context, inputPath, options->import);
  if (!module) {
    // The graph's errors say why it does not import.
    if (!graphLegal) {
      consumeError(module.takeError());
      return 1;
    }
    return picosam::reportFailure(module.takeError());
  }
  if (options->target &&
      mlir::failed(picosam::setTarget(**module, *options->target)))
    return 1;
  if (!graphLegal) {
    mlir::PassManager check(&context);
    check.addNestedPass<mlir::func::FuncOp>(picosam::createCheckImx500());
    (void)check.run(**module);
    return 1;
  }
  // A --profile contradicting the target (--target's, or the one the input
  // stage carries) is refused before calibrating, whether the table is
  // calibrated or read.
  if (options->quantization)
    if (Expected<picosam::QuantizationProfile> profile =
            picosam::selectQuantizationProfile(
                options->quantization->profile,
                picosam::pico::TargetAttr::lookup(**module));
        !profile)
      return picosam::reportFailure(profile.takeError());
  // A model quantized elsewhere (MCTQ) is planned quantized, with its own
  // thresholds.
  if (picosam::carriesQuantization(**module) && !options->quantization &&
      options->stage == Stage::Planned)
    options->quantization.emplace();
  // What the run writes replaces its targets only once all of it is written.
  picosam::OutputFiles outputs;
  std::optional<picosam::CalibrationTable> table;
  if (options->quantization) {
    Expected<picosam::CalibrationTable> calibrated =
        picosam::getCalibrationTable(**module, *options->quantization,
                                     reportProgress);
    if (!calibrated)
      return picosam::reportFailure(calibrated.takeError());
    for (const std::string &warning : calibrated->warnings())
      errs() << "warning: " << warning << "\n";
    if (!calibrationData.empty() && !calibrationTable.empty())
      if (Error error = outputs.write(calibrationTable, [&](raw_ostream &os) {
            calibrated->print(os);
            return Error::success();
          }))
        return picosam::reportFailure(std::move(error));
    table = std::move(*calibrated);
  }

  // fuse, quantize, plan
  mlir::PassManager pm(&context);
  if (mlir::failed(mlir::applyPassManagerCLOptions(pm)))
    return picosam::reportFailure("invalid pass manager options");
  // --mlir-timing reports each pass's time when the pipeline finishes.
  mlir::DefaultTimingManager timing;
  mlir::applyDefaultTimingManagerCLOptions(timing);
  mlir::TimingScope rootTiming = timing.getRootScope();
  pm.enableTiming(rootTiming);
  // A planned stage (--to=planned's output) goes to the CPU backend as it
  // is, so the code runs the plan picosam-run --planned runs.
  bool planned = llvm::any_of(
      (*module)->getOps<mlir::func::FuncOp>(), [](mlir::func::FuncOp func) {
        return func->hasAttr(picosam::pico::MemoryPlanAttr::attrName);
      });
  if (!(planned && picosam::isCpuEmitFormat(options->emit)))
    picosam::buildPipeline(pm, *options, std::move(table));
  if (mlir::failed(pm.run(**module))) {
    // A plan over its budget still gets its report: it shows what to cut.
    auto func = (*module)->lookupSymbol<mlir::func::FuncOp>("main");
    if (reportPrefix.empty() || !func ||
        !func->hasAttr(picosam::pico::MemoryPlanAttr::attrName))
      return 1;
    if (Error error = writeMemoryReport(**module, options->planning,
                                        reportPrefix, outputs))
      return picosam::reportFailure(std::move(error));
    if (Error error = outputs.commit())
      return picosam::reportFailure(std::move(error));
    errs() << "note: the memory report is in " << reportPrefix
           << ".{txt,json,svg}\n";
    return 1;
  }

  if (picosam::isCpuEmitFormat(options->emit)) {
    picosam::CpuBackendOptions cpu;
    cpu.emit = options->emit;
    cpu.target.cpu = cpuName;
    cpu.entryName = entryName;
    cpu.profileKernels = profileKernels;
    cpu.rowBands = rowBands;
    cpu.source = sys::path::filename(inputPath).str();
    std::string self =
        sys::fs::getMainExecutable(argv[0], (void *)(intptr_t)&given);
    cpu.runtimeArchives = picosam::defaultRuntimeArchives(self);
    cpu.programArchives = picosam::programRuntimeArchives(self);
    if (Error error = picosam::runCpuBackend(**module, cpu, outputPath, outputs,
                                             rootTiming))
      return picosam::reportFailure(std::move(error));
    if (Error error = outputs.commit())
      return picosam::reportFailure(std::move(error));
    return 0;
  }

  // emit: the network file, which says why it cannot be written as
  // diagnostics; the stages as text, whose locations carry the ONNX node
  // names every later stage reports by.
  bool emitted = true;
  if (Error error = outputs.write(outputPath, [&](raw_ostream &os) -> Error {
        if (options->emit == picosam::EmitFormat::MctqOnnx) {
          emitted = mlir::succeeded(
              picosam::exportMctqOnnx(**module, inputPath, os));
          return emitted ? Error::success()
                         : createStringError("no MCTQ model written");
        }
        if (options->stage == Stage::Network) {
          emitted = mlir::succeeded(picosam::emitNetwork(**module, options->planning, os));
          return emitted ? Error::success()
                         : createStringError("no network file written");
        }
        (*module)->print(os, mlir::OpPrintingFlags().enableDebugInfo());
        os << "\n";
        return Error::success();
      })) {
    if (!emitted) {
      consumeError(std::move(error));
      return 1;
    }
    return picosam::reportFailure(std::move(error));
  }
  if (!reportPrefix.empty())
    if (Error error = writeMemoryReport(**module, options->planning,
                                        reportPrefix, outputs))
      return picosam::reportFailure(std::move(error));
  if (Error error = outputs.commit())
    return picosam::reportFailure(std::move(error));
  return 0;
}
