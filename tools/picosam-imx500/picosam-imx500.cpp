//===- picosam-imx500.cpp - the IMX500 network file's tool ----------------===//
//
//   picosam-imx500 inspect NET   a readable dump of the network file
//   picosam-imx500 report NET    the memory it needs on the device
//
// Plain C++ over the network file's one reader (NetworkFile.h): no LLVM or
// MLIR. Every file goes through the reader's verifier and checks first; a
// file that fails gives "picosam-imx500: error: <path>: <reason>" and exit
// code 1.
//
//===----------------------------------------------------------------------===//
#include "picosam/Target/IMX500/NetworkFile.h"

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

using namespace picosam::imx500;

namespace {

const char *kUsage = "usage: picosam-imx500 inspect NET\n"
                     "       picosam-imx500 report NET\n";

int fail(const std::string &message) {
  std::cout.flush();
  std::cerr << "picosam-imx500: error: " << message << "\n";
  return 1;
}

/// 1379307 -> "1,379,307".
std::string grouped(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(i, ",");
  return (value < 0 ? "-" : "") + digits;
}

template <typename T> std::string joined(const T &values, const char *sep) {
  std::ostringstream os;
  bool first = true;
  for (auto value : values) {
    os << (first ? "" : sep) << +value;
    first = false;
  }
  return os.str();
}

std::string typeText(fb::ElementType type) {
  switch (type) {
  case fb::ElementType::Int8:
    return "i8";
  case fb::ElementType::UInt8:
    return "u8";
  case fb::ElementType::Int32:
    return "i32";
  }
  return "?";
}

/// "i8 1x3x96x96 scale 0.03125 zp 0", or per channel "axis 0 (48 scales)".
std::string valueText(const fb::Tensor &t) {
  std::ostringstream os;
  const fb::Quantization &q = *t.quantization();
  os << typeText(t.type()) << " " << joined(*t.shape(), "x");
  if (q.axis() == -1)
    os << " scale " << q.scale()->Get(0) << " zp " << q.zero_point()->Get(0);
  else
    os << " per channel, axis " << q.axis() << " (" << q.scale()->size()
       << " scales)";
  return os.str();
}

std::string placeText(const fb::Network &network, const fb::Tensor &t) {
  std::ostringstream os;
  if (t.buffer() >= 0) {
    os << "buffer " << t.buffer() << " ("
       << grouped(network.buffers()->Get(t.buffer())->data()->size())
       << " bytes)";
    return os.str();
  }
  os << "arena [" << t.arena_offset() << ", +" << t.arena_size() << ") "
     << fb::EnumNameBufferKind(t.kind());
  if (t.kind() != fb::BufferKind::Whole)
    os << " " << t.rows() << " x " << t.row_bytes();
  os << ", steps " << t.first_step() << ".." << t.last_step();
  return os.str();
}

void printTensor(const fb::Network &network, const char *role, int32_t index) {
  if (index < 0)
    return;
  const fb::Tensor &t = *network.tensors()->Get(index);
  std::printf("    %-8s %3d '%s' %s, %s\n", role, index, t.name()->c_str(),
              valueText(t).c_str(), placeText(network, t).c_str());
}

std::string multipliersText(const fb::Requantization &r) {
  std::ostringstream os;
  os << "multiplier " << r.multiplier()->Get(0) << " shift "
     << r.shift()->Get(0);
  if (r.multiplier()->size() > 1)
    os << " (channel 0 of " << r.multiplier()->size() << ")";
  return os.str();
}

void printOperator(const fb::Network &network, const fb::Operator &op) {
  std::printf("step %d  %s '%s'\n", op.step(),
              fb::EnumNameOperatorOptions(op.options_type()),
              op.name()->c_str());
  const char *const convRoles[] = {"input", "weight", "bias", "residual"};
  const char *const attentionRoles[] = {"input", "weight", "bias"};
  if (const fb::Conv2D *conv = op.options_as_Conv2D()) {
    std::printf("    strides %s, pads %s, dilations %s, groups %lld, input "
                "upsample %lld, activation %s, clamp [%d, %d]\n",
                joined(*conv->strides(), "x").c_str(),
                joined(*conv->pads(), ",").c_str(),
                joined(*conv->dilations(), "x").c_str(),
                static_cast<long long>(conv->groups()),
                static_cast<long long>(conv->input_upsample()),
                fb::EnumNameActivation(conv->activation()), conv->clamp_min(),
                conv->clamp_max());
    std::printf("    output %s\n", multipliersText(*conv->output()).c_str());
    if (conv->residual())
      std::printf("    residual %s\n",
                  multipliersText(*conv->residual()).c_str());
    for (size_t i = 0; i < op.inputs()->size(); ++i)
      printTensor(network, convRoles[i], op.inputs()->Get(i));
  } else if (const fb::ChannelAttention *ca = op.options_as_ChannelAttention()) {
    std::printf("    mean scale %g, logits scale %g, gate scale %g, gate "
                "table %u entries from %d\n",
                ca->mean()->scale()->Get(0), ca->logits()->scale()->Get(0),
                ca->gate()->scale()->Get(0), ca->gate_table()->size(),
                ca->gate_table_min());
    for (size_t i = 0; i < op.inputs()->size(); ++i)
      printTensor(network, attentionRoles[i], op.inputs()->Get(i));
  }
  for (int32_t output : *op.outputs())
    printTensor(network, "output", output);
}

int inspect(const std::string &path, const NetworkFile &file) {
  const fb::Network &network = file.network();
  std::printf("IMX500 network file %s: %s bytes\n", path.c_str(),
              grouped(file.size()).c_str());
  std::printf("schema %u, written by %s\n", network.schema_version(),
              network.compiler_version()->c_str());
  std::printf("channel group %d, arena %s bytes, %d steps, %u tensors, %u "
              "operators, %u constant buffers\n",
              network.channel_group(), grouped(network.arena_size()).c_str(),
              network.steps(), network.tensors()->size(),
              network.operators()->size(), network.buffers()->size());
  for (size_t i = 0; i < network.inputs()->size(); ++i) {
    printTensor(network, "input", network.inputs()->Get(i));
    const fb::InputNormalization &norm = *network.input_normalization()->Get(i);
    std::printf("      from uint8 RGB: q = (u * gain + offset) / 2^%d, gain "
                "%s, offset %s\n",
                norm.shift(), joined(*norm.gain(), " ").c_str(),
                joined(*norm.offset(), " ").c_str());
  }
  for (int32_t output : *network.outputs())
    printTensor(network, "output", output);
  for (const fb::Operator *op : *network.operators())
    printOperator(network, *op);
  return 0;
}

int report(const NetworkFile &file) {
  NetworkMemory memory = getNetworkMemory(file);
  std::printf("weights  %12s bytes  (int8 weights, int32 biases; output "
              "channels padded to %d)\n",
              grouped(memory.weights).c_str(),
              file.network().channel_group());
  std::printf("arena    %12s bytes\n", grouped(memory.arena).c_str());
  std::printf("input    %12s bytes\n", grouped(memory.input).c_str());
  std::printf("total    %12s bytes  (weights + arena)\n",
              grouped(memory.weights + memory.arena).c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << kUsage;
    return 1;
  }
  std::string command = argv[1], path = argv[2];
  if (command != "inspect" && command != "report")
    return fail("unknown command '" + command + "'\n" + kUsage);
  NetworkFile file;
  if (Status status = loadNetwork(path, file); status.failed())
    return fail(status.message());
  return command == "inspect" ? inspect(path, file) : report(file);
}
