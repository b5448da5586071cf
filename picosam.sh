#!/usr/bin/env bash
# picosam's two commands (see README.md):
#   ./picosam.sh demo   install what is missing, build, and run the main job on
#                       the bundled PicoSAM3 model
#   ./picosam.sh test   install what is missing, build, and run every test
# Both are idempotent: a second run installs nothing and rebuilds only what
# changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="${PICOSAM_BUILD_DIR:-$ROOT/build}"
LLVM=/usr/lib/llvm-22
PYTHON=/usr/bin/python3
JOBS="$(nproc)"

# Debian 12 packages: the MLIR/LLVM 22 toolchain (bookworm security suite),
# ONNX, FlatBuffers, GoogleTest, and Python with torch/onnx/numpy for the
# model scripts and reference checks. OpenBLAS makes PyTorch's convolutions
# several times faster than the reference BLAS it would use otherwise.
PACKAGES=(
  g++ cmake ninja-build git
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libonnx-dev libprotobuf-dev protobuf-compiler
  libflatbuffers-dev flatbuffers-compiler
  libgtest-dev zlib1g-dev
  python3 python3-numpy python3-onnx python3-torch libopenblas0-openmp
)

if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
say() { printf '%s[picosam]%s %s\n' "$BOLD" "$PLAIN" "$*"; }
die() { printf '[picosam] error: %s\n' "$*" >&2; exit 1; }

install_dependencies() {
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "dependencies: all ${#PACKAGES[@]} Debian packages present"
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo)
  fi
  say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  say "(apt-get update, then apt-get install; this takes a few minutes the first time)"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
  say "dependencies installed"
}

build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    say "configuring (CMake + Ninja, MLIR from $LLVM) in $BUILD"
    cmake -G Ninja -S "$ROOT" -B "$BUILD" \
      -DMLIR_DIR="$LLVM/lib/cmake/mlir" \
      -DLLVM_EXTERNAL_LIT="$LLVM/bin/lit" \
      -DPICOSAM_PYTHON="$PYTHON"
  fi
  say "building with $JOBS jobs"
  ninja -C "$BUILD" -j "$JOBS"
  say "tools are in $BUILD/bin"
}

demo() {
  local bin="$BUILD/bin" out="$BUILD/demo" models="$ROOT/models"
  mkdir -p "$out"
  say "importing models/picosam3.onnx -> $out/picosam3.mlir"
  "$bin/picosam-compile" "$models/picosam3.onnx" --to=imported -o "$out/picosam3.mlir"
  say "model summary"
  "$bin/picosam-opt" "$out/picosam3.mlir" --pico-model-summary -o /dev/null
  say "running the imported graph on models/data/sample_input.npy"
  "$bin/picosam-run" "$out/picosam3.mlir" -i "$models/data/sample_input.npy" \
    -o "$out/sample_logits.npy"
  "$PYTHON" - "$out/sample_logits.npy" "$models/data/sample_logits.npy" <<'PY'
import sys
import numpy as np
ours, ref = np.load(sys.argv[1]), np.load(sys.argv[2])
iou = ((ours > 0) & (ref > 0)).sum() / max(((ours > 0) | (ref > 0)).sum(), 1)
print(f"[picosam] output {ours.shape}: max |picosam - PyTorch| = "
      f"{np.abs(ours - ref).max():.2e}, mask IoU = {iou:.4f}, "
      f"mask covers {(ours > 0).mean():.1%} of the crop")
PY
}

run_tests() {
  say "running the test suite (ctest: lit, GoogleTest, ONNX node tests, model checks)"
  ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS"
}

case "${1:-}" in
  demo) install_dependencies; build; demo ;;
  test) install_dependencies; build; run_tests ;;
  *)
    echo "usage: $0 demo|test" >&2
    echo "  demo  install dependencies, build, import and run the bundled PicoSAM3" >&2
    echo "  test  install dependencies, build, run the whole test suite" >&2
    exit 2 ;;
esac
