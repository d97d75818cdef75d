"""Image inputs (e.g. 8x8 digits): a few samples drawn in half blocks with the predicted
label under each, ``✓`` when right and ``✗`` with the target when wrong."""

from __future__ import annotations

import math

import numpy as np

from core.session import Snapshot

from ..canvas import Canvas, fitting
from ..render import Palette
from .classes import class_names, classes_of, evaluated_set

GAP = 2


def image_side(snapshot: Snapshot) -> int | None:
    """The side of the square images the inputs are (8 for 64 inputs), or None."""
    side = math.isqrt(snapshot.sizes[0])
    return side if side >= 4 and side * side == snapshot.sizes[0] else None


def draw_digits(canvas: Canvas, palette: Palette, snapshot: Snapshot, sample: int) -> None:
    """Paint as many samples as fit, from the test split when there is one."""
    side = image_side(snapshot) or 1
    which, X, outputs, Y = evaluated_set(snapshot)
    names = class_names(snapshot)
    predicted, target = classes_of(outputs), classes_of(Y)
    tile_width, tile_height = side + GAP, (side + 1) // 2 + 2
    per_row = max(1, (canvas.width + GAP) // tile_width)
    n_rows = canvas.height // tile_height
    count = min(X.shape[0], per_row * n_rows)
    everything = np.nan_to_num(np.vstack([snapshot.X_train, X]))
    low, high = everything.min(axis=0), everything.max(axis=0)
    right = int((predicted == target).sum())
    count_right = f"{which}: {right}/{X.shape[0]} right"
    caption = fitting(canvas.width, f"{count_right} · ✓ right, ✗ wrong (target)",
                      f"{count_right} · ✓ ✗ (target)", count_right, f"{right}/{X.shape[0]}")
    canvas.text(0, 0, caption, fg=palette.muted)
    for index in range(count):
        x = (index % per_row) * tile_width
        y = 1 + (index // per_row) * tile_height
        canvas.pixels(x, y, _image(palette, X[index], low, high, side))
        ok = predicted[index] == target[index]
        label = f"{names[predicted[index]]} ✓" if ok else \
            f"{names[predicted[index]]} ✗ {names[target[index]]}"
        canvas.text(x, y + (side + 1) // 2, label[:side + 1],
                    fg=palette.good if ok else palette.bad, bold=True)


def _image(palette: Palette, pixels: np.ndarray, low: np.ndarray, high: np.ndarray,
           side: int) -> list[list]:
    """One sample as rows of colours, each pixel scaled between the smallest and largest
    value it takes in the data (so standardised inputs look like the images they were)."""
    span = np.where(high > low, high - low, 1.0)
    levels = np.clip((np.nan_to_num(pixels) - low) / span, 0, 1)[:side * side]
    levels = np.rint(levels.reshape(side, side) * 8) / 8
    return [[palette.fade(palette.foreground, 0.06 + 0.94 * float(v)) for v in row]
            for row in levels]
