"""The confusion matrix of a classifier: how many samples of each target class (rows) got
each predicted class (columns); the diagonal counts right answers."""

from __future__ import annotations

import numpy as np

from core.session import Snapshot

from ..canvas import Canvas, fitting, shortened
from ..render import Palette
from .classes import class_count, class_names, classes_of, evaluated_set


def draw_confusion(canvas: Canvas, palette: Palette, snapshot: Snapshot, sample: int) -> None:
    """Paint a caption, the matrix with class names, and the accuracy."""
    which, _, outputs, Y = evaluated_set(snapshot)
    k = class_count(snapshot)
    names = class_names(snapshot)
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (classes_of(Y), classes_of(outputs)), 1)
    label_width = min(max(len(n) for n in names), max(3, canvas.width // 4))
    widest = max(max(len(n) for n in names), len(str(len(Y))))
    cell = max(3, min(widest + 1, (canvas.width - label_width - 1) // k))
    canvas.text(0, 0, fitting(canvas.width, f"{which}: rows target, columns predicted",
                              f"{which}: target ↓ predicted →",
                              "target ↓ predicted →", which),
                fg=palette.muted)
    for j, name in enumerate(shortened(names, cell - 1)):
        canvas.text(label_width + 1 + j * cell, 1, name.rjust(cell - 1),
                    fg=palette.class_color(j), bold=True)
    totals = np.maximum(counts.sum(axis=1), 1)
    for i, name in enumerate(shortened(names, label_width)):
        row = 2 + i
        canvas.text(0, row, name.rjust(label_width),
                    fg=palette.class_color(i),
                    bold=True)
        for j in range(k):
            count = int(counts[i, j])
            color = palette.good if i == j else palette.bad
            shade = palette.fade(color, 0.1 + 0.9 * count / totals[i]) if count else None
            text = str(count).rjust(cell - 1)
            canvas.text(label_width + 1 + j * cell, row, text,
                        fg=palette.text_on(shade) if shade else palette.muted, bg=shade)
    right, total = int(np.trace(counts)), int(counts.sum())
    if total:
        canvas.text(0, 3 + k, f"accuracy {100 * right / total:.0f}% ({right}/{total})",
                    fg=palette.foreground)
