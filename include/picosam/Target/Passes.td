//===- Passes.td - the target a module is compiled for ----*- tablegen -*-===/
//
// The `#pico.target` of a module (lib/Target); the CPU and IMX500 backends
// will join it here.
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

#endif // PICOSAM_TARGET_PASSES_TD
