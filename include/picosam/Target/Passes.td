//===- Passes.td - code generation for the targets ----------*- tablegen -*-===//
//
// The CPU backend's lowering of upstream dialects to the LLVM dialect
// (lib/Target/CPU).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_PASSES_TD
#define PICOSAM_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

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
