//===- NpyFuzzer.cpp - libFuzzer target for the .npy reader ---------------===//
//
// Bytes -> parseNpy: any input gives a tensor or an error, never a crash, an
// out-of-bounds read or undefined behaviour (docs/hardening.md).
//
//===----------------------------------------------------------------------===//
#include "picosam/Support/Npy.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::consumeError(picosam::parseNpy(bytes, "fuzz.npy").takeError());
  return 0;
}
