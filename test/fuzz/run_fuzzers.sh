#!/usr/bin/env bash
# Runs picosam's libFuzzer targets (docs/hardening.md), one after another:
#
#   test/fuzz/run_fuzzers.sh BUILD_DIR [-t SECONDS] [-n RUNS] [TARGET ...]
#
# BUILD_DIR is the sanitizer build (-DPICOSAM_SANITIZE=ON, clang-22) with the
# picosam-fuzzers target built. Each target runs on BUILD_DIR/fuzz/<target>/
# corpus (seeded by make_corpora.py from the repository's files the first
# time; what libFuzzer finds is added to it) with its dictionary, for SECONDS
# (default 60) or RUNS executions, whichever comes first when both are given. A crash, leak, timeout or out-of-memory is
# kept as BUILD_DIR/fuzz/<target>/crashes/<kind>-<sha1> and fails the script
# at the end. Prints one line per target: executions, seconds, new crashes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$(cd "${1:?usage: run_fuzzers.sh BUILD_DIR [-t SECONDS] [-n RUNS] [TARGET ...]}" && pwd)"
shift
SECONDS_LIMIT=() RUNS_LIMIT=()
while getopts "t:n:" option; do
  case "$option" in
    t) SECONDS_LIMIT=(-max_total_time="$OPTARG") ;;
    n) RUNS_LIMIT=(-runs="$OPTARG") ;;
    *) exit 2 ;;
  esac
done
[ ${#SECONDS_LIMIT[@]} -gt 0 ] || [ ${#RUNS_LIMIT[@]} -gt 0 ] || SECONDS_LIMIT=(-max_total_time=60)
LIMIT=("${SECONDS_LIMIT[@]}" "${RUNS_LIMIT[@]}")
shift $((OPTIND - 1))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(NpyFuzzer NpzFuzzer CalibrationTableFuzzer
                                     NetworkFileFuzzer MlirFuzzer OnnxImportFuzzer)
declare -A DICTIONARY=([NpyFuzzer]=npy [NpzFuzzer]=npz [CalibrationTableFuzzer]=table
                       [NetworkFileFuzzer]=network [MlirFuzzer]=mlir [OnnxImportFuzzer]=onnx)

if [ ! -d "$BUILD/fuzz/seeds" ]; then
  /usr/bin/python3 "$HERE/make_corpora.py" "$ROOT" "$BUILD" "$BUILD/fuzz/seeds.tmp"
  mv "$BUILD/fuzz/seeds.tmp" "$BUILD/fuzz/seeds"
fi

# docs/hardening.md "Suppressions": LLVM's allocator poisons by hand in our
# code and not in Debian's libMLIR.
export ASAN_OPTIONS="allow_user_poisoning=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

failed=0
for target in "${TARGETS[@]}"; do
  work="$BUILD/fuzz/$target"
  mkdir -p "$work/corpus" "$work/crashes"
  [ -n "$(ls -A "$work/corpus")" ] || cp "$BUILD/fuzz/seeds/$target"/* "$work/corpus/"
  before=$(ls "$work/crashes" | wc -l)
  log="$work/last.log"
  start=$(date +%s)
  # The first corpus directory receives what libFuzzer finds. Inputs are
  # capped at 64 KiB, each run at 25 s and 2 GiB: a slower or larger run is
  # kept as a finding.
  status=0
  "$BUILD/bin/$target" "$work/corpus" -dict="$HERE/${DICTIONARY[$target]}.dict" \
    "${LIMIT[@]}" -max_len=65536 -timeout=25 -rss_limit_mb=2048 \
    -artifact_prefix="$work/crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(( $(ls "$work/crashes" | wc -l) - before ))
  printf '%-24s %12s executions %6s s %3d new crash(es)\n' "$target" "${runs:-?}" "$seconds" "$found"
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    failed=1
    echo "  $target failed (exit $status): $log, $work/crashes" >&2
    grep -m3 -E "ERROR: |SUMMARY: |runtime error" "$log" >&2 || true
  fi
done
exit "$failed"
