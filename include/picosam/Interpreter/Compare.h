//===- Compare.h - tensor-by-tensor comparison of two runs ------*- C++ -*-===//
//
// How every pass is verified: the named tensors of one run (or stage) are
// compared with a reference's, per name, by
// - max abs error:     max |x - ref|
// - cosine similarity: <x, ref> / (|x| |ref|)  (1 when both are zero)
// - SQNR in dB:        10 log10(sum ref^2 / sum (ref - x)^2)  (+inf when equal)
// all accumulated in double.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INTERPRETER_COMPARE_H
#define PICOSAM_INTERPRETER_COMPARE_H

#include "picosam/Support/Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

struct TensorComparison {
  std::string name;
  /// Shapes of the run's and the reference's tensor; the metrics are only
  /// computed when they are equal.
  llvm::SmallVector<int64_t, 4> shape, referenceShape;
  double maxAbsError = 0.0, cosine = 1.0, sqnrDb = 0.0;

  bool shapesMatch() const { return shape == referenceShape; }
};

/// Bounds a comparison must stay within; unset ones are not checked.
struct ComparisonThresholds {
  std::optional<double> minSqnrDb, maxAbsError, minCosine;

  bool any() const { return minSqnrDb || maxAbsError || minCosine; }
  /// True when `comparison` breaks a bound: mismatching shapes always do,
  /// and NaN metrics break every bound that is set.
  bool violatedBy(const TensorComparison &comparison) const;
};

struct ComparisonReport {
  /// The tensors present in both, in the run's order.
  std::vector<TensorComparison> compared;
  std::vector<std::string> onlyInRun, onlyInReference;
};

/// Compares two tensors of any element kinds, element by element.
TensorComparison compareTensors(llvm::StringRef name, const Tensor &tensor,
                                const Tensor &reference);

/// Compares the tensors of equal names.
ComparisonReport compareNamedTensors(const NamedTensors &run,
                                     const NamedTensors &reference);

/// Prints the report as an aligned table (with a status column when any
/// threshold is set) followed by the names found on one side only; returns
/// how many compared tensors violate the thresholds.
unsigned printComparison(const ComparisonReport &report,
                         const ComparisonThresholds &thresholds,
                         llvm::raw_ostream &os);

} // namespace picosam

#endif // PICOSAM_INTERPRETER_COMPARE_H
