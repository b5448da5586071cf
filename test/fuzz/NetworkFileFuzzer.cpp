//===- NetworkFileFuzzer.cpp - libFuzzer target for IMX500 networks -------===//
//
// Bytes -> readNetwork (the FlatBuffers verifier and every check after it);
// a file it accepts is walked as its users do, which must stay in bounds.
//
//===----------------------------------------------------------------------===//
#include "picosam/Target/IMX500/NetworkFile.h"

#include <cstddef>
#include <cstdint>

using namespace picosam::imx500;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  NetworkFile file;
  if (readNetwork(std::vector<uint8_t>(data, data + size), file).failed())
    return 0;
  const fb::Network &network = file.network();
  if (const auto *tensors = network.tensors())
    for (int32_t i = 0, e = static_cast<int32_t>(tensors->size()); i < e; ++i)
      (void)file.shapeOf(i);
  return 0;
}
