//===- Structural.cpp - padding's index arithmetic ------------------------===//
#include "picosam/Kernels/Structural.h"

#include <algorithm>

using namespace picosam::kernels;

int64_t picosam::kernels::padSourcePosition(int64_t position, int64_t before,
                                            int64_t size, PadMode mode) {
  int64_t source = position - before;
  if (source >= 0 && source < size)
    return source;
  switch (mode) {
  case PadMode::Constant:
    return -1;
  case PadMode::Edge:
    return std::clamp<int64_t>(source, 0, size - 1);
  case PadMode::Reflect:
    // Mirrored about element 0 or size - 1, which is not repeated.
    return source < 0 ? -source : 2 * (size - 1) - source;
  }
  return -1;
}
