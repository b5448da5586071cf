//===- Compare.cpp - tensor-by-tensor comparison of two runs --------------===//
#include "picosam/Interpreter/Compare.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace picosam;

bool ComparisonThresholds::violatedBy(const TensorComparison &c) const {
  if (!c.shapesMatch())
    return true;
  // Written as "not within" so NaN metrics violate.
  return (minSqnrDb && !(c.sqnrDb >= *minSqnrDb)) ||
         (maxAbsError && !(c.maxAbsError <= *maxAbsError)) ||
         (minCosine && !(c.cosine >= *minCosine));
}

TensorComparison picosam::compareTensors(llvm::StringRef name,
                                         const Tensor &tensor,
                                         const Tensor &reference) {
  TensorComparison c;
  c.name = name.str();
  c.shape.assign(tensor.shape().begin(), tensor.shape().end());
  c.referenceShape.assign(reference.shape().begin(), reference.shape().end());
  if (!c.shapesMatch())
    return c;
  double dot = 0.0, norm = 0.0, referenceNorm = 0.0, noise = 0.0;
  for (int64_t i = 0, e = tensor.numElements(); i < e; ++i) {
    double x = tensor.getAsDouble(i), r = reference.getAsDouble(i);
    double error = x - r;
    // A NaN error sticks (std::max would drop it): it must stay visible.
    if (std::isnan(error) || std::abs(error) > c.maxAbsError)
      c.maxAbsError = std::abs(error);
    dot += x * r;
    norm += x * x;
    referenceNorm += r * r;
    noise += error * error;
  }
  if (norm == 0.0 || referenceNorm == 0.0)
    c.cosine = norm == referenceNorm ? 1.0 : 0.0;
  else
    c.cosine = dot / (std::sqrt(norm) * std::sqrt(referenceNorm));
  c.sqnrDb = noise == 0.0 ? std::numeric_limits<double>::infinity()
                          : 10.0 * std::log10(referenceNorm / noise);
  return c;
}

ComparisonReport picosam::compareNamedTensors(const NamedTensors &run,
                                              const NamedTensors &reference) {
  llvm::StringMap<const Tensor *> references;
  for (const NamedTensor &named : reference)
    references[named.name] = &named.tensor;
  ComparisonReport report;
  llvm::StringSet<> inRun;
  for (const NamedTensor &named : run) {
    inRun.insert(named.name);
    auto it = references.find(named.name);
    if (it == references.end())
      report.onlyInRun.push_back(named.name);
    else
      report.compared.push_back(
          compareTensors(named.name, named.tensor, *it->second));
  }
  for (const NamedTensor &named : reference)
    if (!inRun.contains(named.name))
      report.onlyInReference.push_back(named.name);
  return report;
}

static std::string formatMetric(double value, const char *format) {
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  if (std::isnan(value))
    return "nan";
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format(format, value);
  return text;
}

static void printNames(llvm::StringRef title,
                       const std::vector<std::string> &names,
                       llvm::raw_ostream &os) {
  if (names.empty())
    return;
  os << title << " (" << names.size() << "):";
  for (const std::string &name : names)
    os << " " << name;
  os << "\n";
}

unsigned picosam::printComparison(const ComparisonReport &report,
                                  const ComparisonThresholds &thresholds,
                                  llvm::raw_ostream &os) {
  // Each row's cells, then the table with every column as wide as its
  // widest cell: names and shapes left-aligned, numbers right-aligned.
  std::vector<std::vector<std::string>> rows = {
      {"tensor", "shape", "max_abs_err", "cosine", "sqnr_db"}};
  bool withStatus =
      thresholds.any() ||
      llvm::any_of(report.compared,
                   [](const TensorComparison &c) { return !c.shapesMatch(); });
  if (withStatus)
    rows[0].push_back("status");
  unsigned violations = 0;
  for (const TensorComparison &c : report.compared) {
    std::vector<std::string> row = {c.name, formatShape(c.shape)};
    if (c.shapesMatch()) {
      row.push_back(formatMetric(c.maxAbsError, "%.3e"));
      row.push_back(formatMetric(c.cosine, "%.6f"));
      row.push_back(formatMetric(c.sqnrDb, "%.2f"));
    } else {
      row.insert(row.end(), {"-", "-", "-"});
    }
    bool violated = thresholds.violatedBy(c);
    violations += violated;
    if (withStatus)
      row.push_back(!c.shapesMatch() ? "FAIL (reference is " +
                                           formatShape(c.referenceShape) + ")"
                    : violated ? "FAIL"
                               : "ok");
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const std::vector<std::string> &row : rows)
    for (auto [column, cell] : llvm::enumerate(row))
      widths[column] = std::max(widths[column], cell.size());
  for (const std::vector<std::string> &row : rows) {
    for (auto [column, cell] : llvm::enumerate(row)) {
      bool number = column >= 2 && column <= 4;
      bool last = column + 1 == row.size();
      if (column)
        os << "  ";
      if (number)
        os << llvm::right_justify(cell, widths[column]);
      else if (last)
        os << cell;
      else
        os << llvm::left_justify(cell, widths[column]);
    }
    os << "\n";
  }
  printNames("only in this run", report.onlyInRun, os);
  printNames("only in the reference", report.onlyInReference, os);
  os << llvm::formatv("compared {0} tensors", report.compared.size());
  if (withStatus)
    os << llvm::formatv(", {0} failed", violations);
  os << "\n";
  return violations;
}
