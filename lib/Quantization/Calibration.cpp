//===- Calibration.cpp - per-tensor statistics and thresholds -------------===//
#include "picosam/Quantization/Calibration.h"

#include "picosam/Interpreter/Interpreter.h"
#include "picosam/Runtime/Prompt.h"
#include "picosam/Support/Npy.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace picosam;

llvm::StringRef picosam::stringifyCalibrationMethod(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::Mse:
    return "mse";
  case CalibrationMethod::Kl:
    return "kl";
  }
  llvm_unreachable("unknown calibration method");
}

llvm::StringRef
picosam::stringifyQuantizationProfile(QuantizationProfile profile) {
  switch (profile) {
  case QuantizationProfile::Cpu:
    return "cpu";
  case QuantizationProfile::Imx500:
    return "imx500";
  }
  llvm_unreachable("unknown quantization profile");
}

std::optional<QuantizationProfile>
picosam::parseQuantizationProfile(llvm::StringRef name) {
  if (name == "cpu")
    return QuantizationProfile::Cpu;
  if (name == "imx500")
    return QuantizationProfile::Imx500;
  return std::nullopt;
}

std::optional<CalibrationTable>
picosam::getModuleCalibration(mlir::ModuleOp module) {
  auto entries = module->getAttrOfType<mlir::DictionaryAttr>(
      pico::PicoDialect::kCalibrationAttrName);
  if (!entries)
    return std::nullopt;
  CalibrationTable table;
  table.header() = {"picosam calibration table",
                    "the thresholds of the model's mct_quantizers nodes"};
  // The dialect's verifier checked each entry: min, max, threshold.
  for (mlir::NamedAttribute entry : entries) {
    llvm::ArrayRef<float> values =
        llvm::cast<mlir::DenseF32ArrayAttr>(entry.getValue()).asArrayRef();
    table.add({entry.getName().str(), values[0], values[1], values[2]});
  }
  return table;
}

llvm::Expected<QuantizationProfile> picosam::selectQuantizationProfile(
    std::optional<QuantizationProfile> requested, pico::TargetAttr target) {
  if (!target)
    return requested.value_or(QuantizationProfile::Cpu);
  QuantizationProfile profile = target.getKind() == pico::TargetKind::Imx500
                                    ? QuantizationProfile::Imx500
                                    : QuantizationProfile::Cpu;
  if (requested && *requested != profile)
    return llvm::createStringError(llvm::formatv(
        "profile '{0}' contradicts the module's target '{1}', which "
        "quantizes with the {2} profile",
        stringifyQuantizationProfile(*requested),
        pico::stringifyTargetKind(target.getKind()),
        stringifyQuantizationProfile(profile)));
  return profile;
}

double picosam::stepsPerThreshold(QuantizationProfile profile,
                                  bool isUnsigned) {
  double steps = profile == QuantizationProfile::Cpu ? 255.0 : 256.0;
  return isUnsigned ? steps : steps / 2.0;
}

//===----------------------------------------------------------------------===//
// Thresholds
//===----------------------------------------------------------------------===//

double picosam::percentileThreshold(const Histogram &histogram,
                                    double percentile) {
  double total = 0.0;
  for (double count : histogram.counts)
    total += count;
  double target = total * percentile / 100.0, cumulative = 0.0;
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    cumulative += histogram.counts[i];
    if (cumulative >= target)
      return (i + 1) * histogram.binWidth();
  }
  return histogram.range;
}

double picosam::quantizationError(const Histogram &histogram,
                                  double threshold, double steps) {
  double step = threshold / steps, error = 0.0;
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    double x = (i + 0.5) * histogram.binWidth();
    error += histogram.counts[i] *
             (x <= threshold ? step * step / 12.0
                             : (x - threshold) * (x - threshold));
  }
  return error;
}

double picosam::mseThreshold(const Histogram &histogram, double steps) {
  // quantizationError at every bin edge k * width in one sweep: the bins
  // above the edge contribute sum c (x - T)^2 = S2 - 2 T S1 + T^2 S0 over
  // them, the ones below (step^2 / 12) times their count.
  size_t bins = histogram.counts.size();
  double width = histogram.binWidth();
  double s0 = 0.0, s1 = 0.0, s2 = 0.0;
  for (size_t i = 0; i < bins; ++i) {
    double x = (i + 0.5) * width, c = histogram.counts[i];
    s0 += c;
    s1 += c * x;
    s2 += c * x * x;
  }
  double below = 0.0, best = std::numeric_limits<double>::infinity();
  size_t bestEdge = bins;
  for (size_t k = 1; k <= bins; ++k) {
    double x = (k - 0.5) * width, c = histogram.counts[k - 1];
    below += c;
    s0 -= c;
    s1 -= c * x;
    s2 -= c * x * x;
    double threshold = k * width, step = threshold / steps;
    double error = below * step * step / 12.0 + s2 - 2.0 * threshold * s1 +
                   threshold * threshold * s0;
    if (error < best) {
      best = error;
      bestEdge = k;
    }
  }
  return bestEdge * width;
}

double picosam::klThreshold(const Histogram &histogram, double steps) {
  const std::vector<double> &counts = histogram.counts;
  size_t bins = counts.size();
  auto levels = static_cast<size_t>(std::lround(steps));
  if (levels == 0 || bins <= levels)
    return histogram.range;
  std::vector<double> above(bins + 1, 0.0);
  for (size_t i = bins; i-- > 0;)
    above[i] = above[i + 1] + counts[i];
  double best = std::numeric_limits<double>::infinity();
  size_t bestEdge = bins;
  std::vector<double> reference, quantized;
  for (size_t edge = levels; edge <= bins; ++edge) {
    // P: the histogram clipped at the edge, outliers in its last bin.
    reference.assign(counts.begin(), counts.begin() + edge);
    reference.back() += above[edge];
    // Q: the unclipped bins merged into `levels` groups, each group's
    // count spread evenly over its non-empty bins.
    quantized.assign(edge, 0.0);
    double groupSize = static_cast<double>(edge) / levels;
    for (size_t level = 0; level < levels; ++level) {
      auto begin = static_cast<size_t>(std::floor(level * groupSize));
      auto end = level + 1 == levels
                     ? edge
                     : static_cast<size_t>(std::floor((level + 1) * groupSize));
      double total = 0.0;
      size_t nonEmpty = 0;
      for (size_t i = begin; i < end; ++i) {
        total += counts[i];
        nonEmpty += counts[i] != 0.0;
      }
      for (size_t i = begin; i < end; ++i)
        if (counts[i] != 0.0)
          quantized[i] = total / nonEmpty;
    }
    double referenceTotal = above[0];
    double quantizedTotal = 0.0;
    for (double q : quantized)
      quantizedTotal += q;
    if (quantizedTotal == 0.0)
      continue;
    // A bin P has and Q lacks (the outliers' bin, when empty itself) counts
    // as holding a tiny fraction of Q, so the divergence stays finite.
    double divergence = 0.0;
    for (size_t i = 0; i < edge; ++i) {
      if (reference[i] == 0.0)
        continue;
      double p = reference[i] / referenceTotal;
      double q = std::max(quantized[i] / quantizedTotal, 1e-12);
      divergence += p * std::log(p / q);
    }
    if (divergence < best) {
      best = divergence;
      bestEdge = edge;
    }
  }
  return bestEdge * histogram.binWidth();
}

double picosam::chooseThreshold(const Histogram &histogram, bool isUnsigned,
                                const CalibrationOptions &options,
                                std::optional<double> *collapsedKlThreshold) {
  if (histogram.range == 0.0)
    return 0.0;
  double steps = stepsPerThreshold(options.profile, isUnsigned);
  double threshold = histogram.range;
  switch (options.method) {
  case CalibrationMethod::MinMax:
    break;
  case CalibrationMethod::Percentile:
    threshold = percentileThreshold(histogram, options.percentile);
    break;
  case CalibrationMethod::Mse:
    threshold = mseThreshold(histogram, steps);
    break;
  case CalibrationMethod::Kl:
    threshold = klThreshold(histogram, steps);
    if (threshold < percentileThreshold(histogram, kKlMinimumPercentile)) {
      if (collapsedKlThreshold)
        *collapsedKlThreshold = threshold;
      threshold = mseThreshold(histogram, steps);
    }
    break;
  }
  if (options.profile != QuantizationProfile::Imx500)
    return threshold;
  double lower = std::exp2(std::floor(std::log2(threshold)));
  if (lower == threshold)
    return threshold;
  double upper = 2.0 * lower;
  if (options.method == CalibrationMethod::MinMax)
    return upper;
  return quantizationError(histogram, lower, steps) <
                 quantizationError(histogram, upper, steps)
             ? lower
             : upper;
}

//===----------------------------------------------------------------------===//
// Running the calibration set
//===----------------------------------------------------------------------===//

namespace {
/// What calibration records of one tensor.
struct TensorStatistics {
  std::string name;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  Histogram histogram;
};
} // namespace

/// The largest |x| of a float tensor.
static float largestMagnitude(const Tensor &tensor) {
  float largest = 0.0f;
  for (float x : tensor.floats())
    largest = std::max(largest, std::fabs(x));
  return largest;
}

llvm::Expected<CalibrationTable> picosam::calibrate(
    func::FuncOp func, llvm::ArrayRef<Tensor> samples,
    const CalibrationOptions &options,
    llvm::function_ref<void(llvm::StringRef, int64_t, int64_t)> progress) {
  if (samples.empty())
    return llvm::createStringError("the calibration set holds no samples");
  FailureOr<Interpreter> interpreter = Interpreter::create(func);
  if (failed(interpreter))
    return llvm::createStringError("cannot run @" + func.getSymName().str());
  std::vector<TensorStatistics> statistics;
  llvm::StringMap<size_t> index;
  auto sampleTensors =
      [&](size_t sample) -> llvm::Expected<NamedTensors> {
    NamedTensors record;
    if (failed(interpreter->run({samples[sample]}, &record)))
      return llvm::createStringError(
          llvm::formatv("running @{0} failed on calibration sample {1}",
                        func.getSymName(), sample));
    // Only float tensors are calibrated (integer ones are not quantized).
    llvm::erase_if(record, [](const NamedTensor &value) {
      return value.tensor.kind() != ElementKind::F32;
    });
    return record;
  };

  // Pass 1: the range of every tensor.
  for (size_t sample = 0; sample < samples.size(); ++sample) {
    llvm::Expected<NamedTensors> record = sampleTensors(sample);
    if (!record)
      return record.takeError();
    for (NamedTensor &value : *record) {
      auto [it, inserted] = index.try_emplace(value.name, statistics.size());
      if (inserted) {
        statistics.emplace_back();
        statistics.back().name = value.name;
      }
      TensorStatistics &stats = statistics[it->second];
      for (float x : value.tensor.floats()) {
        // The samples are finite (loadCalibrationSet): the first tensor in
        // execution order that is not is where float32 overflowed.
        if (!std::isfinite(x))
          return llvm::createStringError(llvm::formatv(
              "calibration sample {0}: the network overflows float32 at "
              "'{1}', which computes NaN or infinite values from the finite "
              "sample (its largest |x| is {2:e})",
              sample, value.name, largestMagnitude(samples[sample])));
        stats.min = std::min<double>(stats.min, x);
        stats.max = std::max<double>(stats.max, x);
      }
    }
    progress("min/max", sample + 1, samples.size());
  }

  // Pass 2 (methods that need it): a histogram of |x| over [0, max |x|].
  for (TensorStatistics &stats : statistics) {
    stats.histogram.range = std::max(std::fabs(stats.min), std::fabs(stats.max));
    stats.histogram.counts.assign(options.bins, 0.0);
  }
  if (options.method != CalibrationMethod::MinMax) {
    for (size_t sample = 0; sample < samples.size(); ++sample) {
      llvm::Expected<NamedTensors> record = sampleTensors(sample);
      if (!record)
        return record.takeError();
      for (NamedTensor &value : *record) {
        Histogram &histogram = statistics[index.lookup(value.name)].histogram;
        if (histogram.range == 0.0)
          continue;
        double binsPerUnit = options.bins / histogram.range;
        for (float x : value.tensor.floats()) {
          // Exact zeros (ReLU's, padding's) are exact at every threshold:
          // counting them would only pull the choice towards small ones.
          if (x == 0.0f)
            continue;
          auto bin = static_cast<int64_t>(std::fabs(x) * binsPerUnit);
          histogram.counts[std::min(bin, options.bins - 1)] += 1.0;
        }
      }
      progress("histograms", sample + 1, samples.size());
    }
  }

  CalibrationTable table;
  for (const TensorStatistics &stats : statistics) {
    bool isUnsigned = stats.min >= 0.0;
    std::optional<double> collapsedKl;
    double threshold =
        chooseThreshold(stats.histogram, isUnsigned, options, &collapsedKl);
    if (collapsedKl) {
      std::string warning;
      llvm::raw_string_ostream(warning)
          << "kl calibration collapsed on '" << stats.name << "' (values in ["
          << llvm::format("%g", stats.min) << ", "
          << llvm::format("%g", stats.max) << "]): its threshold "
          << llvm::format("%g", *collapsedKl) << " clips more than "
          << llvm::format("%g", 100.0 - kKlMinimumPercentile)
          << " % of them; the mse threshold "
          << llvm::format("%g", threshold) << " is taken instead";
      table.warnings().push_back(std::move(warning));
    }
    table.add({stats.name, static_cast<float>(stats.min),
               static_cast<float>(stats.max), static_cast<float>(threshold)});
  }
  return table;
}

//===----------------------------------------------------------------------===//
// Calibration sets
//===----------------------------------------------------------------------===//

/// The inputs one array holds (see loadCalibrationSet), appended to
/// `samples`.
static llvm::Error addSamples(const Tensor &array, llvm::StringRef where,
                              llvm::ArrayRef<int64_t> inputShape,
                              std::vector<Tensor> &samples) {
  ArrayRef<int64_t> shape = array.shape();
  std::string expected = formatShape(inputShape);
  if (array.kind() == ElementKind::U8) {
    bool single = shape.size() == 3;
    if ((shape.size() != 3 && shape.size() != 4) || shape.back() != 3)
      return llvm::createStringError(llvm::formatv(
          "{0}: uint8 arrays must be RGB crops, HxWx3 or NxHxWx3, got {1}",
          where, formatShape(shape)));
    int64_t count = single ? 1 : shape[0];
    int64_t height = shape[shape.size() - 3], width = shape[shape.size() - 2];
    llvm::SmallVector<int64_t, 4> normalized = {1, 3, height, width};
    if (ArrayRef<int64_t>(normalized) != inputShape)
      return llvm::createStringError(llvm::formatv(
          "{0}: {1}x{2} crops normalise to {3} inputs, the model takes {4}",
          where, height, width, formatShape(normalized), expected));
    const std::vector<int64_t> &pixels = array.ints();
    std::vector<uint8_t> crop(height * width * 3);
    for (int64_t n = 0; n < count; ++n) {
      auto first = pixels.begin() + n * crop.size();
      std::copy(first, first + crop.size(), crop.begin());
      Tensor sample(ElementKind::F32, normalized);
      runtime::normalizeCrop(crop.data(), height, width,
                             sample.floats().data());
      samples.push_back(std::move(sample));
    }
    return llvm::Error::success();
  }
  if (array.kind() != ElementKind::F32)
    return llvm::createStringError(llvm::formatv(
        "{0}: expected uint8 crops or float32 inputs, got {1} values", where,
        stringifyElementKind(array.kind())));
  if (shape.size() != inputShape.size() || shape.empty() || shape[0] == 0 ||
      shape.drop_front() != inputShape.drop_front() ||
      shape[0] % inputShape[0] != 0)
    return llvm::createStringError(llvm::formatv(
        "{0}: a float32 array of shape {1} is neither a {2} input nor a "
        "stack of them along the first axis",
        where, formatShape(shape), expected));
  int64_t count = shape[0] / inputShape[0];
  for (int64_t n = 0; n < count; ++n) {
    Tensor sample = array.slice(n * inputShape[0], inputShape[0]);
    if (!llvm::all_of(sample.floats(),
                      [](float x) { return std::isfinite(x); }))
      return llvm::createStringError(llvm::formatv(
          "{0}: sample {1} holds NaN or infinite values", where, n));
    samples.push_back(std::move(sample));
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>>
picosam::loadCalibrationSet(llvm::StringRef path,
                            llvm::ArrayRef<int64_t> inputShape,
                            uint64_t maxNpzBytes) {
  std::vector<Tensor> samples;
  if (llvm::sys::fs::is_directory(path)) {
    std::vector<std::string> files;
    std::error_code error;
    for (llvm::sys::fs::directory_iterator it(path, error), end;
         it != end && !error; it.increment(error))
      if (llvm::sys::path::extension(it->path()) == ".npy")
        files.push_back(it->path());
    if (error)
      return llvm::createStringError(
          llvm::formatv("{0}: {1}", path, error.message()));
    llvm::sort(files);
    if (files.empty())
      return llvm::createStringError(
          llvm::formatv("{0}: the directory holds no .npy files", path));
    for (const std::string &file : files) {
      llvm::Expected<Tensor> array = readNpy(file);
      if (!array)
        return array.takeError();
      if (llvm::Error error = addSamples(*array, file, inputShape, samples))
        return std::move(error);
    }
  } else if (llvm::sys::path::extension(path) == ".npz") {
    llvm::Expected<NamedTensors> arrays = readNpz(path, maxNpzBytes);
    if (!arrays)
      return arrays.takeError();
    for (const NamedTensor &array : *arrays)
      if (llvm::Error error =
              addSamples(array.tensor, (path + ":" + array.name).str(),
                         inputShape, samples))
        return std::move(error);
  } else {
    llvm::Expected<Tensor> array = readNpy(path);
    if (!array)
      return array.takeError();
    if (llvm::Error error = addSamples(*array, path, inputShape, samples))
      return std::move(error);
  }
  if (samples.empty())
    return llvm::createStringError(
        llvm::formatv("{0}: the calibration set holds no samples", path));
  return samples;
}
