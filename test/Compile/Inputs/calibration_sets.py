"""Writes small calibration sets, good and bad, for picosam-compile's tests.

usage: calibration_sets.py MODELS_DIR OUT_DIR"""
import os
import sys

import numpy as np

models, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
crops = np.load(os.path.join(models, "data", "calibration.npz"))["crops"]
# Good: two uint8 crops (NHWC), and the same as a directory of one float32
# input per file.
np.save(os.path.join(out, "crops2.npy"), crops[:2])
sys.path.insert(0, models)
from data import normalize  # noqa: E402

os.makedirs(os.path.join(out, "dir"), exist_ok=True)
for i, x in enumerate(normalize(crops[:2])):
    np.save(os.path.join(out, "dir", f"{i}.npy"), x[None])
# Bad: crops of the wrong size, a NaN, a wrong float shape, a wrong dtype,
# an empty directory.
np.save(os.path.join(out, "crops64.npy"), crops[:2, :64, :64])
nan = normalize(crops[:2])
nan[1, 0, 5, 5] = np.nan
np.save(os.path.join(out, "nan.npy"), nan)
# Finite, but large enough to overflow float32 inside the network.
np.save(os.path.join(out, "overflow.npy"), np.full((1, 3, 96, 96), 3e38, np.float32))
np.save(os.path.join(out, "shape.npy"), np.zeros((2, 3, 50, 50), np.float32))
np.save(os.path.join(out, "int16.npy"), np.zeros((2, 96, 96, 3), np.int16))
os.makedirs(os.path.join(out, "empty"), exist_ok=True)
