//===- ToolSupport.cpp - output files and error exits of the tools --------===//
#include "picosam/Support/ToolSupport.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

using namespace picosam;
using llvm::StringRef;
namespace fs = llvm::sys::fs;

static llvm::Error fileError(StringRef path, const llvm::Twine &reason) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (path == "-" ? "<stdout>" : path) + ": " +
                                     reason);
}

//===----------------------------------------------------------------------===//
// OutputFile
//===----------------------------------------------------------------------===//

llvm::Expected<OutputFile> OutputFile::open(StringRef path) {
  OutputFile file(path);
  if (path == "-") {
    file.stream = &llvm::outs();
    return std::move(file);
  }
  fs::file_status status;
  bool exists = !fs::status(path, status);
  if (exists && !fs::is_regular_file(status)) {
    // A device or a pipe is written in place: renaming over /dev/null would
    // replace it. (A directory fails here, naming itself.)
    std::error_code error;
    file.ownedStream =
        std::make_unique<llvm::raw_fd_ostream>(path, error, fs::OF_None);
    if (error)
      return fileError(path, error.message());
    file.stream = file.ownedStream.get();
    return std::move(file);
  }

  llvm::SmallString<128> target(path);
  if (exists)
    if (std::error_code error = fs::real_path(path, target))
      return fileError(path, error.message());
  file.target = target.str().str();
  // The temporary file is in the target's directory, so the rename that
  // replaces the target is atomic.
  llvm::SmallString<128> model = llvm::sys::path::parent_path(target);
  llvm::sys::path::append(model, "." + llvm::sys::path::filename(target) +
                                     "-%%%%%%.tmp");
  llvm::Expected<fs::TempFile> temporary = fs::TempFile::create(model);
  if (!temporary)
    return fileError(path, llvm::toString(temporary.takeError()));
  file.temporary.emplace(std::move(*temporary));
  // A replaced file keeps its permissions.
  if (exists)
    (void)fs::setPermissions(file.temporary->FD, status.permissions());
  file.ownedStream = std::make_unique<llvm::raw_fd_ostream>(
      file.temporary->FD, /*shouldClose=*/false);
  file.stream = file.ownedStream.get();
  return std::move(file);
}

OutputFile::OutputFile(OutputFile &&other)
    : path(std::move(other.path)), target(std::move(other.target)),
      temporary(std::move(other.temporary)),
      ownedStream(std::move(other.ownedStream)), stream(other.stream) {
  other.temporary.reset();
  other.stream = nullptr;
}

OutputFile::~OutputFile() {
  if (!stream)
    return;
  // What is left is discarded: its write errors do not matter any more.
  stream->flush();
  stream->clear_error();
  ownedStream.reset();
  if (temporary)
    llvm::consumeError(temporary->discard());
}

llvm::Error OutputFile::takeStreamError() {
  stream->flush();
  if (!stream->has_error())
    return llvm::Error::success();
  std::error_code error = stream->error();
  stream->clear_error();
  return fileError(path, error.message());
}

llvm::Error OutputFile::commit() {
  if (llvm::Error error = takeStreamError())
    return error;
  if (ownedStream && !temporary) {
    ownedStream->close();
    if (llvm::Error error = takeStreamError())
      return error;
  }
  ownedStream.reset();
  if (temporary) {
    llvm::Error kept = temporary->keep(target);
    if (kept) {
      llvm::consumeError(temporary->discard());
      temporary.reset();
      stream = nullptr;
      return fileError(path, llvm::toString(std::move(kept)));
    }
    temporary.reset();
  }
  stream = nullptr;
  return llvm::Error::success();
}

llvm::Error
OutputFiles::write(StringRef path,
                   llvm::function_ref<llvm::Error(llvm::raw_ostream &)> print) {
  llvm::Expected<OutputFile> file = OutputFile::open(path);
  if (!file)
    return file.takeError();
  if (llvm::Error error = print(file->os()))
    return fileError(path, llvm::toString(std::move(error)));
  files.push_back(std::move(*file));
  return llvm::Error::success();
}

llvm::Error OutputFiles::commit() {
  for (OutputFile &file : files)
    if (llvm::Error error = file.commit())
      return error;
  files.clear();
  return llvm::Error::success();
}

llvm::Error picosam::writeOutputFile(
    StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> print) {
  OutputFiles files;
  if (llvm::Error error = files.write(path, print))
    return error;
  return files.commit();
}

//===----------------------------------------------------------------------===//
// ToolFiles
//===----------------------------------------------------------------------===//

void ToolFiles::addInput(StringRef role, StringRef path) {
  if (!path.empty())
    inputs.push_back({role.str(), path.str()});
}

void ToolFiles::addOutput(StringRef role, StringRef path) {
  if (!path.empty())
    outputs.push_back({role.str(), path.str()});
}

/// Whether `path` names a file that can be overwritten by mistake: not
/// stdin/stdout, and a regular file if it exists.
static bool isComparable(StringRef path) {
  if (path == "-")
    return false;
  fs::file_status status;
  return fs::status(path, status) || fs::is_regular_file(status);
}

static bool isSameFile(StringRef a, StringRef b) {
  bool same = false;
  if (!fs::equivalent(a, b, same))
    return same;
  // One of them does not exist (yet): the same file only by the same path.
  llvm::SmallString<128> absoluteA(a), absoluteB(b);
  fs::make_absolute(absoluteA);
  fs::make_absolute(absoluteB);
  llvm::sys::path::remove_dots(absoluteA, /*remove_dot_dot=*/true);
  llvm::sys::path::remove_dots(absoluteB, /*remove_dot_dot=*/true);
  return absoluteA == absoluteB;
}

llvm::Error ToolFiles::check() const {
  for (auto [index, output] : llvm::enumerate(outputs)) {
    if (!isComparable(output.path))
      continue;
    for (const File &input : inputs)
      if (isComparable(input.path) && isSameFile(output.path, input.path))
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       output.role + " '" + output.path +
                                           "' is the same file as " +
                                           input.role + " '" + input.path +
                                           "'; refusing to overwrite an input");
    for (const File &other : llvm::ArrayRef(outputs).drop_front(index + 1))
      if (isComparable(other.path) && isSameFile(output.path, other.path))
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       output.role + " '" + output.path +
                                           "' and " + other.role + " '" +
                                           other.path + "' are the same file");
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

int picosam::reportFailure(const llvm::Twine &message, StringRef tool) {
  llvm::outs().flush();
  llvm::raw_ostream &os = llvm::WithColor::error(llvm::errs(), tool);
  // Messages quote names from the files read (ONNX node names, npz entry
  // names): their control bytes (C0, DEL, and C1 encoded in UTF-8) and the
  // bytes of no valid UTF-8 sequence (a lone 0x9b is CSI to an 8-bit
  // terminal) are printed escaped, never sent to the terminal as escape
  // sequences.
  std::string text = message.str();
  auto escape = [&](unsigned char byte) {
    os << "\\x" << llvm::hexdigit(byte >> 4, /*LowerCase=*/true)
       << llvm::hexdigit(byte & 0xf, /*LowerCase=*/true);
  };
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if ((byte < 0x20 && byte != '\n' && byte != '\t') || byte == 0x7f)
        escape(byte);
      else
        os << text[i];
      ++i;
      continue;
    }
    auto *start = reinterpret_cast<const llvm::UTF8 *>(text.data() + i);
    size_t length = llvm::getNumBytesForUTF8(byte);
    bool c1 = byte == 0xc2 && i + 1 < text.size() &&
              static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) < 0xa0;
    if (i + length <= text.size() &&
        llvm::isLegalUTF8Sequence(start, start + length) && !c1) {
      os << StringRef(text.data() + i, length);
      i += length;
      continue;
    }
    // An invalid byte alone (what follows may start a valid sequence), a C1
    // control whole.
    for (size_t end = c1 ? i + 2 : i + 1; i < end; ++i)
      escape(static_cast<unsigned char>(text[i]));
  }
  os << "\n";
  return 1;
}

int picosam::reportFailure(llvm::Error error, StringRef tool) {
  return reportFailure(llvm::toString(std::move(error)), tool);
}

mlir::LogicalResult picosam::checkConstantSizes(mlir::Operation *root,
                                                uint64_t maxBytes) {
  mlir::WalkResult walk = root->walk([&](mlir::Operation *op) {
    for (mlir::NamedAttribute attribute : op->getAttrs()) {
      auto elements = llvm::dyn_cast<mlir::ElementsAttr>(attribute.getValue());
      if (!elements)
        continue;
      mlir::ShapedType type = elements.getShapedType();
      mlir::Type elementType = type.getElementType();
      // Elements that are not plain numbers (quantized, complex) are
      // counted at 8 bytes, the widest a pico tensor holds.
      uint64_t bytes = elementType.isIntOrFloat()
                           ? llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8)
                           : 8;
      bool tooLarge = bytes > maxBytes;
      for (int64_t extent : type.getShape())
        tooLarge |= extent < 0 ||
                    __builtin_mul_overflow(bytes, static_cast<uint64_t>(extent),
                                           &bytes) ||
                    bytes > maxBytes;
      if (tooLarge && bytes != 0) {
        op->emitError() << "a constant of type " << type << " holds more than "
                        << maxBytes
                        << " bytes (the limit; --max-constant-bytes raises it)";
        return mlir::WalkResult::interrupt();
      }
    }
    return mlir::WalkResult::advance();
  });
  return mlir::failure(walk.wasInterrupted());
}

llvm::Error picosam::checkMlirNesting(const llvm::MemoryBuffer &buffer) {
  StringRef text = buffer.getBuffer();
  unsigned depth = 0, line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      lineStart = i + 1;
    } else if (c == '"') {
      // A string literal; its escapes may quote '"' and '\\'.
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      if (i < text.size() && text[i] == '\n')
        --i;
    } else if (c == '/' && text.substr(i).starts_with("//")) {
      i = std::min(text.find('\n', i), text.size()) - 1;
    } else if (c == '{' || c == '(' || c == '[') {
      if (++depth > kMaxMlirNesting)
        return llvm::createStringError(
            buffer.getBufferIdentifier() + ":" + llvm::Twine(line) + ":" +
            llvm::Twine(i - lineStart + 1) + ": the IR nests deeper than " +
            llvm::Twine(kMaxMlirNesting) + " brackets");
    } else if ((c == '}' || c == ')' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return llvm::Error::success();
}
