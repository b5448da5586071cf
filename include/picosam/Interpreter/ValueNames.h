//===- ValueNames.h - the names values are known by ------------*- C++ -*-===//
//
// Every value of a function has a NAME, under which picosam-run records and
// compares it, calibration tables list it and reports show it:
// - an op result is named by the op's location: a NameLoc's name (the
//   importer uses the ONNX node name), a FusedLoc's named parts joined with
//   '+' (passes that fuse ops keep the names of what they fused), with
//   ":<i>" appended for result i of a multi-result op;
// - an op whose location carries no name is "<op name>#<k>", the k-th
//   (from 0) op of that name in the function, e.g. "pico.add#2";
// - argument i is named by its location the same way, else "arg<i>";
// - a name that is already taken gets "#<k>" appended, k counting from 1.
// The results of ops nested in an op's regions (the convolutions of a
// pico.separable_block) are named the same way, just before the results of
// the op that holds them.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INTERPRETER_VALUENAMES_H
#define PICOSAM_INTERPRETER_VALUENAMES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace picosam {

/// Every name in `loc`, in order: a NameLoc's, the parts of a FusedLoc, a
/// CallSiteLoc's callee's.
void collectLocationNames(mlir::Location loc,
                          llvm::SmallVectorImpl<std::string> &names);

/// The name a location gives a value: its names joined with '+', or none.
std::optional<std::string> locationName(mlir::Location loc);

/// The last name in `loc`, or none: a fused op computes what the last node
/// it merged computed, so its value goes by that node's name.
std::optional<std::string> lastLocationName(mlir::Location loc);

/// Argument `arg`'s name, before "#<k>" for repeats: its location's, else
/// "arg<i>".
std::string argumentName(mlir::BlockArgument arg);

/// The name of `result` of an op called `opName`: `opName`, with ":<i>"
/// appended for a multi-result op.
std::string resultName(mlir::OpResult result, llvm::StringRef opName);

/// The name of every argument and op result of `func`'s body, by the rules
/// of the file comment: arguments first, then the ops in program order.
llvm::DenseMap<mlir::Value, std::string> nameValues(mlir::func::FuncOp func);

} // namespace picosam

#endif // PICOSAM_INTERPRETER_VALUENAMES_H
