//===- ThreadPool.cpp - the workers of picosam_cpu_set_threads ------------===//
//
// One pool per process, created by picosam_cpu_set_threads and never by a
// run. A parallelFor posts its loop (under the pool's mutex), runs tasks on
// the calling thread too, and returns when every task has completed. Idle
// workers spin briefly on the job counter (a convolution follows the last
// one within microseconds in a network's run), then sleep on a condition
// variable, so they never hold a core while no network runs.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ThreadPool.h"
#include "picosam/Runtime/Threads.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <pthread.h>

namespace {

/// Iterations of the pause loop before a waiting thread blocks: some tens
/// of microseconds.
constexpr int kSpins = 2000;

void pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/// Spins until `ready()`, at most kSpins iterations; whether it became so.
template <typename Ready> bool spinUntil(const Ready &ready) {
  for (int i = 0; i < kSpins; ++i) {
    if (ready())
      return true;
    pause();
  }
  return ready();
}

class Pool {
public:
  /// Held by a parallelFor using the workers, and while they are resized.
  std::mutex use;

  int workers() const { return workerCount.load(std::memory_order_acquire); }
  bool resize(int count);
  void run(int64_t tasks, void (*task)(void *, int64_t), void *context);

private:
  static void *workerMain(void *pool);
  void work();
  void runTasks(void (*task)(void *, int64_t), void *context, int64_t tasks);
  void stopWorkers();

  // The job, written under `mutex` while no worker is inside one.
  std::mutex mutex;
  std::condition_variable posted, finished, left;
  uint64_t generation = 0;
  std::atomic<uint64_t> postedGeneration{0};
  void (*task)(void *, int64_t) = nullptr;
  void *context = nullptr;
  int64_t tasks = 0;
  std::atomic<int64_t> next{0}, completed{0};
  int inside = 0; // workers between taking a job and leaving it
  bool stopping = false;

  pthread_t threads[PICOSAM_CPU_MAX_THREADS];
  std::atomic<int> workerCount{0};
};

void *Pool::workerMain(void *pool) {
  static_cast<Pool *>(pool)->work();
  return nullptr;
}

void Pool::work() {
  uint64_t seen;
  {
    std::lock_guard<std::mutex> lock(mutex);
    seen = generation;
  }
  for (;;) {
    spinUntil([&] {
      return postedGeneration.load(std::memory_order_acquire) != seen;
    });
    void (*jobTask)(void *, int64_t);
    void *jobContext;
    int64_t jobTasks;
    {
      std::unique_lock<std::mutex> lock(mutex);
      posted.wait(lock, [&] { return generation != seen || stopping; });
      if (stopping)
        return;
      seen = generation;
      jobTask = task;
      jobContext = context;
      jobTasks = tasks;
      ++inside;
    }
    runTasks(jobTask, jobContext, jobTasks);
    std::lock_guard<std::mutex> lock(mutex);
    if (--inside == 0)
      left.notify_all();
  }
}

void Pool::runTasks(void (*jobTask)(void *, int64_t), void *jobContext,
                    int64_t jobTasks) {
  for (int64_t index = next.fetch_add(1, std::memory_order_relaxed);
       index < jobTasks; index = next.fetch_add(1, std::memory_order_relaxed)) {
    jobTask(jobContext, index);
    if (completed.fetch_add(1, std::memory_order_acq_rel) + 1 == jobTasks) {
      std::lock_guard<std::mutex> lock(mutex);
      finished.notify_all();
    }
  }
}

void Pool::run(int64_t jobTasks, void (*jobTask)(void *, int64_t),
               void *jobContext) {
  {
    std::unique_lock<std::mutex> lock(mutex);
    // A worker late for the last job may still be leaving it.
    left.wait(lock, [&] { return inside == 0; });
    task = jobTask;
    context = jobContext;
    tasks = jobTasks;
    next.store(0, std::memory_order_relaxed);
    completed.store(0, std::memory_order_relaxed);
    ++generation;
    postedGeneration.store(generation, std::memory_order_release);
  }
  posted.notify_all();
  runTasks(jobTask, jobContext, jobTasks);
  auto done = [&] {
    return completed.load(std::memory_order_acquire) == jobTasks;
  };
  if (spinUntil(done))
    return;
  std::unique_lock<std::mutex> lock(mutex);
  finished.wait(lock, done);
}

void Pool::stopWorkers() {
  int count = workerCount.load();
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  posted.notify_all();
  for (int i = 0; i < count; ++i)
    pthread_join(threads[i], nullptr);
  std::lock_guard<std::mutex> lock(mutex);
  stopping = false;
  workerCount.store(0, std::memory_order_release);
}

bool Pool::resize(int count) {
  stopWorkers();
  for (int i = 0; i < count; ++i) {
    if (pthread_create(&threads[i], nullptr, &Pool::workerMain, this) != 0) {
      workerCount.store(i);
      stopWorkers();
      return false;
    }
  }
  workerCount.store(count, std::memory_order_release);
  return true;
}

/// The pool, created by the first picosam_cpu_set_threads and kept for the
/// process's life (its workers block or exit with it).
std::atomic<Pool *> thePool{nullptr};

} // namespace

void picosam::runtime::parallelFor(int64_t tasks,
                                   void (*task)(void *context, int64_t index),
                                   void *context) {
  Pool *pool = thePool.load(std::memory_order_acquire);
  if (pool && tasks > 1 && pool->workers() > 0 && pool->use.try_lock()) {
    if (pool->workers() > 0) {
      pool->run(tasks, task, context);
      pool->use.unlock();
      return;
    }
    pool->use.unlock();
  }
  for (int64_t index = 0; index < tasks; ++index)
    task(context, index);
}

int picosam::runtime::threadCount() {
  Pool *pool = thePool.load(std::memory_order_acquire);
  return 1 + (pool ? pool->workers() : 0);
}

extern "C" int picosam_cpu_set_threads(int threads) {
  if (threads < 1 || threads > PICOSAM_CPU_MAX_THREADS)
    return -1;
  static std::mutex creation;
  Pool *pool;
  {
    std::lock_guard<std::mutex> lock(creation);
    pool = thePool.load();
    if (!pool) {
      if (threads == 1)
        return 0;
      pool = new Pool;
      thePool.store(pool, std::memory_order_release);
    }
  }
  std::lock_guard<std::mutex> lock(pool->use);
  return pool->resize(threads - 1) ? 0 : -1;
}

extern "C" int picosam_cpu_threads(void) {
  return picosam::runtime::threadCount();
}
