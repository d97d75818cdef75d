"""What the math views point at besides the weights: the diagram's selection, the training
sample and the cost landscape's axes, kept valid as the session's network changes."""

from __future__ import annotations

from core.session import Session, Snapshot

from . import selection as selecting
from .axes import LandscapeAxes

SELECTING_VIEWS = ("inspector", "landscape")
"""The views that show the diagram's selection."""


class MathFocus:
    """The selection (``selection``: the diagram's, None while no view uses it), the sample
    (``sample``) and the landscape's ``axes``."""

    def __init__(self, session: Session) -> None:
        self.selection: tuple | None = None
        self.sample = 0
        self.kept: tuple | None = None      # the selection while no view uses it
        self.axes = LandscapeAxes(session)

    def take(self, snapshot: Snapshot, view: str | None) -> None:
        """Keep the selection and the sample valid for ``snapshot``'s network and data
        (another shape drops the kept selection and the marked axes)."""
        if self.axes.new_shape(snapshot):
            self.kept = None
            if not selecting.valid(self.selection, snapshot.sizes):
                self.selection = (self.axes.default_selection(view)
                                  if view in SELECTING_VIEWS else None)
        n = snapshot.X_train.shape[0]
        if n and self.sample >= n:
            self.sample = 0

    def open(self, view: str | None, sizes: tuple) -> None:
        """``view`` is shown now: a view that shows the selection gets the one kept, or its
        default; another keeps it aside."""
        if view in SELECTING_VIEWS:
            if not selecting.valid(self.selection, sizes):
                kept = self.kept
                self.selection = kept if selecting.valid(kept, sizes) \
                    else self.axes.default_selection(view)
        elif self.selection is not None:
            self.kept, self.selection = self.selection, None

    def choose(self, selection: tuple, view: str | None, bias: bool) -> None:
        """The diagram's ``selection`` chosen while ``view`` is shown (an unmarked landscape
        follows it)."""
        self.selection = selection
        if view == "landscape":
            self.axes.follow_selection(self.parameter(bias))

    def cycle(self, step: int, samples: int) -> None:
        """``step`` samples on, round the ``samples`` there are."""
        self.sample = (self.sample + step) % max(1, samples)

    def parameter(self, bias: bool) -> tuple | None:
        """The session's parameter for the selection (None: none, or an input, or a neuron
        of a network without biases)."""
        return selecting.parameter(self.selection, bias)
