"""The compiled program's error paths, with the failing test double of the
network contract (FailingNetwork.c: PicoSAM3's shapes, every run returns
error code 7).

Each bad command line, file, image, box, .npy input or output path must give
exit code 1 (not a crash, not 0) and a message naming the problem, and leave
the outputs as they were: an existing output keeps its bytes, no file or
temporary file appears. A run that fails in the network writes nothing
either. Exit code 0 when every check passes; the last line is
"N passed, M failed".
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from harness import Checks, data

expect = Checks()


def check(program, work, args, message, code=1, stream="stderr"):
    """Runs the program with `args`; expects exit `code`, `message` (a
    regex) in its output and the work directory unchanged."""
    before = {n: open(os.path.join(work, n), "rb").read() for n in os.listdir(work)
              if os.path.isfile(os.path.join(work, n))}
    proc = subprocess.run([program, *args], capture_output=True, text=True, cwd=work)
    text = proc.stderr if stream == "stderr" else proc.stdout
    label = " ".join(args) or "(no arguments)"
    expect(proc.returncode == code, f"{label}: exit code {proc.returncode}, expected {code}\n{proc.stderr}")
    expect(re.search(message, text) is not None, f"{label}: expected /{message}/ on {stream}, got:\n{text}")
    after = {n: open(os.path.join(work, n), "rb").read() for n in os.listdir(work)
             if os.path.isfile(os.path.join(work, n))}
    expect(after == before, f"{label}: the directory changed: "
           f"{sorted(set(after) ^ set(before)) or [n for n in after if after[n] != before.get(n)]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--program", required=True, help="the picosam3-failing-network executable")
    args = ap.parse_args()
    program = os.path.abspath(args.program)
    with tempfile.TemporaryDirectory() as work:
        image = data.SCENES_DIR + "/scene_0.png"  # 168x238
        with open(os.path.join(work, "notes.txt"), "w") as f:
            f.write("not an image\n")
        png = open(image, "rb").read()
        open(os.path.join(work, "truncated.png"), "wb").write(png[: len(png) // 2])
        open(os.path.join(work, "fake.jpg"), "wb").write(b"\xff\xd8\xff\xe0" + b"\0" * 40)
        open(os.path.join(work, "empty.png"), "wb").write(b"")
        np.save(os.path.join(work, "input.npy"), np.zeros((1, 3, 96, 96), np.float32))
        np.save(os.path.join(work, "f64.npy"), np.zeros((1, 3, 96, 96), np.float64))
        np.save(os.path.join(work, "shape.npy"), np.zeros((3, 96, 96), np.float32))
        np.save(os.path.join(work, "fortran.npy"), np.asfortranarray(np.zeros((1, 3, 96, 96), np.float32)))
        raw = open(os.path.join(work, "input.npy"), "rb").read()
        open(os.path.join(work, "short.npy"), "wb").write(raw[:-5])
        open(os.path.join(work, "old.png"), "wb").write(b"the previous mask")
        os.mkdir(os.path.join(work, "adir"))

        ok = ["--image", image, "--box", "0,129,77,187"]
        # The command line.
        check(program, work, [], "nothing to run")
        check(program, work, ["--help"], r"--box x0,y0,x1,y1.*\n(.*\n)*The linked network: input 1x3x96x96, "
              r"output 1x1x96x96, arena 1024 bytes", code=0, stream="stdout")
        check(program, work, ["--frobnicate"], "unknown argument '--frobnicate'")
        check(program, work, ["--image"], "--image needs a value")
        check(program, work, ["--box="] + ok[:2], "--box needs a value")
        check(program, work, ok + ok[2:] + ["--mask", "m.png"], "--box is given twice")
        check(program, work, ["--image", image, "--mask", "m.png"], "needs both --image and --box")
        check(program, work, ok, "nothing to write")
        check(program, work, ok + ["--input", "input.npy"], "either --image and --box or --input and --output")
        check(program, work, ["--input", "input.npy", "--mask", "m.png"], "belong to a box prompt")
        check(program, work, ["--output", "o.npy"], "--output needs --input")
        for bench in ["0", "-3", "ten", "5x", "2000000"]:
            check(program, work, ok + ["--bench", bench], f"--bench needs a number of runs from 1 to 1000000, "
                  f"got '{bench}'")
        for threads in ["0", "-1", "two", "65"]:
            check(program, work, ok + ["--threads", threads], f"--threads needs a number of threads from 1 "
                  f"to 64, got '{threads}'")
        # Boxes.
        for box in ["1,2,3", "1,2,3,4,5", "a,b,c,d", "1.5,2,3,4", "1;2;3;4", " 1,2,3,4", "1,2,3,"]:
            check(program, work, ["--image", image, "--box", box, "--mask", "m.png"],
                  f"the box must be four integers x0,y0,x1,y1, got '{re.escape(box)}'")
        check(program, work, ["--image", image, "--box", "10,10,10,20", "--mask", "m.png"],
              "the box 10,10,10,20 is empty")
        check(program, work, ["--image", image, "--box", "10,30,20,20", "--mask", "m.png"],
              "the box 10,30,20,20 is empty")
        for box in ["0,0,169,10", "0,0,10,239", "-1,0,10,10", "200,300,210,310"]:
            check(program, work, ["--image", image, "--box", box, "--mask", "m.png"],
                  f"the box {box} is not inside the 168x238 image")
        # Images.
        check(program, work, ["--image", "missing.png", "--box", "0,0,8,8", "--mask", "m.png"],
              "missing.png: No such file or directory")
        check(program, work, ["--image", "adir", "--box", "0,0,8,8", "--mask", "m.png"], "adir: is a directory")
        check(program, work, ["--image", "notes.txt", "--box", "0,0,8,8", "--mask", "m.png"],
              "notes.txt: not a PNG or JPEG image")
        check(program, work, ["--image", "empty.png", "--box", "0,0,8,8", "--mask", "m.png"],
              "empty.png: not a PNG or JPEG image")
        check(program, work, ["--image", "truncated.png", "--box", "0,0,8,8", "--mask", "m.png"],
              "truncated.png: invalid PNG: ")
        check(program, work, ["--image", "fake.jpg", "--box", "0,0,8,8", "--mask", "m.png"],
              "fake.jpg: invalid JPEG: ")
        # Raw inputs.
        check(program, work, ["--input", "missing.npy", "--output", "o.npy"], "missing.npy: No such file")
        check(program, work, ["--input", "notes.txt", "--output", "o.npy"], r"notes.txt: not a .npy file \(bad magic\)")
        check(program, work, ["--input", "f64.npy", "--output", "o.npy"],
              "f64.npy: expected a float32 \\(<f4\\) array of shape 1x3x96x96, got <f8 of shape 1x3x96x96")
        check(program, work, ["--input", "shape.npy", "--output", "o.npy"],
              "shape.npy: expected a float32 \\(<f4\\) array of shape 1x3x96x96, got <f4 of shape 3x96x96")
        check(program, work, ["--input", "fortran.npy", "--output", "o.npy"],
              "fortran.npy: Fortran-order arrays are not supported")
        check(program, work, ["--input", "short.npy", "--output", "o.npy"],
              "short.npy: truncated: a 1x3x96x96 array of <f4 needs 110592 bytes of data, the file has 110587")
        # Output paths: refused before any work.
        check(program, work, ok + ["--mask", "nodir/m.png"], "nodir/m.png: cannot write in nodir: No such file")
        check(program, work, ok + ["--mask", "notes.txt/m.png"], "notes.txt/m.png: notes.txt is not a directory")
        check(program, work, ok + ["--mask", "adir"], "adir: is a directory")
        check(program, work, ok + ["--mask", "adir/"], "'adir/' is not a file name")
        check(program, work, ok + ["--mask", "m.png", "--overlay", "m.png"], "two outputs are the same file, m.png")
        check(program, work, ["--input", "input.npy", "--output", "adir"], "adir: is a directory")
        # The network fails: nothing is written, the existing output is kept.
        check(program, work, ok + ["--mask", "old.png", "--overlay", "o.png", "--logits", "l.npy",
                                   "--save-input", "i.npy"], r"the network failed \(error code 7\)")
        check(program, work, ["--input", "input.npy", "--output", "old.png"], r"the network failed \(error code 7\)")
        check(program, work, ok + ["--bench", "3"], r"the network failed \(error code 7\)")
        check(program, work, ["--image", image, "--box", "160,230,168,238", "--mask", "old.png"],
              r"the network failed \(error code 7\)")
    return expect.summary()


if __name__ == "__main__":
    sys.exit(main())
