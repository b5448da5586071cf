//===- Profile.cpp - the kernel-call hooks of profiled networks -----------===//
//
// include/picosam/Runtime/Profile.h: the hooks a network compiled with
// --profile-kernels calls around each kernel call, accumulating each op's
// time and calls once the program's --profile enabled them.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Profile.h"

#include <algorithm>
#include <chrono>

using namespace picosam::runtime;

namespace {
using Clock = std::chrono::steady_clock;

struct OpTotals {
  const picosam_profile_op *op;
  int64_t calls;
  Clock::duration time;
};

bool enabled = false;
/// In first-call order; reserved when enabled, so the hooks do not
/// allocate.
std::vector<OpTotals> totals;
/// The last call's op: the next call is most likely its next row band or
/// the op after it.
size_t last = 0;
Clock::time_point started;
} // namespace

void picosam::runtime::enableKernelProfile() {
  totals.reserve(4096);
  enabled = true;
}

std::vector<KernelTime> picosam::runtime::kernelProfile() {
  std::vector<KernelTime> profile;
  for (const OpTotals &op : totals) {
    std::string name = reinterpret_cast<const char *>(op.op + 1);
    auto same = std::find_if(profile.begin(), profile.end(),
                             [&](const KernelTime &t) { return t.name == name; });
    if (same == profile.end())
      same = profile.insert(profile.end(), {name, 0, 0, 0.0});
    same->macs += op.op->macs * op.calls;
    same->calls += op.calls;
    same->milliseconds +=
        std::chrono::duration<double, std::milli>(op.time).count();
  }
  return profile;
}

extern "C" void picosam_profile_begin(const picosam_profile_op *) {
  if (enabled)
    started = Clock::now();
}

extern "C" void picosam_profile_end(const picosam_profile_op *op) {
  if (!enabled)
    return;
  Clock::duration elapsed = Clock::now() - started;
  size_t index = last;
  if (index < totals.size() && totals[index].op == op) {
  } else if (index + 1 < totals.size() && totals[index + 1].op == op) {
    ++index;
  } else {
    index = 0;
    while (index < totals.size() && totals[index].op != op)
      ++index;
    if (index == totals.size())
      totals.push_back({op, 0, Clock::duration::zero()});
  }
  totals[index].calls += 1;
  totals[index].time += elapsed;
  last = index;
}
