"""The truth table of a small problem (gates, adders, parity): every training row with the
network's output beside its target, and the row's error.

For classification an output is green when it is within 0.5 of its target and red when
not. The error column (the largest |output - target| of the row) is shaded by its size:
relative to 1 for classification, to the targets' range for regression.
"""

from __future__ import annotations

import numpy as np

from core.session import Snapshot

from ..canvas import Canvas
from ..render import Palette, number

GAP = 2


def table_width(snapshot: Snapshot) -> int:
    """The width in cells the full table needs."""
    columns = _columns(snapshot)
    return 2 + sum(width for _, width in columns) + GAP * (len(columns) - 1)


def draw_truth_table(canvas: Canvas, palette: Palette, snapshot: Snapshot,
                     sample: int, marked: tuple[int, ...] = ()) -> None:
    """Paint the header and as many rows as fit; ``sample``'s row is marked ``▶``, the
    ``marked`` samples' rows (those making the selected gradient) ``✱``. A table
    too wide for the canvas names its outputs ``out`` and closes up its columns, so the
    error column stays in view."""
    columns, gap = _columns(snapshot), GAP
    if table_width(snapshot) > canvas.width:
        columns, gap = _columns(snapshot, short_names=True), 1
    x = 2
    for title, width in columns:
        canvas.text(x + width - len(title), 0, title, fg=palette.foreground, bold=True)
        x += width + gap
    X, Y, outputs = snapshot.X_train, snapshot.Y_train, snapshot.outputs
    classify = snapshot.task == "classification"
    error_scale = 1.0 if classify or Y.size == 0 else float(np.ptp(Y)) or 1.0
    room = canvas.height - 1
    shown = X.shape[0] if X.shape[0] <= room else max(0, room - 1)
    for i in range(shown):
        errors = np.abs(np.nan_to_num(outputs[i] - Y[i], nan=np.inf))
        error = float(errors.max()) if errors.size else 0.0
        cells = [(_plain(v), palette.muted, None) for v in X[i]]
        for j in range(Y.shape[1]):
            color = (palette.good if errors[j] < 0.5 else palette.bad) if classify \
                else palette.foreground
            cells.append((number(float(outputs[i, j])), color, None))
            cells.append((_plain(Y[i, j]), palette.foreground, None))
        shade = palette.fade(palette.bad, 0.15 + 0.85 * min(1.0, error / error_scale))
        cells.append((number(error), palette.text_on(shade), shade))
        if i == sample:
            canvas.put(0, 1 + i, "▶", fg=palette.accent, bold=True)
        if i in marked:
            canvas.put(1, 1 + i, "✱", fg=palette.accent, bold=True)
        x = 2
        for (_, width), (text, fg, bg) in zip(columns, cells):
            canvas.text(x + width - len(text), 1 + i, text, fg=fg, bg=bg)
            x += width + gap
    if shown < X.shape[0]:
        canvas.text(2, 1 + shown, f"… {X.shape[0] - shown} more rows", fg=palette.muted)


def _columns(snapshot: Snapshot, short_names: bool = False) -> list[tuple[str, int]]:
    """(title, width) of each column: inputs, then output and target per output, then err.
    With ``short_names`` the outputs are titled ``out`` (``out1``, ``out2``... for several)
    instead of the targets' names."""
    def widest(values: np.ndarray) -> int:
        return max((len(_plain(v)) for v in values), default=1)

    columns = [(name, max(len(name), widest(snapshot.X_train[:, k])))
               for k, name in enumerate(snapshot.input_names)]
    names = snapshot.target_names
    if short_names:
        names = ["out"] if len(names) == 1 else [f"out{j + 1}" for j in range(len(names))]
    for j, name in enumerate(names):
        columns += [(name, max(len(name), 5)), ("y", widest(snapshot.Y_train[:, j]))]
    return columns + [("err", 5)]


def _plain(value: float) -> str:
    """Whole numbers without decimals (inputs and targets are usually 0 and 1)."""
    value = float(value)
    if np.isfinite(value) and value.is_integer() and abs(value) < 1e5:
        return str(int(value))
    return number(value)
