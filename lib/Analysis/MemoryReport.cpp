//===- MemoryReport.cpp - a planned function's memory, for people ---------===//
#include "picosam/Analysis/MemoryReport.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace picosam;
using llvm::StringRef;

/// The sum of `field` over `layers`.
static double sumOf(const std::vector<LayerLatency> &layers,
                    double LayerLatency::*field) {
  double total = 0;
  for (const LayerLatency &layer : layers)
    total += layer.*field;
  return total;
}

double LatencyEstimate::cycles() const {
  return sumOf(layers, &LayerLatency::cycles);
}

double LatencyEstimate::milliseconds() const {
  return sumOf(layers, &LayerLatency::microseconds) / 1000;
}

const char *picosam::stringifyBufferLayout(BufferLayout layout) {
  switch (layout) {
  case BufferLayout::Whole:
    return "whole";
  case BufferLayout::Ring:
    return "ring";
  case BufferLayout::Streamed:
    return "streamed";
  }
  return "?";
}

void MemoryReport::count() {
  account = accountMemory(memoryInputs, accounting);
  stepNames.assign(steps, "");
  // Each step defines a tensor; a ring shares its step with the block's
  // result, which names the step.
  for (const BufferRecord &buffer : buffers)
    if (buffer.kind != "argument" && buffer.first >= 0 && buffer.first < steps &&
        (stepNames[buffer.first].empty() || !buffer.isRing()))
      stepNames[buffer.first] = buffer.name;
}

/// "elements of each type's width" or "N-byte elements (estimate)".
static std::string sizingOf(int64_t elementBytes) {
  if (!elementBytes)
    return "each element at its type's width";
  return llvm::formatv("every element counted as {0} byte{1} (an estimate)",
                       elementBytes, elementBytes == 1 ? "" : "s")
      .str();
}

static std::string percentOf(int64_t part, int64_t whole) {
  if (!whole)
    return "-";
  return llvm::formatv("{0:F1}%", 100.0 * part / whole).str();
}

/// Whether `account` is counted as Sony's converter reports it.
static bool isImx500(const MemoryAccount &account) {
  return account.kind == MemoryAccountingKind::Imx500;
}

void MemoryReport::printText(llvm::raw_ostream &os) const {
  // A label column, then sizes right-aligned in one column.
  auto field = [&](StringRef label) -> llvm::raw_ostream & {
    return os << llvm::formatv("  {0,-13}", label);
  };
  auto bytes = [](int64_t value) {
    return llvm::formatv("{0,11} bytes", formatWithThousands(value)).str();
  };
  os << "memory plan of @" << function << "\n";
  field("sizing") << sizingOf(elementBytes) << "; offsets aligned to "
                  << alignment << " bytes; " << tiledBlocks
                  << " separable block(s) tiled\n";
  field("weights") << bytes(weightsBytes) << "\n";
  field("arena") << bytes(arenaBytes) << "\n";
  field("lower bound") << bytes(lowerBoundBytes) << "  (the arena is "
                       << percentOf(arenaBytes, lowerBoundBytes)
                       << " of it)\n";
  field("input order") << bytes(inputOrderLowerBoundBytes)
                       << "  (the lower bound before the schedule search)\n";
  if (!isImx500(account) && account.hasLimit())
    field("budget") << bytes(account.totalBytes) << "  (weights + arena + "
                    << formatWithThousands(account.reservedBytes)
                    << " reserved = " << formatWithThousands(account.usageBytes())
                    << ", " << percentOf(account.usageBytes(), account.totalBytes)
                    << ": " << (account.fits() ? "fits" : "DOES NOT FIT")
                    << ")\n";
  if (isImx500(account)) {
    auto sony = [&](StringRef label) -> llvm::raw_ostream & {
      return os << llvm::formatv("    {0,-31}", label);
    };
    os << "  IMX500 memory, counted as Sony's converter reports it "
          "(docs/imx500.md):\n";
    sony("Model Memory Physical Size")
        << bytes(account.modelBytes) << "  (" << account.layers.size()
        << " weighted layers, output channels padded to "
        << account.outputChannelGroup
        << ": int8 weights, int32 biases, 8 bytes of quantization "
           "parameters per channel; other constants "
        << formatWithThousands(account.otherConstantBytes) << ")\n";
    sony("Runtime Memory Physical Size") << bytes(account.runtimeBytes) << "  (";
    if (account.activationPeakBytes > account.arenaBytes)
      os << "whole-tensor peak " << formatWithThousands(account.activationPeakBytes)
         << " at step " << account.activationPeakStep << ", above the arena";
    else
      os << "the arena; the whole-tensor peak is "
         << formatWithThousands(account.activationPeakBytes);
    if (account.inputPersistent)
      os << "; + the persistent input " << formatWithThousands(account.inputBytes);
    os << ")\n";
    sony("Reserved Memory") << bytes(account.reservedBytes) << "\n";
    sony("Memory Usage") << bytes(account.usageBytes()) << "\n";
    if (account.hasLimit()) {
      sony("Total Memory Available On Chip") << bytes(account.totalBytes) << "\n";
      sony("Memory Utilization")
          << llvm::formatv("{0,11:F1} %", account.utilizationPercent()) << "\n";
    } else {
      sony("Total Memory Available On Chip") << "no limit\n";
    }
    sony("Fit In Chip") << llvm::formatv("{0,11}", account.fits() ? "yes" : "NO")
                        << "\n";
    sony("Input Persistent")
        << llvm::formatv("{0,11}", account.inputPersistent ? "yes" : "no") << "\n";
  }
  field("peak") << "step " << peakStep << " of " << steps << " ("
                << (peakStep < steps ? stepNames[peakStep] : "") << "), "
                << peakTensors.size() << " tensor(s) live:\n";
  for (const LiveBuffer &entry : peakTensors) {
    const BufferRecord &buffer = buffers[entry.buffer];
    field("") << bytes(buffer.bytes) << "  " << buffer.name;
    if (entry.inPlaceOver)
      os << " (in place over " << buffers[*entry.inPlaceOver].name << ")";
    if (buffer.isRing())
      os << " (ring of rows)";
    os << "\n";
  }
  os << "  buffers:\n";
  os << llvm::formatv("    {0,5} {1,5} {2,13} {3,13}  {4}\n", "first", "last",
                      "offset", "bytes", "tensor");
  for (const BufferRecord &buffer : buffers)
    os << llvm::formatv("    {0,5} {1,5} {2,13} {3,13}  {4}{5}\n", buffer.first,
                        buffer.last, formatWithThousands(buffer.offset),
                        formatWithThousands(buffer.bytes), buffer.name,
                        buffer.isRing() ? " (ring of rows)" : "");
  if (isImx500(account)) {
    os << "  model memory by layer:\n";
    os << llvm::formatv("    {0,8} {1,6} {2,10} {3,8} {4,8} {5,10}  {6}\n",
                        "channels", "padded", "weights", "bias", "params",
                        "bytes", "layer");
    for (const LayerMemory &layer : account.layers)
      os << llvm::formatv("    {0,8} {1,6} {2,10} {3,8} {4,8} {5,10}  {6}\n",
                          layer.outputChannels, layer.paddedOutputChannels,
                          formatWithThousands(layer.weightBytes),
                          formatWithThousands(layer.biasBytes),
                          formatWithThousands(layer.quantizationBytes),
                          formatWithThousands(layer.bytes()), layer.name);
  }
  if (latency) {
    os << "  latency ESTIMATE (a cycle model, not a measurement: "
          "docs/imx500.md): "
       << latency->model << "\n";
    os << llvm::formatv("    {0,12} {1,10} {2,10}  {3}\n", "MACs", "cycles",
                        "us", "layer");
    for (const LayerLatency &layer : latency->layers)
      os << llvm::formatv("    {0,12} {1,10:f0} {2,10:f2}  {3} ({4})\n",
                          layer.macs, layer.cycles, layer.microseconds,
                          layer.name, layer.op);
    os << llvm::formatv("    total: {0} layers, {1:f0} cycles, {2:f3} ms "
                        "(estimate)\n",
                        latency->layers.size(), latency->cycles(),
                        latency->milliseconds());
  }
}

void MemoryReport::printJson(llvm::raw_ostream &os) const {
  llvm::json::OStream json(os, 2);
  json.object([&] {
    if (isImx500(account)) {
      // Sony's converter's report fields (bytes where it prints MB).
      json.attribute("Model Memory Physical Size", account.modelBytes);
      json.attribute("Runtime Memory Physical Size", account.runtimeBytes);
      json.attribute("Reserved Memory", account.reservedBytes);
      json.attribute("Memory Usage", account.usageBytes());
      json.attribute("Total Memory Available On Chip", account.totalBytes);
      // A percentage with two decimals, as written (not 42.509999...).
      json.attributeBegin("Memory Utilization");
      json.rawValue(llvm::formatv("{0:F2}", account.utilizationPercent()).str());
      json.attributeEnd();
      json.attribute("Fit In Chip", account.fits());
      json.attribute("Input Persistent", account.inputPersistent);
    }
    json.attribute("function", function);
    json.attribute("weights_bytes", weightsBytes);
    json.attribute("arena_bytes", arenaBytes);
    json.attribute("lower_bound_bytes", lowerBoundBytes);
    json.attribute("input_order_lower_bound_bytes", inputOrderLowerBoundBytes);
    json.attribute("alignment", alignment);
    json.attribute("element_bytes", elementBytes);
    json.attribute("tiled_blocks", tiledBlocks);
    json.attribute("steps", steps);
    json.attribute("peak_step", peakStep);
    if (account.hasLimit())
      json.attributeObject("budget", [&] {
        json.attribute("budget_bytes", account.totalBytes);
        json.attribute("reserved_bytes", account.reservedBytes);
        json.attribute("total_bytes", account.usageBytes());
        json.attribute("fits", account.fits());
      });
    if (isImx500(account))
      json.attributeObject("imx500_memory", [&] {
        json.attribute("output_channel_group", account.outputChannelGroup);
        json.attribute("input_bytes", account.inputBytes);
        json.attribute("arena_bytes", account.arenaBytes);
        json.attribute("activation_peak_bytes", account.activationPeakBytes);
        json.attribute("activation_peak_step", account.activationPeakStep);
        json.attribute("other_constant_bytes", account.otherConstantBytes);
        json.attributeArray("layers", [&] {
          for (const LayerMemory &layer : account.layers)
            json.object([&] {
              json.attribute("name", layer.name);
              json.attribute("op", layer.op);
              json.attribute("output_channels", layer.outputChannels);
              json.attribute("padded_output_channels",
                             layer.paddedOutputChannels);
              json.attribute("weight_bytes", layer.weightBytes);
              json.attribute("bias_bytes", layer.biasBytes);
              json.attribute("quantization_bytes", layer.quantizationBytes);
            });
        });
      });
    if (latency)
      json.attributeObject("latency_estimate", [&] {
        json.attribute("note", "an estimate from a cycle model, not a "
                               "measurement (docs/imx500.md)");
        json.attribute("model", latency->model);
        json.attribute("total_cycles", std::round(latency->cycles()));
        json.attribute("total_ms", latency->milliseconds());
        json.attributeArray("layers", [&] {
          for (const LayerLatency &layer : latency->layers)
            json.object([&] {
              json.attribute("name", layer.name);
              json.attribute("op", layer.op);
              json.attribute("macs", layer.macs);
              json.attribute("cycles", std::round(layer.cycles));
              json.attribute("us", layer.microseconds);
            });
        });
      });
    json.attributeArray("peak_tensors", [&] {
      for (const LiveBuffer &entry : peakTensors)
        json.object([&] {
          json.attribute("name", buffers[entry.buffer].name);
          json.attribute("bytes", buffers[entry.buffer].bytes);
          if (entry.inPlaceOver)
            json.attribute("in_place_over", buffers[*entry.inPlaceOver].name);
        });
    });
    json.attributeArray("buffers", [&] {
      for (const BufferRecord &buffer : buffers)
        json.object([&] {
          json.attribute("name", buffer.name);
          json.attribute("op", buffer.kind);
          json.attribute("offset", buffer.offset);
          json.attribute("bytes", buffer.bytes);
          json.attribute("first", buffer.first);
          json.attribute("last", buffer.last);
          json.attribute("ring", buffer.isRing());
          json.attribute("kind", stringifyBufferLayout(buffer.layout));
          if (buffer.isRing()) {
            json.attribute("rows", buffer.rows);
            json.attribute("row_bytes", buffer.rowBytes);
          }
        });
    });
  });
  os << "\n";
}

/// `text` with the characters XML gives a meaning escaped.
static std::string escapeXml(StringRef text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
    case '&':
      escaped += "&amp;";
      break;
    case '<':
      escaped += "&lt;";
      break;
    case '>':
      escaped += "&gt;";
      break;
    case '"':
      escaped += "&quot;";
      break;
    default:
      escaped += c;
    }
  }
  return escaped;
}

/// A step of 1, 2 or 5 times a power of ten giving at most `maxTicks` ticks
/// over `range`.
static int64_t tickStep(int64_t range, int64_t maxTicks) {
  int64_t step = 1;
  while (true)
    for (int64_t factor : {1, 2, 5}) {
      if (range / (step * factor) <= maxTicks)
        return step * factor;
      if (factor == 5)
        step *= 10;
    }
}

void MemoryReport::printSvg(llvm::raw_ostream &os) const {
  // Plot area: steps across, offsets up (offset 0 at the bottom).
  const double left = 110, right = 20, top = 60, bottom = 70;
  const double plotWidth = std::max<double>(900, 14.0 * steps);
  const double plotHeight = 700;
  const double width = left + plotWidth + right;
  const double height = top + plotHeight + bottom;
  int64_t extent = std::max<int64_t>(arenaBytes, 1);
  double columns = std::max<int64_t>(steps, 1);
  auto x = [&](double step) { return left + plotWidth * step / columns; };
  auto y = [&](double offset) {
    return top + plotHeight - plotHeight * offset / extent;
  };

  os << llvm::formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                      "font-family=\"sans-serif\" font-size=\"11\">\n",
                      width, height);
  os << llvm::formatv("<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n",
                      width, height);
  os << llvm::formatv(
      "<text x=\"{0}\" y=\"22\" font-size=\"15\">memory plan of @{1}: arena "
      "{2} bytes, lower bound {3} bytes, weights {4} bytes</text>\n",
      left, escapeXml(function), formatWithThousands(arenaBytes),
      formatWithThousands(lowerBoundBytes), formatWithThousands(weightsBytes));
  if (isImx500(account) || account.hasLimit() || latency) {
    std::string line;
    if (isImx500(account))
      line = llvm::formatv("IMX500 (as Sony's converter reports it): model "
                           "memory {0} + runtime memory {1} + reserved {2} = "
                           "{3} bytes",
                           formatWithThousands(account.modelBytes),
                           formatWithThousands(account.runtimeBytes),
                           formatWithThousands(account.reservedBytes),
                           formatWithThousands(account.usageBytes()));
    else if (account.hasLimit())
      line = "weights + arena + reserved = " +
             formatWithThousands(account.usageBytes()) + " bytes";
    if (account.hasLimit())
      line += llvm::formatv(" of {0} ({1:F1}%): {2}",
                            formatWithThousands(account.totalBytes),
                            account.utilizationPercent(),
                            account.fits() ? "fits" : "DOES NOT FIT");
    if (latency)
      line += llvm::formatv("{0}latency ESTIMATE {1:f3} ms",
                            line.empty() ? "" : "; ", latency->milliseconds());
    os << llvm::formatv("<text x=\"{0}\" y=\"{1}\" fill=\"{2}\">{3}</text>\n",
                        left, top + plotHeight + 60,
                        account.fits() ? "#060" : "#c00", escapeXml(line));
  }
  os << llvm::formatv("<text x=\"{0}\" y=\"42\" fill=\"#555\">{1}; offsets "
                      "aligned to {2}; {3} separable block(s) tiled; the "
                      "dashed line is the peak step ({4}); hover a box for "
                      "its tensor</text>\n",
                      left, escapeXml(sizingOf(elementBytes)), alignment,
                      tiledBlocks, peakStep);

  // Axes and grid.
  os << llvm::formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" "
                      "fill=\"#f7f7f7\" stroke=\"#999\"/>\n",
                      left, top, plotWidth, plotHeight);
  int64_t offsetTick = tickStep(extent, 10);
  for (int64_t offset = 0; offset <= extent; offset += offsetTick)
    os << llvm::formatv(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#ddd\"/>"
        "<text x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>\n",
        left, y(offset), left + plotWidth, left - 6, y(offset) + 4,
        formatWithThousands(offset));
  int64_t stepTick = tickStep(std::max<int64_t>(steps, 1), 25);
  for (int64_t step = 0; step <= steps; step += stepTick)
    os << llvm::formatv("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">{2}"
                        "</text>\n",
                        x(step + 0.5), top + plotHeight + 16, step);
  os << llvm::formatv("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">step"
                      "</text>\n",
                      left + plotWidth / 2, top + plotHeight + 38);
  os << llvm::formatv("<text transform=\"translate(16 {0}) rotate(-90)\" "
                      "text-anchor=\"middle\">offset (bytes)</text>\n",
                      top + plotHeight / 2);

  // One box per tensor, coloured by name, labelled where it has room.
  for (auto [index, buffer] : llvm::enumerate(buffers)) {
    double x0 = x(buffer.first), x1 = x(buffer.last + 1);
    double y0 = y(buffer.offset + buffer.bytes), y1 = y(buffer.offset);
    unsigned hue = static_cast<unsigned>(llvm::hash_value(buffer.name)) % 360;
    os << llvm::formatv(
        "<g><title>{0}\n{1} bytes at offset {2}, steps {3}..{4}{5}</title>"
        "<rect x=\"{6}\" y=\"{7}\" width=\"{8}\" height=\"{9}\" "
        "fill=\"hsl({10},60%,{11}%)\" stroke=\"#333\" stroke-width=\"0.5\"/>",
        escapeXml(buffer.name), formatWithThousands(buffer.bytes),
        formatWithThousands(buffer.offset), buffer.first, buffer.last,
        buffer.isRing() ? " (ring of rows)" : "", x0, y0, x1 - x0,
        std::max(y1 - y0, 0.5), hue, buffer.isRing() ? 45 : 75);
    if (y1 - y0 >= 12 && x1 - x0 >= 30) {
      os << llvm::formatv("<clipPath id=\"clip{0}\"><rect x=\"{1}\" y=\"{2}\" "
                          "width=\"{3}\" height=\"{4}\"/></clipPath>",
                          index, x0, y0, x1 - x0, y1 - y0);
      os << llvm::formatv("<text x=\"{0}\" y=\"{1}\" clip-path=\"url(#clip{2})"
                          "\">{3}</text>",
                          x0 + 3, y0 + 12, index, escapeXml(buffer.name));
    }
    os << "</g>\n";
  }
  os << llvm::formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                      "stroke=\"#c00\" stroke-dasharray=\"6 4\"/>\n",
                      x(peakStep + 0.5), top, top + plotHeight);
  os << llvm::formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" "
                      "stroke=\"#06c\" stroke-dasharray=\"2 3\"/>"
                      "<text x=\"{2}\" y=\"{3}\" text-anchor=\"end\" "
                      "fill=\"#06c\">lower bound</text>\n",
                      left, y(lowerBoundBytes), left + plotWidth,
                      y(lowerBoundBytes) - 4);
  os << "</svg>\n";
}
