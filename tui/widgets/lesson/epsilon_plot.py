"""Section 1.0 live: the two finite-difference estimates at the chosen epsilon, and a
log-log plot of their error against backprop over epsilon = 1e-1 ... 1e-12."""

from __future__ import annotations

import math

import numpy as np
from textual.reactive import reactive
from textual.strip import Strip

from core.explain.notes import NOTHING, EpsilonStudy, Held

from ..base import CachedFrame
from ..canvas import Braille, Canvas, fitting
from ..render import Palette

HEADER_ROWS = 4
LABEL_WIDTH = 6


def power_label(exponent: float) -> str:
    """10**exponent written as ``1e-03``."""
    return f"1e{int(round(exponent)):+03d}"


def log_errors(errors: np.ndarray) -> tuple[np.ndarray, float]:
    """log10 of the errors with exact zeros drawn one decade below the smallest nonzero
    error (so they stay on the plot), and that floor."""
    nonzero = errors[errors > 0]
    floor = math.floor(math.log10(nonzero.min())) - 1 if nonzero.size else -16
    safe = np.where(errors > 0, errors, 10.0 ** floor)
    return np.log10(safe), float(floor)


CAPTIONS = (
    "|error| against ε, log-log: truncation falls with ε, rounding rises",
    "log-log |error|: truncation ↓, rounding ↑ as ε shrinks",
    "|error| against ε, log-log",
)
"""The plot's caption, longest first: the first that fits the panel is shown whole."""

HELD_CAPTIONS = (
    "the plot of |error| against ε shows once you say which estimate is closer",
    "the plot shows once you say which estimate is closer",
    "the plot waits for your answer",
)
"""The caption while the errors are held back (the curves would tell which is closer)."""

KEYS_HINT = "   * ×10  / ÷10"
"""The keys that move epsilon, after the header where they fit (never cutting its numbers)."""


class EpsilonPlot(CachedFrame):
    """The estimates of C'(w) at the chosen epsilon and |error| against epsilon, log-log:
    the one-sided quotient of 1.0.1 and the central one (errors of exactly 0 sit on the
    bottom line)."""

    DEFAULT_CSS = """
    EpsilonPlot {
        height: 14;
        width: 1fr;
    }
    """

    study: reactive[EpsilonStudy | None] = reactive(None, always_update=True)
    held: reactive[Held] = reactive(NOTHING)
    """What the lesson's open questions hold back: those numbers show as '?', and while the
    errors at ε are held (which estimate is closer) the curves wait for the answer."""

    def watch_study(self) -> None:
        """A new study redraws the plot."""
        self.redraw()

    def watch_held(self) -> None:
        """Holding the numbers back, or showing them, redraws the plot."""
        self.redraw()

    def _build(self) -> list[Strip]:
        width, height = self.size
        canvas = Canvas(width, height)
        palette = Palette.of(self)
        study = self.study
        if study is not None and width > LABEL_WIDTH + 4 and height > HEADER_ROWS + 3:
            self._draw(canvas, palette, study)
        return canvas.strips(self.rich_style)

    def _draw(self, canvas: Canvas, palette: Palette, study: EpsilonStudy) -> None:
        at = study.at
        one, central = palette.positive, palette.negative

        def shown(value: float, spec: str) -> str:
            return self.held.shown(value, format(value, spec))

        exact = shown(study.exact, ".8g")
        header = f"ε = {at.epsilon:.0e}   backprop C'({study.parameter}) = {exact}"
        if len(header) + len(KEYS_HINT) <= canvas.width:
            header += KEYS_HINT
        canvas.text(0, 0, header, bold=True)
        canvas.text(0, 1, "● one-sided", fg=one)
        canvas.text(13, 1, f"{shown(at.one_sided, '.8g')}   "
                           f"|error| {shown(at.one_sided_error, '.2e')}")
        canvas.text(0, 2, "● central", fg=central)
        canvas.text(13, 2, f"{shown(at.central, '.8g')}   "
                           f"|error| {shown(at.central_error, '.2e')}")
        if self.held.covers(at.one_sided_error) or self.held.covers(at.central_error):
            canvas.text(0, 3, fitting(canvas.width, *HELD_CAPTIONS), fg=palette.muted)
            return
        canvas.text(0, 3, fitting(canvas.width, *CAPTIONS), fg=palette.muted)
        series = study.series
        eps = np.log10([p.epsilon for p in series])
        ones, floor = log_errors(np.array([p.one_sided_error for p in series]))
        centrals, floor_c = log_errors(np.array([p.central_error for p in series]))
        low = min(floor, floor_c, float(np.floor(min(ones.min(), centrals.min()))))
        high = max(float(np.ceil(max(ones.max(), centrals.max()))), low + 1)
        x_low = min(float(eps.min()), math.log10(at.epsilon))
        x_high = max(float(eps.max()), math.log10(at.epsilon))
        plot_w, plot_h = canvas.width - LABEL_WIDTH, canvas.height - HEADER_ROWS - 1
        dots = Braille(plot_w, plot_h)

        def dx(values):
            return (np.asarray(values) - x_low) / (x_high - x_low) * (2 * plot_w - 1)

        def dy(values):
            return (high - np.asarray(values)) / (high - low) * (4 * plot_h - 1)

        marker = dx(math.log10(at.epsilon))
        dots.line(marker, 0, marker, 4 * plot_h - 1, palette.muted)
        dots.polyline(dx(eps), dy(ones), one)
        dots.polyline(dx(eps), dy(centrals), central)
        plot = canvas.view(LABEL_WIDTH, HEADER_ROWS, plot_w, plot_h)
        dots.paint(plot)
        canvas.text(0, HEADER_ROWS, power_label(high), fg=palette.muted)
        canvas.text(0, HEADER_ROWS + plot_h - 1, power_label(low), fg=palette.muted)
        bottom = canvas.height - 1
        canvas.text(LABEL_WIDTH, bottom, f"ε {power_label(x_low)}", fg=palette.muted)
        right = f"{power_label(x_high)}"
        canvas.text(canvas.width - len(right), bottom, right, fg=palette.muted)
