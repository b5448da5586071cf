//===- MemoryPacking.cpp - offsets for buffers with known lifetimes -------===//
#include "picosam/Analysis/MemoryPacking.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>
#include <map>

using namespace picosam;

static int64_t durationOf(const LiveInterval &interval) {
  return interval.last - interval.first + 1;
}

/// The indices of `intervals` in the order `order` places them; the index
/// breaks every remaining tie so the result never depends on the sort.
static llvm::SmallVector<size_t>
placementOrder(llvm::ArrayRef<LiveInterval> intervals, PackingOrder order) {
  llvm::SmallVector<size_t> indices(intervals.size());
  for (size_t i = 0; i < indices.size(); ++i)
    indices[i] = i;
  auto key = [&](size_t i) {
    const LiveInterval &interval = intervals[i];
    // Sorted ascending: larger values come first by negating them.
    switch (order) {
    case PackingOrder::BySize:
      return std::make_tuple(-interval.bytes, -durationOf(interval),
                             interval.first, i);
    case PackingOrder::ByArea:
      // Saturated: only absurd plans reach it, which planning refuses.
      return std::make_tuple(-llvm::checkedMul(interval.bytes,
                                               durationOf(interval))
                                  .value_or(
                                      std::numeric_limits<int64_t>::max()),
                             -interval.bytes, interval.first, i);
    case PackingOrder::ByFirstUse:
      return std::make_tuple(interval.first, -interval.bytes,
                             -durationOf(interval), i);
    }
    llvm_unreachable("unknown packing order");
  };
  llvm::sort(indices, [&](size_t a, size_t b) { return key(a) < key(b); });
  return indices;
}

Packing picosam::packIntervals(llvm::ArrayRef<LiveInterval> intervals,
                               int64_t alignment, PackingOrder order) {
  assert(alignment >= 1 && "alignment must be positive");
  Packing packing;
  packing.order = order;
  packing.offsets.assign(intervals.size(), 0);
  llvm::SmallVector<size_t> placed;
  for (size_t index : placementOrder(intervals, order)) {
    const LiveInterval &interval = intervals[index];
    // The buffers this one must not overlap, bottom to top.
    llvm::SmallVector<size_t> neighbours;
    for (size_t other : placed)
      if (intervals[other].overlapsInTime(interval))
        neighbours.push_back(other);
    llvm::sort(neighbours, [&](size_t a, size_t b) {
      return std::make_pair(packing.offsets[a], a) <
             std::make_pair(packing.offsets[b], b);
    });
    // Best fit: the smallest gap below a neighbour that holds the buffer.
    std::optional<int64_t> bestOffset;
    int64_t bestGap = 0, coveredUpTo = 0;
    for (size_t other : neighbours) {
      int64_t candidate = llvm::alignTo(coveredUpTo, alignment);
      int64_t gap = packing.offsets[other] - candidate;
      if (gap >= interval.bytes && (!bestOffset || gap < bestGap)) {
        bestOffset = candidate;
        bestGap = gap;
      }
      coveredUpTo = std::max(coveredUpTo,
                             packing.offsets[other] + intervals[other].bytes);
    }
    int64_t offset = bestOffset.value_or(llvm::alignTo(coveredUpTo, alignment));
    packing.offsets[index] = offset;
    packing.arenaBytes = std::max(packing.arenaBytes, offset + interval.bytes);
    placed.push_back(index);
  }
  return packing;
}

Packing picosam::packIntervals(llvm::ArrayRef<LiveInterval> intervals,
                               int64_t alignment) {
  std::optional<Packing> best;
  for (PackingOrder order : {PackingOrder::BySize, PackingOrder::ByArea,
                             PackingOrder::ByFirstUse}) {
    Packing packing = packIntervals(intervals, alignment, order);
    if (!best || packing.arenaBytes < best->arenaBytes)
      best = std::move(packing);
  }
  return std::move(*best);
}

LiveBytesPeak picosam::peakLiveBytes(llvm::ArrayRef<LiveInterval> intervals) {
  // The live total changes only where an interval starts or has just ended.
  std::map<int64_t, int64_t> changeAt;
  for (const LiveInterval &interval : intervals) {
    changeAt[interval.first] += interval.bytes;
    changeAt[interval.last + 1] -= interval.bytes;
  }
  LiveBytesPeak peak;
  int64_t live = 0;
  for (auto [step, change] : changeAt) {
    live += change;
    if (live > peak.bytes) {
      peak.bytes = live;
      peak.step = step;
    }
  }
  return peak;
}

std::optional<std::pair<size_t, size_t>>
picosam::findConflict(llvm::ArrayRef<LiveInterval> intervals,
                      llvm::ArrayRef<int64_t> offsets,
                      llvm::function_ref<bool(size_t, size_t)> mayShare) {
  for (size_t a = 0; a < intervals.size(); ++a)
    for (size_t b = a + 1; b < intervals.size(); ++b)
      if (intervals[a].overlapsInTime(intervals[b]) &&
          offsets[a] < offsets[b] + intervals[b].bytes &&
          offsets[b] < offsets[a] + intervals[a].bytes &&
          !(mayShare && mayShare(a, b)))
        return std::make_pair(a, b);
  return std::nullopt;
}
