//===- Link.cpp - the static library writer and the executable link step --===//
#include "picosam/Target/CPU/Link.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

namespace picosam {

Error writeStaticLibrary(StringRef path, StringRef objectName,
                         StringRef objectBytes,
                         ArrayRef<std::string> runtimeArchives) {
  std::vector<NewArchiveMember> members;
  members.emplace_back(MemoryBufferRef(objectBytes, objectName));
  // The runtime archives' buffers back their members until the write.
  std::vector<std::unique_ptr<MemoryBuffer>> buffers;
  std::vector<std::unique_ptr<object::Archive>> archives;
  for (const std::string &archivePath : runtimeArchives) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
        MemoryBuffer::getFile(archivePath);
    if (!buffer)
      return createFileError(archivePath, buffer.getError());
    Expected<std::unique_ptr<object::Archive>> archive =
        object::Archive::create((*buffer)->getMemBufferRef());
    if (!archive)
      return createFileError(archivePath, archive.takeError());
    Error childError = Error::success();
    for (const object::Archive::Child &child : (*archive)->children(childError)) {
      Expected<NewArchiveMember> member =
          NewArchiveMember::getOldMember(child, /*Deterministic=*/true);
      if (!member)
        return createFileError(archivePath, member.takeError());
      members.push_back(std::move(*member));
    }
    if (childError)
      return createFileError(archivePath, std::move(childError));
    buffers.push_back(std::move(*buffer));
    archives.push_back(std::move(*archive));
  }
  object::Archive::Kind kind = members.front().detectKindFromObject();
  if (Error error = writeArchive(path, members, SymtabWritingMode::NormalSymtab,
                                 kind, /*Deterministic=*/true, /*Thin=*/false))
    return createFileError(path, std::move(error));
  return Error::success();
}

/// `<executable's directory>/../lib/<name>` for each of `names`.
static std::vector<std::string> archivesNextTo(StringRef executablePath,
                                               ArrayRef<StringRef> names) {
  std::vector<std::string> archives;
  for (StringRef name : names) {
    SmallString<256> path(sys::path::parent_path(executablePath));
    sys::path::append(path, "..", "lib", name);
    sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    archives.emplace_back(path);
  }
  return archives;
}

std::vector<std::string> defaultRuntimeArchives(StringRef executablePath) {
  return archivesNextTo(executablePath,
                        {"libPicoCpuUkernels.a", "libPicoKernels.a",
                         "libPicoCpuRuntime.a"});
}

std::vector<std::string> programRuntimeArchives(StringRef executablePath) {
  return archivesNextTo(executablePath,
                        {"libPicoRuntimeMain.a", "libPicoRuntime.a",
                         "libPicoNpyFormat.a"});
}

Error linkExecutable(StringRef output, ArrayRef<std::string> inputs,
                     const LinkOptions &options) {
  std::string driverName = options.compilerDriver;
#ifdef PICOSAM_SANITIZER_LINK_DRIVER
  // The system's drivers stand for the compiler that built the archives.
  bool sanitizerRuntime = driverName == "cc" || driverName == "c++";
  if (sanitizerRuntime)
    driverName = PICOSAM_SANITIZER_LINK_DRIVER;
#endif
  ErrorOr<std::string> driver = sys::findProgramByName(driverName);
  if (!driver)
    return createStringError(driver.getError(),
                             "cannot find the C compiler driver '" +
                                 driverName + "' to link with");
  std::vector<StringRef> arguments = {*driver, "-o", output};
  arguments.insert(arguments.end(), inputs.begin(), inputs.end());
  arguments.push_back("-lm");
#ifdef PICOSAM_SANITIZER_LINK_DRIVER
  if (sanitizerRuntime)
    arguments.push_back("-fsanitize=address,undefined");
#endif
  arguments.insert(arguments.end(), options.extraArguments.begin(),
                   options.extraArguments.end());
  std::string message;
  int status = sys::ExecuteAndWait(*driver, arguments, /*Env=*/std::nullopt,
                                   /*Redirects=*/{}, /*SecondsToWait=*/0,
                                   /*MemoryLimit=*/0, &message);
  if (status != 0)
    return createStringError(
        inconvertibleErrorCode(),
        "linking failed (" +
            (message.empty() ? "exit status " + std::to_string(status)
                             : message) +
            "): " + join(arguments, " "));
  return Error::success();
}

} // namespace picosam
