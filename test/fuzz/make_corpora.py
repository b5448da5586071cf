#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets from the repository's files.

    make_corpora.py REPO_ROOT BUILD_DIR OUT_DIR

OUT_DIR/<Target>/ gets small inputs each target accepts, taken from the
repository: the importer's lit models (test/Import/make_models.py), slices
of the shipped .npy/.npz data written in each dtype and format version
numpy writes, the calibration tables and pico IR of the lit tests, and the
IMX500 network file the pipeline writes for the lit tests' small network
(BUILD_DIR/bin's picosam-opt and picosam-translate). Seeds are kept small
(libFuzzer mutates short inputs far faster).
"""
import glob
import io
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

root, build, out = sys.argv[1:4]
MAX_SEED = 64 * 1024


def target_dir(name):
    path = os.path.join(out, name)
    os.makedirs(path, exist_ok=True)
    return path


def write(target, name, data):
    if len(data) <= MAX_SEED:
        with open(os.path.join(target_dir(target), name), "wb") as f:
            f.write(data)


# ONNX: the importer's lit models (every test/Import/make_*.py), good and broken.
with tempfile.TemporaryDirectory() as models:
    for script in sorted(glob.glob(os.path.join(root, "test/Import/make_*.py"))):
        subprocess.run([sys.executable, script, models], check=True, stdout=subprocess.DEVNULL)
    for path in sorted(glob.glob(os.path.join(models, "*.onnx"))):
        with open(path, "rb") as f:
            write("OnnxImportFuzzer", os.path.basename(path), f.read())

# .npy and .npz: slices of the shipped data in every dtype the reader takes,
# format versions 1-3, stored and compressed archives.
sample = np.load(os.path.join(root, "models/data/sample_input.npy"))
crops = np.load(os.path.join(root, "models/data/calibration.npz"))["crops"]
pieces = {"f32": sample[0, :, :4, :4].astype(np.float32), "u8": crops[0, :3, :3],
          "i8": (sample[0, 0, :5, :5] * 20).astype(np.int8)}
for dtype in ["<f8", "<i2", "<i4", "<i8", "|b1"]:
    pieces[dtype.strip("<|")] = pieces["f32"].astype(dtype)
pieces["scalar"] = np.float32(sample.flat[0])
pieces["empty"] = np.zeros((0, 3), np.float32)
for name, array in pieces.items():
    for version in [(1, 0), (2, 0), (3, 0)]:
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.asarray(array), version=version)
        write("NpyFuzzer", f"{name}-v{version[0]}.npy", buffer.getvalue())
for compressed in [False, True]:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **pieces)
    write("NpzFuzzer", f"pieces{'-compressed' if compressed else ''}.npz", buffer.getvalue())
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, crops=crops[:1, :8, :8])
    write("NpzFuzzer", f"crops{'-compressed' if compressed else ''}.npz", buffer.getvalue())

# Calibration tables: the lit tests' (files and split-file sections).
tables = glob.glob(os.path.join(root, "test/**/*table*.txt"), recursive=True)
for path in tables:
    with open(path, "rb") as f:
        write("CalibrationTableFuzzer", os.path.basename(path), f.read())
for path in glob.glob(os.path.join(root, "test/**/*.mlir"), recursive=True) + \
        glob.glob(os.path.join(root, "test/**/*.test"), recursive=True):
    text = open(path, encoding="utf-8").read()
    for index, (name, body) in enumerate(re.findall(r"^(?://|#)--- (\S+\.txt)\n(.*?)(?=^(?://|#)--- |\Z)",
                                                    text, re.M | re.S)):
        write("CalibrationTableFuzzer", f"{os.path.basename(path)}-{name}",
              body.encode())

# pico IR: every lit test's MLIR, split at its "// -----" markers.
for path in sorted(glob.glob(os.path.join(root, "test/**/*.mlir"), recursive=True)):
    text = open(path, encoding="utf-8").read()
    for index, chunk in enumerate(text.split("// -----")):
        write("MlirFuzzer", f"{os.path.relpath(path, root).replace('/', '_')}-{index}",
              chunk.encode())

# The IMX500 network file of the lit tests' small network.
inputs = os.path.join(root, "test/Target/IMX500/Inputs")
with tempfile.TemporaryDirectory() as work:
    planned, network = os.path.join(work, "small.mlir"), os.path.join(work, "small.pimx")
    subprocess.run([os.path.join(build, "bin/picosam-opt"), os.path.join(inputs, "network-small.mlir"),
                    "--pico-set-target=target=imx500",
                    f"--pico-quantize=table={inputs}/network-small-table.txt",
                    "--pico-plan-memory=tile-separable-blocks=1", "-o", planned], check=True)
    subprocess.run([os.path.join(build, "bin/picosam-translate"), "--pico-to-imx500-network",
                    planned, "-o", network], check=True)
    with open(network, "rb") as f:
        write("NetworkFileFuzzer", "small.pimx", f.read())

for name in sorted(os.listdir(out)):
    print(f"{name}: {len(os.listdir(os.path.join(out, name)))} seeds")
