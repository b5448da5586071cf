//===- ValueNames.cpp - the names values are known by ---------------------===//
#include "picosam/Interpreter/ValueNames.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace picosam;

void picosam::collectLocationNames(Location loc,
                                   SmallVectorImpl<std::string> &names) {
  if (auto named = dyn_cast<NameLoc>(loc))
    names.push_back(named.getName().str());
  else if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    collectLocationNames(callSite.getCallee(), names);
  else if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations())
      collectLocationNames(part, names);
}

std::optional<std::string> picosam::locationName(Location loc) {
  SmallVector<std::string> names;
  collectLocationNames(loc, names);
  if (names.empty())
    return std::nullopt;
  return llvm::join(names, "+");
}

std::optional<std::string> picosam::lastLocationName(Location loc) {
  SmallVector<std::string> names;
  collectLocationNames(loc, names);
  if (names.empty())
    return std::nullopt;
  return names.back();
}

std::string picosam::argumentName(BlockArgument arg) {
  return locationName(arg.getLoc())
      .value_or("arg" + std::to_string(arg.getArgNumber()));
}

std::string picosam::resultName(OpResult result, StringRef opName) {
  if (result.getOwner()->getNumResults() == 1)
    return opName.str();
  return (opName + ":" + std::to_string(result.getResultNumber())).str();
}

llvm::DenseMap<Value, std::string> picosam::nameValues(func::FuncOp func) {
  llvm::DenseMap<Value, std::string> names;
  // A taken name is always the earlier value's.
  llvm::StringMap<unsigned> taken;
  auto assign = [&](Value value, std::string name) {
    unsigned &uses = taken[name];
    if (uses++)
      name += "#" + std::to_string(uses - 1);
    names[value] = std::move(name);
  };
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    assign(arg, argumentName(arg));
  llvm::StringMap<unsigned> opCounts;
  auto nameResults = [&](Operation &op) {
    unsigned ordinal = opCounts[op.getName().getStringRef()]++;
    std::string base =
        locationName(op.getLoc())
            .value_or(llvm::formatv("{0}#{1}", op.getName(), ordinal).str());
    for (OpResult result : op.getResults())
      assign(result, resultName(result, base));
  };
  for (Operation &op : body.without_terminator()) {
    // The ops in an op's regions (pico.separable_block's body) run inside
    // it, before its own results exist: they are named first.
    op.walk<WalkOrder::PreOrder>([&](Operation *nested) {
      if (nested != &op && !nested->hasTrait<OpTrait::IsTerminator>())
        nameResults(*nested);
    });
    nameResults(op);
  }
  return names;
}
