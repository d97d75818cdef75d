"""Quitting with unsaved work: asked once (y or q again quits, n or escape stays)."""

from __future__ import annotations

from textual.binding import Binding

from .save_session import ConfirmScreen


class QuitConfirm(ConfirmScreen):
    """Quit although the trained network is not saved? q again says yes."""

    BINDINGS = [Binding("y,q", "answer(True)", "Quit"),
                Binding("n,escape", "answer(False)", "Stay")]

    def __init__(self, epoch: int) -> None:
        super().__init__(f"The network trained to epoch {epoch} is not saved (s saves it). "
                         f"Quit anyway?", yes="Quit", no="Stay", title="Unsaved work")
