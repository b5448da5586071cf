//===- NpzFuzzer.cpp - libFuzzer target for the .npz reader ---------------===//
//
// Bytes -> parseNpz: zip records, zip64 extras, DEFLATE streams and the .npy
// entries inside; any input gives tensors or an error (docs/hardening.md).
//
//===----------------------------------------------------------------------===//
#include "picosam/Support/Npy.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::consumeError(picosam::parseNpz(bytes, "fuzz.npz").takeError());
  return 0;
}
