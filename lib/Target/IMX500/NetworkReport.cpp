//===- NetworkReport.cpp - the memory report a network file carries -------===//
#include "picosam/Target/IMX500/NetworkReport.h"

using namespace picosam;
using namespace picosam::imx500;

// The report's buffer layouts are the file's buffer kinds, in the same order.
static_assert(static_cast<int>(BufferLayout::Whole) ==
                  static_cast<int>(fb::BufferKind::Whole) &&
              static_cast<int>(BufferLayout::Ring) ==
                  static_cast<int>(fb::BufferKind::Ring) &&
              static_cast<int>(BufferLayout::Streamed) ==
                  static_cast<int>(fb::BufferKind::Streamed));

MemoryReport picosam::imx500::getMemoryReport(const NetworkFile &file) {
  const fb::Network &network = file.network();
  const fb::MemoryPlan &plan = *network.memory()->plan();
  MemoryReport report;
  report.function = plan.function()->str();
  report.arenaBytes = network.arena_size();
  report.lowerBoundBytes = plan.lower_bound();
  report.peakStep = plan.peak_step();
  report.inputOrderLowerBoundBytes = plan.input_order_lower_bound();
  report.weightsBytes = plan.weights();
  report.alignment = plan.alignment();
  report.elementBytes = plan.element_bytes();
  report.tiledBlocks = plan.tiled_blocks();
  report.steps = network.steps();
  for (const fb::PlannedBuffer *buffer : *plan.buffers()) {
    BufferRecord record;
    record.name = buffer->name()->str();
    record.kind = buffer->op()->str();
    record.offset = buffer->offset();
    record.bytes = buffer->bytes();
    record.first = buffer->first_step();
    record.last = buffer->last_step();
    record.layout = static_cast<BufferLayout>(buffer->kind());
    record.rows = buffer->rows();
    record.rowBytes = buffer->row_bytes();
    report.buffers.push_back(std::move(record));
  }
  for (size_t i = 0; i < plan.peak_buffers()->size(); ++i) {
    LiveBuffer entry{static_cast<size_t>(plan.peak_buffers()->Get(i)),
                     std::nullopt};
    if (int32_t over = plan.peak_in_place_over()->Get(i); over >= 0)
      entry.inPlaceOver = static_cast<size_t>(over);
    report.peakTensors.push_back(entry);
  }

  const fb::MemoryAccounting &accounting = *network.memory()->accounting();
  MemoryInputs &inputs = report.memoryInputs;
  for (const fb::WeightedLayer *layer : *accounting.layers())
    inputs.layers.push_back({layer->name()->str(), layer->op()->str(),
                             layer->output_channels(),
                             layer->weights_per_output_channel()});
  inputs.otherConstantBytes = accounting.other_constant_bytes();
  inputs.constantBytes = accounting.constant_bytes();
  inputs.arenaBytes = network.arena_size();
  inputs.activationPeakBytes = accounting.activation_peak_bytes();
  inputs.activationPeakStep = accounting.activation_peak_step();
  inputs.inputElements = accounting.input_elements();
  report.accounting.kind = MemoryAccountingKind::Imx500;
  report.accounting.totalBytes = accounting.total_bytes();
  report.accounting.reservedBytes = accounting.reserved_bytes();
  report.accounting.inputPersistent = accounting.input_persistent();
  report.accounting.outputChannelGroup = network.channel_group();

  if (const fb::LatencyEstimate *latency = network.memory()->latency()) {
    LatencyEstimate estimate;
    estimate.model = latency->model()->str();
    for (const fb::LayerLatency *layer : *latency->layers())
      estimate.layers.push_back({layer->name()->str(), layer->op()->str(),
                                 layer->macs(), layer->cycles(),
                                 layer->microseconds()});
    report.latency = std::move(estimate);
  }
  report.count();
  return report;
}
