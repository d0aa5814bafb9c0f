"""One rank of a two-process data-parallel job on torch.distributed (gloo, localhost), logged with
nn_doctor_log (test/distributed.test.ts starts both ranks).

    RANK=r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=p python3 test/python/train_ddp.py LOGDIR MODE [STEPS]

MODE: ``healthy`` (DistributedDataParallel), ``nan`` (as healthy, but rank 1's shard holds NaN
inputs from step 20), ``no-averaging`` (plain models, same seed, each rank its own shard: the
gradients are never averaged). Synthetic data (two Gaussian blobs in 20 dimensions), CPU, seeded.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402

from nn_doctor_log import NNDoctorLogger  # noqa: E402

logdir, mode = sys.argv[1], sys.argv[2]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 60
dist.init_process_group("gloo", init_method="env://")
rank, world = dist.get_rank(), dist.get_world_size()

torch.manual_seed(0)  # the same data and the same initial weights on every rank
x = torch.cat([torch.randn(1024, 20) + 1.0, torch.randn(1024, 20) - 1.0])
y = torch.cat([torch.zeros(1024, dtype=torch.long), torch.ones(1024, dtype=torch.long)])
order = torch.randperm(2048)
x, y = x[order][rank::world], y[order][rank::world]  # this rank's shard

model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 2))
if mode != "no-averaging":
    model = DistributedDataParallel(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
logger = NNDoctorLogger(model, logdir, every=4, activations_every=20)
print("rank: %s" % logger.rank, flush=True)
loss_fn = nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(100 + rank)
for step in range(steps):
    idx = torch.randint(0, x.shape[0], (32,), generator=g)
    xb = x[idx].clone()
    if mode == "nan" and rank == 1 and step >= 20:
        xb[0, 0] = float("nan")
    optimizer.zero_grad()
    loss = loss_fn(model(xb), y[idx])
    loss.backward()
    optimizer.step()
    logger.step(loss)
logger.close()
dist.destroy_process_group()
