#!/usr/bin/env python3
"""End-to-end check of the CPU backend: PicoSAM3's planned stages
(picosam-compile --to=planned: INT8 of the cpu profile tiled (also compiled
for baseline x86-64), tiled only where the intermediate has 128 KB
(--plan-tile-min-bytes=131072, as the demo plans) and untiled, INT8 of the imx500 profile tiled and
untiled, FP32 untiled and tiled, and the unfused FP32 graphs of both
exports planned as imported; calibrated with
minmax on the shipped calibration crops) compiled to the picosam3 program
(picosam-compile STAGE --target=cpu --emit=exe; FP32 also for x86-64-v3 and
x86-64, which run the float convolution's AVX2 and baseline kernels), run in
raw mode (--input crop.npy --output logits.npy) on a sample of the evaluation
crops, against picosam-run --planned of the same stage: INT8 bit for bit, FP32
within 1e-4 of the logit range with every mask identical; and on 2 threads
(--threads 2), identical to 1. The INT8 cpu tiled program also gives the same
bytes on a few crops under every variant of the integer kernels
(PICOSAM_INT8_CONV=reference|portable|avx2|avx512vnni; one this machine lacks
falls back to the next slower one, saying so on stderr) and compiled for
x86-64-v3 (--cpu caps the variant; the x86-64 stage above runs the portable
one).

The INT8 and FP32 tiled stages are also compiled to a static library and
C header (--emit=lib) that test/e2e/run_library.c, a C program built with
the system C compiler (cc, the library, -lstdc++ and -lm), runs on the same
crops on 2 threads (tiled blocks in bands of rows at once): the same logits
as the program, and not one heap allocation during its runs (it counts
them).

Prints, per stage, the compile time of the program (wall and CPU), its size,
and the time per crop of the program (--bench, network alone) and of
picosam-run (--batch, wall per crop)."""

import argparse
import os
import sys
import time

import numpy as np

from check_fp32 import ROOT, crop_files, evaluation_inputs, program_logits, run

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(ROOT, "models", "picosam3.onnx")
CALIBRATION = os.path.join(ROOT, "models", "data", "calibration.npz")


def timed(cmd):
    """Runs `cmd`; returns (wall seconds, user + system CPU seconds)."""
    before = os.times()
    start = time.time()
    run(cmd)
    after = os.times()
    return (time.time() - start,
            (after.children_user - before.children_user) +
            (after.children_system - before.children_system))


def run_library(args, planned, name, inputs):
    """Compiles `planned` to a library and header, builds run_library.c with
    them (cc, -lstdc++ -lm), runs it on `inputs` (it fails on a heap allocation
    during a run) and returns its logits."""
    library = os.path.join(args.work, f"lib{name}.a")
    wall, cpu = timed([args.compile_tool, planned, "--target=cpu", "--emit=lib",
                       "-o", library])
    program = os.path.join(args.work, f"run_library-{name}")
    run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2",
         f'-DMODEL_HEADER="{library}.h"', os.path.join(HERE, "run_library.c"),
         library, "-lstdc++", "-lm", "-o", program])
    raw_inputs = os.path.join(args.work, f"{name}_inputs.f32")
    raw_logits = os.path.join(args.work, f"{name}_library_logits.f32")
    inputs.astype(np.float32).tofile(raw_inputs)
    print(run([program, raw_inputs, raw_logits, "3"]).stdout.strip())
    print(f"{name}: compiled to a library in {wall:.2f} s wall, {cpu:.2f} s CPU; "
          f"{os.path.getsize(library)} bytes")
    return np.fromfile(raw_logits, dtype=np.float32)


INT8_VARIANTS = ["reference", "portable", "avx2", "avx512vnni"]


def check_int8_variants(args, planned, program, crops):
    """The INT8 tiled program's logits on `crops` under every variant of the
    integer kernels (PICOSAM_INT8_CONV; one this machine lacks falls back,
    saying so) and compiled for x86-64-v3 (--cpu caps the variant: AVX2):
    byte-identical to the program's own. Returns whether all are."""
    def logits(path, env=None):
        output = os.path.join(args.work, "variant_logits.npy")
        values, warnings = [], set()
        for crop in crops:
            result = run([path, "--input", crop, "--output", output],
                         env={**os.environ, **(env or {})})
            warnings.update(line for line in result.stderr.splitlines() if line)
            values.append(np.load(output))
        return np.concatenate(values).tobytes(), warnings

    expected, _ = logits(program)
    runs = [(f"PICOSAM_INT8_CONV={name}", program, {"PICOSAM_INT8_CONV": name})
            for name in INT8_VARIANTS]
    v3 = os.path.join(args.work, "picosam3-int8-tiled-x86-64-v3")
    run([args.compile_tool, planned, "--target=cpu", "--cpu=x86-64-v3", "--emit=exe",
         "-o", v3])
    runs.append(("--cpu=x86-64-v3", v3, None))
    ok = True
    for label, path, env in runs:
        actual, warnings = logits(path, env)
        same = actual == expected
        note = f" ({'; '.join(sorted(warnings))})" if warnings else ""
        print(f"int8-tiled, {label}: {len(crops)} crops byte-identical {same}{note}")
        if not same:
            print(f"FAIL: the int8-tiled logits differ with {label}")
            ok = False
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--opt-tool", required=True, help="path of picosam-opt")
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    parser.add_argument("--samples", type=int, default=16,
                        help="evaluation crops compared for the INT8 cpu tiled stage")
    parser.add_argument("--other-samples", type=int, default=4,
                        help="evaluation crops compared for the other stages")
    parser.add_argument("--variant-samples", type=int, default=3,
                        help="evaluation crops compared across the INT8 kernel variants")
    args = parser.parse_args()

    inputs, normalized = evaluation_inputs(args.work, max(args.samples, args.other_samples))
    crops = crop_files(args.work, normalized)

    table = os.path.join(args.work, "calibration.txt")
    run([args.compile_tool, MODEL, "--to=quantized", f"--calibration-data={CALIBRATION}",
         "--calibration-method=minmax", f"--calibration-table={table}",
         "-o", os.path.join(args.work, "quantized.mlir")])
    int8 = [f"--calibration-table={table}"]
    # (name, planning options, samples, bit-exact, CPU compiled for)
    tiled = "--plan-tile-separable-blocks"
    library_stages = {"int8-tiled", "fp32-tiled"}
    stages = [
        ("int8-tiled", [*int8, tiled], args.samples, True, "host"),
        ("int8-tiled-x86-64", [*int8, tiled], args.other_samples, True, "x86-64"),
        ("int8-tiled-large", [*int8, tiled, "--plan-tile-min-bytes=131072"],
         args.other_samples, True, "host"),
        ("int8", int8, args.other_samples, True, "host"),
        ("imx500-tiled", [*int8, "--profile=imx500", tiled], args.other_samples, True, "host"),
        ("imx500", [*int8, "--profile=imx500"], args.other_samples, True, "host"),
        ("fp32", [], args.other_samples, False, "host"),
        ("fp32-tiled", [tiled], args.other_samples, False, "host"),
        # The float convolution's AVX2+FMA and baseline (SSE2) kernels.
        ("fp32-x86-64-v3", [], args.other_samples, False, "x86-64-v3"),
        ("fp32-x86-64", [], args.other_samples, False, "x86-64"),
        # Unfused: the imported graphs planned as they are (picosam-opt).
        ("fp32-imported", None, args.other_samples, False, "host"),
        ("fp32-imported-bn", None, args.other_samples, False, "host"),
    ]
    failed = False
    for name, options, samples, exact, cpu_name in stages:
        planned = os.path.join(args.work, name + ".mlir")
        if options is None:
            model = MODEL.replace(".onnx", "_bn.onnx") if name.endswith("-bn") else MODEL
            imported = os.path.join(args.work, name + "-imported.mlir")
            run([args.compile_tool, model, "--to=imported", "-o", imported])
            run([args.opt_tool, imported, "--pico-plan-memory", "--mlir-print-debuginfo",
                 "-o", planned])
        else:
            run([args.compile_tool, MODEL, "--to=planned", "-o", planned, *options])
        program = os.path.join(args.work, "picosam3-" + name)
        wall, cpu = timed([args.compile_tool, planned, "--target=cpu", f"--cpu={cpu_name}",
                           "--emit=exe", "-o", program])

        sample_inputs = os.path.join(args.work, name + "_inputs.npy")
        np.save(sample_inputs, normalized[:samples])
        reference_path = os.path.join(args.work, name + "_reference.npy")
        start = time.time()
        run([args.run_tool, planned, "--planned", "--batch", "-i", sample_inputs,
             "-o", reference_path])
        interpreter_seconds = (time.time() - start) / samples
        reference = np.load(reference_path)

        compiled = program_logits(program, crops[:samples], args.work)
        # The convolutions on 2 threads: the same bytes.
        threaded_path = os.path.join(args.work, f"{name}_logits0_threads2.npy")
        run([program, "--input", crops[0], "--output", threaded_path, "--threads", "2"])
        same_on_threads = np.load(threaded_path).tobytes() == compiled[:1].tobytes()
        bench = run([program, "--input", crops[0], "--output",
                     os.path.join(args.work, name + "_bench.npy"), "--bench", "5"]).stdout
        network_line = next((line.strip() for line in bench.splitlines()
                             if "network" in line), bench.strip())

        error = float(np.abs(compiled.astype(np.float64) - reference).max())
        logit_range = float(reference.max() - reference.min())
        same_masks = bool(((compiled > 0) == (reference > 0)).all())
        identical = compiled.tobytes() == reference.tobytes()
        print(f"{name}: compiled to an executable in {wall:.2f} s wall, {cpu:.2f} s CPU; "
              f"{os.path.getsize(program)} bytes; {samples} crops: max |compiled - "
              f"picosam-run --planned| = {error:.3g} (logit range {logit_range:.3g}), "
              f"bit-identical {identical}, masks identical {same_masks}, identical on 2 "
              f"threads {same_on_threads}; picosam-run "
              f"{interpreter_seconds:.3f} s per crop, program: {network_line}")
        if not same_on_threads:
            print(f"FAIL: the {name} program's logits differ on 2 threads")
            failed = True
        if name in library_stages:
            library = run_library(args, planned, name, normalized[:samples])
            if library.tobytes() != compiled.tobytes():
                print(f"FAIL: the {name} library's logits differ from the program's")
                failed = True
        if exact and not identical:
            print(f"FAIL: the {name} program's logits differ from picosam-run's")
            failed = True
        if name == "int8-tiled" and not check_int8_variants(
                args, planned, program, crops[:args.variant_samples]):
            failed = True
        if not exact and (error > 1e-4 * logit_range or not same_masks):
            print(f"FAIL: the {name} program's logits are off by more than 1e-4 of "
                  f"the range, or a mask differs")
            failed = True
    if failed:
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
