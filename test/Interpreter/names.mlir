// How --dump names tensors: NameLoc names, FusedLoc names joined with '+',
// "<op>#<k>" for unnamed ops, "arg<i>" for unnamed arguments, "#<k>" on a
// repeated name; constants are not recorded and quantized values are
// dequantized.
// RUN: rm -rf %t && mkdir %t
// RUN: %python %S/Inputs/save.py %t/x.npy float32 1x4 -1 2 -3 4
// RUN: %python %S/Inputs/save.py %t/y.npy float32 1x4 0.5
// RUN: picosam-run %s -i %t/x.npy -i y=%t/y.npy -o %t/out.npy --dump=%t/dump.npz
// RUN: %python %S/Inputs/npz_summary.py %t/dump.npz | FileCheck %s

// CHECK:      arg0 float32 [1, 4] -1 2 -3 4
// CHECK-NEXT: y float32 [1, 4] 0.5 0.5 0.5 0.5
// CHECK-NEXT: /add/Add float32 [1, 4] -0.5 2.5 -2.5 4.5
// CHECK-NEXT: /conv/Conv+/relu/Relu float32 [1, 4] 0 2.5 0 4.5
// CHECK-NEXT: pico.mul#0 float32 [1, 4] 0 5 0 9
// CHECK-NEXT: pico.mul#1 float32 [1, 4] 0 10 0 18
// CHECK-NEXT: /add/Add#1 float32 [1, 4] 0 20 0 36
// CHECK-NEXT: /sub/Sub float32 [1, 4] 0 10 0 18
// CHECK-NEXT: /q/QuantizeLinear float32 [1, 4] 0 10 0 18
// CHECK-NOT: {{.}}
func.func @main(%x: tensor<1x4xf32>, %y: tensor<1x4xf32> loc("y")) -> tensor<1x4x!quant.uniform<i8:f32, 0.5>> {
  %two = pico.constant dense<2.0> : tensor<f32> loc("/two")
  %0 = pico.add %x, %y : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32> loc("/add/Add")
  %1 = pico.relu %0 : tensor<1x4xf32> -> tensor<1x4xf32> loc(fused["/conv/Conv", "/relu/Relu"])
  %2 = pico.mul %1, %two : tensor<1x4xf32>, tensor<f32> -> tensor<1x4xf32>
  %3 = pico.mul %2, %two : tensor<1x4xf32>, tensor<f32> -> tensor<1x4xf32>
  %4 = pico.add %3, %3 : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32> loc("/add/Add")
  %5 = pico.sub %4, %3 : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32> loc(callsite("/sub/Sub" at "model.onnx":1:1))
  %6 = pico.quantize %3 : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<i8:f32, 0.5>> loc("/q/QuantizeLinear")
  return %6 : tensor<1x4x!quant.uniform<i8:f32, 0.5>>
}
