//===- Image.h - PNG and JPEG images ----------------------------*- C++ -*-===//
//
// Images in and out of compiled programs, through Debian's libpng and
// libjpeg-turbo. Decoding gives what Python users of the model get from
// PIL's `Image.open(path).convert("RGB")`: 8-bit RGB samples as stored,
// with no gamma or colour-profile conversion, the alpha channel dropped (not
// composited), palettes and grey expanded, 16-bit samples cut to their high
// byte; JPEG with libjpeg's default (islow) DCT and fancy upsampling, EXIF
// orientation not applied.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_RUNTIME_IMAGE_H
#define PICOSAM_RUNTIME_IMAGE_H

#include "picosam/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picosam::runtime {

/// An 8-bit RGB image, rows top to bottom, each row's pixels left to right
/// as R, G, B: numpy's HxWx3 uint8 layout.
struct Image {
  int64_t width = 0;
  int64_t height = 0;
  std::vector<uint8_t> pixels;

  const uint8_t *pixel(int64_t x, int64_t y) const {
    return pixels.data() + (y * width + x) * 3;
  }
};

/// Larger images are refused before anything is allocated for them.
constexpr int64_t kMaxImagePixels = int64_t(1) << 27;

/// Decodes a PNG or JPEG file's bytes (told apart by their signature).
/// Messages do not name the file.
Status decodeImage(std::string_view bytes, Image &image);

/// The bytes of a PNG file of 8-bit samples: `channels` 1 (grey) or 3 (RGB),
/// rows of width * channels bytes.
Status encodePng(const uint8_t *samples, int64_t width, int64_t height,
                 int channels, std::string &png);

} // namespace picosam::runtime

#endif // PICOSAM_RUNTIME_IMAGE_H
