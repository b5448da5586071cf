//===- NetworkReport.h - the memory report a network file carries -*- C++ -*-===//
//
// The memory report of an IMX500 network file (Network.fbs's `memory`):
// what picosam-compile wrote beside the file, read back and counted again by
// picosam::accountMemory, the one accounting, so that `picosam-imx500
// report` prints what the compiler printed (docs/imx500.md). No MLIR: the
// network file's reader and the report's record and printers.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_IMX500_NETWORKREPORT_H
#define PICOSAM_TARGET_IMX500_NETWORKREPORT_H

#include "picosam/Analysis/MemoryReport.h"
#include "picosam/Target/IMX500/NetworkFile.h"

namespace picosam::imx500 {

/// The report `file` carries (its reader checked it), counted as Sony's
/// converter reports memory with the file's accounting options.
MemoryReport getMemoryReport(const NetworkFile &file);

} // namespace picosam::imx500

#endif // PICOSAM_TARGET_IMX500_NETWORKREPORT_H
