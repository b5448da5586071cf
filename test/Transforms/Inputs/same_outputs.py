"""Checks that a pass kept the numbers: for every function of BEFORE, runs
picosam-run on BEFORE and AFTER with the same seeded normal inputs (one per
f32 tensor argument of the function's signature) and compares the results.
Prints "<function>: same (max abs diff <d>)" or what differs; exits 1 when
any function's results differ by more than --atol.

usage: same_outputs.py --run PICOSAM_RUN --work DIR [--atol A] BEFORE AFTER"""
import argparse
import os
import re
import subprocess
import sys
import zlib

import numpy as np

SIGNATURE = re.compile(r"^func\.func @([\w.]+)\((.*?)\)\s*->\s*\(?(.*?)\)?\s*\{", re.S | re.M)
TENSOR = re.compile(r"tensor<((?:\d+x)*)f32>")


def shapes(types):
    return [tuple(int(d) for d in dims.split("x") if d) for dims in TENSOR.findall(types)]


def run(tool, ir, name, inputs, outputs):
    command = [tool, ir, f"--entry={name}"]
    for path in inputs:
        command += ["-i", path]
    for path in outputs:
        command += ["-o", path]
    subprocess.run(command, check=True)
    return [np.load(path) for path in outputs]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run", required=True, help="path of picosam-run")
    parser.add_argument("--work", required=True)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("before")
    parser.add_argument("after")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    failed = 0
    for name, arguments, results in SIGNATURE.findall(open(args.before).read()):
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        inputs = []
        for index, shape in enumerate(shapes(arguments)):
            path = os.path.join(args.work, f"{name}.in{index}.npy")
            np.save(path, rng.standard_normal(shape).astype(np.float32))
            inputs.append(path)
        count = len(shapes(results))
        before = run(args.run, args.before, name, inputs,
                     [os.path.join(args.work, f"{name}.before{i}.npy") for i in range(count)])
        after = run(args.run, args.after, name, inputs,
                    [os.path.join(args.work, f"{name}.after{i}.npy") for i in range(count)])
        difference = max(float(np.abs(a.astype(np.float64) - b).max(initial=0))
                         for a, b in zip(before, after))
        if difference <= args.atol:
            print(f"{name}: same (max abs diff {difference:.1e})")
        else:
            print(f"{name}: DIFFERENT (max abs diff {difference:.3e} > {args.atol:.1e})")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
