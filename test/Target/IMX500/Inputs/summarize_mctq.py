#!/usr/bin/python3
"""Prints what an MCTQ ONNX model holds, for FileCheck: its opsets and
metadata, the count of nodes per (domain, op type), whether every node is
named, and each quantizer node's inputs, outputs and attributes.

    summarize_mctq.py MODEL.onnx
"""
import collections
import sys

import onnx
from onnx import helper, numpy_helper

model = onnx.load(sys.argv[1])
graph = model.graph
print("opsets:", ", ".join(f"{o.domain or 'ai.onnx'}:{o.version}" for o in model.opset_import))
for entry in model.metadata_props:
    print(f"metadata {entry.key} = {entry.value}")
counts = collections.Counter((n.domain or "ai.onnx", n.op_type) for n in graph.node)
for (domain, op), count in sorted(counts.items()):
    print(f"nodes {domain}.{op}: {count}")
print("unnamed nodes:", sum(1 for n in graph.node if not n.name))
print("graph inputs:", [i.name for i in graph.input], "outputs:", [o.name for o in graph.output])
inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
for node in graph.node:
    if node.domain != "mct_quantizers":
        continue
    attrs = []
    for a in node.attribute:
        value = helper.get_attribute_value(a)
        attrs.append(f"{a.name}={value.decode() if isinstance(value, bytes) else value}")
    line = f"{node.op_type} '{node.name}' {list(node.input)} -> {list(node.output)} {' '.join(attrs)}"
    if node.op_type.startswith("Weights"):
        line += f" thresholds={len(inits[node.input[1]])} weight={list(inits[node.input[0]].shape)}"
    print(line)
