//===- ConvInt8Tiles.h - the vector GEMMs' tiles and epilogue ---*- C++ -*-===//
//
// What the AVX2 and AVX-512 VNNI kernels share around their micro-kernels: the
// tile's two outputs (int32 sums to a tile, or requantized to bytes in
// registers), the requantization of a row's vectors and of a row of sums
// (Kernels::requantize), the loops over rows and pixels, and the dispatch of a
// depthwise row (Kernels::depthwiseRow) by its rows inside the input. Each
// variant's file includes it inside its anonymous namespace after defining
// PICOSAM_TILE_TARGET (its target attribute), PICOSAM_INLINE (always_inline),
// the epilogue types QuantizedMultiplier (multiplier, shift, exactNegatives)
// with apply(vector), BytePacking(zp, min, max, signed) with apply(const vector
// (&)[4]) (4 vectors' bytes in order) and ResidualTerm(row, signed, zp,
// multiplier, shift) with at(column, lanes), storeBytes(out, count, bytes) (the
// first count of 4 vectors' bytes), microkernel<MR, NV>(block, weight, stride,
// output) (rows [0, MR) x vectors [0, NV) to output.initial / finish), and a
// struct Isa with Vector, kLanes (its int32 lanes), zero(), broadcast(int32_t),
// add(a, b), store(int32_t *, v), load(const int32_t *, lanes) (the first
// `lanes`, clamped to [0, kLanes], 0 past them) and kRows(NV) (the rows of a
// tile of NV vectors), and for the depthwise rows QuadWeights,
// quadWeights(word) and addQuads(acc, u, weights) (acc plus the products of
// each dword's 4 u bytes). After including it, a variant with
// Kernels::depthwiseRow defines depthwiseRowOf<Rows, Flip, SharedLast>(row,
// present) (see depthwiseRow).
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

/// Channel c of a depthwise row with `Rows` kernel rows inside the input
/// (their indices `present`): its offset, the products of the rows outside
/// (all padding: paddingTaps, the padding's u) included, and each present
/// row's weights and input row.
template <int Rows> struct DepthwiseChannel {
  Vector offset;
  Isa::QuadWeights weights[Rows > 0 ? Rows : 1];
  const uint8_t *inputs[Rows > 0 ? Rows : 1];

  PICOSAM_TILE_TARGET PICOSAM_INLINE DepthwiseChannel(const DepthwiseRow &row,
                                                      int64_t c,
                                                      const int64_t *present,
                                                      Vector paddingTaps) {
    const Requantization &q = row.requantization;
    offset = Isa::broadcast(q.offsets[c * q.constantStride]);
    for (int64_t r = 0; r < row.kernelRows; ++r)
      if (!row.rows[r])
        offset = Isa::addQuads(offset, paddingTaps,
                               Isa::quadWeights(row.weightWord(c, r)));
#pragma GCC unroll 4
    for (int j = 0; j < Rows; ++j) {
      weights[j] = Isa::quadWeights(row.weightWord(c, present[j]));
      inputs[j] = row.rows[present[j]] + c * row.channelStride;
    }
  }
};

/// A channel's depthwise row of `n` outputs, 4 vectors at a time: vector
/// i's sums vectorSums(offset, i) (a lambda with the variant's target),
/// requantized together and stored at out.
template <typename VectorSums>
PICOSAM_TILE_TARGET PICOSAM_INLINE void
requantizeVectors(int64_t n, Vector offset, const VectorSums &vectorSums,
                  const QuantizedMultiplier &multiplier,
                  const BytePacking &packing, uint8_t *out) {
  for (int64_t i0 = 0; i0 < n; i0 += 4 * kLanes) {
    Vector acc[4];
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
      int64_t vector = i0 / kLanes + v;
      acc[v] = kLanes * vector < n ? vectorSums(offset, vector) : offset;
    }
    requantizeStore<4, true>(acc, i0, std::min<int64_t>(4 * kLanes, n - i0),
                             multiplier, packing, nullptr, out);
  }
}

/// A depthwise row with `Rows` kernel rows inside the input, whose indices
/// are `present`, the storage bytes xored with row.flip when `Flip`:
/// defined by the variants that have Kernels::depthwiseRow. With
/// `SharedLast`, the last two present kernel rows read the same stored row
/// (a nearest upsample's), whose taps are laid out once.
template <int Rows, bool Flip, bool SharedLast>
PICOSAM_TILE_TARGET void depthwiseRowOf(const DepthwiseRow &row,
                                        const int64_t *present);

template <int Rows, bool SharedLast = false>
PICOSAM_TILE_TARGET void depthwiseRowFlipped(const DepthwiseRow &row,
                                             const int64_t *present) {
  if (row.flip)
    depthwiseRowOf<Rows, true, SharedLast>(row, present);
  else
    depthwiseRowOf<Rows, false, SharedLast>(row, present);
}

/// Kernels::depthwiseRow: one instance per count of kernel rows inside the
/// input, so the loops over them unroll.
PICOSAM_TILE_TARGET void depthwiseRow(const DepthwiseRow &row) {
  int64_t present[DepthwiseRow::kMaxKernelRows], count = 0;
  for (int64_t r = 0; r < row.kernelRows; ++r)
    if (row.rows[r])
      present[count++] = r;
  // Kernel rows of 2 or 3 that read one stored row twice (an upsample's
  // rows): the pair last (the sums are integers, in any order).
  auto sameRow = [&](int64_t i, int64_t j) {
    return row.rows[present[i]] == row.rows[present[j]];
  };
  if (count == 3 && sameRow(0, 1) && !sameRow(1, 2)) {
    std::swap(present[0], present[2]);
    return depthwiseRowFlipped<3, true>(row, present);
  }
  if (count == 3 && sameRow(1, 2) && !sameRow(0, 1))
    return depthwiseRowFlipped<3, true>(row, present);
  if (count == 2 && sameRow(0, 1))
    return depthwiseRowFlipped<2, true>(row, present);
  static_assert(DepthwiseRow::kMaxKernelRows == 4);
  switch (count) {
  case 0:
    return depthwiseRowFlipped<0>(row, present);
  case 1:
    return depthwiseRowFlipped<1>(row, present);
  case 2:
    return depthwiseRowFlipped<2>(row, present);
  case 3:
    return depthwiseRowFlipped<3>(row, present);
  default:
    return depthwiseRowFlipped<4>(row, present);
  }
}
