//===- Status.h - success or an error message -------------------*- C++ -*-===//
//
// The runtime is plain C++17 without LLVM, and it uses no exceptions (its
// .npy core is shared with the LLVM-side code, which is built without them):
// a step that can fail returns a Status carrying the message for the user.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_STATUS_H
#define PICOSAM_RUNTIME_STATUS_H

#include <string>
#include <utility>

namespace picosam::runtime {

class [[nodiscard]] Status {
public:
  static Status success() { return Status(); }
  static Status failure(std::string message) {
    Status status;
    status.failed_ = true;
    status.message_ = std::move(message);
    return status;
  }

  bool failed() const { return failed_; }
  /// The message of a failure.
  const std::string &message() const { return message_; }

private:
  bool failed_ = false;
  std::string message_;
};

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_STATUS_H
