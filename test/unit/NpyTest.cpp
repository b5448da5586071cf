//===- NpyTest.cpp - .npy and .npz reading and writing --------------------===//
#include "picosam/Support/Npy.h"

#include "llvm/Support/Endian.h"
#include "gtest/gtest.h"

#include <zlib.h>

using namespace picosam;

namespace {

std::string toNpy(const Tensor &tensor) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  printNpy(tensor, os);
  return bytes;
}

/// The error message of `expected`, which must be an error.
template <typename T> std::string errorOf(llvm::Expected<T> expected) {
  if (expected)
    return "(no error)";
  return llvm::toString(expected.takeError());
}

/// A tensor of `kind` and `shape` holding 0, 1, 2, ... (mod 2 for Bool,
/// negated on odd indices for signed kinds).
Tensor sequence(ElementKind kind, llvm::ArrayRef<int64_t> shape) {
  Tensor tensor(kind, shape);
  for (int64_t i = 0; i < tensor.numElements(); ++i) {
    int64_t value = i % 2 ? -i : i;
    switch (kind) {
    case ElementKind::F32:
      tensor.floats()[i] = value * 0.5f;
      break;
    case ElementKind::F64:
      tensor.doubles()[i] = value * 0.25;
      break;
    case ElementKind::U8:
      tensor.ints()[i] = 250 - i;
      break;
    case ElementKind::Bool:
      tensor.ints()[i] = i % 2;
      break;
    default:
      tensor.ints()[i] = value;
      break;
    }
  }
  return tensor;
}

void expectSameTensor(const Tensor &a, const Tensor &b) {
  EXPECT_EQ(a.kind(), b.kind());
  EXPECT_EQ(a.shape(), b.shape());
  EXPECT_EQ(a.floats(), b.floats());
  EXPECT_EQ(a.doubles(), b.doubles());
  EXPECT_EQ(a.ints(), b.ints());
}

// Written by numpy 1.24:
//   a = np.arange(6, dtype=np.float32).reshape(2, 3)
//   b = np.array([-1, 2], np.int8)
//   np.savez(f, a=a, b=b)             -> kSavez: STORED entries whose local
//                                        headers carry zip64 extras
//   np.savez_compressed(f, a=a, b=b)  -> kSavezCompressed: DEFLATE entries
// clang-format off
const unsigned char kSavez[] = {
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x4f, 0xe9,
    0x00, 0x2a, 0x98, 0x00, 0x00, 0x00, 0x98, 0x00, 0x00, 0x00, 0x05, 0x00, 0x14, 0x00, 0x61, 0x2e,
    0x6e, 0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x98, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x98,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0x76,
    0x00, 0x7b, 0x27, 0x64, 0x65, 0x73, 0x63, 0x72, 0x27, 0x3a, 0x20, 0x27, 0x3c, 0x66, 0x34, 0x27,
    0x2c, 0x20, 0x27, 0x66, 0x6f, 0x72, 0x74, 0x72, 0x61, 0x6e, 0x5f, 0x6f, 0x72, 0x64, 0x65, 0x72,
    0x27, 0x3a, 0x20, 0x46, 0x61, 0x6c, 0x73, 0x65, 0x2c, 0x20, 0x27, 0x73, 0x68, 0x61, 0x70, 0x65,
    0x27, 0x3a, 0x20, 0x28, 0x32, 0x2c, 0x20, 0x33, 0x29, 0x2c, 0x20, 0x7d, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x3f, 0x00,
    0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x80, 0x40, 0x00, 0x00, 0xa0, 0x40, 0x50,
    0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0xfd, 0xe9, 0xc7,
    0x2c, 0x82, 0x00, 0x00, 0x00, 0x82, 0x00, 0x00, 0x00, 0x05, 0x00, 0x14, 0x00, 0x62, 0x2e, 0x6e,
    0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x82, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x82, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00,
    0x7b, 0x27, 0x64, 0x65, 0x73, 0x63, 0x72, 0x27, 0x3a, 0x20, 0x27, 0x7c, 0x69, 0x31, 0x27, 0x2c,
    0x20, 0x27, 0x66, 0x6f, 0x72, 0x74, 0x72, 0x61, 0x6e, 0x5f, 0x6f, 0x72, 0x64, 0x65, 0x72, 0x27,
    0x3a, 0x20, 0x46, 0x61, 0x6c, 0x73, 0x65, 0x2c, 0x20, 0x27, 0x73, 0x68, 0x61, 0x70, 0x65, 0x27,
    0x3a, 0x20, 0x28, 0x32, 0x2c, 0x29, 0x2c, 0x20, 0x7d, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x0a, 0xff, 0x02, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x4f, 0xe9, 0x00, 0x2a, 0x98, 0x00, 0x00, 0x00,
    0x98, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x2e, 0x6e, 0x70, 0x79, 0x50, 0x4b, 0x01, 0x02, 0x14,
    0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0xfd, 0xe9, 0xc7, 0x2c, 0x82,
    0x00, 0x00, 0x00, 0x82, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x80, 0x01, 0xcf, 0x00, 0x00, 0x00, 0x62, 0x2e, 0x6e, 0x70, 0x79, 0x50, 0x4b,
    0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x66, 0x00, 0x00, 0x00, 0x88, 0x01,
    0x00, 0x00, 0x00, 0x00,
};

const unsigned char kSavezCompressed[] = {
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x4f, 0xe9,
    0x00, 0x2a, 0x55, 0x00, 0x00, 0x00, 0x98, 0x00, 0x00, 0x00, 0x05, 0x00, 0x14, 0x00, 0x61, 0x2e,
    0x6e, 0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x98, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x55,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9b, 0xec, 0x17, 0xea, 0x1b, 0x10, 0xc9, 0xc8, 0x50,
    0xc6, 0x50, 0xad, 0x9e, 0x92, 0x5a, 0x9c, 0x5c, 0xa4, 0x6e, 0xa5, 0xa0, 0x6e, 0x93, 0x66, 0xa2,
    0xae, 0xa3, 0xa0, 0x9e, 0x96, 0x5f, 0x54, 0x52, 0x94, 0x98, 0x17, 0x9f, 0x5f, 0x94, 0x92, 0x0a,
    0x12, 0x77, 0x4b, 0xcc, 0x29, 0x4e, 0x05, 0x8a, 0x17, 0x67, 0x24, 0x16, 0xa4, 0x02, 0xf9, 0x1a,
    0x46, 0x3a, 0x0a, 0xc6, 0x9a, 0x3a, 0x0a, 0xb5, 0x0a, 0x64, 0x03, 0x2e, 0x06, 0x30, 0x68, 0xb0,
    0x07, 0x12, 0x0e, 0x40, 0x04, 0xc4, 0x0d, 0x40, 0xbc, 0xc0, 0x01, 0x00, 0x50, 0x4b, 0x03, 0x04,
    0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xfd, 0xe9, 0xc7, 0x2c, 0x46, 0x00,
    0x00, 0x00, 0x82, 0x00, 0x00, 0x00, 0x05, 0x00, 0x14, 0x00, 0x62, 0x2e, 0x6e, 0x70, 0x79, 0x01,
    0x00, 0x10, 0x00, 0x82, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x9b, 0xec, 0x17, 0xea, 0x1b, 0x10, 0xc9, 0xc8, 0x50, 0xc6, 0x50, 0xad, 0x9e,
    0x92, 0x5a, 0x9c, 0x5c, 0xa4, 0x6e, 0xa5, 0xa0, 0x5e, 0x93, 0x69, 0xa8, 0xae, 0xa3, 0xa0, 0x9e,
    0x96, 0x5f, 0x54, 0x52, 0x94, 0x98, 0x17, 0x9f, 0x5f, 0x94, 0x92, 0x0a, 0x12, 0x77, 0x4b, 0xcc,
    0x29, 0x4e, 0x05, 0x8a, 0x17, 0x67, 0x24, 0x16, 0xa4, 0x02, 0xf9, 0x1a, 0x46, 0x3a, 0x9a, 0x3a,
    0x0a, 0xb5, 0x0a, 0x14, 0x00, 0xae, 0xff, 0x4c, 0x00, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x4f, 0xe9, 0x00, 0x2a, 0x55, 0x00, 0x00,
    0x00, 0x98, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x2e, 0x6e, 0x70, 0x79, 0x50, 0x4b, 0x01, 0x02,
    0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xfd, 0xe9, 0xc7, 0x2c,
    0x46, 0x00, 0x00, 0x00, 0x82, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x8c, 0x00, 0x00, 0x00, 0x62, 0x2e, 0x6e, 0x70, 0x79, 0x50,
    0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x66, 0x00, 0x00, 0x00, 0x09,
    0x01, 0x00, 0x00, 0x00, 0x00,
};
// clang-format on

} // namespace

TEST(NpyTest, RoundTripsEveryKind) {
  for (ElementKind kind : {ElementKind::F32, ElementKind::F64, ElementKind::I8,
                           ElementKind::U8, ElementKind::I16, ElementKind::I32,
                           ElementKind::I64, ElementKind::Bool}) {
    for (const std::vector<int64_t> &shape :
         std::vector<std::vector<int64_t>>{{}, {5}, {2, 3, 4}, {0, 3}}) {
      SCOPED_TRACE(std::string(stringifyElementKind(kind)) + " " +
                   formatShape(shape));
      Tensor tensor = sequence(kind, shape);
      llvm::Expected<Tensor> parsed = parseNpy(toNpy(tensor), "t.npy");
      ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
      expectSameTensor(*parsed, tensor);
    }
  }
}

TEST(NpyTest, WritesWhatNumpyWrites) {
  // np.save of np.array([[1.5, -2]], np.float32): a version 1 header padded
  // with spaces to 128 bytes, then the data.
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, "
                       "2), }";
  header.append(127 - 10 - header.size(), ' ');
  header += '\n';
  std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header +
                         std::string("\x00\x00\xc0\x3f\x00\x00\x00\xc0", 8);
  Tensor tensor(ElementKind::F32, {1, 2});
  tensor.floats() = {1.5f, -2.0f};
  EXPECT_EQ(toNpy(tensor), expected);
}

TEST(NpyTest, ReadsVersion2And3Headers) {
  for (char major : {'\x02', '\x03'}) {
    std::string header = "{'descr': '<i2', 'fortran_order': False, 'shape': "
                         "(3,), }\n";
    std::string bytes = std::string("\x93NUMPY", 6) + major + '\0';
    char length[4];
    llvm::support::endian::write32le(length, header.size());
    bytes += std::string(length, 4) + header +
             std::string("\x01\x00\xff\xff\x00\x80", 6);
    llvm::Expected<Tensor> parsed = parseNpy(bytes, "v2.npy");
    ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
    EXPECT_EQ(parsed->kind(), ElementKind::I16);
    EXPECT_EQ(parsed->ints(), (std::vector<int64_t>{1, -1, -32768}));
  }
}

TEST(NpyTest, AcceptsHeaderVariants) {
  // Keys in another order, double quotes, no trailing comma, 1-byte types
  // marked '<' or '='.
  std::string header = "{\"shape\": (2,), 'fortran_order': False, 'descr': "
                       "'=u1'}";
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) +
                      char(header.size()) + '\0' + header + "\x07\x08";
  llvm::Expected<Tensor> parsed = parseNpy(bytes, "variant.npy");
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  EXPECT_EQ(parsed->kind(), ElementKind::U8);
  EXPECT_EQ(parsed->ints(), (std::vector<int64_t>{7, 8}));
}

TEST(NpyTest, RejectsBadFiles) {
  std::string good = toNpy(sequence(ElementKind::F32, {1, 4}));
  EXPECT_EQ(errorOf(parseNpy("PK\x03\x04 not numpy", "a.npy")),
            "a.npy: not a .npy file (bad magic)");
  EXPECT_EQ(errorOf(parseNpy(good.substr(0, good.size() - 3), "a.npy")),
            "a.npy: truncated: a 1x4 array of <f4 needs 16 bytes of data, the "
            "file has 13");
  EXPECT_EQ(errorOf(parseNpy(good.substr(0, 40), "a.npy")),
            "a.npy: truncated .npy header");
  EXPECT_EQ(errorOf(parseNpy(good + "xy", "a.npy")),
            "a.npy: 2 bytes after the array data");

  auto withHeader = [](std::string header) {
    return std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' +
           header;
  };
  EXPECT_EQ(errorOf(parseNpy(withHeader("{'descr': '<f4', 'fortran_order': "
                                        "True, 'shape': (1,), }"),
                             "f.npy")),
            "f.npy: Fortran-order arrays are not supported; save a C-order "
            "array (np.ascontiguousarray)");
  EXPECT_EQ(errorOf(parseNpy(withHeader("{'descr': '>f4', 'fortran_order': "
                                        "False, 'shape': (1,), }"),
                             "b.npy")),
            "b.npy: unsupported dtype '>f4' (expected <f4 <f8 |i1 |u1 <i2 <i4 "
            "<i8 |b1)");
  EXPECT_EQ(errorOf(parseNpy(withHeader("{'descr': '<f4', 'shape': (1,), }"),
                             "m.npy")),
            "m.npy: malformed .npy header: missing 'descr', 'fortran_order' or "
            "'shape'");
  EXPECT_EQ(errorOf(parseNpy(withHeader("{'descr': '<f4', 'fortran_order': "
                                        "False, 'shape': (-1,), }"),
                             "s.npy")),
            "s.npy: malformed .npy header: 'shape' is not a tuple of "
            "non-negative integers");
  EXPECT_EQ(errorOf(parseNpy(withHeader("{'descr': '<f4', 'fortran_order': "
                                        "False, 'shape': (99999999999, "
                                        "99999999999), }"),
                             "o.npy")),
            "o.npy: shape is too large");
  EXPECT_EQ(
      errorOf(parseNpy(std::string("\x93NUMPY\x04\x00\x00\x00", 10), "v.npy")),
      "v.npy: unsupported .npy format version 4.0");
}

TEST(NpyTest, ReadMissingFileNamesIt) {
  EXPECT_EQ(errorOf(readNpy("/nonexistent/x.npy")),
            "/nonexistent/x.npy: No such file or directory");
}

TEST(NpzTest, RoundTripsStoredArchives) {
  NamedTensors tensors;
  tensors.push_back({"/enc1/dw/Conv", sequence(ElementKind::F32, {1, 2, 3})});
  tensors.push_back({"arg0", sequence(ElementKind::I8, {4})});
  tensors.push_back({"empty", sequence(ElementKind::Bool, {0})});
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  ASSERT_FALSE(static_cast<bool>(printNpz(tensors, os)));
  llvm::Expected<NamedTensors> parsed = parseNpz(bytes, "t.npz");
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  ASSERT_EQ(parsed->size(), tensors.size());
  for (auto [read, written] : llvm::zip_equal(*parsed, tensors)) {
    EXPECT_EQ(read.name, written.name);
    expectSameTensor(read.tensor, written.tensor);
  }
}

TEST(NpzTest, RejectsDuplicateNames) {
  NamedTensors tensors;
  tensors.push_back({"x", sequence(ElementKind::F32, {1})});
  tensors.push_back({"x", sequence(ElementKind::F32, {2})});
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  EXPECT_EQ(llvm::toString(printNpz(tensors, os)), "two tensors are named 'x'");
}

/// The tensors of numpy's fixture archives.
void expectNumpyFixture(const NamedTensors &tensors) {
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_EQ(tensors[0].name, "a");
  EXPECT_EQ(tensors[0].tensor.shape(), (llvm::ArrayRef<int64_t>{2, 3}));
  EXPECT_EQ(tensors[0].tensor.floats(), (std::vector<float>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(tensors[1].name, "b");
  EXPECT_EQ(tensors[1].tensor.kind(), ElementKind::I8);
  EXPECT_EQ(tensors[1].tensor.ints(), (std::vector<int64_t>{-1, 2}));
}

TEST(NpzTest, ReadsNumpySavez) {
  llvm::Expected<NamedTensors> parsed = parseNpz(
      llvm::StringRef(reinterpret_cast<const char *>(kSavez), sizeof(kSavez)),
      "savez.npz");
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  expectNumpyFixture(*parsed);
}

TEST(NpzTest, ReadsNumpySavezCompressed) {
  llvm::Expected<NamedTensors> parsed =
      parseNpz(llvm::StringRef(reinterpret_cast<const char *>(kSavezCompressed),
                               sizeof(kSavezCompressed)),
               "compressed.npz");
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  expectNumpyFixture(*parsed);
}

TEST(NpzTest, RejectsDamagedArchives) {
  std::string stored(reinterpret_cast<const char *>(kSavez), sizeof(kSavez));
  EXPECT_EQ(errorOf(parseNpz("short", "s.npz")),
            "s.npz: not a valid .npz (zip) archive: too short");
  EXPECT_EQ(
      errorOf(parseNpz(std::string(100, 'x'), "x.npz")),
      "x.npz: not a valid .npz (zip) archive: no end-of-central-directory "
      "record");

  // Flip a data byte of the first entry: the CRC-32 no longer matches.
  std::string flipped = stored;
  flipped[200] ^= 1;
  EXPECT_EQ(errorOf(parseNpz(flipped, "f.npz")),
            "f.npz[a.npy]: CRC-32 mismatch");

  // Claim method 12 (bzip2) in the first central directory entry.
  std::string bzip2 = stored;
  size_t central = bzip2.find("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  bzip2[central + 10] = 12;
  EXPECT_EQ(errorOf(parseNpz(bzip2, "b.npz")),
            "b.npz[a.npy]: unsupported compression method 12 (expected stored "
            "or deflate)");

  // Cut the archive short of its central directory.
  EXPECT_EQ(errorOf(parseNpz(stored.substr(0, central) +
                                 stored.substr(stored.size() - 22),
                             "c.npz")),
            "c.npz: not a valid .npz (zip) archive: central directory out of "
            "bounds");

  // Damage the DEFLATE stream of a compressed archive.
  std::string compressed(reinterpret_cast<const char *>(kSavezCompressed),
                         sizeof(kSavezCompressed));
  for (size_t i = 40; i < 60; ++i)
    compressed[i] ^= 0x5a;
  EXPECT_EQ(errorOf(parseNpz(compressed, "d.npz")),
            "d.npz[a.npy]: corrupt DEFLATE data");

  // Declare an inflated size of almost 4 GiB: more than DEFLATE can expand
  // the entry's compressed bytes to, refused before any allocation.
  std::string lying(reinterpret_cast<const char *>(kSavezCompressed),
                    sizeof(kSavezCompressed));
  size_t entry = lying.find("PK\x01\x02");
  ASSERT_NE(entry, std::string::npos);
  uint32_t compressedSize =
      llvm::support::endian::read32le(lying.data() + entry + 20);
  llvm::support::endian::write32le(lying.data() + entry + 24, 0xfffffffe);
  EXPECT_EQ(errorOf(parseNpz(lying, "l.npz")),
            "l.npz[a.npy]: declares 4294967294 bytes inflated from " +
                std::to_string(compressedSize) +
                " compressed, more than DEFLATE expands");
}

/// Raw DEFLATE (no zlib or gzip wrapper) of `bytes`, made with zlib.
std::string deflateRaw(const std::string &bytes) {
  z_stream stream = {};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return "";
  std::string deflated(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  stream.avail_in = bytes.size();
  stream.next_out = reinterpret_cast<Bytef *>(deflated.data());
  stream.avail_out = deflated.size();
  int status = deflate(&stream, Z_FINISH);
  deflated.resize(stream.total_out);
  deflateEnd(&stream);
  return status == Z_STREAM_END ? deflated : "";
}

/// One entry of a zip archive built by zipOfDeflated.
struct DeflatedEntry {
  std::string name, deflated;
  uint32_t crc, inflatedSize;
};

/// A zip archive of DEFLATE entries, as np.savez_compressed writes it.
std::string zipOfDeflated(const std::vector<DeflatedEntry> &entries) {
  std::string archive;
  auto u16 = [&](uint16_t v) {
    char b[2];
    llvm::support::endian::write16le(b, v);
    archive.append(b, 2);
  };
  auto u32 = [&](uint32_t v) {
    char b[4];
    llvm::support::endian::write32le(b, v);
    archive.append(b, 4);
  };
  std::vector<uint32_t> offsets;
  for (const DeflatedEntry &entry : entries) {
    offsets.push_back(archive.size());
    u32(0x04034b50), u16(20), u16(0), u16(8), u16(0), u16(0), u32(entry.crc);
    u32(entry.deflated.size()), u32(entry.inflatedSize),
        u16(entry.name.size()), u16(0);
    archive += entry.name + entry.deflated;
  }
  uint32_t directory = archive.size();
  for (auto [entry, offset] : llvm::zip_equal(entries, offsets)) {
    u32(0x02014b50), u16(20), u16(20), u16(0), u16(8), u16(0), u16(0),
        u32(entry.crc);
    u32(entry.deflated.size()), u32(entry.inflatedSize),
        u16(entry.name.size()), u16(0), u16(0);
    u16(0), u16(0), u32(0), u32(offset);
    archive += entry.name;
  }
  uint32_t directorySize = archive.size() - directory;
  u32(0x06054b50), u16(0), u16(0), u16(entries.size()), u16(entries.size()),
      u32(directorySize);
  u32(directory), u16(0);
  return archive;
}

/// `npy` as a DEFLATE entry named `name`.
DeflatedEntry deflatedEntry(const std::string &name, const std::string &npy) {
  return {name, deflateRaw(npy),
          static_cast<uint32_t>(crc32(
              0, reinterpret_cast<const Bytef *>(npy.data()), npy.size())),
          static_cast<uint32_t>(npy.size())};
}

TEST(NpzTest, ReadsDeflateWrittenByZlib) {
  // A one-entry archive whose entry is raw DEFLATE, built here with zlib.
  std::string npy = toNpy(sequence(ElementKind::I32, {3, 5}));
  std::string archive = zipOfDeflated({deflatedEntry("z.npy", npy)});

  llvm::Expected<NamedTensors> parsed = parseNpz(archive, "z.npz");
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].name, "z");
  expectSameTensor((*parsed)[0].tensor, sequence(ElementKind::I32, {3, 5}));
}

TEST(NpzTest, BoundsTheTotalInflatedSize) {
  // Zeros deflate about 1000-fold, within the ratio every entry is checked
  // against: three 4 MiB entries are 12 KiB of archive. Their total is
  // bounded before any is inflated.
  std::string zeros = toNpy(Tensor(ElementKind::U8, {4 << 20}));
  DeflatedEntry entry = deflatedEntry("z.npy", zeros);
  std::vector<DeflatedEntry> entries(3, entry);
  entries[1].name = "y.npy", entries[2].name = "x.npy";
  std::string archive = zipOfDeflated(entries);
  EXPECT_LT(archive.size(), 3 * (zeros.size() / 500));
  EXPECT_EQ(errorOf(parseNpz(archive, "bomb.npz", 8 << 20)),
            "bomb.npz: its entries hold more than 8388608 bytes inflated (the "
            "limit; --max-npz-bytes raises it)");
  llvm::Expected<NamedTensors> parsed = parseNpz(archive, "bomb.npz", 16 << 20);
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  EXPECT_EQ(parsed->size(), 3u);

  // The default limit (1 GiB): 300 such entries are 1.2 GB inflated from
  // about 1.2 MB.
  std::vector<DeflatedEntry> many(300, entry);
  for (auto [index, each] : llvm::enumerate(many))
    each.name = std::to_string(index) + ".npy";
  EXPECT_EQ(errorOf(parseNpz(zipOfDeflated(many), "bomb.npz")),
            "bomb.npz: its entries hold more than 1073741824 bytes inflated "
            "(the limit; --max-npz-bytes raises it)");
}
