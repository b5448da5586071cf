//===- ConvInt8Tiles.h - the vector GEMMs' tiles and epilogue ---*- C++ -*-===//
//
// What the AVX2 and AVX-512 VNNI kernels share around their micro-kernels:
// the tile's two outputs (int32 sums to a tile, or requantized to bytes in
// registers), the requantization of a row's vectors and of a row of sums
// (Kernels::requantize), and the loops over rows and pixels. Each
// variant's file includes it inside its anonymous namespace after defining
// PICOSAM_TILE_TARGET (its target attribute), PICOSAM_INLINE
// (always_inline), the epilogue types QuantizedMultiplier (multiplier,
// shift, exactNegatives) with apply(vector), BytePacking(zp, min, max,
// signed) with apply(const vector (&)[4]) (4 vectors' bytes in order) and
// ResidualTerm(row, signed, zp, multiplier, shift) with at(column, lanes),
// storeBytes(out, count, bytes) (the first count of 4 vectors' bytes),
// microkernel<MR, NV>(block, weight, stride, output) (rows [0, MR) x
// vectors [0, NV) to output.initial / finish), and a struct Isa with
// Vector, kLanes (its int32 lanes), zero(), broadcast(int32_t), add(a, b),
// store(int32_t *, v), load(const int32_t *, lanes) (the first `lanes`,
// clamped to [0, kLanes], 0 past them) and kRows(NV) (the rows of a tile of
// NV vectors).
//
//===----------------------------------------------------------------------===//
// No include guard: the textual body of each variant's kernels.

using Vector = Isa::Vector;
constexpr int kLanes = Isa::kLanes;

/// One row's outputs [at, at + count) (0 < count <= kLanes * NV) from
/// their sums x (offset added), plus the residual's term (if any),
/// requantized and stored at out + at. With `Short`, `count` may leave
/// vectors empty, which are then skipped (a check the GEMM's full tiles do
/// without).
template <int NV, bool Short = false>
PICOSAM_TILE_TARGET PICOSAM_INLINE void
requantizeStore(const Vector (&x)[NV], int64_t at, int64_t count,
                const QuantizedMultiplier &multiplier,
                const BytePacking &packing, const ResidualTerm *residual,
                uint8_t *out) {
  Vector y[4] = {Isa::zero(), Isa::zero(), Isa::zero(), Isa::zero()};
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    if (Short && kLanes * v >= count)
      continue;
    Vector sum = x[v];
    if (residual)
      sum = Isa::add(sum,
                     residual->at(at + kLanes * v, count - kLanes * v));
    y[v] = multiplier.apply(sum);
  }
  storeBytes(out + at, count, packing.apply(y));
}

/// Kernels::gemm's output: each row's int32 sums in the tile.
struct SumsToTile {
  int32_t *tile;
  int64_t blockPixels;

  /// The rows from m0 and pixels from p0.
  SumsToTile from(int64_t m0, int64_t p0) const {
    return {tile + m0 * blockPixels + p0, blockPixels};
  }
  PICOSAM_TILE_TARGET Vector initial(int64_t) const { return Isa::zero(); }
  template <int NV>
  PICOSAM_TILE_TARGET PICOSAM_INLINE void
  finish(int64_t m, const Vector (&acc)[NV], int64_t) const {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      Isa::store(tile + m * blockPixels + kLanes * v, acc[v]);
  }
};

/// Kernels::gemmRequantize's output: each row requantized to its bytes.
struct SumsToBytes {
  const Requantization *q;
  const BytePacking *packing;
  int64_t row0 = 0, pixel0 = 0;

  SumsToBytes from(int64_t m0, int64_t p0) const {
    return {q, packing, row0 + m0, pixel0 + p0};
  }
  /// The sums start at the row's offset.
  PICOSAM_TILE_TARGET Vector initial(int64_t m) const {
    return Isa::broadcast(q->offsets[(row0 + m) * q->constantStride]);
  }
  template <int NV>
  PICOSAM_TILE_TARGET PICOSAM_INLINE void
  finish(int64_t m, const Vector (&acc)[NV], int64_t pixels) const {
    int64_t r = row0 + m, c = r * q->constantStride;
    QuantizedMultiplier multiplier(q->multipliers[c].multiplier,
                                   q->multipliers[c].shift,
                                   !q->clampsNonPositive());
    auto *out = static_cast<uint8_t *>(q->outputRow(r));
    if (!q->residual)
      return requantizeStore<NV>(acc, pixel0, pixels, multiplier, *packing,
                                 nullptr, out);
    ResidualTerm residual(static_cast<const uint8_t *>(q->residual) +
                              r * q->residualStride,
                          q->residualSigned, q->residualZeroPoint,
                          q->residualMultipliers[c].multiplier,
                          q->residualMultipliers[c].shift);
    requantizeStore<NV>(acc, pixel0, pixels, multiplier, *packing, &residual,
                        out);
  }
};

/// Rows [0, rows) for rows <= MR, with NV vectors.
template <int NV, int MR, typename Output>
PICOSAM_TILE_TARGET void remainingRows(const PackedBlock &block,
                                       const int8_t *weight, int64_t stride,
                                       int64_t rows, const Output &output) {
  if constexpr (MR > 0) {
    if (rows == MR)
      return microkernel<MR, NV>(block, weight, stride, output);
    return remainingRows<NV, MR - 1>(block, weight, stride, rows, output);
  }
}

/// All rows, in runs of Isa::kRows(NV), with NV vectors.
template <int NV, typename Output>
PICOSAM_TILE_TARGET void rowsOf(const PackedBlock &block, const int8_t *weight,
                                int64_t stride, int64_t rows,
                                const Output &output) {
  constexpr int kRows = Isa::kRows(NV);
  int64_t m = 0;
  for (; m + kRows <= rows; m += kRows)
    microkernel<kRows, NV>(block, weight + m * stride, stride,
                           output.from(m, 0));
  remainingRows<NV, kRows - 1>(block, weight + m * stride, stride, rows - m,
                               output.from(m, 0));
}

/// Every row of the block, its pixels by 4 vectors (the widest tile), the
/// rest apart.
template <typename Output>
PICOSAM_TILE_TARGET void gemmRows(const PackedBlock &block,
                                  const int8_t *weight, int64_t stride,
                                  int64_t rows, const Output &output) {
  for (int64_t p = 0; p < block.pixels; p += 4 * kLanes) {
    PackedBlock part = block;
    part.data += 4 * p;
    part.pixels = std::min<int64_t>(4 * kLanes, block.pixels - p);
    Output partOutput = output.from(0, p);
    switch ((part.pixels + kLanes - 1) / kLanes) {
    case 1:
      rowsOf<1>(part, weight, stride, rows, partOutput);
      break;
    case 2:
      rowsOf<2>(part, weight, stride, rows, partOutput);
      break;
    case 3:
      rowsOf<3>(part, weight, stride, rows, partOutput);
      break;
    default:
      rowsOf<4>(part, weight, stride, rows, partOutput);
      break;
    }
  }
}

PICOSAM_TILE_TARGET void gemm(const PackedBlock &block, const int8_t *weight,
                              int64_t stride, int64_t rows, int32_t *tile) {
  gemmRows(block, weight, stride, rows, SumsToTile{tile, block.blockPixels});
}

PICOSAM_TILE_TARGET void gemmRequantize(const PackedBlock &block,
                                        const int8_t *weight, int64_t stride,
                                        const Requantization &q) {
  BytePacking packing(q.outputZeroPoint, q.clampMin, q.clampMax,
                      q.outputSigned);
  gemmRows(block, weight, stride, q.rows, SumsToBytes{&q, &packing});
}

/// Kernels::requantize's row: the int32 sums of a row (the offset added
/// here) requantized 4 vectors at a time.
PICOSAM_TILE_TARGET void requantizeRow(const RowRequantization &row,
                                       const int32_t *sums, int64_t n,
                                       void *out) {
  BytePacking packing(row.outputZeroPoint, row.clampMin, row.clampMax,
                      row.outputSigned);
  QuantizedMultiplier multiplier(row.multiplier, row.shift,
                                 !row.clampsNonPositive());
  Vector offset = Isa::broadcast(row.offset);
  ResidualTerm residual(row.residual, row.residualSigned,
                        row.residualZeroPoint, row.residualMultiplier,
                        row.residualShift);
  for (int64_t i = 0; i < n; i += 4 * kLanes) {
    Vector x[4];
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v)
      x[v] = Isa::add(Isa::load(sums + i + kLanes * v, n - i - kLanes * v),
                      offset);
    requantizeStore<4, true>(x, i, std::min<int64_t>(4 * kLanes, n - i),
                             multiplier, packing,
                             row.residual ? &residual : nullptr,
                             static_cast<uint8_t *>(out));
  }
}
