"""A grid of terminal cells that panels paint into, then turn into Textual ``Strip``s.

Three ways to paint: text at a cell (``Canvas.text``), braille dots (``Braille``: 2 x 4 dots
a cell, so thin lines stay continuous where they cross) and half-block pixels
(``Canvas.pixels``: 1 x 2 coloured pixels a cell, with ``▀``). A canvas given what a lesson
holds back (``held``) writes every number of its text that shows a held value as ``?``.
Text made to fit its cells: ``fitting`` picks a caption's wording, ``shortened`` cuts names
and keeps them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from core.explain.notes import NOTHING, Held


def fitting(width: int, *wordings: str) -> str:
    """The first of ``wordings`` (longest first) that fits in ``width`` cells, or the last
    one: a caption is shown whole or in a shorter wording, never cut inside a word."""
    return next((text for text in wordings if len(text) <= width), wordings[-1])


def shortened(names: Sequence[str], width: int) -> list[str]:
    """``names`` in at most ``width`` cells each: whole, or cut with ``…`` at the end; where
    that would make two of them alike (``sepal_length``, ``sepal_width``), the start and the
    end around the ``…`` (``s…ngth``, ``s…idth``)."""
    def cut_end(name: str) -> str:
        return name if len(name) <= width else name[:width - 1] + "…"

    def cut_middle(name: str) -> str:
        if len(name) <= width:
            return name
        head = max(1, (width - 1) // 3)
        return name[:head] + "…" + name[len(name) - (width - 1 - head):]

    if width < 3:
        return [name[:max(width, 0)] for name in names]
    ends = [cut_end(name) for name in names]
    return ends if len(set(ends)) == len(set(names)) else [cut_middle(n) for n in names]


# bit of each dot in a braille cell, indexed [row][column] (Unicode U+2800 block)
_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


class Canvas:
    """A ``width`` x ``height`` grid of characters with optional colours, clipped on write.

    ``view`` gives a rectangle of the same grid with its own origin, so a sub-renderer can
    draw at (0, 0) without knowing where it sits. What ``held`` holds back (the values an
    open lesson question asks for) never shows in its text.
    """

    def __init__(self, width: int, height: int, held: Held = NOTHING) -> None:
        self.width, self.height = max(0, width), max(0, height)
        self.held = held
        self._x, self._y = 0, 0
        self._chars = [[" "] * self.width for _ in range(self.height)]
        self._fg: list[list[Color | None]] = [[None] * self.width for _ in range(self.height)]
        self._bg: list[list[Color | None]] = [[None] * self.width for _ in range(self.height)]
        self._bold = [[False] * self.width for _ in range(self.height)]

    def view(self, x: int, y: int, width: int, height: int) -> Canvas:
        """The rectangle at (x, y) of this canvas as a canvas of its own (shared cells)."""
        view = Canvas.__new__(Canvas)
        view.__dict__.update(self.__dict__)
        view._x, view._y = self._x + max(0, x), self._y + max(0, y)
        view.width = max(0, min(width, self.width - max(0, x)))
        view.height = max(0, min(height, self.height - max(0, y)))
        return view

    def put(self, x: int, y: int, char: str, fg: Color | None = None,
            bg: Color | None = None, bold: bool = False) -> None:
        """Set one cell; colours left as None keep what the cell had."""
        if 0 <= x < self.width and 0 <= y < self.height:
            row, col = self._y + y, self._x + x
            self._chars[row][col] = char
            if fg is not None:
                self._fg[row][col] = fg
            if bg is not None:
                self._bg[row][col] = bg
            self._bold[row][col] = bold

    def text(self, x: int, y: int, text: str, fg: Color | None = None,
             bg: Color | None = None, bold: bool = False) -> None:
        """Write ``text`` from (x, y) rightwards, clipped to the canvas; a number in it that
        shows a value ``held`` back is a ``?`` in the same cells."""
        if self.held:
            text = self.held.mask(text, keep_length=True)
        for offset, char in enumerate(text):
            self.put(x + offset, y, char, fg, bg, bold)

    def free(self, x: int, y: int, width: int) -> bool:
        """Whether the ``width`` cells from (x, y) are on the canvas and hold no text (only
        blanks or braille dots), so a label put there touches nothing else."""
        if not (x >= 0 and x + width <= self.width and 0 <= y < self.height):
            return False
        row = self._chars[self._y + y][self._x + x:self._x + x + width]
        return all(char == " " or "\u2800" <= char <= "\u28ff" for char in row)

    def pixels(self, x: int, y: int, colors: Sequence[Sequence[Color | None]]) -> None:
        """Draw a grid of pixels with half blocks: rows 2r and 2r+1 share cell row y + r."""
        for r in range(0, len(colors), 2):
            top = colors[r]
            bottom = colors[r + 1] if r + 1 < len(colors) else [None] * len(top)
            for c, (upper, lower) in enumerate(zip(top, bottom)):
                if upper is None and lower is None:
                    continue
                if upper is None:
                    self.put(x + c, y + r // 2, "▄", fg=lower)
                elif lower is None:
                    self.put(x + c, y + r // 2, "▀", fg=upper)
                else:
                    self.put(x + c, y + r // 2, "▀", fg=upper, bg=lower)

    def strips(self, base: Style) -> list[Strip]:
        """The canvas as one ``Strip`` a row, each cell's colours laid over ``base``."""
        styles: dict[tuple, Style] = {}
        lines = []
        for chars, fgs, bgs, bolds in zip(self._chars, self._fg, self._bg, self._bold):
            segments = []
            for key, run in groupby(zip(zip(fgs, bgs, bolds), chars), key=itemgetter(0)):
                style = styles.get(key)
                if style is None:
                    fg, bg, bold = key
                    style = styles[key] = base + Style(
                        color=fg.rich_color if fg else None,
                        bgcolor=bg.rich_color if bg else None,
                        bold=bold or None,
                    )
                segments.append(Segment("".join(map(itemgetter(1), run)), style))
            lines.append(Strip(segments, self.width))
        return lines


class Braille:
    """Dots on a canvas-sized grid of braille cells: ``2 * width`` x ``4 * height`` dots.

    Each cell shows one colour, the last one drawn there: draw weak lines first so the
    strong ones win where lines cross.
    """

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = max(0, width), max(0, height)
        self._bits = np.zeros((self.height, self.width), dtype=np.uint8)
        self._color = np.full((self.height, self.width), -1, dtype=np.int32)
        self._colors: list[Color] = []
        self._color_index: dict[Color, int] = {}

    def _index(self, color: Color) -> int:
        if color not in self._color_index:
            self._color_index[color] = len(self._colors)
            self._colors.append(color)
        return self._color_index[color]

    def dots(self, xs: np.ndarray, ys: np.ndarray, color: Color) -> None:
        """Set the dots at (xs, ys) (dot coordinates, rounded; outside ones are dropped)."""
        self._dots(xs, ys, np.zeros(np.shape(xs), dtype=np.int64), [color])

    def _dots(self, xs: np.ndarray, ys: np.ndarray, which: np.ndarray,
              colors: Sequence[Color]) -> None:
        """Set the dots at (xs, ys), dot k in ``colors[which[k]]``; in a cell that several
        dots share, the colour of the last one shows."""
        xs = np.rint(np.asarray(xs, dtype=np.float64)).astype(np.int64)
        ys = np.rint(np.asarray(ys, dtype=np.float64)).astype(np.int64)
        inside = (xs >= 0) & (xs < 2 * self.width) & (ys >= 0) & (ys < 4 * self.height)
        xs, ys, which = xs[inside], ys[inside], np.asarray(which)[inside]
        if xs.size == 0:
            return
        bits = np.array(_BRAILLE_BITS, dtype=np.uint8)[ys % 4, xs % 2]
        rows, cols = ys // 4, xs // 2
        np.bitwise_or.at(self._bits, (rows, cols), bits)
        last = np.full(self.height * self.width, -1, dtype=np.int64)
        np.maximum.at(last, rows * self.width + cols, np.arange(xs.size))
        cells = np.flatnonzero(last >= 0)
        indices = np.array([self._index(color) for color in colors], dtype=np.int32)
        np.put(self._color, cells, indices[which[last[cells]]])

    def line(self, x0: float, y0: float, x1: float, y1: float, color: Color) -> None:
        """A straight line of dots from (x0, y0) to (x1, y1)."""
        self.segments([x0], [y0], [x1], [y1], [color])

    def polyline(self, xs: np.ndarray, ys: np.ndarray, color: Color) -> None:
        """Straight lines between consecutive points, one dot per step; segments with a
        non-finite end are skipped, far-away points are pulled to the grid's edge."""
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        self.segments(xs[:-1], ys[:-1], xs[1:], ys[1:], [color] * max(0, xs.size - 1))

    def segments(self, x0: Sequence[float], y0: Sequence[float], x1: Sequence[float],
                 y1: Sequence[float], colors: Sequence[Color]) -> None:
        """Straight lines from (x0[k], y0[k]) to (x1[k], y1[k]) in ``colors[k]``, drawn in
        order (where lines share a cell, the later one's colour shows), one dot per step;
        lines with a non-finite end are skipped, far-away ends are pulled to the grid's edge."""
        x0, x1 = (np.clip(np.asarray(x, dtype=np.float64), -1, 2 * self.width) for x in (x0, x1))
        y0, y1 = (np.clip(np.asarray(y, dtype=np.float64), -1, 4 * self.height)
                  for y in (y0, y1))
        drawn = np.flatnonzero(np.isfinite(x0) & np.isfinite(x1) & np.isfinite(y0)
                               & np.isfinite(y1))
        x0, x1, y0, y1 = x0[drawn], x1[drawn], y0[drawn], y1[drawn]
        steps = np.maximum(np.abs(x1 - x0), np.abs(y1 - y0)).astype(np.int64) + 1
        segment = np.repeat(np.arange(steps.size), steps)
        first = np.repeat(np.cumsum(steps) - steps, steps)
        t = (np.arange(segment.size) - first) / np.maximum(steps[segment] - 1, 1)
        self._dots(x0[segment] + t * (x1 - x0)[segment], y0[segment] + t * (y1 - y0)[segment],
                   drawn[segment], colors)

    def paint(self, canvas: Canvas) -> None:
        """Put the dotted cells on ``canvas`` (same size), over whatever is there."""
        for row, col in zip(*np.nonzero(self._bits)):
            canvas.put(int(col), int(row), chr(0x2800 + int(self._bits[row, col])),
                       fg=self._colors[self._color[row, col]])
