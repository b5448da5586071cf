//===- CheckImx500Onnx.cpp - the IMX500's rules on an ONNX graph ----------===//
//
// The rules of docs/imx500.md that only the ONNX graph shows (Legality.h):
// checked before the import, every node, so that a model breaking several
// gets them all in one run although the importer stops at the first node it
// cannot represent.
//
//===----------------------------------------------------------------------===//
#include "picosam/Target/IMX500/Legality.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <map>

using namespace mlir;
using namespace picosam;
using namespace picosam::imx500;

namespace {

/// ONNX operators Sony's converter does not accept (observed,
/// docs/imx500.md). The others it refuses (Erf, ...) picosam cannot import
/// either; these name the converter's rule rather than picosam's.
constexpr llvm::StringLiteral kRefusedOps[] = {
    "DepthToSpace", "Einsum", "Erf",  "GlobalMaxPool", "Log",
    "PRelu",        "SpaceToDepth", "Tile", "Where"};

/// The ops whose spatial rank the converter limits to 2 (no 1-D or 3-D).
constexpr llvm::StringLiteral kSpatialOps[] = {
    "AveragePool", "Conv", "ConvTranspose", "LpPool", "MaxPool"};

const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node,
                                          llvm::StringRef name) {
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (attribute.name() == name)
      return &attribute;
  return nullptr;
}

class OnnxGraphChecker {
public:
  OnnxGraphChecker(MLIRContext &context, llvm::StringRef path,
                   const onnx::GraphProto &graph)
      : context(context), fileLoc(FileLineColLoc::get(&context, path, 0, 0)),
        graph(graph) {
    for (const onnx::TensorProto &initializer : graph.initializer())
      initializerRanks[initializer.name()] = initializer.dims_size();
  }

  bool check() {
    for (auto [index, node] : llvm::enumerate(graph.node()))
      checkNode(node, index);
    return !violated;
  }

private:
  /// The node's location as the importer gives it (OnnxImporter.cpp): its
  /// name in the file.
  Location locationOf(const onnx::NodeProto &node) {
    if (node.name().empty())
      return fileLoc;
    return NameLoc::get(StringAttr::get(&context, node.name()), fileLoc);
  }

  void report(const onnx::NodeProto &node, size_t index, const Twine &rule) {
    std::string subject =
        node.name().empty()
            ? "node #" + std::to_string(index) + " without a name"
            : "node '" + node.name() + "'";
    reportViolation(locationOf(node), RuleSource::Observed,
                    subject + " (" + node.op_type() + "): " + rule);
    violated = true;
  }

  /// The number of spatial axes `node` computes over: its kernel_shape's,
  /// else its weight's (a constant input 1) rank - 2; none when unknown.
  std::optional<int64_t> spatialRank(const onnx::NodeProto &node) {
    if (const onnx::AttributeProto *kernel = findAttribute(node, "kernel_shape"))
      return kernel->ints_size();
    if (node.input_size() > 1) {
      auto rank = initializerRanks.find(node.input(1));
      if (rank != initializerRanks.end() && rank->second >= 2)
        return rank->second - 2;
    }
    return std::nullopt;
  }

  void checkNode(const onnx::NodeProto &node, size_t index) {
    // The converter's own message: "ONNX nodes (type:Constant) with empty
    // names are not currently supported".
    if (node.name().empty())
      report(node, index,
             "Sony's converter rejects ONNX nodes with empty names; name every "
             "node (picosam's importer would name it " +
                 node.op_type() + "_" + std::to_string(index) + ")");
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return;
    const std::string &op = node.op_type();
    if (llvm::is_contained(kRefusedOps, op))
      report(node, index,
             "Sony's converter does not accept " + op +
                 (op == "PRelu" ? " as a standalone ONNX op (a PReLU fused "
                                  "into its convolution by MCT is accepted)"
                                : std::string()));
    if (llvm::is_contained(kSpatialOps, op))
      if (std::optional<int64_t> rank = spatialRank(node); rank && *rank != 2)
        report(node, index,
               "the IMX500 has no 1-D or 3-D ops, only 2-D ones on a 4-D NCHW "
               "input; this is a " +
                   std::to_string(*rank) + "-D " + op);
    if (op == "MaxPool" && node.output_size() > 1 && !node.output(1).empty())
      report(node, index,
             "the IMX500 accepts MaxPool without its Indices output; this "
             "node has one ('" +
                 node.output(1) + "')");
    if (op == "Resize") {
      const onnx::AttributeProto *mode = findAttribute(node, "mode");
      if (mode && mode->s() == "cubic")
        report(node, index,
               "the IMX500 accepts nearest with asymmetric + floor or linear "
               "with half_pixel; this is cubic");
      const onnx::AttributeProto *antialias = findAttribute(node, "antialias");
      if (antialias && antialias->i() != 0)
        report(node, index,
               "the IMX500 accepts Resize without antialias; this has "
               "antialias");
    }
  }

  MLIRContext &context;
  Location fileLoc;
  const onnx::GraphProto &graph;
  std::map<std::string, int> initializerRanks;
  bool violated = false;
};

} // namespace

LogicalResult picosam::imx500::checkImx500OnnxGraph(
    MLIRContext &context, llvm::StringRef path, const onnx::ModelProto &model) {
  return success(OnnxGraphChecker(context, path, model.graph()).check());
}
