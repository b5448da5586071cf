//===- Program.h - the compiled program's command line ----------*- C++ -*-===//
//
// The program `picosam-compile --target=cpu --emit=exe` builds: this
// runtime's main (Main.cpp, library PicoRuntimeMain) linked with one network
// object that implements Network.h. docs/cli.md documents its command line.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_PROGRAM_H
#define PICOSAM_RUNTIME_PROGRAM_H

namespace picosam::runtime {

/// Runs the program on its command line with the linked network; returns
/// the exit code: 0 on success, 1 on any error (after printing it).
int runProgram(int argc, char **argv);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_PROGRAM_H
