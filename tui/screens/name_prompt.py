"""A served tab's first question: the student's name, for the teacher's view of the class."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..classroom import NAME_LENGTH


class NamePrompt(ModalScreen[str]):
    """Ask the student's name; dismisses with what was typed, or "" on escape or an empty
    enter (the teacher then sees the tab's number)."""

    BINDINGS = [Binding("escape", "skip", "Skip")]

    def compose(self) -> ComposeResult:
        """A line on what the name is for, and the input."""
        with Vertical(id="name-body") as body:
            body.border_title = "Your name"
            body.border_subtitle = "enter to start · esc skips"
            yield Label("The teacher sees each tab's lesson and answers by name. Type yours, "
                        "or skip it: then you are a tab's number.")
            yield Input(placeholder="your name (optional)", max_length=NAME_LENGTH,
                        id="name-input")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Enter: the name typed (perhaps none)."""
        event.stop()
        self.dismiss(event.value.strip())

    def action_skip(self) -> None:
        """Escape: no name."""
        self.dismiss("")
