"""The loss plot: training and test loss against epoch, drawn by plotext."""

from __future__ import annotations

import math

import numpy as np
from textual.color import Color, ColorParseError
from textual.content import Content
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from core.explain.notes import NOTHING, Held
from core.session import TEST_EVERY, Snapshot

MIN_WIDTH, MIN_HEIGHT = 16, 5  # smaller than this, the plot is a line of text
XLABEL_HEIGHT = 12             # from this height on, the x axis is labelled "epoch"


def downsample(x: np.ndarray, y: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``points`` evenly spread samples of (x, y), the first and last kept."""
    if len(x) <= points:
        return x, y
    index = np.unique(np.linspace(0, len(x) - 1, max(points, 2)).round().astype(int))
    return x[index], y[index]


def epoch_ticks(first: float, last: float, count: int) -> list[int]:
    """About ``count`` round whole epochs between ``first`` and ``last`` (1, 2 or 5 times a
    power of ten apart)."""
    span = max(last - first, 1.0)
    raw = span / max(count, 1)
    power = 10 ** int(np.floor(np.log10(raw))) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = int(np.ceil(first / step) * step)
    return list(range(start, int(last) + 1, int(step)))


def regular_test_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The test losses at every ``TEST_EVERY``-th epoch, and the latest one.

    The session also records a test loss whenever it builds a snapshot at an epoch's end,
    which depends on when it was watched; plotting only the regular points keeps a paused
    screen reproducible.
    """
    if len(x) == 0:
        return x, y
    keep = (np.mod(x, TEST_EVERY) == 0)
    keep[-1] = True
    return x[keep], y[keep]


def plottable(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The finite points."""
    keep = np.isfinite(y) & np.isfinite(x)
    return x[keep], y[keep]


def decade_label(exponent: int) -> str:
    """10 to the ``exponent`` in at most 8 characters: ``0.001`` ... ``1000``, else ``1e-5``."""
    return f"{10.0 ** exponent:g}" if -3 <= exponent <= 3 else f"1e{exponent}"


def decade_axis(values: np.ndarray, rows: int) -> tuple[list[int], float]:
    """A log axis for ``values`` (finite, >= 0) on a plot ``rows`` rows tall: the exponents
    of its ticks, powers of ten the same number of decades and of rows apart (at least two
    rows), from the decade below the smallest positive value to at or above the largest;
    as many ticks as fit without a whole step of empty decades at the top. Also the value a
    loss of 0 is drawn at (the axis' bottom)."""
    positive = values[values > 0]
    if positive.size == 0:
        positive = np.array([1.0])
    low = int(np.floor(np.log10(positive.min())))
    span = max(int(np.ceil(np.log10(positive.max()))) - low, 1)
    gaps = max(1, rows - 1)
    counts = [k for k in range(1, gaps // 2 + 1) if gaps % k == 0] or [1]
    intervals = max(k for k in counts if k == 1 or -(-span // k) * (k - 1) < span)
    step = -(-span // intervals)
    return list(range(low, low + step * intervals + 1, step)), 10.0 ** low


class LossPlot(PlotextPlot):
    """Training loss (theme primary) and test loss (theme warning) against epoch; the
    border subtitle is the legend and names the y scale (``y`` toggles it). An epoch's
    training loss is its mean batch cost while it trained; the line ends at the loss of the
    weights now, the status bar's (after a step that blew up, far above the rest). The log scale is
    labelled at powers of ten (``decade_axis``) and draws a loss of 0 at its bottom.

    ``show`` stores the histories and asks for a redraw only if they changed; the caller
    decides how often to call it (the training screen does, a few times a second). Each series
    is cut down to about twice the plot's width before plotext sees it. A number on it that
    shows a value ``held`` back (one an open lesson question asks for) is a '?'.
    """

    log_scale: reactive[bool] = reactive(False)
    held: reactive[Held] = reactive(NOTHING)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._series_key: tuple | None = None
        self._current_loss: float | None = None
        self._train = (np.zeros(0), np.zeros(0))
        self._test = (np.zeros(0), np.zeros(0))
        self._marks: tuple[int | None, tuple[float, ...]] = (None, ())   # target, typed edits

    def show(self, snapshot: Snapshot) -> None:
        """Plot the loss histories of ``snapshot`` (a no-op when they did not change)."""
        epochs, loss = snapshot.history_epochs, snapshot.history_loss
        test_epochs, test_loss = snapshot.history_test_epochs, snapshot.history_test_loss
        key = (len(epochs), len(test_epochs),
               epochs[0] if len(epochs) else None, epochs[-1] if len(epochs) else None,
               loss[-1] if len(loss) else None, snapshot.epoch, snapshot.loss,
               test_loss[-1] if len(test_loss) else None)
        self._current_loss = snapshot.loss
        marks = (snapshot.target_epoch, snapshot.edit_epochs)
        if key == self._series_key and marks == self._marks:
            return
        if marks != self._marks:
            self._marks = marks
            self._update_legend()
        self._series_key = key
        if len(epochs) and epochs[-1] == snapshot.epoch and math.isfinite(snapshot.loss):
            epochs, loss = np.append(epochs, snapshot.epoch), np.append(loss, snapshot.loss)
        self._train = (epochs, loss)
        had_test, self._test = len(self._test[0]) > 0, (test_epochs, test_loss)
        if had_test != (len(test_epochs) > 0):
            self._update_legend()
        self.refresh()

    def watch_log_scale(self) -> None:
        """Redraw on the new scale and name it in the legend."""
        self._update_legend()
        self.refresh()

    def _update_legend(self) -> None:
        scale = "log scale" if self.log_scale else "linear"
        test = " [$warning]━ test[/]" if len(self._test[0]) else ""
        target, edits = self._marks
        test += " [$success]│ target[/]" if target is not None else ""
        test += " [$accent]│ edit[/]" if edits else ""
        self.border_subtitle = Content.from_markup(f"[$primary]━ train[/]{test} · {scale} (y)")

    def _theme_rgb(self, name: str, fallback: str) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(name, fallback)
        try:
            return Color.parse(value).rgb
        except ColorParseError:
            return Color.parse(fallback).rgb

    def _plot_marks(self, first: float, last: float) -> None:
        """Vertical lines at the target epoch and at the typed edits within the plot."""
        target, edits = self._marks
        for epochs, colour in (((target,) if target is not None else (), ("success", "#4EBF71")),
                               (edits, ("accent", "#ffa62b"))):
            for epoch in epochs:
                if first <= epoch <= last:
                    self.plt.vline(epoch, color=self._theme_rgb(*colour))

    def render(self):
        """The plot, downsampled to the width; a line of text when there is no room or no epoch
        yet."""
        width, height = self.size
        train_x, train_y = plottable(*self._train)
        test_x, test_y = plottable(*regular_test_points(*self._test))
        if len(train_x) == 0:
            now = "" if self._current_loss is None else f"loss {self._current_loss:.4g} now. "
            return Content(self.held.mask(f"{now}No epochs yet: step with n, or run with space."))
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            return Content(self.held.mask(f"loss {train_y[-1]:.4g}"))
        plt = self.plt
        plt.clear_figure()
        if self.log_scale:
            rows = height - (4 if height >= XLABEL_HEIGHT else 3)   # less the frame and x axis
            exponents, floor = decade_axis(np.concatenate([train_y, test_y]), rows)
            train_y, test_y = np.maximum(train_y, floor), np.maximum(test_y, floor)
            plt.ylim(exponents[0], exponents[-1])      # plotext takes log limits as exponents
            plt.yticks([10.0 ** k for k in exponents], [decade_label(k) for k in exponents])
        points = 2 * width
        x, y = downsample(train_x, train_y, points)
        plt.plot(x.tolist(), y.tolist(), marker="braille",
                 color=self._theme_rgb("primary", "#0178D4"))
        if len(test_x):
            x, y = downsample(test_x, test_y, points)
            plt.plot(x.tolist(), y.tolist(), marker="braille",
                     color=self._theme_rgb("warning", "#ffa62b"))
        plt.yscale("log" if self.log_scale else "linear")
        self._plot_marks(float(train_x[0]), float(train_x[-1]))
        ticks = epoch_ticks(float(train_x[0]), float(train_x[-1]), max(2, width // 14))
        plt.xticks(ticks, [str(t) for t in ticks])
        if height >= XLABEL_HEIGHT:
            plt.xlabel("epoch")
        plot = super().render()
        if self.held:           # the axes' labels: a '?' in each held number's cells
            plot.plain = self.held.mask(plot.plain, keep_length=True)
        return plot
