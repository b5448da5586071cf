//===- CodeGen.cpp - LLVM dialect to optimised LLVM IR and machine code ---===//
#include "picosam/Target/CPU/CodeGen.h"

#include "picosam/Runtime/CpuFeatures.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace picosam {

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// "+a,-b,..." for this machine's features, as clang's -march=native.
static std::string hostFeatures() {
  SmallVector<std::string> features;
  for (const auto &feature : sys::getHostCPUFeatures())
    features.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(features);
  return join(features, ",");
}

/// Checks `features` ("+a,-b") against the target's feature table, which
/// LLVM itself only warns about.
static Error checkFeatures(const MCSubtargetInfo &subtarget,
                           StringRef features) {
  SmallVector<StringRef> entries;
  features.split(entries, ',', -1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    StringRef name = entry.drop_front();
    bool known = llvm::any_of(
        subtarget.getAllProcessorFeatures(),
        [&](const SubtargetFeatureKV &kv) { return name == kv.Key; });
    if (!(entry.starts_with("+") || entry.starts_with("-")) || !known)
      return makeError("unknown CPU feature '" + entry + "' for " +
                       subtarget.getTargetTriple().str() +
                       " (features are +name or -name, comma-separated)");
  }
  return Error::success();
}

Expected<std::unique_ptr<TargetMachine>>
createCpuTargetMachine(const CpuTargetOptions &options) {
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();

  Triple triple(Triple::normalize(
      options.triple.empty() ? sys::getDefaultTargetTriple() : options.triple));
  std::string lookupError;
  const Target *target = TargetRegistry::lookupTarget(triple, lookupError);
  if (!target)
    return makeError("no code generator for '" + triple.str() +
                     "': " + lookupError);

  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu == "host") {
    cpu = sys::getHostCPUName().str();
    features = features.empty() ? hostFeatures()
                                : hostFeatures() + "," + features;
  }
  std::unique_ptr<MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, cpu, ""));
  if (!subtarget || !subtarget->isCPUStringValid(cpu))
    return makeError("unknown CPU '" + options.cpu + "' for " + triple.str() +
                     " (use host, x86-64, x86-64-v2, x86-64-v3, x86-64-v4 or "
                     "a CPU name LLVM knows)");
  if (Error error = checkFeatures(*subtarget, options.features))
    return std::move(error);

  static const CodeGenOptLevel levels[] = {
      CodeGenOptLevel::None, CodeGenOptLevel::Less, CodeGenOptLevel::Default,
      CodeGenOptLevel::Aggressive};
  if (options.optLevel > 3)
    return makeError("optimisation level " + Twine(options.optLevel) +
                     " is not one of 0, 1, 2, 3");
  std::unique_ptr<TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, TargetOptions(),
      options.positionIndependent ? Reloc::PIC_ : Reloc::Static,
      std::nullopt, levels[options.optLevel]));
  if (!machine)
    return makeError("cannot create a target machine for " + triple.str());
  return std::move(machine);
}

uint64_t requiredCpuFeatures(const TargetMachine &machine) {
  // The table is x86's; other targets have no guard.
  if (!machine.getTargetTriple().isX86())
    return 0;
  const MCSubtargetInfo &subtarget = *machine.getMCSubtargetInfo();
  uint64_t required = 0;
  for (unsigned index = 0; index < PICOSAM_CPU_FEATURE_COUNT; ++index)
    if (subtarget.checkFeatures(
            (Twine("+") + picosam_cpu_feature_name(index)).str()))
      required |= uint64_t(1) << index;
  return required;
}

Expected<std::unique_ptr<Module>>
translateToLLVMIR(mlir::ModuleOp module, LLVMContext &context) {
  mlir::registerBuiltinDialectTranslation(*module.getContext());
  mlir::registerLLVMDialectTranslation(*module.getContext());
  std::unique_ptr<Module> translated =
      mlir::translateModuleToLLVMIR(module, context);
  if (!translated)
    return makeError("cannot translate the module to LLVM IR (is it in the "
                     "LLVM dialect? see --pico-cpu-lower-to-llvm)");
  return std::move(translated);
}

std::string describeCpuTarget(const TargetMachine &machine,
                              const CpuTargetOptions &options) {
  std::string description =
      options.cpu == "host"
          ? ("host (" + machine.getTargetCPU() + ")").str()
          : options.cpu;
  if (!options.features.empty())
    description += " " + options.features;
  return description;
}

void optimizeForCpu(Module &module, TargetMachine &machine,
                    const CpuTargetOptions &options) {
  module.setTargetTriple(machine.getTargetTriple());
  module.setDataLayout(machine.createDataLayout());
  // As clang does: each function says what it was compiled for, so the IR
  // alone reproduces the code (llc, or LTO with other objects).
  for (Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    if (!machine.getTargetFeatureString().empty())
      function.addFnAttr("target-features", machine.getTargetFeatureString());
  }
  if (options.featureGuard)
    addCpuFeatureGuard(module, requiredCpuFeatures(machine),
                       describeCpuTarget(machine, options));

  if (options.optLevel == 0)
    return;
  PipelineTuningOptions tuning;
  tuning.LoopVectorization = options.optLevel >= 2;
  tuning.SLPVectorization = options.optLevel >= 2;
  tuning.LoopInterleaving = options.optLevel >= 2;
  LoopAnalysisManager loops;
  FunctionAnalysisManager functions;
  CGSCCAnalysisManager sccs;
  ModuleAnalysisManager modules;
  PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  static const OptimizationLevel levels[] = {
      OptimizationLevel::O0, OptimizationLevel::O1, OptimizationLevel::O2,
      OptimizationLevel::O3};
  ModulePassManager pipeline =
      builder.buildPerModuleDefaultPipeline(levels[options.optLevel]);
  pipeline.run(module, modules);
}

Error emitMachineCode(Module &module, TargetMachine &machine,
                      CpuOutputKind kind, raw_pwrite_stream &os) {
  if (kind == CpuOutputKind::LLVMIR) {
    module.print(os, nullptr);
    return Error::success();
  }
  legacy::PassManager codegen;
  codegen.add(new TargetLibraryInfoWrapperPass(
      TargetLibraryInfoImpl(module.getTargetTriple())));
  if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                  kind == CpuOutputKind::Object
                                      ? CodeGenFileType::ObjectFile
                                      : CodeGenFileType::AssemblyFile))
    return makeError("the target cannot emit this kind of file");
  codegen.run(module);
  return Error::success();
}

Error emitCpuCode(mlir::ModuleOp module, const CpuTargetOptions &options,
                  CpuOutputKind kind, raw_pwrite_stream &os) {
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCpuTargetMachine(options);
  if (!machine)
    return machine.takeError();
  LLVMContext context;
  Expected<std::unique_ptr<Module>> translated =
      translateToLLVMIR(module, context);
  if (!translated)
    return translated.takeError();
  optimizeForCpu(**translated, **machine, options);
  return emitMachineCode(**translated, **machine, kind, os);
}

} // namespace picosam
