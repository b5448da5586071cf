//===- picosam-opt.cpp - pass driver for picosam's IR ---------------------===//
//
// mlir-opt with the pico dialect and picosam's passes registered, plus the
// upstream dialects pico IR mixes with.
//
//===----------------------------------------------------------------------===//
#include "picosam/InitAllDialects.h"
#include "picosam/InitAllPasses.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  picosam::registerAllPicosamDialects(registry);
  picosam::registerAllPicosamPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "picosam optimizer: runs picosam's passes on MLIR files\n",
      registry));
}
