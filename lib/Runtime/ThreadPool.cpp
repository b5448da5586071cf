//===- ThreadPool.cpp - the workers of picosam_cpu_set_threads ------------===//
//
// One pool per process, created by picosam_cpu_set_threads and never by a
// run. A parallelFor posts its loop, runs tasks on the calling thread too,
// and returns when every task has completed. Posting and completing take no
// lock while the threads are awake: a tiled block posts a few small loops
// per output row, so the hand-over must cost little next to them. Idle
// workers spin briefly on the posted generation (a convolution follows the
// last one within microseconds in a network's run), then sleep on a
// condition variable, so they never hold a core while no network runs.
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

/// A posted loop. Jobs alternate between two slots: a worker late for one
/// job (it read the generation before the next was posted) still finds its
/// job's slot unchanged, since a slot is reused only once no worker is
/// inside a job.
struct Job {
  void (*task)(void *, int64_t) = nullptr;
  void *context = nullptr;
  int64_t tasks = 0;
  std::atomic<int64_t> next{0}, completed{0};
};

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
  void runTasks(Job &job);
  void stopWorkers();
  /// Waits until `ready()`: spins, then sleeps on `condition` (woken by
  /// wake(condition) after whatever makes `ready()` true).
  template <typename Ready>
  void waitFor(std::condition_variable &condition, const Ready &ready);
  void wake(std::condition_variable &condition);

  Job jobs[2];
  /// The last posted job's generation (its slot: generation % 2).
  std::atomic<uint64_t> generation{0};
  uint64_t startGeneration = 0;
  /// Workers that have taken a job and not left it yet: a slot is reused
  /// only when none is inside.
  std::atomic<int> inside{0};
  std::atomic<bool> stopping{false};
  // Sleeping: threads blocked or about to block on a condition variable,
  // which the thread making their condition true then notifies.
  std::mutex mutex;
  std::condition_variable posted, finished, left;
  std::atomic<int> sleepers{0};

  pthread_t threads[PICOSAM_CPU_MAX_THREADS];
  std::atomic<int> workerCount{0};
};

template <typename Ready>
void Pool::waitFor(std::condition_variable &condition, const Ready &ready) {
  if (spinUntil(ready))
    return;
  std::unique_lock<std::mutex> lock(mutex);
  // Counted before `ready` is checked again under the lock: whoever makes
  // it true after that check sees the sleeper and notifies.
  sleepers.fetch_add(1, std::memory_order_seq_cst);
  condition.wait(lock, ready);
  sleepers.fetch_sub(1, std::memory_order_relaxed);
}

void Pool::wake(std::condition_variable &condition) {
  if (sleepers.load(std::memory_order_seq_cst) == 0)
    return;
  std::lock_guard<std::mutex> lock(mutex);
  condition.notify_all();
}

void *Pool::workerMain(void *pool) {
  static_cast<Pool *>(pool)->work();
  return nullptr;
}

void Pool::work() {
  // The generation when the workers were created (no job is posted while
  // they are): reading the current one instead could skip a job posted
  // before this thread ran.
  uint64_t seen = startGeneration;
  for (;;) {
    waitFor(posted, [&] {
      return generation.load(std::memory_order_seq_cst) != seen ||
             stopping.load(std::memory_order_seq_cst);
    });
    if (stopping.load(std::memory_order_seq_cst))
      return;
    // Inside before reading which job: the caller posting the next job
    // then waits for this one to leave.
    inside.fetch_add(1, std::memory_order_seq_cst);
    seen = generation.load(std::memory_order_seq_cst);
    runTasks(jobs[seen % 2]);
    if (inside.fetch_sub(1, std::memory_order_seq_cst) == 1)
      wake(left);
  }
}

void Pool::runTasks(Job &job) {
  for (int64_t index = job.next.fetch_add(1, std::memory_order_relaxed);
       index < job.tasks;
       index = job.next.fetch_add(1, std::memory_order_relaxed)) {
    job.task(job.context, index);
    if (job.completed.fetch_add(1, std::memory_order_seq_cst) + 1 ==
        job.tasks)
      wake(finished);
  }
}

void Pool::run(int64_t jobTasks, void (*jobTask)(void *, int64_t),
               void *jobContext) {
  // A worker late for the last job may still be in it, or in the one
  // before in the slot this job takes.
  waitFor(left, [&] { return inside.load(std::memory_order_seq_cst) == 0; });
  uint64_t next = generation.load(std::memory_order_relaxed) + 1;
  Job &job = jobs[next % 2];
  job.task = jobTask;
  job.context = jobContext;
  job.tasks = jobTasks;
  job.next.store(0, std::memory_order_relaxed);
  job.completed.store(0, std::memory_order_relaxed);
  generation.store(next, std::memory_order_seq_cst);
  wake(posted);
  runTasks(job);
  waitFor(finished, [&] {
    return job.completed.load(std::memory_order_seq_cst) == jobTasks;
  });
}

void Pool::stopWorkers() {
  int count = workerCount.load();
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping.store(true, std::memory_order_seq_cst);
    posted.notify_all();
  }
  for (int i = 0; i < count; ++i)
    pthread_join(threads[i], nullptr);
  stopping.store(false, std::memory_order_seq_cst);
  workerCount.store(0, std::memory_order_release);
}

bool Pool::resize(int count) {
  stopWorkers();
  startGeneration = generation.load();
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
