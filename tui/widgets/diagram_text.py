"""The layer diagram's words: the layers' names above their columns and the legend below."""

from __future__ import annotations

from core.session import Snapshot

from .canvas import Canvas
from .diagram_layout import Layout
from .render import Palette


def draw_titles(canvas: Canvas, palette: Palette, geometry: Layout, snapshot: Snapshot,
                highlight_layer: int | None, color_by: str) -> None:
    """Each layer's name above its column, a(0)=x, a(k) and its activation, and the weight
    matrices' names between them where they fit."""
    columns = geometry.columns
    last = len(columns) - 1
    room = (columns[1].x - columns[0].x - 1) if last else canvas.width
    spans = []
    for k, column in enumerate(columns):
        sigma = snapshot.output_activation if k == last else snapshot.activation
        title = "a(0)=x" if k == 0 else f"a({k}) {sigma}"
        if len(title) > room:
            title = f"a({k})"[:room]
        centre = column.x + geometry.node_width // 2
        x = min(max(0, centre - len(title) // 2), canvas.width - len(title))
        emphasised = highlight_layer == k
        canvas.text(x, 0, title, fg=palette.accent if emphasised else palette.foreground,
                    bold=True)
        spans.append((x, x + len(title)))
    for k in range(last):
        label = f"w({k + 1})" if color_by == "weights" else f"dC/dw({k + 1})"
        free_start, free_end = spans[k][1] + 1, spans[k + 1][0] - 1
        if free_end - free_start >= len(label):
            x = (free_start + free_end - len(label)) // 2
            canvas.text(x, 0, label, fg=palette.muted)


def draw_legend(canvas: Canvas, palette: Palette, snapshot: Snapshot, color_by: str,
                sample: int, shown: int, total: int) -> None:
    """The bottom line: the sample shown, what the lines' colours mean, and how many of the
    connections are drawn; each piece whole, or not at all where the line ends (a count cut
    short would read as another number)."""
    n = snapshot.X_train.shape[0]
    what = "w" if color_by == "weights" else "dC/dw"
    pieces = [
        (f"sample {sample + 1}/{n}  ", palette.foreground),
        (f"lines {what} ", palette.muted),
        ("━ +", palette.positive),
        (" ", None),
        ("━ -", palette.negative),
    ]
    if shown < total:
        pieces.append((f"   strongest {shown} of {total}", palette.muted))
    x = 0
    for text, color in pieces:
        if x + len(text) > canvas.width:
            break
        canvas.text(x, canvas.height - 1, text, fg=color)
        x += len(text)
