//===- Npy.h - numpy .npy and .npz files ------------------------*- C++ -*-===//
//
// Reads and writes numpy's array files, the exchange format between
// picosam-run, PyTorch references and evaluation scripts:
//
// - `.npy`: format versions 1, 2 and 3, little-endian dtypes <f4 <f8 |i1 |u1
//   <i2 <i4 <i8 |b1, C order. Written as version 1 (version 2 when the header
//   needs more than 64 KiB), the header padded to 64 bytes as numpy does.
// - `.npz`: a zip of `<name>.npy` entries. Reads STORED (np.savez) and
//   DEFLATE (np.savez_compressed) entries, zip64 records included; writes
//   STORED entries without zip64, so a written archive stays below 4 GiB.
//
// Every failure is an llvm::Error whose message starts with the file name.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_SUPPORT_NPY_H
#define PICOSAM_SUPPORT_NPY_H

#include "picosam/Support/Tensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace picosam {

/// A tensor and its name: an `.npz` entry or an interpreter value.
struct NamedTensor {
  std::string name;
  Tensor tensor;
};
using NamedTensors = std::vector<NamedTensor>;

/// Parses the bytes of an `.npy` file; `fileName` prefixes error messages.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes,
                                llvm::StringRef fileName);
/// The bytes of `tensor` as an `.npy` file.
void printNpy(const Tensor &tensor, llvm::raw_ostream &os);

llvm::Expected<Tensor> readNpy(llvm::StringRef path);

/// The most bytes all entries of an `.npz` archive may hold together,
/// inflated, by default (1 GiB): DEFLATE's 1032-fold expansion alone lets a
/// 4 MB file ask for 4 GB.
constexpr uint64_t kDefaultMaxNpzBytes = uint64_t(1) << 30;

/// Parses the bytes of an `.npz` archive; entries keep their archive order
/// and their names lose the `.npy` suffix. An archive whose entries declare
/// more than `maxBytes` in all is refused before any is inflated.
llvm::Expected<NamedTensors>
parseNpz(llvm::StringRef bytes, llvm::StringRef fileName,
         uint64_t maxBytes = kDefaultMaxNpzBytes);
/// The bytes of an `.npz` archive holding `tensors` as STORED entries.
llvm::Error printNpz(const NamedTensors &tensors, llvm::raw_ostream &os);

llvm::Expected<NamedTensors> readNpz(llvm::StringRef path,
                                     uint64_t maxBytes = kDefaultMaxNpzBytes);

} // namespace picosam

#endif // PICOSAM_SUPPORT_NPY_H
