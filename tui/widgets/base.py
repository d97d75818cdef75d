"""The common ground of the panels: draw a Snapshot through the Line API, cached.

A panel keeps the latest ``Snapshot`` and one frame of ``Strip``s. The frame is rebuilt only
when something it shows changed: the data (a new epoch, batch or weights), the size, the
theme, what a lesson holds back (``held``: its numbers drawn as ``?``), or one of the panel's
own settings (``frame_key``). How often snapshots arrive is the app's business: it hands them
over a few times a second while training runs.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from core.explain.notes import NOTHING, Held
from core.session import Snapshot

from .canvas import Canvas
from .render import Palette


def same_picture(old: Snapshot, new: Snapshot) -> bool:
    """Whether ``new`` shows the same network on the same data as ``old`` (an edit may
    change the data, the activations or the penalty and keep the weights)."""
    return (
        old.preset_name == new.preset_name
        and old.sizes == new.sizes
        and old.epoch == new.epoch
        and old.batch == new.batch
        and old.X_train.shape == new.X_train.shape
        and (old.X_train is new.X_train or np.array_equal(old.X_train, new.X_train))
        and (old.activation, old.output_activation, old.loss_name, old.loss)
        == (new.activation, new.output_activation, new.loss_name, new.loss)
        and all(a is b or np.array_equal(a, b) for a, b in zip(old.weights, new.weights))
        and all(a is b or np.array_equal(a, b) for a, b in zip(old.biases, new.biases))
    )


class CachedFrame(Widget):
    """A widget drawn through the Line API from one cached frame of ``Strip``s.

    Subclasses implement ``_build`` (drawing on ``canvas()``) and call ``redraw`` when their
    data changed; settings of their own extend ``frame_key``. ``held``: the values an open
    lesson question asks for, which the frame shows as ``?``.
    """

    held: reactive[Held] = reactive(NOTHING)

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._version = 0
        self._frame: list[Strip] = []
        self._frame_key: tuple | None = None

    def redraw(self) -> None:
        """Mark the frame stale and repaint."""
        self._version += 1
        self.refresh()

    def frame_key(self) -> tuple[Hashable, ...]:
        """Everything the frame depends on besides the data; a change redraws the frame."""
        return (self.size, self.app.theme, self.background_colors, self.rich_style, self.held)

    def canvas(self) -> Canvas:
        """A blank canvas the panel's size that holds back what ``held`` holds."""
        return Canvas(*self.size, held=self.held)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Rebuild the cached frame if it is stale, then let Textual render from it."""
        key = (self._version, *self.frame_key())
        if key != self._frame_key:
            self._frame_key = key
            self._frame = self._build()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the cached frame."""
        if 0 <= y < len(self._frame):
            return self._frame[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _build(self) -> list[Strip]:
        raise NotImplementedError


class SnapshotPanel(CachedFrame):
    """A widget drawn from the latest ``Snapshot`` passed to ``show``.

    Subclasses implement ``draw`` and, for settings of their own, extend ``frame_key``.
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.snapshot: Snapshot | None = None

    def show(self, snapshot: Snapshot) -> None:
        """Take a new snapshot; redraw if it shows something different."""
        old, self.snapshot = self.snapshot, snapshot
        if old is not None and same_picture(old, snapshot):
            return
        self.redraw()

    def draw(self, canvas: Canvas, palette: Palette, snapshot: Snapshot) -> None:
        """Paint the panel for ``snapshot`` onto ``canvas`` (the panel's content size)."""
        raise NotImplementedError

    def _build(self) -> list[Strip]:
        canvas = self.canvas()
        palette = Palette.of(self)
        if self.snapshot is None:
            canvas.text(0, 0, "waiting for the first epoch", fg=palette.muted)
        else:
            self.draw(canvas, palette, self.snapshot)
        return canvas.strips(self.rich_style)
