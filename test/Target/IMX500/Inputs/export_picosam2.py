#!/usr/bin/python3
"""Exports PicoSAM2 (untrained, seeded weights) to ONNX, the network the IMX500
latency estimate is calibrated on.

    export_picosam2.py OUT.onnx

The architecture is the one PicoSAM2's authors publish (class PicoSAM2 of
github.com/pbonazzi/picosam2): a depthwise-separable U-Net on a 96x96 crop,
encoder 48-96-160-256 with stride-2 3x3 downsampling, a 320-channel
bottleneck block, a decoder 192-128-80-40 that upsamples (nearest, x2) into a
block and adds a 1x1 skip from the encoder, and a 1x1 head. Only the
structure matters for the estimate, so the weights are random.
"""
import sys

import torch
from torch import nn


def separable(cin, cout):
    """3x3 depthwise + BN + ReLU, 1x1 + BN + ReLU."""
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False), nn.BatchNorm2d(cin),
        nn.ReLU(),
        nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class PicoSAM2(nn.Module):
    ENCODER = (48, 96, 160, 256)
    BOTTLENECK = 320
    DECODER = (192, 128, 80, 40)

    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList()
        self.downs = nn.ModuleList()
        cin = 3
        for width in self.ENCODER:
            self.stages.append(separable(cin, width))
            self.downs.append(nn.Conv2d(width, width, 3, stride=2, padding=1, bias=False))
            cin = width
        self.bottleneck = separable(cin, self.BOTTLENECK)
        cin = self.BOTTLENECK
        self.ups = nn.ModuleList()
        self.skips = nn.ModuleList()
        for width, skip in zip(self.DECODER, reversed(self.ENCODER)):
            self.ups.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                          separable(cin, width)))
            self.skips.append(nn.Conv2d(skip, width, 1))
            cin = width
        self.head = nn.Conv2d(cin, 1, 1)

    def forward(self, x):
        features = []
        for stage, down in zip(self.stages, self.downs):
            x = stage(x)
            features.append(x)
            x = down(x)
        x = self.bottleneck(x)
        for up, skip, feature in zip(self.ups, self.skips, reversed(features)):
            x = up(x) + skip(feature)
        return self.head(x)


def main():
    torch.manual_seed(0)
    model = PicoSAM2().eval()
    torch.onnx.export(model, torch.zeros(1, 3, 96, 96), sys.argv[1], opset_version=13,
                      input_names=["input"], output_names=["logits"])


if __name__ == "__main__":
    main()
