"""Prints each array of .npy/.npz files, one line each, for FileCheck:
"<name> <dtype> <shape> <values>" (values flattened, %g; first 8 only).

usage: npz_summary.py FILE..."""
import sys

import numpy as np


def line(name, array):
    values = " ".join(f"{v:g}" for v in array.reshape(-1)[:8].astype(np.float64))
    return f"{name} {array.dtype} {list(array.shape)} {values}".rstrip()


for path in sys.argv[1:]:
    data = np.load(path)
    if isinstance(data, np.ndarray):
        print(line(path.rsplit("/", 1)[-1], data))
    else:
        for name in data.files:
            print(line(name, data[name]))
