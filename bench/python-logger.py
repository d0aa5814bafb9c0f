"""Overhead of python/nn_doctor_log.py: a PyTorch training loop with and without the logger, side
by side in one process, interleaved (each repeat runs every configuration once, in a rotated
order, from the same initial weights), on an MLP (784-256-128-10) and a LeNet-style CNN, CPU.

    /usr/bin/python3 bench/python-logger.py [--repeats 3] [--steps 400] [--cnn-steps 60]

Inputs are random (the cost does not depend on the data). Configurations: no logger; the logger
at its defaults (gradient norms and update ratios every 32 steps, activation and weight
histograms every 256); everything every 16 steps; everything every step. Ratios are time per step
over the run without the logger in the same repeat: median and range over repeats.
"""
import argparse
import copy
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
import torch  # noqa: E402
from torch import nn  # noqa: E402

from nn_doctor_log import NNDoctorLogger  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--steps", type=int, default=400)
parser.add_argument("--cnn-steps", type=int, default=60)
args = parser.parse_args()
torch.manual_seed(0)


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, 10),
    )


CONFIGS = [
    ("no logger", None),
    ("logger, defaults (every 32 / 256)", {}),
    ("every 16 steps", {"every": 16, "activations_every": 16}),
    ("every step", {"every": 1, "activations_every": 1}),
]


def run(model0, steps, batch, config, logdir):
    model = copy.deepcopy(model0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    logger = NNDoctorLogger(model, logdir, **config) if config is not None else None
    start = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        if logger:
            logger.step(loss)
    if logger:
        logger.close()
    return (time.perf_counter() - start) / steps


def loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "n/a"


print("nn_doctor_log overhead — PyTorch %s, CPU, %d threads, %d interleaved repeats, load average %s"
      % (torch.__version__, torch.get_num_threads(), args.repeats, loadavg()))
with tempfile.TemporaryDirectory() as tmp:
    for label, make, steps in (("MLP", mlp, args.steps), ("LeNet", lenet, args.cnn_steps)):
        model0 = make()
        run(model0, 5, 64, {}, os.path.join(tmp, "warm"))
        times = {name: [] for name, _ in CONFIGS}
        ratios = {name: [] for name, _ in CONFIGS}
        for r in range(args.repeats):
            order = [CONFIGS[(i + r) % len(CONFIGS)] for i in range(len(CONFIGS))]
            per = {}
            for name, config in order:
                per[name] = run(model0, steps, 64, config, os.path.join(tmp, "%s-%d-%s" % (label, r, name[:5])))
                times[name].append(per[name])
            for name, _ in CONFIGS:
                ratios[name].append(per[name] / per["no logger"])
        print("\n%s: %d steps of batch 64 per run (load average now %s)" % (label, steps, loadavg()))
        print("%-36s %9s %7s   range over repeats" % ("configuration", "ms/step", "ratio"))
        for name, _ in CONFIGS:
            rs = ratios[name]
            print("%-36s %9.2f %6.3f×   %.3f–%.3f" % (name, 1000 * statistics.median(times[name]), statistics.median(rs), min(rs), max(rs)))
