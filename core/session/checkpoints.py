"""Checkpoints: finite training states to go back to when training diverges.

A diverged state is rebuilt from the last checkpoint before it by training the same batches
again with the same settings, so the state it goes back to is bitwise what it was then.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..data.datasets import Dataset
from ..engine.network import Network
from ..engine.optimizers import Optimizer, make_optimizer
from ..engine.training import batch_slices, train_batch

KEPT = 2   # checkpoints kept: the latest, and the one before in case the latest is bad too


class Checkpoint(NamedTuple):
    """Finite training state at (``epoch``, ``batch``), with the optimizer and learning rate
    used from there on (changing either takes a new checkpoint). A named tuple: cheap to
    make, since undo keeps one every epoch."""

    epoch: int
    batch: int
    epoch_cost: float
    parameters: tuple[np.ndarray, ...]
    optimizer: str
    optimizer_state: dict[str, np.ndarray]
    learning_rate: float

    @classmethod
    def of(cls, epoch: int, batch: int, epoch_cost: float, net: Network, optimizer: Optimizer,
           learning_rate: float) -> Checkpoint:
        """The state now: these counters, copies of ``net``'s parameters and of
        ``optimizer``'s state."""
        return cls(epoch, batch, epoch_cost, tuple(p.copy() for p in net.parameters()),
                   optimizer.name, optimizer.state(), learning_rate)

    @property
    def position(self) -> tuple[int, int]:
        """(epoch, batch): where training stood."""
        return self.epoch, self.batch

    def restore(self, net: Network) -> Optimizer:
        """Put ``net``'s parameters back as they were; the optimizer as it was, anew."""
        for live, saved in zip(net.parameters(), self.parameters):
            live[...] = saved
        optimizer = make_optimizer(self.optimizer)
        optimizer.load_state(self.optimizer_state)
        return optimizer


@dataclass(frozen=True)
class Rewound:
    """Where training stands after going back: the counters and the optimizer to go on with."""

    epoch: int
    batch: int
    epoch_cost: float
    optimizer: Optimizer


class Checkpoints:
    """The latest checkpoints of one run, oldest first."""

    def __init__(self) -> None:
        self._kept: deque[Checkpoint] = deque(maxlen=KEPT)

    def clear(self) -> None:
        """Forget every checkpoint (replays from them would use other settings)."""
        self._kept.clear()

    def take(self, epoch: int, batch: int, epoch_cost: float, net: Network,
             optimizer: Optimizer, learning_rate: float) -> None:
        """Remember the current (finite) state; checkpoints at or ahead of it are forgotten."""
        while self._kept and self._kept[-1].position >= (epoch, batch):
            self._kept.pop()
        self._kept.append(Checkpoint.of(epoch, batch, epoch_cost, net, optimizer, learning_rate))

    def rewind(self, net: Network, data: Dataset, batch_size: int, seed: int,
               bad: tuple[int, int], epoch: int) -> Rewound:
        """Put ``net`` back to the start of ``epoch`` (or the latest checkpoint before the bad
        position ``bad``): restore a checkpoint and train on from it with its optimizer and
        learning rate."""
        checkpoint = ([c for c in self._kept if c.position <= (epoch, 0)]
                      or [c for c in self._kept if c.position < bad]
                      or list(self._kept))[-1]
        optimizer = checkpoint.restore(net)
        X, Y, n = data.X_train, data.Y_train, len(data.X_train)
        first = checkpoint.batch
        for past in range(checkpoint.epoch, epoch):
            for index in batch_slices(n, batch_size, seed, past)[first:]:
                train_batch(net, optimizer, X[index], Y[index], checkpoint.learning_rate)
            first = 0
        if checkpoint.epoch < epoch:
            return Rewound(epoch, 0, 0.0, optimizer)
        return Rewound(checkpoint.epoch, checkpoint.batch, checkpoint.epoch_cost, optimizer)
