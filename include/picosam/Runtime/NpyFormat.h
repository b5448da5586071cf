//===- NpyFormat.h - the .npy header, without LLVM --------------*- C++ -*-===//
//
// The one implementation of numpy's .npy header (NEP 1, versions 1 to 3):
// parsing it, checking that the data that follows has the size it
// announces, and writing it. picosam's tensor I/O (Support/Npy.h) and the
// runtime of compiled programs both use it; the dtype strings themselves
// are left to each caller, which knows the element types it accepts.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_NPYFORMAT_H
#define PICOSAM_RUNTIME_NPYFORMAT_H

#include "picosam/Runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picosam::runtime {

/// What an .npy header says about the array that follows it.
struct NpyHeader {
  /// The dtype string, e.g. "<f4".
  std::string descr;
  std::vector<int64_t> shape;
  /// Where the array data starts in the file.
  size_t dataOffset = 0;
};

/// Parses the magic, version and header dictionary at the start of an .npy
/// file's bytes. Fortran-order arrays are refused. Messages do not name the
/// file; callers prefix it.
Status parseNpyHeader(std::string_view bytes, NpyHeader &header);

/// Checks that `dataBytes` bytes after the header are exactly the header's
/// array of `elementSize`-byte elements.
Status checkNpyDataSize(const NpyHeader &header, size_t elementSize,
                        size_t dataBytes);

/// The bytes before the data of an array of `descr` and `shape`: the magic,
/// version 1 (version 2 when the header needs more than 64 KiB), the header
/// dictionary padded with spaces and a newline to a multiple of 64 bytes,
/// as numpy writes it.
std::string formatNpyHeader(std::string_view descr,
                            const std::vector<int64_t> &shape);

/// "1x3x96x96"; "scalar" for rank 0.
std::string formatShape(const std::vector<int64_t> &shape);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_NPYFORMAT_H
