//===- CpuFeatureGuard.cpp - stop on a machine without the code's features ===//
//
// The check runs from a constructor, before main, rather than at the top of
// the entry function: by then the optimiser may have moved vector code ahead
// of any call. The constructor is compiled for baseline x86-64 and only calls
// the runtime (lib/Runtime/CpuFeatures.c, compiled for baseline x86-64 too),
// so nothing runs with the wider instructions before the check.
//
//===----------------------------------------------------------------------===//
#include "picosam/Target/CPU/CodeGen.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

void picosam::addCpuFeatureGuard(Module &module, uint64_t required,
                                 StringRef target) {
  if (required == 0)
    return;
  LLVMContext &context = module.getContext();
  Type *voidType = Type::getVoidTy(context);
  FunctionCallee require = module.getOrInsertFunction(
      "picosam_cpu_require",
      FunctionType::get(voidType,
                        {Type::getInt64Ty(context), PointerType::get(context, 0)},
                        /*isVarArg=*/false));
  Function *guard = Function::Create(FunctionType::get(voidType, false),
                                     GlobalValue::InternalLinkage,
                                     "picosam.cpu_guard", module);
  guard->addFnAttr("target-cpu", "x86-64");
  guard->addFnAttr("target-features", "");
  guard->addFnAttr(Attribute::Cold);
  IRBuilder<> builder(BasicBlock::Create(context, "entry", guard));
  builder.CreateCall(require,
                     {builder.getInt64(required),
                      builder.CreateGlobalString(target, "picosam.cpu_target")});
  builder.CreateRetVoid();
  // The earliest priority left to programs (0-100 are the C library's).
  appendToGlobalCtors(module, guard, /*Priority=*/101);
}
