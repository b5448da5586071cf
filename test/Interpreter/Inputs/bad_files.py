"""Writes malformed inputs into DIR for the error tests: a file that is not
.npy, a Fortran-order array, a truncated array, unsupported dtypes, an
archive that is not a zip, and one whose DEFLATE data is corrupt."""
import io
import os
import sys
import zipfile

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "not-npy.npy"), "w") as f:
    f.write("hello, world\n")
np.save(os.path.join(out, "fortran.npy"), np.asfortranarray(np.ones((2, 3), np.float32)))
buffer = io.BytesIO()
np.save(buffer, np.ones((1, 4), np.float32))
with open(os.path.join(out, "truncated.npy"), "wb") as f:
    f.write(buffer.getvalue()[:-3])
np.save(os.path.join(out, "complex.npy"), np.ones((1, 4), np.complex64))
np.save(os.path.join(out, "big-endian.npy"), np.ones((1, 4), ">f4"))
with open(os.path.join(out, "not-zip.npz"), "w") as f:
    f.write("not a zip archive at all, just text\n")
# A DEFLATE entry whose compressed bytes are damaged after writing.
path = os.path.join(out, "corrupt.npz")
np.savez_compressed(path, x=np.arange(1000, dtype=np.float32))
data = bytearray(open(path, "rb").read())
start = data.index(b"x.npy") + len("x.npy") + 20  # inside the local entry's data
for i in range(start, start + 40):
    data[i] ^= 0x5A
open(path, "wb").write(bytes(data))
