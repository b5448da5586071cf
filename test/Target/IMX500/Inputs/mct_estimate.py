#!/usr/bin/env python3
"""What MCT's own estimate counts for an ONNX model (../shared/imx500.md:
the weights plus the largest live-activation "cut"), computed from the ONNX
graph alone, and compared with picosam's IMX500 report, which must not be
below it: weights = the elements of every 4-D initializer (conv kernels,
8-bit; MCT leaves biases in float and does not count them); the cut = the
largest sum of the 8-bit activations live while a node runs (its inputs,
its outputs and every earlier tensor read later), in the graph's order,
with each Relu fused into its producer as MCT's IMX500 target fuses it.
usage: mct_estimate.py model.onnx report.json
"""
import json
import sys

import numpy as np
import onnx
from onnx import shape_inference

model = shape_inference.infer_shapes(onnx.load(sys.argv[1]))
report = json.load(open(sys.argv[2]))
graph = model.graph
initializers = {i.name for i in graph.initializer}
weights = sum(int(np.prod(i.dims)) for i in graph.initializer if len(i.dims) == 4)
shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
          for v in list(graph.value_info) + list(graph.input) + list(graph.output)}
constants = {o for n in graph.node if n.op_type == "Constant" for o in n.output}
alias = {}
for node in graph.node:
    if node.op_type == "Relu":
        alias[node.output[0]] = alias.get(node.input[0], node.input[0])
ops = [n for n in graph.node if n.op_type not in ("Relu", "Constant")]


def tensors(names):
    return [alias.get(t, t) for t in names
            if t and t not in initializers and t not in constants]


last = {}
for step, node in enumerate(ops):
    for t in tensors(node.input):
        last[t] = step
for output in graph.output:
    last[alias.get(output.name, output.name)] = len(ops)
produced = {graph.input[0].name: -1}
cut = 0
for step, node in enumerate(ops):
    for t in tensors(node.output):
        produced[t] = step
    live = sum(int(np.prod(shapes[t])) for t, p in produced.items()
               if p <= step and last.get(t, p) >= step)
    cut = max(cut, live)
model_memory = report["Model Memory Physical Size"]
runtime_memory = report["Runtime Memory Physical Size"]
print(f"MCT-style estimate: weights {weights} + cut {cut} = {weights + cut}; "
      f"picosam: model {model_memory} + runtime {runtime_memory} = "
      f"{model_memory + runtime_memory}")
ok = model_memory >= weights and runtime_memory >= cut
print("not below" if ok else "FAIL: below MCT's estimate")
sys.exit(0 if ok else 1)
