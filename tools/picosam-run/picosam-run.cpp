//===- picosam-run.cpp - reference interpreter for pico IR ----------------===//
//
// Runs a function of pico IR from any pipeline stage on .npy inputs, writes
// its results as .npy, and can dump every named tensor (.npz) and compare
// them with a reference dump. See picosam/Interpreter/Interpreter.h for how
// tensors are named.
//
//===----------------------------------------------------------------------===//
#include "picosam/Analysis/ReadMemoryPlan.h"
#include "picosam/Conversion/MaterializeArena.h"
#include "picosam/InitAllDialects.h"
#include "picosam/Interpreter/Diagnostics.h"
#include "picosam/Interpreter/Compare.h"
#include "picosam/Interpreter/Interpreter.h"
#include "picosam/Support/Npy.h"
#include "picosam/Support/ToolSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace picosam;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("picosam-run options");

static cl::opt<std::string> irFile(cl::Positional, cl::Required,
                                   cl::desc("<pico IR file>"),
                                   cl::cat(runCategory));
static cl::list<std::string>
    inputFiles("i",
               cl::desc("An input .npy: one per argument of the function, in "
                        "order, or name=file.npy for the argument of that "
                        "name (its location name, or arg<i>)"),
               cl::value_desc("[name=]file.npy"), cl::cat(runCategory));
static cl::list<std::string>
    outputFiles("o",
                cl::desc("An output .npy: none, or one per result of the "
                         "function, in order"),
                cl::value_desc("file.npy"), cl::cat(runCategory));
static cl::opt<std::string>
    entry("entry", cl::desc("The function to run (default: main)"),
          cl::value_desc("name"), cl::init("main"), cl::cat(runCategory));
static cl::opt<std::string>
    dumpFile("dump",
             cl::desc("Write every named tensor (the arguments and each op "
                      "result but constants; quantized ones dequantized) to "
                      "this .npz"),
             cl::value_desc("file.npz"), cl::cat(runCategory));
static cl::opt<std::string> compareFile(
    "compare",
    cl::desc("Compare every named tensor with the tensor of the same name in "
             "this .npz and print max abs error, cosine similarity and SQNR "
             "per tensor"),
    cl::value_desc("file.npz"), cl::cat(runCategory));
static cl::opt<uint64_t> maxConstantBytes(
    "max-constant-bytes",
    cl::desc("The most bytes one constant of the IR may hold (default 1 GiB)"),
    cl::value_desc("bytes"), cl::init(picosam::kDefaultMaxConstantBytes),
    cl::cat(runCategory));
static cl::opt<uint64_t> maxNpzBytes(
    "max-npz-bytes",
    cl::desc("The most bytes --compare's .npz may hold inflated, all its "
             "tensors together (default 1 GiB)"),
    cl::value_desc("bytes"), cl::init(picosam::kDefaultMaxNpzBytes),
    cl::cat(runCategory));
static cl::opt<double> minSqnr("min-sqnr",
                               cl::desc("With --compare: fail when a tensor's "
                                        "SQNR is below this"),
                               cl::value_desc("dB"), cl::cat(runCategory));
static cl::opt<double>
    maxAbsError("max-abs-error",
                cl::desc("With --compare: fail when a tensor's max abs error "
                         "is above this"),
                cl::value_desc("value"), cl::cat(runCategory));
static cl::opt<double>
    minCosine("min-cosine",
              cl::desc("With --compare: fail when a tensor's cosine "
                       "similarity is below this"),
              cl::value_desc("value"), cl::cat(runCategory));
static cl::opt<bool> planned(
    "planned",
    cl::desc("Run as the function's memory plan (--pico-plan-memory) lays "
             "it out: materialised over one arena (--pico-materialize-arena; "
             "a function materialised already runs as it is), every "
             "activation at its planned offset, tiled blocks row by row "
             "through their rings, so a wrong plan changes the results"),
    cl::cat(runCategory));
static cl::opt<int64_t> rowBands(
    "row-bands",
    cl::desc("With --planned: tiled blocks in this many bands of rows, each "
             "through its own rings (--pico-materialize-arena's row-bands; "
             "the bands run one after the other)"),
    cl::init(1), cl::cat(runCategory));
static cl::opt<bool> batch(
    "batch",
    cl::desc("Each input stacks N samples along its first axis (N times the "
             "argument's first dimension): run the function N times and stack "
             "the results, and the dumped tensors, the same way"),
    cl::cat(runCategory));

namespace {
int fail(const llvm::Twine &message) {
  return reportFailure(message, "picosam-run");
}

int fail(llvm::Error error) { return reportFailure(std::move(error), "picosam-run"); }

/// The input file of each argument, from the -i options.
llvm::Expected<std::vector<std::string>>
assignInputs(const Interpreter &interpreter) {
  llvm::ArrayRef<BlockArgument> arguments = interpreter.inputs();
  unsigned count = arguments.size();
  std::vector<std::string> files(count);
  llvm::StringMap<unsigned> argumentIndex;
  for (unsigned i = 0; i < count; ++i)
    argumentIndex[interpreter.getName(arguments[i])] = i;
  unsigned nextPositional = 0;
  for (llvm::StringRef option : inputFiles) {
    auto [name, file] = option.split('=');
    auto named = argumentIndex.find(name);
    unsigned index;
    if (!file.empty() && named != argumentIndex.end()) {
      index = named->second;
    } else {
      file = option;
      while (nextPositional < count && !files[nextPositional].empty())
        ++nextPositional;
      index = nextPositional;
    }
    if (index >= count)
      return llvm::createStringError(llvm::formatv(
          "@{0} takes {1} arguments, more inputs were given", entry, count));
    if (!files[index].empty())
      return llvm::createStringError(llvm::formatv(
          "argument #{0} ('{1}') is given twice: {2} and {3}", index,
          interpreter.getName(arguments[index]), files[index], file));
    files[index] = file.str();
  }
  for (unsigned i = 0; i < count; ++i)
    if (files[i].empty())
      return llvm::createStringError(llvm::formatv(
          "@{0} takes {1} arguments, {2} inputs were given: no input for "
          "argument #{3} ('{4}')",
          entry, count, inputFiles.size(), i,
          interpreter.getName(arguments[i])));
  return files;
}

/// How many samples `--batch` inputs stack: each input's first axis is N
/// times its argument's, and the other axes are the argument's.
llvm::Expected<int64_t> batchCount(const Interpreter &interpreter,
                                   llvm::ArrayRef<Tensor> inputs,
                                   llvm::ArrayRef<std::string> files) {
  llvm::ArrayRef<BlockArgument> arguments = interpreter.inputs();
  std::optional<int64_t> count;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    auto type = cast<RankedTensorType>(arguments[index].getType());
    ArrayRef<int64_t> shape = type.getShape();
    if (shape.empty() || shape[0] == 0 || input.rank() != type.getRank() ||
        input.shape()[0] == 0 ||
        input.shape().drop_front() != shape.drop_front() ||
        input.shape()[0] % shape[0] != 0)
      return llvm::createStringError(llvm::formatv(
          "{0}: a {1} array does not stack samples of argument #{2} ('{3}', "
          "{4}) along its first axis",
          files[index], formatShape(input.shape()), index,
          interpreter.getName(arguments[index]), type));
    int64_t samples = input.shape()[0] / shape[0];
    if (count && *count != samples)
      return llvm::createStringError(
          llvm::formatv("{0} stacks {1} samples, {2} stacks {3}", files[0],
                        *count, files[index], samples));
    count = samples;
  }
  if (!count)
    return llvm::createStringError("--batch needs at least one input");
  return *count;
}

/// Appends the tensors of run `sample` of `samples` to the stacked ones:
/// the first run allocates them N times as tall along axis 0 (a rank-0
/// tensor becomes a vector of N).
void stackSample(std::vector<Tensor> &stacked, llvm::ArrayRef<Tensor> sample,
                 int64_t index, int64_t samples) {
  for (auto [position, tensor] : llvm::enumerate(sample)) {
    Tensor rows = tensor.rank() == 0 ? tensor.reshaped({1}) : tensor;
    if (index == 0) {
      llvm::SmallVector<int64_t, 4> shape(rows.shape());
      shape[0] *= samples;
      stacked.emplace_back(rows.kind(), shape);
    }
    stacked[position].writeSlice(index * rows.shape()[0], rows);
  }
}

/// Progress of a batch on stderr: rewritten in place on a terminal, else a
/// line every tenth of the batch.
void reportProgress(int64_t done, int64_t total) {
  if (total < 2)
    return;
  llvm::raw_ostream &os = llvm::errs();
  if (os.is_displayed()) {
    os << "\r[" << done << "/" << total << "]";
    if (done == total)
      os << "\n";
  } else if (done == total || done % std::max<int64_t>(total / 10, 1) == 0) {
    os << "[" << done << "/" << total << "]\n";
  }
  os.flush();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(runCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "picosam-run: the reference interpreter for pico IR\n\n"
      "Runs a function (default @main) of pico IR from any pipeline stage on\n"
      ".npy inputs and writes its results as .npy. --dump writes every named\n"
      "tensor to an .npz, --compare compares them with a reference .npz.\n"
      "A tensor is named by its op's location (NameLoc name; FusedLoc names\n"
      "joined with '+'; ':<i>' for result i of a multi-result op), an\n"
      "unnamed op's result is '<op name>#<k>' (the k-th op of that name), an\n"
      "argument is named by its location or 'arg<i>'. The exit code is 1 on\n"
      "any error and when a --compare threshold is violated.\n");

  ComparisonThresholds thresholds;
  if (minSqnr.getNumOccurrences())
    thresholds.minSqnrDb = minSqnr;
  if (maxAbsError.getNumOccurrences())
    thresholds.maxAbsError = maxAbsError;
  if (minCosine.getNumOccurrences())
    thresholds.minCosine = minCosine;
  if (thresholds.any() && compareFile.empty())
    return fail("--min-sqnr, --max-abs-error and --min-cosine need --compare");

  DialectRegistry registry;
  picosam::registerAllPicosamDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  ToolDiagnosticHandler diagnostics(sourceMgr, &context);
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(irFile);
  if (!buffer)
    return fail(irFile + ": " + buffer.getError().message());
  if (llvm::Error error = picosam::checkMlirNesting(**buffer))
    return fail(std::move(error));
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail(irFile + ": could not parse or verify the IR");
  if (failed(picosam::checkConstantSizes(*module, maxConstantBytes)))
    return 1;
  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return fail(irFile + ": no function @" + entry);
  if (planned && !func.isExternal() && !isMaterialized(func) &&
      failed(materializeArena(func, rowBands)))
    return 1;
  FailureOr<Interpreter> interpreter = Interpreter::create(func);
  if (failed(interpreter))
    return 1;

  auto argumentFiles = assignInputs(*interpreter);
  if (!argumentFiles)
    return fail(argumentFiles.takeError());
  ToolFiles files;
  files.addInput("the input", irFile);
  for (const std::string &file : *argumentFiles)
    files.addInput("-i", file);
  files.addInput("--compare", compareFile);
  for (const std::string &file : outputFiles)
    files.addOutput("-o", file);
  files.addOutput("--dump", dumpFile);
  if (llvm::Error error = files.check())
    return fail(std::move(error));
  if (!outputFiles.empty() && outputFiles.size() != func.getNumResults())
    return fail(llvm::formatv("@{0} returns {1} results, {2} output files "
                              "were given",
                              entry, func.getNumResults(), outputFiles.size()));
  std::vector<Tensor> inputs;
  for (const std::string &file : *argumentFiles) {
    llvm::Expected<Tensor> input = readNpy(file);
    if (!input)
      return fail(input.takeError());
    inputs.push_back(std::move(*input));
  }
  int64_t samples = 1;
  if (batch) {
    llvm::Expected<int64_t> count = batchCount(*interpreter, inputs, *argumentFiles);
    if (!count)
      return fail(count.takeError());
    samples = *count;
  }
  for (auto [index, input] : llvm::enumerate(inputs)) {
    Tensor sample = batch ? input.slice(0, input.shape()[0] / samples) : input;
    if (llvm::Error error = interpreter->checkArgument(index, sample))
      return fail((*argumentFiles)[index] + ": " + llvm::toString(std::move(error)));
  }
  NamedTensors reference;
  if (!compareFile.empty()) {
    llvm::Expected<NamedTensors> loaded = readNpz(compareFile, maxNpzBytes);
    if (!loaded)
      return fail(loaded.takeError());
    reference = std::move(*loaded);
  }

  // Without --batch the results and the record are kept as they are; with
  // it, each sample's are stacked.
  bool recording = !dumpFile.empty() || !compareFile.empty();
  std::vector<Tensor> outputs, recorded;
  NamedTensors named;
  for (int64_t index = 0; index < samples; ++index) {
    std::vector<Tensor> sampleInputs;
    for (const Tensor &input : inputs) {
      int64_t rows = input.shape()[0] / samples;
      sampleInputs.push_back(batch ? input.slice(index * rows, rows) : input);
    }
    NamedTensors record;
    NamedTensors *recordIfAny = recording ? &record : nullptr;
    FailureOr<std::vector<Tensor>> results =
        interpreter->run(sampleInputs, recordIfAny);
    if (failed(results))
      return fail(llvm::formatv(
          "running @{0} failed{1}", entry,
          batch ? llvm::formatv(" on sample {0}", index).str() : ""));
    if (!batch) {
      outputs = std::move(*results);
      named = std::move(record);
      break;
    }
    stackSample(outputs, *results, index, samples);
    std::vector<Tensor> recordTensors;
    for (NamedTensor &value : record) {
      if (index == 0)
        named.push_back({value.name, Tensor()});
      recordTensors.push_back(std::move(value.tensor));
    }
    stackSample(recorded, recordTensors, index, samples);
    reportProgress(index + 1, samples);
  }
  // (Without --batch, `recorded` is empty and `named` complete already.)
  for (auto [value, tensor] : llvm::zip(named, recorded))
    value.tensor = std::move(tensor);

  // No -o at all is allowed: then nothing is written. The files replace
  // their targets only once all of them are written.
  OutputFiles written;
  for (auto [file, output] : llvm::zip(outputFiles, outputs))
    if (llvm::Error error = written.write(file, [&](llvm::raw_ostream &os) {
          printNpy(output, os);
          return llvm::Error::success();
        }))
      return fail(std::move(error));
  if (!dumpFile.empty())
    if (llvm::Error error = written.write(dumpFile, [&](llvm::raw_ostream &os) {
          return printNpz(named, os);
        }))
      return fail(std::move(error));
  if (llvm::Error error = written.commit())
    return fail(std::move(error));
  if (!compareFile.empty()) {
    ComparisonReport report = compareNamedTensors(named, reference);
    // A comparison that compares nothing proves nothing.
    if (report.compared.empty()) {
      printComparison(report, thresholds, llvm::outs());
      return fail(llvm::formatv("no tensor of this run is named in '{0}': "
                                "nothing was compared",
                                compareFile.getValue()));
    }
    if (unsigned violations = printComparison(report, thresholds, llvm::outs()))
      return fail(llvm::formatv("{0} of {1} compared tensors fail the "
                                "thresholds",
                                violations, report.compared.size()));
  }
  return 0;
}
