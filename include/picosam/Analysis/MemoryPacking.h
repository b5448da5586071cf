//===- MemoryPacking.h - offsets for buffers with known lifetimes -*- C++ -*-===//
//
// The arena-packing half of memory planning, free of MLIR: given buffers
// with a size and a lifetime (the inclusive range of steps during which they
// hold data), give each an offset in one arena so that no two buffers whose
// lifetimes intersect overlap in memory, keeping the arena small. The other
// half (what the buffers and lifetimes of a function are, and in which order
// its ops run) is in MemoryPlanning.h.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_ANALYSIS_MEMORYPACKING_H
#define PICOSAM_ANALYSIS_MEMORYPACKING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace picosam {

/// A buffer to place: `bytes` of memory needed from step `first` to step
/// `last`, both included (first <= last).
struct LiveInterval {
  int64_t bytes;
  int64_t first;
  int64_t last;

  bool overlapsInTime(const LiveInterval &other) const {
    return first <= other.last && other.first <= last;
  }
};

/// The order in which the greedy packer places buffers. Each is tried and
/// the smallest arena kept: no single order wins on every lifetime pattern.
enum class PackingOrder {
  /// Largest first (ties: longest lifetime first): the big buffers of a CNN
  /// claim the low offsets and the small ones fill the gaps between them.
  BySize,
  /// Largest bytes x lifetime first: long-lived buffers (skip connections)
  /// go low even when a short-lived one is a little bigger.
  ByArea,
  /// Earliest first (ties: largest first), as a linear scan over time would.
  ByFirstUse,
};

struct Packing {
  /// One offset per interval, a multiple of the alignment.
  llvm::SmallVector<int64_t> offsets;
  /// The largest offset + bytes (0 when there is nothing to place).
  int64_t arenaBytes = 0;
  /// The order that gave this packing.
  PackingOrder order = PackingOrder::BySize;
};

/// Places the intervals in `order`, each at the aligned offset of the
/// smallest gap between already placed buffers live at the same time that
/// fits it (best fit), or above all of them when none does.
Packing packIntervals(llvm::ArrayRef<LiveInterval> intervals, int64_t alignment,
                      PackingOrder order);

/// The smallest arena over every PackingOrder (on a tie, the first order in
/// declaration order).
Packing packIntervals(llvm::ArrayRef<LiveInterval> intervals,
                      int64_t alignment);

/// The largest sum of `bytes` over the intervals live at one step, and the
/// first step where it is reached: no packing of these lifetimes can use a
/// smaller arena.
struct LiveBytesPeak {
  int64_t bytes = 0;
  int64_t step = 0;
};
LiveBytesPeak peakLiveBytes(llvm::ArrayRef<LiveInterval> intervals);

/// The index of the first pair of intervals that are live at the same time
/// and overlap in memory at `offsets`, or none when the packing is valid.
/// Pairs for which `mayShare(a, b)` (a < b) holds are allowed to overlap
/// (one written in place over the other).
std::optional<std::pair<size_t, size_t>>
findConflict(llvm::ArrayRef<LiveInterval> intervals,
             llvm::ArrayRef<int64_t> offsets,
             llvm::function_ref<bool(size_t, size_t)> mayShare = nullptr);

} // namespace picosam

#endif // PICOSAM_ANALYSIS_MEMORYPACKING_H
