//===- CodeGen.h - LLVM dialect to LLVM IR, assembly or an object -*- C++ -*-===//
//
// The back half of the CPU backend: a module already in the LLVM dialect
// (--pico-cpu-lower-to-llvm) is translated to LLVM IR, optimised with LLVM's
// default -O3 pipeline for the chosen CPU, and emitted through LLVM's
// TargetMachine. Nothing shells out to a compiler.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_CPU_CODEGEN_H
#define PICOSAM_TARGET_CPU_CODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace picosam {

/// The machine code is generated for.
struct CpuTargetOptions {
  /// "host" (this machine's CPU and features), "x86-64" (SSE2 only: runs on
  /// every x86-64), "x86-64-v2", "x86-64-v3", "x86-64-v4", or any CPU name
  /// LLVM knows for the triple ("znver4", "sapphirerapids").
  std::string cpu = "host";
  /// Extra features on top of the CPU's, LLVM syntax: "+avx512vnni,-fma".
  std::string features;
  /// Empty: the default triple of the host (x86_64-pc-linux-gnu here).
  std::string triple;
  /// LLVM optimisation level of both the IR pipeline and code generation.
  unsigned optLevel = 3;
  /// Position-independent code: what PIE executables (Debian's default) and
  /// shared libraries need.
  bool positionIndependent = true;
  /// Give the object a constructor that stops the program with a message
  /// when the machine lacks a feature the code was built for (see
  /// include/picosam/Runtime/CpuFeatures.h). Needs the runtime at link time
  /// unless the CPU is plain x86-64.
  bool featureGuard = true;
};

/// What emitCpuCode writes.
enum class CpuOutputKind { LLVMIR, Assembly, Object };

/// The TargetMachine for `options`: the CPU name resolved ("host" becomes
/// this machine's CPU, with its features), checked against the target.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCpuTargetMachine(const CpuTargetOptions &options);

/// The features of the runtime's table (PICOSAM_CPU_FEATURE bits) the
/// TargetMachine's code may use: what the feature guard requires.
uint64_t requiredCpuFeatures(const llvm::TargetMachine &machine);

/// The target as messages and the C header name it: the CPU option as given
/// (for "host", with the CPU it stands for: "host (znver4)"), then the extra
/// features.
std::string describeCpuTarget(const llvm::TargetMachine &machine,
                              const CpuTargetOptions &options);

/// Translates a module in the LLVM dialect to LLVM IR (errors are reported
/// as diagnostics on the module's context, then returned).
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &context);

/// Stops a program at start-up, with a message naming the missing features,
/// when its machine lacks one of `required` (PICOSAM_CPU_FEATURE bits): gives
/// `module` a constructor, compiled for baseline x86-64, calling the
/// runtime's picosam_cpu_require(required, target). Nothing when `required`
/// is 0.
void addCpuFeatureGuard(llvm::Module &module, uint64_t required,
                        llvm::StringRef target);

/// Prepares `module` for `machine` (triple, data layout, each function's CPU
/// and features, the feature guard when `options.featureGuard`) and runs
/// LLVM's default per-module pipeline at `options.optLevel` (checked by
/// createCpuTargetMachine).
void optimizeForCpu(llvm::Module &module, llvm::TargetMachine &machine,
                    const CpuTargetOptions &options);

/// Writes `module` (prepared by optimizeForCpu) as assembly or an object.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            CpuOutputKind kind, llvm::raw_pwrite_stream &os);

/// All of the above: the LLVM-dialect module as optimised LLVM IR, assembly or
/// an object for the CPU of `options`.
llvm::Error emitCpuCode(mlir::ModuleOp module, const CpuTargetOptions &options,
                        CpuOutputKind kind, llvm::raw_pwrite_stream &os);

/// emitCpuCode writing an object, what the driver links.
inline llvm::Error emitObject(mlir::ModuleOp module,
                              const CpuTargetOptions &options,
                              llvm::raw_pwrite_stream &os) {
  return emitCpuCode(module, options, CpuOutputKind::Object, os);
}

} // namespace picosam

#endif // PICOSAM_TARGET_CPU_CODEGEN_H
