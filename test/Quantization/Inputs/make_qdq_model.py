"""Quantizes a small CNN with torch.ao FX (qnnpack, per-channel symmetric
weights), exports it to ONNX as QuantizeLinear/DequantizeLinear pairs, and
writes inputs and torch's quantized outputs for them.

usage: make_qdq_model.py OUT_DIR
writes qdq.onnx, inputs.npy (8 samples stacked) and torch_outputs.npy"""
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
from torch.ao.quantization import QConfig, QConfigMapping, default_per_channel_weight_observer
from torch.ao.quantization.observer import HistogramObserver
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

warnings.filterwarnings("ignore")
torch.backends.quantized.engine = "qnnpack"  # onednn crashes on this machine
torch.manual_seed(0)


class Net(nn.Module):
    """conv + relu, a depthwise-separable pair, a skip add, a nearest 2x
    upsample and a 1x1 head: PicoSAM3's building blocks."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.relu2 = nn.ReLU()
        self.pw = nn.Conv2d(8, 8, 1)
        self.relu3 = nn.ReLU()
        self.head = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        a = self.relu1(self.conv1(x))
        b = self.relu3(self.pw(self.relu2(self.dw(a))))
        c = nn.functional.interpolate(a + b, scale_factor=2, mode="nearest")
        return self.head(c)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    model = Net().eval()
    example = torch.randn(1, 3, 16, 16)
    qconfig = QConfig(activation=HistogramObserver.with_args(reduce_range=False),
                      weight=default_per_channel_weight_observer)
    prepared = prepare_fx(model, QConfigMapping().set_global(qconfig), (example,))
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for _ in range(16):
            prepared(torch.randn(1, 3, 16, 16, generator=generator))
    quantized = convert_fx(prepared)
    torch.onnx.export(quantized, example, os.path.join(out, "qdq.onnx"), opset_version=13,
                      input_names=["input"], output_names=["output"])
    inputs = torch.randn(8, 3, 16, 16, generator=generator)
    with torch.no_grad():
        outputs = torch.cat([quantized(inputs[i:i + 1]) for i in range(len(inputs))])
    np.save(os.path.join(out, "inputs.npy"), inputs.numpy())
    np.save(os.path.join(out, "torch_outputs.npy"), outputs.numpy())


if __name__ == "__main__":
    main()
