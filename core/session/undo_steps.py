"""The states undo goes back to: the trainer's state before each of its latest steps.

Each state holds copies of the parameters and the optimizer's state and the counters; the
histories are marked, not copied (``History.rewind``). Memory is bounded by the steps kept:
at most that many x (parameters + optimizer state) floats, plus one copy of each history
kept from before its latest merge. ``core.session.undo`` takes and restores the states.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from ..constants import UNDO_STEPS
from .checkpoints import Checkpoint


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

    @property
    def keeps(self) -> bool:
        """Whether any state is kept (False for 0 steps: nothing need be copied)."""
        return bool(self._states.maxlen)

    def clear(self) -> None:
        """Forget every state (after a new network, new data or a divergence)."""
        self._states.clear()

    def push(self, state: Remembered) -> None:
        """Keep ``state`` as the newest, forgetting the oldest beyond the steps kept."""
        if self.keeps:
            self._states.append(state)

    def pop(self) -> Remembered | None:
        """The newest state, no longer kept; None if there is none."""
        return self._states.pop() if self._states else None
