//===- Workspace.h - scratch memory a kernel's caller provides --*- C++ -*-===//
//
// Kernels that need scratch (the convolution's loaded input rows and
// accumulators, channel attention's means and gates) compute in memory their
// caller owns, so that a run of compiled code allocates nothing: the CPU
// backend reserves it in the arena, the interpreter and the IMX500
// simulator keep one growing buffer each. Each such kernel has a
// `...WorkspaceBytes` function saying how much it needs, which the CPU
// backend evaluates at compile time.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_WORKSPACE_H
#define PICOSAM_KERNELS_WORKSPACE_H

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace picosam::kernels {

/// Every array a kernel takes from a workspace starts at a multiple of
/// this many bytes from the workspace's start (a vector's alignment).
inline constexpr int64_t kWorkspaceAlignment = 64;

/// `bytes` bytes of scratch at `data`, aligned to kWorkspaceAlignment.
struct Workspace {
  void *data = nullptr;
  int64_t bytes = 0;
};

/// The bytes `count` elements of T take in a workspace, rounded up so that
/// the next array starts aligned.
template <typename T> constexpr int64_t workspaceArrayBytes(int64_t count) {
  int64_t bytes = count * int64_t(sizeof(T));
  return (bytes + kWorkspaceAlignment - 1) / kWorkspaceAlignment *
         kWorkspaceAlignment;
}

/// Hands out a workspace's memory as consecutive aligned arrays, in the
/// order the kernel's `...WorkspaceBytes` counted them.
class WorkspaceArrays {
public:
  explicit WorkspaceArrays(Workspace workspace)
      : next_(static_cast<char *>(workspace.data)),
        left_(workspace.bytes) {}

  template <typename T> T *take(int64_t count) {
    int64_t bytes = workspaceArrayBytes<T>(count);
    assert(bytes <= left_ && "the workspace is smaller than the kernel needs");
    T *array = reinterpret_cast<T *>(next_);
    next_ += bytes;
    left_ -= bytes;
    return array;
  }

private:
  char *next_;
  int64_t left_;
};

/// A workspace a host-side caller (the interpreter, the IMX500 simulator)
/// owns: grown to the largest size asked for, reused by every later call.
class WorkspaceBuffer {
public:
  /// At least `bytes` bytes, valid until the next call.
  Workspace get(int64_t bytes) {
    std::size_t blocks = static_cast<std::size_t>(
        (bytes + kWorkspaceAlignment - 1) / kWorkspaceAlignment);
    if (blocks > blocks_.size())
      blocks_.resize(blocks);
    return {blocks_.data(), static_cast<int64_t>(blocks_.size()) *
                                kWorkspaceAlignment};
  }

private:
  struct alignas(kWorkspaceAlignment) Block {
    char bytes[kWorkspaceAlignment];
  };
  std::vector<Block> blocks_;
};

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_WORKSPACE_H
