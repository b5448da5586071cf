//===- Files.cpp - reading inputs, writing outputs atomically -------------===//
#include "picosam/Runtime/Files.h"
#include "picosam/Runtime/NpyFormat.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace picosam::runtime;

// .npy data and the network's tensors are both in host order.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the runtime reads and writes .npy data in host byte order");

/// Inputs larger than this are refused rather than read into memory.
static constexpr uint64_t kMaxInputBytes = uint64_t(1) << 30;

/// "<path>: <what><the reason errno gives>"; `what` is a literal, so
/// nothing between the failed call and here can change errno.
static Status systemError(const std::string &path, const char *what) {
  const char *reason = std::strerror(errno);
  return Status::failure(path + ": " + what + reason);
}

namespace {
/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
  ~FileDescriptor() { close(); }
  int get() const { return fd_; }
  /// Closes now; false (errno set) if that failed.
  bool close() {
    int fd = fd_;
    fd_ = -1;
    return fd < 0 || ::close(fd) == 0;
  }

private:
  int fd_;
};
} // namespace

Status picosam::runtime::readFile(const std::string &path, std::string &bytes) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0)
    return systemError(path, "");
  struct stat info;
  if (fstat(file.get(), &info) != 0)
    return systemError(path, "");
  if (S_ISDIR(info.st_mode))
    return Status::failure(path + ": is a directory");
  if (uint64_t(info.st_size) > kMaxInputBytes)
    return Status::failure(path + ": the file is too large (" +
                           std::to_string(info.st_size) + " bytes)");
  bytes.resize(info.st_size);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::read(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return systemError(path, "");
    if (n == 0)
      break;
    done += n;
  }
  bytes.resize(done);
  return Status::success();
}

/// The directory part of `path` ("." when it has none).
static std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status picosam::runtime::checkWritable(const std::string &path) {
  if (path.empty() || path.back() == '/')
    return Status::failure("'" + path + "' is not a file name");
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return Status::failure(path + ": is a directory");
  std::string directory = directoryOf(path);
  auto cannotWrite = [&] {
    const char *reason = std::strerror(errno);
    return Status::failure(path + ": cannot write in " + directory + ": " +
                           reason);
  };
  if (stat(directory.c_str(), &info) != 0)
    return cannotWrite();
  if (!S_ISDIR(info.st_mode))
    return Status::failure(path + ": " + directory + " is not a directory");
  if (access(directory.c_str(), W_OK | X_OK) != 0)
    return cannotWrite();
  return Status::success();
}

/// Writes all of `bytes` to `file` and closes it.
static Status writeAll(FileDescriptor &file, const std::string &path,
                       std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return systemError(path, "cannot write: ");
    done += n;
  }
  if (!file.close())
    return systemError(path, "cannot write: ");
  return Status::success();
}

OutputFiles::~OutputFiles() {
  for (const Pending &pending : pending_)
    ::unlink(pending.temporary.c_str());
}

Status OutputFiles::add(const std::string &path, std::string_view bytes) {
  // A device or a pipe (/dev/null, a FIFO) is written in place: renaming
  // over it would replace it by a regular file.
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    FileDescriptor device(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (device.get() < 0)
      return systemError(path, "cannot write: ");
    return writeAll(device, path, bytes);
  }
  // A hidden name in the same directory, so the rename stays on one file
  // system and an interrupted run leaves no visible debris.
  size_t nameStart = path.rfind('/') + 1;
  std::string temporary =
      path.substr(0, nameStart) + "." + path.substr(nameStart) + ".XXXXXX";
  FileDescriptor file(::mkstemp(temporary.data()));
  if (file.get() < 0)
    return systemError(path, "cannot write: ");
  pending_.push_back({path, temporary});
  // mkstemp creates the file private (0600); outputs get the permissions a
  // newly created file normally has.
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(file.get(), 0666 & ~mask) != 0)
    return systemError(path, "cannot write: ");
  return writeAll(file, path, bytes);
}

Status OutputFiles::commit() {
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (::rename(pending_[i].temporary.c_str(), pending_[i].path.c_str()) !=
        0) {
      Status failure = systemError(pending_[i].path, "cannot write: ");
      pending_.erase(pending_.begin(), pending_.begin() + i);
      return failure;
    }
  }
  pending_.clear();
  return Status::success();
}

Status picosam::runtime::readFloat32Npy(const std::string &path,
                                        const std::vector<int64_t> &shape,
                                        std::vector<float> &values) {
  std::string bytes;
  if (Status status = readFile(path, bytes); status.failed())
    return status;
  NpyHeader header;
  if (Status status = parseNpyHeader(bytes, header); status.failed())
    return Status::failure(path + ": " + status.message());
  if (header.descr != "<f4" || header.shape != shape)
    return Status::failure(path + ": expected a float32 (<f4) array of shape " +
                           formatShape(shape) + ", got " + header.descr +
                           " of shape " + formatShape(header.shape));
  if (Status status = checkNpyDataSize(header, sizeof(float),
                                       bytes.size() - header.dataOffset);
      status.failed())
    return Status::failure(path + ": " + status.message());
  values.resize((bytes.size() - header.dataOffset) / sizeof(float));
  std::memcpy(values.data(), bytes.data() + header.dataOffset,
              values.size() * sizeof(float));
  return Status::success();
}

std::string picosam::runtime::npyBytes(std::string_view descr,
                                       const std::vector<int64_t> &shape,
                                       const void *data, size_t size) {
  std::string bytes = formatNpyHeader(descr, shape);
  bytes.append(static_cast<const char *>(data), size);
  return bytes;
}
