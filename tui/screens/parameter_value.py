"""The weight prompt (``=``): type a new value for the selected weight or bias; bad input is
refused inline."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from core.session import parse_value


class ParameterScreen(ModalScreen[float | None]):
    """Ask for a value of the parameter ``name`` (now ``current``). Dismisses with the new
    value, or None on escape; a value that is not a finite number is refused with one line
    and the prompt stays."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, current: float) -> None:
        super().__init__()
        self.parameter, self.current = name, current

    def compose(self) -> ComposeResult:
        """The value now, the input and a line for the reason a value is refused."""
        with Vertical(id="parameter-body") as body:
            body.border_title = f"Set {self.parameter}"
            body.border_subtitle = "enter sets · esc cancels"
            yield Label(f"{self.parameter} is {self.current:.6g} now. Type a number, e.g. -1.5; "
                        f"training goes on from it (u undoes it).")
            yield Input(value=f"{self.current:.6g}", placeholder="value", id="parameter-input")
            yield Label("", id="parameter-error")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Enter: the new value, or the reason it is refused (the prompt stays)."""
        event.stop()
        try:
            value = parse_value(event.value)
        except ValueError as error:
            self.query_one("#parameter-error", Label).update(
                f"Refused: {error}. {self.parameter} stays {self.current:.6g}.")
            return
        self.dismiss(value)

    @on(Input.Changed)
    def clear_error(self) -> None:
        """Typing clears the last refusal."""
        self.query_one("#parameter-error", Label).update("")

    def action_cancel(self) -> None:
        """Escape: keep the value."""
        self.dismiss(None)
