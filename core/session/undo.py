"""Undo: go back, bit for bit, to the trainer's state before one of its latest steps.

A step is an epoch, a mini-batch trained on its own, or a typed weight; ``remember`` keeps
the state before it in the trainer's ``UndoSteps`` (``core.session.undo_steps``).
"""

from __future__ import annotations

import math

from ..checks import is_number
from ..text import quoted
from .checkpoints import Checkpoint
from .trainer import Trainer
from .undo_steps import Remembered


def remember(trainer: Trainer) -> None:
    """Keep ``trainer``'s state now, before its next step (nothing if it keeps none)."""
    if not trainer.undo_steps.keeps:
        return
    trainer.undo_steps.push(Remembered(
        Checkpoint.of(trainer.epoch, trainer.batch, trainer.epoch_cost, trainer.net,
                      trainer.optimizer, trainer.learning_rate),
        trainer.history.mark(), trainer.test_history.mark(), trainer.last_test_epoch,
        trainer.target_epoch, len(trainer.edits)))


def _go_back(trainer: Trainer, kept: Remembered) -> None:
    """Put ``trainer`` back as it was when ``kept`` was remembered."""
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


def undo(trainer: Trainer) -> bool:
    """Put ``trainer`` back as it was before its latest step (an epoch, a batch or a typed
    parameter), exactly; False if there is none left."""
    kept = trainer.undo_steps.pop()
    if kept is None:
        return False
    _go_back(trainer, kept)
    trainer.message = ""
    trainer.checkpoints.clear()      # they may lie ahead of the state undone to
    trainer.take_checkpoint()
    trainer.changes += 1
    return True


def check_value(value) -> float:
    """``value`` as a parameter's value, if it is a finite number; else ``ValueError``."""
    if not is_number(value) or not math.isfinite(value):
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
    remember(trainer)
    arrays[layer - 1][index] = value
    trainer.edits.append(trainer.progress())
    trainer.take_checkpoint()
    trainer.changes += 1
