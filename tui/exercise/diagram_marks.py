"""The grading view's mark on the layer diagram: the weights whose gradient the learner's
code gets wrong, drawn over the other lines in the theme's warning colour."""

from __future__ import annotations

from collections.abc import Iterable

from ..widgets.canvas import Canvas
from ..widgets.diagram_layout import Layout
from ..widgets.diagram_lines import draw_weight_lines
from ..widgets.render import Palette


def draw_flagged(canvas: Canvas, palette: Palette, geometry: Layout,
                 flagged: Iterable[tuple[int, int, int]]) -> None:
    """Draw each flagged weight ``(l, i, j)`` (weights[l][i, j]) that is on screen."""
    draw_weight_lines(canvas, geometry, flagged, palette.warn)
