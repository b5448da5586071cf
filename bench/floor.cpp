//===- floor.cpp - the machine's compute floor for a network's MACs -------===//
//
// picosam-floor (docs/performance.md): the peak FP32 FMA and INT8
// dot-product rates of one core, measured with independent accumulator
// chains in registers (no memory traffic), and the least time a network of
// --macs multiply-accumulates could take at those rates. The widest
// instructions this CPU has are chosen at run time (CPUID through
// __builtin_cpu_supports): FP32 with AVX-512F, AVX2+FMA or SSE2 (mul+add);
// INT8 with AVX-512 VNNI vpdpbusd, AVX2 vpmaddubsw+vpmaddwd+vpaddd, or SSE2
// pmaddwd on 16-bit lanes. Each peak is the best of --trials short timed
// runs (a few milliseconds each), so a noisy neighbour sharing the core
// lowers it only if it interrupts every trial.
//
// Output, one `key value` per line (bench/bench.py reads it):
//   fp32_isa avx512f
//   fp32_gflops 116.2          (2 flops per FMA)
//   int8_isa avx512vnni-vpdpbusd
//   int8_gmacs 234.0
//   macs 330162496
//   fp32_floor_ms 5.683        (2 * macs / fp32_gflops)
//   int8_floor_ms 1.411        (macs / int8_gmacs)
//
//===----------------------------------------------------------------------===//
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Independent accumulators: enough to cover the FMA latency (4-5 cycles)
// times the two FMA ports of current cores.
constexpr int kChains = 12;

using Clock = std::chrono::steady_clock;

/// Seconds `body(iterations)` takes, the best of `trials`.
template <typename Body> double bestSeconds(Body body, int64_t iterations,
                                            int trials) {
  double best = 1e30;
  for (int trial = 0; trial < trials; ++trial) {
    auto start = Clock::now();
    body(iterations);
    std::chrono::duration<double> elapsed = Clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

// The kernels return a value derived from every accumulator, which the
// caller folds into a volatile sink, so none is optimised away.
volatile float floatSink;
volatile int32_t intSink;

__attribute__((target("avx512f"))) void fmaAvx512(int64_t iterations) {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_set1_ps(float(i));
  const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(1e-3f);
  for (int64_t n = 0; n < iterations; ++n)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  float lanes[16];
  _mm512_storeu_ps(lanes, sum);
  floatSink = lanes[0] + lanes[15];
}

__attribute__((target("avx2,fma"))) void fmaAvx2(int64_t iterations) {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm256_set1_ps(float(i));
  const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(1e-3f);
  for (int64_t n = 0; n < iterations; ++n)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  float lanes[8];
  __m256 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  _mm256_storeu_ps(lanes, sum);
  floatSink = lanes[0] + lanes[7];
}

void mulAddSse2(int64_t iterations) {
  __m128 acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm_set1_ps(float(i));
  const __m128 a = _mm_set1_ps(0.999f), b = _mm_set1_ps(1e-3f);
  for (int64_t n = 0; n < iterations; ++n)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm_add_ps(_mm_mul_ps(acc[i], a), b);
  float lanes[4];
  __m128 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm_add_ps(sum, acc[i]);
  _mm_storeu_ps(lanes, sum);
  floatSink = lanes[0] + lanes[3];
}

__attribute__((target("avx512f,avx512vnni"))) void dotVnni512(
    int64_t iterations) {
  __m512i acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_set1_epi32(i);
  const __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  for (int64_t n = 0; n < iterations; ++n)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
  __m512i sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_epi32(sum, acc[i]);
  int32_t lanes[16];
  _mm512_storeu_si512(lanes, sum);
  intSink = lanes[0] + lanes[15];
}

__attribute__((target("avx2"))) void dotAvx2(int64_t iterations) {
  __m256i acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm256_set1_epi32(i);
  const __m256i a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(-2),
                ones = _mm256_set1_epi16(1);
  for (int64_t n = 0; n < iterations; ++n)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm256_add_epi32(
          acc[i], _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), ones));
  int32_t lanes[8];
  __m256i sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm256_add_epi32(sum, acc[i]);
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(lanes), sum);
  intSink = lanes[0] + lanes[7];
}

void dotSse2(int64_t iterations) {
  __m128i acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm_set1_epi32(i);
  const __m128i a = _mm_set1_epi16(3), b = _mm_set1_epi16(-2);
  for (int64_t n = 0; n < iterations; ++n)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm_add_epi32(acc[i], _mm_madd_epi16(a, b));
  int32_t lanes[4];
  __m128i sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm_add_epi32(sum, acc[i]);
  _mm_storeu_si128(reinterpret_cast<__m128i *>(lanes), sum);
  intSink = lanes[0] + lanes[3];
}

struct Peak {
  const char *isa;
  double perSecond; // FLOP/s (FP32) or MAC/s (INT8)
};

/// Operations per iteration of one chain: FP32 flops (2 per FMA lane) or
/// INT8 MACs.
Peak measure(const char *isa, void (*kernel)(int64_t), double opsPerChainStep,
             int64_t iterations, int trials) {
  kernel(iterations / 10); // warm up: clocks, the upper vector halves
  double seconds = bestSeconds(kernel, iterations, trials);
  return {isa, opsPerChainStep * kChains * double(iterations) / seconds};
}

Peak fp32Peak(int64_t iterations, int trials) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return measure("avx512f-vfmadd", fmaAvx512, 2 * 16, iterations, trials);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return measure("avx2-vfmadd", fmaAvx2, 2 * 8, iterations, trials);
  return measure("sse2-mulps-addps", mulAddSse2, 2 * 4, iterations, trials);
}

Peak int8Peak(int64_t iterations, int trials) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512vnni") &&
      __builtin_cpu_supports("avx512f"))
    return measure("avx512vnni-vpdpbusd", dotVnni512, 64, iterations, trials);
  if (__builtin_cpu_supports("avx2"))
    return measure("avx2-vpmaddubsw-vpmaddwd", dotAvx2, 32, iterations,
                   trials);
  return measure("sse2-pmaddwd-int16", dotSse2, 8, iterations, trials);
}

void usage(FILE *out) {
  std::fprintf(out,
               "usage: picosam-floor [--macs N] [--iterations N] [--trials N]\n"
               "Measures one core's peak FP32 FMA and INT8 dot-product rates\n"
               "and prints the least time N multiply-accumulates take at "
               "each.\n"
               "  --macs N        the network's MACs (default 330162496, "
               "PicoSAM3)\n"
               "  --iterations N  loop iterations per trial (default "
               "1000000)\n"
               "  --trials N      timed trials, the best kept (default 200)\n");
}

bool parsePositive(const char *text, int64_t &value) {
  char *end = nullptr;
  long long parsed = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || parsed < 1)
    return false;
  value = parsed;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  int64_t macs = 330162496, iterations = 1000000, trials = 200;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    int64_t *target = arg == "--macs"         ? &macs
                      : arg == "--iterations" ? &iterations
                      : arg == "--trials"     ? &trials
                                              : nullptr;
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    }
    if (!target || i + 1 == argc || !parsePositive(argv[++i], *target)) {
      std::fprintf(stderr, "picosam-floor: error: bad argument '%s'\n",
                   arg.c_str());
      usage(stderr);
      return 1;
    }
  }
  Peak fp32 = fp32Peak(iterations, int(trials));
  Peak int8 = int8Peak(iterations, int(trials));
  std::printf("fp32_isa %s\n", fp32.isa);
  std::printf("fp32_gflops %.1f\n", fp32.perSecond / 1e9);
  std::printf("int8_isa %s\n", int8.isa);
  std::printf("int8_gmacs %.1f\n", int8.perSecond / 1e9);
  std::printf("macs %lld\n", static_cast<long long>(macs));
  std::printf("fp32_floor_ms %.3f\n", 2.0 * double(macs) / fp32.perSecond * 1e3);
  std::printf("int8_floor_ms %.3f\n", double(macs) / int8.perSecond * 1e3);
  return 0;
}
