//===- MemoryAccounting.cpp - what a model needs of a device's memory -----===//
#include "picosam/Analysis/MemoryAccounting.h"

#include <algorithm>

using namespace picosam;

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

// Plain C++ (this library links without LLVM): the compiler's builtins.
int64_t picosam::addBytes(int64_t a, int64_t b) {
  int64_t sum;
  return __builtin_add_overflow(a, b, &sum) ? kSaturatedBytes : sum;
}

int64_t picosam::multiplyBytes(int64_t a, int64_t b) {
  int64_t product;
  return __builtin_mul_overflow(a, b, &product) ? kSaturatedBytes : product;
}

double MemoryAccount::utilizationPercent() const {
  return hasLimit() ? 100.0 * usageBytes() / totalBytes : 0;
}

MemoryAccount picosam::accountMemory(const MemoryInputs &inputs,
                                     const MemoryAccountingOptions &options) {
  MemoryAccount account;
  account.kind = options.kind;
  account.totalBytes = options.totalBytes;
  account.reservedBytes = options.reservedBytes;
  account.arenaBytes = inputs.arenaBytes;
  account.activationPeakBytes = inputs.activationPeakBytes;
  account.activationPeakStep = inputs.activationPeakStep;
  if (options.kind == MemoryAccountingKind::AsPlanned) {
    account.modelBytes = inputs.constantBytes;
    account.runtimeBytes = inputs.arenaBytes;
    return account;
  }

  // Sony's converter's accounting is closed: every choice below counts at
  // least what the device could need (docs/imx500.md "Memory accounting").
  int64_t group = std::max<int64_t>(options.outputChannelGroup, 1);
  account.outputChannelGroup = group;
  account.otherConstantBytes = inputs.otherConstantBytes;
  account.modelBytes = inputs.otherConstantBytes;
  for (const WeightedLayer &layer : inputs.layers) {
    LayerMemory memory;
    memory.name = layer.name;
    memory.op = layer.op;
    memory.outputChannels = layer.outputChannels;
    memory.paddedOutputChannels =
        multiplyBytes(layer.outputChannels / group +
                          (layer.outputChannels % group != 0),
                      group);
    memory.weightBytes =
        multiplyBytes(multiplyBytes(memory.paddedOutputChannels,
                                    layer.weightsPerOutputChannel),
                      kImx500WeightBytes);
    memory.biasBytes =
        multiplyBytes(memory.paddedOutputChannels, kImx500BiasBytes);
    memory.quantizationBytes = multiplyBytes(
        memory.paddedOutputChannels, kImx500QuantizationBytesPerChannel);
    account.modelBytes = addBytes(account.modelBytes, memory.bytes());
    account.layers.push_back(std::move(memory));
  }
  // The device's input is an 8-bit image.
  account.inputPersistent = options.inputPersistent;
  account.inputBytes = inputs.inputElements;
  account.runtimeBytes =
      addBytes(std::max(inputs.arenaBytes, inputs.activationPeakBytes),
               options.inputPersistent ? account.inputBytes : 0);
  return account;
}

std::string picosam::describeShortfall(const MemoryAccount &account) {
  bool imx500 = account.kind == MemoryAccountingKind::Imx500;
  // A saturated sum is only known to be at least that large.
  bool saturated = account.usageBytes() == kSaturatedBytes;
  std::string text =
      "needs " + std::string(saturated ? "at least " : "") +
      formatWithThousands(account.usageBytes()) + " bytes, " +
      formatWithThousands(account.totalBytes) + " available (" +
      (imx500 ? "model memory " : "weights ") +
      formatWithThousands(account.modelBytes) +
      (imx500 ? " + runtime memory " : " + arena ") +
      formatWithThousands(account.runtimeBytes) + " + reserved " +
      formatWithThousands(account.reservedBytes) +
      (saturated ? std::string()
                 : "; over by " + formatWithThousands(account.usageBytes() -
                                                      account.totalBytes)) +
      ")";
  return text;
}
