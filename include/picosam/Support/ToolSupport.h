//===- ToolSupport.h - the tools' output files and errors ------*- C++ -*-===//
//
// What every picosam tool does with the files it writes and the errors it
// reports, in one place:
//
// - Outputs are written atomically: into a temporary file in the target's
//   directory, renamed over the target only once every byte is written. A
//   failed run leaves no truncated output and keeps an existing file as it
//   was. Standard output ("-") and existing files that are not regular
//   (/dev/null, a pipe) are written in place.
// - An output that is one of the run's inputs, or another of its outputs,
//   is refused before anything runs, with a message naming both.
// - Errors are printed on stderr as "error: <message>" ("<tool>: error:
//   <message>" for a tool that names itself) and the tool exits with code 1;
//   an error about a file starts with its path. Control characters in a
//   message (from names in the files read) are printed escaped (\x1b).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_SUPPORT_TOOLSUPPORT_H
#define PICOSAM_SUPPORT_TOOLSUPPORT_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace picosam {

/// One output file being written; see the file comment.
class OutputFile {
public:
  /// Starts writing `path`. Errors read "<path>: <reason>".
  static llvm::Expected<OutputFile> open(llvm::StringRef path);

  OutputFile(OutputFile &&other);
  OutputFile &operator=(OutputFile &&) = delete;
  /// Removes the temporary file unless commit() succeeded: the target stays
  /// as it was.
  ~OutputFile();

  llvm::raw_ostream &os() { return *stream; }

  /// Checks that every byte was written, then renames the temporary file
  /// over the target. Errors (a full disk) read "<path>: <reason>" and
  /// leave the target as it was.
  llvm::Error commit();

private:
  explicit OutputFile(llvm::StringRef path) : path(path.str()) {}
  /// The stream's error as "<path>: <reason>", or success.
  llvm::Error takeStreamError();

  /// As the user gave it, for messages.
  std::string path;
  /// What the temporary file is renamed to: `path` with symbolic links
  /// resolved, so a link keeps pointing at the new contents.
  std::string target;
  std::optional<llvm::sys::fs::TempFile> temporary;
  std::unique_ptr<llvm::raw_fd_ostream> ownedStream;
  /// `ownedStream`, or llvm::outs() for "-".
  llvm::raw_fd_ostream *stream = nullptr;
};

/// The outputs of one run: each is written as the run goes, and all
/// replace their targets together at the end, so a run that fails half-way
/// replaces none of them.
class OutputFiles {
public:
  /// Writes `path` with `print` (into its temporary file); an error of
  /// `print` is returned as "<path>: <its message>".
  llvm::Error write(llvm::StringRef path,
                    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> print);
  /// Commits every file written, in order.
  llvm::Error commit();

private:
  std::vector<OutputFile> files;
};

/// Writes the one output of a run: OutputFiles with a single file.
llvm::Error
writeOutputFile(llvm::StringRef path,
                llvm::function_ref<llvm::Error(llvm::raw_ostream &)> print);

/// The files one run of a tool reads and writes, checked before it runs.
class ToolFiles {
public:
  /// `role` names the file in messages: "-o", "--dump", "the input", ...
  /// Empty paths are ignored; "-" (stdin/stdout) never collides.
  void addInput(llvm::StringRef role, llvm::StringRef path);
  void addOutput(llvm::StringRef role, llvm::StringRef path);

  /// Fails when an output is the same file as an input (sys::fs::equivalent
  /// for files that exist, the same absolute path for those that do not)
  /// or as another output, naming both. Files that exist but are not
  /// regular (/dev/null, directories) are not compared.
  llvm::Error check() const;

private:
  struct File {
    std::string role, path;
  };
  std::vector<File> inputs, outputs;
};

/// The deepest nesting of brackets ('{', '(', '[') an MLIR input may have.
/// MLIR's parser recurses at each level and overflows the stack a few
/// thousand levels deep; picosam's IR nests fewer than 20.
constexpr unsigned kMaxMlirNesting = 256;

/// Fails with "<buffer name>:<line>:<column>: the IR nests deeper than 256
/// brackets" at the first bracket past kMaxMlirNesting, outside strings and
/// comments: run before parsing an MLIR input.
llvm::Error checkMlirNesting(const llvm::MemoryBuffer &buffer);

/// The most bytes one constant (an elements attribute) of an MLIR input may
/// hold by default (1 GiB): a splat of any size is a few bytes of text, and
/// running or compiling the IR materialises it.
constexpr uint64_t kDefaultMaxConstantBytes = uint64_t(1) << 30;

/// Fails, with an error at the op, when an elements attribute of an op
/// under `root` holds more than `maxBytes` (elements x element width,
/// computed without overflow). Run after parsing an MLIR input.
mlir::LogicalResult checkConstantSizes(mlir::Operation *root,
                                       uint64_t maxBytes);

/// Prints `message` as an error (see the file comment; `tool` names the
/// tool when given) after flushing stdout, so whatever the tool printed
/// comes first, and returns the exit code 1.
int reportFailure(const llvm::Twine &message, llvm::StringRef tool = {});
int reportFailure(llvm::Error error, llvm::StringRef tool = {});

} // namespace picosam

#endif // PICOSAM_SUPPORT_TOOLSUPPORT_H
