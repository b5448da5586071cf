//===- WindowRange.cpp - the outputs a window tap reads inside its input --===//
//
// validOutputRange (Indexing.h), in a file of its own: the convolution the
// CPU kernel entries run needs it, and nothing else of Indexing.cpp, whose
// shape helpers use the C++ library (the entries link without it).
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/Indexing.h"

#include <algorithm>

std::pair<int64_t, int64_t> picosam::kernels::validOutputRange(int64_t offset,
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
