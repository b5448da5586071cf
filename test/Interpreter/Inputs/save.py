"""Writes small arrays for tests: save.py FILE.npy DTYPE SHAPE VALUE... where
SHAPE is like 2x3 (or "scalar") and the values fill the array in C order
(one value fills it all). With FILE.npz, arguments repeat as NAME=DTYPE
SHAPE VALUES... groups separated by "--" and np.savez_compressed writes them."""
import sys

import numpy as np


def parse(dtype, shape, values):
    dims = [] if shape == "scalar" else [int(d) for d in shape.split("x")]
    array = np.array([float(v) for v in values], dtype=np.float64)
    if array.size == 1:
        array = np.full(dims, array[0])
    return array.reshape(dims).astype(dtype)


path, rest = sys.argv[1], sys.argv[2:]
if path.endswith(".npz"):
    arrays = {}
    groups, group = [], []
    for arg in rest + ["--"]:
        if arg == "--":
            groups.append(group)
            group = []
        else:
            group.append(arg)
    for name_dtype, shape, *values in groups:
        name, dtype = name_dtype.split("=")
        arrays[name] = parse(dtype, shape, values)
    np.savez_compressed(path, **arrays)
else:
    np.save(path, parse(rest[0], rest[1], rest[2:]))
