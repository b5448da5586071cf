//===- Image.cpp - PNG and JPEG images ------------------------------------===//
//
// libpng and libjpeg report errors by longjmp. Each decoder therefore keeps
// its C++ objects (the image, the row pointers, the message) in the caller's
// frame, and the function that calls setjmp holds only C structs, so a jump
// skips no destructor.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Image.h"

#include <png.h>
// jpeglib.h needs size_t and FILE declared first.
#include <cstdio>
#include <jpeglib.h>
// The message codes, for the one warning treated as an error.
#include <jerror.h>

#include <csetjmp>
#include <cstring>

using namespace picosam::runtime;

static constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
static constexpr std::string_view kJpegSignature("\xff\xd8\xff", 3);

/// Checks the dimensions a header announces before anything is allocated
/// for them; false with the reason in `error` if they are refused.
static bool checkDimensions(uint64_t width, uint64_t height,
                            std::string &error) {
  std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width == 0 || height == 0)
    error = "the image is empty (" + size + ")";
  else if (width > uint64_t(kMaxImagePixels) ||
           width * height > uint64_t(kMaxImagePixels))
    error = "the image is too large (" + size + ", at most " +
            std::to_string(kMaxImagePixels) + " pixels)";
  return error.empty();
}

//===----------------------------------------------------------------------===//
// PNG
//===----------------------------------------------------------------------===//

namespace {
/// What the PNG callbacks and the caller share.
struct PngDecoding {
  std::string_view bytes;
  size_t offset = 0;
  std::string error;
  std::vector<png_bytep> rows;
};
} // namespace

static void pngError(png_structp png, png_const_charp message) {
  static_cast<PngDecoding *>(png_get_error_ptr(png))->error = message;
  png_longjmp(png, 1);
}

static void pngWarning(png_structp, png_const_charp) {}

static void pngRead(png_structp png, png_bytep out, size_t size) {
  auto *decoding = static_cast<PngDecoding *>(png_get_io_ptr(png));
  if (size > decoding->bytes.size() - decoding->offset)
    png_error(png, "truncated PNG data");
  std::memcpy(out, decoding->bytes.data() + decoding->offset, size);
  decoding->offset += size;
}

/// Decodes into `image`; on failure `decoding.error` says why.
static bool readPng(PngDecoding &decoding, Image &image) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &decoding,
                                           pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    decoding.error = "out of memory";
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, &decoding, pngRead);
  png_read_info(png, info);
  uint32_t width = png_get_image_width(png, info);
  uint32_t height = png_get_image_height(png, info);
  if (!checkDimensions(width, height, decoding.error))
    png_longjmp(png, 1);
  // Whatever the colour type and depth: 8-bit RGB, alpha dropped.
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_strip_alpha(png);
  png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != size_t(width) * 3)
    png_error(png, "unexpected row size after conversion to RGB");
  image.width = width;
  image.height = height;
  image.pixels.resize(size_t(width) * height * 3);
  decoding.rows.resize(height);
  for (uint32_t y = 0; y < height; ++y)
    decoding.rows[y] = image.pixels.data() + size_t(y) * width * 3;
  png_read_image(png, decoding.rows.data());
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

//===----------------------------------------------------------------------===//
// JPEG
//===----------------------------------------------------------------------===//

namespace {
/// libjpeg's error manager, extended with where to jump and the message.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};
} // namespace

static void jpegError(j_common_ptr info) {
  auto *errors = reinterpret_cast<JpegErrors *>(info->err);
  errors->manager.format_message(info, errors->message);
  std::longjmp(errors->jump, 1);
}

/// Warnings about corrupt data are ignored, as PIL does, except a premature
/// end of the file: PIL refuses truncated images too.
static void jpegMessage(j_common_ptr info, int level) {
  if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF)
    jpegError(info);
}

/// Decodes into `image`; on failure `error` says why.
static bool readJpeg(std::string_view bytes, JpegErrors &errors,
                     std::string &error, Image &image) {
  jpeg_decompress_struct jpeg;
  jpeg.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jpegError;
  errors.manager.emit_message = jpegMessage;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&jpeg);
    error = errors.message;
    return false;
  }
  jpeg_create_decompress(&jpeg);
  jpeg_mem_src(&jpeg, reinterpret_cast<const unsigned char *>(bytes.data()),
               bytes.size());
  jpeg_read_header(&jpeg, TRUE);
  if (!checkDimensions(jpeg.image_width, jpeg.image_height, error)) {
    jpeg_destroy_decompress(&jpeg);
    return false;
  }
  jpeg.out_color_space = JCS_RGB;
  jpeg_start_decompress(&jpeg);
  if (jpeg.output_components != 3) {
    error = "unexpected JPEG output of " +
            std::to_string(jpeg.output_components) + " components";
    jpeg_destroy_decompress(&jpeg);
    return false;
  }
  image.width = jpeg.output_width;
  image.height = jpeg.output_height;
  image.pixels.resize(size_t(image.width) * image.height * 3);
  while (jpeg.output_scanline < jpeg.output_height) {
    JSAMPROW row =
        image.pixels.data() + size_t(jpeg.output_scanline) * image.width * 3;
    jpeg_read_scanlines(&jpeg, &row, 1);
  }
  jpeg_finish_decompress(&jpeg);
  jpeg_destroy_decompress(&jpeg);
  return true;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

Status picosam::runtime::decodeImage(std::string_view bytes, Image &image) {
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) {
    PngDecoding decoding;
    decoding.bytes = bytes;
    if (!readPng(decoding, image))
      return Status::failure("invalid PNG: " + decoding.error);
    return Status::success();
  }
  if (bytes.substr(0, kJpegSignature.size()) == kJpegSignature) {
    JpegErrors errors;
    std::string error;
    if (!readJpeg(bytes, errors, error, image))
      return Status::failure("invalid JPEG: " + error);
    return Status::success();
  }
  return Status::failure("not a PNG or JPEG image");
}

Status picosam::runtime::encodePng(const uint8_t *samples, int64_t width,
                                   int64_t height, int channels,
                                   std::string &png) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (png_image_write_get_memory_size(image, size, 0, samples, 0, nullptr)) {
    png.resize(size);
    if (png_image_write_to_memory(&image, png.data(), &size, 0, samples, 0,
                                  nullptr)) {
      png.resize(size);
      return Status::success();
    }
  }
  std::string message = image.message;
  png_image_free(&image);
  return Status::failure("cannot encode PNG: " + message);
}
