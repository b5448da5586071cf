//===- Link.h - one static library, or an executable ------------*- C++ -*-===//
//
// What a user links: the generated object and the runtime's prebuilt members
// in one self-contained archive (written by LLVM's archive writer), or an
// executable linked by the system C compiler driver.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TARGET_CPU_LINK_H
#define PICOSAM_TARGET_CPU_LINK_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace picosam {

/// Writes the archive `path`: the object `objectBytes` as member
/// `objectName`, then every member of each archive of `runtimeArchives`, with
/// one symbol table, so `cc main.c model.a -lm` needs nothing else.
llvm::Error writeStaticLibrary(llvm::StringRef path, llvm::StringRef objectName,
                               llvm::StringRef objectBytes,
                               llvm::ArrayRef<std::string> runtimeArchives);

/// The runtime archives generated code links against, where the build (and
/// an install) puts them relative to the compiler's executable:
/// `<executable's directory>/../lib/`, in link order (each after its
/// users): libPicoCpuUkernels.a (the kernel entries the pico lowering calls,
/// include/picosam/Runtime/Ukernels.h, and their thread pool),
/// libPicoKernels.a (the kernels they run; C++, so a C program using them
/// links with -lstdc++ too) and libPicoCpuRuntime.a (the feature check,
/// which the fast convolutions also ask for the CPU's features).
std::vector<std::string> defaultRuntimeArchives(llvm::StringRef executablePath);

/// The program runtime a compiled network links into an executable with
/// (lib/Runtime: libPicoRuntimeMain.a, libPicoRuntime.a, libPicoNpyFormat.a;
/// they need -lpng16 -ljpeg and the C++ driver), found as
/// defaultRuntimeArchives finds its archives.
std::vector<std::string> programRuntimeArchives(llvm::StringRef executablePath);

struct LinkOptions {
  /// The C compiler driver that links: it knows the C library's start files
  /// and search paths, which a bare `ld` invocation would have to repeat.
  /// A name is looked up on PATH.
  std::string compilerDriver = "cc";
  /// Passed after the inputs and -lm (e.g. "-static", "-no-pie").
  std::vector<std::string> extraArguments;
};

/// Links `inputs` (objects, archives, or C sources the driver compiles) and
/// libm into the executable `output`. The driver's own messages go to stderr.
llvm::Error linkExecutable(llvm::StringRef output,
                           llvm::ArrayRef<std::string> inputs,
                           const LinkOptions &options = {});

} // namespace picosam

#endif // PICOSAM_TARGET_CPU_LINK_H
