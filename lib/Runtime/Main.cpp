//===- Main.cpp - main of compiled programs -------------------------------===//
//
// Its own library (PicoRuntimeMain), so that the runtime library can be
// linked into other programs, and a compiled program is just this, the
// runtime and a network object.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Program.h"

int main(int argc, char **argv) {
  return picosam::runtime::runProgram(argc, argv);
}
