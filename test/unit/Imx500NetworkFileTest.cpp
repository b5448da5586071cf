//===- Imx500NetworkFileTest.cpp - the network file's reader --------------===//
//
// The reader (NetworkFile.h) on a real network file, written by the
// pipeline from test/Target/IMX500/Inputs/network-small.mlir (the ctest
// fixture imx500.network-file; its path in PICOSAM_IMX500_NETWORK), and on
// many mutations of it: every truncation, random bit flips from a fixed
// seed, a wrong identifier, and semantic damage the FlatBuffers verifier
// cannot see (offsets out of the arena, indices out of range, buffers too
// short). Each gives an error or a model whose every field can be walked;
// none crashes (the test is also meant to run under ASan/UBSan).
// And the sensor's fixed-point normalisation against the float
// `normalize` + quantize, for every uint8 value of every channel.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Prompt.h"
#include "picosam/Kernels/FixedPoint.h"
#include "picosam/Target/IMX500/NetworkFile.h"
#include "picosam/Target/IMX500/NetworkReport.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>

using namespace picosam::imx500;

namespace {

std::vector<uint8_t> readRealFile() {
  const char *path = std::getenv("PICOSAM_IMX500_NETWORK");
  if (!path)
    return {};
  std::ifstream stream(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(stream)),
                              std::istreambuf_iterator<char>());
}

class NetworkFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    bytes = readRealFile();
    ASSERT_FALSE(bytes.empty())
        << "PICOSAM_IMX500_NETWORK must name a network file (ctest sets it)";
  }

  /// Reads `mutated`: an error with a message, or a model walked whole.
  /// Returns whether it was read.
  static bool readOrFail(std::vector<uint8_t> mutated) {
    NetworkFile file;
    Status status = readNetwork(std::move(mutated), file);
    if (status.failed()) {
      EXPECT_FALSE(status.message().empty());
      return false;
    }
    walk(file);
    return true;
  }

  /// Touches every field a consumer of a read file would.
  static void walk(const NetworkFile &file) {
    const fb::Network &network = file.network();
    int64_t sum = network.compiler_version()->size();
    for (const fb::Tensor *t : *network.tensors()) {
      sum += t->name()->size() + t->arena_offset() + t->arena_size();
      for (int64_t dim : *t->shape())
        sum += dim;
      sum += t->quantization()->scale()->Get(0) > 0;
      if (t->buffer() >= 0)
        for (uint8_t byte : *network.buffers()->Get(t->buffer())->data())
          sum += byte;
    }
    for (const fb::Operator *op : *network.operators()) {
      for (int32_t index : *op->inputs())
        if (index >= 0)
          sum += file.shapeOf(index)[0];
      for (int32_t index : *op->outputs())
        sum += file.shapeOf(index)[0];
      if (const fb::Conv2D *conv = op->options_as_Conv2D())
        for (int32_t m : *conv->output()->multiplier())
          sum += m;
      if (const fb::ChannelAttention *ca = op->options_as_ChannelAttention())
        for (int32_t entry : *ca->gate_table())
          sum += entry;
    }
    // The memory report, counted and printed as picosam-imx500 report does.
    picosam::MemoryReport memory = getMemoryReport(file);
    sum += memory.account.usageBytes() + memory.account.utilizationPercent();
    std::string printed;
    llvm::raw_string_ostream os(printed);
    memory.printText(os);
    memory.printJson(os);
    memory.printSvg(os);
    sum += printed.size();
    EXPECT_NE(sum, INT64_MIN);
  }

  /// The file unpacked, changed by `mutate`, and packed again.
  std::vector<uint8_t>
  rebuilt(const std::function<void(fb::NetworkT &)> &mutate) const {
    std::unique_ptr<fb::NetworkT> network(
        fb::GetNetwork(bytes.data())->UnPack());
    mutate(*network);
    flatbuffers::FlatBufferBuilder builder;
    fb::FinishNetworkBuffer(builder, fb::Network::Pack(builder, network.get()));
    return std::vector<uint8_t>(builder.GetBufferPointer(),
                                builder.GetBufferPointer() + builder.GetSize());
  }

  /// The message of reading `mutated`, which must fail.
  static std::string errorOf(std::vector<uint8_t> mutated) {
    NetworkFile file;
    Status status = readNetwork(std::move(mutated), file);
    EXPECT_TRUE(status.failed());
    return status.message();
  }

  std::vector<uint8_t> bytes;
};

TEST_F(NetworkFileTest, ReadsTheRealFile) {
  NetworkFile file;
  Status status = readNetwork(bytes, file);
  ASSERT_FALSE(status.failed()) << status.message();
  const fb::Network &network = file.network();
  EXPECT_EQ(network.operators()->size(), 8u);
  EXPECT_EQ(network.inputs()->size(), 1u);
  EXPECT_EQ(network.outputs()->size(), 1u);
  walk(file);
  // Packing the unpacked file again gives a file that reads the same.
  EXPECT_TRUE(readOrFail(rebuilt([](fb::NetworkT &) {})));
}

TEST_F(NetworkFileTest, EveryTruncationIsAnError) {
  for (size_t length = 0; length < bytes.size(); ++length)
    EXPECT_FALSE(readOrFail(std::vector<uint8_t>(
        bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(length))))
        << "truncated to " << length << " bytes";
}

TEST_F(NetworkFileTest, RandomBitFlipsNeverCrash) {
  std::mt19937 random(13);
  std::uniform_int_distribution<size_t> position(0, bytes.size() * 8 - 1);
  std::uniform_int_distribution<int> flips(1, 8);
  int rejected = 0, read = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::vector<uint8_t> mutated = bytes;
    for (int i = flips(random); i > 0; --i) {
      size_t bit = position(random);
      mutated[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    (readOrFail(std::move(mutated)) ? read : rejected) += 1;
  }
  // Most flips land in weights, which any value is valid for; the rest
  // must have been caught.
  std::printf("20000 mutations: %d rejected, %d read\n", rejected, read);
  EXPECT_GT(rejected, 0);
  EXPECT_GT(read, 0);
}

TEST_F(NetworkFileTest, WrongIdentifier) {
  std::vector<uint8_t> mutated = bytes;
  mutated[4] = 'X';
  EXPECT_NE(errorOf(mutated).find("identifier is not 'PI5N'"),
            std::string::npos);
  EXPECT_NE(errorOf({1, 2, 3}).find("at least 8 bytes"), std::string::npos);
}

TEST_F(NetworkFileTest, SemanticDamage) {
  struct Case {
    const char *expected;
    std::function<void(fb::NetworkT &)> mutate;
  };
  auto firstActivation = [](fb::NetworkT &n) -> fb::TensorT & {
    return *n.tensors[n.inputs[0]];
  };
  auto firstConstant = [](fb::NetworkT &n) -> fb::TensorT & {
    for (auto &t : n.tensors)
      if (t->buffer >= 0)
        return *t;
    return *n.tensors[0];
  };
  const Case cases[] = {
      {"schema version 1",
       [](fb::NetworkT &n) { n.schema_version = 1; }},
      {"outside the arena",
       [&](fb::NetworkT &n) {
         firstActivation(n).arena_offset = n.arena_size;
       }},
      {"outside the arena",
       [&](fb::NetworkT &n) {
         firstActivation(n).arena_offset = INT64_MAX - 4;
       }},
      {"outside the arena",
       [&](fb::NetworkT &n) { firstActivation(n).arena_size = INT64_MAX; }},
      {"needs 192 bytes, but has 100",
       [&](fb::NetworkT &n) { firstActivation(n).arena_size = 100; }},
      {"refers to buffer 99",
       [&](fb::NetworkT &n) { firstConstant(n).buffer = 99; }},
      {"but its buffer has",
       [&](fb::NetworkT &n) {
         n.buffers[firstConstant(n).buffer]->data.pop_back();
       }},
      {"has a dimension 0",
       [&](fb::NetworkT &n) { firstActivation(n).shape[2] = 0; }},
      {"has rank 17",
       [&](fb::NetworkT &n) { firstActivation(n).shape.resize(17, 1); }},
      {"more than 2^40 elements",
       [&](fb::NetworkT &n) {
         firstActivation(n).shape.assign(16, 65535);
       }},
      {"scales along axis",
       [&](fb::NetworkT &n) { firstConstant(n).quantization->axis = 7; }},
      {"not finite and positive",
       [&](fb::NetworkT &n) {
         firstActivation(n).quantization->scale[0] = -1;
       }},
      {"is tensor 9999",
       [](fb::NetworkT &n) { n.operators[0]->inputs[0] = 9999; }},
      {"is tensor -7",
       [](fb::NetworkT &n) { n.operators[0]->inputs[1] = -7; }},
      {"is a constant",
       [](fb::NetworkT &n) {
         n.operators[0]->inputs[0] = n.operators[0]->inputs[1];
       }},
      {"not in order",
       [](fb::NetworkT &n) { n.operators.back()->step = 0; }},
      {"not in order",
       [](fb::NetworkT &n) { n.operators[0]->step = n.steps; }},
      {"is not what the kernel gives",
       [](fb::NetworkT &n) {
         n.operators[0]->options.AsConv2D()->strides[0] = 2;
       }},
      {"multipliers and",
       [](fb::NetworkT &n) {
         n.operators[0]->options.AsConv2D()->output->shift.pop_back();
       }},
      {"outside its output's storage bounds",
       [](fb::NetworkT &n) {
         n.operators[0]->options.AsConv2D()->clamp_max = 1000;
       }},
      {"groups do not take input",
       [](fb::NetworkT &n) { n.operators[0]->options.AsConv2D()->groups = 2; }},
      {"gate table does not cover",
       [](fb::NetworkT &n) {
         for (auto &op : n.operators)
           if (auto *ca = op->options.AsChannelAttention())
             ca->gate_table.pop_back();
       }},
      {"lives from step",
       [&](fb::NetworkT &n) { firstActivation(n).last_step = n.steps; }},
      {"rows of",
       [](fb::NetworkT &n) {
         for (auto &t : n.tensors)
           if (t->kind == fb::BufferKind::Ring)
             t->rows = 0;
       }},
      {"is not an activation tensor",
       [](fb::NetworkT &n) { n.outputs[0] = -1; }},
      {"input normalisations",
       [](fb::NetworkT &n) { n.input_normalization.clear(); }},
      {"one gain and offset per channel",
       [](fb::NetworkT &n) { n.input_normalization[0]->gain.pop_back(); }},
      {"needs 3 inputs and 1 output",
       [](fb::NetworkT &n) {
         // The first conv gets the channel attention's options.
         for (auto &op : n.operators)
           if (op->options.AsChannelAttention())
             std::swap(n.operators[0]->options, op->options);
       }},
      // The memory report (picosam-imx500 report).
      {"the memory report's peak step",
       [](fb::NetworkT &n) { n.memory->plan->peak_step = n.steps; }},
      {"the memory report's activation peak step",
       [](fb::NetworkT &n) { n.memory->accounting->activation_peak_step = -1; }},
      {"planned buffer 0",
       [](fb::NetworkT &n) {
         n.memory->plan->buffers[0]->offset = n.arena_size;
       }},
      {"outside the arena",
       [](fb::NetworkT &n) {
         n.memory->plan->buffers[0]->bytes = INT64_MAX;
       }},
      {"outside the network's",
       [](fb::NetworkT &n) {
         n.memory->plan->buffers.back()->last_step = n.steps;
       }},
      {"rows of",
       [](fb::NetworkT &n) {
         for (auto &b : n.memory->plan->buffers)
           if (b->kind == fb::BufferKind::Ring)
             b->row_bytes = b->bytes + 1;
       }},
      {"is not one of its",
       [](fb::NetworkT &n) { n.memory->plan->peak_buffers[0] = 1000; }},
      {"is not one of its",
       [](fb::NetworkT &n) { n.memory->plan->peak_in_place_over[0] = -2; }},
      {"in-place entries",
       [](fb::NetworkT &n) { n.memory->plan->peak_in_place_over.clear(); }},
      {"alignment 0",
       [](fb::NetworkT &n) { n.memory->plan->alignment = 0; }},
      {"activation peak bytes -1",
       [](fb::NetworkT &n) {
         n.memory->accounting->activation_peak_bytes = -1;
       }},
      {"total bytes 281474976710657",
       [](fb::NetworkT &n) {
         n.memory->accounting->total_bytes = (int64_t(1) << 48) + 1;
       }},
      {"0 output channels",
       [](fb::NetworkT &n) {
         n.memory->accounting->layers[0]->output_channels = 0;
       }},
      {"past 2^48 bytes",
       [](fb::NetworkT &n) {
         for (auto &layer : n.memory->accounting->layers) {
           layer->output_channels = INT32_MAX;
           layer->weights_per_output_channel = INT32_MAX;
         }
       }},
      {"channel group 0",
       [](fb::NetworkT &n) { n.channel_group = 0; }},
      {"negative or non-finite",
       [](fb::NetworkT &n) {
         n.memory->latency->layers[0]->cycles = std::nan("");
       }},
  };
  for (const Case &c : cases) {
    std::string message = errorOf(rebuilt(c.mutate));
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "expected '" << c.expected << "' in: " << message;
  }
}

// The sensor's fixed-point normalisation (the writer's, for PicoSAM3's input
// quantization and others of the imx500 profile) against
// models/data.py `normalize` followed by the input's quantize, for every
// uint8 value of every channel. The documented bound is 1 LSB; at these
// scales the two agree on every value.
TEST(InputNormalizationTest, WithinOneLsbOfFloatNormalizeAndQuantize) {
  std::vector<float> mean(std::begin(picosam::runtime::kNormalizeMean),
                          std::end(picosam::runtime::kNormalizeMean));
  std::vector<float> std(std::begin(picosam::runtime::kNormalizeStd),
                         std::end(picosam::runtime::kNormalizeStd));
  for (double scale : {1.0 / 8, 1.0 / 16, 1.0 / 32, 1.0 / 64}) {
    FixedPointNormalization norm =
        getFixedPointNormalization(mean, std, scale, 0);
    int differing = 0;
    for (int c = 0; c < 3; ++c)
      for (int u = 0; u < 256; ++u) {
        // normalizeCrop of a one-pixel crop whose channel c is u.
        uint8_t pixel[3] = {0, 0, 0};
        pixel[c] = static_cast<uint8_t>(u);
        float normalized[3];
        picosam::runtime::normalizeCrop(pixel, 1, 1, normalized);
        float quotient = normalized[c] / static_cast<float>(scale);
        int32_t expected = static_cast<int32_t>(
            std::min(127.0f, std::max(-128.0f, std::nearbyint(quotient))));
        int32_t fixed = picosam::fixedpoint::roundingDivideByPOT(
            u * norm.gain[c] + norm.offset[c], norm.shift);
        fixed = std::min(127, std::max(-128, fixed));
        EXPECT_LE(std::abs(fixed - expected), 1)
            << "scale " << scale << " channel " << c << " u " << u;
        differing += fixed != expected;
      }
    EXPECT_EQ(differing, 0) << "scale " << scale;
    std::printf("scale 1/%g: shift %d, %d of 768 values differ by 1 LSB\n",
                1 / scale, norm.shift, differing);
  }
}

} // namespace
