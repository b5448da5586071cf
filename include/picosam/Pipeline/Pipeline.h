//===- Pipeline.h - the compiler's phases and their options -----*- C++ -*-===//
//
// picosam-compile's pipeline as phases, organised the way iree-compile's
// is: each phase is a function taking its own options, the option structs
// are those of the libraries the phases run (filled in one place from the
// command line by the driver), and `--to` names the last stage to produce.
//
//   phase     what it does                            its options
//   import    ONNX model (or an earlier stage's MLIR)  OnnxImportOptions
//             (for the IMX500, its graph's rules first: checkImx500OnnxModel)
//   target    #pico.target on the module (--target)    SetTargetOptions
//   fuse      --pico-fusion-pipeline                   (none)
//   quantize  calibration, then --pico-quantize        QuantizationOptions
//   check     --pico-check-imx500 (imx500, --to=network)
//   plan      --pico-plan-memory, --pico-verify-memory-plan  PlanMemoryOptions
//             (its budget check counts as buildMemoryReport's report does)
//   emit      what -o holds: the stage's IR; after       EmitFormat
//             planning, the target's output file (imx500: the network
//             file, --to=network); --emit=mctq-onnx: the quantized stage
//             as Sony's MCTQ ONNX
//
// The CPU backend's phase (picosam/Pipeline/CpuBackend.h) follows planning
// the same way, with a CPU --emit.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_PIPELINE_PIPELINE_H
#define PICOSAM_PIPELINE_PIPELINE_H

#include "picosam/Analysis/MemoryReport.h"
#include "picosam/Analysis/Passes.h"
#include "picosam/Import/OnnxImporter.h"
#include "picosam/Quantization/Calibration.h"
#include "picosam/Target/IMX500/NetworkWriter.h"
#include "picosam/Target/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// The stages the pipeline produces, in order.
enum class Stage { Imported, Fused, Quantized, Planned, Network };

/// What the emit phase writes.
enum class EmitFormat {
  /// The IR of the last stage.
  Mlir,
  /// The source ONNX model with the quantized stage's quantizers as MCT's
  /// `mct_quantizers` nodes (Target/IMX500/MctqExport.h).
  MctqOnnx,
  /// The CPU backend's outputs (--target=cpu, Pipeline/CpuBackend.h), in
  /// the order the lowering reaches them. MLIR: the planned function over
  /// its arena (--pico-materialize-arena), kernel calls in upstream
  /// dialects (--pico-lower-to-kernel-calls), the LLVM dialect
  /// (--pico-cpu-lower-to-llvm).
  CpuArena,
  CpuKernelCalls,
  CpuLLVMDialect,
  /// Optimised LLVM IR, assembly, an object.
  CpuLLVMIR,
  CpuAssembly,
  CpuObject,
  /// A static library (the object and the runtime archives) and its C
  /// header, OUT.h.
  CpuLibrary,
  /// A program: the object, Network.h's functions around it, the program
  /// runtime (picosam3's command line) and the runtime archives.
  CpuExecutable,
};

/// True for the CPU backend's outputs.
inline bool isCpuEmitFormat(EmitFormat format) {
  return format >= EmitFormat::CpuArena;
}

/// The quantize phase's options.
struct QuantizationOptions {
  /// The calibration set (Calibration.h, loadCalibrationSet); empty: the
  /// table is read from `calibrationTable` instead.
  std::string calibrationData;
  /// The most bytes an `.npz` calibration set may hold inflated.
  uint64_t maxNpzBytes = kDefaultMaxNpzBytes;
  /// The table read when there is no calibration set.
  std::string calibrationTable;
  /// How thresholds are chosen; its profile is chosen by
  /// selectQuantizationProfile from `profile` and the module's target.
  CalibrationOptions calibration;
  /// An explicit profile, which must agree with the module's target.
  std::optional<QuantizationProfile> profile;
  /// Ops kept in float, by name.
  std::vector<std::string> floatLayers;
};

/// The options of every phase, for one run of the pipeline.
struct PipelineOptions {
  Stage stage = Stage::Imported;
  OnnxImportOptions import;
  /// Set only when the module's target is chosen (--target).
  std::optional<SetTargetOptions> target;
  /// Set when quantizing (--to=quantized or --to=network, or --to=planned
  /// with calibration).
  std::optional<QuantizationOptions> quantization;
  PlanMemoryOptions planning;
  EmitFormat emit = EmitFormat::Mlir;
};

/// The import phase: an ONNX model is imported, any other file parsed as
/// the MLIR of an earlier stage (whose errors the parser has reported as
/// diagnostics). Errors name the file.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importModel(mlir::MLIRContext &context, llvm::StringRef path,
            const OnnxImportOptions &options);

/// Before the import phase, for a model compiled for the IMX500: the rules
/// only its ONNX graph shows (unnamed nodes, operators the converter and
/// the importer refuse; Target/IMX500/Legality.h), each broken one reported
/// as a diagnostic. Fails when one is. A file that is not an ONNX model
/// passes (the import phase reports what it is).
mlir::LogicalResult checkImx500OnnxModel(mlir::MLIRContext &context,
                                         llvm::StringRef path);

/// The target phase: pico-set-target on `module`, before calibration,
/// which quantizes for the target.
mlir::LogicalResult setTarget(mlir::ModuleOp module,
                              const SetTargetOptions &options);

/// Reports calibration progress: (phase, samples done, total).
using CalibrationProgress =
    llvm::function_ref<void(llvm::StringRef, int64_t, int64_t)>;

/// Whether `module` carries the thresholds of a model quantized elsewhere
/// (an MCTQ model's quantizer nodes), which quantize it without calibration.
bool carriesQuantization(mlir::ModuleOp module);

/// The quantize phase's calibration table: calibrated on `module` (the
/// graph as imported, so entries carry ONNX node names) from
/// `calibrationData`, or read from `calibrationTable`; for a module that
/// carriesQuantization, its own (and calibration options are an error).
llvm::Expected<CalibrationTable>
getCalibrationTable(mlir::ModuleOp module, const QuantizationOptions &options,
                    CalibrationProgress progress);

/// Adds the quantize phase's passes: --pico-quantize with `table`.
void buildQuantizationPhase(mlir::OpPassManager &pm,
                            const QuantizationOptions &options,
                            CalibrationTable table);

/// Adds the plan phase's passes: --pico-plan-memory on every function, then
/// --pico-verify-memory-plan.
void buildPlanningPhase(mlir::OpPassManager &pm,
                        const PlanMemoryOptions &options);

/// The emit phase: writes the network file of the planned, quantized
/// module for its target (imx500: NetworkWriter.h) to `os`, with the memory
/// report `planning` counts (buildMemoryReport). Fails, after
/// reporting why as diagnostics, when the module cannot be written, or
/// when its target has no network file.
mlir::LogicalResult emitNetwork(mlir::ModuleOp module,
                                const PlanMemoryOptions &planning,
                                llvm::raw_ostream &os);

/// Adds the passes that take an imported (and targeted) module to
/// `options.stage`; `table` is the quantize phase's calibration when
/// `options.quantization` is set.
void buildPipeline(mlir::OpPassManager &pm, const PipelineOptions &options,
                   std::optional<CalibrationTable> table);

} // namespace picosam

#endif // PICOSAM_PIPELINE_PIPELINE_H
