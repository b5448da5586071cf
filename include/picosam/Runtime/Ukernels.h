/*===- Ukernels.h - the kernel entries generated code calls -----*- C -*-===*\
 *
 * `--pico-lower-to-kernel-calls` turns each pico op of a function
 * materialised over its arena into a call of one of these entries (the way
 * IREE's ukernels are called): every tensor is passed as a pointer to its
 * first element in the arena (a row band of a larger tensor where it is,
 * its strides in the descriptor), weights as pointers to their constant
 * globals, and everything else the op computes with in a constant
 * descriptor the compiler wrote: its geometry, the
 * strides of its views, and its integer constants (zero points, clamps,
 * multipliers and shifts, tables), derived at compile time by the pico
 * dialect's QuantizedArithmetic, the functions the interpreter uses.
 *
 * The generated code passes the pointers as `index` values (64-bit
 * integers, which the x86-64 C calling convention passes as it passes
 * pointers): one signature per entry, whatever the tensors' types.
 *
 * The compiler fills the same structs and copies their bytes into the
 * object, so compiler and kernels agree on the layout by construction (both
 * run on x86-64). Variable-length parts (one multiplier per output channel,
 * tables) follow a descriptor; its `*_offset` fields give their byte offsets
 * from the descriptor's start.
 *
 * Entries whose kernel needs scratch (the convolution, channel attention)
 * take a `workspace` pointer last: memory of at least the bytes their
 * `..._workspace_bytes` function gives for the call, aligned to 64, that
 * the compiler reserves in the arena after the planned buffers (it calls
 * these functions at compile time); no entry allocates.
 *
 * The entries are plain C++ (lib/Runtime/Ukernels.cpp over picosam::kernels;
 * the convolutions first try the bit-exact fast kernels of
 * picosam/Runtime/ConvInt8.h and ConvF32.h), built for baseline x86-64 into
 * libPicoCpuUkernels.a, which the CPU backend bundles into the libraries and
 * programs it writes.
 *
\*===----------------------------------------------------------------------===*/
#ifndef PICOSAM_RUNTIME_UKERNELS_H
#define PICOSAM_RUNTIME_UKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How an NCHW tensor (or a band of its rows) lies in memory, in elements,
 * and how its 8-bit storage values read (ignored for f32 tensors). */
typedef struct {
  int64_t batch_stride, channel_stride, row_stride;
  int32_t is_signed;
  int32_t zero_point;
} picosam_uk_layout;

/* A real multiplier M ~= multiplier * 2^(shift - 31). */
typedef struct {
  int32_t multiplier;
  int32_t shift;
} picosam_uk_multiplier;

/* The quantization of an 8-bit tensor, as picosam::kernels::
 * TensorQuantization (real = (q - zero_point) * scale, q in [storage_min,
 * storage_max]), and its storage type: int8 when is_signed, else uint8. */
typedef struct {
  double scale;
  int32_t zero_point, storage_min, storage_max;
  int32_t is_signed;
} picosam_uk_tensor_quantization;

/* A change of quantization, as picosam::kernels::Rescale: values pass
 * unchanged when input and output are equal, else out = clamp(out_zp +
 * MBQM(q - in_zp, multiplier)). */
typedef struct {
  picosam_uk_tensor_quantization input, output;
  picosam_uk_multiplier multiplier;
} picosam_uk_rescale;

/* The integer means of picosam::kernels::AverageRequantization: a sum of
 * `count` zero-point-free inputs becomes requantizeSum(sum,
 * multipliers[count - first_count], output); the multipliers are at
 * multipliers_offset from the enclosing descriptor's start. */
typedef struct {
  picosam_uk_tensor_quantization input, output;
  int64_t first_count, multipliers_offset;
} picosam_uk_average;

/* pico.conv2d, float or integer, computing output rows [row_begin,
 * row_end) into an output view whose first row is row_begin, split between
 * the threads of picosam_cpu_set_threads (picosam/Runtime/Threads.h) when
 * large enough, with the same results on any number of threads. Integer:
 * out_channels multipliers at multipliers_offset, and with a residual
 * out_channels residual multipliers at residual_multipliers_offset. */
typedef struct {
  int64_t batch, in_channels, in_height, in_width;
  int64_t out_channels, out_height, out_width;
  int64_t kernel_height, kernel_width, groups;
  int64_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
  int64_t upsample;
  picosam_uk_layout input, residual, output;
  int32_t has_bias, has_residual;
  /* Float: the fused activation (kind as picosam::kernels::ActivationKind). */
  int32_t activation_kind;
  float activation_alpha, activation_beta;
  /* Integer: the clamp of the result (the fused activation). */
  int32_t clamp_min, clamp_max;
  int64_t multipliers_offset, residual_multipliers_offset;
  /* Integer, 0 or the offset of out_channels int32 zero-point offsets
   * (picosam::runtime::conv2dZeroPointOffsets of the weights and bias),
   * which the fast kernels otherwise compute on every call. */
  int64_t offsets_offset;
  /* The CPU features (picosam/Runtime/CpuFeatures.h's bits) of the CPU the
   * code was compiled for: the entry runs no kernel built for an
   * instruction set beyond them, nor beyond the machine's (0: baseline
   * x86-64 kernels only). */
  uint64_t cpu_features;
} picosam_uk_conv2d;

/* The workspace a convolution entry needs for a call computing `rows`
 * output rows (float or integer: the sums are 4 bytes either way; the
 * entries' float reference kernel sums in f32, the interpreter's in double). Its
 * reference kernel computes a row at a time, from input rows where they
 * lie; when `input_may_overlap_output` (the plan put rows of the result over
 * the input) it loads the input rows of all `rows` first. */
int64_t picosam_uk_conv2d_workspace_bytes(const picosam_uk_conv2d *descriptor,
                                          int64_t rows,
                                          int32_t input_may_overlap_output);

void picosam_uk_conv2d_f32(const picosam_uk_conv2d *descriptor,
                           const float *input,
                           const float *weight, const float *bias,
                           const float *residual,
                           float *output,
                           int64_t row_begin, int64_t row_end,
                           void *workspace);
void picosam_uk_conv2d_q8(const picosam_uk_conv2d *descriptor,
                          const void *input,
                          const int8_t *weight, const int32_t *bias,
                          const void *residual,
                          void *output,
                          int64_t row_begin, int64_t row_end,
                          void *workspace);

/* pico.channel_attention over a dense batch x channels x plane tensor.
 * Integer: the means' and the logits' quantization, the gate table of
 * table_size entries from table_min at table_offset (int32 each), one
 * multiplier per channel for the logits at logit_multipliers_offset. */
typedef struct {
  int64_t batch, channels, plane_size;
  picosam_uk_layout input, output;
  int32_t has_bias;
  int32_t mean_zero_point, mean_min, mean_max;
  int32_t logits_zero_point, logits_min, logits_max;
  int32_t output_min, output_max;
  picosam_uk_multiplier mean_multiplier, output_multiplier;
  int32_t table_min, table_size;
  int64_t table_offset, logit_multipliers_offset;
  /* As picosam_uk_conv2d's: the integer kernels run no instruction set
   * beyond these features of the target CPU (0: baseline x86-64). */
  uint64_t cpu_features;
} picosam_uk_channel_attention;

/* The workspace a channel attention entry needs (float or integer). */
int64_t picosam_uk_channel_attention_workspace_bytes(
    const picosam_uk_channel_attention *descriptor);

void picosam_uk_channel_attention_f32(
    const picosam_uk_channel_attention *descriptor, const float *input, const float *weight, const float *bias,
    float *output, void *workspace);
void picosam_uk_channel_attention_q8(
    const picosam_uk_channel_attention *descriptor, const void *input, const int8_t *weight, const int32_t *bias,
    void *output, void *workspace);

/* The float ops of an unfused graph, on dense tensors of rank <= 4 (the
 * shapes padded at the front with 1s). */
#define PICOSAM_UK_MAX_RANK 4

/* A standalone activation op (kind as picosam::kernels::ActivationKind).
 * Integer: its function as picosam::kernels::ActivationTable, out =
 * table[q - table_min] (int32 entries at table_offset), from `input`'s
 * storage to `output`'s. */
typedef struct {
  int64_t count;
  int32_t kind;
  float alpha, beta;
  picosam_uk_tensor_quantization input, output;
  int32_t table_min;
  int64_t table_offset;
} picosam_uk_activation;

void picosam_uk_activation_f32(const picosam_uk_activation *descriptor,
                               const float *input, float *output);
void picosam_uk_activation_q8(const picosam_uk_activation *descriptor,
                              const void *input, void *output);

/* pico.add, sub, mul, div, max, min and prelu with numpy broadcasting, then
 * the fused activation. */
typedef enum {
  PICOSAM_UK_ADD,
  PICOSAM_UK_SUB,
  PICOSAM_UK_MUL,
  PICOSAM_UK_DIV,
  PICOSAM_UK_MAX,
  PICOSAM_UK_MIN,
  PICOSAM_UK_PRELU
} picosam_uk_binary_kind;

/* Integer: add and sub are
 * picosam::kernels::AddRequantization (lhs_multiplier, rhs_multiplier,
 * output_multiplier, the clamp), mul is MulRequantization
 * (output_multiplier, the clamp); div, max and min have none. */
typedef struct {
  int32_t kind; /* picosam_uk_binary_kind */
  int32_t activation_kind;
  float activation_alpha, activation_beta;
  int64_t rank;
  int64_t lhs_shape[PICOSAM_UK_MAX_RANK], rhs_shape[PICOSAM_UK_MAX_RANK],
      output_shape[PICOSAM_UK_MAX_RANK];
  picosam_uk_tensor_quantization lhs, rhs, output;
  picosam_uk_multiplier lhs_multiplier, rhs_multiplier, output_multiplier;
  int32_t clamp_min, clamp_max;
} picosam_uk_binary;

void picosam_uk_binary_f32(const picosam_uk_binary *descriptor,
                           const float *lhs, const float *rhs, float *output);
void picosam_uk_binary_q8(const picosam_uk_binary *descriptor,
                          const void *lhs, const void *rhs, void *output);

/* pico.global_avg_pool: the mean of each of `planes` planes; integer, the
 * means of `average` (one divisor, the plane size). */
typedef struct {
  int64_t planes, plane_size;
  picosam_uk_average average;
} picosam_uk_global_avg_pool;

void picosam_uk_global_avg_pool_f32(
    const picosam_uk_global_avg_pool *descriptor, const float *input,
    float *output);
void picosam_uk_global_avg_pool_q8(
    const picosam_uk_global_avg_pool *descriptor, const void *input,
    void *output);

/* pico.resize (modes as picosam::kernels' enums). Integer (nearest): each
 * value read moves to the result's quantization by `rescale`. */
typedef struct {
  int32_t mode, coordinate_transform, nearest_mode;
  int32_t rank;
  float scales[PICOSAM_UK_MAX_RANK];
  int64_t input_shape[PICOSAM_UK_MAX_RANK],
      output_shape[PICOSAM_UK_MAX_RANK];
  picosam_uk_rescale rescale;
} picosam_uk_resize;

void picosam_uk_resize_f32(const picosam_uk_resize *descriptor,
                           const float *input, float *output);
void picosam_uk_resize_q8(const picosam_uk_resize *descriptor,
                          const void *input, void *output);

/* pico.batch_norm over `planes` planes of `plane_size` (channel p %
 * channels). */
typedef struct {
  int64_t planes, channels, plane_size;
  float epsilon;
} picosam_uk_batch_norm;

void picosam_uk_batch_norm_f32(const picosam_uk_batch_norm *descriptor,
                               const float *input, const float *scale,
                               const float *bias, const float *mean,
                               const float *variance, float *output);

/* pico.instance_norm, with batch_norm's descriptor: each plane normalised
 * by its own mean and variance. */
void picosam_uk_instance_norm_f32(const picosam_uk_batch_norm *descriptor,
                                  const float *input, const float *scale,
                                  const float *bias, float *output);

/* pico.quantize and pico.dequantize of `count` dense elements:
 * q = clamp(round_half_even(x / scale) + zero_point), x = (q - zero_point)
 * * scale, in float as the interpreter computes them. Per tensor when
 * axis_size is 0; per axis otherwise, element i with the scale (float) and
 * zero point (int32) of slot (i / axis_stride) % axis_size, from the arrays
 * at scales_offset and zero_points_offset. */
typedef struct {
  int64_t count;
  float scale;
  int32_t zero_point, storage_min, storage_max, is_signed;
  int64_t axis_stride, axis_size, scales_offset, zero_points_offset;
} picosam_uk_quantization;

void picosam_uk_quantize(const picosam_uk_quantization *descriptor,
                         const float *input,
                         void *output);
void picosam_uk_dequantize(const picosam_uk_quantization *descriptor,
                           const void *input,
                           float *output);

/* pico.avg_pool and pico.max_pool over `planes` dense planes (N * C) of
 * height x width into out_height x out_width (pads top, left, bottom,
 * right). Integer: avg_pool's means are `average`'s, max_pool's maximum
 * moves to the result's quantization by `rescale`. */
typedef struct {
  int64_t planes, height, width, out_height, out_width;
  int64_t kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
  int64_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t count_include_pad;
  picosam_uk_average average;
  picosam_uk_rescale rescale;
} picosam_uk_pool;

void picosam_uk_avg_pool_f32(const picosam_uk_pool *descriptor,
                             const float *input, float *output);
void picosam_uk_avg_pool_q8(const picosam_uk_pool *descriptor,
                            const void *input, void *output);
void picosam_uk_max_pool_f32(const picosam_uk_pool *descriptor,
                             const float *input, float *output);
void picosam_uk_max_pool_q8(const picosam_uk_pool *descriptor,
                            const void *input, void *output);

/* pico.concat of `count` dense inputs (`inputs`, an array of pointers)
 * along an axis: `outer` rows (the product of the sizes before the axis),
 * input i giving each row of the result row_sizes[i] elements (int64 each,
 * at row_sizes_offset). Integer: input i (of its own storage type) moves to
 * the result's quantization by rescales[i] (picosam_uk_rescale each, at
 * rescales_offset). */
typedef struct {
  int64_t count, outer;
  int64_t row_sizes_offset, rescales_offset;
} picosam_uk_concat;

void picosam_uk_concat_f32(const picosam_uk_concat *descriptor,
                           const float *const *inputs, float *output);
void picosam_uk_concat_q8(const picosam_uk_concat *descriptor,
                          const void *const *inputs, void *output);

/* pico.reshape: the `bytes` bytes of the input, unchanged (the result may
 * be planned over its input). */
typedef struct {
  int64_t bytes;
} picosam_uk_copy;

void picosam_uk_copy_bytes(const picosam_uk_copy *descriptor,
                           const void *input, void *output);

/* pico.transpose of a dense tensor of `rank` axes (input_shape) whose
 * elements are element_bytes (1 or 4) wide: output axis i is input axis
 * perm[i]. */
typedef struct {
  int64_t rank, element_bytes;
  int64_t input_shape[PICOSAM_UK_MAX_RANK], perm[PICOSAM_UK_MAX_RANK];
} picosam_uk_transpose;

void picosam_uk_transpose_elements(const picosam_uk_transpose *descriptor,
                                    const void *input, void *output);

/* pico.matmul: batched m x k by k x n products, the lhs' and rhs' batch
 * axes (lhs_batch_rank and rhs_batch_rank of them) broadcast to the
 * result's (batch_rank). */
typedef struct {
  int64_t m, k, n;
  int64_t lhs_batch_rank, rhs_batch_rank, batch_rank;
  int64_t lhs_batch[PICOSAM_UK_MAX_RANK], rhs_batch[PICOSAM_UK_MAX_RANK],
      batch[PICOSAM_UK_MAX_RANK];
} picosam_uk_matmul;

void picosam_uk_matmul_f32(const picosam_uk_matmul *descriptor,
                           const float *lhs, const float *rhs, float *output);

/* pico.gemm: activation(alpha * op(a) * op(b) + beta * c), op(a) m x k,
 * op(b) k x n, the optional c (null when has_c is 0) of c_rank axes
 * (c_shape) broadcast to m x n. */
typedef struct {
  int64_t m, k, n;
  int32_t trans_a, trans_b, has_c;
  float alpha, beta;
  int32_t activation_kind;
  float activation_alpha, activation_beta;
  int64_t c_rank, c_shape[2];
} picosam_uk_gemm;

void picosam_uk_gemm_f32(const picosam_uk_gemm *descriptor, const float *a,
                         const float *b, const float *c, float *output);

/* pico.softmax along the middle axis of an outer x length x inner tensor;
 * its logarithm when `log` is nonzero. */
typedef struct {
  int64_t outer, length, inner;
  int32_t log;
} picosam_uk_softmax;

void picosam_uk_softmax_f32(const picosam_uk_softmax *descriptor,
                            const float *input, float *output);

/* Structural ops. */

/* pico.pad of a dense tensor of `rank` axes (input_shape) whose elements
 * are element_bytes (1 or 4) wide: pads[axis] new elements before each
 * axis, pads[rank + axis] after it, as `mode` (0 constant, 1 reflect,
 * 2 edge) gives them; constant mode fills the element whose bytes are the
 * low element_bytes bytes of value_bits (a float's bits, a storage value). */
typedef struct {
  int64_t rank, element_bytes, mode;
  int64_t input_shape[PICOSAM_UK_MAX_RANK], pads[2 * PICOSAM_UK_MAX_RANK];
  uint32_t value_bits;
} picosam_uk_pad;

void picosam_uk_pad_elements(const picosam_uk_pad *descriptor,
                             const void *input, void *output);

/* pico.slice of a dense tensor of `rank` axes (input_shape) whose elements
 * are element_bytes (1 or 4) wide: output element i along each axis is
 * input element offsets[axis] + i * strides[axis], for `sizes`. */
typedef struct {
  int64_t rank, element_bytes;
  int64_t input_shape[PICOSAM_UK_MAX_RANK], offsets[PICOSAM_UK_MAX_RANK],
      sizes[PICOSAM_UK_MAX_RANK], strides[PICOSAM_UK_MAX_RANK];
} picosam_uk_slice;

void picosam_uk_slice_elements(const picosam_uk_slice *descriptor,
                               const void *input, void *output);

/* Transposed convolution. */

/* pico.conv_transpose2d of a dense NCHW input into a dense output, its
 * weight O x C/groups x Kh x Kw (picosam/Kernels/ConvTranspose.h's
 * geometry), the whole output per call on the calling thread, by the
 * interpreter's kernel: float sums in double. The layouts give the storage
 * of 8-bit values (their strides are dense). Integer: out_channels
 * multipliers at multipliers_offset, conv2d's requantization. */
typedef struct {
  int64_t batch, in_channels, in_height, in_width;
  int64_t out_channels, out_height, out_width;
  int64_t kernel_height, kernel_width, groups;
  int64_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
  picosam_uk_layout input, output;
  int32_t has_bias;
  /* Float: the fused activation (kind as picosam::kernels::ActivationKind). */
  int32_t activation_kind;
  float activation_alpha, activation_beta;
  /* Integer: the clamp of the result (the fused activation). */
  int32_t clamp_min, clamp_max;
  int64_t multipliers_offset;
} picosam_uk_conv_transpose2d;

/* The workspace a transposed convolution entry needs: one output row of
 * sums (8 bytes each, the float sums' double). */
int64_t picosam_uk_conv_transpose2d_workspace_bytes(
    const picosam_uk_conv_transpose2d *descriptor);

void picosam_uk_conv_transpose2d_f32(const picosam_uk_conv_transpose2d *descriptor,
                                     const float *input, const float *weight,
                                     const float *bias, float *output,
                                     void *workspace);
void picosam_uk_conv_transpose2d_q8(const picosam_uk_conv_transpose2d *descriptor,
                                    const void *input, const int8_t *weight,
                                    const int32_t *bias, void *output,
                                    void *workspace);

/* Reductions. */

/* pico.reduce of a dense tensor of `rank` axes (input_shape) over its
 * axis_count `axes`, `kind` 0 mean, 1 sum, 2 max (picosam::kernels::
 * ReduceKind). Integer: a mean requantizes by `average` (one divisor, the
 * reduced element count), a maximum moves to the result's quantization by
 * `rescale`. */
typedef struct {
  int64_t rank, kind, axis_count;
  int64_t input_shape[PICOSAM_UK_MAX_RANK], axes[PICOSAM_UK_MAX_RANK];
  picosam_uk_average average;
  picosam_uk_rescale rescale;
} picosam_uk_reduce;

void picosam_uk_reduce_f32(const picosam_uk_reduce *descriptor,
                           const float *input, float *output);
void picosam_uk_reduce_q8(const picosam_uk_reduce *descriptor,
                          const void *input, void *output);

#ifdef __cplusplus
}
#endif

#endif /* PICOSAM_RUNTIME_UKERNELS_H */
