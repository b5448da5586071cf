//===- PicoInterfaces.td - pico op interfaces --------------*- tablegen -*-===//
#ifndef PICO_INTERFACES_TD
#define PICO_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Pico_InferenceOpInterface : OpInterface<"InferenceOpInterface"> {
  let cppNamespace = "::picosam::pico";
  let description = [{
    The op's reference semantics, executed on the host: reads the values of
    its operands from a `TensorEnvironment` and stores the values of its
    results. The interpreter (`picosam-run`) is a walk that calls this on
    every op, so each stage of the pipeline can be executed and compared
    with the one before it.

    Execution has two steps: `prepare` derives once, from the op's types
    and attributes, the constants its kernel computes with (the integer
    requantization constants of a quantized op; nothing for a float op),
    and `inference` runs the kernel with them. The implementations are
    thin adapters over picosam's kernel library, attached as external
    models by `picosam::registerInferenceExternalModels` (lib/Inference),
    which every tool executing pico ops calls.
  }];
  let methods = [
    InterfaceMethod<
      "Derives the constants `inference` computes with. Emits an error at "
      "the op and fails when its types and attributes do not form an op "
      "the kernels define.",
      "::mlir::FailureOr<::picosam::kernels::PreparedParams>", "prepare">,
    InterfaceMethod<
      "Computes the op's results from its operands' values, with the "
      "constants `prepare` derived for it (and the ops in its regions) in "
      "`prepared`. Emits an error at the op and fails when the values cannot "
      "be computed.",
      "::mlir::LogicalResult", "inference",
      (ins "::picosam::TensorEnvironment &":$env,
           "const ::picosam::PreparedKernels &":$prepared)>
  ];
}

def Pico_ActivationOpInterface : OpInterface<"ActivationOpInterface"> {
  let cppNamespace = "::picosam::pico";
  let description = [{
    Implemented by the standalone activation ops (relu, clip, ...): the
    element-wise function they apply, as the same `#pico.act` attribute a
    producer carries when the activation is fused into it. Fusion and the
    interpreter use it so each activation's semantics live in one place.
  }];
  let methods = [
    InterfaceMethod<"The element-wise function this op applies.",
      "::picosam::pico::ActivationAttr", "getActivationFunction">
  ];
}

#endif // PICO_INTERFACES_TD
