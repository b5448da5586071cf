/*===- Profile.h - the kernel-call hooks of a profiled network --*- C -*-===*\
 *
 * A network compiled with `picosam-compile --profile-kernels` brackets each
 * kernel call (include/picosam/Runtime/Ukernels.h) with
 *
 *   picosam_profile_begin(op); picosam_uk_...(...); picosam_profile_end(op);
 *
 * where `op` points to a constant record of the pico op the call computes
 * (a tiled op is called once per row band, with the same record; the
 * rows before and after a tiled block's loop are ops of their own, with
 * records of the same name). A network
 * compiled without the option calls neither: it has no profiling code at
 * all. The program runtime (lib/Runtime/Profile.cpp) defines the hooks;
 * they time calls only once enableKernelProfile() ran (the program's
 * --profile), so a profiled network run without it pays two calls of a
 * function that returns at once per kernel call. Another program linking a
 * profiled network defines the two hooks itself.
 *
\*===----------------------------------------------------------------------===*/
#ifndef PICOSAM_RUNTIME_PROFILE_H
#define PICOSAM_RUNTIME_PROFILE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The record of one op, followed by its name (the ONNX nodes it computes,
 * joined with '+') and a NUL. */
typedef struct {
  /* Multiply-accumulates of one call (picosam::countMacs of the op, over
   * its result's rows when a call computes one row of it). */
  int64_t macs;
} picosam_profile_op;

void picosam_profile_begin(const picosam_profile_op *op);
void picosam_profile_end(const picosam_profile_op *op);

#ifdef __cplusplus
}

#include <string>
#include <vector>

namespace picosam::runtime {

/// Starts timing the hooks' calls (no allocation afterwards until 4096
/// distinct ops were seen).
void enableKernelProfile();

/// The kernel calls of the ops of one name since enableKernelProfile(),
/// in the order the names were first called: their MACs, calls and time.
struct KernelTime {
  std::string name;
  int64_t macs;
  int64_t calls;
  double milliseconds;
};
std::vector<KernelTime> kernelProfile();

} // namespace picosam::runtime
#endif

#endif /* PICOSAM_RUNTIME_PROFILE_H */
