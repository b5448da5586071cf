// A 3x3 convolution (2 -> 3 channels, 6x6 -> 4x4) in upstream dialects, the
// way the pico lowering will write one: loops over memrefs, weights in a
// constant global, the intermediate in a view of the arena, and the
// activation done by an external C kernel. The weights are
// ((i * 7) % 11 - 5) / 8 for the i-th in row-major order (what
// tiny_conv_main.c recomputes), the biases 0.5, -0.25, 0.125.
memref.global "private" constant @weights : memref<3x2x3x3xf32> =
  dense<[
        [[[-0.625, 0.25, -0.25], [0.625, 0.125, -0.375], [0.5, 0.0, -0.5]],
         [[0.375, -0.125, -0.625], [0.25, -0.25, 0.625], [0.125, -0.375, 0.5]]],
        [[[0.0, -0.5, 0.375], [-0.125, -0.625, 0.25], [-0.25, 0.625, 0.125]],
         [[-0.375, 0.5, 0.0], [-0.5, 0.375, -0.125], [-0.625, 0.25, -0.25]]],
        [[[0.625, 0.125, -0.375], [0.5, 0.0, -0.5], [0.375, -0.125, -0.625]],
         [[0.25, -0.25, 0.625], [0.125, -0.375, 0.5], [0.0, -0.5, 0.375]]]]>
memref.global "private" constant @biases : memref<3xf32> =
  dense<[0.5, -0.25, 0.125]>

// void test_relu(float *data, int64_t count): from the kernels archive.
func.func private @test_relu(memref<3x4x4xf32>, i64)

func.func @tiny_conv(%image: memref<1x2x6x6xf32>, %result: memref<1x3x4x4xf32>,
                     %arena: memref<256xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %count = arith.constant 48 : i64
  %zero = arith.constant 0.0 : f32
  %weights = memref.get_global @weights : memref<3x2x3x3xf32>
  %biases = memref.get_global @biases : memref<3xf32>
  %scratch = memref.view %arena[%c64][] : memref<256xi8> to memref<3x4x4xf32>
  scf.for %co = %c0 to %c3 step %c1 {
    %bias = memref.load %biases[%co] : memref<3xf32>
    scf.for %oh = %c0 to %c4 step %c1 {
      scf.for %ow = %c0 to %c4 step %c1 {
        %sum = scf.for %ci = %c0 to %c2 step %c1 iter_args(%a0 = %zero) -> f32 {
          %s1 = scf.for %kh = %c0 to %c3 step %c1 iter_args(%a1 = %a0) -> f32 {
            %s2 = scf.for %kw = %c0 to %c3 step %c1 iter_args(%a2 = %a1) -> f32 {
              %ih = arith.addi %oh, %kh : index
              %iw = arith.addi %ow, %kw : index
              %x = memref.load %image[%c0, %ci, %ih, %iw] : memref<1x2x6x6xf32>
              %w = memref.load %weights[%co, %ci, %kh, %kw] : memref<3x2x3x3xf32>
              %p = arith.mulf %x, %w : f32
              %next = arith.addf %a2, %p : f32
              scf.yield %next : f32
            }
            scf.yield %s2 : f32
          }
          scf.yield %s1 : f32
        }
        %biased = arith.addf %sum, %bias : f32
        memref.store %biased, %scratch[%co, %oh, %ow] : memref<3x4x4xf32>
      }
    }
  }
  func.call @test_relu(%scratch, %count) : (memref<3x4x4xf32>, i64) -> ()
  %out = memref.collapse_shape %result [[0, 1], [2], [3]]
      : memref<1x3x4x4xf32> into memref<3x4x4xf32>
  memref.copy %scratch, %out : memref<3x4x4xf32> to memref<3x4x4xf32>
  return
}
