"""Trains a tiny PyTorch MLP with nn_doctor_log's logger (test/python-logger.test.ts runs it).

    python3 test/python/train_tiny.py LOGDIR healthy|dead-relu [STEPS]

`dead-relu` starts the hidden layer's biases at -20: every ReLU unit is dead from the start.
Synthetic data (two Gaussian blobs in 20 dimensions), CPU, seeded.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from nn_doctor_log import NNDoctorLogger  # noqa: E402

logdir, fault = sys.argv[1], sys.argv[2]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 240
torch.manual_seed(0)
x = torch.cat([torch.randn(512, 20) + 1.0, torch.randn(512, 20) - 1.0])
y = torch.cat([torch.zeros(512, dtype=torch.long), torch.ones(512, dtype=torch.long)])
order = torch.randperm(1024)
x, y = x[order], y[order]
train_x, train_y, val_x, val_y = x[:896], y[:896], x[896:], y[896:]

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))
if fault == "dead-relu":
    with torch.no_grad():
        model[0].bias.fill_(-20.0)
        model[0].weight.mul_(0.01)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
logger = NNDoctorLogger(model, os.path.join(logdir, "train"), every=4, activations_every=20)
print("hook:", logger.hook_kind)
for step in range(steps):
    i = (step * 32) % 896
    optimizer.zero_grad()
    loss = loss_fn(model(train_x[i : i + 32]), train_y[i : i + 32])
    loss.backward()
    optimizer.step()
    logger.step(loss)
    if step % 40 == 39:
        with torch.no_grad():
            logger.log_validation(loss_fn(model(val_x), val_y))
logger.close()
print("done", steps)
