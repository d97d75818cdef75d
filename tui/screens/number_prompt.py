"""A prompt for one number: the value now, an input, and a line saying why a value is refused."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label

FIELD = re.compile(r"^[a-z_]+: ")
"""The field a reason starts with (``learning_rate: ``): the prompt's title names it."""


class Parses(Validator):
    """Accepts what ``parse`` reads; its ``ValueError``, less the field's name, is the reason
    for a refusal."""

    def __init__(self, parse: Callable[[str], float]) -> None:
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        """Success if ``parse`` reads ``value``, else its reason."""
        try:
            self.parse(value)
        except ValueError as error:
            return self.failure(FIELD.sub("", str(error), count=1))
        return self.success()


class NumberPrompt(ModalScreen[float | None]):
    """Ask for one number, read by ``parse``. Dismisses with it, or None on escape; a value
    ``parse`` refuses is explained in one line (ending with ``keeps``) and the prompt stays.
    Its body, input and error line have the ids ``{ids}-body``, ``{ids}-input`` and
    ``{ids}-error``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, *, ids: str, title: str, intro: str, value: str, placeholder: str,
                 parse: Callable[[str], float], keeps: str) -> None:
        super().__init__()
        self.ids, self.title_text, self.intro = ids, title, intro
        self.value, self.placeholder, self.parse, self.keeps = value, placeholder, parse, keeps

    def compose(self) -> ComposeResult:
        """The value now, the input and a line for the reason a value is refused."""
        with Vertical(id=f"{self.ids}-body") as body:
            body.border_title = self.title_text
            body.border_subtitle = "enter sets · esc cancels"
            yield Label(self.intro)
            yield Input(value=self.value, placeholder=self.placeholder,
                        validators=[Parses(self.parse)], validate_on=["submitted"],
                        id=f"{self.ids}-input")
            yield Label("", id=f"{self.ids}-error")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Enter: the number, or the reason it is refused (the prompt stays)."""
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.query_one(f"#{self.ids}-error", Label).update(
                f"Refused: {'; '.join(result.failure_descriptions)}. {self.keeps}")
            return
        self.dismiss(self.parse(event.value))

    @on(Input.Changed)
    def clear_error(self) -> None:
        """Typing clears the last refusal."""
        self.query_one(f"#{self.ids}-error", Label).update("")

    def action_cancel(self) -> None:
        """Escape: keep the value as it is."""
        self.dismiss(None)
