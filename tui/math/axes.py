"""The cost landscape's axes: the parameters marked with m, else the session's watched ones,
kept while the network keeps its shape."""

from __future__ import annotations

from core.session import Session, Snapshot

from . import selection as selecting


def marked(axes: tuple, param: tuple) -> tuple:
    """The landscape's axes after marking ``param``: at most two, the oldest dropped;
    marking a marked one removes it (the last one stays)."""
    if param not in axes:
        return (*axes, param)[-2:]
    return tuple(a for a in axes if a != param) if len(axes) > 1 else axes


class LandscapeAxes:
    """The parameters the cost landscape draws C along (``marked``: the ones chosen with m
    or by selecting, dropped when the network changes shape)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.marked: tuple = ()
        self.shape: tuple | None = None    # (preset, sizes) the marked axes belong to

    def axes(self) -> tuple:
        """The landscape's parameters: the marked ones, else the session's watched ones
        (the whole model when it has one or two parameters, chain's two weights, else the
        two weights with the largest gradient at the start)."""
        return self.marked or self.session.views.watched_parameters()

    def default_selection(self, view: str | None) -> tuple:
        """The landscape's first axis; for the inspector the first watched parameter (one
        that matters: the weight with the largest gradient at the start, in general)."""
        if view == "landscape":
            return selecting.selection_of(self.axes()[0])
        return selecting.selection_of(self.session.views.watched_parameters()[0])

    def mark(self, param: tuple) -> None:
        """Mark ``param`` as an axis, or unmark it (see ``marked``)."""
        self.marked = marked(self.axes(), param)

    def follow_selection(self, param: tuple | None) -> None:
        """An unmarked landscape follows the selected parameter (None: nothing to follow)."""
        if not self.marked and param is not None:
            self.marked = (param,)

    def new_shape(self, snapshot: Snapshot) -> bool:
        """Whether ``snapshot`` is a network of another shape (marked axes are dropped)."""
        shape = (snapshot.preset_name, snapshot.sizes)
        if shape == self.shape:
            return False
        self.shape, self.marked = shape, ()
        return True
