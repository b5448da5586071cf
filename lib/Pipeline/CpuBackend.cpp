//===- CpuBackend.cpp - picosam-compile's CPU emission phase --------------===//
#include "picosam/Pipeline/CpuBackend.h"

#include "Pico/PicoDialect.h"
#include "picosam/Conversion/Passes.h"
#include "picosam/Target/CPU/CHeader.h"
#include "picosam/Target/CPU/Link.h"
#include "picosam/Target/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace picosam;

LogicalResult picosam::addNetworkInterface(func::FuncOp entry) {
  auto module = entry->getParentOfType<ModuleOp>();
  if (entry.getNumArguments() != 3)
    return entry.emitError("the program interface needs an entry taking one "
                           "input, one output and the arena");
  auto input = dyn_cast<MemRefType>(entry.getArgumentTypes()[0]);
  auto output = dyn_cast<MemRefType>(entry.getArgumentTypes()[1]);
  auto arena = dyn_cast<MemRefType>(entry.getArgumentTypes()[2]);
  if (!input || !output || !arena || !input.getElementType().isF32() ||
      !output.getElementType().isF32())
    return entry.emitError("the program interface needs f32 input and output "
                           "memrefs and an arena memref");
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  Location loc = entry.getLoc();
  Type index = builder.getIndexType();
  // A function returning `index` values: size_t and pointers in C.
  auto define = [&](StringRef name, TypeRange arguments, Type result) {
    OpBuilder::InsertionGuard guard(builder);
    auto func = func::FuncOp::create(builder, loc, name,
                                     builder.getFunctionType(arguments, result));
    builder.setInsertionPointToStart(func.addEntryBlock());
    return func;
  };
  auto returnIndex = [&](StringRef name, int64_t value) {
    func::FuncOp func = define(name, {}, index);
    OpBuilder body = OpBuilder::atBlockEnd(&func.front());
    func::ReturnOp::create(body, loc,
                           ValueRange{arith::ConstantIndexOp::create(body, loc, value)});
  };
  auto returnShape = [&](StringRef name, MemRefType type) {
    auto shapeType = MemRefType::get({type.getRank()}, builder.getI64Type());
    auto global = memref::GlobalOp::create(
        builder, loc, (name + "_dims").str(), builder.getStringAttr("private"),
        shapeType,
        DenseElementsAttr::get(
            RankedTensorType::get({type.getRank()}, builder.getI64Type()),
            type.getShape()),
        /*constant=*/true, /*alignment=*/nullptr);
    func::FuncOp func = define(name, {}, index);
    OpBuilder body = OpBuilder::atBlockEnd(&func.front());
    Value dims = memref::GetGlobalOp::create(body, loc, shapeType,
                                             global.getSymName());
    func::ReturnOp::create(
        body, loc,
        ValueRange{memref::ExtractAlignedPointerAsIndexOp::create(body, loc, dims)});
  };
  returnIndex("picosam_network_input_rank", input.getRank());
  returnShape("picosam_network_input_shape", input);
  returnIndex("picosam_network_output_rank", output.getRank());
  returnShape("picosam_network_output_shape", output);
  returnIndex("picosam_network_arena_bytes", arena.getNumElements());
  func::FuncOp run = define("picosam_network_run", entry.getArgumentTypes(),
                            builder.getI32Type());
  OpBuilder body = OpBuilder::atBlockEnd(&run.front());
  func::CallOp::create(body, loc, entry, run.getArguments());
  func::ReturnOp::create(
      body, loc, ValueRange{arith::ConstantIntOp::create(body, loc, 0, 32)});
  return success();
}

/// Writes `module` as an MLIR stage, with the locations that name its ops.
static llvm::Error writeStage(ModuleOp module, StringRef path,
                              OutputFiles &outputs) {
  return outputs.write(path, [&](llvm::raw_ostream &os) {
    module->print(os, OpPrintingFlags().enableDebugInfo());
    os << "\n";
    return llvm::Error::success();
  });
}

static llvm::Error runPasses(ModuleOp module, TimingScope &timing,
                             StringRef name,
                             function_ref<void(OpPassManager &)> build) {
  TimingScope scope = timing.nest(name);
  PassManager pm(module->getContext());
  pm.enableTiming(scope);
  build(pm);
  if (failed(pm.run(module)))
    return llvm::createStringError(name + " failed (see the errors above)");
  return llvm::Error::success();
}

/// The C header of `entry` (after the kernel-call lowering: input, output
/// and arena memrefs).
static llvm::Error writeHeader(func::FuncOp entry, const std::string &target,
                               const CpuBackendOptions &options,
                               StringRef path, OutputFiles &outputs) {
  CHeaderOptions header;
  header.arguments = {{"input", EntryArgumentRole::Input, "NCHW"},
                      {"logits", EntryArgumentRole::Output, "NCHW"},
                      {"arena", EntryArgumentRole::Arena, ""}};
  if (auto plan = entry->getAttrOfType<pico::MemoryPlanAttr>(
          pico::MemoryPlanAttr::attrName))
    header.arenaAlignment = std::max<int64_t>(plan.getAlignment(), 1);
  header.target = target;
  header.source = options.source;
  return outputs.write(path, [&](llvm::raw_ostream &os) {
    return writeCHeader(entry, header, os);
  });
}

llvm::Error picosam::runCpuBackend(ModuleOp module,
                                   const CpuBackendOptions &options,
                                   StringRef outputPath, OutputFiles &outputs,
                                   TimingScope &timing) {
  MaterializeArenaOptions arena;
  arena.rowBands = options.profileKernels ? 1 : options.rowBands;
  if (llvm::Error error =
          runPasses(module, timing, "materialise the arena",
                    [&](OpPassManager &pm) {
                      pm.addNestedPass<func::FuncOp>(
                          createMaterializeArena(arena));
                    }))
    return error;
  if (options.emit == EmitFormat::CpuArena)
    return writeStage(module, outputPath, outputs);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createCpuTargetMachine(options.target);
  if (!machine)
    return machine.takeError();
  // The conv entries run kernels for the target's instruction sets at most.
  LowerToKernelCallsOptions kernelCalls;
  kernelCalls.profileHooks = options.profileKernels;
  kernelCalls.cpuFeatures = requiredCpuFeatures(**machine);
  if (llvm::Error error = runPasses(module, timing, "lower to kernel calls",
                                    [&](OpPassManager &pm) {
                                      pm.addPass(
                                          createLowerToKernelCalls(kernelCalls));
                                      pm.addPass(createOutlineRowBands());
                                    }))
    return error;
  auto entry = module.lookupSymbol<func::FuncOp>("main");
  if (!entry)
    return llvm::createStringError("the module has no @main to compile");
  if (module.lookupSymbol(options.entryName))
    return llvm::createStringError("cannot name the entry '" +
                                   options.entryName +
                                   "': the module has a symbol of that name");
  entry.setSymName(options.entryName);
  if (options.emit == EmitFormat::CpuKernelCalls)
    return writeStage(module, outputPath, outputs);

  if (options.emit == EmitFormat::CpuLibrary)
    if (llvm::Error error =
            writeHeader(entry, describeCpuTarget(**machine, options.target),
                        options, (outputPath + ".h").str(), outputs))
      return error;
  if (options.emit == EmitFormat::CpuExecutable && failed(addNetworkInterface(entry)))
    return llvm::createStringError("cannot add the program interface");
  if (llvm::Error error =
          runPasses(module, timing, "lower to the LLVM dialect",
                    [](OpPassManager &pm) { pm.addPass(createCpuLowerToLLVM()); }))
    return error;
  if (options.emit == EmitFormat::CpuLLVMDialect)
    return writeStage(module, outputPath, outputs);

  TimingScope codeTiming = timing.nest("LLVM: translate, optimise, emit");
  llvm::LLVMContext llvmContext;
  llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
      translateToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return llvmModule.takeError();
  optimizeForCpu(**llvmModule, **machine, options.target);
  CpuOutputKind kind = options.emit == EmitFormat::CpuLLVMIR     ? CpuOutputKind::LLVMIR
                       : options.emit == EmitFormat::CpuAssembly ? CpuOutputKind::Assembly
                                                           : CpuOutputKind::Object;
  llvm::SmallString<0> code;
  llvm::raw_svector_ostream codeStream(code);
  if (llvm::Error error =
          emitMachineCode(**llvmModule, **machine, kind, codeStream))
    return error;
  codeTiming.stop();

  TimingScope packageTiming = timing.nest("package");
  switch (options.emit) {
  case EmitFormat::CpuLibrary: {
    // writeStaticLibrary writes the archive itself: into a temporary file
    // that OutputFiles then copies, so the library appears with the header.
    llvm::SmallString<128> archive;
    if (std::error_code error = llvm::sys::fs::createTemporaryFile(
            "picosam-compile", "a", archive))
      return llvm::createStringError(error, "cannot create a temporary file");
    llvm::FileRemover removeArchive(archive);
    std::string member = llvm::sys::path::stem(outputPath).str() + ".o";
    if (llvm::Error error = writeStaticLibrary(archive, member, code,
                                               options.runtimeArchives))
      return error;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> bytes =
        llvm::MemoryBuffer::getFile(archive, /*IsText=*/false);
    if (!bytes)
      return llvm::createStringError(bytes.getError(),
                                     "cannot read the library written");
    return outputs.write(outputPath, [&](llvm::raw_ostream &os) {
      os << (*bytes)->getBuffer();
      return llvm::Error::success();
    });
  }
  case EmitFormat::CpuExecutable: {
    // The program is linked beside -o and renamed over it: renamed over a
    // device, it would replace /dev/null for every process on the machine.
    llvm::sys::fs::file_status status;
    if (!llvm::sys::fs::status(outputPath, status) &&
        llvm::sys::fs::exists(status) &&
        !llvm::sys::fs::is_regular_file(status))
      return llvm::createStringError("--emit=exe writes a program file, but "
                                     "-o '" +
                                     outputPath + "' is not a regular file");
    llvm::SmallString<128> object;
    int fd;
    if (std::error_code error = llvm::sys::fs::createTemporaryFile(
            "picosam-compile", "o", fd, object))
      return llvm::createStringError(error, "cannot create a temporary file");
    llvm::FileRemover removeObject(object);
    {
      llvm::raw_fd_ostream objectFile(fd, /*shouldClose=*/true);
      objectFile << code;
    }
    // The program runtime is C++ and reads PNG and JPEG images.
    std::vector<std::string> inputs = {std::string(object)};
    inputs.insert(inputs.end(), options.programArchives.begin(),
                  options.programArchives.end());
    inputs.insert(inputs.end(), options.runtimeArchives.begin(),
                  options.runtimeArchives.end());
    LinkOptions link;
    link.compilerDriver = "c++";
    link.extraArguments = {"-lpng16", "-ljpeg"};
    std::string linked = (outputPath + ".link-tmp").str();
    llvm::FileRemover removeLinked(linked);
    if (llvm::Error error = linkExecutable(linked, inputs, link))
      return error;
    if (std::error_code error = llvm::sys::fs::rename(linked, outputPath))
      return llvm::createStringError(error, "cannot write " + outputPath);
    return llvm::Error::success();
  }
  default:
    return outputs.write(outputPath, [&](llvm::raw_ostream &os) {
      os << code;
      return llvm::Error::success();
    });
  }
}
