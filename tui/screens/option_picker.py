"""A list to choose one entry from: the base of the preset and lesson pickers."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList


class OptionPicker(ModalScreen[str | None]):
    """Choose one option of the screen's ``OptionList``: enter dismisses with its id, escape
    with None. The list starts on the option whose id is ``current`` (else the first)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def on_mount(self) -> None:
        """Highlight the current option (else the first) and take the keys; nothing if the
        picker was closed before it was mounted (by keys typed ahead of the screen)."""
        found = self.query(OptionList)
        if not found:
            return
        options = found.first()
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        """Enter: the highlighted option."""
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Escape: choose nothing."""
        self.dismiss(None)
