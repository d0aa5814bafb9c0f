"""Trains a tiny PyTorch MLP with nn_doctor_log's logger (test/python-logger.test.ts runs it).

    python3 test/python/train_tiny.py LOGDIR healthy|dead-relu|converged|diverging [STEPS]

`dead-relu` starts the hidden layer's biases at -20: every ReLU unit is dead from the start.
`converged` trains on well-separated blobs until the loss is ≈ 1e-5 and validation accuracy 1.0
(the gradients, and so the updates, vanish late in the run: convergence, not a fault).
`diverging` trains with SGD at LR 30 (600× the healthy 0.05): the loss blows up to NaN/Inf.
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
shift = 3.0 if fault == "converged" else 1.0
x = torch.cat([torch.randn(512, 20) + shift, torch.randn(512, 20) - shift])
y = torch.cat([torch.zeros(512, dtype=torch.long), torch.ones(512, dtype=torch.long)])
order = torch.randperm(1024)
x, y = x[order], y[order]
train_x, train_y, val_x, val_y = x[:896], y[:896], x[896:], y[896:]

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))
if fault == "dead-relu":
    with torch.no_grad():
        model[0].bias.fill_(-20.0)
        model[0].weight.mul_(0.01)
lr = {"converged": 0.2, "diverging": 30.0}.get(fault, 0.05)
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
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
            logits = model(val_x)
            logger.log_validation(loss_fn(logits, val_y))
            accuracy = float((logits.argmax(1) == val_y).float().mean())
            if fault == "converged":
                # As the run of issue 20 did: validation accuracy 1.0 beside a loss of 1e-5.
                logger.writer.add_scalar("val/accuracy", accuracy, step)
print("final loss", float(loss), "val accuracy", accuracy)
logger.close()
print("done", steps)
