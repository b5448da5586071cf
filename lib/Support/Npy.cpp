//===- Npy.cpp - numpy .npy and .npz files --------------------------------===//
//
// The .npy header is the runtime's (Runtime/NpyFormat.h, shared with compiled
// programs); this file maps its dtypes to tensors, and reads and writes
// PKWARE's APPNOTE (local headers, central directory, end-of-central-
// directory records, zip64 extensions) for the zip archives .npz files are.
//
//===----------------------------------------------------------------------===//
#include "picosam/Support/Npy.h"
#include "picosam/Runtime/NpyFormat.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <zlib.h>

using namespace picosam;
using llvm::StringRef;
namespace endian = llvm::support::endian;

static llvm::Error fileError(StringRef fileName, const llvm::Twine &reason) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 fileName + ": " + reason);
}

//===----------------------------------------------------------------------===//
// dtypes
//===----------------------------------------------------------------------===//

/// The dtype string numpy writes for `kind`.
static StringRef dtypeOf(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "<f4";
  case ElementKind::F64:
    return "<f8";
  case ElementKind::I8:
    return "|i1";
  case ElementKind::U8:
    return "|u1";
  case ElementKind::I16:
    return "<i2";
  case ElementKind::I32:
    return "<i4";
  case ElementKind::I64:
    return "<i8";
  case ElementKind::Bool:
    return "|b1";
  }
  llvm_unreachable("unknown element kind");
}

/// The kind of a dtype string; one-byte types may carry any byte-order mark
/// but '>' (numpy writes '|').
static std::optional<ElementKind> kindOfDtype(StringRef dtype) {
  if (dtype.size() != 3)
    return std::nullopt;
  char order = dtype[0];
  StringRef type = dtype.drop_front();
  if (order != '>') {
    if (type == "i1")
      return ElementKind::I8;
    if (type == "u1")
      return ElementKind::U8;
    if (type == "b1")
      return ElementKind::Bool;
  }
  if (order != '<')
    return std::nullopt;
  return llvm::StringSwitch<std::optional<ElementKind>>(type)
      .Case("f4", ElementKind::F32)
      .Case("f8", ElementKind::F64)
      .Case("i2", ElementKind::I16)
      .Case("i4", ElementKind::I32)
      .Case("i8", ElementKind::I64)
      .Default(std::nullopt);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> picosam::parseNpy(StringRef bytes, StringRef fileName) {
  runtime::NpyHeader header;
  if (runtime::Status status = runtime::parseNpyHeader(bytes, header);
      status.failed())
    return fileError(fileName, status.message());
  std::optional<ElementKind> kind = kindOfDtype(header.descr);
  if (!kind)
    return fileError(fileName, "unsupported dtype '" + header.descr +
                                   "' (expected <f4 <f8 |i1 |u1 <i2 <i4 <i8 "
                                   "|b1)");
  StringRef data = bytes.drop_front(header.dataOffset);
  if (runtime::Status status =
          runtime::checkNpyDataSize(header, byteWidth(*kind), data.size());
      status.failed())
    return fileError(fileName, status.message());

  Tensor tensor(*kind, header.shape);
  decodeLittleEndian(data, tensor);
  return tensor;
}

void picosam::printNpy(const Tensor &tensor, llvm::raw_ostream &os) {
  os << runtime::formatNpyHeader(dtypeOf(tensor.kind()), tensor.shape().vec());
  encodeLittleEndian(tensor, os);
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

/// Reads the file at `path` and parses its bytes with `parse` (parseNpy,
/// parseNpz), which names the file in its errors.
template <typename T>
static llvm::Expected<T>
readFile(StringRef path,
         llvm::function_ref<llvm::Expected<T>(StringRef bytes,
                                              StringRef fileName)>
             parse) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, buffer.getError().message());
  return parse((*buffer)->getBuffer(), path);
}

llvm::Expected<Tensor> picosam::readNpy(StringRef path) {
  return readFile<Tensor>(path, parseNpy);
}

//===----------------------------------------------------------------------===//
// .npz (zip)
//===----------------------------------------------------------------------===//

namespace zip {
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kStored = 0;
constexpr uint16_t kDeflated = 8;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEndOfCentralDirectorySize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kZip64EndOfCentralDirectorySize = 56;
/// MS-DOS date of 1980-01-01: written entries carry no real time, so the
/// same tensors always give the same bytes.
constexpr uint16_t kDosDate = (1 << 5) | 1;
} // namespace zip

namespace {
/// A bounds-checked little-endian reader over the archive.
class ByteReader {
public:
  explicit ByteReader(StringRef bytes) : bytes(bytes) {}
  bool has(uint64_t offset, uint64_t size) const {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  }
  uint16_t u16(uint64_t offset) const {
    return endian::read16le(bytes.data() + offset);
  }
  uint32_t u32(uint64_t offset) const {
    return endian::read32le(bytes.data() + offset);
  }
  uint64_t u64(uint64_t offset) const {
    return endian::read64le(bytes.data() + offset);
  }
  StringRef slice(uint64_t offset, uint64_t size) const {
    return bytes.substr(offset, size);
  }
  uint64_t size() const { return bytes.size(); }

private:
  StringRef bytes;
};

/// What the central directory says about one entry.
struct ZipEntry {
  std::string name;
  uint16_t method;
  uint32_t crc;
  uint64_t compressedSize;
  uint64_t uncompressedSize;
  uint64_t localHeaderOffset;
};
} // namespace

/// Replaces the 0xffffffff fields of `entry` with their values from the
/// zip64 extended-information field in `extra`; returns false if it is
/// missing or short.
static bool applyZip64Extra(StringRef extra, ZipEntry &entry,
                            uint32_t compressed32, uint32_t uncompressed32,
                            uint32_t offset32) {
  ByteReader reader(extra);
  for (uint64_t at = 0; reader.has(at, 4); at += 4 + reader.u16(at + 2)) {
    if (reader.u16(at) != zip::kZip64ExtraId)
      continue;
    uint64_t field = at + 4, end = field + reader.u16(at + 2);
    auto next = [&](uint64_t &value) {
      if (field + 8 > end || !reader.has(field, 8))
        return false;
      value = reader.u64(field);
      field += 8;
      return true;
    };
    return (uncompressed32 != 0xffffffff || next(entry.uncompressedSize)) &&
           (compressed32 != 0xffffffff || next(entry.compressedSize)) &&
           (offset32 != 0xffffffff || next(entry.localHeaderOffset));
  }
  return false;
}

/// Reads the central directory: the entries in archive order.
static llvm::Expected<std::vector<ZipEntry>>
readCentralDirectory(const ByteReader &reader, StringRef fileName) {
  auto corrupt = [&](const llvm::Twine &what) {
    return fileError(fileName, "not a valid .npz (zip) archive: " + what);
  };
  // The end-of-central-directory record is the last 22 bytes plus a comment
  // of at most 64 KiB.
  if (reader.size() < zip::kEndOfCentralDirectorySize)
    return corrupt("too short");
  uint64_t eocd = reader.size() - zip::kEndOfCentralDirectorySize;
  uint64_t lowest = eocd > 0xffff ? eocd - 0xffff : 0;
  while (reader.u32(eocd) != zip::kEndOfCentralDirectory) {
    if (eocd == lowest)
      return corrupt("no end-of-central-directory record");
    --eocd;
  }
  uint64_t entryCount = reader.u16(eocd + 10);
  uint64_t directorySize = reader.u32(eocd + 12);
  uint64_t directoryOffset = reader.u32(eocd + 16);
  if (entryCount == 0xffff || directorySize == 0xffffffff ||
      directoryOffset == 0xffffffff) {
    uint64_t locator = eocd - zip::kZip64LocatorSize;
    if (eocd < zip::kZip64LocatorSize ||
        reader.u32(locator) != zip::kZip64Locator)
      return corrupt("no zip64 end-of-central-directory locator");
    uint64_t record = reader.u64(locator + 8);
    if (!reader.has(record, zip::kZip64EndOfCentralDirectorySize) ||
        reader.u32(record) != zip::kZip64EndOfCentralDirectory)
      return corrupt("bad zip64 end-of-central-directory record");
    entryCount = reader.u64(record + 32);
    directorySize = reader.u64(record + 40);
    directoryOffset = reader.u64(record + 48);
  }
  if (!reader.has(directoryOffset, directorySize))
    return corrupt("central directory out of bounds");

  std::vector<ZipEntry> entries;
  uint64_t at = directoryOffset;
  for (uint64_t i = 0; i < entryCount; ++i) {
    if (!reader.has(at, zip::kCentralHeaderSize) ||
        reader.u32(at) != zip::kCentralHeader)
      return corrupt("bad central directory entry");
    uint16_t flags = reader.u16(at + 8);
    uint64_t nameSize = reader.u16(at + 28), extraSize = reader.u16(at + 30),
             commentSize = reader.u16(at + 32);
    if (!reader.has(at + zip::kCentralHeaderSize,
                    nameSize + extraSize + commentSize))
      return corrupt("central directory entry out of bounds");
    ZipEntry entry;
    entry.name = reader.slice(at + zip::kCentralHeaderSize, nameSize).str();
    entry.method = reader.u16(at + 10);
    entry.crc = reader.u32(at + 16);
    uint32_t compressed32 = reader.u32(at + 20),
             uncompressed32 = reader.u32(at + 24),
             offset32 = reader.u32(at + 42);
    entry.compressedSize = compressed32;
    entry.uncompressedSize = uncompressed32;
    entry.localHeaderOffset = offset32;
    if ((compressed32 == 0xffffffff || uncompressed32 == 0xffffffff ||
         offset32 == 0xffffffff) &&
        !applyZip64Extra(
            reader.slice(at + zip::kCentralHeaderSize + nameSize, extraSize),
            entry, compressed32, uncompressed32, offset32))
      return corrupt("entry '" + entry.name + "' lacks its zip64 sizes");
    if (flags & 1)
      return fileError(fileName, "entry '" + entry.name + "' is encrypted");
    entries.push_back(std::move(entry));
    at += zip::kCentralHeaderSize + nameSize + extraSize + commentSize;
  }
  return entries;
}

/// Inflates raw DEFLATE data (no zlib or gzip wrapper) of known size.
static std::optional<std::string> inflateRaw(StringRef compressed,
                                             uint64_t uncompressedSize) {
  if (compressed.size() > UINT32_MAX || uncompressedSize > UINT32_MAX)
    return std::nullopt;
  std::string out(uncompressedSize, '\0');
  z_stream stream = {};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
    return std::nullopt;
  stream.next_in =
      reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
  stream.avail_in = compressed.size();
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = out.size();
  int status = inflate(&stream, Z_FINISH);
  bool complete = status == Z_STREAM_END && stream.avail_out == 0;
  inflateEnd(&stream);
  if (!complete)
    return std::nullopt;
  return out;
}

llvm::Expected<NamedTensors> picosam::parseNpz(StringRef bytes,
                                               StringRef fileName,
                                               uint64_t maxBytes) {
  ByteReader reader(bytes);
  auto entries = readCentralDirectory(reader, fileName);
  if (!entries)
    return entries.takeError();
  // Before anything is inflated: each entry within DEFLATE's ratio (it
  // expands at most 1032-fold: a larger declared size is a lie, and the
  // buffer is allocated before inflating), and their total, as many
  // entries within the ratio still add up.
  uint64_t totalBytes = 0;
  for (const ZipEntry &entry : *entries) {
    if (entry.method == zip::kDeflated &&
        entry.uncompressedSize / 1032 > entry.compressedSize)
      return fileError((fileName + "[" + entry.name + "]").str(),
                       llvm::formatv("declares {0} bytes inflated from {1} "
                                     "compressed, more than DEFLATE expands",
                                     entry.uncompressedSize,
                                     entry.compressedSize));
    if (__builtin_add_overflow(totalBytes, entry.uncompressedSize, &totalBytes) ||
        totalBytes > maxBytes)
      return fileError(
          fileName,
          llvm::formatv("its entries hold more than {0} bytes inflated (the "
                        "limit; --max-npz-bytes raises it)",
                        maxBytes));
  }
  NamedTensors tensors;
  for (const ZipEntry &entry : *entries) {
    std::string entryName = (fileName + "[" + entry.name + "]").str();
    uint64_t header = entry.localHeaderOffset;
    if (!reader.has(header, zip::kLocalHeaderSize) ||
        reader.u32(header) != zip::kLocalHeader)
      return fileError(entryName, "bad local header");
    uint64_t dataOffset = header + zip::kLocalHeaderSize +
                          reader.u16(header + 26) + reader.u16(header + 28);
    if (!reader.has(dataOffset, entry.compressedSize))
      return fileError(entryName, "truncated entry data");
    StringRef data = reader.slice(dataOffset, entry.compressedSize);
    std::string inflated;
    if (entry.method == zip::kDeflated) {
      std::optional<std::string> out = inflateRaw(data, entry.uncompressedSize);
      if (!out)
        return fileError(entryName, "corrupt DEFLATE data");
      inflated = std::move(*out);
      data = inflated;
    } else if (entry.method != zip::kStored) {
      return fileError(entryName,
                       llvm::formatv("unsupported compression method {0} "
                                     "(expected stored or deflate)",
                                     entry.method));
    } else if (entry.compressedSize != entry.uncompressedSize) {
      return fileError(entryName, "stored entry changes size");
    }
    if (crc32(0, reinterpret_cast<const Bytef *>(data.data()), data.size()) !=
        entry.crc)
      return fileError(entryName, "CRC-32 mismatch");
    auto tensor = parseNpy(data, entryName);
    if (!tensor)
      return tensor.takeError();
    StringRef name(entry.name);
    name.consume_back(".npy");
    tensors.push_back({name.str(), std::move(*tensor)});
  }
  return tensors;
}

llvm::Error picosam::printNpz(const NamedTensors &tensors,
                              llvm::raw_ostream &os) {
  auto write16 = [&](uint16_t value) {
    endian::write(os, value, llvm::endianness::little);
  };
  auto write32 = [&](uint32_t value) {
    endian::write(os, value, llvm::endianness::little);
  };
  if (tensors.size() > 0xffff)
    return llvm::createStringError("more than 65535 tensors need zip64, "
                                   "which is not written");
  llvm::StringSet<> seen;
  struct Written {
    std::string name;
    uint32_t crc, size, offset;
  };
  std::vector<Written> written;
  uint64_t offset = 0;
  for (const NamedTensor &named : tensors) {
    std::string name = named.name + ".npy";
    if (!seen.insert(name).second)
      return llvm::createStringError("two tensors are named '" + named.name +
                                     "'");
    std::string data;
    llvm::raw_string_ostream dataStream(data);
    printNpy(named.tensor, dataStream);
    uint64_t end = offset + zip::kLocalHeaderSize + name.size() + data.size();
    if (end > 0xffffffff || name.size() > 0xffff)
      return llvm::createStringError("archive exceeds 4 GiB at '" + named.name +
                                     "': zip64 is not written");
    uint32_t crc =
        crc32(0, reinterpret_cast<const Bytef *>(data.data()), data.size());
    written.push_back({name, crc, static_cast<uint32_t>(data.size()),
                       static_cast<uint32_t>(offset)});
    write32(zip::kLocalHeader);
    write16(20); // version needed: 2.0
    write16(0);  // flags
    write16(zip::kStored);
    write16(0); // time
    write16(zip::kDosDate);
    write32(crc);
    write32(data.size());
    write32(data.size());
    write16(name.size());
    write16(0); // extra length
    os << name << data;
    offset = end;
  }
  uint64_t directoryOffset = offset;
  for (const Written &entry : written) {
    write32(zip::kCentralHeader);
    write16(20); // version made by
    write16(20); // version needed
    write16(0);  // flags
    write16(zip::kStored);
    write16(0); // time
    write16(zip::kDosDate);
    write32(entry.crc);
    write32(entry.size);
    write32(entry.size);
    write16(entry.name.size());
    write16(0); // extra length
    write16(0); // comment length
    write16(0); // disk
    write16(0); // internal attributes
    write32(0); // external attributes
    write32(entry.offset);
    os << entry.name;
    offset += zip::kCentralHeaderSize + entry.name.size();
  }
  if (offset > 0xffffffff)
    return llvm::createStringError("archive exceeds 4 GiB: zip64 is not "
                                   "written");
  write32(zip::kEndOfCentralDirectory);
  write16(0); // this disk
  write16(0); // disk with the directory
  write16(written.size());
  write16(written.size());
  write32(offset - directoryOffset);
  write32(directoryOffset);
  write16(0); // comment length
  return llvm::Error::success();
}

llvm::Expected<NamedTensors> picosam::readNpz(StringRef path,
                                              uint64_t maxBytes) {
  return readFile<NamedTensors>(path, [&](StringRef bytes, StringRef fileName) {
    return parseNpz(bytes, fileName, maxBytes);
  });
}
