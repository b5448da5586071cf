// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=16" | FileCheck %s
// RUN: picosam-opt %s --split-input-file --pico-plan-memory="alignment=16 assume-element-bytes=1" | FileCheck %s --check-prefix=BYTE

// Offsets are multiples of the alignment: x and y (5 floats, 20 bytes) are
// live together at step 0; s writes over x. y goes to 32, the first
// multiple of 16 above x's 20 bytes. Counted as 1-byte elements (the INT8
// estimate of a float graph): 5 bytes each, y at 16.

// CHECK-LABEL: func.func @aligned
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 0, size = 20, first = 0, last = 0>}
// CHECK-SAME: {pico.buffer = #pico.buffer<offset = 32, size = 20, first = 0, last = 0>}
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 52, lower_bound = 40, peak_step = 0, steps = 1, input_order_lower_bound = 40, weights = 0, alignment = 16, element_bytes = 0, tiled_blocks = 0>
// BYTE-LABEL: func.func @aligned
// BYTE-SAME: {pico.buffer = #pico.buffer<offset = 0, size = 5, first = 0, last = 0>}
// BYTE-SAME: {pico.buffer = #pico.buffer<offset = 16, size = 5, first = 0, last = 0>}
// BYTE-SAME: pico.memory_plan = #pico.memory_plan<arena = 21, lower_bound = 10, peak_step = 0, steps = 1, input_order_lower_bound = 10, weights = 0, alignment = 16, element_bytes = 1, tiled_blocks = 0>
func.func @aligned(%x: tensor<5xf32>, %y: tensor<5xf32>) -> tensor<5xf32> {
  %s = pico.add %x, %y : tensor<5xf32>, tensor<5xf32> -> tensor<5xf32>
  return %s : tensor<5xf32>
}

// -----

// A quantized tensor takes its storage width: 8 x i8 = 8 bytes; the f32
// ones 32. x [0, 0], q [0, 1], d [1, 1]: 40 at both steps. Packing: x at 0,
// d at 0 (x is dead), q above them at 32. The weights are the i8 storage
// of the quantized constant (4 bytes) and nothing else.

// CHECK-LABEL: func.func @quantized
// CHECK-SAME: pico.memory_plan = #pico.memory_plan<arena = 40, lower_bound = 40, peak_step = 0, steps = 2, input_order_lower_bound = 40, weights = 4,
// CHECK: pico.quantize {{.*}}pico.buffer = #pico.buffer<offset = 32, size = 8, first = 0, last = 1>
// CHECK: pico.dequantize {{.*}}pico.buffer = #pico.buffer<offset = 0, size = 32, first = 1, last = 1>
func.func @quantized(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) {
  %c = pico.constant dense<[1, 2, 3, 4]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
  %q = pico.quantize %x : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
  %d = pico.dequantize %q : tensor<8x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<8xf32>
  return %d, %c : tensor<8xf32>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
}
