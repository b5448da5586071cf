//===- InitAllPasses.h - every pass a picosam tool knows --------*- C++ -*-===//
//
// The one list of the passes and pipelines picosam registers, the way
// upstream's InitAllPasses.h is. A tool that includes it links
// PicoAnalysis, PicoConversion, PicoQuantization, PicoTarget, PicoTargetCPU,
// PicoTargetIMX500 and PicoTransforms.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INITALLPASSES_H
#define PICOSAM_INITALLPASSES_H

#include "picosam/Analysis/Passes.h"
#include "picosam/Conversion/Passes.h"
#include "picosam/Quantization/Passes.h"
#include "picosam/Target/Passes.h"
#include "picosam/Transforms/Passes.h"

#include "mlir/Transforms/Passes.h"

namespace picosam {

/// picosam's passes and pipelines, and MLIR's generic ones (canonicalize,
/// cse, ...) that every pipeline uses.
inline void registerAllPicosamPasses() {
  mlir::registerTransformsPasses();
  registerPicosamAnalysisPasses();
  registerPicosamConversionPasses();
  registerPicosamQuantizationPasses();
  registerPicosamTargetPasses();
  registerPicosamTransformsPasses();
  registerFusionPipeline();
}

} // namespace picosam

#endif // PICOSAM_INITALLPASSES_H
