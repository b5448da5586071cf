//===- Files.h - reading inputs, writing outputs atomically -----*- C++ -*-===//
//
// Every message names the file. Outputs are written all or nothing: each to
// a temporary file in its own directory, renamed over its path only once
// every output of the run is written, so a failed run never leaves an
// existing output truncated or half-replaced. (Files are not flushed to disk
// before the rename: this guards against failed runs, not power loss.)
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_FILES_H
#define PICOSAM_RUNTIME_FILES_H

#include "picosam/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picosam::runtime {

/// Reads the whole file at `path`.
Status readFile(const std::string &path, std::string &bytes);

/// Checks, before any work, that `path` can be written: it is not a
/// directory and its directory exists and is writable.
Status checkWritable(const std::string &path);

/// Outputs written together (see the file comment).
class OutputFiles {
public:
  OutputFiles() = default;
  OutputFiles(const OutputFiles &) = delete;
  OutputFiles &operator=(const OutputFiles &) = delete;
  /// Removes the temporary files of a run that did not commit.
  ~OutputFiles();

  /// Writes `bytes` to a new temporary file beside `path`; to `path` itself
  /// when it is a device or a pipe (nothing to rename then).
  Status add(const std::string &path, std::string_view bytes);
  /// Renames every temporary file over its path.
  Status commit();

private:
  struct Pending {
    std::string path;
    std::string temporary;
  };
  std::vector<Pending> pending_;
};

/// Reads the .npy file at `path` into `values`, which must be a float32
/// (`<f4`) array of exactly `shape`.
Status readFloat32Npy(const std::string &path,
                      const std::vector<int64_t> &shape,
                      std::vector<float> &values);

/// The bytes of an .npy file holding `size` bytes of packed little-endian
/// `descr` elements of `shape`.
std::string npyBytes(std::string_view descr, const std::vector<int64_t> &shape,
                     const void *data, size_t size);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_FILES_H
