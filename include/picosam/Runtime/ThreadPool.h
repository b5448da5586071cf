//===- ThreadPool.h - running a kernel entry's work on the pool -*- C++ -*-===//
//
// The pool of picosam_cpu_set_threads (Threads.h) as the kernel entries use
// it: a loop of tasks, each task run once by some thread, the call
// returning when all are done.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_THREADPOOL_H
#define PICOSAM_RUNTIME_THREADPOOL_H

#include <algorithm>
#include <cstdint>

namespace picosam::runtime {

/// Runs task(context, i) for i in [0, tasks), on the pool's threads and the
/// caller's; on the caller's alone when the pool has no workers or another
/// run holds it. Allocates nothing.
void parallelFor(int64_t tasks, void (*task)(void *context, int64_t index),
                 void *context);

/// parallelFor over a callable.
template <typename Task> void parallelFor(int64_t tasks, const Task &task) {
  parallelFor(
      tasks,
      [](void *context, int64_t index) {
        (*static_cast<const Task *>(context))(index);
      },
      const_cast<Task *>(&task));
}

/// The threads a parallelFor may use now (1 + the pool's workers).
int threadCount();

/// Work (multiply-accumulates, or elements of a pass over planes) below
/// which a kernel entry's call stays on the calling thread: waking the
/// workers would cost more.
constexpr int64_t kMinParallelWork = int64_t(1) << 17;

/// Planes per task of a channel attention's passes over its planes (float
/// and integer).
constexpr int64_t kPlanesPerTask = 8;

/// Runs task(first, count) over [0, planes) in groups of kPlanesPerTask
/// planes on the pool, or once over all of them when `planes` planes of
/// `planeSize` elements are less than kMinParallelWork.
template <typename Task>
void parallelForPlanes(int64_t planes, int64_t planeSize, const Task &task) {
  int64_t perTask = planes * planeSize >= kMinParallelWork
                        ? kPlanesPerTask
                        : std::max<int64_t>(planes, 1);
  parallelFor((planes + perTask - 1) / perTask, [&](int64_t index) {
    int64_t first = index * perTask;
    task(first, std::min(perTask, planes - first));
  });
}

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_THREADPOOL_H
