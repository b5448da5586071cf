//===- CpuBackend.h - picosam-compile's CPU emission phase ------*- C++ -*-===//
//
// After planning, for `--target=cpu --emit=...`: the planned module through
// the lowering (--pico-materialize-arena, --pico-lower-to-kernel-calls,
// --pico-cpu-lower-to-llvm), LLVM, and the packaging of its code, stopping at
// the requested output (docs/architecture.md, "The CPU backend").
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_PIPELINE_CPUBACKEND_H
#define PICOSAM_PIPELINE_CPUBACKEND_H

#include "picosam/Pipeline/Pipeline.h"
#include "picosam/Support/ToolSupport.h"
#include "picosam/Target/CPU/CodeGen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace picosam {

struct CpuBackendOptions {
  /// One of the CPU formats (isCpuEmitFormat).
  EmitFormat emit = EmitFormat::CpuObject;
  CpuTargetOptions target;
  /// The C name of the compiled @main: `void NAME(const float *input, float
  /// *logits, void *arena)`.
  std::string entryName = "picosam_model";
  /// What the code links with: the runtime archives (defaultRuntimeArchives)
  /// and, for an executable, the program runtime (programRuntimeArchives).
  std::vector<std::string> runtimeArchives, programArchives;
  /// The model compiled, for the header's comment.
  std::string source;
  /// Bracket each kernel call with the profiling hooks
  /// (include/picosam/Runtime/Profile.h; the program's --profile).
  bool profileKernels = false;
  /// Bands of rows each tiled separable block runs in, at once on the
  /// thread pool (--pico-materialize-arena's row-bands); 1 with
  /// profileKernels, whose hooks one thread calls at a time.
  int64_t rowBands = 2;
};

/// Runs the CPU backend on the planned `module` up to `options.emit` and
/// writes the result to `outputPath` (MLIR stages with their locations);
/// files go through `outputs`, except an executable, which the system
/// linker writes (to a temporary name, renamed over `outputPath`).
llvm::Error runCpuBackend(mlir::ModuleOp module,
                          const CpuBackendOptions &options,
                          llvm::StringRef outputPath, OutputFiles &outputs,
                          mlir::TimingScope &timing);

/// The LLVM dialect module's program interface (include/picosam/Runtime/
/// Network.h) around `entry`, whose arguments are the input, the output and
/// the arena: picosam_network_run, picosam_network_arena_bytes and the
/// shape functions.
mlir::LogicalResult addNetworkInterface(mlir::func::FuncOp entry);

} // namespace picosam

#endif // PICOSAM_PIPELINE_CPUBACKEND_H
