//===- KernelIndexing.cpp - where kernels read their input ----------------===//
#include "Pico/KernelIndexing.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cmath>

using namespace picosam::pico;

std::pair<int64_t, int64_t> picosam::pico::validOutputRange(int64_t offset,
                                                            int64_t stride,
                                                            int64_t size,
                                                            int64_t outSize) {
  int64_t begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  int64_t last = size - 1 - offset;
  int64_t end = last < 0 ? 0 : last / stride + 1;
  begin = std::min(begin, outSize);
  end = std::clamp(end, begin, outSize);
  return {begin, end};
}

float picosam::pico::resizeSourceCoordinate(CoordinateTransformMode mode,
                                            int64_t x, float scale,
                                            int64_t inSize, int64_t outSize) {
  float xf = static_cast<float>(x);
  switch (mode) {
  case CoordinateTransformMode::HalfPixel:
    return (xf + 0.5f) / scale - 0.5f;
  case CoordinateTransformMode::PytorchHalfPixel:
    return outSize > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
  case CoordinateTransformMode::AlignCorners:
    return outSize == 1 ? 0.0f
                        : xf * static_cast<float>(inSize - 1) /
                              static_cast<float>(outSize - 1);
  case CoordinateTransformMode::Asymmetric:
    return xf / scale;
  case CoordinateTransformMode::TfHalfPixelForNearest:
    return (xf + 0.5f) / scale;
  }
  llvm_unreachable("unknown coordinate transformation mode");
}

/// Source coordinate `x` rounded to an index as `nearest_mode` says.
static float roundNearest(NearestMode mode, float x) {
  bool halfway = x == std::floor(x) + 0.5f;
  switch (mode) {
  case NearestMode::RoundPreferFloor:
    return halfway ? std::floor(x) : std::round(x);
  case NearestMode::RoundPreferCeil:
    return halfway ? std::ceil(x) : std::round(x);
  case NearestMode::Floor:
    return std::floor(x);
  case NearestMode::Ceil:
    return std::ceil(x);
  }
  llvm_unreachable("unknown nearest mode");
}

int64_t picosam::pico::resizeNearestIndex(NearestMode mode, float x,
                                          int64_t inSize) {
  return static_cast<int64_t>(
      std::clamp(roundNearest(mode, x), 0.0f, static_cast<float>(inSize - 1)));
}
