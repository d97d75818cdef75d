"""The cost landscape: C along one parameter as a braille curve, or over two as a heat map.

For a model with one or two parameters (``twice``, ``twice`` with a bias) this is the whole
cost; for larger ones a slice through it, every other parameter held at its current value.
The current point, the path the parameters took over the epochs and the next step
-eta dC/dp are drawn over it, so a learning rate that is too large shows as zig-zags and
overshoot. The numbers come from ``session.views.cost_landscape``; colours from the theme.
"""

from __future__ import annotations

import math

import numpy as np
from textual.strip import Strip

from core.explain import CostLandscape, contour_cells, contour_levels

from ..widgets.base import CachedFrame
from ..widgets.canvas import Braille, Canvas
from ..widgets.render import Palette, number

LEGEND_WIDTH = 38
CONTOUR_LEVELS = 7
MAX_CURVE_POINTS = 400
MAX_MAP_SIZE = 64


def _scale(values, lo: float, hi: float, cells: int) -> np.ndarray:
    """Positions 0..cells-1 of ``values`` on an axis from lo to hi."""
    span = hi - lo if hi > lo else 1.0
    return (np.asarray(values, dtype=np.float64) - lo) / span * (cells - 1)


class LandscapePanel(CachedFrame):
    """The panel titled "Cost landscape"."""

    DEFAULT_CSS = """
    LandscapePanel { height: 1fr; width: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.landscape: CostLandscape | None = None
        self.message = "computing..."
        self.optimizer = "gd"
        self.border_title = "Cost landscape"

    # --- what to compute ---------------------------------------------------------------

    def wanted_size(self, dims: int) -> int:
        """Grid points an axis so that the picture uses the room there is: two points a
        cell across for a curve (braille), one pixel a point for a map (half blocks)."""
        width, height = self.size
        plot_width = width - (LEGEND_WIDTH + 2 if width >= 60 else 0)
        if dims == 1:
            return int(min(MAX_CURVE_POINTS, max(16, 2 * (plot_width - 8))))
        return int(min(MAX_MAP_SIZE, max(8, min(2 * (height - 2), plot_width - 7))))

    def show(self, landscape: CostLandscape | None, message: str = "",
             optimizer: str = "gd") -> None:
        """Draw ``landscape`` (None: only ``message``); ``optimizer`` is the one training
        uses (the next step drawn is plain gradient descent's)."""
        self.landscape, self.message, self.optimizer = landscape, message, optimizer
        self.redraw()

    # --- drawing -------------------------------------------------------------------------

    def _build(self) -> list[Strip]:
        width, height = self.size
        canvas = self.canvas()
        inner = canvas.view(0, 0, width, height)
        palette = Palette.of(self)
        landscape = self.landscape
        if landscape is None:
            inner.text(0, 0, self.message or "computing...", fg=palette.muted)
            return canvas.strips(self.rich_style)
        legend = LEGEND_WIDTH if width >= 60 else 0
        plot = inner.view(0, 0, width - legend - (2 if legend else 0), height)
        if landscape.dims == 1:
            self._draw_curve(plot, palette, landscape)
        else:
            self._draw_map(plot, palette, landscape)
        if legend:
            _draw_legend(inner.view(width - legend, 0, legend, height), palette, landscape,
                         self.optimizer)
        if self.message:
            inner.text(0, height - 1, self.message[:width], fg=palette.warn)
        return canvas.strips(self.rich_style)

    def _draw_curve(self, canvas: Canvas, palette: Palette, land: CostLandscape) -> None:
        """C(p) as a braille curve with the path, the current point and the next step."""
        costs, values = land.costs, land.axes[0]
        finite = costs[np.isfinite(costs)]
        if finite.size == 0 or canvas.height < 4:
            canvas.text(0, 0, "C is not finite here", fg=palette.bad)
            return
        c_lo, c_hi = float(finite.min()), float(finite.max())
        labels = [number(c_hi, 6), number(c_lo, 6)]
        margin = max(len(t) for t in labels) + 1
        rows = canvas.height - 2                     # title row above, axis row below
        cols = canvas.width - margin
        if cols < 8 or rows < 2:
            return
        canvas.text(0, 0, f"C({land.names[0]})", fg=palette.foreground, bold=True)
        area = canvas.view(margin, 1, cols, rows)
        dots_x, dots_y = 2 * cols, 4 * rows
        lo, hi = float(values[0]), float(values[-1])

        def to_dots(v, c):
            x = _scale(v, lo, hi, dots_x)
            y = (dots_y - 1) - _scale(np.clip(c, c_lo - (c_hi - c_lo), c_hi + (c_hi - c_lo)),
                                      c_lo, c_hi, dots_y)
            return x, y

        braille = Braille(cols, rows)
        braille.polyline(*to_dots(values, costs), palette.fade(palette.positive, 0.9))
        if len(land.path):
            path_v = land.path[:, 0]
            path_c = np.interp(path_v, values, np.nan_to_num(costs, nan=c_hi, posinf=c_hi))
            xs, ys = to_dots(np.append(path_v, land.current[0]),
                             np.append(path_c, land.current_cost))
            braille.polyline(xs, ys, palette.warn)
        braille.polyline(*to_dots([land.current[0], land.next_point[0]],
                                  [land.current_cost, land.next_cost]), palette.good)
        braille.paint(area)
        cx, cy = to_dots([land.current[0]], [land.current_cost])
        nx, ny = to_dots([land.next_point[0]], [land.next_cost])
        area.put(int(nx[0]) // 2, int(ny[0]) // 4, "○", fg=palette.good, bold=True)
        area.put(int(cx[0]) // 2, int(cy[0]) // 4, "●", fg=palette.accent, bold=True)
        canvas.text(0, 1, labels[0].rjust(margin - 1), fg=palette.muted)
        canvas.text(0, rows, labels[1].rjust(margin - 1), fg=palette.muted)
        axis = canvas.height - 1
        left, right = number(lo, 6), number(hi, 6)
        canvas.text(margin, axis, left, fg=palette.muted)
        canvas.text(canvas.width - len(right), axis, right, fg=palette.muted)
        name = f"{land.names[0]} →"
        canvas.text(margin + (cols - len(name)) // 2, axis, name, fg=palette.muted)

    def _draw_map(self, canvas: Canvas, palette: Palette, land: CostLandscape) -> None:
        """C(p1, p2) as half-block pixels (log colour scale) with contour lines, the path,
        the current point and the next step; p1 across, p2 up."""
        costs = land.costs                                  # [r, c]: p1 = axes[0][r], p2 = [c]
        size1, size2 = costs.shape
        canvas.text(0, 0, f"C({land.names[0]}, {land.names[1]})", fg=palette.foreground,
                    bold=True)
        label_width = 7
        area = canvas.view(label_width, 1, canvas.width - label_width, canvas.height - 2)
        image = costs.T[::-1]                               # rows: p2 from high to low
        finite = np.isfinite(image)
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(np.where(finite & (image > 0), image, np.nan))
        low = float(np.nanmin(logs)) if np.isfinite(logs).any() else 0.0
        high = float(np.nanmax(logs)) if np.isfinite(logs).any() else 1.0
        span = high - low if high > low else 1.0
        levels = contour_levels(image, max(2, min(CONTOUR_LEVELS, min(costs.shape) // 4)))
        contour = contour_cells(image, levels) >= 0
        line_color = palette.fade(palette.foreground, 0.55)
        pixels = []
        for r in range(size2):
            row = []
            for c in range(size1):
                if not finite[r, c]:
                    row.append(palette.bad)
                elif contour[r, c]:
                    row.append(line_color)
                else:
                    level = 0.0 if not math.isfinite(logs[r, c]) else (logs[r, c] - low) / span
                    row.append(palette.fade(palette.positive, 0.12 + 0.8 * level))
            pixels.append(row)
        (lo1, hi1), (lo2, hi2) = ((float(a[0]), float(a[-1])) for a in land.axes)

        def to_pixels(p1, p2):
            return (_scale(p1, lo1, hi1, size1), (size2 - 1) - _scale(p2, lo2, hi2, size2))

        if len(land.path):
            xs, ys = to_pixels(np.append(land.path[:, 0], land.current[0]),
                               np.append(land.path[:, 1], land.current[1]))
            _pixel_polyline(pixels, xs, ys, palette.warn)
        xs, ys = to_pixels([land.current[0], land.next_point[0]],
                           [land.current[1], land.next_point[1]])
        _pixel_polyline(pixels, xs, ys, palette.good)
        area.pixels(0, 0, pixels)
        for (x, y), char, color in (((xs[1], ys[1]), "○", palette.good),
                                    ((xs[0], ys[0]), "●", palette.accent)):
            px, py = int(round(x)), int(round(y))
            if 0 <= px < size1 and 0 <= py < size2:
                area.put(px, py // 2, char, fg=color, bg=pixels[py][px], bold=True)
        rows = (size2 + 1) // 2
        canvas.text(0, 1, number(hi2, 6).rjust(label_width - 1), fg=palette.muted)
        canvas.text(0, rows, number(lo2, 6).rjust(label_width - 1), fg=palette.muted)
        canvas.text(0, 1 + rows // 2, "↑ p2".rjust(label_width - 1), fg=palette.muted)
        axis = min(canvas.height - 1, rows + 1)
        left, right = number(lo1, 6), number(hi1, 6)
        canvas.text(label_width, axis, left, fg=palette.muted)
        canvas.text(label_width + size1 - len(right), axis, right, fg=palette.muted)
        middle = "p1 →"
        canvas.text(label_width + (size1 - len(middle)) // 2, axis, middle, fg=palette.muted)


def _draw_legend(canvas: Canvas, palette: Palette, land: CostLandscape, optimizer: str) -> None:
    """What is drawn, with the numbers: the axes, now, the path and the next step (the one
    plain gradient descent takes: ``optimizer`` is the one training uses)."""
    y = 0

    def line(*pieces):
        nonlocal y
        x = 0
        for text, color, bold in pieces:
            canvas.text(x, y, text, fg=color, bold=bold)
            x += len(text)
        y += 1

    fg, muted = palette.foreground, palette.muted
    if land.is_slice:
        others = land.n_parameters - land.dims
        line((f"a slice: {others} other parameter{'s' * (others != 1)} fixed", muted, False))
    else:
        line(("the whole cost (every parameter)", muted, False))
    for k, name in enumerate(land.names):
        axis = ("p1 →" if k == 0 else "p2 ↑") if land.dims == 2 else "→"
        lo, hi = land.axes[k][0], land.axes[k][-1]
        line((f"{axis} ", muted, False), (name, fg, True),
             (f"  {number(lo, 6)} .. {number(hi, 6)}", muted, False))
    point = ", ".join(number(v, 6, tiny=True) for v in land.current)
    line(("● ", palette.accent, True), (f"now ({point})", fg, False))
    line((f"  C = {land.current_cost:.4g}, epoch {land.epoch}", fg, False))
    if len(land.path):
        first, last = int(land.path_epochs[0]), int(land.path_epochs[-1])
        line(("━ ", palette.warn, True), (f"path, epochs {first}..{last}", fg, False))
    else:
        line(("━ ", palette.warn, True), ("path: from now on", muted, False))
    step = ", ".join(number(v, 6, tiny=True) for v in land.next_point)
    line(("○ ", palette.good, True), (f"next ({step})", fg, False))
    gradient = ", ".join(number(g, 6, tiny=True) for g in land.gradient)
    line((f"  = now - {land.learning_rate:g} × dC/dp ({gradient})", muted, False))
    line((f"  C = {land.next_cost:.4g}", fg, False),
         ("  ▲ up: overshoot" if land.next_cost > land.current_cost else "", palette.bad,
          True))
    if optimizer != "gd":
        line((f"  (plain descent's step; {optimizer.capitalize()} differs)", muted,
              False))
    if land.dims == 2:
        line(("▀ ", palette.fade(palette.foreground, 0.55), False),
             ("contours: equal cost", muted, False))
        line(("low ", muted, False), ("▀", palette.fade(palette.positive, 0.12), False),
             ("▀", palette.fade(palette.positive, 0.5), False),
             ("▀", palette.fade(palette.positive, 0.92), False), (" high (log C)", muted,
                                                                   False))


def _pixel_polyline(pixels: list[list], xs: np.ndarray, ys: np.ndarray, color) -> None:
    """Set the pixels on straight lines between consecutive points (inside the image)."""
    height, width = len(pixels), len(pixels[0]) if pixels else 0
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:]):
        if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
            continue
        x0, x1 = np.clip([x0, x1], -1, width)
        y0, y1 = np.clip([y0, y1], -1, height)
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for t in np.linspace(0.0, 1.0, steps + 1):
            x, y = int(round(x0 + t * (x1 - x0))), int(round(y0 + t * (y1 - y0)))
            if 0 <= x < width and 0 <= y < height:
                pixels[y][x] = color
