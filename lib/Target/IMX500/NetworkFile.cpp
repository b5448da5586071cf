//===- NetworkFile.cpp - the IMX500 network file's one reader -------------===//
#include "picosam/Target/IMX500/NetworkFile.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>

using namespace picosam::imx500;
namespace fb = picosam::imx500::fb;

int64_t picosam::imx500::elementBytes(fb::ElementType type) {
  return type == fb::ElementType::Int32 ? 4 : 1;
}

int64_t picosam::imx500::deviceElements(const std::vector<int64_t> &shape,
                                        int64_t channelGroup) {
  int64_t elements = 1;
  for (size_t i = 0; i < shape.size(); ++i)
    elements *= i == 0 ? (shape[0] + channelGroup - 1) / channelGroup *
                             channelGroup
                       : shape[i];
  return elements;
}

std::vector<int64_t> NetworkFile::shapeOf(int32_t index) const {
  const auto *shape = network().tensors()->Get(index)->shape();
  return std::vector<int64_t>(shape->begin(), shape->end());
}

namespace {

// Published output limits (picamera2), which bound every tensor of the file.
constexpr int64_t kMaxRank = 16;
constexpr int64_t kMaxDim = 65535;
// The most bytes any figure of the memory report may count (256 TiB): far
// beyond any device, and small enough that their sums and products in the
// accounting stay inside int64.
constexpr int64_t kMaxReportBytes = int64_t(1) << 48;

std::string quoted(const flatbuffers::String *name) {
  return "'" + name->str() + "'";
}

/// Whether the elements of a vector of 8-byte scalars are 8-byte aligned.
/// The verifier checks the alignment of a vector's length only, so a
/// corrupt offset can leave its int64 or double elements misaligned.
template <typename T> bool isAligned(const flatbuffers::Vector<T> &vector) {
  static_assert(sizeof(T) == 8);
  return reinterpret_cast<uintptr_t>(vector.data()) % alignof(T) == 0;
}

/// The semantic checks of a verified file; the first failure's message.
class Checker {
public:
  explicit Checker(const fb::Network &network) : network(network) {}

  Status check() {
    if (!checkNetwork())
      return Status::failure(message);
    return Status::success();
  }

private:
  bool fail(std::string text) {
    message = std::move(text);
    return false;
  }

  const fb::Tensor *tensor(int32_t index) const {
    return network.tensors()->Get(index);
  }
  std::string tensorText(int32_t index) const {
    return "tensor " + std::to_string(index) + " " +
           quoted(tensor(index)->name());
  }
  const std::vector<int64_t> &shape(int32_t index) const {
    return shapes[index];
  }

  bool checkNetwork() {
    if (network.channel_group() < 1 || network.channel_group() > kMaxDim)
      return fail("channel group " + std::to_string(network.channel_group()) +
                  " is not in 1..65535");
    if (network.arena_size() < 0 || network.arena_size() > kMaxReportBytes)
      return fail("arena size " + std::to_string(network.arena_size()) +
                  " is not in 0..2^48");
    if (network.steps() < 0)
      return fail("step count " + std::to_string(network.steps()) +
                  " is negative");
    int64_t count = network.tensors()->size();
    shapes.resize(count);
    for (int32_t i = 0; i < count; ++i)
      if (!checkTensor(i))
        return false;
    int32_t step = 0;
    for (const fb::Operator *op : *network.operators()) {
      if (op->step() < step || op->step() >= network.steps())
        return fail("operator " + quoted(op->name()) + " runs at step " +
                    std::to_string(op->step()) +
                    ", not in order within the network's " +
                    std::to_string(network.steps()) + " steps");
      step = op->step();
      if (!checkOperator(*op))
        return false;
    }
    return checkInputsAndOutputs() && checkMemoryPlan() &&
           checkMemoryAccounting() && checkLatency();
  }

  /// `value` is a byte count (or count) in 0..2^48.
  bool checkCount(int64_t value, const std::string &what) {
    if (value < 0 || value > kMaxReportBytes)
      return fail("the memory report's " + what + " " + std::to_string(value) +
                  " is not in 0..2^48");
    return true;
  }

  /// `step` is one of the network's steps (0 when it has none).
  bool checkStep(int64_t step, const std::string &what) {
    if (step < 0 || step >= std::max<int64_t>(network.steps(), 1))
      return fail("the memory report's " + what + " " + std::to_string(step) +
                  " is not one of the network's " +
                  std::to_string(network.steps()) + " steps");
    return true;
  }

  bool checkMemoryPlan() {
    const fb::MemoryPlan &plan = *network.memory()->plan();
    if (!checkCount(plan.lower_bound(), "lower bound") ||
        !checkCount(plan.input_order_lower_bound(), "input-order lower bound") ||
        !checkCount(plan.weights(), "weights") ||
        !checkCount(plan.tiled_blocks(), "tiled blocks") ||
        !checkStep(plan.peak_step(), "peak step"))
      return false;
    if (plan.alignment() < 1 || plan.alignment() > kMaxDim ||
        plan.element_bytes() < 0 || plan.element_bytes() > 8)
      return fail("the memory report's alignment " +
                  std::to_string(plan.alignment()) + " or element bytes " +
                  std::to_string(plan.element_bytes()) +
                  " is not in 1..65535 or 0..8");
    int64_t count = plan.buffers()->size();
    for (int64_t i = 0; i < count; ++i) {
      const fb::PlannedBuffer &buffer = *plan.buffers()->Get(i);
      std::string what = "planned buffer " + std::to_string(i) + " " +
                         quoted(buffer.name());
      if (buffer.offset() < 0 || buffer.bytes() < 0 ||
          buffer.offset() > network.arena_size() ||
          buffer.bytes() > network.arena_size() - buffer.offset())
        return fail(what + " occupies bytes [" +
                    std::to_string(buffer.offset()) + ", +" +
                    std::to_string(buffer.bytes()) + ") outside the arena of " +
                    std::to_string(network.arena_size()));
      if (buffer.first_step() < 0 || buffer.first_step() > buffer.last_step() ||
          buffer.last_step() >= network.steps())
        return fail(what + " lives from step " +
                    std::to_string(buffer.first_step()) + " to " +
                    std::to_string(buffer.last_step()) +
                    ", outside the network's " +
                    std::to_string(network.steps()) + " steps");
      if (buffer.kind() < fb::BufferKind::MIN ||
          buffer.kind() > fb::BufferKind::MAX)
        return fail(what + " has an unknown buffer kind");
      if (buffer.kind() != fb::BufferKind::Whole &&
          (buffer.rows() < 1 || buffer.row_bytes() < 1 ||
           buffer.row_bytes() > buffer.bytes() / buffer.rows()))
        return fail(what + " has " + std::to_string(buffer.rows()) +
                    " rows of " + std::to_string(buffer.row_bytes()) +
                    " bytes in " + std::to_string(buffer.bytes()));
    }
    if (plan.peak_in_place_over()->size() != plan.peak_buffers()->size())
      return fail("the memory report lists " +
                  std::to_string(plan.peak_buffers()->size()) +
                  " buffers at the peak but " +
                  std::to_string(plan.peak_in_place_over()->size()) +
                  " in-place entries");
    for (size_t i = 0; i < plan.peak_buffers()->size(); ++i) {
      int32_t buffer = plan.peak_buffers()->Get(i);
      int32_t over = plan.peak_in_place_over()->Get(i);
      if (buffer < 0 || buffer >= count || over < -1 || over >= count)
        return fail("the memory report's peak buffer " +
                    std::to_string(buffer) + " (in place over " +
                    std::to_string(over) + ") is not one of its " +
                    std::to_string(count) + " buffers");
    }
    return true;
  }

  bool checkMemoryAccounting() {
    const fb::MemoryAccounting &accounting = *network.memory()->accounting();
    if (!checkCount(accounting.other_constant_bytes(), "other constant bytes") ||
        !checkCount(accounting.constant_bytes(), "constant bytes") ||
        !checkCount(accounting.activation_peak_bytes(),
                    "activation peak bytes") ||
        !checkStep(accounting.activation_peak_step(), "activation peak step") ||
        !checkCount(accounting.input_elements(), "input elements") ||
        !checkCount(accounting.total_bytes(), "total bytes") ||
        !checkCount(accounting.reserved_bytes(), "reserved bytes"))
      return false;
    // What accountMemory will count of the layers must stay within the
    // bound too: each padded output channel's weights at a byte, plus at
    // most 16 bytes of bias and parameters (a bound; the count is
    // accountMemory's).
    int64_t group = network.channel_group();
    int64_t modelBytes = accounting.other_constant_bytes();
    for (const fb::WeightedLayer *layer : *accounting.layers()) {
      std::string what = "weighted layer " + quoted(layer->name());
      if (layer->output_channels() < 1 ||
          layer->output_channels() > INT32_MAX ||
          layer->weights_per_output_channel() < 0 ||
          layer->weights_per_output_channel() > INT32_MAX)
        return fail("the memory report's " + what + " has " +
                    std::to_string(layer->output_channels()) +
                    " output channels of " +
                    std::to_string(layer->weights_per_output_channel()) +
                    " weights, not 1..2^31-1 of 0..2^31-1");
      int64_t padded = (layer->output_channels() + group - 1) / group * group;
      int64_t perChannel = layer->weights_per_output_channel() + 16;
      if (perChannel > (kMaxReportBytes - modelBytes) / padded)
        return fail("the memory report's " + what +
                    " takes the model memory past 2^48 bytes");
      modelBytes += padded * perChannel;
    }
    return true;
  }

  bool checkLatency() {
    const fb::LatencyEstimate *latency = network.memory()->latency();
    if (!latency)
      return true;
    for (const fb::LayerLatency *layer : *latency->layers())
      if (layer->macs() < 0 || !std::isfinite(layer->cycles()) ||
          layer->cycles() < 0 || !std::isfinite(layer->microseconds()) ||
          layer->microseconds() < 0)
        return fail("the latency estimate of layer " + quoted(layer->name()) +
                    " has negative or non-finite figures");
    return true;
  }

  bool checkQuantization(const fb::Quantization &q, fb::ElementType type,
                         const std::vector<int64_t> &shape,
                         const std::string &what) {
    if (!isAligned(*q.scale()) || !isAligned(*q.zero_point()))
      return fail(what + " has misaligned quantization parameters");
    size_t count = q.scale()->size();
    if (q.zero_point()->size() != count)
      return fail(what + " has " + std::to_string(count) + " scales but " +
                  std::to_string(q.zero_point()->size()) + " zero points");
    if (q.axis() == -1 ? count != 1
                       : q.axis() < 0 ||
                             q.axis() >= static_cast<int64_t>(shape.size()) ||
                             static_cast<int64_t>(count) != shape[q.axis()])
      return fail(what + " has " + std::to_string(count) +
                  " scales along axis " + std::to_string(q.axis()) +
                  ", which does not fit its shape");
    for (double scale : *q.scale())
      if (!std::isfinite(scale) || scale <= 0)
        return fail(what + " has a scale that is not finite and positive");
    int64_t lowest = type == fb::ElementType::UInt8  ? 0
                     : type == fb::ElementType::Int8 ? -128
                                                     : INT32_MIN;
    int64_t highest = type == fb::ElementType::UInt8  ? 255
                      : type == fb::ElementType::Int8 ? 127
                                                      : INT32_MAX;
    if (q.storage_min() < lowest || q.storage_max() > highest ||
        q.storage_min() > q.storage_max())
      return fail(what + " has storage bounds [" +
                  std::to_string(q.storage_min()) + ", " +
                  std::to_string(q.storage_max()) +
                  "] outside its element type");
    for (int64_t zeroPoint : *q.zero_point())
      if (zeroPoint < q.storage_min() || zeroPoint > q.storage_max())
        return fail(what + " has a zero point outside its storage bounds");
    return true;
  }

  bool checkTensor(int32_t index) {
    const fb::Tensor &t = *tensor(index);
    std::string what = tensorText(index);
    std::vector<int64_t> &dims = shapes[index];
    if (!isAligned(*t.shape()))
      return fail(what + " has a misaligned shape");
    if (t.shape()->size() < 1 || t.shape()->size() > kMaxRank)
      return fail(what + " has rank " + std::to_string(t.shape()->size()) +
                  ", not 1 to 16");
    for (int64_t dim : *t.shape()) {
      if (dim < 1 || dim > kMaxDim)
        return fail(what + " has a dimension " + std::to_string(dim) +
                    " outside 1..65535");
      dims.push_back(dim);
    }
    if (t.type() < fb::ElementType::MIN || t.type() > fb::ElementType::MAX)
      return fail(what + " has an unknown element type");
    if (!checkQuantization(*t.quantization(), t.type(), dims, what))
      return false;
    // Every rank and dimension is bounded, but 16 dimensions of 65535 are
    // not: the element count must stay far inside int64.
    int64_t elements = 1;
    for (int64_t dim : dims) {
      elements *= dim;
      if (elements > (int64_t(1) << 40))
        return fail(what + " has more than 2^40 elements");
    }
    int64_t bytes = elements * elementBytes(t.type());
    if (t.buffer() >= 0) {
      if (t.buffer() >= static_cast<int64_t>(network.buffers()->size()))
        return fail(what + " refers to buffer " + std::to_string(t.buffer()) +
                    " of " + std::to_string(network.buffers()->size()));
      if (t.arena_offset() != -1)
        return fail(what + " is a constant with an arena offset");
      int64_t deviceBytes = deviceElements(dims, network.channel_group()) *
                            elementBytes(t.type());
      int64_t size = network.buffers()->Get(t.buffer())->data()->size();
      if (size != deviceBytes)
        return fail(what + " needs " + std::to_string(deviceBytes) +
                    " bytes in the device layout, but its buffer has " +
                    std::to_string(size));
      return true;
    }
    if (t.buffer() != -1)
      return fail(what + " refers to buffer " + std::to_string(t.buffer()));
    if (t.arena_offset() < 0 || t.arena_size() < 0 ||
        t.arena_offset() > network.arena_size() ||
        t.arena_size() > network.arena_size() - t.arena_offset())
      return fail(what + " occupies bytes [" +
                  std::to_string(t.arena_offset()) + ", +" +
                  std::to_string(t.arena_size()) +
                  ") outside the arena of " +
                  std::to_string(network.arena_size()));
    if (t.first_step() < 0 || t.first_step() > t.last_step() ||
        t.last_step() >= network.steps())
      return fail(what + " lives from step " +
                  std::to_string(t.first_step()) + " to " +
                  std::to_string(t.last_step()) + ", outside the network's " +
                  std::to_string(network.steps()) + " steps");
    switch (t.kind()) {
    case fb::BufferKind::Whole:
      if (t.arena_size() < bytes)
        return fail(what + " needs " + std::to_string(bytes) +
                    " bytes, but has " + std::to_string(t.arena_size()));
      return true;
    case fb::BufferKind::Ring:
    case fb::BufferKind::Streamed: {
      if (dims.size() != 4)
        return fail(what + " is a ring of rows but not NCHW");
      int64_t rowBytes = bytes / dims[2];
      if (t.rows() < 1 || t.rows() > dims[2] || t.row_bytes() < rowBytes ||
          t.row_bytes() > t.arena_size() / t.rows())
        return fail(what + " has " + std::to_string(t.rows()) +
                    " rows of " + std::to_string(t.row_bytes()) +
                    " bytes in " + std::to_string(t.arena_size()) +
                    "; a row needs " + std::to_string(rowBytes));
      return true;
    }
    }
    return fail(what + " has an unknown buffer kind");
  }

  /// `index` is a tensor; `activation`: held in the arena (else a constant).
  bool checkIndex(const fb::Operator &op, int32_t index, bool activation,
                  const char *role) {
    std::string what = "operator " + quoted(op.name()) + "'s " + role;
    if (index < 0 || index >= static_cast<int64_t>(network.tensors()->size()))
      return fail(what + " is tensor " + std::to_string(index) + " of " +
                  std::to_string(network.tensors()->size()));
    if ((tensor(index)->buffer() == -1) != activation)
      return fail(what + " " + tensorText(index) + " is " +
                  (activation ? "a constant" : "an activation"));
    return true;
  }

  bool checkRequantization(const fb::Operator &op,
                           const fb::Requantization *r, int64_t channels,
                           const char *role) {
    std::string what = "operator " + quoted(op.name()) + "'s " + role;
    if (!r)
      return fail(what + " is missing");
    size_t count = r->multiplier()->size();
    if (r->shift()->size() != count ||
        (count != 1 && static_cast<int64_t>(count) != channels))
      return fail(what + " has " + std::to_string(count) + " multipliers and " +
                  std::to_string(r->shift()->size()) + " shifts for " +
                  std::to_string(channels) + " channels");
    for (size_t i = 0; i < count; ++i)
      if (r->multiplier()->Get(i) < 0 || r->shift()->Get(i) < -31 ||
          r->shift()->Get(i) > 30)
        return fail(what + " has a multiplier or shift out of range");
    return true;
  }

  bool checkConv(const fb::Operator &op, const fb::Conv2D &conv) {
    std::string what = "operator " + quoted(op.name());
    const auto &in = *op.inputs();
    if (in.size() != 4 || op.outputs()->size() != 1)
      return fail(what + " (Conv2D) needs 4 inputs and 1 output");
    int32_t input = in[0], weight = in[1], bias = in[2], residual = in[3];
    int32_t output = op.outputs()->Get(0);
    if (!checkIndex(op, input, true, "input") ||
        !checkIndex(op, weight, false, "weight") ||
        (bias != -1 && !checkIndex(op, bias, false, "bias")) ||
        (residual != -1 && !checkIndex(op, residual, true, "residual")) ||
        !checkIndex(op, output, true, "output"))
      return false;
    const std::vector<int64_t> &x = shape(input), &w = shape(weight),
                                &y = shape(output);
    if (x.size() != 4 || w.size() != 4 || y.size() != 4)
      return fail(what + ": input, weight and output must be 4-D");
    if (!isAligned(*conv.strides()) || !isAligned(*conv.dilations()) ||
        !isAligned(*conv.pads()))
      return fail(what + " has misaligned attributes");
    if (conv.strides()->size() != 2 || conv.dilations()->size() != 2 ||
        conv.pads()->size() != 4)
      return fail(what + " needs 2 strides, 2 dilations and 4 pads");
    for (int64_t v : *conv.strides())
      if (v < 1 || v > kMaxDim)
        return fail(what + " has a stride outside 1..65535");
    for (int64_t v : *conv.dilations())
      if (v < 1 || v > kMaxDim)
        return fail(what + " has a dilation outside 1..65535");
    for (int64_t v : *conv.pads())
      if (v < 0 || v > kMaxDim)
        return fail(what + " has a pad outside 0..65535");
    int64_t groups = conv.groups(), upsample = conv.input_upsample();
    if (groups < 1 || upsample < 1 || upsample > kMaxDim)
      return fail(what + " has groups " + std::to_string(groups) +
                  " and input upsample " + std::to_string(upsample));
    if (x[1] % groups != 0 || y[1] % groups != 0 || w[0] != y[1] ||
        w[1] * groups != x[1] || x[0] != y[0])
      return fail(what + ": weight " + dimsText(w) + " and " +
                  std::to_string(groups) + " groups do not take input " +
                  dimsText(x) + " to output " + dimsText(y));
    for (int axis = 0; axis < 2; ++axis) {
      int64_t padded = x[2 + axis] * upsample + conv.pads()->Get(axis) +
                       conv.pads()->Get(axis + 2);
      int64_t window = conv.dilations()->Get(axis) * (w[2 + axis] - 1) + 1;
      int64_t size = padded < window
                         ? 0
                         : (padded - window) / conv.strides()->Get(axis) + 1;
      if (size != y[2 + axis])
        return fail(what + ": output " + dimsText(y) +
                    " is not what the kernel gives its input " + dimsText(x));
    }
    if (bias != -1 && (shape(bias).size() != 1 || shape(bias)[0] != y[1] ||
                       tensor(bias)->type() != fb::ElementType::Int32))
      return fail(what + ": the bias must be int32 with one value per "
                         "output channel");
    if (residual != -1 && shape(residual) != y)
      return fail(what + ": the residual's shape is not the output's");
    if (tensor(weight)->type() != fb::ElementType::Int8)
      return fail(what + ": the weight must be int8");
    if (!checkRequantization(op, conv.output(), y[1], "output multipliers"))
      return false;
    if ((residual != -1) != (conv.residual() != nullptr))
      return fail(what + " has residual multipliers without a residual, or "
                         "the reverse");
    if (residual != -1 && !checkRequantization(op, conv.residual(), y[1],
                                               "residual multipliers"))
      return false;
    if (conv.activation() < fb::Activation::MIN ||
        conv.activation() > fb::Activation::MAX)
      return fail(what + " has an unknown activation");
    const fb::Quantization &out = *tensor(output)->quantization();
    if (conv.clamp_min() > conv.clamp_max() ||
        conv.clamp_min() < out.storage_min() ||
        conv.clamp_max() > out.storage_max())
      return fail(what + "'s clamp is outside its output's storage bounds");
    return true;
  }

  bool checkChannelAttention(const fb::Operator &op,
                             const fb::ChannelAttention &ca) {
    std::string what = "operator " + quoted(op.name());
    const auto &in = *op.inputs();
    if (in.size() != 3 || op.outputs()->size() != 1)
      return fail(what + " (ChannelAttention) needs 3 inputs and 1 output");
    int32_t input = in[0], weight = in[1], bias = in[2];
    int32_t output = op.outputs()->Get(0);
    if (!checkIndex(op, input, true, "input") ||
        !checkIndex(op, weight, false, "weight") ||
        (bias != -1 && !checkIndex(op, bias, false, "bias")) ||
        !checkIndex(op, output, true, "output"))
      return false;
    const std::vector<int64_t> &x = shape(input);
    if (x.size() != 4 || shape(output) != x)
      return fail(what + ": input and output must be the same 4-D shape");
    int64_t channels = x[1];
    if (shape(weight) != std::vector<int64_t>{channels, channels, 1, 1} ||
        tensor(weight)->type() != fb::ElementType::Int8)
      return fail(what + ": the weight must be int8 CxCx1x1");
    if (bias != -1 && (shape(bias) != std::vector<int64_t>{channels} ||
                       tensor(bias)->type() != fb::ElementType::Int32))
      return fail(what + ": the bias must be int32 with one value per "
                         "channel");
    for (auto [q, type, name] :
         {std::tuple{ca.mean(), fb::ElementType::Int8, "mean"},
          std::tuple{ca.logits(), fb::ElementType::Int8, "logits"},
          std::tuple{ca.gate(), fb::ElementType::UInt8, "gate"}})
      if (!checkQuantization(*q, type, {1}, what + "'s " + name))
        return false;
    if (!checkRequantization(op, ca.mean_multiplier(), 1, "mean multiplier") ||
        !checkRequantization(op, ca.logit_multiplier(), channels,
                             "logit multipliers") ||
        !checkRequantization(op, ca.output_multiplier(), 1,
                             "output multiplier"))
      return false;
    const fb::Quantization &logits = *ca.logits(), &gate = *ca.gate();
    if (ca.gate_table_min() != logits.storage_min() ||
        static_cast<int64_t>(ca.gate_table()->size()) !=
            int64_t(logits.storage_max()) - logits.storage_min() + 1)
      return fail(what + "'s gate table does not cover the logits' storage "
                         "values");
    for (int32_t entry : *ca.gate_table())
      if (entry < gate.storage_min() || entry > gate.storage_max())
        return fail(what + "'s gate table has an entry outside the gate's "
                           "storage bounds");
    return true;
  }

  bool checkOperator(const fb::Operator &op) {
    for (int32_t index : *op.outputs())
      if (!checkIndex(op, index, true, "output"))
        return false;
    if (const fb::Conv2D *conv = op.options_as_Conv2D())
      return checkConv(op, *conv);
    if (const fb::ChannelAttention *ca = op.options_as_ChannelAttention())
      return checkChannelAttention(op, *ca);
    return fail("operator " + quoted(op.name()) + " has no known kind");
  }

  bool checkActivationList(const flatbuffers::Vector<int32_t> &list,
                           const char *role) {
    for (int32_t index : list)
      if (index < 0 || index >= static_cast<int64_t>(network.tensors()->size()) ||
          tensor(index)->buffer() != -1)
        return fail(std::string("the network's ") + role + " " +
                    std::to_string(index) + " is not an activation tensor");
    return true;
  }

  bool checkInputsAndOutputs() {
    if (network.inputs()->size() == 0 || network.outputs()->size() == 0)
      return fail("the network has no inputs or no outputs");
    if (!checkActivationList(*network.inputs(), "input") ||
        !checkActivationList(*network.outputs(), "output"))
      return false;
    if (network.input_normalization()->size() != network.inputs()->size())
      return fail("the network has " +
                  std::to_string(network.inputs()->size()) + " inputs but " +
                  std::to_string(network.input_normalization()->size()) +
                  " input normalisations");
    for (size_t i = 0; i < network.inputs()->size(); ++i) {
      int32_t input = network.inputs()->Get(i);
      const fb::InputNormalization &norm =
          *network.input_normalization()->Get(i);
      const std::vector<int64_t> &x = shape(input);
      if (x.size() != 4 || norm.gain()->size() != static_cast<size_t>(x[1]) ||
          norm.offset()->size() != static_cast<size_t>(x[1]) ||
          norm.shift() < 0 || norm.shift() > 30)
        return fail("the normalisation of input " + tensorText(input) +
                    " does not have one gain and offset per channel of an "
                    "NCHW input and a shift in 0..30");
    }
    return true;
  }

  static std::string dimsText(const std::vector<int64_t> &dims) {
    std::string text;
    for (int64_t dim : dims)
      text += (text.empty() ? "" : "x") + std::to_string(dim);
    return text;
  }

  const fb::Network &network;
  std::vector<std::vector<int64_t>> shapes;
  std::string message;
};

} // namespace

Status picosam::imx500::readNetwork(std::vector<uint8_t> bytes,
                                    NetworkFile &file) {
  if (bytes.size() < 8)
    return Status::failure("a network file has at least 8 bytes; this has " +
                           std::to_string(bytes.size()));
  if (!flatbuffers::BufferHasIdentifier(bytes.data(),
                                        fb::NetworkIdentifier()))
    return Status::failure(
        std::string("not an IMX500 network file: its identifier is not '") +
        fb::NetworkIdentifier() + "'");
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!fb::VerifyNetworkBuffer(verifier))
    return Status::failure("the FlatBuffers verifier rejects the file "
                           "(truncated or corrupt)");
  const fb::Network &network = *fb::GetNetwork(bytes.data());
  if (network.schema_version() != static_cast<uint32_t>(fb::Version::Schema))
    return Status::failure(
        "the file has schema version " +
        std::to_string(network.schema_version()) + "; this reader reads " +
        std::to_string(static_cast<uint32_t>(fb::Version::Schema)));
  if (Status status = Checker(network).check(); status.failed())
    return status;
  file.bytes = std::move(bytes);
  return Status::success();
}

Status picosam::imx500::loadNetwork(const std::string &path,
                                    NetworkFile &file) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream)
    return Status::failure(path + ": cannot open the file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)),
                             std::istreambuf_iterator<char>());
  if (stream.bad())
    return Status::failure(path + ": cannot read the file");
  if (Status status = readNetwork(std::move(bytes), file); status.failed())
    return Status::failure(path + ": " + status.message());
  return Status::success();
}

FixedPointNormalization picosam::imx500::getFixedPointNormalization(
    const std::vector<float> &mean, const std::vector<float> &std,
    double scale, int64_t zeroPoint) {
  // The real map u -> gain * u + offset, in storage units.
  std::vector<double> gain, offset;
  double largest = 0;
  for (size_t c = 0; c < mean.size(); ++c) {
    gain.push_back(1.0 / (255.0 * double(std[c]) * scale));
    offset.push_back(zeroPoint - double(mean[c]) / (double(std[c]) * scale));
    largest = std::max(largest, 255 * std::abs(gain[c]) + std::abs(offset[c]));
  }
  FixedPointNormalization normalization;
  normalization.shift = 30;
  // u * gain + offset, and the half added by the rounding, must fit int32.
  while (normalization.shift > 0 &&
         (largest + 1) * std::ldexp(1.0, normalization.shift) >=
             std::ldexp(1.0, 31))
    --normalization.shift;
  for (size_t c = 0; c < mean.size(); ++c) {
    normalization.gain.push_back(static_cast<int32_t>(
        std::lround(std::ldexp(gain[c], normalization.shift))));
    normalization.offset.push_back(static_cast<int32_t>(
        std::lround(std::ldexp(offset[c], normalization.shift))));
  }
  return normalization;
}
