#!/usr/bin/python3
"""Small CNNs built around the structural ops real exports emit, each
exported by torch.onnx.export with seeded random weights:

- pad_avgpool: AvgPool2d with padding (exported as Pad + AveragePool),
  a reflection-padded convolution (Pad reflect + Conv), a replication pad
  (Pad edge), F.pad with zeros before a convolution and a max pool after a
  ReLU;
- channel_shuffle: ShuffleNetV2 units (torch.chunk exported as Split, a
  depthwise branch, concat, and the channel shuffle's Reshape, Transpose,
  Reshape) and a strided Slice of the channels;
- conv_transpose_decoder: a segmentation decoder's learned upsampling, two
  strided convolutions down and two ConvTranspose up (kernel 2 stride 2
  with a batch norm and a ReLU to fuse, then kernel 4 stride 2 pad 1),
  then a 1x1 convolution.
- squeeze_excite: squeeze-and-excitation blocks (ReduceMean over H, W kept,
  1x1 convolutions, ReLU, Sigmoid, Mul; and one with ReduceMean dropping
  H, W, Linear layers and a Reshape), a spatial gate (ReduceMax and
  ReduceMean over the channels), a per-channel PReLU and a scalar one.

    structural_nets.py OUTDIR [NAME ...]

writes OUTDIR/NAME.onnx (opset 13), OUTDIR/NAME.inputs.npy (4 seeded random
inputs stacked along the batch axis), OUTDIR/NAME.reference.npy (PyTorch's
FP32 outputs for them) and OUTDIR/NAME.calibration.npy (16 other inputs).
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class PadAvgPool(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1, padding_mode="reflect")
        self.pool = nn.AvgPool2d(3, 2, padding=1)                     # 16x16
        self.conv = nn.Conv2d(8, 8, 3)
        self.replicate = nn.ReplicationPad2d((1, 0, 2, 1))
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        x = self.pool(torch.relu(self.stem(x)))
        x = self.conv(F.pad(x, (1, 1, 1, 1)))                          # zeros, folded
        x = F.max_pool2d(F.pad(torch.relu(x), (1, 1, 1, 1)), 2)        # 9x9
        x = self.replicate(x)                                          # 12x10
        return self.head(F.avg_pool2d(x, 2))                           # 6x5


class ShuffleUnit(nn.Module):
    def __init__(self, channels):
        super().__init__()
        half = channels // 2
        self.branch = nn.Sequential(
            nn.Conv2d(half, half, 1), nn.ReLU(),
            nn.Conv2d(half, half, 3, padding=1, groups=half),
            nn.Conv2d(half, half, 1), nn.ReLU())

    def forward(self, x):
        a, b = x.chunk(2, dim=1)
        x = torch.cat([a, self.branch(b)], dim=1)
        n, c, h, w = x.shape
        return x.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)


class ChannelShuffle(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, 2, 1)                           # 16x16
        self.units = nn.Sequential(ShuffleUnit(16), ShuffleUnit(16))
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        x = self.units(torch.relu(self.stem(x)))
        return self.head(x[:, 1::2])                                   # odd channels


class ConvTransposeDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = nn.Conv2d(3, 8, 3, 2, 1)                           # 16x16
        self.down2 = nn.Conv2d(8, 16, 3, 2, 1)                          # 8x8
        self.up1 = nn.ConvTranspose2d(16, 8, 2, 2)                      # 16x16
        self.norm = nn.BatchNorm2d(8)
        self.up2 = nn.ConvTranspose2d(8, 4, 4, 2, 1)                    # 32x32
        self.head = nn.Conv2d(4, 2, 1)
        with torch.no_grad():  # statistics a trained network would have
            self.norm.running_mean.uniform_(-0.5, 0.5)
            self.norm.running_var.uniform_(0.5, 2.0)
            self.norm.weight.uniform_(0.5, 1.5)
            self.norm.bias.uniform_(-0.2, 0.2)

    def forward(self, x):
        x = torch.relu(self.down2(torch.relu(self.down1(x))))
        x = torch.relu(self.norm(self.up1(x)))
        return self.head(self.up2(x))


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduced):
        super().__init__()
        self.reduce = nn.Conv2d(channels, reduced, 1)
        self.expand = nn.Conv2d(reduced, channels, 1)

    def forward(self, x):
        gate = self.expand(torch.relu(self.reduce(x.mean((2, 3), keepdim=True))))
        return x * torch.sigmoid(gate)


class LinearSqueezeExcite(nn.Module):
    def __init__(self, channels, reduced):
        super().__init__()
        self.reduce = nn.Linear(channels, reduced)
        self.expand = nn.Linear(reduced, channels)

    def forward(self, x):
        n, c, _, _ = x.shape
        gate = torch.sigmoid(self.expand(torch.relu(self.reduce(x.mean((2, 3))))))
        return x * gate.view(n, c, 1, 1)


class SpatialGate(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, 3, padding=1)

    def forward(self, x):
        pooled = torch.cat([x.amax(1, keepdim=True), x.mean(1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.conv(pooled))


class SqueezeExciteNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, 2, 1)                          # 16x16
        self.prelu = nn.PReLU(16)
        self.se = SqueezeExcite(16, 4)
        self.conv = nn.Conv2d(16, 16, 3, padding=1)
        self.scalar_prelu = nn.PReLU()
        self.linear_se = LinearSqueezeExcite(16, 8)
        self.spatial = SpatialGate()
        self.head = nn.Conv2d(16, 4, 1)

    def forward(self, x):
        x = self.se(self.prelu(self.stem(x)))
        x = self.linear_se(self.scalar_prelu(self.conv(x)))
        return self.head(self.spatial(x))


NETS = {"pad_avgpool": (PadAvgPool, (3, 32, 32)),
        "channel_shuffle": (ChannelShuffle, (3, 32, 32)),
        "conv_transpose_decoder": (ConvTransposeDecoder, (3, 32, 32)),
        "squeeze_excite": (SqueezeExciteNet, (3, 32, 32))}


def write(outdir, name):
    cls, shape = NETS[name]
    torch.manual_seed(0)
    model = cls().eval()
    rng = np.random.default_rng(2)
    inputs = rng.standard_normal((4, *shape)).astype(np.float32)
    calibration = rng.standard_normal((16, *shape)).astype(np.float32)
    with torch.no_grad():
        reference = model(torch.from_numpy(inputs)).numpy()
        torch.onnx.export(model, torch.zeros(1, *shape), os.path.join(outdir, name + ".onnx"),
                          opset_version=13, input_names=["x"], output_names=["y"])
    for kind, array in [("inputs", inputs), ("reference", reference),
                        ("calibration", calibration)]:
        np.save(os.path.join(outdir, f"{name}.{kind}.npy"), array)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name in sys.argv[2:] or sorted(NETS):
        write(outdir, name)


if __name__ == "__main__":
    main()
