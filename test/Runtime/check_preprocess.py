"""The compiled program's pre- and post-processing against Python.

Runs picosam-runtime-probe (the runtime's PromptJob without a network) and
checks, to the byte:
  * the shipped scenes (models/data/scenes, PNG) decode to the uint8 scene
    models/data.py makes for them;
  * the crop equals data._resize_crop(scene, ..., (y0, y1, x0, x1)) and the
    network input equals data.normalize(crop), for the shipped box of each
    scene and for boxes at the image's edges, 1-pixel boxes, boxes smaller
    and larger than 96 and seeded random boxes; likewise on 1-pixel-high,
    1-pixel-wide and 2x2 images (numpy's index -1 at a 1-pixel edge);
and, with a tolerance for float rounding, that the mask pasted back is
torch.nn.functional.interpolate(logits, box size, mode="bilinear",
align_corners=False) > 0 inside the box and 0 outside.

Exit code 0 when every check passes; the last line is "N passed, M failed".
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from harness import Checks, data

expect = Checks()


def run_probe(probe, *args):
    proc = subprocess.run([probe, *map(str, args)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{probe} {' '.join(map(str, args))}: exit {proc.returncode}: {proc.stderr}")


def box_text(box):
    x0, y0, x1, y1 = box
    return f"{x0},{y0},{x1},{y1}"


def check_crops(probe, work, image_path, scene, boxes, label):
    """Crop and normalised input of every box (x0, y0, x1, y1) of the image
    at image_path, whose pixels must be `scene`."""
    decoded_path, crop_path, input_path = (os.path.join(work, n) for n in ("d.npy", "c.npy", "i.npy"))
    h, w, _ = scene.shape
    zeros = np.zeros((h, w), bool)
    for box in boxes:
        x0, y0, x1, y1 = box
        run_probe(probe, "crop", image_path, box_text(box), f"{data.CROP}x{data.CROP}",
                  decoded_path, crop_path, input_path)
        decoded = np.load(decoded_path)
        expect(decoded.dtype == np.uint8 and np.array_equal(decoded, scene),
               f"{label}: the decoded image is not the scene")
        crop, _ = data._resize_crop(decoded, zeros, (y0, y1, x0, x1))
        ours = np.load(crop_path)
        expect(ours.dtype == np.uint8 and ours.shape == crop.shape and ours.tobytes() == crop.tobytes(),
               f"{label} box {box_text(box)}: crop differs from _resize_crop in "
               f"{int((ours != crop).sum()) if ours.shape == crop.shape else 'shape'} values")
        ref = data.normalize(crop)
        ours = np.load(input_path)
        expect(ours.dtype == np.float32 and ours.shape == ref.shape and ours.tobytes() == ref.tobytes(),
               f"{label} box {box_text(box)}: input differs from normalize "
               f"(max |diff| {np.abs(ours - ref).max() if ours.shape == ref.shape else 'shape'})")


def edge_boxes(w, h, rng, n_random):
    """Boxes (x0, y0, x1, y1) that exercise the edges of a w x h image."""
    boxes = [(0, 0, w, h), (0, 0, 1, 1), (w - 1, h - 1, w, h), (0, 0, w, 1), (w - 1, 0, w, h)]
    if w >= 96 and h >= 96:
        boxes.append((w - 96, h - 96, w, h))
    if w >= 2 and h >= 2:
        boxes.append((w // 2, 0, w, h // 2 + 1))
    for _ in range(n_random):
        x0, x1 = sorted(rng.choice(w + 1, 2, replace=False))
        y0, y1 = sorted(rng.choice(h + 1, 2, replace=False))
        boxes.append((int(x0), int(y0), int(x1), int(y1)))
    return boxes


def check_paste(probe, work, rng):
    import torch
    import torch.nn.functional as F

    logits_path, box_logits_path, mask_path = (os.path.join(work, n) for n in ("l.npy", "bl.npy", "m.npy"))
    # Logits like the network's: smooth, with a zero crossing through the box.
    grid = np.linspace(-1, 1, 96, dtype=np.float32)
    logits = (1.5 - 4 * (grid[:, None] ** 2 + 0.5 * grid[None, :] ** 2)
              + 0.3 * rng.standard_normal((96, 96))).astype(np.float32)[None, None]
    np.save(logits_path, logits)
    W, H = 300, 200
    for box in [(0, 0, W, H), (10, 20, 11, 21), (5, 7, 45, 190), (100, 50, 196, 146), (3, 4, 250, 30),
                (299, 0, 300, 200)]:
        x0, y0, x1, y1 = box
        run_probe(probe, "paste", logits_path, "96x96", box_text(box), f"{W}x{H}", box_logits_path, mask_path)
        ours = np.load(box_logits_path)
        ref = F.interpolate(torch.from_numpy(logits), size=(y1 - y0, x1 - x0), mode="bilinear",
                            align_corners=False)[0, 0].numpy()
        diff = np.abs(ours - ref).max()
        expect(ours.shape == ref.shape and diff <= 1e-5,
               f"paste box {box_text(box)}: resized logits differ from torch's bilinear by {diff:.2e}")
        mask = np.load(mask_path)
        inside = np.zeros((H, W), bool)
        inside[y0:y1, x0:x1] = True
        expected = np.zeros((H, W), np.uint8)
        expected[y0:y1, x0:x1] = np.where(ours > 0, 255, 0)
        expect(mask.dtype == np.uint8 and np.array_equal(mask, expected),
               f"paste box {box_text(box)}: mask is not (box logits > 0) * 255 inside the box, 0 outside")
        sure = np.abs(ref) > 1e-5  # away from float ties at the threshold
        expect(np.array_equal(mask[inside].reshape(ref.shape)[sure] > 0, ref[sure] > 0),
               f"paste box {box_text(box)}: mask differs from torch's bilinear > 0")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--probe", required=True, help="the picosam-runtime-probe executable")
    ap.add_argument("--random-boxes", type=int, default=4, help="random boxes per image")
    args = ap.parse_args()
    rng = np.random.default_rng(12)
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(data.SCENES_DIR, "boxes.json")) as f:
            scenes = json.load(f)["scenes"]
        expect(len(scenes) >= 3, "fewer than 3 shipped scenes")
        for s in scenes:
            _, _, info = data.make_sample(s["split"], s["index"], return_scene=True)
            y0, y1, x0, x1 = (int(v) for v in info["box"])
            expect(s["box"] == [x0, y0, x1, y1] and s["data_py_box"] == [y0, y1, x0, x1],
                   f"{s['file']}: boxes.json's box is not make_sample's")
            scene = info["scene"]
            h, w, _ = scene.shape
            boxes = [tuple(s["box"])] + edge_boxes(w, h, rng, args.random_boxes)
            check_crops(args.probe, work, os.path.join(data.SCENES_DIR, s["file"]), scene, boxes, s["file"])
        # Degenerate images: a 1-pixel edge reads row/column -1 in numpy.
        for h, w in [(1, 7), (5, 1), (1, 1), (2, 2), (300, 40)]:
            image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            path = os.path.join(work, f"noise_{h}x{w}.png")
            data._write_png(path, image)
            check_crops(args.probe, work, path, image, edge_boxes(w, h, rng, 2), f"{h}x{w} noise")
        check_paste(args.probe, work, rng)
    return expect.summary()


if __name__ == "__main__":
    sys.exit(main())
