"""Colours from the app's theme and small formatting helpers shared by the panels.

Everything here only formats numbers for display: colours for values, short number text
that fits a cell's width (``number``), and resampling an array to the cells a panel has.
The numbers of equations are written by ``core.explain.numbers``, the one formatter the
inspector, the worksheets and ``python -m core explain`` share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from textual.color import Color, ColorParseError
from textual.widget import Widget

SPARK_BARS = " ▁▂▃▄▅▆▇█"
CLASS_COLORS = 10          # the theme's distinct colours, then evenly spaced hues


def _solid(color: Color, fallback: Color) -> Color:
    """An RGB colour that can be blended (ANSI colours keep their approximate RGB)."""
    if color.ansi is None and color.a > 0:
        return color
    if color.ansi is not None and color.ansi >= 0:
        return Color(color.r, color.g, color.b)
    return fallback


@dataclass(frozen=True)
class Palette:
    """The theme's colours, resolved for one widget, and how values map onto them.

    ``positive`` / ``negative`` colour signed values (weights, gradients, activations);
    ``classes`` colour target classes; ``background`` is the widget's own background, so
    weak values fade into it.
    """

    background: Color
    foreground: Color
    muted: Color
    positive: Color
    negative: Color
    accent: Color
    good: Color
    bad: Color
    warn: Color
    classes: tuple[Color, ...]

    @classmethod
    def of(cls, widget: Widget) -> Palette:
        """The palette of ``widget`` under the app's current theme (kept per theme and
        background: working it out reads every CSS variable of the theme)."""
        app = widget.app
        key = (app.theme, id(app.current_theme), widget.background_colors[1])
        palette = _PALETTES.get(key)
        if palette is None:
            if len(_PALETTES) >= PALETTES_KEPT:
                _PALETTES.clear()
            palette = _PALETTES[key] = cls._work_out(widget)
        return palette

    @classmethod
    def _work_out(cls, widget: Widget) -> Palette:
        theme = widget.app.current_theme
        variables = widget.app.get_css_variables()
        dark = theme.dark
        fallback_bg = Color.parse("#101010" if dark else "#f4f4f4")
        fallback_fg = Color.parse("#e0e0e0" if dark else "#202020")

        def var(name: str, fallback: Color) -> Color:
            try:
                return _solid(Color.parse(variables.get(name, "")), fallback)
            except ColorParseError:
                return fallback

        own_bg = widget.background_colors[1]
        background = _solid(own_bg, var("background", fallback_bg))
        foreground = var("foreground", fallback_fg)
        primary = var("primary", Color.parse("#0178d4"))
        error = var("error", Color.parse("#b93c5b"))
        success = var("success", Color.parse("#4ebf71"))
        warning = var("warning", Color.parse("#fea62b"))
        accent = var("accent", warning)
        secondary = var("secondary", primary)
        classes: list[Color] = []
        for color in (primary, warning, success, error, accent, secondary):
            if all(_distance(color, other) > 60 for other in classes):
                classes.append(color)
        hue_steps = CLASS_COLORS - len(classes)
        for k in range(hue_steps):
            classes.append(Color.from_hsl(k / hue_steps, 0.6, 0.55 if dark else 0.4))
        return cls(
            background=background,
            foreground=foreground,
            muted=background.blend(foreground, 0.55),
            positive=primary,
            negative=error,
            accent=accent,
            good=success,
            bad=error,
            warn=warning,
            classes=tuple(classes),
        )

    def fade(self, color: Color, strength: float) -> Color:
        """``color`` blended into the background: 0 is invisible, 1 is the full colour."""
        return self.background.blend(color, min(1.0, max(0.0, strength)))

    def signed(self, value: float, scale: float, floor: float = 0.15) -> Color:
        """The sign colour of ``value``, stronger the larger ``|value| / scale`` (never below
        ``floor`` so small values stay visible)."""
        color = self.positive if value >= 0 else self.negative
        ratio = abs(value) / scale if scale > 0 and math.isfinite(value) else 0.0
        return self.fade(color, floor + (1.0 - floor) * min(1.0, ratio))

    def class_color(self, k: int) -> Color:
        """The colour of class ``k``."""
        return self.classes[k % len(self.classes)]

    @staticmethod
    def text_on(background: Color) -> Color:
        """Black or white, whichever reads better on ``background``."""
        return Color(0, 0, 0) if background.brightness >= 0.55 else Color(255, 255, 255)


PALETTES_KEPT = 64
_PALETTES: dict[tuple, Palette] = {}


def _distance(a: Color, b: Color) -> float:
    return abs(a.r - b.r) + abs(a.g - b.g) + abs(a.b - b.b)


def number(value: float, width: int = 5, tiny: bool = False) -> str:
    """``value`` in at most ``width`` characters (``0.73``, ``-12.4``, ``3e4``) for a
    diagram or plot label; with ``tiny``, values too small for two decimals keep a digit
    (``-3e-4``). Display width only: equations use ``core.explain.numbers``."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if tiny and 0 < abs(value) < 0.005:
        return _exponent(value, width)
    for digits in (2, 1, 0):
        text = f"{value:.{digits}f}"
        if text in ("-0.00", "-0.0", "-0"):
            text = text[1:]
        if len(text) <= width:
            return text
        if text.startswith(("0.", "-0.")) and len(text) - 1 <= width:
            return text.replace("0.", ".", 1)
    return _exponent(value, width)


def _exponent(value: float, width: int) -> str:
    text = f"{value:.0e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    if len(text) <= width:
        return text
    if abs(value) < 1:
        return "0"
    return "-∞" if value < 0 else "∞"


def block_extremes(matrix: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``matrix`` shrunk to at most ``rows`` x ``cols``: each block keeps its entry of
    largest magnitude (sign included), so strong values never average away."""
    n_rows, n_cols = matrix.shape
    rows, cols = max(1, min(rows, n_rows)), max(1, min(cols, n_cols))
    row_edges = np.linspace(0, n_rows, rows + 1).astype(int)
    col_edges = np.linspace(0, n_cols, cols + 1).astype(int)
    out = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            block = matrix[row_edges[r]:row_edges[r + 1], col_edges[c]:col_edges[c + 1]]
            flat = block.ravel()
            out[r, c] = flat[np.argmax(np.abs(flat))]
    return out


def bucket_means(values: np.ndarray, width: int) -> np.ndarray:
    """``values`` resampled to ``width`` points: bucket means when longer, as-is when not."""
    values = np.asarray(values, dtype=np.float64)
    if width <= 0 or values.size == 0:
        return values[:0]
    if values.size <= width:
        return values
    edges = np.linspace(0, values.size, width + 1).astype(int)
    return np.add.reduceat(values, edges[:-1]) / np.diff(edges)


def bars(values: np.ndarray, low: float, high: float, height: int = 1) -> list[str]:
    """A bar chart ``height`` rows tall (top row first), one column per value, from empty
    at ``low`` to full at ``high``; non-finite values leave their column empty."""
    span = high - low
    columns = []
    for value in values:
        if not math.isfinite(value):
            columns.append(0)
            continue
        level = 1.0 if span <= 0 else min(1.0, max(0.0, (value - low) / span))
        columns.append(1 + int(round(level * (8 * height - 1))))
    return ["".join(SPARK_BARS[min(8, max(0, eighths - 8 * row))] for eighths in columns)
            for row in range(height - 1, -1, -1)]
