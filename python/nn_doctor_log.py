"""Log what nn-doctor's checks need from a PyTorch training loop, as TensorBoard event files.

``nn-doctor diagnose LOGDIR`` and ``nn-doctor watch LOGDIR`` judge gradients, update ratios and
activations only when the logs hold them, and most PyTorch logs don't. This module logs exactly the
tags they read (docs/tensorboard-tags.md), on a schedule that keeps its cost small:

=================================  =========================================  =====================
tag                                what                                       when
=================================  =========================================  =====================
``train/loss``                     the training loss                          every step (``step``)
``val/loss``                       the validation loss                        ``log_validation``
``grad_norm``                      global L2 norm of the gradients            every ``every`` steps
``grad_norm/<param>``              L2 norm of each parameter's gradient       every ``every`` steps
``update_ratio/<param>``           ‖ΔW‖ / ‖W‖ of the optimizer step           every ``every`` steps
``<param>``                        histogram of each parameter's values       step 0, then every
                                                                              ``weights_every``
``activations/<module>/<fn>``      histogram of an activation module's        every
                                   output (``fn``: relu, tanh, sigmoid, …)    ``activations_every``
``weight_norm/<param>``            L2 norm of each parameter after the step   every ``every`` steps
                                   (distributed jobs only)
=================================  =========================================  =====================

Distributed jobs (DDP, FSDP, a hand-written all_reduce): when ``torch.distributed`` is initialized
with more than one process (or ``rank=`` is given), each rank writes to its own sub-run
``<logdir>/rank_<N>`` and logs its weight norms, which ``nn-doctor diagnose`` compares across ranks
(``distributed/replica-divergence``, ``distributed/non-finite``…). Parameter names are logged
without DDP's ``module.`` prefix, so that wrapped and plain models name their layers alike.

Usage::

    from nn_doctor_log import NNDoctorLogger

    logger = NNDoctorLogger(model, "runs/exp1")        # or a SummaryWriter / tensorboardX writer
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        logger.step(loss)                              # after optimizer.step()
    logger.log_validation(val_loss)                    # whenever you evaluate
    logger.close()

Then ``nn-doctor diagnose runs/exp1`` (or ``nn-doctor watch runs/exp1`` while it trains).

How it measures: gradient norms come from a hook on each parameter —
``Tensor.register_post_accumulate_grad_hook`` (PyTorch ≥ 2.1: it fires once the gradient is
accumulated, also under FSDP2) or else ``Tensor.register_hook`` — active on scheduled steps only,
where it keeps the sum of squares on the device and a reference copy of the parameter before the
optimizer changes it (for ‖ΔW‖). Activations come from forward hooks on activation modules
(``nn.ReLU``, ``nn.Tanh``, ``nn.Sigmoid``, …), active only on the steps they are logged at. Models
that call ``F.relu`` in ``forward`` have no such module: pass ``activations={"fc1": "relu"}`` to log
``relu(output of fc1)`` instead. Hooks are removed by ``close()``.

With no ``tensorboard`` package installed, a path writes event files with the small writer below
(TFRecord framing with CRC-32C, ``brain.Event:2``); a ``SummaryWriter`` is used as it is.

Only the standard library and torch are needed. MIT licence, part of nn-doctor.
"""

from __future__ import annotations

import math
import os
import socket
import struct
import time
from typing import Dict, Optional

import torch
from torch import nn

__all__ = ["NNDoctorLogger", "EventFileWriter"]

_ACTIVATIONS = {
    nn.ReLU: "relu",
    nn.ReLU6: "relu6",
    nn.LeakyReLU: "leakyrelu",
    nn.ELU: "elu",
    nn.SELU: "selu",
    nn.GELU: "gelu",
    nn.Tanh: "tanh",
    nn.Sigmoid: "sigmoid",
    nn.Hardtanh: "hardtanh",
    nn.Softsign: "softsign",
}
_FUNCTIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}
_BUCKETS = 30
_SAMPLE = 1 << 16


# --- a minimal TensorBoard event-file writer ---------------------------------------------------

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def _masked_crc(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    c ^= 0xFFFFFFFF
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(n: int) -> bytes:
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number: int, wire: int) -> bytes:
    return _varint((number << 3) | wire)


def _bytes_field(number: int, data: bytes) -> bytes:
    return _field(number, 2) + _varint(len(data)) + data


def _double_field(number: int, value: float) -> bytes:
    return _field(number, 1) + struct.pack("<d", value)


def _event(step: int, body: bytes) -> bytes:
    return _double_field(1, time.time()) + _field(2, 0) + _varint(step) + body


class EventFileWriter:
    """Writes scalars and histograms as TensorBoard reads them, flushed record by record."""

    def __init__(self, logdir: str):
        os.makedirs(logdir, exist_ok=True)
        name = "events.out.tfevents.%d.%s.%d.0" % (int(time.time()), socket.gethostname(), os.getpid())
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "ab")
        self._write(_double_field(1, time.time()) + _bytes_field(3, b"brain.Event:2"))

    def _write(self, event: bytes) -> None:
        header = struct.pack("<Q", len(event))
        self._file.write(header + struct.pack("<I", _masked_crc(header)) + event + struct.pack("<I", _masked_crc(event)))
        self._file.flush()

    def add_scalar(self, tag: str, value: float, global_step: int) -> None:
        v = _bytes_field(1, tag.encode()) + _field(2, 5) + struct.pack("<f", float(value))
        self._write(_event(global_step, _bytes_field(5, _bytes_field(1, v))))

    def add_histogram(self, tag: str, values, global_step: int) -> None:
        x = values.detach().flatten().float()
        if x.numel() == 0:
            return
        lo, hi = float(x.min()), float(x.max())
        if not (math.isfinite(lo) and math.isfinite(hi)):
            x = x[torch.isfinite(x)]
            if x.numel() == 0:
                return
            lo, hi = float(x.min()), float(x.max())
        num = x.numel()
        # Moments from every value; buckets from at most _SAMPLE of them, evenly strided (the
        # shares per bucket are what nn-doctor reads, and they need no more).
        # float32 reductions (vectorized; float64 ones cost 10× more on a CPU), precise enough for moments.
        total = float(x.sum())
        squares = float(torch.dot(x, x))
        sample = x[:: max(1, num // _SAMPLE)]
        # Bucket i covers (limit[i-1], limit[i]]; a first limit at 0 counts the values ≤ 0 exactly
        # (the exact zeros of a ReLU are what the dead-unit estimate reads).
        at_zero = lo <= 0.0 < hi
        start = 0.0 if at_zero else lo
        width = (hi - start) / _BUCKETS or 1.0
        limits = ([0.0] if at_zero else []) + [start + width * (i + 1) for i in range(_BUCKETS)]
        limits[-1] = max(limits[-1], hi)
        rest = sample[sample > 0.0] if at_zero else sample
        counts = torch.histc(rest, bins=_BUCKETS, min=start, max=limits[-1]).tolist()
        if at_zero:
            counts = [float((sample <= 0.0).sum())] + counts
        scale = num / max(1, sample.numel())
        counts = [c * scale for c in counts]
        h = (
            _double_field(1, lo)
            + _double_field(2, hi)
            + _double_field(3, float(num))
            + _double_field(4, total)
            + _double_field(5, squares)
            + _bytes_field(6, struct.pack("<%dd" % len(limits), *limits))
            + _bytes_field(7, struct.pack("<%dd" % len(counts), *counts))
        )
        v = _bytes_field(1, tag.encode()) + _bytes_field(5, h)
        self._write(_event(global_step, _bytes_field(5, _bytes_field(1, v))))

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _distributed_rank() -> Optional[int]:
    """This process's rank when torch.distributed runs more than one process, else None."""
    dist = getattr(torch, "distributed", None)
    if dist is None or not dist.is_available() or not dist.is_initialized():
        return None
    return dist.get_rank() if dist.get_world_size() > 1 else None


def _plain_name(name: str) -> str:
    return name[len("module."):] if name.startswith("module.") else name


# --- the logger --------------------------------------------------------------------------------

class NNDoctorLogger:
    """Logs loss, gradient norms, update ratios, weights and activations for nn-doctor.

    Args:
        model: the ``nn.Module`` being trained.
        writer: a log directory (event files are written there) or an object with ``add_scalar``
            and ``add_histogram`` (``torch.utils.tensorboard.SummaryWriter``, tensorboardX).
        every: gradient norms and update ratios every this many steps (default 32).
        activations_every: activation histograms every this many steps (default 256).
        weights_every: weight histograms every this many steps (default: as activations).
        activations: ``{module name: function}`` for models without activation modules; default
            every activation module (``nn.ReLU``, ``nn.Tanh``, …) of the model.
        rank: this process's rank in a distributed job (default: ``torch.distributed``'s when it
            is initialized with more than one process, else none). With a rank, a log directory
            gets a ``rank_<rank>`` sub-run and weight norms are logged.
    """

    def __init__(
        self,
        model: nn.Module,
        writer,
        every: int = 32,
        activations_every: int = 256,
        weights_every: Optional[int] = None,
        activations: Optional[Dict[str, str]] = None,
        rank: Optional[int] = None,
    ):
        for name, value in (("every", every), ("activations_every", activations_every)):
            if not isinstance(value, int) or value < 1:
                raise ValueError("%s must be a positive whole number, got %r" % (name, value))
        self.model = model
        self.rank = _distributed_rank() if rank is None else rank
        self.owns_writer = isinstance(writer, (str, os.PathLike))
        if self.owns_writer:
            path = os.fspath(writer)
            if self.rank is not None:
                path = os.path.join(path, "rank_%d" % self.rank)
            self.writer = EventFileWriter(path)
        else:
            self.writer = writer
        self.every = every
        self.activations_every = activations_every
        self.weights_every = weights_every or activations_every
        self.global_step = 0
        # DDP names its parameters `module.<name>`: logged without it, so ranks and runs compare.
        self.params = [(_plain_name(n), p) for n, p in model.named_parameters() if p.requires_grad]
        self._grad_sq: Dict[str, torch.Tensor] = {}
        self._before: Dict[str, torch.Tensor] = {}
        self._handles = []
        post = hasattr(torch.Tensor, "register_post_accumulate_grad_hook")
        self.hook_kind = "register_post_accumulate_grad_hook" if post else "register_hook"
        for name, p in self.params:
            if post:
                self._handles.append(p.register_post_accumulate_grad_hook(self._param_hook(name)))
            else:
                self._handles.append(p.register_hook(self._grad_hook(name, p)))
        modules = dict(model.named_modules())
        chosen = {}
        if activations:
            for name, fn in activations.items():
                if name not in modules:
                    raise ValueError("activations: the model has no module %r" % name)
                if fn not in _FUNCTIONS:
                    raise ValueError("activations: unknown function %r (use %s)" % (fn, ", ".join(_FUNCTIONS)))
                chosen[name] = fn
        else:
            for name, m in modules.items():
                for cls, fn in _ACTIVATIONS.items():
                    if type(m) is cls:
                        chosen[name] = fn
        for name, fn in chosen.items():
            self._handles.append(modules[name].register_forward_hook(self._forward_hook(name, fn, bool(activations))))

    # Hooks do work only on scheduled steps; the step being computed is `global_step`.
    def _due(self) -> bool:
        return self.global_step % self.every == 0

    def _remember(self, name: str, p: torch.Tensor, grad: Optional[torch.Tensor], accumulated: bool) -> None:
        if grad is not None:
            sq = grad.detach().float().pow(2).sum()
            # p.grad after accumulation is the whole step's gradient; a register_hook gradient is
            # one backward pass's share (several with gradient accumulation): those are summed.
            add = not accumulated and name in self._grad_sq
            self._grad_sq[name] = self._grad_sq[name] + sq if add else sq
        if name not in self._before:
            self._before[name] = p.detach().clone()

    def _param_hook(self, name: str):
        def hook(p: torch.Tensor) -> None:
            if self._due():
                self._remember(name, p, p.grad, accumulated=True)

        return hook

    def _grad_hook(self, name: str, p: torch.Tensor):
        def hook(grad: torch.Tensor):
            if self._due():
                self._remember(name, p, grad, accumulated=False)
            return None

        return hook

    def _forward_hook(self, name: str, fn: str, apply: bool):
        def hook(_module, _inputs, output):
            if self.global_step % self.activations_every != 0 or not torch.is_tensor(output):
                return
            values = _FUNCTIONS[fn](output.detach()) if apply else output.detach()
            self.writer.add_histogram("activations/%s/%s" % (name, fn), values, self.global_step)

        return hook

    def step(self, loss=None) -> None:
        """Call once after each ``optimizer.step()``, with the step's loss (a tensor or number)."""
        s = self.global_step
        if loss is not None:
            self.writer.add_scalar("train/loss", float(loss), s)
        if s % self.weights_every == 0:
            for name, p in self.params:
                # Values before this step's update when the hook kept them (step 0: the initialization).
                self.writer.add_histogram(name, self._before.get(name, p.detach()), s)
        if self._due() and (self._grad_sq or self._before):
            total = 0.0
            for name, p in self.params:
                sq = self._grad_sq.get(name)
                if sq is not None:
                    g2 = float(sq)
                    total += g2
                    self.writer.add_scalar("grad_norm/%s" % name, math.sqrt(g2), s)
                before = self._before.get(name)
                if before is not None:
                    w = float(before.float().norm())
                    d = float((p.detach().float() - before.float()).norm())
                    if not (math.isfinite(w) and math.isfinite(d)):
                        ratio = math.nan  # NaN/Inf weights: no ratio to measure (not 0: "too slow")
                    else:
                        ratio = d / w if w > 0 else (math.inf if d > 0 else 0.0)
                    self.writer.add_scalar("update_ratio/%s" % name, ratio, s)
            self.writer.add_scalar("grad_norm", math.sqrt(total), s)
        if self.rank is not None and self._due():
            # What replica divergence compares across ranks: identical replicas, identical norms.
            for name, p in self.params:
                self.writer.add_scalar("weight_norm/%s" % name, float(p.detach().float().norm()), s)
        self._grad_sq.clear()
        self._before.clear()
        self.global_step += 1

    def log_validation(self, loss, step: Optional[int] = None) -> None:
        """Logs a validation loss at ``step`` (default: the last training step)."""
        self.writer.add_scalar("val/loss", float(loss), max(0, self.global_step - 1) if step is None else step)

    def close(self) -> None:
        """Removes every hook; closes the writer if this logger opened it."""
        for h in self._handles:
            h.remove()
        self._handles = []
        if self.owns_writer:
            self.writer.close()
        elif hasattr(self.writer, "flush"):
            self.writer.flush()
