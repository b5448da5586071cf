//===- picosam-cpu-emit.cpp - the CPU backend's back half, for tests ------===//
//
// Takes a module in upstream dialects (or already in the LLVM dialect) and
// writes what the CPU backend makes of it: the LLVM dialect, LLVM IR,
// assembly, an object, a static library with the runtime, or an executable,
// and optionally the entry function's C header. It calls the same API as the
// driver will (include/picosam/Target/CPU), one phase at a time, so
// --mlir-timing shows where the time goes.
//
//===----------------------------------------------------------------------===//
#include "picosam/InitAllDialects.h"
#include "picosam/Target/CPU/CHeader.h"
#include "picosam/Target/CPU/CodeGen.h"
#include "picosam/Target/CPU/Link.h"
#include "picosam/Target/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;
using namespace picosam;

namespace {

enum class Emit { LLVMDialect, LLVMIR, Assembly, Object, Library, Executable };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input .mlir>"),
                               cl::init("-"));
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("path"), cl::init("-"));
cl::opt<Emit> emit(
    "emit", cl::desc("What to write"), cl::init(Emit::Object),
    cl::values(
        clEnumValN(Emit::LLVMDialect, "llvm-dialect", "The LLVM dialect"),
        clEnumValN(Emit::LLVMIR, "llvm-ir", "Optimised LLVM IR"),
        clEnumValN(Emit::Assembly, "asm", "Assembly"),
        clEnumValN(Emit::Object, "obj", "An object file"),
        clEnumValN(Emit::Library, "lib",
                   "A static library: the object and the runtime"),
        clEnumValN(Emit::Executable, "exe",
                   "An executable: the object, the runtime and --link-input")));
cl::opt<bool> lower("lower",
                    cl::desc("Run --pico-cpu-lower-to-llvm first (the input "
                             "is in upstream dialects)"));
cl::opt<std::string> cpu("cpu", cl::desc("host, x86-64, x86-64-v2, "
                                         "x86-64-v3, x86-64-v4 or an LLVM "
                                         "CPU name"),
                         cl::init("host"));
cl::opt<std::string> cpuFeatures("cpu-features",
                                 cl::desc("Extra features: +a,-b"));
cl::opt<std::string> triple("triple", cl::desc("Target triple (default: "
                                               "the host's)"));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimisation level"),
                           cl::init(3), cl::Prefix);
cl::opt<bool> noFeatureGuard("no-feature-guard",
                             cl::desc("Omit the start-up CPU feature check"));
cl::list<std::string> runtimeArchives(
    "runtime-archive",
    cl::desc("Archive bundled into the library, or linked into the "
             "executable, after the runtime (../lib/libPicoCpuRuntime.a from "
             "this tool)"));
cl::list<std::string> linkInputs(
    "link-input", cl::desc("Object, archive or C source linked into the "
                           "executable before the generated object"));
cl::opt<std::string> headerFile("header",
                                cl::desc("Also write the entry's C header"));
cl::opt<std::string> entryName("entry", cl::desc("The entry function"));
cl::list<std::string> entryArguments(
    "entry-args", cl::CommaSeparated,
    cl::desc("Each entry argument as role:name, role input, output or arena"));
cl::opt<int64_t> arenaAlignment("arena-alignment",
                                cl::desc("The arena's alignment in bytes"),
                                cl::init(16));

int fail(const Twine &message) {
  errs() << "picosam-cpu-emit: error: " << message << "\n";
  return 1;
}

int fail(Error error) {
  std::string message = toString(std::move(error));
  return fail(message);
}

Error writeHeader(mlir::ModuleOp module, StringRef target) {
  auto entry = module.lookupSymbol<mlir::func::FuncOp>(entryName);
  if (!entry)
    return createStringError(inconvertibleErrorCode(),
                             "no func.func '" + entryName + "' (--entry)");
  CHeaderOptions options;
  options.arenaAlignment = arenaAlignment;
  options.target = target.str();
  options.source = sys::path::filename(inputFile).str();
  for (StringRef argument : entryArguments) {
    auto [role, name] = argument.split(':');
    EntryArgument described;
    described.name = name.str();
    if (role == "input")
      described.role = EntryArgumentRole::Input;
    else if (role == "output")
      described.role = EntryArgumentRole::Output;
    else if (role == "arena")
      described.role = EntryArgumentRole::Arena;
    else
      return createStringError(inconvertibleErrorCode(),
                               "--entry-args: '" + argument +
                                   "' is not input:, output: or arena:NAME");
    options.arguments.push_back(std::move(described));
  }
  std::string message;
  std::unique_ptr<ToolOutputFile> out =
      mlir::openOutputFile(headerFile, &message);
  if (!out)
    return createStringError(inconvertibleErrorCode(), message);
  if (Error error = writeCHeader(entry, options, out->os()))
    return error;
  out->keep();
  return Error::success();
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv,
                              "picosam CPU backend: LLVM dialect to code\n");
  // A library or an executable is written by name, the rest to a stream.
  bool packaged = emit == Emit::Library || emit == Emit::Executable;
  if (packaged && outputFile == "-")
    return fail("--emit=lib and --emit=exe need -o");

  mlir::DefaultTimingManager timing;
  mlir::applyDefaultTimingManagerCLOptions(timing);
  mlir::TimingScope root = timing.getRootScope();

  mlir::DialectRegistry registry;
  registerAllPicosamDialects(registry);
  mlir::MLIRContext context(registry);

  mlir::TimingScope parseTimer = root.nest("parse");
  std::string message;
  std::unique_ptr<MemoryBuffer> input =
      mlir::openInputFile(inputFile, &message);
  if (!input)
    return fail(message);
  SourceMgr sources;
  sources.AddNewSourceBuffer(std::move(input), SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sources, &context);
  if (!module)
    return 1;
  parseTimer.stop();

  CpuTargetOptions target;
  target.cpu = cpu;
  target.features = cpuFeatures;
  target.triple = triple;
  target.optLevel = optLevel;
  target.featureGuard = !noFeatureGuard;
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCpuTargetMachine(target);
  if (!machine)
    return fail(machine.takeError());

  // The header describes the entry as the caller sees it: before lowering.
  if (!headerFile.empty())
    if (Error error =
            writeHeader(*module, describeCpuTarget(**machine, target)))
      return fail(std::move(error));

  if (lower) {
    mlir::PassManager pm(&context);
    mlir::TimingScope lowerTimer = root.nest("lower to the LLVM dialect");
    pm.enableTiming(lowerTimer);
    pm.addPass(createCpuLowerToLLVM());
    if (mlir::failed(pm.run(*module)))
      return 1;
  }

  std::unique_ptr<ToolOutputFile> out;
  if (!packaged) {
    out = mlir::openOutputFile(outputFile, &message);
    if (!out)
      return fail(message);
  }
  if (emit == Emit::LLVMDialect) {
    module->print(out->os());
    out->keep();
    return 0;
  }

  mlir::TimingScope translateTimer = root.nest("translate to LLVM IR");
  LLVMContext llvmContext;
  Expected<std::unique_ptr<Module>> llvmModule =
      translateToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    return fail(llvmModule.takeError());
  translateTimer.stop();

  mlir::TimingScope optimizeTimer = root.nest("optimise (LLVM -O pipeline)");
  optimizeForCpu(**llvmModule, **machine, target);
  optimizeTimer.stop();

  mlir::TimingScope codegenTimer = root.nest("generate machine code");
  if (!packaged) {
    if (Error error = emitMachineCode(
            **llvmModule, **machine,
            emit == Emit::LLVMIR     ? CpuOutputKind::LLVMIR
            : emit == Emit::Assembly ? CpuOutputKind::Assembly
                                     : CpuOutputKind::Object,
            out->os()))
      return fail(std::move(error));
    out->keep();
    return 0;
  }
  SmallString<0> object;
  raw_svector_ostream objectStream(object);
  if (Error error = emitMachineCode(**llvmModule, **machine,
                                    CpuOutputKind::Object, objectStream))
    return fail(std::move(error));
  codegenTimer.stop();

  std::vector<std::string> archives = defaultRuntimeArchives(
      sys::fs::getMainExecutable(argv[0], (void *)(intptr_t)&writeHeader));
  archives.insert(archives.end(), runtimeArchives.begin(),
                  runtimeArchives.end());

  if (emit == Emit::Library) {
    mlir::TimingScope archiveTimer = root.nest("write the static library");
    std::string member = sys::path::stem(outputFile).str() + ".o";
    if (Error error = writeStaticLibrary(outputFile, member, object, archives))
      return fail(std::move(error));
    return 0;
  }

  mlir::TimingScope linkTimer = root.nest("link the executable");
  SmallString<128> objectPath;
  int fd;
  if (std::error_code error =
          sys::fs::createTemporaryFile("picosam-cpu-emit", "o", fd, objectPath))
    return fail("cannot create a temporary object: " + error.message());
  FileRemover removeObject(objectPath);
  {
    raw_fd_ostream objectFile(fd, /*shouldClose=*/true);
    objectFile << object;
  }
  std::vector<std::string> inputs(linkInputs.begin(), linkInputs.end());
  inputs.push_back(std::string(objectPath));
  inputs.insert(inputs.end(), archives.begin(), archives.end());
  if (Error error = linkExecutable(outputFile, inputs))
    return fail(std::move(error));
  return 0;
}
