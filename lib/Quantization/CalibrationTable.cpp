//===- CalibrationTable.cpp - per-tensor ranges as editable text ----------===//
#include "picosam/Quantization/CalibrationTable.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace picosam;

bool CalibrationTable::add(CalibrationEntry entry) {
  if (!index_.try_emplace(entry.name, entries_.size()).second)
    return false;
  entries_.push_back(std::move(entry));
  return true;
}

const CalibrationEntry *CalibrationTable::lookup(llvm::StringRef name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

/// `token` as a float, or an error naming what it is.
static llvm::Expected<float> parseNumber(llvm::StringRef token,
                                         llvm::StringRef what,
                                         const llvm::Twine &where) {
  double value;
  if (token.getAsDouble(value))
    return llvm::createStringError(
        llvm::formatv("{0}: {1} '{2}' is not a number", where, what, token));
  if (!std::isfinite(value) || std::fabs(value) > 3.4e38)
    return llvm::createStringError(
        llvm::formatv("{0}: {1} '{2}' is not a finite float", where, what,
                      token));
  return static_cast<float>(value);
}

llvm::Expected<CalibrationTable>
CalibrationTable::parse(llvm::StringRef text, llvm::StringRef fileName) {
  CalibrationTable table;
  table.source_ = fileName.str();
  llvm::StringMap<unsigned> firstLine;
  unsigned lineNumber = 0;
  while (!text.empty()) {
    llvm::StringRef line;
    std::tie(line, text) = text.split('\n');
    ++lineNumber;
    line = line.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    std::string where = llvm::formatv("{0}:{1}", fileName, lineNumber).str();
    llvm::SmallVector<llvm::StringRef, 8> fields;
    line.split(fields, ' ', -1, /*KeepEmpty=*/false);
    // Tabs count as spaces.
    llvm::SmallVector<llvm::StringRef, 8> tokens;
    for (llvm::StringRef field : fields)
      field.split(tokens, '\t', -1, /*KeepEmpty=*/false);
    if (tokens.size() < 4)
      return llvm::createStringError(llvm::formatv(
          "{0}: expected '<name> <min> <max> <threshold>', got {1} field{2}",
          where, tokens.size(), tokens.size() == 1 ? "" : "s"));
    llvm::Expected<float> min =
        parseNumber(tokens[tokens.size() - 3], "min", where);
    if (!min)
      return min.takeError();
    llvm::Expected<float> max =
        parseNumber(tokens[tokens.size() - 2], "max", where);
    if (!max)
      return max.takeError();
    llvm::Expected<float> threshold =
        parseNumber(tokens.back(), "threshold", where);
    if (!threshold)
      return threshold.takeError();
    if (*min > *max)
      return llvm::createStringError(
          llvm::formatv("{0}: min {1} is greater than max {2}", where,
                        tokens[tokens.size() - 3], tokens[tokens.size() - 2]));
    if (*threshold < 0.0f)
      return llvm::createStringError(llvm::formatv(
          "{0}: threshold {1} is negative", where, tokens.back()));
    // The name is everything before the numbers, inner spaces included.
    llvm::StringRef name =
        line.take_front(tokens[tokens.size() - 3].data() - line.data())
            .rtrim();
    auto [first, inserted] = firstLine.try_emplace(name, lineNumber);
    if (!inserted)
      return llvm::createStringError(
          llvm::formatv("{0}: second entry for '{1}' (the first is on line "
                        "{2})",
                        where, name, first->second));
    table.add({name.str(), *min, *max, *threshold});
  }
  if (table.entries().empty())
    return llvm::createStringError(
        llvm::formatv("{0}: the table has no entries", fileName));
  return table;
}

llvm::Expected<CalibrationTable>
CalibrationTable::read(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(
        llvm::formatv("{0}: {1}", path, buffer.getError().message()));
  return parse((*buffer)->getBuffer(), path);
}

void CalibrationTable::print(llvm::raw_ostream &os) const {
  for (const std::string &line : header_)
    os << "# " << line << "\n";
  for (const std::string &warning : warnings_)
    os << "# warning: " << warning << "\n";
  os << "# name min max threshold\n";
  // %.9g reads back as the same float.
  for (const CalibrationEntry &entry : entries_)
    os << entry.name << " " << llvm::format("%.9g", entry.min) << " "
       << llvm::format("%.9g", entry.max) << " "
       << llvm::format("%.9g", entry.threshold) << "\n";
}
