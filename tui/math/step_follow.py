"""The batch being stepped through (f and B), as the math views and the diagram follow it."""

from __future__ import annotations

from core.session import Session

from .requests import step_through


class FollowedStep:
    """The session's step-through as last seen (``state``: None while nothing is stepped)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.state = None                  # the session's StepThrough while stepping through

    @property
    def highlight_layer(self) -> int | None:
        """The activation layer the step-through just computed (None: nothing stepped)."""
        last = None if self.state is None else self.state.last
        if last is not None and last.phase in ("forward", "backward"):
            return last.layer
        return None

    def follow(self) -> bool:
        """Take up the session's step-through; True if it moved on."""
        if self.state is None:
            return False
        state = self.session.views.step_through()
        if state is not None and state.epoch == self.state.epoch \
                and state.phase == self.state.phase:
            return False
        self.state = state
        return True

    def step(self, direction: str) -> str:
        """f ("forward") or B ("backward"): compute one more layer of the batch; returns
        why not (empty when it moved on)."""
        refused = step_through(self.session, direction)
        self.state = self.session.views.step_through()
        return refused
