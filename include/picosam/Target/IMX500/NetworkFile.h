//===- NetworkFile.h - the IMX500 network file's one reader -----*- C++ -*-===//
//
// The network file (Network.fbs, docs/imx500.md "The network file") is read
// only through readNetwork, which always runs the FlatBuffers verifier and
// then checks what the verifier cannot: the schema version, every index in
// range, shapes and sizes consistent, every activation inside the arena,
// every constant buffer as long as its tensor in the device layout, each
// operator's tensors and parameters fitting its kind, and the memory
// report's figures, indices and steps in range (NetworkReport.h reads it). A file that fails
// gives an error message; one that passes can be walked without further
// checks. Plain C++17 and flatbuffers: no LLVM or MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_NETWORKFILE_H
#define PICOSAM_TARGET_IMX500_NETWORKFILE_H

#include "picosam/Runtime/Status.h"
// flatc's code has a default label in a switch that covers every
// enumerator, which clang reports under LLVM's -Wcovered-switch-default.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcovered-switch-default"
#endif
#include "picosam/Target/IMX500/Network_generated.h"
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#include <cstdint>
#include <string>
#include <vector>

namespace picosam::imx500 {

using runtime::Status;

/// MCT's IMX500 target processes output channels in groups of its 8-bit
/// SIMD width (shared/imx500.md): constants pad axis 0 to it.
constexpr int32_t kDefaultChannelGroup = 32;

/// Bytes of one element.
int64_t elementBytes(fb::ElementType type);

/// Elements of `shape` with its axis 0 rounded up to a multiple of
/// `channelGroup`: a constant's size in the device layout.
int64_t deviceElements(const std::vector<int64_t> &shape,
                       int64_t channelGroup);

/// A network file's bytes, verified and checked (readNetwork).
class NetworkFile {
public:
  const fb::Network &network() const { return *fb::GetNetwork(bytes.data()); }
  size_t size() const { return bytes.size(); }

  /// The shape of tensor `index`.
  std::vector<int64_t> shapeOf(int32_t index) const;

private:
  friend Status readNetwork(std::vector<uint8_t> bytes, NetworkFile &file);
  std::vector<uint8_t> bytes;
};

/// Checks `bytes` (see the file comment) and keeps them in `file`; on
/// failure `file` is left as it was and the message says what is wrong.
Status readNetwork(std::vector<uint8_t> bytes, NetworkFile &file);
/// readNetwork of the file at `path`; messages start with the path.
Status loadNetwork(const std::string &path, NetworkFile &file);

/// The sensor's fixed-point input normalisation (InputNormalization in
/// Network.fbs) that takes uint8 u of channel c to
///   q = clamp(round(u * gain[c] + offset[c]) / 2^shift), storage bounds)
/// approximating the real map of a float normalisation followed by the
/// input's quantization,
///   q ~ ((u / 255 - mean[c]) / std[c]) / scale + zeroPoint,
/// with the largest `shift` (at most 30) for which u * gain + offset and its
/// rounding fit int32 for every u in [0, 255].
struct FixedPointNormalization {
  std::vector<int32_t> gain, offset;
  int32_t shift = 0;
};
FixedPointNormalization
getFixedPointNormalization(const std::vector<float> &mean,
                           const std::vector<float> &std, double scale,
                           int64_t zeroPoint);

} // namespace picosam::imx500

#endif // PICOSAM_TARGET_IMX500_NETWORKFILE_H
