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
  }];
  let methods = [
    InterfaceMethod<
      "Computes the op's results from its operands' values. Emits an error "
      "at the op and fails when the values cannot be computed.",
      "::mlir::LogicalResult", "inference",
      (ins "::picosam::TensorEnvironment &":$env)>
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
