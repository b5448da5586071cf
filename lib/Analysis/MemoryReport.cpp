//===- MemoryReport.cpp - a planned function's memory, for people ---------===//
#include "picosam/Analysis/MemoryReport.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace picosam;
using namespace picosam::pico;

std::string picosam::formatWithThousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      text += ',';
    text += digits[i];
  }
  return value < 0 ? "-" + text : text;
}

FailureOr<MemoryReport> MemoryReport::read(func::FuncOp func) {
  FailureOr<FunctionMemoryPlan> plan = readMemoryPlan(func);
  if (failed(plan))
    return failure();
  MemoryPlanAttr attr = plan->attr;
  MemoryReport report;
  report.function = func.getSymName().str();
  report.arenaBytes = attr.getArena();
  report.lowerBoundBytes = attr.getLowerBound();
  report.peakStep = attr.getPeakStep();
  report.inputOrderLowerBoundBytes = attr.getInputOrderLowerBound();
  report.weightsBytes = attr.getWeights();
  report.alignment = attr.getAlignment();
  report.elementBytes = attr.getElementBytes();
  report.tiledBlocks = attr.getTiledBlocks();
  report.steps = attr.getSteps();
  for (const PlannedBuffer &buffer : plan->buffers) {
    BufferRecord record;
    record.name = buffer.name;
    record.kind = buffer.owner ? buffer.owner->getName().getStringRef().str()
                               : "argument";
    record.offset = buffer.offset();
    record.bytes = buffer.size();
    record.first = buffer.first();
    record.last = buffer.last();
    record.bufferKind = buffer.kind();
    record.rows = buffer.rows();
    record.rowBytes = buffer.rowBytes();
    report.buffers.push_back(std::move(record));
  }
  report.stepNames.assign(report.steps, "");
  // Each step defines a tensor; a ring shares its step with the block's
  // result, which names the step.
  for (const BufferRecord &buffer : report.buffers)
    if (buffer.kind != "argument" &&
        (report.stepNames[buffer.first].empty() || !buffer.isRing()))
      report.stepNames[buffer.first] = buffer.name;
  report.peakTensors = plan->liveAt(report.peakStep);
  return report;
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

void MemoryReport::printText(llvm::raw_ostream &os,
                             std::optional<MemoryBudget> budget) const {
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
  if (budget) {
    int64_t total = weightsBytes + arenaBytes + budget->reservedBytes;
    field("budget") << bytes(budget->budgetBytes) << "  (weights + arena + "
                    << formatWithThousands(budget->reservedBytes)
                    << " reserved = " << formatWithThousands(total) << ", "
                    << percentOf(total, budget->budgetBytes) << ": "
                    << (total <= budget->budgetBytes ? "fits" : "DOES NOT FIT")
                    << ")\n";
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
}

void MemoryReport::printJson(llvm::raw_ostream &os,
                             std::optional<MemoryBudget> budget) const {
  llvm::json::OStream json(os, 2);
  json.object([&] {
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
    if (budget)
      json.attributeObject("budget", [&] {
        int64_t total = weightsBytes + arenaBytes + budget->reservedBytes;
        json.attribute("budget_bytes", budget->budgetBytes);
        json.attribute("reserved_bytes", budget->reservedBytes);
        json.attribute("total_bytes", total);
        json.attribute("fits", total <= budget->budgetBytes);
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
          json.attribute("kind", pico::stringifyBufferKind(buffer.bufferKind));
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
  const double left = 110, right = 20, top = 60, bottom = 50;
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
