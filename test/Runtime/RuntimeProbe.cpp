//===- RuntimeProbe.cpp - the runtime's pre- and post-processing alone ----===//
//
// TEST ONLY: writes what the compiled program computes around the network,
// through the same PromptJob, so check_preprocess.py can compare it with
// models/data.py and PyTorch without a compiled network:
//
//   picosam-runtime-probe crop <image> <x0,y0,x1,y1> <H>x<W>
//                              <decoded.npy> <crop.npy> <input.npy>
//     the decoded image (HxWx3 uint8), the box's crop resized to the
//     network input size (HxWx3 uint8) and the normalised input (1x3xHxW
//     float32);
//   picosam-runtime-probe paste <logits.npy> <h>x<w> <x0,y0,x1,y1>
//                               <width>x<height> <box-logits.npy> <mask.npy>
//     the 1x1xhxw logits resized to the box (float32) and the mask of a
//     width x height image (uint8, 0/255).
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Files.h"
#include "picosam/Runtime/Image.h"
#include "picosam/Runtime/Prompt.h"

#include <cstdio>
#include <cstdlib>

using namespace picosam::runtime;

static void check(const Status &status) {
  if (status.failed()) {
    std::fprintf(stderr, "picosam-runtime-probe: error: %s\n",
                 status.message().c_str());
    std::exit(1);
  }
}

/// "AxB" -> {A, B}.
static std::pair<int64_t, int64_t> parseSize(const char *text) {
  long long a, b;
  char end;
  if (std::sscanf(text, "%lldx%lld%c", &a, &b, &end) != 2 || a < 1 || b < 1)
    check(Status::failure(std::string("bad size '") + text + "'"));
  return {a, b};
}

template <typename T>
static void addNpy(OutputFiles &outputs, const char *path, const char *descr,
                   const std::vector<int64_t> &shape,
                   const std::vector<T> &values) {
  check(outputs.add(
      path, npyBytes(descr, shape, values.data(), values.size() * sizeof(T))));
}

int main(int argc, char **argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (argc != 8 || (mode != "crop" && mode != "paste"))
    check(Status::failure("usage: see the comment of RuntimeProbe.cpp"));
  OutputFiles outputs;
  Box box;
  if (mode == "crop") {
    std::string bytes;
    Image image;
    check(readFile(argv[2], bytes));
    check(decodeImage(bytes, image));
    check(parseBox(argv[3], box));
    check(checkBox(box, image.width, image.height));
    auto [height, width] = parseSize(argv[4]);
    PromptJob job(image, box, height, width, 1, 1);
    std::vector<float> input(3 * height * width);
    job.prepareInput(input.data());
    addNpy(outputs, argv[5], "|u1", {image.height, image.width, 3},
           image.pixels);
    addNpy(outputs, argv[6], "|u1", {height, width, 3}, job.crop());
    addNpy(outputs, argv[7], "<f4", {1, 3, height, width}, input);
  } else {
    auto [height, width] = parseSize(argv[3]);
    std::vector<float> logits;
    check(readFloat32Npy(argv[2], {1, 1, height, width}, logits));
    check(parseBox(argv[4], box));
    auto [imageWidth, imageHeight] = parseSize(argv[5]);
    check(checkBox(box, imageWidth, imageHeight));
    Image image;
    image.width = imageWidth;
    image.height = imageHeight;
    image.pixels.resize(imageWidth * imageHeight * 3);
    PromptJob job(image, box, 1, 1, height, width);
    job.makeMask(logits.data());
    addNpy(outputs, argv[6], "<f4", {box.height(), box.width()},
           job.boxLogits());
    addNpy(outputs, argv[7], "|u1", {imageHeight, imageWidth}, job.mask());
  }
  check(outputs.commit());
  return 0;
}
