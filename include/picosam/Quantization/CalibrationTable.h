//===- CalibrationTable.h - per-tensor ranges as editable text --*- C++ -*-===//
//
// What calibration measured and chose for each tensor, by the name
// picosam-run gives it (the ONNX node name): the observed min and max, and
// the clipping threshold T the calibration method chose for |x|. The table
// is plain text so users can inspect, edit and reuse it:
//
//   # picosam calibration table
//   # method: kl, profile: imx500, samples: 64 (models/data/calibration.npz)
//   # name min max threshold
//   input -2.11790395 2.64000010 2.64000010
//   /enc1/dw/Conv -5.01893997 4.72015285 4
//
// '#' starts a comment line; a name may contain spaces (the last three
// fields are the numbers). docs/quantization.md describes the format.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_QUANTIZATION_CALIBRATIONTABLE_H
#define PICOSAM_QUANTIZATION_CALIBRATIONTABLE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace picosam {

struct CalibrationEntry {
  std::string name;
  /// The smallest and largest value seen; min <= max, both finite.
  float min = 0.0f, max = 0.0f;
  /// The clipping threshold chosen for |x|: finite and >= 0.
  float threshold = 0.0f;
};

class CalibrationTable {
public:
  /// Parses the text of a table; errors read "<fileName>:<line>: <reason>".
  static llvm::Expected<CalibrationTable> parse(llvm::StringRef text,
                                                llvm::StringRef fileName);
  /// Reads and parses a table file.
  static llvm::Expected<CalibrationTable> read(llvm::StringRef path);

  /// Adds an entry; false (and nothing added) when its name is taken.
  bool add(CalibrationEntry entry);
  /// The entry of `name`, or null.
  const CalibrationEntry *lookup(llvm::StringRef name) const;
  const std::vector<CalibrationEntry> &entries() const { return entries_; }

  /// Comment lines written before the entries (without the '# ').
  std::vector<std::string> &header() { return header_; }
  /// What calibration warns about (a tensor whose kl threshold collapsed,
  /// Calibration.h): the tools print them, and they are written after the
  /// header as "# warning: <text>" comment lines (not read back).
  std::vector<std::string> &warnings() { return warnings_; }
  const std::vector<std::string> &warnings() const { return warnings_; }

  /// The file the table was parsed from, for messages; empty for a table
  /// made in memory.
  llvm::StringRef source() const { return source_; }

  /// Writes the table as text, every number with enough digits to read
  /// back the same float.
  void print(llvm::raw_ostream &os) const;

private:
  std::vector<CalibrationEntry> entries_;
  llvm::StringMap<size_t> index_;
  std::vector<std::string> header_;
  std::vector<std::string> warnings_;
  std::string source_;
};

} // namespace picosam

#endif // PICOSAM_QUANTIZATION_CALIBRATIONTABLE_H
