//===- Simulator.h - the IMX500 network file, executed ----------*- C++ -*-===//
//
// Runs a network file (NetworkFile.h) alone, in integers, with the
// reference kernels (picosam/Kernels): one arena of the file's size, every
// activation at its planned offset, the operators of a step that share it
// row by row through their rings and streamed buffers, and the constants
// (requantization multipliers, clamps, gate tables) as the file records
// them: nothing is derived again. A ring row read after its slot was
// overwritten is an error, so a run also checks the plan.
// Plain C++17: no LLVM or MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_SIMULATOR_H
#define PICOSAM_TARGET_IMX500_SIMULATOR_H

#include "picosam/Kernels/Workspace.h"
#include "picosam/Target/IMX500/NetworkFile.h"

#include <cstdint>
#include <vector>

namespace picosam::imx500 {

class Simulator {
public:
  explicit Simulator(const NetworkFile &file);

  /// Elements of the network's (first) input and output.
  int64_t inputElements() const;
  int64_t outputElements() const;

  /// Runs one sample: `input` holds the input's storage values, `output`
  /// receives the output's.
  Status run(const std::vector<int32_t> &input, std::vector<int32_t> &output);

private:
  struct RowState;
  Status runStep(int32_t step);
  Status computeRows(int32_t op, int64_t rowEnd, RowState &state);

  const NetworkFile &file;
  std::vector<uint8_t> arena;
  /// The kernels' scratch.
  kernels::WorkspaceBuffer workspace;
};

/// The input's storage value of float `x` (pico.quantize's rounding).
int32_t quantizeInput(const fb::Network &network, float x);
/// The sensor's normalisation of uint8 `u` of channel `channel`
/// (InputNormalization in Network.fbs).
int32_t normalizeInput(const fb::Network &network, int64_t channel,
                       uint8_t u);
/// The real value of the output's storage value `q`, as pico.dequantize
/// computes it.
float dequantizeOutput(const fb::Network &network, int32_t q);

} // namespace picosam::imx500

#endif // PICOSAM_TARGET_IMX500_SIMULATOR_H
