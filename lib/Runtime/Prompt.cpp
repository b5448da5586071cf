//===- Prompt.cpp - a box prompt: the network's input, the mask -----------===//
//
// Built with -ffp-contract=off (see Prompt.h): every float operation below
// is the numpy operation it mirrors, in the same order and precision.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Prompt.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

using namespace picosam::runtime;

//===----------------------------------------------------------------------===//
// The box
//===----------------------------------------------------------------------===//

Status picosam::runtime::parseBox(std::string_view text, Box &box) {
  int64_t values[4];
  const char *at = text.data(), *end = text.data() + text.size();
  for (int i = 0; i < 4; ++i) {
    auto [next, error] = std::from_chars(at, end, values[i]);
    bool separated = i == 3 ? next == end : next != end && *next == ',';
    if (error != std::errc() || !separated)
      return Status::failure(
          "the box must be four integers x0,y0,x1,y1, got '" +
          std::string(text) + "'");
    at = next + 1;
  }
  box = {values[0], values[1], values[2], values[3]};
  return Status::success();
}

Status picosam::runtime::checkBox(const Box &box, int64_t width,
                                  int64_t height) {
  std::string name = "the box " + std::to_string(box.x0) + "," +
                     std::to_string(box.y0) + "," + std::to_string(box.x1) +
                     "," + std::to_string(box.y1);
  if (box.x1 <= box.x0 || box.y1 <= box.y0)
    return Status::failure(name + " is empty (it needs x0 < x1 and y0 < y1)");
  std::string w = std::to_string(width), h = std::to_string(height);
  if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height)
    return Status::failure(name + " is not inside the " + w + "x" + h +
                           " image (it needs 0 <= x0 < x1 <= " + w +
                           " and 0 <= y0 < y1 <= " + h + ")");
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Resizing
//===----------------------------------------------------------------------===//

ResizeAxis picosam::runtime::resizeAxis(int64_t origin, int64_t extent,
                                        int64_t outSize, int64_t inSize) {
  ResizeAxis axis;
  axis.lower.resize(outSize);
  axis.upper.resize(outSize);
  axis.frac.resize(outSize);
  // `(y1 - y0) / size` is a Python float that numpy rounds to float32
  // before multiplying the float32 arange by it.
  float step = static_cast<float>(double(extent) / double(outSize));
  float last = static_cast<float>(inSize - 1);
  for (int64_t k = 0; k < outSize; ++k) {
    float position = (static_cast<float>(k) + 0.5f) * step;
    position = static_cast<float>(origin) + position;
    position = position - 0.5f;
    position = std::min(std::max(position, 0.0f), last);
    // astype(int32) truncates; min with H - 2 keeps a right neighbour, and
    // for a 1-pixel source makes it -1, which numpy indexes from the end.
    int64_t lower =
        std::min<int64_t>(static_cast<int32_t>(position), inSize - 2);
    // float32 array - int32 array promotes to float64.
    axis.frac[k] = double(position) - double(lower);
    axis.lower[k] = lower < 0 ? lower + inSize : lower;
    axis.upper[k] = lower + 1;
  }
  return axis;
}

/// Calls `store(index, value)` for every element of the resize of `source`
/// (rows of `sourceWidth` pixels of `channels` values) sampled at `rows` x
/// `cols`: `_resize_crop`'s blend, in float64 and in its order.
template <typename T, typename Store>
static void resizeBilinear(const T *source, int64_t sourceWidth,
                           int64_t channels, const ResizeAxis &rows,
                           const ResizeAxis &cols, Store store) {
  int64_t stride = sourceWidth * channels, index = 0;
  for (size_t y = 0; y < rows.frac.size(); ++y) {
    const T *top = source + rows.lower[y] * stride;
    const T *bottom = source + rows.upper[y] * stride;
    double fy = rows.frac[y];
    for (size_t x = 0; x < cols.frac.size(); ++x) {
      int64_t left = cols.lower[x] * channels, right = cols.upper[x] * channels;
      double fx = cols.frac[x];
      for (int64_t c = 0; c < channels; ++c) {
        double a = top[left + c], b = top[right + c];
        double d = bottom[left + c], e = bottom[right + c];
        double value =
            (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
        store(index++, value);
      }
    }
  }
}

void picosam::runtime::resizeCrop(const Image &image, const ResizeAxis &rows,
                                  const ResizeAxis &cols, uint8_t *crop) {
  resizeBilinear(image.pixels.data(), image.width, 3, rows, cols,
                 [&](int64_t index, double value) {
                   // np.rint rounds half to even, as nearbyint does in the
                   // default rounding mode.
                   crop[index] = static_cast<uint8_t>(
                       std::min(std::max(std::nearbyint(value), 0.0), 255.0));
                 });
}

void picosam::runtime::resizeLogits(const float *logits, int64_t width,
                                    const ResizeAxis &rows,
                                    const ResizeAxis &cols, float *resized) {
  resizeBilinear(logits, width, 1, rows, cols,
                 [&](int64_t index, double value) {
                   resized[index] = static_cast<float>(value);
                 });
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

// np.float32(1.0 / 255.0).
static const float kScale = static_cast<float>(1.0 / 255.0);

void picosam::runtime::normalizeCrop(const uint8_t *crop, int64_t height,
                                     int64_t width, float *input) {
  int64_t plane = height * width;
  for (int64_t c = 0; c < 3; ++c)
    for (int64_t i = 0; i < plane; ++i) {
      float x = static_cast<float>(crop[i * 3 + c]) * kScale;
      x = x - kNormalizeMean[c];
      input[c * plane + i] = x / kNormalizeStd[c];
    }
}

//===----------------------------------------------------------------------===//
// The mask
//===----------------------------------------------------------------------===//

void picosam::runtime::pasteMask(const float *boxLogits, const Box &box,
                                 int64_t imageWidth, int64_t imageHeight,
                                 uint8_t *mask) {
  std::fill(mask, mask + imageWidth * imageHeight, 0);
  for (int64_t y = 0; y < box.height(); ++y) {
    const float *row = boxLogits + y * box.width();
    uint8_t *out = mask + (box.y0 + y) * imageWidth + box.x0;
    for (int64_t x = 0; x < box.width(); ++x)
      out[x] = row[x] > 0 ? 255 : 0;
  }
}

void picosam::runtime::drawOverlay(const Image &image, const uint8_t *mask,
                                   const Box &box, Image &overlay) {
  static const uint8_t kTint[3] = {0, 255, 0}, kOutline[3] = {255, 0, 0};
  overlay.width = image.width;
  overlay.height = image.height;
  overlay.pixels.assign(image.pixels.begin(), image.pixels.end());
  for (int64_t i = 0; i < image.width * image.height; ++i)
    if (mask[i])
      for (int c = 0; c < 3; ++c)
        overlay.pixels[i * 3 + c] =
            (image.pixels[i * 3 + c] + kTint[c] + 1) / 2;
  int64_t line =
      std::max<int64_t>(1, std::min(image.width, image.height) / 256);
  for (int64_t y = box.y0; y < box.y1; ++y)
    for (int64_t x = box.x0; x < box.x1; ++x) {
      bool onOutline = x < box.x0 + line || x >= box.x1 - line ||
                       y < box.y0 + line || y >= box.y1 - line;
      if (onOutline)
        std::copy(kOutline, kOutline + 3,
                  overlay.pixels.begin() + (y * image.width + x) * 3);
    }
}

//===----------------------------------------------------------------------===//
// PromptJob
//===----------------------------------------------------------------------===//

PromptJob::PromptJob(const Image &image, const Box &box, int64_t inputHeight,
                     int64_t inputWidth, int64_t logitsHeight,
                     int64_t logitsWidth)
    : image_(image), box_(box), inputHeight_(inputHeight),
      inputWidth_(inputWidth), logitsWidth_(logitsWidth),
      cropRows_(resizeAxis(box.y0, box.height(), inputHeight, image.height)),
      cropCols_(resizeAxis(box.x0, box.width(), inputWidth, image.width)),
      logitRows_(resizeAxis(0, logitsHeight, box.height(), logitsHeight)),
      logitCols_(resizeAxis(0, logitsWidth, box.width(), logitsWidth)),
      crop_(inputHeight * inputWidth * 3),
      boxLogits_(box.height() * box.width()),
      mask_(image.width * image.height) {}

void PromptJob::prepareInput(float *input) {
  resizeCrop(image_, cropRows_, cropCols_, crop_.data());
  normalizeCrop(crop_.data(), inputHeight_, inputWidth_, input);
}

void PromptJob::makeMask(const float *logits) {
  resizeLogits(logits, logitsWidth_, logitRows_, logitCols_, boxLogits_.data());
  pasteMask(boxLogits_.data(), box_, image_.width, image_.height, mask_.data());
}

void PromptJob::drawOverlay() {
  runtime::drawOverlay(image_, mask_.data(), box_, overlay_);
}
