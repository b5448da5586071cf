"""Writes small CNNs with one-sided and two-sided clips, exported from
PyTorch, with inputs, a calibration set and PyTorch's outputs.

usage: clip_models.py OUT_DIR
writes, for every model NAME of MODELS: NAME.onnx and NAME_torch.npy (the
outputs for inputs.npy); and inputs.npy (8 samples stacked) and
calibration.npy (16 samples stacked), float32 1x3x16x16 inputs.

Each model is conv 3x3 -> clamp -> depthwise 3x3 -> relu -> conv 1x1 ->
clamp, so fusion puts one clip on a plain conv and one on the pointwise
conv of a separable block, and the second clamp bounds the output.
torch.clamp with one bound exports as an ONNX Clip with the other input
empty, which picosam holds as an infinite bound."""
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn

# name: (min, max); None is no bound. Each bound clips a share of both
# clamps' inputs (clip_stages.py checks it at the output).
MODELS = {
    "clip_min": (0.0, None),
    "clip_max": (None, 0.0625),
    "clip_both": (-0.125, 0.0625),
}


class Net(nn.Module):
    def __init__(self, low, high):
        super().__init__()
        self.low, self.high = low, high
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.pw = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        x = torch.clamp(self.conv(x), min=self.low, max=self.high)
        x = torch.relu(self.dw(x))
        return torch.clamp(self.pw(x), min=self.low, max=self.high)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    warnings.filterwarnings("ignore")
    generator = torch.Generator().manual_seed(0)
    inputs = torch.randn(8, 3, 16, 16, generator=generator)
    np.save(os.path.join(out, "inputs.npy"), inputs.numpy())
    np.save(os.path.join(out, "calibration.npy"),
            torch.randn(16, 3, 16, 16, generator=generator).numpy())
    for name, (low, high) in MODELS.items():
        torch.manual_seed(1)
        model = Net(low, high).eval()
        torch.onnx.export(model, inputs[:1], os.path.join(out, f"{name}.onnx"),
                          opset_version=13, input_names=["input"], output_names=["output"])
        with torch.no_grad():
            np.save(os.path.join(out, f"{name}_torch.npy"), model(inputs).numpy())


if __name__ == "__main__":
    main()
