"""Writes the calibration table of one run: every float tensor of a
`picosam-run --dump` archive as `name min max threshold`, the threshold
being the largest magnitude (minmax calibration of one sample).

usage: table_from_dump.py DUMP.npz TABLE.txt"""
import sys

import numpy as np

dump = np.load(sys.argv[1])
with open(sys.argv[2], "w") as table:
    table.write("# name min max threshold\n")
    for name in dump.files:
        values = dump[name]
        if values.dtype != np.float32:
            continue
        low, high = float(values.min()), float(values.max())
        table.write(f"{name} {low!r} {high!r} {max(abs(low), abs(high))!r}\n")
