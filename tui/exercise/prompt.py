"""Asking which file to grade (``x``): the save dialog's path prompt, for a file that is
there."""

from __future__ import annotations

from textual import on
from textual.widgets import Input, Label

from ..screens.paths import current_folder, typed_path, what_is_at
from ..screens.save_session import PathScreen


class GradeFilePrompt(PathScreen):
    """Ask for the learner's file to grade; dismisses with its path, or None on escape. A
    path that names no file is refused inline."""

    def __init__(self, default: str) -> None:
        super().__init__("Grade my backprop", default,
                         f"Your numpy file, relative to {current_folder()}. "
                         f"python -m core exercise writes a starter.")

    def on_mount(self) -> None:
        """Say what enter does here."""
        self.query_one("#path-body").border_subtitle = "enter grades · esc cancels"

    @on(Input.Submitted)
    def submit_file(self, event: Input.Submitted) -> None:
        """Enter: the file's path, or why it cannot be graded (the dialog stays). Replaces
        the save dialog's check (``prevent_default``)."""
        event.prevent_default()
        event.stop()
        text = event.value.strip()
        try:
            if not text:
                raise ValueError("Type a file name.")
            there = what_is_at(typed_path(text))
            if there != "file":
                raise ValueError(f"{text} is a folder." if there == "folder" else
                                 f"No file {text}: python -m core exercise writes one.")
        except ValueError as error:
            self.query_one("#path-error", Label).update(str(error))
            return
        self.dismiss(str(typed_path(text)))
