"""Undo: the trainer's state before each of its latest steps, to go back to bit for bit.

A step is an epoch, a mini-batch trained on its own, or a typed weight. Each remembered
state holds copies of the parameters and the optimizer's state and the counters; the
histories are marked, not copied (``History.rewind``). Memory is bounded by ``UNDO_STEPS``
states: at most ``UNDO_STEPS`` x (parameters + optimizer state) floats, plus one copy of
each history kept from before its latest merge.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..constants import UNDO_STEPS
from ..text import quoted
from .checkpoints import Checkpoint

if TYPE_CHECKING:
    from .trainer import Trainer


class Remembered(NamedTuple):
    """The trainer's state before one step: its training state and the marks of what it
    recorded (a named tuple: cheap to make every epoch)."""

    state: Checkpoint
    history: tuple[int, int]
    test_history: tuple[int, int]
    last_test_epoch: int
    target_epoch: int | None
    edits: int


class UndoSteps:
    """The states before the latest ``steps`` steps, newest last (none kept for 0)."""

    def __init__(self, steps: int = UNDO_STEPS) -> None:
        self._states: deque[Remembered] = deque(maxlen=steps)

    def __len__(self) -> int:
        return len(self._states)

    def clear(self) -> None:
        """Forget every state (after a new network, new data or a divergence)."""
        self._states.clear()

    def remember(self, trainer: Trainer) -> None:
        """Keep ``trainer``'s state now, before its next step."""
        if not self._states.maxlen:
            return
        self._states.append(Remembered(
            Checkpoint.of(trainer.epoch, trainer.batch, trainer.epoch_cost, trainer.net,
                          trainer.optimizer, trainer.learning_rate),
            trainer.history.mark(), trainer.test_history.mark(), trainer.last_test_epoch,
            trainer.target_epoch, len(trainer.edits)))

    def undo(self, trainer: Trainer) -> bool:
        """Put ``trainer`` back as it was before its latest step; False if none is kept."""
        if not self._states:
            return False
        kept = self._states.pop()
        state = kept.state
        trainer.optimizer = state.restore(trainer.net)
        trainer.learning_rate = state.learning_rate
        trainer.epoch, trainer.batch, trainer.epoch_cost = (state.epoch, state.batch,
                                                            state.epoch_cost)
        trainer.history.rewind(kept.history)
        trainer.test_history.rewind(kept.test_history)
        trainer.last_test_epoch, trainer.target_epoch = kept.last_test_epoch, kept.target_epoch
        del trainer.edits[kept.edits:]
        trainer.path.drop_after(state.epoch)
        return True


def undo(trainer: Trainer) -> bool:
    """Put ``trainer`` back as it was before its latest step (an epoch, a batch or a typed
    parameter), exactly; False if there is none left."""
    if not trainer.undo_steps.undo(trainer):
        return False
    trainer.message = ""
    trainer.checkpoints.clear()      # they may lie ahead of the state undone to
    trainer.take_checkpoint()
    trainer.changes += 1
    return True


def check_value(value) -> float:
    """``value`` as a parameter's value, if it is a finite number; else ``ValueError``."""
    if (isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating))
            or not math.isfinite(value)):
        raise ValueError(f"value: expected a finite number, got {value!r}")
    return float(value)


def parse_value(text: str) -> float:
    """The parameter value typed as ``text`` (such as ``"-1.5"``), checked as
    ``check_value`` checks a number."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"value: expected a finite number, got {quoted(text.strip())}") from None
    return check_value(value)


def set_parameter(trainer: Trainer, kind: str, layer: int, index: tuple[int, ...],
                  value: float) -> None:
    """Set weight (``kind`` "w") or bias ("b") ``index`` of layer ``layer`` (from 1) of
    ``trainer``'s network to ``value`` before its next batch; undoable, noted in ``edits``.
    A parameter the network does not have is a ``ValueError``."""
    arrays = trainer.net.weights if kind == "w" else trainer.net.biases
    shape = arrays[layer - 1].shape if kind in ("w", "b") and 1 <= layer <= len(arrays) else ()
    if len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape)):
        raise ValueError(f"parameter: no {kind}{tuple(index)} in layer {layer}")
    trainer.undo_steps.remember(trainer)
    arrays[layer - 1][index] = value
    trainer.edits.append(trainer.progress())
    trainer.take_checkpoint()
    trainer.changes += 1
