//===- Simulator.cpp - the IMX500 network file, executed ------------------===//
#include "picosam/Target/IMX500/Simulator.h"

#include "picosam/Kernels/ChannelAttention.h"
#include "picosam/Kernels/Conv.h"
#include "picosam/Kernels/FixedPoint.h"
#include "picosam/Kernels/Pool.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

using namespace picosam;
using namespace picosam::imx500;
using kernels::NCHWView;
using kernels::TensorQuantization;

namespace {

TensorQuantization tensorQuantization(const fb::Quantization &q) {
  TensorQuantization result;
  result.scale = q.scale()->Get(0);
  result.zeroPoint = static_cast<int32_t>(q.zero_point()->Get(0));
  result.storageMin = q.storage_min();
  result.storageMax = q.storage_max();
  return result;
}

/// The multipliers of `channels` channels: one each, or one for all.
std::vector<kernels::QuantizedMultiplier>
multipliersOf(const fb::Requantization &r, int64_t channels) {
  std::vector<kernels::QuantizedMultiplier> result;
  for (int64_t c = 0; c < channels; ++c) {
    uint32_t i = r.multiplier()->size() == 1 ? 0 : static_cast<uint32_t>(c);
    result.push_back({r.multiplier()->Get(i), r.shift()->Get(i)});
  }
  return result;
}

/// Calls `f` with a value of the storage type of `type` (int8 or uint8).
template <typename F> void withStorageType(fb::ElementType type, F &&f) {
  if (type == fb::ElementType::UInt8)
    f(uint8_t{});
  else
    f(int8_t{});
}

/// A constant's data in the device layout; its first elements are the
/// tensor's in row-major order.
template <typename T>
const T *constantData(const fb::Network &network, int32_t tensor) {
  if (tensor < 0)
    return nullptr;
  int32_t buffer = network.tensors()->Get(tensor)->buffer();
  return reinterpret_cast<const T *>(
      network.buffers()->Get(buffer)->data()->data());
}

int64_t dim(const fb::Tensor &t, uint32_t i) { return t.shape()->Get(i); }

} // namespace

/// Which rows of each activation a step has computed, and which row each
/// ring slot holds.
struct Simulator::RowState {
  std::map<int32_t, int32_t> producer; // tensor -> operator of this step
  std::map<int32_t, int64_t> rowsDone; // operator -> rows computed
  std::map<int32_t, std::vector<int64_t>> slotRow; // tensor -> row per slot
};

Simulator::Simulator(const NetworkFile &file)
    : file(file), arena(file.network().arena_size()) {}

int64_t Simulator::inputElements() const {
  return kernels::numElements(file.shapeOf(file.network().inputs()->Get(0)));
}
int64_t Simulator::outputElements() const {
  return kernels::numElements(file.shapeOf(file.network().outputs()->Get(0)));
}

template <typename T> static T *at(std::vector<uint8_t> &arena, int64_t offset) {
  return reinterpret_cast<T *>(arena.data() + offset);
}

template <typename T>
static void storeValues(std::vector<uint8_t> &arena, const fb::Tensor &t,
                        const std::vector<int32_t> &values) {
  T *data = at<T>(arena, t.arena_offset());
  for (size_t i = 0; i < values.size(); ++i)
    data[i] = static_cast<T>(values[i]);
}

template <typename T>
static void loadValues(std::vector<uint8_t> &arena, const fb::Tensor &t,
                       std::vector<int32_t> &values) {
  const T *data = at<T>(arena, t.arena_offset());
  values.assign(data, data + values.size());
}

Status Simulator::run(const std::vector<int32_t> &input,
                      std::vector<int32_t> &output) {
  const fb::Network &network = file.network();
  const fb::Tensor &in = *network.tensors()->Get(network.inputs()->Get(0));
  withStorageType(in.type(), [&](auto zero) {
    storeValues<decltype(zero)>(arena, in, input);
  });
  for (int32_t step = 0; step < network.steps(); ++step)
    if (Status status = runStep(step); status.failed())
      return status;
  const fb::Tensor &out = *network.tensors()->Get(network.outputs()->Get(0));
  output.resize(outputElements());
  withStorageType(out.type(), [&](auto zero) {
    loadValues<decltype(zero)>(arena, out, output);
  });
  return Status::success();
}

Status Simulator::runStep(int32_t step) {
  const fb::Network &network = file.network();
  RowState state;
  std::vector<int32_t> ops;
  std::map<int32_t, bool> consumedInStep;
  for (uint32_t i = 0; i < network.operators()->size(); ++i) {
    const fb::Operator &op = *network.operators()->Get(i);
    if (op.step() != step)
      continue;
    ops.push_back(static_cast<int32_t>(i));
    for (int32_t output : *op.outputs()) {
      state.producer[output] = static_cast<int32_t>(i);
      const fb::Tensor &t = *network.tensors()->Get(output);
      if (t.kind() != fb::BufferKind::Whole)
        state.slotRow[output].assign(t.rows(), -1);
    }
  }
  for (int32_t op : ops)
    for (int32_t input : *network.operators()->Get(op)->inputs())
      if (state.producer.count(input))
        consumedInStep[state.producer[input]] = true;
  // The operators whose results leave the step drive it, row by row; each
  // row asks its producers in the step for the rows its window reads.
  for (int32_t op : ops) {
    if (consumedInStep[op])
      continue;
    const fb::Tensor &out =
        *network.tensors()->Get(network.operators()->Get(op)->outputs()->Get(0));
    for (int64_t row = 1; row <= dim(out, 2); ++row)
      if (Status status = computeRows(op, row, state); status.failed())
        return status;
  }
  return Status::success();
}

/// The storage view of rows [rowBegin, rowEnd) of activation `t`: the
/// tensor itself when it is whole, else the rows copied out of their slots
/// into `copy` (which fails when a slot no longer holds its row).
template <typename T>
static Status rowsView(std::vector<uint8_t> &arena, const fb::Tensor &t,
                       const std::vector<int64_t> *slotRow, int64_t rowBegin,
                       int64_t rowEnd, std::vector<T> &copy,
                       NCHWView<const T> &view) {
  int64_t channels = dim(t, 1), height = dim(t, 2), width = dim(t, 3);
  if (t.kind() == fb::BufferKind::Whole) {
    view = NCHWView<const T>::dense(at<T>(arena, t.arena_offset()), channels,
                                    height, width);
    return Status::success();
  }
  int64_t rows = rowEnd - rowBegin;
  copy.resize(channels * rows * width);
  for (int64_t r = rowBegin; r < rowEnd; ++r) {
    int64_t slot = r % t.rows();
    if ((*slotRow)[slot] != r)
      return Status::failure(
          "the plan is wrong: row " + std::to_string(r) + " of '" +
          t.name()->str() + "' is not in its ring slot when it is read");
    const T *stored = at<T>(arena, t.arena_offset()) + slot * width;
    for (int64_t c = 0; c < channels; ++c)
      std::copy(stored + c * t.rows() * width,
                stored + c * t.rows() * width + width,
                copy.data() + (c * rows + r - rowBegin) * width);
  }
  view = {copy.data(), channels * rows * width, rows * width, width, rowBegin};
  return Status::success();
}

/// The view output row `row` of activation `t` is written through.
template <typename T>
static NCHWView<T> outputRowView(std::vector<uint8_t> &arena,
                                 const fb::Tensor &t, int64_t row) {
  int64_t channels = dim(t, 1), height = dim(t, 2), width = dim(t, 3);
  if (t.kind() == fb::BufferKind::Whole)
    return NCHWView<T>::dense(at<T>(arena, t.arena_offset()), channels,
                              height, width);
  int64_t slot = row % t.rows();
  return {at<T>(arena, t.arena_offset()) + slot * width,
          channels * t.rows() * width, t.rows() * width, width, row};
}

Status Simulator::computeRows(int32_t opIndex, int64_t rowEnd,
                              RowState &state) {
  const fb::Network &network = file.network();
  const fb::Operator &op = *network.operators()->Get(opIndex);
  const fb::Tensor &out = *network.tensors()->Get(op.outputs()->Get(0));
  const fb::Tensor &in = *network.tensors()->Get(op.inputs()->Get(0));
  int64_t &done = state.rowsDone[opIndex];
  rowEnd = std::min(rowEnd, dim(out, 2));

  if (const fb::ChannelAttention *ca = op.options_as_ChannelAttention()) {
    if (done >= rowEnd)
      return Status::success();
    // Whole planes: the gates need every row of the input.
    if (auto producer = state.producer.find(op.inputs()->Get(0));
        producer != state.producer.end())
      if (Status status = computeRows(producer->second, dim(in, 2), state);
          status.failed())
        return status;
    int64_t channels = dim(in, 1), planeSize = dim(in, 2) * dim(in, 3);
    kernels::ChannelAttentionRequantization params;
    params.means.input = tensorQuantization(*in.quantization());
    params.means.output = tensorQuantization(*ca->mean());
    params.means.firstCount = planeSize;
    params.means.multipliers = multipliersOf(*ca->mean_multiplier(), 1);
    params.gates.input = params.means.output;
    params.gates.output = tensorQuantization(*ca->logits());
    params.gates.multipliers = multipliersOf(*ca->logit_multiplier(), channels);
    params.gates.clamp = kernels::storageBounds(params.gates.output);
    params.gate = tensorQuantization(*ca->gate());
    params.gateTable.inputMin = ca->gate_table_min();
    params.gateTable.entries.assign(ca->gate_table()->begin(),
                                    ca->gate_table()->end());
    params.output = tensorQuantization(*out.quantization());
    params.outputMultiplier = multipliersOf(*ca->output_multiplier(), 1)[0];
    const int8_t *weight = constantData<int8_t>(network, op.inputs()->Get(1));
    const int32_t *bias = constantData<int32_t>(network, op.inputs()->Get(2));
    withStorageType(in.type(), [&](auto inZero) {
      using In = decltype(inZero);
      withStorageType(out.type(), [&](auto outZero) {
        using Out = decltype(outZero);
        kernels::channelAttention(
            at<In>(arena, in.arena_offset()), 1, channels, planeSize, weight,
            at<Out>(arena, out.arena_offset()),
            kernels::QuantizedAverage{params.means},
            kernels::QuantizedConvEpilogue<int32_t, int32_t>{
                params.gates.view(), bias, {}, params.gateTable.view()},
            [&](int64_t x, int32_t gate) -> int64_t {
              return params.scale(x, gate);
            },
            workspace.get(
                kernels::channelAttentionWorkspaceBytes<int32_t>(1, channels)));
      });
    });
    done = dim(out, 2);
    return Status::success();
  }

  const fb::Conv2D &conv = *op.options_as_Conv2D();
  const fb::Tensor &weightTensor = *network.tensors()->Get(op.inputs()->Get(1));
  kernels::Conv2DGeometry g;
  g.inChannels = dim(in, 1);
  g.inHeight = dim(in, 2);
  g.inWidth = dim(in, 3);
  g.outChannels = dim(out, 1);
  g.outHeight = dim(out, 2);
  g.outWidth = dim(out, 3);
  g.kernelHeight = dim(weightTensor, 2);
  g.kernelWidth = dim(weightTensor, 3);
  g.groups = conv.groups();
  g.strideH = conv.strides()->Get(0);
  g.strideW = conv.strides()->Get(1);
  g.dilationH = conv.dilations()->Get(0);
  g.dilationW = conv.dilations()->Get(1);
  g.padTop = conv.pads()->Get(0);
  g.padLeft = conv.pads()->Get(1);
  g.upsample = conv.input_upsample();

  kernels::ConvRequantization params;
  params.input = tensorQuantization(*in.quantization());
  params.output = tensorQuantization(*out.quantization());
  params.multipliers = multipliersOf(*conv.output(), g.outChannels);
  params.clamp = {conv.clamp_min(), conv.clamp_max()};
  int32_t residualIndex =
      op.inputs()->size() > 3 ? op.inputs()->Get(3) : int32_t(-1);
  const fb::Tensor *residual =
      residualIndex >= 0 ? network.tensors()->Get(residualIndex) : nullptr;
  if (residual) {
    params.residual = tensorQuantization(*residual->quantization());
    params.residualMultipliers =
        multipliersOf(*conv.residual(), g.outChannels);
  }
  const int8_t *weight = constantData<int8_t>(network, op.inputs()->Get(1));
  const int32_t *bias = constantData<int32_t>(network, op.inputs()->Get(2));

  for (int64_t row = done; row < rowEnd; ++row) {
    // The stored input rows the window of output row `row` reads.
    int64_t readFirst = std::clamp<int64_t>(row * g.strideH - g.padTop, 0,
                                            g.readHeight());
    int64_t readEnd = std::clamp<int64_t>(
        row * g.strideH - g.padTop + (g.kernelHeight - 1) * g.dilationH + 1,
        readFirst, g.readHeight());
    int64_t inFirst = readFirst / g.upsample;
    int64_t inEnd = readEnd > readFirst ? (readEnd - 1) / g.upsample + 1
                                        : inFirst;
    for (auto [tensor, end] :
         {std::pair{op.inputs()->Get(0), inEnd},
          std::pair{residualIndex, row + 1}}) {
      auto producer = state.producer.find(tensor);
      if (tensor >= 0 && producer != state.producer.end())
        if (Status status = computeRows(producer->second, end, state);
            status.failed())
          return status;
    }
    Status status = Status::success();
    withStorageType(in.type(), [&](auto inZero) {
      using In = decltype(inZero);
      std::vector<In> inputCopy;
      NCHWView<const In> input;
      status = rowsView(arena, in, &state.slotRow[op.inputs()->Get(0)],
                        inFirst, inEnd, inputCopy, input);
      if (status.failed())
        return;
      withStorageType(residual ? residual->type() : in.type(),
                      [&](auto residualZero) {
        using Residual = decltype(residualZero);
        std::vector<Residual> residualCopy;
        NCHWView<const Residual> residualView;
        if (residual) {
          status = rowsView(arena, *residual, &state.slotRow[residualIndex],
                            row, row + 1, residualCopy, residualView);
          if (status.failed())
            return;
        }
        withStorageType(out.type(), [&](auto outZero) {
          using Out = decltype(outZero);
          kernels::conv2d(
              g, input, weight, outputRowView<Out>(arena, out, row), row,
              row + 1,
              kernels::QuantizedConvEpilogue<In, int32_t, Residual>{
                  params.view(), bias, residualView, {}},
              workspace.get(kernels::conv2dWorkspaceBytes<int32_t>(g, 1)));
        });
      });
    });
    if (status.failed())
      return status;
    if (out.kind() != fb::BufferKind::Whole)
      state.slotRow[op.outputs()->Get(0)][row % out.rows()] = row;
  }
  done = std::max(done, rowEnd);
  return Status::success();
}

int32_t picosam::imx500::quantizeInput(const fb::Network &network, float x) {
  const fb::Tensor &in = *network.tensors()->Get(network.inputs()->Get(0));
  TensorQuantization q = tensorQuantization(*in.quantization());
  if (std::isnan(x))
    return q.zeroPoint;
  // pico.quantize divides in float, by the scale as a float; the quotient
  // is then rounded half to even.
  float quotient = x / static_cast<float>(q.scale);
  q.scale = 1.0;
  return kernels::quantizeToStorage(quotient, q);
}

int32_t picosam::imx500::normalizeInput(const fb::Network &network,
                                        int64_t channel, uint8_t u) {
  const fb::Tensor &in = *network.tensors()->Get(network.inputs()->Get(0));
  const fb::InputNormalization &norm = *network.input_normalization()->Get(0);
  int32_t scaled = fixedpoint::roundingDivideByPOT(
      u * norm.gain()->Get(channel) + norm.offset()->Get(channel),
      norm.shift());
  return std::clamp(scaled, in.quantization()->storage_min(),
                    in.quantization()->storage_max());
}

float picosam::imx500::dequantizeOutput(const fb::Network &network,
                                        int32_t q) {
  const fb::Quantization &quantization =
      *network.tensors()->Get(network.outputs()->Get(0))->quantization();
  return static_cast<float>(q - quantization.zero_point()->Get(0)) *
         static_cast<float>(quantization.scale()->Get(0));
}
