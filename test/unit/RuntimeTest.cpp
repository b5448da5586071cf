//===- RuntimeTest.cpp - the runtime of compiled programs -----------------===//
//
// Links the runtime alone (no MLIR, no LLVM). Images are made here with
// libpng and libjpeg's encoders, so every decoding path is checked against
// known pixels.
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/Files.h"
#include "picosam/Runtime/Image.h"
#include "picosam/Runtime/NpyFormat.h"
#include "picosam/Runtime/Prompt.h"

#include "gtest/gtest.h"

#include <png.h>
// jpeglib.h needs size_t and FILE declared first.
#include <cstdio>
#include <jpeglib.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <new>
#include <sys/stat.h>
#include <unistd.h>

using namespace picosam::runtime;

// Counts the program's heap allocations, to show that a prompt job run again
// allocates nothing. (GCC cannot see that these replacements pair malloc
// with free.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static size_t allocationCount = 0;
void *operator new(std::size_t size) {
  ++allocationCount;
  if (void *memory = std::malloc(size ? size : 1))
    return memory;
  throw std::bad_alloc();
}
void operator delete(void *memory) noexcept { std::free(memory); }
void operator delete(void *memory, std::size_t) noexcept { std::free(memory); }
#pragma GCC diagnostic pop

namespace {

/// A fresh directory under the test's temporary directory.
std::string makeTemporaryDirectory() {
  std::string path = ::testing::TempDir() + "runtime-test-XXXXXX";
  EXPECT_NE(::mkdtemp(path.data()), nullptr);
  return path;
}

/// The names in `directory` (hidden ones included), sorted.
std::vector<std::string> filesIn(const std::string &directory) {
  std::vector<std::string> names;
  DIR *dir = ::opendir(directory.c_str());
  EXPECT_NE(dir, nullptr);
  while (dirent *entry = dir ? ::readdir(dir) : nullptr)
    if (std::string name = entry->d_name; name != "." && name != "..")
      names.push_back(name);
  if (dir)
    ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string contentsOf(const std::string &path) {
  std::string bytes;
  EXPECT_FALSE(readFile(path, bytes).failed());
  return bytes;
}

void writeBytes(const std::string &path, const std::string &bytes) {
  FILE *file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), file);
  std::fclose(file);
}

/// An RGB image whose every sample differs from its neighbours.
Image patternImage(int64_t width, int64_t height) {
  Image image;
  image.width = width;
  image.height = height;
  image.pixels.resize(width * height * 3);
  for (size_t i = 0; i < image.pixels.size(); ++i)
    image.pixels[i] = static_cast<uint8_t>((i * 37 + i / 7) % 256);
  return image;
}

/// A PNG written by libpng's simplified API in `format` (samples of
/// `sampleBytes` bytes: 2 for the 16-bit linear formats).
std::string pngOf(const void *samples, uint32_t width, uint32_t height,
                  uint32_t format, const void *colormap = nullptr,
                  uint32_t colormapEntries = 0) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = format;
  image.colormap_entries = colormapEntries;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(
      png_image_write_get_memory_size(image, size, 0, samples, 0, colormap));
  std::string png(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&image, png.data(), &size, 0, samples,
                                        0, colormap));
  png.resize(size);
  return png;
}

/// A baseline JPEG of `components` 1 (grey) or 3 (RGB) at `quality`.
std::string jpegOf(const std::vector<uint8_t> &samples, int width, int height,
                   int components, int quality) {
  jpeg_compress_struct jpeg;
  jpeg_error_mgr errors;
  jpeg.err = jpeg_std_error(&errors);
  jpeg_create_compress(&jpeg);
  unsigned char *buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&jpeg, &buffer, &size);
  jpeg.image_width = width;
  jpeg.image_height = height;
  jpeg.input_components = components;
  jpeg.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&jpeg);
  jpeg_set_quality(&jpeg, quality, TRUE);
  jpeg_start_compress(&jpeg, TRUE);
  while (jpeg.next_scanline < jpeg.image_height) {
    JSAMPROW row = const_cast<uint8_t *>(samples.data()) +
                   size_t(jpeg.next_scanline) * width * components;
    jpeg_write_scanlines(&jpeg, &row, 1);
  }
  jpeg_finish_compress(&jpeg);
  jpeg_destroy_compress(&jpeg);
  std::string bytes(reinterpret_cast<char *>(buffer), size);
  std::free(buffer);
  return bytes;
}

std::string errorOf(const Status &status) {
  return status.failed() ? status.message() : "(no error)";
}

} // namespace

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

TEST(RuntimeNpyTest, HeaderRoundTrips) {
  for (const std::vector<int64_t> &shape :
       {std::vector<int64_t>{}, {7}, {1, 3, 96, 96}}) {
    std::string bytes = formatNpyHeader("<f4", shape);
    EXPECT_EQ(bytes.size() % 64, 0u);
    EXPECT_EQ(bytes.back(), '\n');
    NpyHeader header;
    ASSERT_FALSE(parseNpyHeader(bytes, header).failed());
    EXPECT_EQ(header.descr, "<f4");
    EXPECT_EQ(header.shape, shape);
    EXPECT_EQ(header.dataOffset, bytes.size());
  }
  // What numpy 1.24 writes for np.save(f, np.zeros((2, 3), np.uint8)).
  std::string numpy = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                      "{'descr': '|u1', 'fortran_order': False, 'shape': "
                      "(2, 3), }";
  numpy.append(127 - numpy.size(), ' ');
  EXPECT_EQ(formatNpyHeader("|u1", {2, 3}), numpy + '\n');
}

TEST(RuntimeNpyTest, LongHeaderIsVersion2) {
  std::vector<int64_t> shape(30000, 1);
  std::string bytes = formatNpyHeader("<f4", shape);
  EXPECT_EQ(bytes[6], 2);
  NpyHeader header;
  ASSERT_FALSE(parseNpyHeader(bytes, header).failed());
  EXPECT_EQ(header.shape, shape);
}

TEST(RuntimeNpyTest, RejectsBadHeadersAndSizes) {
  NpyHeader header;
  EXPECT_EQ(errorOf(parseNpyHeader("hello", header)),
            "not a .npy file (bad magic)");
  std::string good = formatNpyHeader("<f4", {2});
  EXPECT_EQ(errorOf(parseNpyHeader(good.substr(0, 40), header)),
            "truncated .npy header");
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_EQ(errorOf(parseNpyHeader(fortran, header)),
            "Fortran-order arrays are not supported; save a C-order array "
            "(np.ascontiguousarray)");
  std::string badShape = good;
  badShape.replace(badShape.find("(2,)"), 4, "(-2,)");
  EXPECT_EQ(errorOf(parseNpyHeader(badShape, header)),
            "malformed .npy header: 'shape' is not a tuple of non-negative "
            "integers");
  ASSERT_FALSE(parseNpyHeader(good, header).failed());
  EXPECT_FALSE(checkNpyDataSize(header, 4, 8).failed());
  EXPECT_EQ(
      errorOf(checkNpyDataSize(header, 4, 7)),
      "truncated: a 2 array of <f4 needs 8 bytes of data, the file has 7");
  EXPECT_EQ(errorOf(checkNpyDataSize(header, 4, 9)),
            "1 bytes after the array data");
}

TEST(RuntimeNpyTest, ReadsFloat32OfTheExpectedShapeOnly) {
  std::string directory = makeTemporaryDirectory();
  std::vector<float> values = {1.5f, -2.0f, 0.25f, 3.0f, 4.0f, 5.0f};
  std::string path = directory + "/x.npy";
  writeBytes(path, npyBytes("<f4", {2, 3}, values.data(), 24));
  std::vector<float> read;
  ASSERT_FALSE(readFloat32Npy(path, {2, 3}, read).failed());
  EXPECT_EQ(read, values);
  EXPECT_EQ(errorOf(readFloat32Npy(path, {1, 6}, read)),
            path + ": expected a float32 (<f4) array of shape 1x6, got <f4 "
                   "of shape 2x3");
  writeBytes(path, npyBytes("<f8", {3}, values.data(), 24));
  EXPECT_EQ(errorOf(readFloat32Npy(path, {3}, read)),
            path + ": expected a float32 (<f4) array of shape 3, got <f8 of "
                   "shape 3");
  EXPECT_EQ(errorOf(readFloat32Npy(directory + "/none.npy", {3}, read)),
            directory + "/none.npy: No such file or directory");
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

TEST(RuntimeFilesTest, OutputsAppearOnlyOnCommit) {
  std::string directory = makeTemporaryDirectory();
  std::string kept = directory + "/kept.txt", added = directory + "/new.txt";
  writeBytes(kept, "previous");
  {
    OutputFiles outputs;
    ASSERT_FALSE(outputs.add(kept, "replacement").failed());
    ASSERT_FALSE(outputs.add(added, "new").failed());
    EXPECT_EQ(contentsOf(kept), "previous");
    // Not committed: the temporaries go, the old output stays.
  }
  EXPECT_EQ(contentsOf(kept), "previous");
  EXPECT_EQ(filesIn(directory), std::vector<std::string>{"kept.txt"});
  {
    OutputFiles outputs;
    ASSERT_FALSE(outputs.add(kept, "replacement").failed());
    ASSERT_FALSE(outputs.add(added, "new").failed());
    ASSERT_FALSE(outputs.commit().failed());
  }
  EXPECT_EQ(contentsOf(kept), "replacement");
  EXPECT_EQ(contentsOf(added), "new");
  // Permissions of a newly created file, not mkstemp's 0600.
  mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat info;
  ASSERT_EQ(::stat(added.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask);
}

TEST(RuntimeFilesTest, DevicesAndPipesAreWrittenInPlace) {
  // A FIFO stands for /dev/null: renaming over it would leave a regular
  // file where the pipe was.
  std::string fifo = makeTemporaryDirectory() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  {
    OutputFiles outputs;
    ASSERT_FALSE(outputs.add(fifo, "logits").failed());
    ASSERT_FALSE(outputs.commit().failed());
  }
  struct stat info;
  ASSERT_EQ(::stat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));
  char received[16] = {};
  EXPECT_EQ(::read(reader, received, sizeof(received)), 6);
  EXPECT_EQ(std::string(received), "logits");
  ::close(reader);
}

TEST(RuntimeFilesTest, UnwritablePathsAreRefused) {
  std::string directory = makeTemporaryDirectory();
  EXPECT_FALSE(checkWritable(directory + "/out.png").failed());
  EXPECT_EQ(errorOf(checkWritable(directory)), directory + ": is a directory");
  EXPECT_EQ(errorOf(checkWritable(directory + "/no/out.png")),
            directory + "/no/out.png: cannot write in " + directory +
                "/no: No such file or directory");
  EXPECT_EQ(errorOf(checkWritable("")), "'' is not a file name");
  OutputFiles outputs;
  EXPECT_EQ(errorOf(outputs.add(directory + "/no/out.png", "x")),
            directory + "/no/out.png: cannot write: No such file or directory");
}

//===----------------------------------------------------------------------===//
// Images
//===----------------------------------------------------------------------===//

TEST(RuntimeImageTest, PngRoundTripsRgbAndGrey) {
  Image image = patternImage(13, 7);
  std::string png;
  ASSERT_FALSE(encodePng(image.pixels.data(), 13, 7, 3, png).failed());
  Image decoded;
  ASSERT_FALSE(decodeImage(png, decoded).failed());
  EXPECT_EQ(decoded.width, 13);
  EXPECT_EQ(decoded.height, 7);
  EXPECT_EQ(decoded.pixels, image.pixels);

  std::vector<uint8_t> grey(13 * 7);
  for (size_t i = 0; i < grey.size(); ++i)
    grey[i] = static_cast<uint8_t>(i * 3);
  ASSERT_FALSE(encodePng(grey.data(), 13, 7, 1, png).failed());
  ASSERT_FALSE(decodeImage(png, decoded).failed());
  for (size_t i = 0; i < grey.size(); ++i)
    for (int c = 0; c < 3; ++c)
      ASSERT_EQ(decoded.pixels[i * 3 + c], grey[i]) << i;
}

TEST(RuntimeImageTest, PngAlphaIsDroppedNotComposited) {
  std::vector<uint8_t> rgba = {10, 20, 30, 0, 200, 100, 50, 128};
  Image decoded;
  ASSERT_FALSE(
      decodeImage(pngOf(rgba.data(), 2, 1, PNG_FORMAT_RGBA), decoded).failed());
  EXPECT_EQ(decoded.pixels, (std::vector<uint8_t>{10, 20, 30, 200, 100, 50}));
  std::vector<uint8_t> greyAlpha = {77, 0, 99, 255};
  ASSERT_FALSE(
      decodeImage(pngOf(greyAlpha.data(), 2, 1, PNG_FORMAT_GA), decoded)
          .failed());
  EXPECT_EQ(decoded.pixels, (std::vector<uint8_t>{77, 77, 77, 99, 99, 99}));
}

TEST(RuntimeImageTest, PngPaletteAnd16BitDecode) {
  std::vector<uint8_t> palette = {255, 0, 0, 0, 0, 255, 9, 8, 7};
  std::vector<uint8_t> indices = {2, 0, 1, 2};
  Image decoded;
  ASSERT_FALSE(decodeImage(pngOf(indices.data(), 2, 2, PNG_FORMAT_RGB_COLORMAP,
                                 palette.data(), 3),
                           decoded)
                   .failed());
  EXPECT_EQ(decoded.pixels,
            (std::vector<uint8_t>{9, 8, 7, 255, 0, 0, 0, 0, 255, 9, 8, 7}));
  // 16-bit samples: the high byte, with no gamma conversion (the file says
  // linear light).
  std::vector<uint16_t> wide = {0x1234, 0xabcd, 0xff00};
  ASSERT_FALSE(
      decodeImage(pngOf(wide.data(), 1, 1, PNG_FORMAT_LINEAR_RGB), decoded)
          .failed());
  EXPECT_EQ(decoded.pixels, (std::vector<uint8_t>{0x12, 0xab, 0xff}));
}

TEST(RuntimeImageTest, JpegDecodesRgbAndGrey) {
  // A smooth image survives JPEG at quality 100 within a few levels.
  int width = 40, height = 24;
  std::vector<uint8_t> rgb(width * height * 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t *pixel = &rgb[(y * width + x) * 3];
      pixel[0] = static_cast<uint8_t>(40 + 4 * x);
      pixel[1] = static_cast<uint8_t>(200 - 5 * y);
      pixel[2] = static_cast<uint8_t>(100 + 2 * x + 2 * y);
    }
  Image decoded;
  ASSERT_FALSE(
      decodeImage(jpegOf(rgb, width, height, 3, 100), decoded).failed());
  ASSERT_EQ(decoded.width, width);
  ASSERT_EQ(decoded.height, height);
  int worst = 0;
  for (size_t i = 0; i < rgb.size(); ++i)
    worst = std::max(worst, std::abs(int(decoded.pixels[i]) - int(rgb[i])));
  EXPECT_LE(worst, 4);

  std::vector<uint8_t> grey(width * height);
  for (size_t i = 0; i < grey.size(); ++i)
    grey[i] = static_cast<uint8_t>(60 + i % width * 3);
  ASSERT_FALSE(
      decodeImage(jpegOf(grey, width, height, 1, 100), decoded).failed());
  for (size_t i = 0; i < grey.size(); ++i) {
    const uint8_t *pixel = &decoded.pixels[i * 3];
    ASSERT_TRUE(pixel[0] == pixel[1] && pixel[1] == pixel[2]) << i;
    ASSERT_LE(std::abs(int(pixel[0]) - int(grey[i])), 2) << i;
  }
}

TEST(RuntimeImageTest, BrokenImagesAreRefused) {
  Image decoded;
  EXPECT_EQ(errorOf(decodeImage("GIF89a", decoded)), "not a PNG or JPEG image");
  std::vector<uint8_t> rgb(64 * 64 * 3, 128);
  std::string jpeg = jpegOf(rgb, 64, 64, 3, 90);
  EXPECT_EQ(errorOf(decodeImage(jpeg.substr(0, jpeg.size() / 2), decoded)),
            "invalid JPEG: Premature end of JPEG file");
  EXPECT_EQ(errorOf(decodeImage(jpeg.substr(0, 20), decoded)).substr(0, 14),
            "invalid JPEG: ");
  Image image = patternImage(8, 8);
  std::string png;
  ASSERT_FALSE(encodePng(image.pixels.data(), 8, 8, 3, png).failed());
  EXPECT_EQ(errorOf(decodeImage(png.substr(0, png.size() - 30), decoded)),
            "invalid PNG: truncated PNG data");
  std::string corrupt = png;
  corrupt[20] ^= 1; // inside IHDR: its CRC no longer matches
  EXPECT_EQ(errorOf(decodeImage(corrupt, decoded)).substr(0, 13),
            "invalid PNG: ");
}

TEST(RuntimeImageTest, HugeImagesAreRefusedBeforeAllocating) {
  std::vector<uint8_t> pixel = {1, 2, 3};
  std::string png;
  ASSERT_FALSE(encodePng(pixel.data(), 1, 1, 3, png).failed());
  // IHDR's width and height (bytes 16..23), then its CRC (29..32).
  auto putBigEndian = [&](size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i)
      png[at + i] = static_cast<char>(value >> (24 - 8 * i));
  };
  putBigEndian(16, 30000);
  putBigEndian(20, 30000);
  putBigEndian(29, crc32(0, reinterpret_cast<const Bytef *>(&png[12]), 17));
  Image decoded;
  EXPECT_EQ(errorOf(decodeImage(png, decoded)),
            "invalid PNG: the image is too large (30000x30000, at most "
            "134217728 pixels)");
}

//===----------------------------------------------------------------------===//
// Boxes, crop, normalisation, mask
//===----------------------------------------------------------------------===//

TEST(RuntimePromptTest, ParsesAndChecksBoxes) {
  Box box;
  ASSERT_FALSE(parseBox("3,4,10,20", box).failed());
  EXPECT_EQ(box.x0, 3);
  EXPECT_EQ(box.y0, 4);
  EXPECT_EQ(box.width(), 7);
  EXPECT_EQ(box.height(), 16);
  for (const char *bad : {"", "1,2,3", "1,2,3,4,", "1,2,3,4,5", "1 ,2,3,4",
                          "1,2,3,4x", "+1,2,3,4", "1,2,3,99999999999999999999"})
    EXPECT_EQ(errorOf(parseBox(bad, box)),
              std::string("the box must be four integers x0,y0,x1,y1, got '") +
                  bad + "'");
  EXPECT_FALSE(checkBox({0, 0, 10, 5}, 10, 5).failed());
  EXPECT_EQ(errorOf(checkBox({4, 0, 4, 5}, 10, 5)),
            "the box 4,0,4,5 is empty (it needs x0 < x1 and y0 < y1)");
  EXPECT_EQ(errorOf(checkBox({0, -1, 4, 5}, 10, 5)),
            "the box 0,-1,4,5 is not inside the 10x5 image (it needs 0 <= x0 "
            "< x1 <= 10 and 0 <= y0 < y1 <= 5)");
  EXPECT_TRUE(checkBox({0, 0, 11, 5}, 10, 5).failed());
}

TEST(RuntimePromptTest, SameSizeCropIsTheBox) {
  Image image = patternImage(20, 10);
  ResizeAxis rows = resizeAxis(2, 6, 6, 10), cols = resizeAxis(5, 9, 9, 20);
  std::vector<uint8_t> crop(6 * 9 * 3);
  resizeCrop(image, rows, cols, crop.data());
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 9; ++x)
      for (int c = 0; c < 3; ++c)
        ASSERT_EQ(crop[(y * 9 + x) * 3 + c], image.pixel(5 + x, 2 + y)[c]);
}

TEST(RuntimePromptTest, ResizeAxisFollowsResizeCrop) {
  // _resize_crop of a 4-pixel-wide box from x0 = 2 to 8 outputs:
  // positions 2 + (k + 0.5) * 0.5 - 0.5 = 1.75, 2.25, ..., 5.25.
  ResizeAxis axis = resizeAxis(2, 4, 8, 10);
  std::vector<int64_t> lower = {1, 2, 2, 3, 3, 4, 4, 5};
  EXPECT_EQ(axis.lower, lower);
  for (size_t k = 0; k < 8; ++k) {
    EXPECT_EQ(axis.upper[k], axis.lower[k] + 1);
    EXPECT_DOUBLE_EQ(axis.frac[k], k % 2 ? 0.25 : 0.75);
  }
  // Clipped at both ends; the last row keeps a right neighbour.
  ResizeAxis clipped = resizeAxis(0, 2, 4, 2);
  EXPECT_EQ(clipped.lower, (std::vector<int64_t>{0, 0, 0, 0}));
  EXPECT_EQ(clipped.frac, (std::vector<double>{0, 0.25, 0.75, 1}));
  // A 1-pixel source: numpy's row -1 is row 0.
  ResizeAxis single = resizeAxis(0, 1, 3, 1);
  EXPECT_EQ(single.lower, (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(single.upper, (std::vector<int64_t>{0, 0, 0}));
}

TEST(RuntimePromptTest, BilinearRoundsHalfToEven) {
  // Two columns 0 and 1 (and 2 and 3, ...) blended half and half: 0.5
  // rounds to 0, 2.5 to 2, 3.5 to 4, as np.rint does.
  Image image;
  image.width = 2;
  image.height = 1;
  image.pixels = {0, 2, 3, 1, 3, 4};
  ResizeAxis rows = resizeAxis(0, 1, 1, 1), cols = resizeAxis(0, 2, 1, 2);
  EXPECT_EQ(cols.frac, (std::vector<double>{0.5}));
  std::vector<uint8_t> crop(3);
  resizeCrop(image, rows, cols, crop.data());
  EXPECT_EQ(crop, (std::vector<uint8_t>{0, 2, 4}));
}

TEST(RuntimePromptTest, NormalizesAsDataPy) {
  std::vector<uint8_t> crop = {0, 0, 0, 255, 255, 255};
  std::vector<float> input(6);
  normalizeCrop(crop.data(), 1, 2, input.data());
  // (0 - mean) / std and (1 - mean) / std per channel, NCHW.
  const float mean[3] = {0.485f, 0.456f, 0.406f},
              std[3] = {0.229f, 0.224f, 0.225f};
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(input[c * 2], -mean[c] / std[c]);
    EXPECT_FLOAT_EQ(input[c * 2 + 1], (1 - mean[c]) / std[c]);
  }
}

TEST(RuntimePromptTest, MaskIsPastedIntoTheBox) {
  Image image = patternImage(6, 5);
  Box box{1, 2, 4, 4};
  // 2x2 logits: the left column positive.
  std::vector<float> logits = {1, -1, 2, -2};
  PromptJob job(image, box, 4, 4, 2, 2);
  job.makeMask(logits.data());
  // The box's 3 columns sample the logits' 2 at -1/6 (clipped to 0), 1/2
  // and 7/6 (clipped to 1): rows 1, 0, -1 and 2, 0, -2; 0 is not > 0.
  std::vector<uint8_t> expected(6 * 5, 0);
  expected[2 * 6 + 1] = expected[3 * 6 + 1] = 255;
  EXPECT_EQ(job.mask(), expected);
  EXPECT_EQ(job.boxLogits().size(), 6u);
  EXPECT_FLOAT_EQ(job.boxLogits()[1], 0.0f);

  job.drawOverlay();
  const Image &overlay = job.overlay();
  // The box outline (1 pixel) is red; outside it the image, tinted where
  // masked (nothing is masked outside the outline here).
  for (int64_t y = 0; y < 5; ++y)
    for (int64_t x = 0; x < 6; ++x) {
      bool inBox = x >= 1 && x < 4 && y >= 2 && y < 4;
      const uint8_t *pixel = overlay.pixel(x, y);
      if (inBox)
        EXPECT_TRUE(pixel[0] == 255 && pixel[1] == 0 && pixel[2] == 0);
      else
        EXPECT_TRUE(std::equal(pixel, pixel + 3, image.pixel(x, y)));
    }
}

TEST(RuntimePromptTest, OverlayTintsTheMask) {
  Image image = patternImage(600, 600);
  std::vector<uint8_t> mask(600 * 600, 0);
  mask[300 * 600 + 300] = 255;
  Image overlay;
  drawOverlay(image, mask.data(), {100, 100, 500, 500}, overlay);
  const uint8_t *before = image.pixel(300, 300),
                *after = overlay.pixel(300, 300);
  EXPECT_EQ(after[0], (before[0] + 0 + 1) / 2);
  EXPECT_EQ(after[1], (before[1] + 255 + 1) / 2);
  EXPECT_EQ(after[2], (before[2] + 0 + 1) / 2);
  // min(600, 600) / 256 = 2-pixel outline.
  EXPECT_EQ(overlay.pixel(101, 300)[0], 255);
  EXPECT_TRUE(std::equal(overlay.pixel(102, 300), overlay.pixel(102, 300) + 3,
                         image.pixel(102, 300)));
}

TEST(RuntimePromptTest, RunningAgainAllocatesNothing) {
  Image image = patternImage(300, 200);
  PromptJob job(image, {20, 30, 250, 190}, 96, 96, 96, 96);
  std::vector<float> input(3 * 96 * 96), logits(96 * 96);
  for (size_t i = 0; i < logits.size(); ++i)
    logits[i] = float(i % 97) - 40.0f;
  job.prepareInput(input.data());
  job.makeMask(logits.data());
  job.drawOverlay();
  size_t before = allocationCount;
  for (int run = 0; run < 3; ++run) {
    job.prepareInput(input.data());
    job.makeMask(logits.data());
    job.drawOverlay();
  }
  EXPECT_EQ(allocationCount, before);
}
