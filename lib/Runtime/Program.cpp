//===- Program.cpp - the compiled program's command line ------------------===//
//
// Two jobs (docs/cli.md): a box prompt on an image (crop, normalise, run,
// paste the mask back, draw an overlay) and a raw run of an .npy input. The
// network's buffers are allocated once, before the first run; with --bench
// the in-memory part of the job is repeated and timed; with --profile the
// kernel calls of a network compiled with --profile-kernels are timed per
// op.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Program.h"
#include "picosam/Runtime/Files.h"
#include "picosam/Runtime/Image.h"
#include "picosam/Runtime/Network.h"
#include "picosam/Runtime/NpyFormat.h"
#include "picosam/Runtime/Profile.h"
#include "picosam/Runtime/Prompt.h"
#include "picosam/Runtime/Threads.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace picosam::runtime;

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

namespace {
struct Options {
  // A box prompt on an image.
  std::string image, box, mask, overlay, logits, saveInput;
  // A raw run.
  std::string input, output;
  int64_t benchRuns = 0;
  // Each timed network run's milliseconds, one a line.
  std::string latencies;
  bool profile = false;
  int64_t threads = 1;
  bool help = false;
};
} // namespace

static constexpr int64_t kMaxBenchRuns = 1000000;

static void printUsage(const char *program, FILE *out) {
  std::fprintf(
      out,
      "usage: %s --image <png|jpeg> --box x0,y0,x1,y1 [--mask <png>]\n"
      "           [--overlay <png>] [--logits <npy>] [--save-input <npy>]"
      " [--bench <n>]\n"
      "           [--threads <n>]\n"
      "       %s --input <npy> --output <npy> [--bench <n>] [--threads <n>]\n"
      "       (either form also takes [--latencies <txt>] [--profile])\n"
      "\n"
      "Box prompt: crops the box from the image, resizes it to the network's\n"
      "input (as models/data.py does), normalises it, runs the network, and\n"
      "pastes the mask (logits resized bilinearly to the box, > 0) back at\n"
      "the image's size. The box is in pixels, x0,y0 its top-left corner and\n"
      "x1,y1 one past its bottom-right one: 0 <= x0 < x1 <= width,\n"
      "0 <= y0 < y1 <= height.\n"
      "  --mask <png>        the image-sized mask, 0 or 255\n"
      "  --overlay <png>     the image with the mask tinted and the box drawn\n"
      "  --logits <npy>      the network's raw float32 logits\n"
      "  --save-input <npy>  the normalised float32 network input\n"
      "Raw run: --input <npy> (float32, the network's input shape) gives\n"
      "--output <npy> (float32 logits).\n"
      "  --bench <n>         then repeat the job n times, and print the p50,\n"
      "                      p90 and p99 latencies of the network alone and\n"
      "                      of the whole job without file I/O (a raw run:\n"
      "                      of the network)\n"
      "  --latencies <txt>   with --bench: each run's network latency in\n"
      "                      milliseconds, one a line, in run order\n"
      "  --profile           time each op's kernel calls (a network compiled\n"
      "                      with picosam-compile --profile-kernels) over\n"
      "                      every network run, and print them per run:\n"
      "                      milliseconds, share, MACs, GMAC/s, calls, op\n"
      "  --threads <n>       run the network's convolutions on n threads (the\n"
      "                      program's and n - 1 workers started once; default\n"
      "                      1); the results do not depend on n\n"
      "Outputs are written only when the whole run succeeds. Exit code 0 on\n"
      "success, 1 on any error.\n",
      program, program);
}

/// Parses `text`, the value of `flag` (if given), as a number of `what`
/// from 1 to `max` into `value`.
static Status parseCount(const char *flag, const char *what,
                         const std::string &text, int64_t max,
                         int64_t &value) {
  if (text.empty())
    return Status::success();
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 ||
      value > max)
    return Status::failure(std::string(flag) + " needs a number of " + what +
                           " from 1 to " + std::to_string(max) + ", got '" +
                           text + "'");
  return Status::success();
}

/// Parses the command line into `options`.
static Status parseOptions(int argc, char **argv, Options &options) {
  struct Flag {
    const char *name;
    std::string *value;
  };
  std::string bench, threads;
  const Flag flags[] = {{"--image", &options.image},
                        {"--box", &options.box},
                        {"--mask", &options.mask},
                        {"--overlay", &options.overlay},
                        {"--logits", &options.logits},
                        {"--save-input", &options.saveInput},
                        {"--input", &options.input},
                        {"--output", &options.output},
                        {"--bench", &bench},
                        {"--latencies", &options.latencies},
                        {"--threads", &threads}};
  std::vector<std::string_view> seen;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (arg == "--profile") {
      options.profile = true;
      continue;
    }
    std::string_view name = arg.substr(0, arg.find('='));
    const Flag *flag = std::find_if(
        std::begin(flags), std::end(flags),
        [&](const Flag &candidate) { return name == candidate.name; });
    if (flag == std::end(flags))
      return Status::failure("unknown argument '" + std::string(arg) +
                             "' (--help lists the options)");
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      return Status::failure(std::string(name) + " is given twice");
    seen.push_back(name);
    if (name.size() < arg.size())
      *flag->value = arg.substr(name.size() + 1);
    else if (i + 1 < argc)
      *flag->value = argv[++i];
    else
      return Status::failure(std::string(name) + " needs a value");
    if (flag->value->empty())
      return Status::failure(std::string(name) + " needs a value");
  }
  if (Status status = parseCount("--bench", "runs", bench, kMaxBenchRuns,
                                 options.benchRuns);
      status.failed())
    return status;
  return parseCount("--threads", "threads", threads, PICOSAM_CPU_MAX_THREADS,
                    options.threads);
}

/// Checks that the options make one job, and that its outputs can be
/// written, before any work.
static Status checkOptions(const Options &options) {
  bool prompt = !options.image.empty() || !options.box.empty();
  bool raw = !options.input.empty() || !options.output.empty();
  std::vector<std::pair<const char *, const std::string *>> outputs;
  if (prompt == raw)
    return Status::failure(
        prompt ? "give either --image and --box or --input and --output"
               : "nothing to run: give --image and --box, or --input (--help "
                 "lists the options)");
  if (prompt) {
    if (options.image.empty() || options.box.empty())
      return Status::failure("a box prompt needs both --image and --box");
    outputs = {{"--mask", &options.mask},
               {"--overlay", &options.overlay},
               {"--logits", &options.logits},
               {"--save-input", &options.saveInput}};
  } else {
    if (options.input.empty())
      return Status::failure("--output needs --input");
    outputs = {{"--output", &options.output}};
    for (const std::string *promptOnly :
         {&options.mask, &options.overlay, &options.logits, &options.saveInput})
      if (!promptOnly->empty())
        return Status::failure("--mask, --overlay, --logits and --save-input "
                               "belong to a box prompt (--image, --box)");
  }
  std::vector<std::string> paths;
  for (auto [flag, path] : outputs) {
    if (path->empty())
      continue;
    if (std::find(paths.begin(), paths.end(), *path) != paths.end())
      return Status::failure("two outputs are the same file, " + *path);
    paths.push_back(*path);
    if (Status status = checkWritable(*path); status.failed())
      return status;
  }
  if (!options.latencies.empty()) {
    if (options.benchRuns == 0)
      return Status::failure("--latencies needs --bench");
    if (std::find(paths.begin(), paths.end(), options.latencies) != paths.end())
      return Status::failure("two outputs are the same file, " +
                             options.latencies);
    if (Status status = checkWritable(options.latencies); status.failed())
      return status;
  }
  if (paths.empty() && options.benchRuns == 0 && !options.profile)
    return Status::failure(
        prompt ? "nothing to write: give --mask, --overlay, --logits, "
                 "--save-input or --bench"
               : "nothing to write: give --output or --bench");
  return Status::success();
}

//===----------------------------------------------------------------------===//
// The linked network
//===----------------------------------------------------------------------===//

namespace {
struct FreeMemory {
  void operator()(void *memory) const { std::free(memory); }
};
using AlignedBuffer = std::unique_ptr<void, FreeMemory>;

/// The network the program is linked with (Network.h), and its input,
/// output and arena, allocated once.
class LinkedNetwork {
public:
  Status allocate();
  Status run() {
    ++runs_;
    int code = picosam_network_run(input(), logits(), arena_.get());
    if (code != 0)
      return Status::failure("the network failed (error code " +
                             std::to_string(code) + ")");
    return Status::success();
  }

  const std::vector<int64_t> &inputShape() const { return inputShape_; }
  const std::vector<int64_t> &outputShape() const { return outputShape_; }
  float *input() { return static_cast<float *>(input_.get()); }
  float *logits() { return static_cast<float *>(logits_.get()); }
  size_t inputCount() const { return inputCount_; }
  size_t outputCount() const { return outputCount_; }
  int64_t runs() const { return runs_; }

private:
  int64_t runs_ = 0;
  std::vector<int64_t> inputShape_, outputShape_;
  size_t inputCount_ = 0, outputCount_ = 0;
  AlignedBuffer input_, logits_, arena_;
};
} // namespace

/// `bytes` (at least one) aligned as the contract wants the arena.
static AlignedBuffer allocateAligned(size_t bytes) {
  size_t alignment = PICOSAM_NETWORK_ARENA_ALIGNMENT;
  size_t rounded =
      (std::max<size_t>(bytes, 1) + alignment - 1) / alignment * alignment;
  return AlignedBuffer(std::aligned_alloc(alignment, rounded));
}

/// The shape the contract reports, and its element count.
static Status readShape(const char *what, size_t rank, const int64_t *dims,
                        std::vector<int64_t> &shape, size_t &count) {
  shape.assign(dims, dims + rank);
  uint64_t elements = 1;
  for (int64_t dim : shape)
    if (dim < 1 || __builtin_mul_overflow(elements, uint64_t(dim), &elements) ||
        elements > (uint64_t(1) << 31))
      return Status::failure("the linked network reports an invalid " +
                             std::string(what) + " shape " +
                             formatShape(shape));
  count = elements;
  return Status::success();
}

Status LinkedNetwork::allocate() {
  if (Status status =
          readShape("input", picosam_network_input_rank(),
                    picosam_network_input_shape(), inputShape_, inputCount_);
      status.failed())
    return status;
  if (Status status =
          readShape("output", picosam_network_output_rank(),
                    picosam_network_output_shape(), outputShape_, outputCount_);
      status.failed())
    return status;
  size_t arenaBytes = picosam_network_arena_bytes();
  input_ = allocateAligned(inputCount_ * sizeof(float));
  logits_ = allocateAligned(outputCount_ * sizeof(float));
  arena_ = allocateAligned(arenaBytes);
  if (!input_ || !logits_ || !arena_)
    return Status::failure("cannot allocate the network's buffers (arena: " +
                           std::to_string(arenaBytes) + " bytes)");
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Benchmark
//===----------------------------------------------------------------------===//

namespace {
/// Latencies of `runs` repetitions of one step, in milliseconds.
class Latencies {
public:
  explicit Latencies(int64_t runs) : milliseconds_(runs) {}

  /// Times `step` once per run; stops at its first failure.
  template <typename Step> Status measure(Step step) {
    for (double &milliseconds : milliseconds_) {
      auto start = std::chrono::steady_clock::now();
      if (Status status = step(); status.failed())
        return status;
      std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      milliseconds = elapsed.count();
    }
    sorted_ = milliseconds_;
    std::sort(sorted_.begin(), sorted_.end());
    return Status::success();
  }

  /// The latencies in run order, one a line.
  std::string text() const {
    std::string lines;
    char line[32];
    for (double milliseconds : milliseconds_) {
      std::snprintf(line, sizeof(line), "%.6f\n", milliseconds);
      lines += line;
    }
    return lines;
  }

  /// The nearest-rank percentile `p` (0 < p <= 100).
  double percentile(double p) const {
    size_t rank = static_cast<size_t>(
        std::ceil(p / 100.0 * double(sorted_.size())));
    return sorted_[std::max<size_t>(rank, 1) - 1];
  }

  void print(const char *what) const {
    std::printf("  %-28s %9.3f %9.3f %9.3f\n", what, percentile(50),
                percentile(90), percentile(99));
  }

private:
  std::vector<double> milliseconds_, sorted_;
};
} // namespace

/// Times the network alone and, given a `jobName`, `job` (the whole job in
/// memory), `runs` times each, and prints their percentiles; writes the
/// network's latencies to `latenciesPath`, if given.
template <typename Job>
static Status benchmark(LinkedNetwork &network, int64_t runs,
                        const std::string &latenciesPath, const char *jobName,
                        Job job) {
  Latencies networkTimes(runs), jobTimes(runs);
  if (Status status = networkTimes.measure([&] { return network.run(); });
      status.failed())
    return status;
  if (jobName)
    if (Status status = jobTimes.measure(job); status.failed())
      return status;
  std::printf("bench: %lld runs%s, after one warm-up run\n"
              "  %-28s %9s %9s %9s\n",
              static_cast<long long>(runs), jobName ? " each" : "",
              "latency (ms)", "p50", "p90", "p99");
  networkTimes.print("network");
  if (jobName)
    jobTimes.print(jobName);
  if (latenciesPath.empty())
    return Status::success();
  OutputFiles outputs;
  if (Status status = outputs.add(latenciesPath, networkTimes.text());
      status.failed())
    return status;
  return outputs.commit();
}

/// The time of each op's kernel calls per network run (--profile).
static Status printProfile(const LinkedNetwork &network) {
  std::vector<KernelTime> profile = kernelProfile();
  if (profile.empty())
    return Status::failure("--profile: the linked network has no profiling "
                           "hooks (compile it with picosam-compile "
                           "--profile-kernels)");
  double runs = double(network.runs()), total = 0;
  int64_t macs = 0;
  for (const KernelTime &op : profile) {
    total += op.milliseconds / runs;
    macs += op.macs;
  }
  macs = static_cast<int64_t>(double(macs) / runs);
  std::printf("profile: %zu ops, per network run (mean of %lld runs)\n"
              "  %9s %6s %11s %7s %6s  %s\n",
              profile.size(), static_cast<long long>(network.runs()), "ms",
              "share", "MACs", "GMAC/s", "calls", "op");
  for (const KernelTime &op : profile) {
    double milliseconds = op.milliseconds / runs;
    std::printf("  %9.4f %5.1f%% %11lld %7.2f %6lld  %s\n", milliseconds,
                100.0 * milliseconds / total,
                static_cast<long long>(double(op.macs) / runs),
                double(op.macs) / runs / milliseconds * 1e-6,
                static_cast<long long>(double(op.calls) / runs),
                op.name.c_str());
  }
  std::printf("  %9.4f %5.1f%% %11lld %7.2f %6s  total of the kernel calls\n",
              total, 100.0, static_cast<long long>(macs),
              double(macs) / total * 1e-6, "");
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Jobs
//===----------------------------------------------------------------------===//

/// Writes the outputs of a box prompt the options ask for, all or nothing.
static Status writePromptOutputs(const Options &options, const PromptJob &job,
                                 const Image &image, LinkedNetwork &network) {
  OutputFiles outputs;
  auto addPng = [&](const std::string &path, const uint8_t *samples,
                    int channels) {
    std::string png;
    if (Status status =
            encodePng(samples, image.width, image.height, channels, png);
        status.failed())
      return Status::failure(path + ": " + status.message());
    return outputs.add(path, png);
  };
  auto addNpy = [&](const std::string &path, const std::vector<int64_t> &shape,
                    const float *values, size_t count) {
    return outputs.add(path,
                       npyBytes("<f4", shape, values, count * sizeof(float)));
  };
  if (!options.mask.empty())
    if (Status status = addPng(options.mask, job.mask().data(), 1);
        status.failed())
      return status;
  if (!options.overlay.empty())
    if (Status status = addPng(options.overlay, job.overlay().pixels.data(), 3);
        status.failed())
      return status;
  if (!options.logits.empty())
    if (Status status = addNpy(options.logits, network.outputShape(),
                               network.logits(), network.outputCount());
        status.failed())
      return status;
  if (!options.saveInput.empty())
    if (Status status = addNpy(options.saveInput, network.inputShape(),
                               network.input(), network.inputCount());
        status.failed())
      return status;
  return outputs.commit();
}

static Status runPrompt(const Options &options, LinkedNetwork &network) {
  const std::vector<int64_t> &in = network.inputShape();
  const std::vector<int64_t> &out = network.outputShape();
  if (in.size() != 4 || in[0] != 1 || in[1] != 3 || out.size() != 4 ||
      out[0] != 1 || out[1] != 1)
    return Status::failure(
        "a box prompt needs a network taking a 1x3xHxW image and giving "
        "1x1xHxW logits; the linked one takes " +
        formatShape(in) + " and gives " + formatShape(out) +
        " (run it with --input and --output)");
  Box box;
  if (Status status = parseBox(options.box, box); status.failed())
    return status;
  std::string bytes;
  Image image;
  if (Status status = readFile(options.image, bytes); status.failed())
    return status;
  if (Status status = decodeImage(bytes, image); status.failed())
    return Status::failure(options.image + ": " + status.message());
  if (Status status = checkBox(box, image.width, image.height); status.failed())
    return status;

  PromptJob job(image, box, in[2], in[3], out[2], out[3]);
  bool wantOverlay = !options.overlay.empty();
  auto runJob = [&] {
    job.prepareInput(network.input());
    if (Status status = network.run(); status.failed())
      return status;
    job.makeMask(network.logits());
    if (wantOverlay)
      job.drawOverlay();
    return Status::success();
  };
  if (Status status = runJob(); status.failed())
    return status;

  if (Status status = writePromptOutputs(options, job, image, network);
      status.failed())
    return status;

  int64_t masked = std::count(job.mask().begin(), job.mask().end(), 255);
  std::printf("mask: %lld of the box's %lld pixels (%.1f%%)\n",
              static_cast<long long>(masked),
              static_cast<long long>(box.width() * box.height()),
              100.0 * double(masked) / double(box.width() * box.height()));
  if (options.benchRuns == 0)
    return Status::success();
  return benchmark(
      network, options.benchRuns, options.latencies,
      wantOverlay ? "job (crop..mask, overlay)" : "job (crop..mask)", runJob);
}

static Status runRaw(const Options &options, LinkedNetwork &network) {
  std::vector<float> input;
  if (Status status =
          readFloat32Npy(options.input, network.inputShape(), input);
      status.failed())
    return status;
  std::copy(input.begin(), input.end(), network.input());
  auto runJob = [&] { return network.run(); };
  if (Status status = runJob(); status.failed())
    return status;
  if (!options.output.empty()) {
    OutputFiles outputs;
    if (Status status =
            outputs.add(options.output,
                        npyBytes("<f4", network.outputShape(), network.logits(),
                                 network.outputCount() * sizeof(float)));
        status.failed())
      return status;
    if (Status status = outputs.commit(); status.failed())
      return status;
  }
  if (options.benchRuns == 0)
    return Status::success();
  // The job is the network: timed once.
  return benchmark(network, options.benchRuns, options.latencies,
                   /*jobName=*/nullptr, runJob);
}

int picosam::runtime::runProgram(int argc, char **argv) {
  std::string program = argc > 0 ? argv[0] : "picosam3";
  program = program.substr(program.rfind('/') + 1);
  auto fail = [&](const Status &status) {
    std::fprintf(stderr, "%s: error: %s\n", program.c_str(),
                 status.message().c_str());
    return 1;
  };
  Options options;
  if (Status status = parseOptions(argc, argv, options); status.failed())
    return fail(status);
  LinkedNetwork network;
  if (Status status = network.allocate(); status.failed())
    return fail(status);
  if (options.help) {
    printUsage(program.c_str(), stdout);
    std::printf("\nThe linked network: input %s, output %s, arena %zu "
                "bytes.\n",
                formatShape(network.inputShape()).c_str(),
                formatShape(network.outputShape()).c_str(),
                picosam_network_arena_bytes());
    return 0;
  }
  if (Status status = checkOptions(options); status.failed())
    return fail(status);
  if (options.profile)
    enableKernelProfile();
  if (picosam_cpu_set_threads(static_cast<int>(options.threads)) != 0)
    return fail(Status::failure("cannot start " +
                                std::to_string(options.threads) + " threads"));
  Status status = options.input.empty() ? runPrompt(options, network)
                                        : runRaw(options, network);
  if (!status.failed() && options.profile)
    status = printProfile(network);
  return status.failed() ? fail(status) : 0;
}
