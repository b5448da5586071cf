//===- IndexingTest.cpp - strides, broadcasting, window and resize taps ---===//
#include "picosam/Kernels/Indexing.h"

#include "gtest/gtest.h"

#include <vector>

using namespace picosam::kernels;

namespace {
/// Every result index of `resultShape` mapped through `indexer`.
std::vector<int64_t> operandIndices(const BroadcastIndexer &indexer,
                                    Span<int64_t> resultShape) {
  std::vector<int64_t> indices;
  for (int64_t i = 0; i < numElements(resultShape); ++i)
    indices.push_back(indexer.operandIndex(i));
  return indices;
}
} // namespace

TEST(IndexingTest, ShapeHelpers) {
  EXPECT_EQ(rowMajorStrides({2, 3, 4}), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_TRUE(rowMajorStrides({}).empty());
  EXPECT_EQ(numElements({2, 3, 4}), 24);
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({5, 0}), 0);
}

TEST(BroadcastTest, SameShapeIsIdentity) {
  auto indexer = BroadcastIndexer::create({2, 3}, {2, 3});
  ASSERT_TRUE(indexer);
  EXPECT_TRUE(indexer->isIdentity());
  EXPECT_EQ(operandIndices(*indexer, {2, 3}),
            (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(BroadcastTest, AlignsFromTheBack) {
  auto row = BroadcastIndexer::create({3}, {2, 3});
  ASSERT_TRUE(row);
  EXPECT_FALSE(row->isIdentity());
  EXPECT_EQ(operandIndices(*row, {2, 3}),
            (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  auto column = BroadcastIndexer::create({2, 1}, {2, 3});
  ASSERT_TRUE(column);
  EXPECT_EQ(operandIndices(*column, {2, 3}),
            (std::vector<int64_t>{0, 0, 0, 1, 1, 1}));
}

TEST(BroadcastTest, RepeatsSizeOneAxesAnywhere) {
  // [2, 1, 4] read as [2, 3, 4]: the middle axis repeats.
  auto indexer = BroadcastIndexer::create({2, 1, 4}, {2, 3, 4});
  ASSERT_TRUE(indexer);
  EXPECT_EQ(indexer->operandIndex(0), 0);
  EXPECT_EQ(indexer->operandIndex(5), 1);  // [0, 1, 1]
  EXPECT_EQ(indexer->operandIndex(11), 3); // [0, 2, 3]
  EXPECT_EQ(indexer->operandIndex(12), 4); // [1, 0, 0]
  EXPECT_EQ(indexer->operandIndex(23), 7); // [1, 2, 3]
  // A channel vector against NCHW.
  auto channels = BroadcastIndexer::create({3, 1, 1}, {2, 3, 2, 2});
  ASSERT_TRUE(channels);
  EXPECT_EQ(operandIndices(*channels, {2, 3, 2, 2}),
            (std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                  0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
}

TEST(BroadcastTest, ScalarReadsOneElement) {
  auto indexer = BroadcastIndexer::create({}, {2, 2});
  ASSERT_TRUE(indexer);
  EXPECT_EQ(operandIndices(*indexer, {2, 2}), (std::vector<int64_t>(4, 0)));
}

TEST(BroadcastTest, RejectsIncompatibleShapes) {
  EXPECT_FALSE(BroadcastIndexer::create({2}, {3}));
  EXPECT_FALSE(BroadcastIndexer::create({2, 3}, {3}));
  EXPECT_FALSE(BroadcastIndexer::create({3, 1}, {2, 4}));
}

