"""Seeded procedural generator for a synthetic promptable-segmentation task.

Each sample imitates what PicoSAM3 sees at run time:

1. a cluttered scene (160..256 px per side): gradient + low-frequency noise
   background, small unlabelled clutter (blobs, strokes, specks), then 2..6
   overlapping objects (ellipses, star-shaped polygons, rotated rounded boxes,
   wobbly blobs) with textures (gradients, stripes, checkers, dots, noise),
   shading, soft camera blur and sensor noise;
2. one object is picked; its *visible* mask (after occlusion by the objects
   painted over it) is the ground truth;
3. a box prompt is drawn around the visible mask the way a user would
   (loose, off by a few pixels on each side);
4. the box region is cropped and resized to 96x96: the image bilinearly as
   uint8 RGB, the mask by nearest neighbour as uint8 0/1.

Everything is numpy only and deterministic: sample ``i`` of split ``s`` is
made from ``np.random.default_rng([SPLITS[s], i])``, so the splits can never
share a seed.

``normalize`` is THE input normalisation (ImageNet mean/std); every script
imports it from here.
"""
import argparse
import os

import numpy as np

CROP = 96
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)

# Seed domains: the split id is the first word of the numpy SeedSequence
# entropy, so the four splits are disjoint by construction.
SPLITS = {"train": 0, "heldout": 1, "calibration": 2, "evaluation": 3}


def normalize(crops):
    """uint8 RGB crops, NHWC (N,H,W,3) or a single HWC -> float32 NCHW,
    (x/255 - mean) / std with the ImageNet mean/std."""
    a = np.asarray(crops)
    if a.dtype != np.uint8:
        raise TypeError(f"normalize expects uint8 crops, got {a.dtype}")
    if a.ndim == 3:
        a = a[None]
    if a.ndim != 4 or a.shape[-1] != 3:
        raise ValueError(f"normalize expects NHWC RGB, got shape {a.shape}")
    x = (a.astype(np.float32) * np.float32(1.0 / 255.0) - MEAN) / STD
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2), dtype=np.float32)


# --------------------------------------------------------------------------
# small numpy helpers


def _interp_matrix(n_out, n_in):
    """(n_out, n_in) linear-interpolation matrix, align-corners."""
    pos = np.linspace(0, n_in - 1, n_out, dtype=np.float32)
    i0 = np.minimum(pos.astype(np.int32), n_in - 2)
    f = pos - i0
    m = np.zeros((n_out, n_in), np.float32)
    m[np.arange(n_out), i0] = 1 - f
    m[np.arange(n_out), i0 + 1] = f
    return m


def _bilinear_up(small, h, w):
    """Bilinearly upsample a (gh,gw[,c]) grid to (h,w[,c]) (align-corners), separably."""
    ry = _interp_matrix(h, small.shape[0])
    rx = _interp_matrix(w, small.shape[1])
    if small.ndim == 2:
        return ry @ small @ rx.T
    return np.einsum("hg,gfc,wf->hwc", ry, small, rx, optimize=True)


def _lowfreq_noise(rng, h, w, cells, channels=None):
    shape = (cells, cells) if channels is None else (cells, cells, channels)
    return _bilinear_up(rng.standard_normal(shape).astype(np.float32), h, w)


def _box_blur(img, passes=1):
    """Separable 3-tap [1,2,1]/4 blur, edge-replicated, applied `passes` times."""
    for _ in range(passes):
        p = np.pad(img, ((1, 1), (0, 0), (0, 0)), mode="edge")
        img = 0.25 * p[:-2] + 0.5 * p[1:-1] + 0.25 * p[2:]
        p = np.pad(img, ((0, 0), (1, 1), (0, 0)), mode="edge")
        img = 0.25 * p[:, :-2] + 0.5 * p[:, 1:-1] + 0.25 * p[:, 2:]
    return img


def _rand_color(rng):
    # mix of saturated and muted colours, like real objects
    if rng.random() < 0.5:
        c = rng.uniform(0, 255, 3)
    else:
        g = rng.uniform(30, 225)
        c = g + rng.normal(0, 35, 3)
    return np.clip(c, 0, 255).astype(np.float32)


def _window(cy, cx, r, H, W):
    y0 = max(int(np.floor(cy - r - 1)), 0)
    y1 = min(int(np.ceil(cy + r + 1)), H)
    x0 = max(int(np.floor(cx - r - 1)), 0)
    x1 = min(int(np.ceil(cx + r + 1)), W)
    return y0, y1, x0, x1


# --------------------------------------------------------------------------
# shapes: every shape lies inside the circle of radius r around (cy, cx)

SHAPES = ("ellipse", "polygon", "roundbox", "blob")


def _shape_mask(rng, kind, cy, cx, r, H, W):
    """Returns (window, bool mask over the window)."""
    y0, y1, x0, x1 = _window(cy, cx, r, H, W)
    if y1 <= y0 or x1 <= x0:
        return (0, 0, 0, 0), np.zeros((0, 0), bool)
    yy = (np.arange(y0, y1, dtype=np.float32) + 0.5 - cy)[:, None]
    xx = (np.arange(x0, x1, dtype=np.float32) + 0.5 - cx)[None, :]
    th = rng.uniform(0, np.pi)
    c, s = np.float32(np.cos(th)), np.float32(np.sin(th))
    u = xx * c + yy * s
    v = -xx * s + yy * c
    if kind == "ellipse":
        a = r
        b = r * rng.uniform(0.35, 1.0)
        m = (u / a) ** 2 + (v / b) ** 2 <= 1.0
    elif kind == "roundbox":
        phi = rng.uniform(0.3, 1.27)
        hx, hy = r * np.cos(phi), r * np.sin(phi)
        rad = rng.uniform(0.0, 0.45) * min(hx, hy)
        qx = np.abs(u) - (hx - rad)
        qy = np.abs(v) - (hy - rad)
        d = np.sqrt(np.maximum(qx, 0) ** 2 + np.maximum(qy, 0) ** 2) + np.minimum(np.maximum(qx, qy), 0) - rad
        m = d <= 0
    elif kind == "polygon":
        # star-shaped polygon: sorted vertex angles, radii in [0.45r, r];
        # inside iff on the inner side of the edge of the sector holding the pixel
        n = int(rng.integers(3, 10))
        # jittered but ordered angles keep every sector < pi (the test needs that)
        ang = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(-0.2, 0.2, n) * (2 * np.pi / n)
        ang = np.sort(ang + rng.uniform(0, 2 * np.pi))
        rad = r * rng.uniform(0.45, 1.0, n) if rng.random() < 0.6 else r * rng.uniform(0.85, 1.0, n)
        vx, vy = rad * np.cos(ang), rad * np.sin(ang)
        t = np.mod(np.arctan2(v, u) - ang[0], 2 * np.pi)
        k = np.searchsorted(np.mod(ang - ang[0], 2 * np.pi), t, side="right") - 1
        k2 = (k + 1) % n
        ax, ay, bx, by = vx[k], vy[k], vx[k2], vy[k2]
        # origin is inside; pixel inside iff it is on the same side of edge a->b as the origin
        cross_p = (bx - ax) * (v - ay) - (by - ay) * (u - ax)
        cross_o = (bx - ax) * (0 - ay) - (by - ay) * (0 - ax)
        m = cross_p * cross_o >= 0
    else:  # blob: wobbly radius
        t = np.arctan2(v, u)
        rr = np.sqrt(u * u + v * v)
        k = int(rng.integers(2, 6))
        amp = rng.uniform(0.08, 0.25)
        amp2 = rng.uniform(0.0, 0.1)
        ph, ph2 = rng.uniform(0, 2 * np.pi, 2)
        b = rng.uniform(0.55, 1.0)
        base = r * (1 - amp - amp2)
        rt = base * (1 + amp * np.sin(k * t + ph) + amp2 * np.sin((2 * k + 1) * t + ph2))
        # squash one axis
        rr = np.sqrt(u * u + (v / b) ** 2)
        m = rr <= rt
    return (y0, y1, x0, x1), m


def _texture(rng, h, w, y0, x0):
    """(h,w,3) float32 colour field for an object / clutter window."""
    c1 = _rand_color(rng)
    kind = rng.choice(["solid", "gradient", "stripes", "checker", "dots", "noise"],
                      p=[0.2, 0.25, 0.15, 0.1, 0.1, 0.2])
    if kind == "solid":
        col = np.broadcast_to(c1, (h, w, 3)).astype(np.float32)
    else:
        c2 = np.clip(c1 + rng.normal(0, 70, 3), 0, 255).astype(np.float32)
        yy = np.arange(h, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        th = rng.uniform(0, 2 * np.pi)
        proj = xx * np.cos(th) + yy * np.sin(th)
        if kind == "gradient":
            t = (proj - proj.min()) / max(float(proj.max() - proj.min()), 1.0)
        elif kind == "stripes":
            period = rng.uniform(3, 14)
            t = 0.5 + 0.5 * np.sin(2 * np.pi * proj / period)
            if rng.random() < 0.5:
                t = (t > 0.5).astype(np.float32)
        elif kind == "checker":
            p = rng.uniform(3, 12)
            u = xx * np.cos(th) + yy * np.sin(th)
            v = -xx * np.sin(th) + yy * np.cos(th)
            t = ((np.floor(u / p) + np.floor(v / p)) % 2).astype(np.float32)
        elif kind == "dots":
            p = rng.uniform(4, 12)
            u = np.mod(xx, p) - p / 2
            v = np.mod(yy, p) - p / 2
            t = (u * u + v * v <= (p * rng.uniform(0.15, 0.35)) ** 2).astype(np.float32)
        else:
            cells = int(rng.integers(3, 12))
            t = _lowfreq_noise(rng, h, w, cells)
            t = 1 / (1 + np.exp(-1.5 * t))
        t = np.asarray(t, np.float32)[..., None]
        col = c1 * (1 - t) + c2 * t
    # shading (a light from some direction) and fine-grain texture noise
    if rng.random() < 0.7:
        yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
        xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
        lx, ly = rng.normal(0, 0.5, 2)
        shade = 1.0 + 0.25 * (lx * xx + ly * yy) - rng.uniform(0, 0.25) * (xx * xx + yy * yy)
        col = col * shade[..., None]
    if rng.random() < 0.5:
        col = col + np.float32(rng.uniform(2, 10)) * rng.standard_normal((h, w, 1), dtype=np.float32)
    return col.astype(np.float32)


# --------------------------------------------------------------------------
# scenes


def make_scene(rng):
    """Returns (rgb float32 HxWx3 in [0,255], label int16 HxW with -1 background,
    number of objects, full (unoccluded) area per object)."""
    H = int(rng.integers(160, 257))
    W = int(rng.integers(160, 257))
    # background: two-colour gradient + low-frequency colour noise
    c0, c1 = _rand_color(rng), _rand_color(rng)
    th = rng.uniform(0, 2 * np.pi)
    yy = np.linspace(0, 1, H, dtype=np.float32)[:, None]
    xx = np.linspace(0, 1, W, dtype=np.float32)[None, :]
    t = xx * np.cos(th) + yy * np.sin(th)
    t = ((t - t.min()) / max(float(t.max() - t.min()), 1e-6))[..., None]
    img = c0 * (1 - t) + c1 * t
    img = img + rng.uniform(10, 45) * _lowfreq_noise(rng, H, W, int(rng.integers(3, 9)), 3)
    if rng.random() < 0.4:  # background texture (e.g. floor / fabric)
        img = 0.6 * img + 0.4 * _texture(rng, H, W, 0, 0)
    img = img.astype(np.float32)

    # unlabelled background clutter: many small shapes and strokes
    for _ in range(int(rng.integers(8, 30))):
        r = float(rng.uniform(3, 0.09 * min(H, W)))
        cy, cx = rng.uniform(0, H), rng.uniform(0, W)
        kind = SHAPES[int(rng.integers(len(SHAPES)))]
        (y0, y1, x0, x1), m = _shape_mask(rng, kind, cy, cx, r, H, W)
        if m.size == 0 or not m.any():
            continue
        if rng.random() < 0.3:  # thin it to a stroke-like sliver
            m &= np.roll(m, int(rng.integers(2, 5)), axis=int(rng.integers(2))) == 0
        col = _texture(rng, y1 - y0, x1 - x0, y0, x0)
        a = rng.uniform(0.5, 1.0)
        win = img[y0:y1, x0:x1]
        win[m] = (1 - a) * win[m] + a * col[m]

    # objects, painted back to front; the label map tracks the visible one
    label = np.full((H, W), -1, np.int16)
    n_obj = int(rng.integers(2, 7))
    full_area = np.zeros(n_obj, np.int64)
    S = min(H, W)
    for k in range(n_obj):
        r = float(rng.uniform(0.12, 0.36) * S)
        cy = rng.uniform(0.1 * H, 0.9 * H)
        cx = rng.uniform(0.1 * W, 0.9 * W)
        kind = SHAPES[int(rng.integers(len(SHAPES)))]
        (y0, y1, x0, x1), m = _shape_mask(rng, kind, cy, cx, r, H, W)
        if m.size == 0:
            continue
        full_area[k] = int(m.sum())
        col = _texture(rng, y1 - y0, x1 - x0, y0, x0)
        # a soft drop shadow below the object now and then
        if rng.random() < 0.35:
            dy, dx = rng.integers(2, 7, 2)
            sm = np.zeros((H, W), bool)
            sy1, sx1 = min(y1 + dy, H), min(x1 + dx, W)
            sm[y0 + dy:sy1, x0 + dx:sx1] = m[:sy1 - y0 - dy, :sx1 - x0 - dx]
            img[sm] *= rng.uniform(0.55, 0.85)
        win = img[y0:y1, x0:x1]
        win[m] = col[m]
        label[y0:y1, x0:x1][m] = k

    # camera: blur, global contrast/brightness, sensor noise
    img = _box_blur(img, int(rng.integers(0, 3)))
    img = (img - 128.0) * rng.uniform(0.75, 1.2) + 128.0 + rng.uniform(-20, 20)
    img = img + np.float32(rng.uniform(1, 8)) * rng.standard_normal(img.shape, dtype=np.float32)
    return np.clip(img, 0, 255).astype(np.float32), label, n_obj, full_area


def _user_box(rng, ys, xs, H, W):
    """Box prompt around the visible pixels (ys, xs) as a person would draw it:
    mostly a bit loose, sometimes a bit tight, never degenerate."""
    y0, y1 = int(ys.min()), int(ys.max()) + 1
    x0, x1 = int(xs.min()), int(xs.max()) + 1
    h, w = y1 - y0, x1 - x0
    off = rng.normal(0.03, 0.05, 4)
    off = np.clip(off, -0.06, 0.15)
    by0 = int(round(y0 - off[0] * h))
    by1 = int(round(y1 + off[1] * h))
    bx0 = int(round(x0 - off[2] * w))
    bx1 = int(round(x1 + off[3] * w))
    by0, bx0 = max(by0, 0), max(bx0, 0)
    by1, bx1 = min(by1, H), min(bx1, W)
    if by1 - by0 < 8:
        by0, by1 = max(0, min(by0, H - 8)), max(0, min(by0, H - 8)) + 8
    if bx1 - bx0 < 8:
        bx0, bx1 = max(0, min(bx0, W - 8)), max(0, min(bx0, W - 8)) + 8
    return by0, by1, bx0, bx1


def _resize_crop(img, label_mask, box, size=CROP):
    """Crop box (y0,y1,x0,x1) and resize: image bilinear (pixel-centre aligned)
    -> uint8, mask nearest -> uint8 0/1."""
    y0, y1, x0, x1 = box
    H, W = img.shape[:2]
    sy = (y1 - y0) / size
    sx = (x1 - x0) / size
    cy = y0 + (np.arange(size, dtype=np.float32) + 0.5) * sy - 0.5
    cx = x0 + (np.arange(size, dtype=np.float32) + 0.5) * sx - 0.5
    cy = np.clip(cy, 0, H - 1)
    cx = np.clip(cx, 0, W - 1)
    iy = np.minimum(cy.astype(np.int32), H - 2)
    ix = np.minimum(cx.astype(np.int32), W - 2)
    fy = (cy - iy)[:, None, None]
    fx = (cx - ix)[None, :, None]
    a = img[iy][:, ix]
    b = img[iy][:, ix + 1]
    c = img[iy + 1][:, ix]
    d = img[iy + 1][:, ix + 1]
    out = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
    crop = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    ny = np.minimum((y0 + (np.arange(size) + 0.5) * sy).astype(np.int64), H - 1)
    nx = np.minimum((x0 + (np.arange(size) + 0.5) * sx).astype(np.int64), W - 1)
    mask = label_mask[ny][:, nx].astype(np.uint8)
    return crop, mask


def make_sample(split, index, return_scene=False):
    """Sample `index` of `split` -> (crop uint8 96x96x3, mask uint8 96x96 in {0,1}).
    With return_scene=True also returns a dict with the scene, label map and box."""
    rng = np.random.default_rng([SPLITS[split], int(index)])
    while True:
        img, label, n_obj, full_area = make_scene(rng)
        H, W = label.shape
        vis = np.bincount(label.ravel() + 1, minlength=n_obj + 1)[1:]
        min_px = 0.004 * H * W + 60
        ok = [k for k in range(n_obj)
              if vis[k] >= min_px and full_area[k] > 0 and vis[k] >= 0.45 * full_area[k]]
        if ok:
            break
    k = ok[int(rng.integers(len(ok)))]
    m = label == k
    ys, xs = np.nonzero(m)
    box = _user_box(rng, ys, xs, H, W)
    crop, mask = _resize_crop(img, m, box)
    if return_scene:
        return crop, mask, {"scene": img.astype(np.uint8), "label": label, "object": k, "box": box}
    return crop, mask


def _gen_range(args):
    split, start, n = args
    crops = np.empty((n, CROP, CROP, 3), np.uint8)
    masks = np.empty((n, CROP, CROP), np.uint8)
    for j in range(n):
        crops[j], masks[j] = make_sample(split, start + j)
    return crops, masks


def make_dataset(split, n, start=0, workers=1):
    """Samples start..start+n-1 of `split` -> (crops NHWC uint8, masks NHW uint8).
    workers > 1 uses a process pool; the result is identical either way."""
    if workers <= 1 or n < 64:
        return _gen_range((split, start, n))
    import multiprocessing as mp
    chunk = max(16, n // (workers * 8))
    jobs = [(split, s, min(chunk, start + n - s)) for s in range(start, start + n, chunk)]
    with mp.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_gen_range, jobs)
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))


# --------------------------------------------------------------------------
# preview


def _write_png(path, rgb):
    """Minimal PNG writer (8-bit RGB, zlib) so the preview needs numpy only."""
    import struct
    import zlib
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def preview(path, split="train", n=8, start=0):
    """PNG grid: for each sample, the scene with the box (red), the 96x96 crop,
    and the crop with the ground-truth mask tinted green."""
    rows = []
    for i in range(start, start + n):
        crop, mask, info = make_sample(split, i, return_scene=True)
        sc = info["scene"].copy()
        y0, y1, x0, x1 = info["box"]
        for yy in (y0, y1 - 1):
            sc[yy, x0:x1] = (255, 0, 0)
        for xx in (x0, x1 - 1):
            sc[y0:y1, xx] = (255, 0, 0)
        canvas = np.full((256, 256 + 4 + 2 * (2 * CROP + 4)), 255, np.uint8)
        canvas = np.stack([canvas] * 3, -1)
        canvas[:sc.shape[0], :sc.shape[1]] = sc
        big = np.repeat(np.repeat(crop, 2, 0), 2, 1)
        tint = crop.astype(np.float32)
        tint[mask > 0] = 0.5 * tint[mask > 0] + 0.5 * np.array([0, 255, 0])
        bigt = np.repeat(np.repeat(tint.astype(np.uint8), 2, 0), 2, 1)
        o = 260
        canvas[:2 * CROP, o:o + 2 * CROP] = big
        canvas[:2 * CROP, o + 2 * CROP + 4:o + 4 * CROP + 4] = bigt
        rows.append(canvas)
        rows.append(np.zeros((4, canvas.shape[1], 3), np.uint8))
    _write_png(path, np.concatenate(rows))


N_CALIBRATION = 64
N_EVALUATION = 256
N_SCENES = 3
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
CALIBRATION_NPZ = os.path.join(DATA_DIR, "calibration.npz")
EVALUATION_NPZ = os.path.join(DATA_DIR, "evaluation.npz")
SCENES_DIR = os.path.join(DATA_DIR, "scenes")


def write_shipped():
    """The shipped sets: uint8 RGB crops NHWC (before normalisation), masks NHW 0/1."""
    os.makedirs(DATA_DIR, exist_ok=True)
    crops, _ = make_dataset("calibration", N_CALIBRATION)
    np.savez_compressed(CALIBRATION_NPZ, crops=crops)
    print(f"wrote {CALIBRATION_NPZ}: crops {crops.shape} {crops.dtype}")
    crops, masks = make_dataset("evaluation", N_EVALUATION)
    np.savez_compressed(EVALUATION_NPZ, crops=crops, masks=masks)
    print(f"wrote {EVALUATION_NPZ}: crops {crops.shape} {crops.dtype}, masks {masks.shape} {masks.dtype} "
          f"(mask fraction {masks.mean():.3f})")


def write_scenes():
    """Full scenes (not crops) of the first N_SCENES evaluation samples as PNG,
    and their box prompts in scenes/boxes.json, for the compiled program
    (which takes an image and a box). The PNG holds the uint8 scene of
    make_sample(..., return_scene=True); the box is given both as the
    program's x0,y0,x1,y1 and as this file's (y0, y1, x0, x1)."""
    import json
    os.makedirs(SCENES_DIR, exist_ok=True)
    scenes = []
    for i in range(N_SCENES):
        _, _, info = make_sample("evaluation", i, return_scene=True)
        y0, y1, x0, x1 = (int(v) for v in info["box"])
        name = f"scene_{i}.png"
        _write_png(os.path.join(SCENES_DIR, name), info["scene"])
        h, w, _ = info["scene"].shape
        scenes.append({"file": name, "split": "evaluation", "index": i,
                       "width": w, "height": h, "object": int(info["object"]),
                       "box": [x0, y0, x1, y1], "data_py_box": [y0, y1, x0, x1]})
        print(f"wrote {os.path.join(SCENES_DIR, name)}: {w}x{h}, box x0,y0,x1,y1 = {x0},{y0},{x1},{y1}")
    with open(os.path.join(SCENES_DIR, "boxes.json"), "w") as f:
        f.write('{"scenes": [\n' + ",\n".join(" " + json.dumps(s) for s in scenes) + "\n]}\n")


def main():
    ap = argparse.ArgumentParser(description="Synthetic promptable-segmentation data: preview / timing.")
    ap.add_argument("--preview", default=None, help="write a PNG grid of samples to this path")
    ap.add_argument("--split", default="train", choices=sorted(SPLITS))
    ap.add_argument("--n", type=int, default=8, help="number of samples (preview / timing)")
    ap.add_argument("--start", type=int, default=0, help="first sample index")
    ap.add_argument("--time", action="store_true", help="time generation of --n samples")
    ap.add_argument("--write-shipped", action="store_true",
                    help="(re)write models/data/calibration.npz (%d crops of split 'calibration') and "
                         "models/data/evaluation.npz (%d crops + masks of split 'evaluation')"
                         % (N_CALIBRATION, N_EVALUATION))
    ap.add_argument("--write-scenes", action="store_true",
                    help="(re)write models/data/scenes/: the full scenes of the first %d evaluation "
                         "samples as PNG, and their boxes (boxes.json)" % N_SCENES)
    args = ap.parse_args()
    if args.write_shipped:
        write_shipped()
    if args.write_scenes:
        write_scenes()
    if args.preview:
        preview(os.path.abspath(args.preview), args.split, args.n, args.start)
        print("wrote", args.preview)
    if args.time:
        import time
        t = time.time()
        crops, masks = make_dataset(args.split, args.n, args.start)
        dt = time.time() - t
        print(f"{args.n} samples in {dt:.2f}s ({1000 * dt / args.n:.2f} ms/sample); "
              f"mean mask fraction {masks.mean():.3f}")


if __name__ == "__main__":
    main()
