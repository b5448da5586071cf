//===- CalibrationTableFuzzer.cpp - libFuzzer target for tables -----------===//
//
// Text -> CalibrationTable::parse, and a parsed table printed and parsed
// back must give the same entries (the format's round trip).
//
//===----------------------------------------------------------------------===//
#include "picosam/Quantization/CalibrationTable.h"

#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<picosam::CalibrationTable> table =
      picosam::CalibrationTable::parse(text, "fuzz.table");
  if (!table) {
    llvm::consumeError(table.takeError());
    return 0;
  }
  std::string printed;
  llvm::raw_string_ostream os(printed);
  table->print(os);
  llvm::Expected<picosam::CalibrationTable> reread =
      picosam::CalibrationTable::parse(printed, "printed.table");
  if (!reread || reread->entries().size() != table->entries().size())
    std::abort();
  for (size_t i = 0; i < table->entries().size(); ++i) {
    const picosam::CalibrationEntry &a = table->entries()[i],
                                    &b = reread->entries()[i];
    if (a.name != b.name || a.min != b.min || a.max != b.max ||
        a.threshold != b.threshold)
      std::abort();
  }
  return 0;
}
