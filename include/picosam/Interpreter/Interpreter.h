//===- Interpreter.h - reference execution of pico functions ----*- C++ -*-===//
//
// Runs a `func.func` of pico ops on host tensors by walking its body and
// calling each op's InferenceOpInterface::inference. It is the executable
// specification every stage of the pipeline (imported, fused, quantized,
// planned) is checked against, so it favours clarity over speed.
//
// Every value is recorded and compared under its NAME (ValueNames.h); the
// results of ops nested in an op's regions (the convolutions of a
// pico.separable_block) are recorded just before the results of the op
// that holds them.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_INTERPRETER_INTERPRETER_H
#define PICOSAM_INTERPRETER_INTERPRETER_H

#include "picosam/Interpreter/ValueNames.h"
#include "picosam/Support/Npy.h"
#include "picosam/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <vector>

namespace picosam {

class Interpreter {
public:
  /// Prepares to run `func`: a single block of ops that implement
  /// InferenceOpInterface (and run the ops of their regions themselves),
  /// ended by func.return, whose arguments are statically shaped tensors. Emits an error at the offending op or
  /// argument and fails otherwise.
  static mlir::FailureOr<Interpreter> create(mlir::func::FuncOp func);

  mlir::func::FuncOp getFunction() const { return func; }
  /// The recorded name of `value`, an argument or op result of the function.
  llvm::StringRef getName(mlir::Value value) const;

  /// Why `tensor` cannot be argument `index`: its element kind or shape
  /// differs from the argument's type. The message names the argument.
  llvm::Error checkArgument(unsigned index, const Tensor &tensor) const;

  /// Runs the function on one tensor per argument and returns one per
  /// result. When `record` is given, appends every named value to it:
  /// the arguments, then each op's results as they are computed (constants
  /// excluded); quantized values are recorded dequantized to f32 so they
  /// compare with the float graph's. Values are dropped as soon as their
  /// last user has run. Errors are emitted as diagnostics.
  mlir::FailureOr<std::vector<Tensor>>
  run(llvm::ArrayRef<Tensor> inputs, NamedTensors *record = nullptr) const;

  /// Runs the function as a target following its memory plan (set by
  /// --pico-plan-memory) would: one arena of the planned size, every
  /// activation stored there, packed little-endian, at its `#pico.buffer`
  /// offset as soon as it is computed, and every op's operands read back
  /// from there just before it runs; only constants live outside. The
  /// intermediate of an untiled separable block goes through the arena
  /// between its two convolutions; the rings of rows of a tiled block (its
  /// intermediate, and its result when it streams into a conv) are
  /// overwritten before the block and after it (or that conv). A plan placing two live
  /// tensors in overlapping memory therefore changes the results. Records
  /// like `run`. Fails with an error when the function has no plan or a
  /// buffer lies outside the arena or is too small for its tensor.
  mlir::FailureOr<std::vector<Tensor>>
  runPlanned(llvm::ArrayRef<Tensor> inputs,
             NamedTensors *record = nullptr) const;

private:
  explicit Interpreter(mlir::func::FuncOp func) : func(func) {}

  /// Mutable because op handles are not const-correct: their accessors
  /// are non-const even though they do not change the op.
  mutable mlir::func::FuncOp func;
  llvm::DenseMap<mlir::Value, std::string> names;
  /// For each op of the body (terminator included), the values whose last
  /// use it is, or that it defines and nothing uses.
  llvm::DenseMap<mlir::Operation *, llvm::SmallVector<mlir::Value, 2>>
      deadAfter;
  /// Arguments nothing uses: dropped before the first op runs.
  llvm::SmallVector<mlir::Value, 2> unusedArguments;
};

} // namespace picosam

#endif // PICOSAM_INTERPRETER_INTERPRETER_H
