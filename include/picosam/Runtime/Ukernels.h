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
 * The entries are plain C++ (lib/Runtime/Ukernels.cpp over picosam::kernels;
 * the integer convolution first tries the bit-exact fast kernels of
 * picosam/Runtime/ConvInt8.h), built for baseline x86-64 into
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
  /* The CPU features (picosam/Runtime/CpuFeatures.h's bits) of the CPU the
   * code was compiled for: the entry runs no kernel built for an
   * instruction set beyond them, nor beyond the machine's (0: baseline
   * x86-64 kernels only). */
  uint64_t cpu_features;
} picosam_uk_conv2d;

void picosam_uk_conv2d_f32(const picosam_uk_conv2d *descriptor,
                           const float *input,
                           const float *weight, const float *bias,
                           const float *residual,
                           float *output,
                           int64_t row_begin, int64_t row_end);
void picosam_uk_conv2d_q8(const picosam_uk_conv2d *descriptor,
                          const void *input,
                          const int8_t *weight, const int32_t *bias,
                          const void *residual,
                          void *output,
                          int64_t row_begin, int64_t row_end);

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
} picosam_uk_channel_attention;

void picosam_uk_channel_attention_f32(
    const picosam_uk_channel_attention *descriptor, const float *input, const float *weight, const float *bias,
    float *output);
void picosam_uk_channel_attention_q8(
    const picosam_uk_channel_attention *descriptor, const void *input, const int8_t *weight, const int32_t *bias,
    void *output);

/* The float ops of an unfused graph, on dense tensors of rank <= 4 (the
 * shapes padded at the front with 1s). */
#define PICOSAM_UK_MAX_RANK 4

/* A standalone activation op (kind as picosam::kernels::ActivationKind). */
typedef struct {
  int64_t count;
  int32_t kind;
  float alpha, beta;
} picosam_uk_activation;

void picosam_uk_activation_f32(const picosam_uk_activation *descriptor,
                               const float *input, float *output);

/* pico.add, sub, mul and div with numpy broadcasting, then the fused
 * activation. */
typedef enum {
  PICOSAM_UK_ADD,
  PICOSAM_UK_SUB,
  PICOSAM_UK_MUL,
  PICOSAM_UK_DIV
} picosam_uk_binary_kind;

typedef struct {
  int32_t kind; /* picosam_uk_binary_kind */
  int32_t activation_kind;
  float activation_alpha, activation_beta;
  int64_t rank;
  int64_t lhs_shape[PICOSAM_UK_MAX_RANK], rhs_shape[PICOSAM_UK_MAX_RANK],
      output_shape[PICOSAM_UK_MAX_RANK];
} picosam_uk_binary;

void picosam_uk_binary_f32(const picosam_uk_binary *descriptor,
                           const float *lhs, const float *rhs, float *output);

/* pico.global_avg_pool: the mean of each of `planes` planes. */
typedef struct {
  int64_t planes, plane_size;
} picosam_uk_global_avg_pool;

void picosam_uk_global_avg_pool_f32(
    const picosam_uk_global_avg_pool *descriptor, const float *input,
    float *output);

/* pico.resize (modes as picosam::kernels' enums). */
typedef struct {
  int32_t mode, coordinate_transform, nearest_mode;
  int32_t rank;
  float scales[PICOSAM_UK_MAX_RANK];
  int64_t input_shape[PICOSAM_UK_MAX_RANK],
      output_shape[PICOSAM_UK_MAX_RANK];
} picosam_uk_resize;

void picosam_uk_resize_f32(const picosam_uk_resize *descriptor,
                           const float *input, float *output);

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

/* pico.quantize and pico.dequantize of `count` dense elements, per tensor:
 * q = clamp(round_half_even(x / scale) + zero_point), x = (q - zero_point)
 * * scale, in float as the interpreter computes them. */
typedef struct {
  int64_t count;
  float scale;
  int32_t zero_point, storage_min, storage_max, is_signed;
} picosam_uk_quantization;

void picosam_uk_quantize(const picosam_uk_quantization *descriptor,
                         const float *input,
                         void *output);
void picosam_uk_dequantize(const picosam_uk_quantization *descriptor,
                           const void *input,
                           float *output);

#ifdef __cplusplus
}
#endif

#endif /* PICOSAM_RUNTIME_UKERNELS_H */
