//===- Resize.cpp - ONNX Resize taps --------------------------------------===//
#include "picosam/Kernels/Resize.h"

#include <algorithm>
#include <cmath>

using namespace picosam::kernels;

ResizeTaps picosam::kernels::resizeTaps(ResizeMode mode,
                                        CoordinateTransformMode coordinates,
                                        NearestMode nearest,
                                        Span<float> scales,
                                        Span<int64_t> inShape,
                                        Span<int64_t> outShape) {
  bool linear = mode == ResizeMode::Linear;
  ResizeTaps result;
  result.taps.resize(inShape.size());
  for (size_t axis = 0; axis < inShape.size(); ++axis) {
    bool interpolate = linear && scales[axis] != 1.0f;
    if (interpolate)
      result.interpolatedAxes.push_back(static_cast<int64_t>(axis));
    std::vector<AxisTap> &taps = result.taps[axis];
    for (int64_t x = 0; x < outShape[axis]; ++x) {
      float source = resizeSourceCoordinate(coordinates, x, scales[axis],
                                            inShape[axis], outShape[axis]);
      if (!linear) {
        int64_t index = resizeNearestIndex(nearest, source, inShape[axis]);
        taps.push_back({index, index, 0.0f});
        continue;
      }
      if (!interpolate) {
        int64_t index = std::clamp<int64_t>(x, 0, inShape[axis] - 1);
        taps.push_back({index, index, 0.0f});
        continue;
      }
      source = std::clamp(source, 0.0f, static_cast<float>(inShape[axis] - 1));
      auto low = static_cast<int64_t>(std::floor(source));
      int64_t high = std::min(low + 1, inShape[axis] - 1);
      taps.push_back({low, high, source - static_cast<float>(low)});
    }
  }
  return result;
}
