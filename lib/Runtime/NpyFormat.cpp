//===- NpyFormat.cpp - the .npy header, without LLVM ----------------------===//
//
// Format: numpy's NEP 1, "A simple file format for NumPy arrays".
//
//===----------------------------------------------------------------------===//
#include "picosam/Runtime/NpyFormat.h"

#include <charconv>
#include <optional>

using namespace picosam::runtime;

static constexpr std::string_view kNpyMagic("\x93NUMPY", 6);

static uint32_t readLittleEndian(std::string_view bytes, size_t offset,
                                 size_t size) {
  uint32_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= uint32_t(uint8_t(bytes[offset + i])) << (8 * i);
  return value;
}

namespace {
/// Parses the header dictionary, a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }`; returns
/// the reason on failure.
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : rest(text) {}

  std::optional<std::string> parse(NpyHeader &header, bool &fortranOrder) {
    bool seenDescr = false, seenOrder = false, seenShape = false;
    if (!consume('{'))
      return "expected '{'";
    while (!consume('}')) {
      std::string key;
      if (!parseString(key) || !consume(':'))
        return "expected 'key': value";
      if (key == "descr" && !seenDescr) {
        seenDescr = true;
        if (!parseString(header.descr))
          return "'descr' is not a string";
      } else if (key == "fortran_order" && !seenOrder) {
        seenOrder = true;
        if (consumeWord("True"))
          fortranOrder = true;
        else if (!consumeWord("False"))
          return "'fortran_order' is not True or False";
      } else if (key == "shape" && !seenShape) {
        seenShape = true;
        if (!parseShape(header.shape))
          return "'shape' is not a tuple of non-negative integers";
      } else {
        return "unexpected key '" + key + "'";
      }
      if (!consume(',') && !peek('}'))
        return "expected ',' or '}'";
    }
    if (!seenDescr || !seenOrder || !seenShape)
      return std::string("missing 'descr', 'fortran_order' or 'shape'");
    return std::nullopt;
  }

private:
  void skipSpace() {
    size_t start = rest.find_first_not_of(" \t\n");
    rest.remove_prefix(start == std::string_view::npos ? rest.size() : start);
  }
  bool peek(char c) {
    skipSpace();
    return !rest.empty() && rest.front() == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    rest.remove_prefix(1);
    return true;
  }
  bool consumeWord(std::string_view word) {
    skipSpace();
    if (rest.substr(0, word.size()) != word)
      return false;
    rest.remove_prefix(word.size());
    return true;
  }
  bool parseString(std::string &value) {
    skipSpace();
    if (rest.empty() || (rest[0] != '\'' && rest[0] != '"'))
      return false;
    size_t end = rest.find(rest[0], 1);
    if (end == std::string_view::npos)
      return false;
    value = std::string(rest.substr(1, end - 1));
    rest.remove_prefix(end + 1);
    return true;
  }
  bool parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipSpace();
      if (rest.empty() || rest[0] < '0' || rest[0] > '9')
        return false;
      int64_t dim;
      auto [end, error] =
          std::from_chars(rest.data(), rest.data() + rest.size(), dim);
      if (error != std::errc())
        return false;
      shape.push_back(dim);
      rest.remove_prefix(end - rest.data());
      if (!consume(',') && !peek(')'))
        return false;
    }
    return true;
  }

  std::string_view rest;
};
} // namespace

Status picosam::runtime::parseNpyHeader(std::string_view bytes,
                                        NpyHeader &header) {
  if (bytes.substr(0, kNpyMagic.size()) != kNpyMagic || bytes.size() < 10)
    return Status::failure("not a .npy file (bad magic)");
  uint8_t major = bytes[6];
  size_t lengthSize = major == 1 ? 2 : 4;
  if (major < 1 || major > 3)
    return Status::failure("unsupported .npy format version " +
                           std::to_string(major) + "." +
                           std::to_string(uint8_t(bytes[7])));
  if (bytes.size() < 8 + lengthSize)
    return Status::failure("truncated .npy header");
  size_t headerLength = readLittleEndian(bytes, 8, lengthSize);
  size_t dataOffset = 8 + lengthSize + headerLength;
  if (bytes.size() < dataOffset)
    return Status::failure("truncated .npy header");
  header = NpyHeader();
  bool fortranOrder = false;
  if (std::optional<std::string> reason =
          HeaderParser(bytes.substr(8 + lengthSize, headerLength))
              .parse(header, fortranOrder))
    return Status::failure("malformed .npy header: " + *reason);
  if (fortranOrder)
    return Status::failure("Fortran-order arrays are not supported; save a "
                           "C-order array (np.ascontiguousarray)");
  header.dataOffset = dataOffset;
  return Status::success();
}

Status picosam::runtime::checkNpyDataSize(const NpyHeader &header,
                                          size_t elementSize,
                                          size_t dataBytes) {
  uint64_t count = 1;
  for (int64_t dim : header.shape)
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(dim), &count))
      return Status::failure("shape is too large");
  uint64_t size;
  if (__builtin_mul_overflow(count, elementSize, &size) || size > dataBytes)
    return Status::failure(
        "truncated: a " + formatShape(header.shape) + " array of " +
        header.descr + " needs " + std::to_string(count * elementSize) +
        " bytes of data, the file has " + std::to_string(dataBytes));
  if (size < dataBytes)
    return Status::failure(std::to_string(dataBytes - size) +
                           " bytes after the array data");
  return Status::success();
}

std::string
picosam::runtime::formatNpyHeader(std::string_view descr,
                                  const std::vector<int64_t> &shape) {
  std::string header = "{'descr': '";
  header += descr;
  header += "', 'fortran_order': False, 'shape': (";
  for (int64_t dim : shape)
    header += std::to_string(dim) + (shape.size() == 1 ? "," : ", ");
  if (shape.size() > 1)
    header.resize(header.size() - 2);
  header += "), }";
  // Version 1 stores the header length in 2 bytes, version 2 in 4; either
  // way the data starts at a multiple of 64 bytes, after a newline.
  uint8_t major = header.size() + 64 > 0xffff ? 2 : 1;
  size_t lengthSize = major == 1 ? 2 : 4;
  header.append(63 - (8 + lengthSize + header.size()) % 64, ' ');
  header += '\n';
  std::string bytes(kNpyMagic);
  bytes += char(major);
  bytes += char(0);
  for (size_t i = 0; i < lengthSize; ++i)
    bytes += char((header.size() >> (8 * i)) & 0xff);
  return bytes + header;
}

std::string picosam::runtime::formatShape(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += 'x';
    text += std::to_string(shape[i]);
  }
  return text;
}
