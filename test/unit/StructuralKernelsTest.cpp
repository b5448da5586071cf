//===- StructuralKernelsTest.cpp - the structural ops' kernels ------------===//
//
// Padding against numpy.pad's definitions of its modes, written out.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/Structural.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <vector>

using namespace picosam::kernels;

namespace {

TEST(PadKernelTest, SourcePositionOfEachMode) {
  // An axis of 4 elements [0, 4) with 3 new ones before it.
  std::vector<int64_t> constant, reflect, edge;
  for (int64_t position = 0; position < 10; ++position) {
    constant.push_back(padSourcePosition(position, 3, 4, PadMode::Constant));
    reflect.push_back(padSourcePosition(position, 3, 4, PadMode::Reflect));
    edge.push_back(padSourcePosition(position, 3, 4, PadMode::Edge));
  }
  EXPECT_EQ(constant, (std::vector<int64_t>{-1, -1, -1, 0, 1, 2, 3, -1, -1, -1}));
  EXPECT_EQ(reflect, (std::vector<int64_t>{3, 2, 1, 0, 1, 2, 3, 2, 1, 0}));
  EXPECT_EQ(edge, (std::vector<int64_t>{0, 0, 0, 0, 1, 2, 3, 3, 3, 3}));
}

TEST(PadKernelTest, PadsEveryAxisInRowMajorOrder) {
  // [[1, 2, 3], [4, 5, 6]] padded by 1 row before and 2 columns after.
  std::vector<float> in = {1, 2, 3, 4, 5, 6}, out(3 * 5);
  pad(in.data(), {2, 3}, {1, 0, 0, 2}, PadMode::Constant, -1.0f, out.data());
  EXPECT_EQ(out, (std::vector<float>{-1, -1, -1, -1, -1, 1, 2, 3, -1, -1, 4, 5,
                                     6, -1, -1}));
  pad(in.data(), {2, 3}, {1, 0, 0, 2}, PadMode::Reflect, 0.0f, out.data());
  EXPECT_EQ(out, (std::vector<float>{4, 5, 6, 5, 4, 1, 2, 3, 2, 1, 4, 5, 6, 5,
                                     4}));
  pad(in.data(), {2, 3}, {1, 0, 0, 2}, PadMode::Edge, 0.0f, out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 2, 3, 3, 3, 1, 2, 3, 3, 3, 4, 5, 6, 6,
                                     6}));
}

TEST(PadKernelTest, StorageValuesMoveUnchanged) {
  // Quantized tensors pad their storage values; the fill is a storage value.
  std::vector<int8_t> in = {-128, 127}, out(4);
  pad(in.data(), {1, 2}, {0, 1, 0, 1}, PadMode::Constant, int8_t(-3),
      out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-3, -128, 127, -3}));
}

} // namespace
