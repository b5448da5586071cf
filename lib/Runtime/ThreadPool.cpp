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
// On a machine whose cores other processes keep busy, workers share cores
// with them or with the caller: they take few of the tasks, and their
// spinning takes the time the caller would compute in. The caller notices
// (its workers ran under a quarter of their share of the tasks of the last
// loops, or it waited long for one of their tasks) and runs loops alone for
// a while; the workers then sleep, and 2 threads cost about what 1 does.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/ThreadPool.h"
#include "picosam/Runtime/Threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
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

/// When the workers do not keep up: they ran less than 1/kFewTasks of
/// their share of the tasks of the last kWindowTasks (the caller's share
/// when they sleep or wait for a core), or the caller waited more than
/// kStall for them (a worker was descheduled while it held a task: no task
/// or hand-over takes near as long). Loops then run on the caller alone,
/// first for kMinAlone, for twice the last time when the workers did not
/// keep up again within kRecall times it, at most kMaxAlone.
using Clock = std::chrono::steady_clock;
constexpr int64_t kWindowTasks = 1024;
constexpr int64_t kFewTasks = 4;
constexpr Clock::duration kStall = std::chrono::microseconds(500);
constexpr Clock::duration kMinAlone = std::chrono::milliseconds(10);
constexpr Clock::duration kMaxAlone = std::chrono::seconds(1);
constexpr int kRecall = 4;

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
  /// Whether loops run on the caller alone now (goAlone).
  bool alone() const;
  bool resize(int count);
  void run(int64_t tasks, void (*task)(void *, int64_t), void *context);

private:
  static void *workerMain(void *pool);
  void work();
  /// Runs tasks of `job` until none is left; how many.
  int64_t runTasks(Job &job);
  /// Runs loops on the caller alone for a while (the workers do not keep
  /// up).
  void goAlone(Clock::time_point now);
  void stopWorkers();
  /// Waits until `ready()`: spins, then sleeps on `condition` (woken by
  /// wake(condition) after whatever makes `ready()` true).
  template <typename Ready>
  void waitFor(std::condition_variable &condition, const Ready &ready);
  /// Blocks on `condition` until `ready()`.
  template <typename Ready>
  void sleepUntil(std::condition_variable &condition, const Ready &ready);
  /// waitFor for the caller of run, which goes alone after a long wait.
  template <typename Ready>
  void waitForWorkers(std::condition_variable &condition, const Ready &ready);
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

  // The end of the time loops run alone (Clock ticks since its epoch, 0
  // for none); the rest is the holder of `use`'s: when the workers last
  // fell behind and the time alone it gave, the tasks of the current
  // window and how many of them the caller ran.
  std::atomic<Clock::rep> aloneUntil{0};
  Clock::time_point lastBehind;
  Clock::duration lastAlone{0};
  int64_t windowTasks = 0, windowCallerTasks = 0;
};

bool Pool::alone() const {
  Clock::rep until = aloneUntil.load(std::memory_order_relaxed);
  return until != 0 && Clock::now().time_since_epoch().count() < until;
}

template <typename Ready>
void Pool::waitFor(std::condition_variable &condition, const Ready &ready) {
  if (!spinUntil(ready))
    sleepUntil(condition, ready);
}

template <typename Ready>
void Pool::waitForWorkers(std::condition_variable &condition,
                          const Ready &ready) {
  if (spinUntil(ready))
    return;
  Clock::time_point start = Clock::now();
  sleepUntil(condition, ready);
  Clock::time_point end = Clock::now();
  if (end - start > kStall)
    goAlone(end);
}

void Pool::goAlone(Clock::time_point now) {
  lastAlone = now - lastBehind < kRecall * lastAlone
                  ? std::min<Clock::duration>(2 * lastAlone, kMaxAlone)
                  : kMinAlone;
  lastBehind = now;
  aloneUntil.store((now + lastAlone).time_since_epoch().count(),
                   std::memory_order_relaxed);
  windowTasks = windowCallerTasks = 0;
}

template <typename Ready>
void Pool::sleepUntil(std::condition_variable &condition, const Ready &ready) {
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

int64_t Pool::runTasks(Job &job) {
  int64_t ran = 0;
  for (int64_t index = job.next.fetch_add(1, std::memory_order_relaxed);
       index < job.tasks;
       index = job.next.fetch_add(1, std::memory_order_relaxed)) {
    job.task(job.context, index);
    ++ran;
    if (job.completed.fetch_add(1, std::memory_order_seq_cst) + 1 ==
        job.tasks)
      wake(finished);
  }
  return ran;
}

void Pool::run(int64_t jobTasks, void (*jobTask)(void *, int64_t),
               void *jobContext) {
  // A worker late for the last job may still be in it, or in the one
  // before in the slot this job takes.
  waitForWorkers(left,
                 [&] { return inside.load(std::memory_order_seq_cst) == 0; });
  uint64_t next = generation.load(std::memory_order_relaxed) + 1;
  Job &job = jobs[next % 2];
  job.task = jobTask;
  job.context = jobContext;
  job.tasks = jobTasks;
  job.next.store(0, std::memory_order_relaxed);
  job.completed.store(0, std::memory_order_relaxed);
  generation.store(next, std::memory_order_seq_cst);
  wake(posted);
  int64_t ran = runTasks(job);
  waitForWorkers(finished, [&] {
    return job.completed.load(std::memory_order_seq_cst) == jobTasks;
  });
  // The workers' share of n tasks is n * workers / (workers + 1).
  windowTasks += jobTasks;
  windowCallerTasks += ran;
  if (windowTasks >= kWindowTasks) {
    int64_t workerTasks = windowTasks - windowCallerTasks;
    int64_t threads = workers() + 1;
    if (workerTasks * kFewTasks * threads < windowTasks * (threads - 1))
      goAlone(Clock::now());
    windowTasks = windowCallerTasks = 0;
  }
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
  aloneUntil.store(0, std::memory_order_relaxed);
  lastAlone = Clock::duration(0);
  windowTasks = windowCallerTasks = 0;
  return true;
}

/// The pool, created by the first picosam_cpu_set_threads and kept for the
/// process's life (its workers block or exit with it).
std::atomic<Pool *> thePool{nullptr};

/// Whether this thread runs a band of picosam_cpu_run_bands: its loops then
/// run on it alone (the band is one thread's share; the caller's thread
/// also holds the pool's `use` then, which it must not lock again).
thread_local bool inBand = false;

} // namespace

void picosam::runtime::parallelFor(int64_t tasks,
                                   void (*task)(void *context, int64_t index),
                                   void *context) {
  Pool *pool = thePool.load(std::memory_order_acquire);
  if (pool && tasks > 1 && !inBand && pool->workers() > 0 && !pool->alone() &&
      pool->use.try_lock()) {
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
  if (inBand)
    return 1;
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

extern "C" void picosam_cpu_run_bands(int64_t bands,
                                      void (*body)(void *context, int64_t band),
                                      void *context) {
  auto runBand = [&](int64_t band) {
    bool outer = inBand;
    inBand = true;
    body(context, band);
    inBand = outer;
  };
  picosam::runtime::parallelFor(bands, runBand);
}
