//===- CHeader.cpp - the C header of a compiled model ---------------------===//
#include "picosam/Target/CPU/CHeader.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace llvm;

namespace picosam {

namespace {

/// One argument as C sees it.
struct CArgument {
  const EntryArgument *argument;
  std::string elementType; // "float"; empty for the arena
  ArrayRef<int64_t> shape;
  int64_t elements;
  int64_t bytes;
};

bool isCIdentifier(StringRef name) {
  return !name.empty() && !isDigit(name.front()) &&
         llvm::all_of(name, [](char c) { return isAlnum(c) || c == '_'; });
}

/// The C type of a memref element, or "" when C has none.
std::string cElementType(Type type) {
  if (type.isF32())
    return "float";
  if (type.isF64())
    return "double";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return "";
    return formatv("{0}int{1}_t", integer.isUnsigned() ? "u" : "", width);
  }
  return "";
}

std::string roleName(EntryArgumentRole role) {
  switch (role) {
  case EntryArgumentRole::Input:
    return "input";
  case EntryArgumentRole::Output:
    return "output";
  case EntryArgumentRole::Arena:
    return "arena";
  }
  llvm_unreachable("unknown argument role");
}

} // namespace

Error writeCHeader(func::FuncOp entry, const CHeaderOptions &options,
                   raw_ostream &os) {
  std::string function = entry.getSymName().str();
  auto fail = [&](const Twine &message) {
    return createStringError(inconvertibleErrorCode(),
                             "entry function '" + function + "': " + message);
  };
  if (!isCIdentifier(function))
    return fail("its name is not a C identifier");
  if (entry.getNumResults() != 0)
    return fail("it returns values; outputs must be arguments");
  if (options.arguments.size() != entry.getNumArguments())
    return fail("it has " + Twine(entry.getNumArguments()) +
                " arguments but " + Twine(options.arguments.size()) +
                " are described");
  if (!isPowerOf2_64(options.arenaAlignment))
    return fail("arena alignment " + Twine(options.arenaAlignment) +
                " is not a power of two");

  std::vector<CArgument> arguments;
  bool hasArena = false;
  llvm::StringSet<> names;
  for (auto enumerated : llvm::enumerate(options.arguments)) {
    // Not structured bindings: C++17 lambdas may not capture them.
    size_t index = enumerated.index();
    const EntryArgument &description = enumerated.value();
    auto argumentError = [&](const Twine &message) {
      return fail("argument " + Twine(index) + " ('" + description.name +
                  "') " + message);
    };
    if (!isCIdentifier(description.name))
      return argumentError("is not named by a C identifier");
    if (!names.insert(description.name).second)
      return argumentError("has the name of an earlier argument");
    auto type = dyn_cast<MemRefType>(entry.getArgument(index).getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        type.getMemorySpace())
      return argumentError("is not a statically shaped memref with the "
                           "identity layout");
    bool isArena = description.role == EntryArgumentRole::Arena;
    std::string elementType = cElementType(type.getElementType());
    if (isArena && (type.getRank() != 1 || !type.getElementType().isInteger(8)))
      return argumentError("is the arena but not a memref<Nxi8>");
    if (!isArena && elementType.empty())
      return argumentError("has elements of a type C has no name for");
    if (isArena && hasArena)
      return argumentError("is a second arena");
    hasArena |= isArena;
    arguments.push_back({&description, isArena ? "" : elementType,
                         type.getShape(), type.getNumElements(),
                         type.getNumElements() *
                             (int64_t)type.getElementTypeBitWidth() / 8});
  }
  const CArgument *arena = nullptr;
  for (const CArgument &argument : arguments)
    if (argument.argument->role == EntryArgumentRole::Arena)
      arena = &argument;

  std::string prefix = StringRef(function).upper();
  auto arraySuffix = [](const CArgument &argument) {
    std::string text;
    for (int64_t size : argument.shape)
      text += "[" + std::to_string(size) + "]";
    return text;
  };
  std::string prototype = "void " + function + "(";
  for (auto [index, argument] : llvm::enumerate(arguments)) {
    if (index)
      prototype += ", ";
    EntryArgumentRole role = argument.argument->role;
    if (role == EntryArgumentRole::Arena)
      prototype += "void *";
    else
      prototype += (role == EntryArgumentRole::Input ? "const " : "") +
                   argument.elementType + " *";
    prototype += argument.argument->name;
  }
  prototype += ")";

  os << "/* The C interface of " << function
     << "(), the model compiled by picosam";
  if (!options.target.empty())
    os << " for the CPU '" << options.target << "'";
  if (!options.source.empty())
    os << "\n * (from " << options.source << ")";
  os << ". Generated: do not edit.\n"
        " * Link the library picosam wrote with it, and libm (-lm).\n"
        " *\n * Arguments, in order:\n";
  size_t nameWidth = 0;
  for (const CArgument &argument : arguments)
    nameWidth = std::max(nameWidth, argument.argument->name.size());
  for (const CArgument &argument : arguments) {
    const EntryArgument &description = *argument.argument;
    os << " *   " << left_justify(description.name, nameWidth) << "  "
       << left_justify(roleName(description.role), 6) << "  ";
    if (description.role == EntryArgumentRole::Arena)
      os << argument.bytes << " bytes, aligned to " << options.arenaAlignment;
    else
      os << argument.elementType << arraySuffix(argument) << ", "
         << argument.bytes << " bytes";
    if (!description.layout.empty())
      os << " (" << description.layout << ")";
    os << "\n";
  }
  os << " *\n"
        " * Arrays are dense and row-major (C order): element [a][b][c] of a\n"
        " * T[A][B][C] is at (a*B + b)*C + c. Each is aligned to its element\n"
        " * type, and none may overlap another or the arena.\n";
  if (arena)
    os << " *\n"
          " * The arena is all the working memory a call uses (the function\n"
          " * allocates nothing): "
       << prefix << "_ARENA_BYTES bytes at an address that\n * is a multiple of "
       << prefix
       << "_ARENA_ALIGNMENT, as aligned_alloc() gives. Its\n"
          " * contents need no initialisation and are undefined after the "
          "call.\n";
  os << " *\n"
        " * Thread safety: the weights are read-only constants and there is "
        "no other\n"
        " * state but the thread pool below, so calls may run concurrently, "
        "each with\n * its own ";
  os << (arena ? "arena and outputs" : "outputs") << ".\n";
  os << " *\n"
        " * Threads: picosam_cpu_set_threads(n) makes the convolutions of "
        "every model in\n"
        " * the process split their rows between the calling thread and n - 1 "
        "workers,\n"
        " * created by that call (default 1: none), with results identical "
        "for any n.\n"
        " * One call at a time uses the workers; a call made while another "
        "uses them\n"
        " * computes on its own thread. It may be called at any time (it "
        "waits for a\n"
        " * call using the workers to finish); it returns 0, or -1 for n "
        "outside [1, 64]\n"
        " * or a thread that cannot be created.\n";
  if (!options.target.empty())
    os << " *\n"
          " * A program containing this code stops at start-up, with a "
          "message, on a\n"
          " * machine without the CPU features it was compiled for.\n";
  os << " */\n";

  os << formatv("#ifndef {0}_H\n#define {0}_H\n\n", prefix)
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  if (arena)
    os << formatv("#define {0}_ARENA_BYTES ((size_t){1})\n"
                  "#define {0}_ARENA_ALIGNMENT ((size_t){2})\n",
                  prefix, arena->bytes, options.arenaAlignment);
  for (const CArgument &argument : arguments)
    if (argument.argument->role != EntryArgumentRole::Arena)
      os << formatv("#define {0}_{1}_ELEMENTS ((size_t){2})\n", prefix,
                    StringRef(argument.argument->name).upper(),
                    argument.elements);
  os << "\n/* Runs the model once: reads the inputs, writes the outputs. */\n"
     << prototype << ";\n\n"
     << "/* The threads the convolutions use (see above), and their number. "
        "*/\n"
     << "int picosam_cpu_set_threads(int threads);\n"
     << "int picosam_cpu_threads(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n"
     << formatv("#endif /* {0}_H */\n", prefix);
  return Error::success();
}

} // namespace picosam
