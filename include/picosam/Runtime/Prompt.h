//===- Prompt.h - a box prompt: the network's input, the mask ---*- C++ -*-===//
//
// What users of PicoSAM3 write in Python around the network, in C++:
//
// - the crop: the box resized to the network's input size exactly as
//   models/data.py `_resize_crop` does it, to the byte: pixel-centre aligned
//   bilinear sampling whose positions numpy computes in float32 and whose
//   blend it computes in float64 (the promotion of float32 and int32
//   arrays), then np.rint (round half to even) and a clip to 0..255;
// - the input: `normalize`, (x * float32(1/255) - mean) / std in float32,
//   HWC to NCHW;
// - the mask: the logits resized bilinearly (pixel-centre aligned, as
//   torch.nn.functional.interpolate(mode="bilinear", align_corners=False))
//   to the box's size, thresholded at 0 (mask = logit > 0), and pasted into
//   an image-sized mask that is 0 outside the box.
//
// Prompt.cpp is compiled with -ffp-contract=off: a fused multiply-add would
// round differently from numpy.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_PROMPT_H
#define PICOSAM_RUNTIME_PROMPT_H

#include "picosam/Runtime/Image.h"
#include "picosam/Runtime/Status.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace picosam::runtime {

/// A box prompt in pixels, half-open: columns x0 .. x1-1, rows y0 .. y1-1.
/// (models/data.py writes the same box as the tuple (y0, y1, x0, x1).)
struct Box {
  int64_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  int64_t width() const { return x1 - x0; }
  int64_t height() const { return y1 - y0; }
};

/// Parses "x0,y0,x1,y1" (four integers).
Status parseBox(std::string_view text, Box &box);
/// Checks that `box` is not empty and lies inside a width x height image:
/// 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height.
Status checkBox(const Box &box, int64_t width, int64_t height);

/// Where each output row (or column) of a pixel-centre aligned bilinear
/// resize reads: rows `lower` and `upper` of the source, weighted 1 - frac
/// and frac. Output k samples the source at
/// clip(origin + (k + 0.5) * (extent / outSize) - 0.5, 0, inSize - 1), the
/// position computed in float32 as numpy does in `_resize_crop`.
struct ResizeAxis {
  std::vector<int64_t> lower, upper;
  std::vector<double> frac;
};
ResizeAxis resizeAxis(int64_t origin, int64_t extent, int64_t outSize,
                      int64_t inSize);

/// The crop of `image` sampled at `rows` x `cols`: uint8 RGB, HxWx3.
void resizeCrop(const Image &image, const ResizeAxis &rows,
                const ResizeAxis &cols, uint8_t *crop);
/// models/data.py's ImageNet MEAN and STD per RGB channel: Python floats
/// rounded to float32, as numpy does.
inline constexpr float kNormalizeMean[3] = {static_cast<float>(0.485),
                                            static_cast<float>(0.456),
                                            static_cast<float>(0.406)};
inline constexpr float kNormalizeStd[3] = {static_cast<float>(0.229),
                                           static_cast<float>(0.224),
                                           static_cast<float>(0.225)};

/// models/data.py `normalize` of an HxWx3 uint8 crop: float32 NCHW (N = 1).
void normalizeCrop(const uint8_t *crop, int64_t height, int64_t width,
                   float *input);
/// The logits map (`width` columns) sampled at `rows` x `cols`.
void resizeLogits(const float *logits, int64_t width, const ResizeAxis &rows,
                  const ResizeAxis &cols, float *resized);
/// The image-sized mask: 255 where the box's logits (box.height() x
/// box.width()) are > 0, 0 elsewhere.
void pasteMask(const float *boxLogits, const Box &box, int64_t imageWidth,
               int64_t imageHeight, uint8_t *mask);
/// `image` with the mask tinted green (each masked pixel halfway to
/// 0,255,0) and the box outlined in red, the line max(1, min(W, H) / 256)
/// pixels wide inside the box.
void drawOverlay(const Image &image, const uint8_t *mask, const Box &box,
                 Image &overlay);

/// One box prompt on one image for a network with a
/// inputHeight x inputWidth input and a logitsHeight x logitsWidth output.
/// Every buffer is allocated up front, so running it again (a benchmark)
/// allocates nothing.
class PromptJob {
public:
  PromptJob(const Image &image, const Box &box, int64_t inputHeight,
            int64_t inputWidth, int64_t logitsHeight, int64_t logitsWidth);

  /// Crops and resizes the box into crop(), and normalises it into `input`
  /// (1x3xinputHeight x inputWidth floats).
  void prepareInput(float *input);
  /// Resizes `logits` to the box into boxLogits() and pastes mask().
  void makeMask(const float *logits);
  /// Draws overlay() from the image and mask().
  void drawOverlay();

  const std::vector<uint8_t> &crop() const { return crop_; }
  const std::vector<float> &boxLogits() const { return boxLogits_; }
  const std::vector<uint8_t> &mask() const { return mask_; }
  const Image &overlay() const { return overlay_; }

private:
  const Image &image_;
  Box box_;
  int64_t inputHeight_, inputWidth_, logitsWidth_;
  ResizeAxis cropRows_, cropCols_, logitRows_, logitCols_;
  std::vector<uint8_t> crop_;
  std::vector<float> boxLogits_;
  std::vector<uint8_t> mask_;
  Image overlay_;
};

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_PROMPT_H
