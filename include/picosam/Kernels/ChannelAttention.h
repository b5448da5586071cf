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
#include <utility>

namespace picosam::kernels {

/// The 1x1 convolution of the means that gives the gates.
inline Conv2DGeometry channelAttentionGateGeometry(int64_t batch,
                                                   int64_t channels) {
  Conv2DGeometry geometry;
  geometry.batch = batch;
  geometry.inChannels = geometry.outChannels = channels;
  geometry.inHeight = geometry.inWidth = 1;
  geometry.outHeight = geometry.outWidth = 1;
  return geometry;
}

/// The means' and the gates' element type: what the average policy gives.
template <typename AveragePolicy>
using AverageValue =
    std::decay_t<decltype(std::declval<const AveragePolicy &>().average(
        typename AveragePolicy::Sum{}, int64_t(1)))>;

/// The workspace bytes channelAttention needs for `batch` x `channels`
/// planes, with means and gates of type Value and gate sums of type Acc:
/// the means, the gates, and the gates' convolution's scratch.
template <typename Value, typename Acc = Value>
int64_t channelAttentionWorkspaceBytes(int64_t batch, int64_t channels) {
  return 2 * workspaceArrayBytes<Value>(batch * channels) +
         conv2dWorkspaceBytes<Acc>(
             channelAttentionGateGeometry(batch, channels), 1);
}

/// The gates of `batch` x `channels` means: their 1x1 conv2d with the
/// `channels` x `channels` weight and the epilogue `gates`, its scratch
/// taken from `scratch` (what follows the means and the gates in
/// channelAttention's workspace).
template <typename Value, typename W, typename GateEpilogue>
void channelAttentionGates(const Value *means, int64_t batch, int64_t channels,
                           const W *weight, Value *gateValues,
                           const GateEpilogue &gates,
                           WorkspaceArrays &scratch) {
  Conv2DGeometry geometry = channelAttentionGateGeometry(batch, channels);
  int64_t convBytes =
      conv2dWorkspaceBytes<typename GateEpilogue::Acc>(geometry, 1);
  conv2d(geometry, NCHWView<const Value>::dense(means, channels, 1, 1), weight,
         NCHWView<Value>::dense(gateValues, channels, 1, 1), 0, 1, gates,
         Workspace{scratch.take<char>(convBytes), convBytes});
}

/// out[n, c] = scale(x[n, c], gate[n, c]) for an input of `batch` x
/// `channels` planes of `planeSize` elements and a `channels` x `channels`
/// weight, where the means are averaged by `average` and the gates computed
/// by `gates`, a conv2d epilogue. Its scratch is `workspace`, of at least
/// channelAttentionWorkspaceBytes<Value, GateEpilogue::Acc>(batch,
/// channels) bytes.
template <typename AveragePolicy, typename GateEpilogue, typename In,
          typename W, typename Out, typename ScaleFn>
void channelAttention(const In *input, int64_t batch, int64_t channels,
                      int64_t planeSize, const W *weight, Out *output,
                      const AveragePolicy &average, const GateEpilogue &gates,
                      ScaleFn &&scale, Workspace workspace) {
  using Value = AverageValue<AveragePolicy>;
  int64_t planes = batch * channels;
  WorkspaceArrays scratch(workspace);
  Value *means = scratch.take<Value>(planes);
  Value *gateValues = scratch.take<Value>(planes);
  globalAveragePool(input, planes, planeSize, means, average);
  channelAttentionGates(means, batch, channels, weight, gateValues, gates,
                        scratch);
  scalePlanes(input, planes, planeSize, gateValues, output, scale);
}

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_CHANNELATTENTION_H
