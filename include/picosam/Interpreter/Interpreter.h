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

#include "picosam/Inference/Inference.h"
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
  /// ended by func.return, whose arguments are statically shaped tensors;
  /// or such a function materialised over its arena (see arenaArgument),
  /// which also runs the upstream ops --pico-materialize-arena makes. Emits
  /// an error at the offending op or argument and fails otherwise. Every
  /// pico op's kernel constants are derived here, once (PreparedKernels),
  /// and every run computes with them.
  static mlir::FailureOr<Interpreter> create(mlir::func::FuncOp func);

  mlir::func::FuncOp getFunction() const { return func; }
  /// The recorded name of `value`, an argument or op result of the function.
  llvm::StringRef getName(mlir::Value value) const;

  /// Why `tensor` cannot be (input) argument `index`: its element kind or shape
  /// differs from the argument's type. The message names the argument.
  llvm::Error checkArgument(unsigned index, const Tensor &tensor) const;

  /// Runs the function on one tensor per input argument and returns one
  /// per result. When `record` is given, appends every named value to it:
  /// the arguments, then each op's results as they are computed (constants
  /// excluded; a materialised function: see arenaArgument); quantized
  /// values are recorded dequantized to f32 so they compare with the float
  /// graph's. Values are dropped as soon as their last user has run.
  /// Errors are emitted as diagnostics.
  mlir::FailureOr<std::vector<Tensor>>
  run(llvm::ArrayRef<Tensor> inputs, NamedTensors *record = nullptr) const;

  /// The arguments `run` takes tensors for: all but the arena of a
  /// function materialised over it.
  llvm::ArrayRef<mlir::BlockArgument> inputs() const { return inputArguments; }
  /// The `pico.arena` argument of a function materialised over its arena
  /// (--pico-materialize-arena), or null. `run` gives it an arena of its
  /// size, filled with a pattern no tensor computes (NaN as f32, -1 as i8),
  /// and executes the function's reads, writes and row loops over it, so
  /// a plan placing two live tensors in overlapping bytes changes the
  /// results. Its writes into the arena are what it records: each tensor
  /// under the name of the view written (the planned tensor's) and of the
  /// pico op computing it, its rows joined in the order written.
  mlir::BlockArgument arenaArgument() const { return arenaArg; }
  bool isMaterialized() const { return static_cast<bool>(arenaArg); }
  /// The name a write into the arena records `value` under: its op's
  /// location name, else its name.
  std::string nameOf(mlir::Value value) const;
  /// The values of the body whose last use is `op`.
  llvm::ArrayRef<mlir::Value> valuesDeadAfter(mlir::Operation *op) const {
    auto it = deadAfter.find(op);
    return it == deadAfter.end() ? llvm::ArrayRef<mlir::Value>()
                                 : llvm::ArrayRef<mlir::Value>(it->second);
  }
  /// Arguments nothing uses: dropped before the first op runs.
  llvm::ArrayRef<mlir::Value> unusedArguments() const {
    return unusedArgs;
  }
  /// The constants InferenceOpInterface::prepare derived for the function's
  /// pico ops, which every run computes with.
  const PreparedKernels &getPreparedKernels() const { return prepared; }

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
  llvm::SmallVector<mlir::Value, 2> unusedArgs;
  llvm::SmallVector<mlir::BlockArgument, 2> inputArguments;
  mlir::BlockArgument arenaArg;
  /// What InferenceOpInterface::prepare derived for the pico ops, nested
  /// ones included.
  PreparedKernels prepared;
};

} // namespace picosam

#endif // PICOSAM_INTERPRETER_INTERPRETER_H
