"""Asking where to write a file (``s`` saves the session, the exports ask the same way) and
whether to replace one that is there."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from ..confine import confine
from .paths import current_folder, typed_path, what_is_at


def default_session_name(preset_name: str, epoch: int) -> str:
    """``<preset>-epoch<N>.npz``, the save dialog's suggestion."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in preset_name) or "session"
    return f"{safe}-epoch{epoch}.npz"


class PathScreen(ModalScreen[str | None]):
    """Ask for the path of a file to write (with ``folder``, of a folder to write into).
    Dismisses with the path as typed, or None on escape; an empty path, or a folder where a
    file is asked for (a file where a folder is), is refused inline. In a served app (the
    app's ``files_root``) a path outside its folder is refused before anything is looked up
    there, so the answer never says what exists outside."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: str, hint: str = "", folder: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.hint = hint
        self.folder = folder

    def compose(self) -> ComposeResult:
        """A hint, the path input (the default filled in) and a line for errors."""
        with Vertical(id="path-body", classes="dialog") as body:
            body.border_title = self.title_text
            body.border_subtitle = "enter writes · esc cancels"
            yield Label(self.hint or "A path, relative to the current folder "
                        f"({current_folder()}).", id="path-hint")
            yield Input(value=self.default, placeholder="file name", id="path-input")
            yield Label("", id="path-error", classes="dialog-error")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Enter: the path, or the reason it cannot be written to (the dialog stays)."""
        event.stop()
        text = event.value.strip()
        try:
            if not text:
                raise ValueError("Type a file name.")
            root = getattr(self.app, "files_root", None)
            path = typed_path(text) if root is None else confine(text, root)
            there = what_is_at(path)
            if there == "folder" and not self.folder:
                raise ValueError(f"{text} is a folder: add a file name.")
            if there not in ("folder", "nothing") and self.folder:
                raise ValueError(f"{text} is a file: type a folder's name.")
        except ValueError as error:
            self.query_one("#path-error", Label).update(str(error))
            return
        self.dismiss(str(path))

    @on(Input.Changed)
    def clear_error(self) -> None:
        """Typing clears the last error."""
        self.query_one("#path-error", Label).update("")

    def action_cancel(self) -> None:
        """Escape: write nothing."""
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y says yes, n or escape no; enter presses the focused button
    (at first: no, so that nothing is overwritten by accident)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Overwrite", no: str = "Cancel",
                 title: str = "File exists") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no
        self.title_text = title

    def compose(self) -> ComposeResult:
        """The question and the two buttons."""
        with Vertical(id="confirm-body", classes="dialog") as body:
            body.border_title = self.title_text
            body.border_subtitle = "y yes · n no"
            yield Label(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning",
                             compact=True)
                yield Button(f"{self.no} (n)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        """Enter says no until another button is focused."""
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def pressed_yes(self) -> None:
        """The yes button."""
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def pressed_no(self) -> None:
        """The no button."""
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        """y, n or escape."""
        self.dismiss(yes)
