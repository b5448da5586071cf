#!/usr/bin/env python3
"""Re-derives the IMX500 memory figures of a planned MLIR file (picosam-compile
--target=imx500 --to=planned) from the IR text alone, sharing no code with
the compiler, as docs/imx500.md "Memory accounting" states them:

  model memory    for every conv2d / channel_attention (weight OxIxKhxKw):
                  ceil(O / G) * G padded channels x (I x Kh x Kw) int8
                  weights + 4 bytes of bias + 8 bytes of quantization
                  parameters per padded channel; any other constant at its
                  type's width;
  runtime memory  max(arena, whole-tensor peak) + the input's elements (8-bit)
                  when it persists. The whole-tensor peak is read from the
                  report (`imx500_memory`); the test checks it against a
                  count by hand;
  reserved        1,024 by default; usage = the sum; utilization; fit.

Compares with the report's JSON (Sony's field names) and prints the figures.
usage: imx500_memory.py planned.mlir report.json [--group G] [--no-persistent]
"""
import argparse
import json
import re
import sys

ap = argparse.ArgumentParser()
ap.add_argument("mlir")
ap.add_argument("report")
ap.add_argument("--group", type=int, default=32)
ap.add_argument("--no-persistent", action="store_true")
ap.add_argument("--reserved", type=int, default=1024)
ap.add_argument("--total", type=int, default=8388480)
args = ap.parse_args()
text = open(args.mlir).read()
report = json.load(open(args.report))


def dims(shape):
    return [int(d) for d in shape.split("x")]


def prod(values):
    result = 1
    for v in values:
        result *= v
    return result


# Constants: %name = pico.constant ... -> tensor<SHAPExTYPE...
constants = {}
for m in re.finditer(r"(%\w+) = pico\.constant .*?: tensor<([\dx]+)x(\w+)>", text):
    name, shape, element = m.groups()
    width = {"i8": 1, "i32": 4, "f32": 4}[element]
    constants[name] = (dims(shape), width)

held = set()
model = 0
layers = 0
for m in re.finditer(r"= pico\.(conv2d|channel_attention) (%\w+), (%\w+)(?:, (%\w+))?", text):
    op, _, weight, bias = m.groups()
    if weight not in constants:
        continue
    held.add(weight)
    if bias in constants and len(constants[bias][0]) == 1:
        held.add(bias)
    shape = constants[weight][0]
    padded = -(-shape[0] // args.group) * args.group
    model += padded * prod(shape[1:]) + 4 * padded + 8 * padded
    layers += 1
model += sum(prod(s) * w for n, (s, w) in constants.items() if n not in held)

plan = re.search(r"pico\.memory_plan<arena = (\d+)", text)
arena = int(plan.group(1))
signature = re.search(r"func\.func @main\(%arg0: tensor<([\dx]+)x", text)
input_bytes = prod(dims(signature.group(1)))
peak = report["imx500_memory"]["activation_peak_bytes"]
runtime = max(arena, peak) + (0 if args.no_persistent else input_bytes)
usage = model + runtime + args.reserved
print(f"{layers} weighted layers, model memory {model}, arena {arena}, "
      f"whole-tensor peak {peak}, input {input_bytes}, runtime memory {runtime}, "
      f"usage {usage} of {args.total} ({100 * usage / args.total:.2f} %): "
      f"{'fits' if usage <= args.total else 'does not fit'}")
expected = {
    "Model Memory Physical Size": model,
    "Runtime Memory Physical Size": runtime,
    "Reserved Memory": args.reserved,
    "Memory Usage": usage,
    "Total Memory Available On Chip": args.total,
    "Memory Utilization": round(100 * usage / args.total, 2),
    "Fit In Chip": usage <= args.total,
    "Input Persistent": not args.no_persistent,
}
failed = [f"{k}: report {report.get(k)!r}, derived {v!r}"
          for k, v in expected.items() if report.get(k) != v]
for line in failed:
    print("FAIL:", line)
print("ok" if not failed else "mismatch")
sys.exit(1 if failed else 0)
