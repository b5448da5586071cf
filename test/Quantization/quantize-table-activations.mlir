// Activations a clamp cannot apply, fused into a convolution (each kind),
// a separable block's convolutions, a residual add, an add and a mul, quantize
// as the producer without activation followed by the standalone table op:
// the producer keeps its fused name minus the activation's node, the table op
// takes the activation's node name, so both read the calibration entries of
// the graph as imported and pair by name with its run. Under both profiles
// every op is integer (no "kept in f32" note), and the quantized graph
// follows the float one (SQNR of every tensor at least 35 dB under cpu,
// 30 dB under imx500: the lowest are 36.3 and 32.4, exp's).
// RUN: rm -rf %t && split-file %s %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.random.default_rng(0).standard_normal((1, 2, 6, 6)).astype(np.float32))"
// RUN: picosam-opt %t/model.mlir --pico-fusion-pipeline --mlir-print-debuginfo -o %t/fused.mlir
// RUN: FileCheck %s --check-prefix=FUSED < %t/fused.mlir
// RUN: picosam-run %t/model.mlir -i %t/x.npy --dump=%t/imported.npz 2>&1 | count 0
// RUN: %python %S/Inputs/table_from_dump.py %t/imported.npz %t/table.txt
// RUN: picosam-opt %t/fused.mlir --pico-quantize="table=%t/table.txt profile=cpu" --mlir-print-debuginfo --mlir-print-local-scope -o %t/cpu.mlir 2>&1 | count 0
// RUN: FileCheck %s --check-prefix=INT8 < %t/cpu.mlir
// RUN: FileCheck %s --check-prefix=CPU < %t/cpu.mlir
// RUN: picosam-opt %t/fused.mlir --pico-quantize="table=%t/table.txt profile=imx500" --mlir-print-debuginfo --mlir-print-local-scope -o %t/imx500.mlir 2>&1 | count 0
// RUN: FileCheck %s --check-prefix=INT8 < %t/imx500.mlir
// RUN: FileCheck %s --check-prefix=IMX < %t/imx500.mlir
// RUN: not picosam-opt %t/imx500.mlir --pico-check-imx500="min-input-size=1 max-outputs=17" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECKER --implicit-check-not=error:
// RUN: picosam-run %t/cpu.mlir -i %t/x.npy --compare=%t/imported.npz --min-sqnr=35 | FileCheck %s --check-prefix=COMPARE
// RUN: picosam-run %t/imx500.mlir -i %t/x.npy --compare=%t/imported.npz --min-sqnr=30 | FileCheck %s --check-prefix=COMPARE

//--- model.mlir
func.func @main(%x: tensor<1x2x6x6xf32> loc("x")) -> (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>) {
  %w = pico.constant dense<[[[[0.5]], [[-1.0]]], [[[0.25]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %b = pico.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %ws = pico.constant dense<[[[[0.1]], [[0.05]]], [[[-0.05]], [[0.1]]]]> : tensor<2x2x1x1xf32>
  %bs = pico.constant dense<[4.0, 4.0]> : tensor<2xf32>
  %c_leaky_relu = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_leaky_relu")
  %leaky_relu = pico.leaky_relu %c_leaky_relu {alpha = 0.1 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("leaky_relu")
  %c_sigmoid = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_sigmoid")
  %sigmoid = pico.sigmoid %c_sigmoid : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("sigmoid")
  %c_hard_sigmoid = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_hard_sigmoid")
  %hard_sigmoid = pico.hard_sigmoid %c_hard_sigmoid {alpha = 0.25 : f32, beta = 0.5 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("hard_sigmoid")
  %c_hard_swish = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_hard_swish")
  %hard_swish = pico.hard_swish %c_hard_swish : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("hard_swish")
  %c_tanh = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_tanh")
  %tanh = pico.tanh %c_tanh : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("tanh")
  %c_abs = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_abs")
  %abs = pico.abs %c_abs : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("abs")
  %c_neg = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_neg")
  %neg = pico.neg %c_neg : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("neg")
  %c_exp = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_exp")
  %exp = pico.exp %c_exp : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("exp")
  %c_sqrt = pico.conv2d %x, %ws, %bs : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_sqrt")
  %sqrt = pico.sqrt %c_sqrt : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("sqrt")
  %c_pow = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_pow")
  %pow = pico.pow %c_pow {exponent = 2.0 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("pow")
  %c_elu = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_elu")
  %elu = pico.elu %c_elu {alpha = 0.5 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("elu")
  %c_selu = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_selu")
  %selu = pico.selu %c_selu : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("selu")
  %c_softplus = pico.conv2d %x, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_softplus")
  %softplus = pico.softplus %c_softplus : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("softplus")
  %wd = pico.constant dense<[[[[0.1, 0.2, 0.1], [0.2, 0.4, 0.2], [0.1, 0.2, 0.1]]], [[[0.0, -0.5, 0.0], [-0.5, 2.0, -0.5], [0.0, -0.5, 0.0]]]]> : tensor<2x1x3x3xf32>
  %dw = pico.conv2d %x, %wd, %b {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x6xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("dw")
  %dw_act = pico.hard_swish %dw : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("dw_act")
  %pw = pico.conv2d %dw_act, %w, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("pw")
  %block_out = pico.sigmoid %pw : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("pw_act")
  %add = pico.add %x, %x : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("add")
  %add_act = pico.hard_swish %add : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("add_act")
  %mul = pico.mul %x, %x : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("mul")
  %mul_act = pico.tanh %mul : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("mul_act")
  %c_r = pico.conv2d %x, %ws, %b : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv_r")
  %residual = pico.add %c_r, %x : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("residual")
  %residual_act = pico.elu %residual {alpha = 0.5 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x6x6xf32> loc("residual_act")
  return %leaky_relu, %sigmoid, %hard_sigmoid, %hard_swish, %tanh, %abs, %neg, %exp, %sqrt, %pow, %elu, %selu, %softplus, %block_out, %add_act, %mul_act, %residual_act : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>
}

// FUSED-DAG: pico.conv2d {{.*}}activation = #pico.act<hard_swish>
// FUSED-DAG: pico.separable_block
// FUSED-DAG: pico.conv2d {{.*}}activation = #pico.act<elu, alpha = 5.000000e-01>{{.*}}
// FUSED-DAG: pico.add {{.*}}activation = #pico.act<hard_swish>
// FUSED-DAG: pico.mul {{.*}}activation = #pico.act<tanh>

// INT8: %[[X:.*]] = pico.quantize %arg0
// INT8: %[[C_LEAKY_RELU:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_leaky_relu")
// INT8-NEXT: pico.leaky_relu %[[C_LEAKY_RELU]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("leaky_relu")
// INT8: %[[C_SIGMOID:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_sigmoid")
// INT8-NEXT: pico.sigmoid %[[C_SIGMOID]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("sigmoid")
// INT8: %[[C_HARD_SIGMOID:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_hard_sigmoid")
// INT8-NEXT: pico.hard_sigmoid %[[C_HARD_SIGMOID]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("hard_sigmoid")
// INT8: %[[C_HARD_SWISH:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_hard_swish")
// INT8-NEXT: pico.hard_swish %[[C_HARD_SWISH]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("hard_swish")
// INT8: %[[C_TANH:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_tanh")
// INT8-NEXT: pico.tanh %[[C_TANH]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("tanh")
// INT8: %[[C_ABS:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_abs")
// INT8-NEXT: pico.abs %[[C_ABS]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("abs")
// INT8: %[[C_NEG:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_neg")
// INT8-NEXT: pico.neg %[[C_NEG]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("neg")
// INT8: %[[C_EXP:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_exp")
// INT8-NEXT: pico.exp %[[C_EXP]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("exp")
// INT8: %[[C_SQRT:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_sqrt")
// INT8-NEXT: pico.sqrt %[[C_SQRT]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("sqrt")
// INT8: %[[C_POW:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_pow")
// INT8-NEXT: pico.pow %[[C_POW]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("pow")
// INT8: %[[C_ELU:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_elu")
// INT8-NEXT: pico.elu %[[C_ELU]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("elu")
// INT8: %[[C_SELU:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_selu")
// INT8-NEXT: pico.selu %[[C_SELU]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("selu")
// INT8: %[[C_SOFTPLUS:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("conv_softplus")
// INT8-NEXT: pico.softplus %[[C_SOFTPLUS]] {{.*}}-> tensor<1x2x6x6x!quant.uniform<{{.*}}>> loc("softplus")

// The separable block is taken apart: each convolution is followed by its
// table op. The add and mul keep their node names; the residual conv keeps
// the conv's and the add's.
// INT8: %[[DW:.*]] = pico.conv2d %[[X]], {{.*}} loc("dw")
// INT8-NEXT: %[[DWA:.*]] = pico.hard_swish %[[DW]] {{.*}} loc("dw_act")
// INT8-NEXT: %[[PW:.*]] = pico.conv2d %[[DWA]], {{.*}} loc("pw")
// INT8-NEXT: pico.sigmoid %[[PW]] {{.*}} loc("pw_act")
// INT8: %[[ADD:.*]] = pico.add %[[X]], %[[X]] : {{.*}} loc("add")
// INT8-NEXT: pico.hard_swish %[[ADD]] {{.*}} loc("add_act")
// INT8: %[[MUL:.*]] = pico.mul %[[X]], %[[X]] : {{.*}} loc("mul")
// INT8-NEXT: pico.tanh %[[MUL]] {{.*}} loc("mul_act")
// INT8: %[[RES:.*]] = pico.conv2d %[[X]], %{{.*}}, %{{.*}} residual %[[X]] : {{.*}} loc(fused["conv_r", "residual"])
// INT8-NEXT: pico.elu %[[RES]] {alpha = 5.000000e-01 : f32} {{.*}} loc("residual_act")
// INT8-NOT: pico.separable_block
// INT8-NOT: activation =

// The sigmoid's fixed type, the profiles' activation types (conv_hard_swish
// in [-4.47, 3.73]: under imx500 a threshold of 8, signed, 8 / 128).
// CPU-DAG: pico.sigmoid {{.*}} -> tensor<1x2x6x6x!quant.uniform<i8:f32, 3.906250e-03:-128>> loc("sigmoid")
// CPU-DAG: pico.hard_swish {{.*}} -> tensor<1x2x6x6x!quant.uniform<i8:f32, {{[0-9.e-]+}}:{{-?[0-9]+}}>> loc("hard_swish")
// IMX-DAG: pico.sigmoid {{.*}} -> tensor<1x2x6x6x!quant.uniform<u8:f32, 3.906250e-03>> loc("sigmoid")
// IMX-DAG: pico.conv2d {{.*}} -> tensor<1x2x6x6x!quant.uniform<i8:f32, 6.250000e-02>> loc("conv_hard_swish")

// The IMX500's rules: every op computes in integers, and a table op after a
// convolution is accepted (the sensor's Conv and its activation), but for the
// kinds the converter has no operator for; the tiny 2-channel input is not an
// image.
// CHECKER: error: loc("x"): graph input 'x' has 2 channels
// CHECKER: error: loc("elu"): node 'elu' (pico.elu): Sony's converter accepts no equivalent of this op
// CHECKER: error: loc("selu"): node 'selu' (pico.selu): Sony's converter accepts no equivalent of this op
// CHECKER: error: loc("softplus"): node 'softplus' (pico.softplus): Sony's converter accepts no equivalent of this op
// CHECKER: error: loc("residual_act"): node 'residual_act' (pico.elu): Sony's converter accepts no equivalent of this op

// Each table op's output pairs with the imported run's tensor of its node.
// COMPARE-DAG: conv_hard_swish
// COMPARE-DAG: hard_swish
// COMPARE-DAG: residual_act
