"""A small x-y plot: braille lines and cell marks inside axes labelled with their ranges."""

from __future__ import annotations

import numpy as np
from textual.color import Color

from ..canvas import Braille, Canvas
from ..render import Palette, number


class Plot:
    """Data ranges mapped onto a canvas, leaving a left margin for the y range and the
    bottom row for the x range. Draw with ``line`` and ``marks``, then ``finish``."""

    def __init__(self, canvas: Canvas, xs: np.ndarray, ys: np.ndarray) -> None:
        self.canvas = canvas
        self.x_range = _range(xs)
        self.y_range = _range(ys)
        labels = [number(v) for v in self.y_range]
        self.left = max(len(t) for t in labels) + 1 if canvas.width >= 20 else 0
        self.rows = canvas.height - 1 if canvas.height >= 4 else canvas.height
        self.width = max(0, canvas.width - self.left)
        self.braille = Braille(self.width, self.rows)
        self.marks_to_put: list[tuple[int, int, str, Color]] = []

    def _to_dots(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        dx = (np.asarray(xs, dtype=float) - x0) / (x1 - x0) * (2 * self.width - 1)
        dy = (y1 - np.asarray(ys, dtype=float)) / (y1 - y0) * (4 * self.rows - 1)
        return dx, dy

    def line(self, xs: np.ndarray, ys: np.ndarray, color: Color, bold: bool = False) -> None:
        """A polyline through the points, in order; ``bold`` doubles it, one dot lower."""
        dx, dy = self._to_dots(xs, ys)
        self.braille.polyline(dx, dy, color)
        if bold:
            self.braille.polyline(dx, dy + 1, color)

    def marks(self, xs: np.ndarray, ys: np.ndarray, mark: str, color: Color) -> None:
        """A character at the cell of each point, drawn over the lines."""
        dx, dy = self._to_dots(xs, ys)
        for x, y in zip(dx, dy):
            if np.isfinite(x) and np.isfinite(y):
                self.marks_to_put.append((int(x // 2), int(y // 4), mark, color))

    def finish(self, palette: Palette, x_name: str, y_name: str,
               legend: list[tuple[str, Color]] = ()) -> None:
        """Paint lines, marks, the axis labels and, where the x axis leaves room, a legend
        of (text, colour) pieces."""
        area = self.canvas.view(self.left, 0, self.width, self.rows)
        self.braille.paint(area)
        for x, y, mark, color in self.marks_to_put:
            area.put(x, y, mark, fg=color, bold=True)
        if self.left:
            top, bottom = (number(v) for v in reversed(self.y_range))
            self.canvas.text(self.left - 1 - len(top), 0, top, fg=palette.muted)
            self.canvas.text(self.left - 1 - len(bottom), self.rows - 1, bottom, fg=palette.muted)
            for row in range(self.rows):
                self.canvas.put(self.left - 1, row, "│", fg=palette.muted)
        if self.rows < self.canvas.height:
            low, high = (number(v) for v in self.x_range)
            axis = self.canvas.height - 1
            self.canvas.text(self.left, axis, low, fg=palette.muted)
            self.canvas.text(self.canvas.width - len(high), axis, high, fg=palette.muted)
            pieces = [(f"{x_name} → · {y_name} ↑", palette.muted)]
            pieces += [(f"  {text}", color) for text, color in legend]
            free = self.width - len(low) - len(high) - 2
            while pieces and sum(len(text) for text, _ in pieces) > free:
                pieces.pop()
            x = self.left + len(low) + 1 + (free - sum(len(text) for text, _ in pieces)) // 2
            for text, color in pieces:
                self.canvas.text(x, axis, text, fg=color)
                x += len(text)


def _range(values: np.ndarray) -> tuple[float, float]:
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if high - low < 1e-12:
        return low - 0.5, high + 0.5
    pad = 0.04 * (high - low)
    return low - pad, high + pad
