"""PicoSAM3 promptable-segmentation network (PyTorch reference definition).

The layer list was solved to match the published figures exactly:
1,371,418 parameters (6,566 of them BatchNorm weight+bias) and
330,162,496 convolution MACs at a 96x96 input.

Submodule names (enc1, down1, ..., bottleneck, dec1..dec4, skip1..skip4,
eca, head) are chosen so the ONNX node names produced by torch.onnx.export
(e.g. "/enc1/dw/Conv") are readable in compiler reports.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_HW = 96
ENC_CH = (48, 96, 160, 256)
BOTTLENECK_CH = 320
DEC_CH = (192, 128, 80, 40)


class DW(nn.Module):
    """Depthwise-separable block: dw3x3 + BN + ReLU + pw1x1 + BN + ReLU."""

    def __init__(self, cin, cout):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
        self.dw_bn = nn.BatchNorm2d(cin)
        self.dw_relu = nn.ReLU()
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.pw_bn = nn.BatchNorm2d(cout)
        self.pw_relu = nn.ReLU()

    def forward(self, x):
        x = self.dw_relu(self.dw_bn(self.dw(x)))
        return self.pw_relu(self.pw_bn(self.pw(x)))


class Down(nn.Module):
    """Strided 3x3 full convolution (no BN) + ReLU, halves the resolution."""

    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, stride=2, padding=1, bias=False)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.conv(x))


class Bottleneck(nn.Module):
    def __init__(self, cin=ENC_CH[-1], ch=BOTTLENECK_CH):
        super().__init__()
        self.block = DW(cin, ch)
        self.dil = nn.Conv2d(ch, ch, 3, padding=2, dilation=2, groups=ch, bias=False)
        self.dil_bn = nn.BatchNorm2d(ch)
        self.dil_relu = nn.ReLU()
        self.pw = nn.Conv2d(ch, ch, 1, bias=False)
        self.pw_bn = nn.BatchNorm2d(ch)
        self.pw_relu = nn.ReLU()

    def forward(self, x):
        x = self.block(x)
        x = self.dil_relu(self.dil_bn(self.dil(x)))
        return self.pw_relu(self.pw_bn(self.pw(x)))


class ECA(nn.Module):
    """Efficient channel attention: x * sigmoid(conv1x1(global_avg_pool(x)))."""

    def __init__(self, ch):
        super().__init__()
        self.fc = nn.Conv2d(ch, ch, 1, bias=False)

    def forward(self, x):
        w = torch.sigmoid(self.fc(F.adaptive_avg_pool2d(x, 1)))
        return x * w


class Head(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.dw = nn.Conv2d(ch, ch, 3, padding=1, groups=ch, bias=False)
        self.dw_bn = nn.BatchNorm2d(ch)
        self.dw_relu = nn.ReLU()
        self.out = nn.Conv2d(ch, 1, 1, bias=True)

    def forward(self, x):
        return self.out(self.dw_relu(self.dw_bn(self.dw(x))))


class PicoSAM3(nn.Module):
    """Input: 1x3x96x96 ImageNet-normalised RGB crop of the prompt box.
    Output: 1x1x96x96 mask logits (mask = logits > 0)."""

    def __init__(self):
        super().__init__()
        c1, c2, c3, c4 = ENC_CH
        self.enc1 = DW(3, c1)
        self.down1 = Down(c1)
        self.enc2 = DW(c1, c2)
        self.down2 = Down(c2)
        self.enc3 = DW(c2, c3)
        self.down3 = Down(c3)
        self.enc4 = DW(c3, c4)
        self.down4 = Down(c4)
        self.bottleneck = Bottleneck(c4, BOTTLENECK_CH)
        d1, d2, d3, d4 = DEC_CH
        self.dec1 = DW(BOTTLENECK_CH, d1)
        self.skip1 = nn.Conv2d(c4, d1, 1, bias=True)
        self.dec2 = DW(d1, d2)
        self.skip2 = nn.Conv2d(c3, d2, 1, bias=True)
        self.dec3 = DW(d2, d3)
        self.skip3 = nn.Conv2d(c2, d3, 1, bias=True)
        self.dec4 = DW(d3, d4)
        self.skip4 = nn.Conv2d(c1, d4, 1, bias=True)
        self.eca = ECA(d4)
        self.head = Head(d4)

    def forward(self, x):
        e1 = self.enc1(x)                    # 48  @ 96
        e2 = self.enc2(self.down1(e1))       # 96  @ 48
        e3 = self.enc3(self.down2(e2))       # 160 @ 24
        e4 = self.enc4(self.down3(e3))       # 256 @ 12
        x = self.bottleneck(self.down4(e4))  # 320 @ 6
        for dec, skip, s in ((self.dec1, self.skip1, e4), (self.dec2, self.skip2, e3),
                             (self.dec3, self.skip3, e2), (self.dec4, self.skip4, e1)):
            x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = dec(x) + skip(s)
        x = self.eca(x)
        return self.head(x)


def count_parameters(model):
    """Returns (total trainable parameters, BatchNorm weight+bias parameters)."""
    total = sum(p.numel() for p in model.parameters())
    bn = sum(p.numel() for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)
             for p in m.parameters(recurse=False))
    return total, bn


def count_macs(model, hw=INPUT_HW):
    """Convolution multiply-accumulates for one hw x hw input, measured with forward hooks:
    sum over every Conv2d call of out_elems * (in_ch/groups) * kh * kw."""
    macs = [0]

    def hook(mod, inp, out):
        kh, kw = mod.kernel_size
        macs[0] += out.numel() // out.shape[0] * (mod.in_channels // mod.groups) * kh * kw

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, hw, hw))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return macs[0]


def conv_table(model, hw=INPUT_HW):
    """Markdown table of every Conv2d (in call order) with its output size, parameters
    (conv + the BatchNorm that follows it, if any) and MACs, measured with hooks."""
    rows = []
    names = {m: n for n, m in model.named_modules()}

    def hook(mod, inp, out):
        kh, kw = mod.kernel_size
        macs = out.numel() // out.shape[0] * (mod.in_channels // mod.groups) * kh * kw
        rows.append((names[mod], mod.in_channels, mod.out_channels, f"{kh}x{kw}", mod.stride[0],
                     mod.dilation[0], mod.groups, f"{out.shape[2]}x{out.shape[3]}",
                     sum(p.numel() for p in mod.parameters()), macs))

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, hw, hw))
    for h in handles:
        h.remove()
    lines = ["| conv | in | out | k | stride | dil | groups | out HxW | params | MACs |",
             "|---|---:|---:|---|---:|---:|---:|---|---:|---:|"]
    for r in rows:
        lines.append("| " + " | ".join(f"{v:,}" if isinstance(v, int) and i >= 8 else str(v)
                                       for i, v in enumerate(r)) + " |")
    total, bn = count_parameters(model)
    lines.append(f"| **total** | | | | | | | | **{sum(r[8] for r in rows):,}** conv "
                 f"+ {bn:,} BN = **{total:,}** | **{sum(r[9] for r in rows):,}** |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description="Print PicoSAM3 layer summary and counts.")
    ap.add_argument("--hw", type=int, default=INPUT_HW, help="input height/width (default 96)")
    ap.add_argument("--table", action="store_true", help="print a markdown table of the convolutions")
    args = ap.parse_args()
    m = PicoSAM3()
    total, bn = count_parameters(m)
    print(conv_table(m, args.hw) if args.table else m)
    print(f"parameters: {total:,} (BatchNorm: {bn:,})")
    print(f"conv MACs @ {args.hw}x{args.hw}: {count_macs(m, args.hw):,}")


if __name__ == "__main__":
    main()
