//===- picosam-imx500.cpp - the IMX500 network file's tool ----------------===//
//
//   picosam-imx500 inspect NET   a readable dump of the network file
//   picosam-imx500 report NET [--json | --svg]
//                                the memory report the file carries, as
//                                picosam-compile wrote it beside the file
//   picosam-imx500 run NET -i x.npy -o y.npy [--batch] [--rgb]
//                  [--raw-output=q.npy]
//                                the simulator (Simulator.h): the network
//                                run alone, in integers
//
// Plain C++ over the network file's one reader (NetworkFile.h), and the
// memory report's printers (LLVM's Support library): no MLIR. Every file goes through the reader's verifier and checks first; a
// file that fails gives "picosam-imx500: error: <path>: <reason>" and exit
// code 1.
//
//===----------------------------------------------------------------------===//
#include "picosam/Kernels/Indexing.h"
#include "picosam/Runtime/Files.h"
#include "picosam/Runtime/NpyFormat.h"
#include "picosam/Target/IMX500/NetworkFile.h"
#include "picosam/Target/IMX500/NetworkReport.h"
#include "picosam/Target/IMX500/Simulator.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

using namespace picosam::imx500;

namespace {

const char *kUsage = "usage: picosam-imx500 inspect NET\n"
                     "       picosam-imx500 report NET [--json | --svg]\n"
                     "       picosam-imx500 run NET -i x.npy -o y.npy [--batch] "
                     "[--rgb] [--raw-output=q.npy]\n";

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

/// The report the file carries, in `format` ("", "--json" or "--svg"): what
/// picosam-compile wrote to <name>_MemoryReport.{txt,json,svg}.
int report(const NetworkFile &file, const std::string &format) {
  picosam::MemoryReport memory = getMemoryReport(file);
  llvm::raw_fd_ostream &os = llvm::outs();
  if (format == "--json")
    memory.printJson(os);
  else if (format == "--svg")
    memory.printSvg(os);
  else
    memory.printText(os);
  os.flush();
  return 0;
}

/// What `run` was given.
struct RunOptions {
  std::string input, output, rawOutput;
  bool batch = false, rgb = false;
};

/// Parses the arguments after `run NET`; a message on error.
std::string parseRunOptions(int argc, char **argv, RunOptions &options) {
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &flag, std::string &into) {
      if (arg == flag && i + 1 < argc) {
        into = argv[++i];
        return true;
      }
      if (arg.rfind(flag + "=", 0) == 0) {
        into = arg.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    if (arg == "--batch")
      options.batch = true;
    else if (arg == "--rgb")
      options.rgb = true;
    else if (!value("-i", options.input) && !value("-o", options.output) &&
             !value("--raw-output", options.rawOutput))
      return "unknown argument '" + arg + "'";
  }
  if (options.input.empty() || options.output.empty())
    return "run needs -i x.npy and -o y.npy";
  for (const std::string *out : {&options.output, &options.rawOutput})
    if (*out == options.input)
      return "output '" + *out + "' would overwrite the input";
  return "";
}

/// The input file's storage values of every sample: float32 quantized with
/// the input's quantization, or with --rgb uint8 through the sensor's
/// normalisation. `samples` is 1 without --batch.
Status readInput(const fb::Network &network, const NetworkFile &file,
                 const RunOptions &options, int64_t &samples,
                 std::vector<int32_t> &storage) {
  using namespace picosam::runtime;
  std::string bytes;
  if (Status status = readFile(options.input, bytes); status.failed())
    return status;
  NpyHeader header;
  if (Status status = parseNpyHeader(bytes, header); status.failed())
    return Status::failure(options.input + ": " + status.message());
  std::vector<int64_t> shape = file.shapeOf(network.inputs()->Get(0));
  // An RGB crop is stored as images are, NHWC.
  std::vector<int64_t> fileShape = shape;
  if (options.rgb)
    fileShape = {shape[0], shape[2], shape[3], shape[1]};
  const char *descr = options.rgb ? "|u1" : "<f4";
  samples = 1;
  bool shapeFits = header.shape == fileShape;
  if (options.batch && header.shape.size() == fileShape.size() &&
      fileShape[0] > 0 && header.shape[0] % fileShape[0] == 0 &&
      std::equal(fileShape.begin() + 1, fileShape.end(),
                 header.shape.begin() + 1)) {
    samples = header.shape[0] / fileShape[0];
    shapeFits = samples > 0;
  }
  if (!shapeFits || header.descr != descr) {
    std::string expected = formatShape(fileShape);
    if (options.batch)
      expected = "N" + expected.substr(expected.find('x'));
    return Status::failure(
        options.input + ": the network's input is " + formatShape(shape) +
        ": expected " + expected + " " + (options.rgb ? "uint8 (|u1)" : "float32 (<f4)") +
        " values, got " + formatShape(header.shape) + " " + header.descr);
  }
  size_t elementSize = options.rgb ? 1 : 4;
  if (Status status = checkNpyDataSize(header, elementSize,
                                       bytes.size() - header.dataOffset);
      status.failed())
    return Status::failure(options.input + ": " + status.message());
  const char *data = bytes.data() + header.dataOffset;
  int64_t count = samples * picosam::kernels::numElements(shape);
  storage.resize(count);
  if (!options.rgb) {
    for (int64_t i = 0; i < count; ++i) {
      float x;
      std::memcpy(&x, data + 4 * i, 4);
      storage[i] = quantizeInput(network, x);
    }
    return Status::success();
  }
  int64_t channels = shape[1], plane = shape[2] * shape[3];
  for (int64_t image = 0; image < count / (channels * plane); ++image)
    for (int64_t p = 0; p < plane; ++p)
      for (int64_t c = 0; c < channels; ++c)
        storage[(image * channels + c) * plane + p] = normalizeInput(
            network, c,
            static_cast<uint8_t>(data[(image * plane + p) * channels + c]));
  return Status::success();
}

int run(const NetworkFile &file, const RunOptions &options) {
  using namespace picosam::runtime;
  const fb::Network &network = file.network();
  for (const std::string *out : {&options.output, &options.rawOutput})
    if (!out->empty())
      if (Status status = checkWritable(*out); status.failed())
        return fail(status.message());
  int64_t samples = 1;
  std::vector<int32_t> inputs;
  if (Status status = readInput(network, file, options, samples, inputs);
      status.failed())
    return fail(status.message());
  Simulator simulator(file);
  int64_t inputSize = simulator.inputElements();
  std::vector<int32_t> sampleInput, sampleOutput, outputs;
  for (int64_t n = 0; n < samples; ++n) {
    sampleInput.assign(inputs.begin() + n * inputSize,
                       inputs.begin() + (n + 1) * inputSize);
    if (Status status = simulator.run(sampleInput, sampleOutput);
        status.failed())
      return fail(status.message());
    outputs.insert(outputs.end(), sampleOutput.begin(), sampleOutput.end());
  }
  const fb::Tensor &out = *network.tensors()->Get(network.outputs()->Get(0));
  std::vector<int64_t> shape = file.shapeOf(network.outputs()->Get(0));
  shape[0] *= samples;
  std::vector<float> logits;
  for (int32_t q : outputs)
    logits.push_back(dequantizeOutput(network, q));
  OutputFiles files;
  if (Status status = files.add(options.output,
                                npyBytes("<f4", shape, logits.data(),
                                         logits.size() * sizeof(float)));
      status.failed())
    return fail(status.message());
  if (!options.rawOutput.empty()) {
    bool isUnsigned = out.type() == fb::ElementType::UInt8;
    std::vector<uint8_t> raw(outputs.begin(), outputs.end());
    if (Status status = files.add(
            options.rawOutput,
            npyBytes(isUnsigned ? "|u1" : "|i1", shape, raw.data(), raw.size()));
        status.failed())
      return fail(status.message());
  }
  if (Status status = files.commit(); status.failed())
    return fail(status.message());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string command = argc > 1 ? argv[1] : "";
  std::string format = command == "report" && argc == 4 ? argv[3] : "";
  if (argc < 3 || (command != "run" && argc != 3 && format.empty())) {
    std::cerr << kUsage;
    return 1;
  }
  std::string path = argv[2];
  if (command != "inspect" && command != "report" && command != "run")
    return fail("unknown command '" + command + "'\n" + kUsage);
  if (!format.empty() && format != "--json" && format != "--svg")
    return fail("unknown argument '" + format + "'\n" + kUsage);
  RunOptions options;
  if (command == "run")
    if (std::string message = parseRunOptions(argc, argv, options);
        !message.empty())
      return fail(message + "\n" + kUsage);
  NetworkFile file;
  if (Status status = loadNetwork(path, file); status.failed())
    return fail(status.message());
  if (command == "run")
    return run(file, options);
  return command == "inspect" ? inspect(path, file) : report(file, format);
}
