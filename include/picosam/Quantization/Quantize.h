//===- Quantize.h - the pico-quantize pass with a calibration table -*- C++ -*-===//
#ifndef PICOSAM_QUANTIZATION_QUANTIZE_H
#define PICOSAM_QUANTIZATION_QUANTIZE_H

#include "picosam/Quantization/CalibrationTable.h"
#include "picosam/Quantization/Passes.h"

#include <memory>

namespace picosam {

/// pico-quantize with a table already in memory (the one picosam-compile
/// just calibrated); `options.table` is ignored.
std::unique_ptr<mlir::Pass> createQuantizePass(const QuantizeOptions &options,
                                               CalibrationTable table);

} // namespace picosam

#endif // PICOSAM_QUANTIZATION_QUANTIZE_H
