#!/usr/bin/env python3
"""Exports PicoSAM3 (models/picosam3.py) with random weights at another input
size: export_picosam3_at.py OUT.onnx SIZE (a SIZExSIZE RGB input)."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "models"))
from picosam3 import PicoSAM3  # noqa: E402

path, size = sys.argv[1], int(sys.argv[2])
torch.manual_seed(0)
model = PicoSAM3().eval()
torch.onnx.export(model, torch.randn(1, 3, size, size), path, opset_version=13,
                  input_names=["input"], output_names=["logits"])
