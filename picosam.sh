#!/usr/bin/env bash
# picosam's two commands (see README.md):
#   ./picosam.sh demo   install what is missing, build, and run the main job on
#                       the bundled PicoSAM3 model
#   ./picosam.sh test   install what is missing, build, and run every test;
#                       then the sanitizer stage (docs/hardening.md): the
#                       ASan+UBSan build in build-sanitize/, its lit suite,
#                       unit tests and end-to-end sample, and every fuzz
#                       target for 20 s
# Both are idempotent: a second run installs nothing and rebuilds only what
# changed. And the benchmark (docs/performance.md):
#   ./picosam.sh bench [--runs N ...]   build, then time PicoSAM3 compiled by
#                       picosam against ONNX Runtime, PyTorch and the
#                       machine's compute floor (bench/bench.py; it installs
#                       onnxruntime-node with npm under the build directory)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="${PICOSAM_BUILD_DIR:-$ROOT/build}"
SANITIZE_BUILD="${PICOSAM_SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
LLVM=/usr/lib/llvm-22
PYTHON=/usr/bin/python3
JOBS="$(nproc)"

# Debian 12 packages: the MLIR/LLVM 22 toolchain (bookworm security suite),
# ONNX, FlatBuffers, GoogleTest, libpng and libjpeg-turbo for the images of
# compiled programs, and Python with torch/onnx/numpy for the model scripts
# and reference checks. OpenBLAS makes PyTorch's convolutions
# several times faster than the reference BLAS it would use otherwise.
# clang-22 with its sanitizer and libFuzzer runtimes builds the sanitizer
# stage of the tests.
PACKAGES=(
  g++ cmake ninja-build git
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libonnx-dev libprotobuf-dev protobuf-compiler
  libflatbuffers-dev flatbuffers-compiler
  libgtest-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev
  python3 python3-numpy python3-onnx python3-torch libopenblas0-openmp libonnx-testdata
  clang-22 lld-22 libclang-rt-22-dev
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

# Compares a logits .npy with PyTorch's for the sample crop.
compare_with_pytorch() {
  "$PYTHON" - "$1" "$ROOT/models/data/sample_logits.npy" "$2" <<'PY'
import sys
import numpy as np
ours, ref, label = np.load(sys.argv[1]), np.load(sys.argv[2]), sys.argv[3]
iou = ((ours > 0) & (ref > 0)).sum() / max(((ours > 0) | (ref > 0)).sum(), 1)
print(f"[picosam] {label}: max |picosam - PyTorch| = {np.abs(ours - ref).max():.2e}, "
      f"mask IoU vs PyTorch = {iou:.4f}, mask covers {(ours > 0).mean():.1%} of the crop")
PY
}

demo() {
  local bin="$BUILD/bin" out="$BUILD/demo" models="$ROOT/models"
  mkdir -p "$out"
  say "importing models/picosam3.onnx -> $out/picosam3.mlir"
  "$bin/picosam-compile" "$models/picosam3.onnx" --to=imported -o "$out/picosam3.mlir"
  say "model summary"
  "$bin/picosam-opt" "$out/picosam3.mlir" --pico-model-summary -o /dev/null
  say "running the imported FP32 graph on models/data/sample_input.npy"
  "$bin/picosam-run" "$out/picosam3.mlir" -i "$models/data/sample_input.npy" \
    -o "$out/sample_logits.npy"
  compare_with_pytorch "$out/sample_logits.npy" "FP32"
  say "compiling for the IMX500: fuse, quantize (imx500 profile, shipped calibration crops), plan"
  say "memory (tiled), check the sensor's rules and 8,388,480-byte budget, write the network file"
  say "(about 30 s; progress in $out/imx500.log)"
  "$bin/picosam-compile" "$models/picosam3.onnx" --target=imx500 \
    --calibration-data="$models/data/calibration.npz" --plan-tile-separable-blocks \
    -o "$out/picosam3.pimx" 2>"$out/imx500.log" \
    || { cat "$out/imx500.log" >&2; die "compiling for the IMX500 failed"; }
  sed -n '/IMX500 memory/,/Input Persistent/p' "$out/picosam3_MemoryReport.txt"
  say "network file: $out/picosam3.pimx (picosam-imx500 inspect); memory report:"
  say "$out/picosam3_MemoryReport.txt, .json (Sony's field names), .svg (the plan as a picture)"
  say "running the network file on the IMX500 simulator (integers, the planned arena)"
  "$bin/picosam-imx500" run "$out/picosam3.pimx" -i "$models/data/sample_input.npy" \
    -o "$out/sample_logits_imx500.npy"
  compare_with_pytorch "$out/sample_logits_imx500.npy" "INT8, IMX500 simulator"

  say "compiling for this CPU: INT8 (cpu profile), planned, lowered to kernel calls and LLVM,"
  say "linked into the picosam3 program (progress in $out/cpu.log)"
  "$bin/picosam-compile" "$models/picosam3.onnx" --target=cpu \
    --calibration-data="$models/data/calibration.npz" --plan-tile-separable-blocks \
    --plan-tile-min-bytes=131072 --emit=exe -o "$out/picosam3" 2>"$out/cpu.log" \
    || { cat "$out/cpu.log" >&2; die "compiling for the CPU failed"; }
  say "segmenting the shipped scenes from their prompt boxes (models/data/scenes/boxes.json)"
  local scene box
  while read -r scene box; do
    "$out/picosam3" --image "$models/data/scenes/$scene.png" --box "$box" \
      --mask "$out/${scene}_mask.png" --overlay "$out/${scene}_overlay.png"
    say "$scene, box $box: $out/${scene}_overlay.png (mask: $out/${scene}_mask.png)"
  done < <("$PYTHON" -c '
import json, sys
for s in json.load(open(sys.argv[1]))["scenes"]:
    print(s["file"].rsplit(".", 1)[0], ",".join(map(str, s["box"])))
' "$models/data/scenes/boxes.json")
}

run_bench() {
  say "benchmark: picosam, ONNX Runtime, PyTorch and the compute floor (a few minutes; --runs 20 for a quick look)"
  "$PYTHON" "$ROOT/bench/bench.py" --build "$BUILD" "$@"
}

run_tests() {
  say "running the test suite (ctest: lit, GoogleTest, ONNX node tests, model checks)"
  ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS"
}

# The sanitizer stage (docs/hardening.md): everything built with clang-22
# under -fsanitize=address,undefined (any finding fatal), in a second build
# directory; the lit suite, the unit tests and a sample of the end-to-end
# checks run there, then each fuzz target for 20 s on its corpus.
sanitize() {
  if [ ! -f "$SANITIZE_BUILD/build.ninja" ]; then
    say "configuring the sanitizer build (clang-22, ASan+UBSan) in $SANITIZE_BUILD"
    CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$ROOT" -B "$SANITIZE_BUILD" \
      -DMLIR_DIR="$LLVM/lib/cmake/mlir" \
      -DLLVM_EXTERNAL_LIT="$LLVM/bin/lit" \
      -DPICOSAM_PYTHON="$PYTHON" -DPICOSAM_SANITIZE=ON
  fi
  say "building the sanitizer build with $JOBS jobs"
  ninja -C "$SANITIZE_BUILD" -j "$JOBS"
  say "sanitizer stage: lit, GoogleTest, the ONNX node suite and the runtime checks under ASan+UBSan"
  # allow_user_poisoning=0: docs/hardening.md "Suppressions".
  export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  ctest --test-dir "$SANITIZE_BUILD" --output-on-failure -j "$JOBS" \
    -E '^(e2e\.|models\.|imx500\.simulator)'
  say "sanitizer stage: each fuzz target for 20 s"
  "$ROOT/test/fuzz/run_fuzzers.sh" "$SANITIZE_BUILD" -t 20
}

case "${1:-}" in
  demo) install_dependencies; build; demo ;;
  test) install_dependencies; build; run_tests; sanitize ;;
  bench) shift; install_dependencies; build; run_bench "$@" ;;
  *)
    echo "usage: $0 demo|test|bench [bench options]" >&2
    echo "  demo  install dependencies, build, import and run the bundled PicoSAM3, compile it for the IMX500 and the CPU, segment the shipped scenes" >&2
    echo "  test  install dependencies, build, run the whole test suite, then the sanitizer stage (docs/hardening.md)" >&2
    echo "  bench install dependencies, build, time PicoSAM3 against ONNX Runtime, PyTorch and the compute floor (bench/bench.py --help)" >&2
    exit 2 ;;
esac
