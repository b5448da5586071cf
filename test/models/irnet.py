#!/usr/bin/python3
"""A second architecture for the compiler's tests: a small inverted-residual
network (MobileNetV3-like) with hard-swish (and ReLU6 in its last block), a grouped convolution (groups
neither 1 nor the channels), max and average pools, a concat, and a global
pool, flatten, linear (Gemm) and softmax head, on a 1x3x64x64 input.

    irnet.py OUTDIR

writes OUTDIR/irnet.onnx (torch.onnx.export, opset 14 (HardSwish nodes), eval mode: BatchNorm
folded into the convolutions), OUTDIR/inputs.npy (4 seeded random inputs,
float32, stacked along the batch axis), OUTDIR/reference.npy (PyTorch's FP32
outputs for them) and OUTDIR/calibration.npy (16 other inputs, for INT8
calibration). Weights and inputs are seeded: every run writes the same files.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn


def conv_bn(cin, cout, kernel, stride=1, groups=1, act=None):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    """1x1 expansion, depthwise 3x3, 1x1 projection; a residual when the
    shapes allow. Hard-swish by default (MobileNetV3's)."""

    def __init__(self, cin, expanded, cout, stride, act=nn.Hardswish):
        super().__init__()
        self.expand = conv_bn(cin, expanded, 1, act=act)
        self.depthwise = conv_bn(expanded, expanded, 3, stride, groups=expanded, act=act)
        self.project = conv_bn(expanded, cout, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.project(self.depthwise(self.expand(x)))
        return x + y if self.residual else y


class IRNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(3, 16, 3, stride=2, act=nn.Hardswish)       # 32x32
        self.block1 = InvertedResidual(16, 32, 16, 1)
        self.grouped = conv_bn(16, 24, 3, groups=4, act=nn.ReLU)         # groups 4 of 16
        self.max_pool = nn.MaxPool2d(2, 2)                               # 16x16
        self.avg_branch = nn.AvgPool2d(3, 1, 1, count_include_pad=False)
        self.conv_branch = conv_bn(24, 24, 1, act=nn.ReLU6)
        self.block2 = InvertedResidual(48, 64, 32, 2)                    # 8x8
        self.block3 = InvertedResidual(32, 64, 32, 1, act=nn.ReLU6)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        x = self.max_pool(self.grouped(self.block1(self.stem(x))))
        x = torch.cat([self.avg_branch(x), self.conv_branch(x)], dim=1)
        x = self.block3(self.block2(x))
        x = torch.flatten(self.pool(x), 1)
        return torch.softmax(self.head(x), dim=1)


def build():
    torch.manual_seed(0)
    model = IRNet()
    # Non-trivial BatchNorm statistics, so folding them changes the weights.
    generator = torch.Generator().manual_seed(1)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            module.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)
    # Logits a few units apart, so the softmax's outputs spread over [0, 1].
    model.head.weight.data.copy_(torch.randn(model.head.weight.shape, generator=generator) * 2)
    return model.eval()


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    model = build()
    rng = np.random.default_rng(2)
    inputs = rng.standard_normal((4, 3, 64, 64)).astype(np.float32)
    calibration = rng.standard_normal((16, 3, 64, 64)).astype(np.float32)
    with torch.no_grad():
        reference = model(torch.from_numpy(inputs)).numpy()
        torch.onnx.export(model, torch.zeros(1, 3, 64, 64), os.path.join(outdir, "irnet.onnx"),
                          opset_version=14, input_names=["image"], output_names=["scores"])
    np.save(os.path.join(outdir, "inputs.npy"), inputs)
    np.save(os.path.join(outdir, "reference.npy"), reference)
    np.save(os.path.join(outdir, "calibration.npy"), calibration)


if __name__ == "__main__":
    main()
