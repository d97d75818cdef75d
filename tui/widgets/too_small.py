"""The notice that stands in for the training screen in a terminal smaller than it needs."""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24    # the smallest terminal the training screen is drawn for


class TooSmall(Static):
    """Says that the terminal is too small and how big it must be. The screen shows it, over
    everything else, only while it is smaller than ``MIN_WIDTH`` x ``MIN_HEIGHT``."""

    def __init__(self) -> None:
        super().__init__(f"The terminal is too small: backprop-tui needs at least {MIN_WIDTH} "
                         f"columns and {MIN_HEIGHT} rows. Make the window larger (or the font "
                         f"smaller); q quits.", id="too-small")
