"""Train PicoSAM3 on the synthetic promptable-segmentation task (data.py).

Seeded and reproducible (for a given thread count): the training set is
samples 0..N-1 of split "train", the held-out set samples 0..M-1 of split
"heldout" (seed domains are disjoint, see data.SPLITS).

Schedule: a low-resolution phase (crops and masks area-resized to --lowres,
the network is fully convolutional so this is 2.25x cheaper at 64 px) then a
full-resolution 96x96 phase; AdamW with linear warm-up + cosine decay over
all steps; loss = BCE + soft Dice. Random flips / 90-degree rotations.

At the end: held-out mIoU (mask = logit > 0, IoU per sample, mean), float
weights written to --out (a state_dict .pt, by default outside models/), and
unless --no-export both ONNX files written by export.py (they carry the
shipped weights; no .pt is shipped).
"""
import argparse
import hashlib
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The machine is shared (2 cores, parallel C++ builds): OpenMP threads that
# spin-wait at barriers collapse throughput when a core is taken, so sleep
# instead. Must be set before torch (libgomp) is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import data  # noqa: E402
from picosam3 import PicoSAM3  # noqa: E402


def dataset_cached(split, n, cache_dir, workers):
    """Generate (or load from a cache keyed by data.py's hash) a data split."""
    with open(os.path.join(HERE, "data.py"), "rb") as f:
        h = hashlib.sha256(f.read()).hexdigest()[:12]
    path = os.path.join(cache_dir, f"{split}_{n}_{h}.npz") if cache_dir else None
    if path and os.path.exists(path):
        z = np.load(path)
        print(f"[data] {split}: loaded {n} samples from cache {path}", flush=True)
        return z["crops"], z["masks"]
    t = time.time()
    crops, masks = data.make_dataset(split, n, workers=workers)
    print(f"[data] {split}: generated {n} samples in {time.time() - t:.1f}s", flush=True)
    if path:
        os.makedirs(cache_dir, exist_ok=True)
        np.savez(path + ".tmp.npz", crops=crops, masks=masks)
        os.replace(path + ".tmp.npz", path)
    return crops, masks


def blas_libraries():
    """BLAS/LAPACK shared objects mapped into this process (Debian's torch links the
    libblas.so.3 alternative, which should resolve to OpenBLAS)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if "blas" in p or "lapack" in p:
                    libs.add(os.path.realpath(p))
    except OSError:
        return "unknown"
    return ", ".join(sorted(libs)) or "none"


def loss_fn(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits).flatten(1)
    t = target.flatten(1)
    dice = 1 - (2 * (p * t).sum(1) + 1) / (p.sum(1) + t.sum(1) + 1)
    return bce + dice.mean(), bce, dice.mean()


def miou(logits, masks):
    """mask = logit > 0; IoU per sample (empty-vs-empty counts as 1); mean."""
    pred = logits > 0
    gt = masks > 0
    inter = (pred & gt).flatten(1).sum(1).float()
    union = (pred | gt).flatten(1).sum(1).float()
    iou = torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union))
    return iou.mean().item(), iou


@torch.no_grad()
def predict(model, crops_u8, bs=64):
    model.eval()
    outs = []
    for i in range(0, len(crops_u8), bs):
        x = torch.from_numpy(data.normalize(crops_u8[i:i + bs])).contiguous(memory_format=torch.channels_last)
        outs.append(model(x).contiguous())
    return torch.cat(outs)


def augment(x, y, g):
    """Same random flip / rot90 for the whole batch (cheap, keeps batch contiguous)."""
    k = int(torch.randint(0, 4, (1,), generator=g))
    if k:
        x = torch.rot90(x, k, (2, 3))
        y = torch.rot90(y, k, (2, 3))
    if int(torch.randint(0, 2, (1,), generator=g)):
        x = torch.flip(x, (3,))
        y = torch.flip(y, (3,))
    return x, y


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-train", type=int, default=16000, help="training samples (split 'train')")
    ap.add_argument("--n-heldout", type=int, default=512, help="held-out samples (split 'heldout')")
    ap.add_argument("--steps-low", type=int, default=2500, help="steps in the low-resolution phase")
    ap.add_argument("--steps-full", type=int, default=700, help="steps at 96x96")
    ap.add_argument("--lowres", type=int, default=64, help="resolution of the first phase (multiple of 16)")
    ap.add_argument("--bs", type=int, default=16, help="batch size")
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate (AdamW)")
    ap.add_argument("--wd", type=float, default=1e-4, help="weight decay")
    ap.add_argument("--warmup", type=int, default=200, help="linear warm-up steps")
    ap.add_argument("--seed", type=int, default=0, help="torch seed (init, shuffling, augmentation)")
    ap.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    ap.add_argument("--workers", type=int, default=2, help="processes for data generation")
    ap.add_argument("--cache", default="/tmp/picosam-data-cache",
                    help="cache dir for generated splits ('' disables)")
    ap.add_argument("--out", default="/tmp/picosam3_trained.pt", help="state_dict output path")
    ap.add_argument("--no-export", action="store_true", help="do not write the ONNX files")
    ap.add_argument("--log-every", type=int, default=100)
    ap.add_argument("--eval-every", type=int, default=1000, help="held-out evaluation interval (steps)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(f"[setup] torch {torch.__version__}, intra-op threads {torch.get_num_threads()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, BLAS loaded: {blas_libraries()}", flush=True)
    t_start = time.time()
    tr_crops, tr_masks = dataset_cached("train", args.n_train, args.cache, args.workers)
    ho_crops, ho_masks = dataset_cached("heldout", args.n_heldout, args.cache, args.workers)
    ho_masks_t = torch.from_numpy(ho_masks[:, None])
    print(f"[data] train mask fraction {tr_masks.mean():.3f}, heldout {ho_masks.mean():.3f}", flush=True)
    x_all = torch.from_numpy(data.normalize(tr_crops))      # N,3,96,96 float32
    y_all = torch.from_numpy(tr_masks[:, None].astype(np.float32))
    del tr_crops, tr_masks

    model = PicoSAM3().to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    total = args.steps_low + args.steps_full

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        p = (step - args.warmup) / max(1, total - args.warmup)
        return args.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * p)))

    g = torch.Generator().manual_seed(args.seed + 1)
    perm = torch.randperm(len(x_all), generator=g)
    pos = 0
    epoch = 0
    t_train = time.time()
    run = {"loss": 0.0, "bce": 0.0, "dice": 0.0, "n": 0}
    t_log = time.time()
    last = {}
    for step in range(total):
        if pos + args.bs > len(perm):
            perm = torch.randperm(len(x_all), generator=g)
            pos = 0
            epoch += 1
        idx = perm[pos:pos + args.bs]
        pos += args.bs
        x, y = augment(x_all[idx], y_all[idx], g)
        res = args.lowres if step < args.steps_low else data.CROP
        if res != data.CROP:
            x = F.interpolate(x, size=(res, res), mode="area")
            y = F.interpolate(y, size=(res, res), mode="area")  # soft targets at low res
        x = x.contiguous(memory_format=torch.channels_last)
        for grp in opt.param_groups:
            grp["lr"] = lr_at(step)
        model.train()
        loss, bce, dice = loss_fn(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        run["loss"] += loss.item()
        run["bce"] += bce.item()
        run["dice"] += dice.item()
        run["n"] += 1
        if (step + 1) % args.log_every == 0 or step + 1 == total:
            n = run["n"]
            dt = time.time() - t_log
            el = time.time() - t_train
            print(f"[train] step {step + 1}/{total} res {res} epoch {epoch} lr {lr_at(step):.2e} "
                  f"loss {run['loss'] / n:.4f} (bce {run['bce'] / n:.4f} dice {run['dice'] / n:.4f}) "
                  f"{n * args.bs / dt:.1f} img/s, elapsed {el:.0f}s", flush=True)
            last = {k: run[k] / n for k in ("loss", "bce", "dice")}
            run = {"loss": 0.0, "bce": 0.0, "dice": 0.0, "n": 0}
            t_log = time.time()
        if (step + 1) % args.eval_every == 0 and step + 1 != total:
            m, _ = miou(predict(model, ho_crops), ho_masks_t)
            print(f"[eval] step {step + 1}: held-out mIoU {m:.4f}", flush=True)

    train_time = time.time() - t_train
    m, ious = miou(predict(model, ho_crops), ho_masks_t)
    print(f"[result] training wall time {train_time:.0f}s ({(time.time() - t_start):.0f}s incl. data), "
          f"{total} steps, {total * args.bs / len(x_all):.2f} epochs of {len(x_all)} samples", flush=True)
    print(f"[result] final loss {last.get('loss', float('nan')):.4f} "
          f"(bce {last.get('bce', float('nan')):.4f}, dice {last.get('dice', float('nan')):.4f}) "
          f"[mean over the last {args.log_every} steps]", flush=True)
    print(f"[result] held-out mIoU {m:.4f} on {len(ho_crops)} samples "
          f"(median IoU {ious.median().item():.4f}, IoU<0.5: {(ious < 0.5).float().mean().item():.3f})",
          flush=True)
    model = model.to(memory_format=torch.contiguous_format).eval()
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        torch.save(model.state_dict(), args.out)
        print(f"[result] weights -> {args.out}", flush=True)
    if not args.no_export:
        import export
        export.export_all(model)


if __name__ == "__main__":
    main()
