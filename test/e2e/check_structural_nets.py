#!/usr/bin/env python3
"""End-to-end check of the structural ops' networks (test/models/structural_nets.py):
each exported by PyTorch, compiled by picosam-compile to the imported, fused,
planned FP32, quantized and planned INT8 stages (text files, as a user's
pipeline writes them) and run by picosam-run on the network's inputs.
The planned stages run with --planned (over their arena).

Passes when the imported, fused and planned FP32 stages match PyTorch's
outputs within 1e-5 of their range, fusion removed the pads it folds (the
fused graph of a network with pads has fewer pico.pad ops) and the batch
norms (none left; the transposed convolutions' carry a fused ReLU), the
quantized stage's outputs are
within 10% of the range of PyTorch's, and the planned INT8 stage equals the
quantized one bit for bit."""
import argparse
import os
import re
import sys

import numpy as np

from check_fp32 import ROOT, run

NETS = os.path.join(ROOT, "test", "models", "structural_nets.py")


def max_error(got, want):
    span = float(want.max() - want.min())
    return float(np.abs(got.astype(np.float64) - want).max()), span


def check_net(args, name):
    work = args.work
    model = os.path.join(work, name + ".onnx")
    inputs = os.path.join(work, name + ".inputs.npy")
    reference = np.load(os.path.join(work, name + ".reference.npy"))
    calibration = os.path.join(work, name + ".calibration.npy")
    int8 = [f"--calibration-data={calibration}", "--calibration-method=minmax"]
    ok = True
    outputs = {}
    pads = {}
    texts = {}
    for stage, options, planned in [("imported", ["--to=imported"], False),
                                    ("fused", ["--to=fused"], False),
                                    ("planned", ["--to=planned"], True),
                                    ("quantized", ["--to=quantized", *int8], False),
                                    ("planned-int8", ["--to=planned", *int8], True)]:
        ir = os.path.join(work, f"{name}.{stage}.mlir")
        run([args.compile_tool, model, *options, "-o", ir])
        texts[stage] = open(ir).read()
        pads[stage] = len(re.findall(r"= pico\.pad ", texts[stage]))
        out = os.path.join(work, f"{name}.{stage}.npy")
        run([args.run_tool, ir, "--batch", "-i", inputs, "-o", out,
             *(["--planned"] if planned else [])])
        outputs[stage] = np.load(out)
        error, span = max_error(outputs[stage], reference)
        print(f"{name} {stage}: max |picosam - PyTorch| = {error:.3g} (range {span:.3g}), "
              f"{pads[stage]} pico.pad")
        bound = 0.1 if "int8" in stage or stage == "quantized" else 1e-5
        if error > bound * span:
            print(f"FAIL: {name} {stage}: off by more than {bound} of the range")
            ok = False
    if pads["imported"] and pads["fused"] >= pads["imported"]:
        print(f"FAIL: {name}: fusion folded no pad")
        ok = False
    if "pico.batch_norm" in texts["imported"]:
        fused_relu = re.search(r"pico\.conv_transpose2d [^\n]*activation = #pico\.act<relu>",
                               texts["fused"])
        if "pico.batch_norm" in texts["fused"] or not fused_relu:
            print(f"FAIL: {name}: fusion left a batch norm, or fused no ReLU into a "
                  "transposed convolution")
            ok = False
    identical = outputs["planned-int8"].tobytes() == outputs["quantized"].tobytes()
    print(f"{name}: planned INT8 bit-identical to quantized {identical}")
    return ok and identical


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    names = ["pad_avgpool", "channel_shuffle", "conv_transpose_decoder", "squeeze_excite"]
    run([sys.executable, NETS, args.work, *names])
    ok = all([check_net(args, name) for name in names])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
