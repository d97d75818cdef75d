"""The learning-rate prompt (``l``): type an exact rate; bad input is refused inline."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label

from core.engine import parse_learning_rate


class PositiveFinite(Validator):
    """Accepts a positive finite number."""

    def validate(self, value: str) -> ValidationResult:
        """Success for a positive finite number, else the reason."""
        try:
            parse_learning_rate(value)
        except ValueError as error:
            return self.failure(str(error))
        return self.success()


class LearningRateScreen(ModalScreen[float | None]):
    """Ask for a learning rate. Dismisses with the new rate, or None on escape; a value
    that is not a positive finite number is refused with a message and the prompt stays."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: float) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        """The rate now, the input and a line for the reason a value is refused."""
        with Vertical(id="lr-body") as body:
            body.border_title = "Learning rate"
            body.border_subtitle = "enter sets · esc cancels"
            yield Label(f"Now {self.current:g}. Type a positive number, e.g. 0.05 or 3e-4.")
            yield Input(value=f"{self.current:g}", placeholder="learning rate",
                        validators=[PositiveFinite()], validate_on=["submitted"],
                        id="lr-input")
            yield Label("", id="lr-error")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Enter: the new rate, or the reason it is refused (the prompt stays)."""
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            error = self.query_one("#lr-error", Label)
            error.update(f"Refused: {'; '.join(result.failure_descriptions)}. "
                         f"The learning rate stays {self.current:g}.")
            return
        self.dismiss(parse_learning_rate(event.value))

    @on(Input.Changed)
    def clear_error(self) -> None:
        """Typing clears the last refusal."""
        self.query_one("#lr-error", Label).update("")

    def action_cancel(self) -> None:
        """Escape: keep the learning rate."""
        self.dismiss(None)
