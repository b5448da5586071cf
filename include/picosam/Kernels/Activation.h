//===- Activation.h - the element-wise activations --------------*- C++ -*-===//
//
// The one definition of each activation's math. The pico dialect's
// `#pico.act` attribute converts to an `Activation` and applies it through
// here, and so do the float kernels' epilogues and the integer lookup
// tables, so every stage computes the same function.
//
//===----------------------------------------------------------------------===//
#ifndef PICOSAM_KERNELS_ACTIVATION_H
#define PICOSAM_KERNELS_ACTIVATION_H

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace picosam::kernels {

enum class ActivationKind {
  None,
  Relu,
  Clip,
  LeakyRelu,
  Sigmoid,
  HardSigmoid,
  HardSwish,
  Tanh,
  Abs,
  Neg,
  Exp,
  Sqrt,
  Pow,
  Elu,
  Selu,
  Softplus
};

/// An activation and its parameters: `alpha` and `beta` are clip's min and
/// max, leaky_relu's negative slope (alpha), hard_sigmoid's slope and
/// offset, pow's exponent (alpha), elu's alpha, selu's alpha and gamma;
/// other kinds have none.
struct Activation {
  ActivationKind kind = ActivationKind::None;
  float alpha = 0.0f, beta = 0.0f;

  bool isNone() const { return kind == ActivationKind::None; }

  float apply(float x) const {
    switch (kind) {
    case ActivationKind::None:
      return x;
    case ActivationKind::Relu:
      return std::max(x, 0.0f);
    case ActivationKind::Clip:
      return std::min(std::max(x, alpha), beta);
    case ActivationKind::LeakyRelu:
      return x >= 0.0f ? x : alpha * x;
    case ActivationKind::Sigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case ActivationKind::HardSigmoid:
      return std::max(0.0f, std::min(1.0f, alpha * x + beta));
    case ActivationKind::HardSwish:
      return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f));
    case ActivationKind::Tanh:
      return std::tanh(x);
    case ActivationKind::Abs:
      return std::fabs(x);
    case ActivationKind::Neg:
      return -x;
    case ActivationKind::Exp:
      return std::exp(x);
    case ActivationKind::Sqrt:
      return std::sqrt(x);
    case ActivationKind::Pow:
      return std::pow(x, alpha);
    case ActivationKind::Elu:
      return x >= 0.0f ? x : alpha * std::expm1(x);
    case ActivationKind::Selu:
      return beta * (x > 0.0f ? x : alpha * std::expm1(x));
    case ActivationKind::Softplus:
      // log(1 + exp(x)) without overflow: x + log1p(exp(-x)) for x > 0.
      return x > 0.0f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }
    return x; // Not reached: the switch covers every kind.
  }

  /// Applies the activation to `values[0, count)` in place.
  void applyInPlace(float *values, int64_t count) const {
    if (isNone())
      return;
    for (int64_t i = 0; i < count; ++i)
      values[i] = apply(values[i]);
  }
};

} // namespace picosam::kernels

#endif // PICOSAM_KERNELS_ACTIVATION_H
