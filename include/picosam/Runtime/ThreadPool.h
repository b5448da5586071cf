//===- ThreadPool.h - running a kernel entry's work on the pool -*- C++ -*-===//
//
// The pool of picosam_cpu_set_threads (Threads.h) as the kernel entries use
// it: a loop of tasks, each task run once by some thread, the call
// returning when all are done.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_THREADPOOL_H
#define PICOSAM_RUNTIME_THREADPOOL_H

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

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_THREADPOOL_H
