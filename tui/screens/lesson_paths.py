"""Lesson 2.1's ``p``: the layer diagram highlights every path from one first-layer weight to
the outputs, a weight further each press, and says in its caption which paths they are."""

from __future__ import annotations

from ..widgets.diagram import LayerDiagram
from ..widgets.diagram_paths import next_first_layer_weight, paths_caption

PATHS_SECTION = "2.1"


def show_next_paths(diagram: LayerDiagram, section: str) -> str:
    """Highlight the paths of the first-layer weight after the one shown on ``diagram`` in
    lesson ``section``; return why not ("" when shown)."""
    if section != PATHS_SECTION:
        return f"Paths are lesson {PATHS_SECTION}'s: press t to open it."
    snapshot = diagram.snapshot
    if snapshot is None:
        return "There is no network yet: press n to train an epoch."
    sizes = snapshot.sizes
    if len(sizes) < 3:
        return "This network has no hidden layer, so no paths fork: press t and enter to " \
               "load lesson 2.1's preset."
    diagram.paths = next_first_layer_weight(diagram.paths, sizes)
    diagram.border_subtitle = paths_caption(diagram.paths, sizes) + " · p next"
    return ""


def clear_paths(diagram: LayerDiagram) -> None:
    """Draw ``diagram`` without highlighted paths or their caption."""
    diagram.paths = None
    diagram.border_subtitle = ""
