//===- CHeader.h - the C header of a compiled model -------------*- C++ -*-===//
#ifndef PICOSAM_TARGET_CPU_CHEADER_H
#define PICOSAM_TARGET_CPU_CHEADER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace picosam {

/// What an argument of the entry function is to its caller.
enum class EntryArgumentRole { Input, Output, Arena };

struct EntryArgument {
  /// Its C name: a C identifier.
  std::string name;
  EntryArgumentRole role = EntryArgumentRole::Input;
  /// How its dimensions are to be read ("NCHW"), for the documentation; may be
  /// empty.
  std::string layout;
};

struct CHeaderOptions {
  /// One per argument of the entry function, in order.
  std::vector<EntryArgument> arguments;
  /// The alignment, in bytes, the arena's address must have: the memory
  /// plan's.
  int64_t arenaAlignment = 16;
  /// The CPU the code is built for, and what it was compiled from, for the
  /// header's comment; may be empty.
  std::string target;
  std::string source;
};

/// Writes the C header of `entry` as --pico-cpu-lower-to-llvm compiles it (the
/// bare-pointer convention: each memref argument is a pointer to its first
/// element): include guard, extern "C", the arena's size and alignment as
/// constants, each array's element count, and the function's prototype, with
/// shapes, layout, alignment and thread safety documented. `entry` is the
/// function before lowering: arguments are statically shaped memrefs with the
/// identity layout, the arena a memref<Nxi8>; it returns nothing.
llvm::Error writeCHeader(mlir::func::FuncOp entry,
                         const CHeaderOptions &options, llvm::raw_ostream &os);

} // namespace picosam

#endif // PICOSAM_TARGET_CPU_CHEADER_H
