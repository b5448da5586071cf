//===- MemoryPackingTest.cpp - greedy packing on hand-made lifetimes ------===//
#include "picosam/Analysis/MemoryPacking.h"

#include "gtest/gtest.h"

#include <random>

using namespace picosam;

namespace {

Packing pack(llvm::ArrayRef<LiveInterval> intervals, PackingOrder order,
             int64_t alignment = 1) {
  Packing packing = packIntervals(intervals, alignment, order);
  EXPECT_FALSE(findConflict(intervals, packing.offsets).has_value());
  return packing;
}

TEST(MemoryPackingTest, EmptyAndSingle) {
  EXPECT_EQ(packIntervals({}, 16).arenaBytes, 0);
  EXPECT_EQ(peakLiveBytes({}).bytes, 0);
  Packing one = packIntervals({{100, 0, 3}}, 16);
  EXPECT_EQ(one.offsets[0], 0);
  EXPECT_EQ(one.arenaBytes, 100);
}

// A chain a -> b -> c: a and c never live together, so c reuses a's
// memory above nothing; b sits above both.
TEST(MemoryPackingTest, ChainReusesDeadMemory) {
  std::vector<LiveInterval> chain = {{100, 0, 1}, {60, 1, 2}, {100, 2, 3}};
  Packing packing = pack(chain, PackingOrder::BySize);
  // By size: a (100) at 0, c (100) at 0 (a is dead by then), b (60) above
  // both at 100.
  EXPECT_EQ(packing.offsets, (llvm::SmallVector<int64_t>{0, 100, 0}));
  EXPECT_EQ(packing.arenaBytes, 160);
  LiveBytesPeak peak = peakLiveBytes(chain);
  EXPECT_EQ(peak.bytes, 160);
  EXPECT_EQ(peak.step, 1);
}

// Best fit: of the two holes between buffers live at the same time, the
// smaller one that holds the new buffer is taken, keeping the larger free.
TEST(MemoryPackingTest, BestFitTakesTheSmallestHole) {
  std::vector<LiveInterval> intervals = {
      {200, 0, 9}, // 0: offset 0
      {150, 0, 2}, // 1: above 0, at 200
      {100, 0, 9}, // 2: above 1, at 350
      {60, 0, 2},  // 3: above 2, at 450
      {52, 0, 9},  // 4: above 3, at 510
      {50, 5, 9},  // 5: 1 and 3 are dead: holes of 150 at 200, 60 at 450
  };
  Packing packing = pack(intervals, PackingOrder::BySize);
  EXPECT_EQ(packing.offsets,
            (llvm::SmallVector<int64_t>{0, 200, 350, 450, 510, 450}));
  EXPECT_EQ(packing.arenaBytes, 562);
}

TEST(MemoryPackingTest, GapBetweenBuffersIsReused) {
  // 0 and 2 are live throughout; 3 (48 bytes) comes after 1 (64 bytes)
  // died and takes its place.
  std::vector<LiveInterval> intervals = {
      {128, 0, 9}, {64, 0, 3}, {96, 0, 9}, {48, 5, 9}};
  Packing packing = pack(intervals, PackingOrder::BySize);
  // By size: 0 at 0, 2 at 128, 1 at 224, 3 in 1's place at 224 (1 is dead).
  EXPECT_EQ(packing.offsets, (llvm::SmallVector<int64_t>{0, 224, 128, 224}));
  EXPECT_EQ(packing.arenaBytes, 288);
  EXPECT_EQ(peakLiveBytes(intervals).bytes, 288);
}

TEST(MemoryPackingTest, AlignmentRoundsOffsetsUp) {
  std::vector<LiveInterval> intervals = {{10, 0, 1}, {10, 0, 1}, {5, 1, 1}};
  Packing packing = pack(intervals, PackingOrder::BySize, 16);
  EXPECT_EQ(packing.offsets, (llvm::SmallVector<int64_t>{0, 16, 32}));
  EXPECT_EQ(packing.arenaBytes, 37);
}

// No order wins everywhere: here placing by first use reaches the lower
// bound, by size and by area do not, and the best of the three is kept.
TEST(MemoryPackingTest, TheBestOrderWins) {
  std::vector<LiveInterval> intervals = {
      {20, 3, 5}, {60, 1, 1}, {30, 1, 3}, {50, 4, 4}};
  // Lower bound: step 1 has 60 + 30 live.
  EXPECT_EQ(peakLiveBytes(intervals).bytes, 90);
  // By size: 1 at 0, 3 at 0 (not live together), 2 above 1 at 60, and 0,
  // live with 3 and 2, finds no 20-byte hole between 3 (0-50) and 2
  // (60-90): it goes on top at 90.
  Packing bySize = pack(intervals, PackingOrder::BySize);
  EXPECT_EQ(bySize.offsets, (llvm::SmallVector<int64_t>{90, 0, 60, 0}));
  EXPECT_EQ(bySize.arenaBytes, 110);
  EXPECT_EQ(pack(intervals, PackingOrder::ByArea).arenaBytes, 100);
  // By first use: 1 at 0, 2 at 60, 0 in the hole under 2, 3 above 0.
  Packing byFirstUse = pack(intervals, PackingOrder::ByFirstUse);
  EXPECT_EQ(byFirstUse.offsets, (llvm::SmallVector<int64_t>{0, 0, 60, 20}));
  EXPECT_EQ(byFirstUse.arenaBytes, 90);
  Packing best = packIntervals(intervals, 1);
  EXPECT_EQ(best.order, PackingOrder::ByFirstUse);
  EXPECT_EQ(best.arenaBytes, 90);
}

TEST(MemoryPackingTest, ConflictsAreFound) {
  std::vector<LiveInterval> intervals = {{8, 0, 2}, {8, 2, 4}, {8, 5, 6}};
  // 0 and 1 share step 2: the same offset is a conflict; 2 may sit anywhere.
  EXPECT_EQ(findConflict(intervals, {0, 0, 0}),
            std::make_optional(std::make_pair<size_t, size_t>(0, 1)));
  EXPECT_FALSE(findConflict(intervals, {0, 8, 0}).has_value());
  EXPECT_EQ(findConflict(intervals, {0, 7, 0}),
            std::make_optional(std::make_pair<size_t, size_t>(0, 1)));
}

// Any lifetimes: every order gives a valid packing no smaller than the
// lower bound, and the combined packing is the smallest of them.
TEST(MemoryPackingTest, RandomLifetimesPackValidly) {
  std::mt19937 random(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<LiveInterval> intervals;
    int count = 1 + random() % 30;
    for (int i = 0; i < count; ++i) {
      int64_t first = random() % 20;
      intervals.push_back({1 + static_cast<int64_t>(random() % 1000), first,
                           first + static_cast<int64_t>(random() % 10)});
    }
    int64_t alignment = trial % 2 ? 16 : 1;
    int64_t lowerBound = peakLiveBytes(intervals).bytes;
    Packing best = packIntervals(intervals, alignment);
    for (PackingOrder order : {PackingOrder::BySize, PackingOrder::ByArea,
                               PackingOrder::ByFirstUse}) {
      Packing packing = packIntervals(intervals, alignment, order);
      ASSERT_FALSE(findConflict(intervals, packing.offsets).has_value());
      for (int64_t offset : packing.offsets)
        ASSERT_EQ(offset % alignment, 0);
      ASSERT_GE(packing.arenaBytes, lowerBound);
      ASSERT_LE(best.arenaBytes, packing.arenaBytes);
    }
  }
}

} // namespace
