//===- Passes.td - the target, and code generation for it ---*- tablegen -*-===//
//
// The `#pico.target` of a module (lib/Target) and the backends' passes: the
// CPU backend's lowering to the LLVM dialect (lib/Target/CPU).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_PASSES_TD
#define PICOSAM_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def SetTarget : Pass<"pico-set-target", "mlir::ModuleOp"> {
  let summary = "Record the device a module is compiled for (#pico.target)";
  let description = [{
    Sets the module's `pico.target` attribute, replacing one it has:
    `#pico.target<cpu>` or `#pico.target<imx500, budget = 8388480,
    reserved = 1024>`. The passes that depend on the device read it rather
    than options of their own: `--pico-quantize` takes the target's
    quantization profile, `--pico-plan-memory` checks the plan against its
    budget. `budget` and `reserved` default to the device's (the IMX500's
    8,388,480 bytes with 1,024 reserved; no limit for the CPU); an invalid
    combination (a budget not above the reserved bytes) is an error.
  }];
  let options = [
    Option<"target", "target", "::picosam::pico::TargetKind",
           /*default=*/"::picosam::pico::TargetKind::Cpu",
           "The device: cpu or imx500",
           [{::llvm::cl::values(
               clEnumValN(::picosam::pico::TargetKind::Cpu, "cpu",
                          "native code for the host CPU"),
               clEnumValN(::picosam::pico::TargetKind::Imx500, "imx500",
                          "the Sony IMX500 sensor"))}]>,
    Option<"budget", "budget", "int64_t", /*default=*/"-1",
           "Bytes weights + arena + reserved must fit in (0: no limit; "
           "-1: the device's, 8388480 for imx500, none for cpu)">,
    Option<"reserved", "reserved", "int64_t", /*default=*/"-1",
           "Bytes the device reserves of the budget (-1: the device's, "
           "1024 for imx500, 0 for cpu)">
  ];
  let dependentDialects = ["::picosam::pico::PicoDialect"];
}

def CpuLowerToLLVM : Pass<"pico-cpu-lower-to-llvm", "mlir::ModuleOp"> {
  let summary = "Lower func/scf/memref/arith/vector/math (and linalg on "
                "memrefs) to the LLVM dialect, with a C calling convention";
  let description = [{
    Runs the CPU backend's conversion pipeline on the module:
    convert-linalg-to-loops, convert-vector-to-scf, expand-strided-metadata,
    lower-affine, convert-scf-to-cf, arith-expand, convert-math-to-llvm,
    convert-math-to-libm, convert-vector-to-llvm, finalize-memref-to-llvm,
    convert-arith-to-llvm, convert-ub-to-llvm, convert-cf-to-llvm,
    convert-func-to-llvm with the bare-pointer calling convention (a
    statically shaped memref argument is one pointer to its first element,
    so the entry function is callable from C), reconcile-unrealized-casts,
    then canonicalize and cse.
    Fails with an error at every op left outside the LLVM dialect.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // PICOSAM_TARGET_PASSES_TD
