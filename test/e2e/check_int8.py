#!/usr/bin/env python3
"""End-to-end check of INT8 post-training quantization on the shipped model.

For each profile and calibration method: picosam-compile --to=quantized
calibrates on the shipped calibration crops and quantizes the fused graph,
which is compiled for the CPU (--target=cpu --emit=exe) and run on the
evaluation crops, and the logits are compared with PyTorch's FP32
references and the ground-truth masks. The interpreter is the
specification, the compiled program the fast path: for each profile's
default method, picosam-run's logits on the first --interpreter-samples
crops must equal the program's bit for bit. Prints one table row per
(profile, method):

  mean mask IoU against the FP32 output, the output SQNR in dB
  (10 log10(sum ref^2 / sum (ref - x)^2) over every logit), and the mean IoU
  against the ground truth next to FP32's.

Then the per-layer sensitivity of the default configuration of each
profile: picosam-run --dump of the fused float graph against --compare of
the quantized one (SQNR and cosine per tensor, by ONNX node name), worst
first; a line of that table the check cannot read fails it.

The default method of each profile is the one picosam-compile uses when
given none, as the calibration table it writes says. Fails unless that
method is among --methods and meets the goals: cpu IoU vs FP32 >= 0.99 and
SQNR >= 30 dB, imx500 IoU vs FP32 >= 0.98, and for both the ground-truth
mIoU within 0.5 point of FP32's."""
import argparse
import os
import re
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from data import normalize  # noqa: E402  (the one definition of the preprocessing)
from check_fp32 import crop_files, mask_iou, program_logits, run  # noqa: E402

METHODS = ["minmax", "percentile", "mse", "kl"]
GOALS = {"cpu": {"iou": 0.99, "sqnr": 30.0}, "imx500": {"iou": 0.98, "sqnr": None}}
MAX_GT_DROP = 0.005


def sqnr_db(x, ref):
    ref = ref.astype(np.float64)
    noise = ((ref - x.astype(np.float64)) ** 2).sum()
    return float("inf") if noise == 0 else 10 * np.log10((ref ** 2).sum() / noise)


def default_method(args, profile, sample):
    """The calibration method picosam-compile uses for `profile` when given
    none: the method the calibration table it writes names (calibrating on
    the one input in `sample`)."""
    table = os.path.join(args.work, f"{profile}_default_method.txt")
    run([args.compile_tool, args.model, "--to=quantized", f"--profile={profile}",
         f"--calibration-data={sample}", f"--calibration-table={table}", "-o", os.devnull])
    with open(table) as lines:
        for line in lines:
            match = re.match(r"# method: (\S+), profile: (\S+),", line)
            if match and match.group(2) == profile:
                return match.group(1)
    raise SystemExit(f"FAIL: {table} has no '# method: <method>, profile: {profile},' line")


# A row of picosam-run --compare's table (no thresholds given, so no status
# column): name, shape, max abs error, cosine, SQNR.
COMPARE_ROW = re.compile(r"(?P<name>.+?) +(?P<shape>scalar|[0-9]+(?:x[0-9]+)*) +"
                         r"(?P<error>\S+) +(?P<cosine>\S+) +(?P<sqnr>\S+)")
COMPARE_NUMBER = re.compile(r"-?[0-9.]+(?:e[+-][0-9]+)?|-?inf|nan")


def parse_comparison(table):
    """(name, cosine, SQNR) of every row of a picosam-run --compare table;
    exits with a failure naming the first line that is not the header, a
    row, a list of names found on one side only, or the count of compared
    tensors, and when that count is not the number of rows."""
    rows = []
    compared = None
    for number, line in enumerate(table.splitlines(), 1):
        row = COMPARE_ROW.fullmatch(line.rstrip())
        count = re.fullmatch(r"compared ([0-9]+) tensors", line)
        if number == 1 and line.split() == ["tensor", "shape", "max_abs_err", "cosine",
                                            "sqnr_db"]:
            continue
        if row and all(COMPARE_NUMBER.fullmatch(row.group(field))
                       for field in ("error", "cosine", "sqnr")):
            rows.append((row.group("name").rstrip(), float(row.group("cosine")),
                         float(row.group("sqnr"))))
        elif re.match(r"only in (this run|the reference) \([0-9]+\):", line):
            continue
        elif count and compared is None:
            compared = int(count.group(1))
        else:
            raise SystemExit(f"FAIL: cannot read line {number} of picosam-run --compare's "
                             f"table: {line!r}")
    if compared != len(rows):
        raise SystemExit(f"FAIL: picosam-run --compare's table has {len(rows)} rows but "
                         f"reports {compared} compared tensors")
    return rows


def sensitivity(args, profile, method, quantized_ir, samples):
    """Per-tensor SQNR and cosine of the quantized graph against the float
    fused graph on `samples`, worst SQNR first."""
    fused = os.path.join(args.work, "fused.mlir")
    if not os.path.exists(fused):
        run([args.compile_tool, args.model, "--to=fused", "-o", fused])
    float_dump = os.path.join(args.work, "fused_dump.npz")
    if not os.path.exists(float_dump):
        run([args.run_tool, fused, "--batch", "-i", samples, "--dump", float_dump])
    rows = parse_comparison(run([args.run_tool, quantized_ir, "--batch", "-i", samples,
                                 "--compare", float_dump]).stdout)
    rows.sort(key=lambda row: row[2])
    print(f"\nper-layer sensitivity, {profile} profile, {method} "
          f"calibration ({len(rows)} tensors; quantized vs float, worst first):")
    print(f"  {'tensor':70s} {'cosine':>9s} {'SQNR dB':>8s}")
    for name, cosine, sqnr in rows[: args.report_rows]:
        print(f"  {name[:70]:70s} {cosine:9.5f} {sqnr:8.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "picosam3.onnx"))
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    parser.add_argument("--profiles", default="cpu,imx500")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--limit", type=int, default=0, help="first N evaluation samples only")
    parser.add_argument("--report-rows", type=int, default=12,
                        help="rows of each per-layer sensitivity report")
    parser.add_argument("--sensitivity-samples", type=int, default=8)
    parser.add_argument("--interpreter-samples", type=int, default=16,
                        help="crops on which picosam-run must equal the compiled program "
                             "(each profile's default method)")
    parser.add_argument("--fallback-layers", default="/head/dw/Conv",
                        help="float-layers of an extra row per profile (default method), "
                             "to show what keeping the most sensitive layers in float "
                             "buys; empty: no extra row")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    data_dir = os.path.join(ROOT, "models", "data")
    evaluation = np.load(os.path.join(data_dir, "evaluation.npz"))
    crops, masks = evaluation["crops"], evaluation["masks"]
    reference = np.load(os.path.join(data_dir, "reference.npz"))["logits"]
    if args.limit:
        crops, masks, reference = crops[: args.limit], masks[: args.limit], reference[: args.limit]
    crop_paths = crop_files(args.work, normalize(crops))
    interpreter_inputs = os.path.join(args.work, "interpreter_inputs.npy")
    np.save(interpreter_inputs, normalize(crops[: args.interpreter_samples]))
    samples = os.path.join(args.work, "sensitivity_inputs.npy")
    np.save(samples, normalize(crops[: args.sensitivity_samples]))
    sample = os.path.join(args.work, "one_input.npy")
    np.save(sample, normalize(crops[:1]))
    truth = masks.astype(np.float32)[:, None] - 0.5
    fp32_miou = mask_iou(reference, truth).mean()
    calibration = os.path.join(data_dir, "calibration.npz")

    profiles = args.profiles.split(",")
    methods = args.methods.split(",")
    defaults = {profile: default_method(args, profile, sample) for profile in profiles}
    print(f"{len(crops)} evaluation crops, {os.path.basename(args.model)}; "
          f"FP32 mIoU vs ground truth {fp32_miou:.4f}")
    print("picosam-compile's default calibration method: " +
          ", ".join(f"{profile} {method}" for profile, method in defaults.items()))
    header = (f"{'profile':8s} {'method':10s} {'IoU vs FP32':>11s} {'min IoU':>8s} "
              f"{'SQNR dB':>8s} {'mIoU vs GT':>10s} {'FP32':>7s} {'delta':>7s} {'seconds':>8s}")
    print(header)
    print("-" * len(header))
    failures = [f"{profile}: the default method {method} is not among --methods"
                for profile, method in defaults.items() if method not in methods]
    fallback_notes = []
    for profile in profiles:
        configurations = [(method, None) for method in methods]
        if args.fallback_layers and defaults[profile] in methods:
            configurations.append((defaults[profile], args.fallback_layers))
        for method, fallback in configurations:
            start = time.time()
            label = method + ("+f32" if fallback else "")
            ir = os.path.join(args.work, f"{profile}_{label}.mlir")
            table = os.path.join(args.work, f"{profile}_{method}.txt")
            calibrate = ([f"--calibration-table={table}", f"--float-layers={fallback}"]
                         if fallback else
                         [f"--calibration-data={calibration}", f"--calibration-method={method}",
                          f"--calibration-table={table}"])
            compiled = run([args.compile_tool, args.model, "--to=quantized",
                            f"--profile={profile}", "-o", ir] + calibrate)
            if fallback:
                fallback_notes.append(f"{profile} {label}: " + " ".join(
                    line.strip() for line in compiled.stderr.splitlines() if line.strip()))
            program = os.path.join(args.work, f"{profile}_{label}-picosam3")
            run([args.compile_tool, ir, "--target=cpu", "--emit=exe", "-o", program])
            logits = program_logits(program, crop_paths, args.work)
            np.save(os.path.join(args.work, f"{profile}_{label}_logits.npy"), logits)
            iou = mask_iou(logits, reference)
            sqnr = sqnr_db(logits, reference)
            miou = mask_iou(logits, truth).mean()
            default = method == defaults[profile] and not fallback
            print(f"{profile:8s} {label + ('*' if default else ''):10s} {iou.mean():11.4f} "
                  f"{iou.min():8.4f} {sqnr:8.2f} {miou:10.4f} {fp32_miou:7.4f} "
                  f"{miou - fp32_miou:+7.4f} {time.time() - start:8.1f}", flush=True)
            if not default:
                continue
            interpreted_path = os.path.join(args.work,
                                            f"{profile}_{label}_interpreter_logits.npy")
            run([args.run_tool, ir, "--batch", "-i", interpreter_inputs, "-o", interpreted_path])
            interpreted = np.load(interpreted_path)
            count = len(interpreted)
            if interpreted.tobytes() != logits[:count].tobytes():
                failures.append(f"{profile}/{method}: the compiled program's logits differ "
                                f"from picosam-run's on the first {count} crops")
            else:
                print(f"{'':8s} (picosam-run of {os.path.basename(ir)}: the same logits "
                      f"bit for bit on the first {count} crops)", flush=True)
            goal = GOALS[profile]
            if iou.mean() < goal["iou"]:
                failures.append(f"{profile}/{method}: mean IoU vs FP32 {iou.mean():.4f} < {goal['iou']}")
            if goal["sqnr"] is not None and sqnr < goal["sqnr"]:
                failures.append(f"{profile}/{method}: output SQNR {sqnr:.2f} dB < {goal['sqnr']}")
            if abs(miou - fp32_miou) > MAX_GT_DROP:
                failures.append(f"{profile}/{method}: mIoU vs ground truth {miou:.4f} is more "
                                f"than {MAX_GT_DROP} from FP32's {fp32_miou:.4f}")
    print("(* = the profile's default method, whose goals are checked; +f32 = the "
          f"default method with --float-layers={args.fallback_layers})")
    for note in fallback_notes:
        print(note)
    for profile in profiles:
        ir = os.path.join(args.work, f"{profile}_{defaults[profile]}.mlir")
        if defaults[profile] in methods:
            sensitivity(args, profile, defaults[profile], ir, samples)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
