//===- Calibration.h - per-tensor statistics and thresholds -----*- C++ -*-===//
//
// Post-training calibration: the float graph runs over a calibration set,
// every named tensor's min and max are recorded, then a histogram of its
// non-zero |x| (2048 bins over [0, max |x|]; zeros are exact whatever the
// threshold), and a method chooses each tensor's clipping threshold T from
// it:
//
// - minmax:     T = max |x| (nothing is clipped);
// - percentile: the smallest bin edge below which `percentile` % of the
//               |x| lie;
// - mse:        the bin edge minimising the expected squared error of
//               quantizing with T (clipping (x - T)^2 above it, rounding
//               step^2 / 12 below it, step = T / steps);
// - kl:         TensorRT's entropy calibration: the bin edge minimising
//               KL(P || Q) between the histogram clipped at T and its
//               quantization to `steps` levels; guarded: a threshold
//               below the 90th percentile of |x| is the search collapsing
//               (on a narrow range away from 0, P and Q clipped to one bin
//               agree exactly), and the tensor takes the mse threshold
//               instead, with a warning.
//
// The IMX500 profile needs power-of-two thresholds: the method's T becomes
// the power of two above it (minmax, which never clips) or whichever of the
// powers of two around it has the smaller expected squared error.
// docs/quantization.md gives the formulas.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_QUANTIZATION_CALIBRATION_H
#define PICOSAM_QUANTIZATION_CALIBRATION_H

#include "Pico/PicoDialect.h"
#include "picosam/Quantization/CalibrationTable.h"
#include "picosam/Support/Npy.h"
#include "picosam/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <vector>

namespace picosam {

enum class CalibrationMethod { MinMax, Percentile, Mse, Kl };
/// "minmax", "percentile", "mse", "kl".
llvm::StringRef stringifyCalibrationMethod(CalibrationMethod method);

/// What the quantized graph is for (docs/quantization.md):
/// - cpu: int8 activations with any real scale and a zero point;
/// - imx500: what the sensor expects: power-of-two activation thresholds,
///   symmetric, unsigned (u8) after ReLU-like ops.
enum class QuantizationProfile { Cpu, Imx500 };
llvm::StringRef stringifyQuantizationProfile(QuantizationProfile profile);
std::optional<QuantizationProfile>
parseQuantizationProfile(llvm::StringRef name);
/// The profile quantizing for `target` takes: the target's own (imx500 for
/// the IMX500, cpu for the CPU); without a target, `requested` (an explicit
/// profile option), else cpu. A `requested` profile that contradicts the
/// target is an error.
llvm::Expected<QuantizationProfile>
selectQuantizationProfile(std::optional<QuantizationProfile> requested,
                          pico::TargetAttr target);

/// The calibration table a model quantized elsewhere carries (the module's
/// pico.calibration, which the importer makes from an MCTQ model's
/// activation quantizers), or none.
std::optional<CalibrationTable> getModuleCalibration(mlir::ModuleOp module);

/// Quantization steps between 0 and the threshold: 255 (cpu) or 256
/// (imx500) for unsigned tensors (min >= 0), half of it for signed ones.
double stepsPerThreshold(QuantizationProfile profile, bool isUnsigned);

/// Counts of |x| in equal bins over [0, range).
struct Histogram {
  double range = 0.0;
  std::vector<double> counts;

  double binWidth() const { return range / counts.size(); }
};

/// The thresholds of each method on a histogram (see the file comment).
double percentileThreshold(const Histogram &histogram, double percentile);
double mseThreshold(const Histogram &histogram, double steps);
double klThreshold(const Histogram &histogram, double steps);
/// The expected squared error of quantizing the histogram's values with
/// threshold T and T / steps per step.
double quantizationError(const Histogram &histogram, double threshold,
                         double steps);

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  QuantizationProfile profile = QuantizationProfile::Cpu;
  /// For the percentile method, in (0, 100].
  double percentile = 99.99;
  /// Histogram bins.
  int64_t bins = 2048;
};

/// The percentile of |x| below which the kl method's threshold is taken
/// for a collapse of its search (see the file comment): PicoSAM3's kl
/// thresholds clip at most 1.3 % of a tensor's non-zero values.
constexpr double kKlMinimumPercentile = 90.0;

/// The threshold `options` choose for a tensor whose |x| has `histogram`
/// (the profile's power-of-two rule included). When the kl method's
/// threshold collapses, the mse threshold is chosen instead and
/// `*collapsedKlThreshold` (when given) is set to kl's.
double chooseThreshold(const Histogram &histogram, bool isUnsigned,
                       const CalibrationOptions &options,
                       std::optional<double> *collapsedKlThreshold = nullptr);

/// Runs `func` (one argument) on every sample and returns the calibration
/// table of every named float tensor it computes, in execution order, with
/// a warning in the table for each tensor whose kl threshold collapsed.
/// `progress(phase, done, total)` is called after each sample. Errors name
/// the sample and tensor (a tensor with NaN or infinite values, a failed
/// run).
llvm::Expected<CalibrationTable> calibrate(
    mlir::func::FuncOp func, llvm::ArrayRef<Tensor> samples,
    const CalibrationOptions &options,
    llvm::function_ref<void(llvm::StringRef, int64_t, int64_t)> progress);

/// Reads a calibration set of inputs shaped `inputShape` (1x3xHxW): a
/// directory of `.npy` files (read in name order), an `.npz` or an `.npy`.
/// Each array is either uint8 RGB crops, HxWx3 or NxHxWx3, normalised as
/// models/data.py `normalize` does ((x / 255 - mean) / std with ImageNet's
/// mean and std, to NCHW), or float32 inputs already normalised: one input,
/// or N of them stacked along the first axis. Errors name the file and
/// array: wrong dtype or shape, NaN or infinite values, no samples. An
/// `.npz` holds at most `maxNpzBytes` inflated (parseNpz).
llvm::Expected<std::vector<Tensor>>
loadCalibrationSet(llvm::StringRef path, llvm::ArrayRef<int64_t> inputShape,
                   uint64_t maxNpzBytes = kDefaultMaxNpzBytes);

} // namespace picosam

#endif // PICOSAM_QUANTIZATION_CALIBRATION_H
