//===- Int8ConvVariants.h - the fast integer variants tested --*- C++ -*-===//
//
// The variants of the integer kernels (ConvInt8.h) the unit tests check
// against the reference (nameOf names them for the tests' parameters).
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_TEST_UNIT_INT8CONVVARIANTS_H
#define PICOSAM_TEST_UNIT_INT8CONVVARIANTS_H

#include "picosam/Runtime/ConvInt8.h"

namespace picosam::runtime {

constexpr Int8ConvVariant kFastInt8Variants[] = {Int8ConvVariant::Portable,
                                                 Int8ConvVariant::Avx2,
                                                 Int8ConvVariant::Avx512Vnni};

} // namespace picosam::runtime

#endif // PICOSAM_TEST_UNIT_INT8CONVVARIANTS_H
