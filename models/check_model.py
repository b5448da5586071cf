"""Test: PicoSAM3 definition matches the published counts and I/O shape.

Exit code 0 when every check passes, 1 otherwise.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from picosam3 import PicoSAM3, count_macs, count_parameters  # noqa: E402

EXPECTED_PARAMS = 1_371_418
EXPECTED_BN_PARAMS = 6_566
EXPECTED_MACS = 330_162_496
EXPECTED_OUT = (1, 1, 96, 96)


def main():
    argparse.ArgumentParser(description=__doc__).parse_args()
    torch.manual_seed(0)
    model = PicoSAM3().eval()
    total, bn = count_parameters(model)
    macs = count_macs(model, 96)
    with torch.no_grad():
        out = model(torch.randn(1, 3, 96, 96))
    checks = [
        ("total parameters", total, EXPECTED_PARAMS),
        ("BatchNorm parameters (weight+bias)", bn, EXPECTED_BN_PARAMS),
        ("conv MACs @ 96x96", macs, EXPECTED_MACS),
        ("output shape", tuple(out.shape), EXPECTED_OUT),
        ("output finite", bool(torch.isfinite(out).all()), True),
    ]
    failed = 0
    for name, got, want in checks:
        ok = got == want
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}: {name}: got {got}, expected {want}")
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
