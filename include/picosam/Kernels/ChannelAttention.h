//===- ChannelAttention.h - Efficient Channel Attention ----------*- C++ -*-===//
//
// channel_attention is the three kernels it fuses, run on one NCHW input:
// the means of its planes (globalAveragePool), the gates (a 1x1 conv2d of
// the means whose epilogue ends in a sigmoid: the float activation, or the
// integer table), and the input scaled by its plane's gate. The sums run in
// the order the unfused ops' do, so the fused op gives their numbers.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_CHANNELATTENTION_H
#define PICOSAM_KERNELS_CHANNELATTENTION_H

#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/Elementwise.h"
#include "picosam/Kernels/Pool.h"

#include <cstdint>
#include <type_traits>
#include <vector>

namespace picosam::kernels {

/// out[n, c] = scale(x[n, c], gate[n, c]) for an input of `batch` x
/// `channels` planes of `planeSize` elements and a `channels` x `channels`
/// weight, where the means are averaged by `average` and the gates computed
/// by `gates`, a conv2d epilogue.
template <typename AveragePolicy, typename GateEpilogue, typename In,
          typename W, typename Out, typename ScaleFn>
void channelAttention(const In *input, int64_t batch, int64_t channels,
                      int64_t planeSize, const W *weight, Out *output,
                      const AveragePolicy &average, const GateEpilogue &gates,
                      ScaleFn &&scale) {
  // The means' and the gates' element type: what the average gives.
  using Value = std::decay_t<decltype(average.average(
      typename AveragePolicy::Sum{}, int64_t(1)))>;
  int64_t planes = batch * channels;
  std::vector<Value> means(planes), gateValues(planes);
  globalAveragePool(input, planes, planeSize, means.data(), average);
  Conv2DGeometry geometry;
  geometry.batch = batch;
  geometry.inChannels = geometry.outChannels = channels;
  geometry.inHeight = geometry.inWidth = 1;
  geometry.outHeight = geometry.outWidth = 1;
  conv2d(geometry,
         NCHWView<const Value>::dense(means.data(), channels, 1, 1), weight,
         NCHWView<Value>::dense(gateValues.data(), channels, 1, 1), 0, 1,
         gates);
  scalePlanes(input, planes, planeSize, gateValues.data(), output, scale);
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_CHANNELATTENTION_H
