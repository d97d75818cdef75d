"""Opening a file (``ctrl+o``): a saved session (``.npz``), a preset (``.toml``) or your own
data (``.csv``), picked from the folders or typed; and, for a CSV file, the choice of the
column(s) to learn."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from ..confine import confine, is_inside
from .paths import current_folder, typed_path, what_is_at

OPENABLE = (".npz", ".toml", ".csv")


def openable(paths: Iterable[Path]) -> Iterable[Path]:
    """The folders and the files the app can open among ``paths`` (hidden ones left out)."""
    for path in paths:
        if path.name.startswith("."):
            continue
        try:
            if path.is_dir() or path.suffix.lower() in OPENABLE:
                yield path
        except OSError:
            continue


class FileTree(DirectoryTree):
    """The folders, and the files the app can open; with ``root`` (a served app's folder),
    only those inside it (a link that leads out is neither listed nor expanded)."""

    def __init__(self, path: Path, *, root: Path | None = None, **kwargs) -> None:
        self.confined_to = root      # not ``root``: a Tree's root is its top node
        super().__init__(path, **kwargs)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Only folders and the files the app can open (inside ``root``)."""
        if self.confined_to is not None:
            paths = [path for path in paths if is_inside(path, self.confined_to)]
        return openable(paths)


class OpenFileScreen(ModalScreen[str | None]):
    """Pick a file to open. Enter on a file opens it; a path typed above the tree opens that
    file, or shows that folder. Dismisses with the path, or None on escape.

    With ``root`` (a served app's folder) a typed path outside ``root`` is refused.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path | str | None = None, *,
                 root: Path | None = None) -> None:
        super().__init__()
        self.folder = Path(folder or current_folder()).expanduser().absolute()
        self.root = root

    def compose(self) -> ComposeResult:
        """A hint, the path input, the tree of the folder and a line for errors."""
        with Vertical(id="open-body", classes="dialog") as body:
            body.border_title = "Open"
            body.border_subtitle = "enter opens · tab path/tree · esc cancels"
            yield Label("A saved session (.npz), a preset (.toml) or your own data (.csv).",
                        id="open-hint")
            yield Input(value="", placeholder=f"type a path, or pick below ({self.folder})",
                        id="open-path")
            yield FileTree(self.folder, root=self.root, id="open-tree")
            yield Label("", id="open-error", classes="dialog-error")

    def on_mount(self) -> None:
        """Start in the path input, as the hint says: typing a path and enter opens it (tab
        goes to the tree)."""
        self.query_one("#open-path", Input).focus()

    @on(DirectoryTree.FileSelected)
    def picked(self, event: DirectoryTree.FileSelected) -> None:
        """Enter on a file in the tree opens it."""
        event.stop()
        self.dismiss(str(event.path))

    @on(Input.Submitted, "#open-path")
    def typed(self, event: Input.Submitted) -> None:
        """Enter on a typed path: open the file, show the folder, or say why neither."""
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one(FileTree).focus()
            return
        try:
            if self.root is not None:     # ~ and links resolved, no ~user looked up outside
                path = confine(text, self.root, base=self.folder)
            else:
                path = self.folder / typed_path(text)
            there = what_is_at(path)
        except ValueError as error:          # OutsideFolder is a ValueError
            self.query_one("#open-error", Label).update(str(error))
            return
        if there == "nothing":
            self.query_one("#open-error", Label).update(f"No such file: {path}")
            return
        if there == "folder":
            self.folder = path.resolve()
            self.query_one(FileTree).path = self.folder
            self.query_one(Input).value = ""
            self.query_one(FileTree).focus()
            return
        self.dismiss(str(path))

    @on(Input.Changed, "#open-path")
    def clear_error(self) -> None:
        """Typing clears the last error."""
        self.query_one("#open-error", Label).update("")

    def action_cancel(self) -> None:
        """Escape: open nothing."""
        self.dismiss(None)


class TargetList(SelectionList[str], inherit_bindings=False):
    """The columns: space marks a target; enter is left to the screen (which confirms)."""

    BINDINGS = [
        Binding("space", "select", "Toggle", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
    ]


class TargetScreen(ModalScreen[list[str] | None]):
    """Choose the target column(s) of a CSV file; the other columns become the inputs.
    Dismisses with the targets in the file's order, or None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "choose", "Use these targets"),
    ]

    def __init__(self, name: str, columns: Sequence[str]) -> None:
        super().__init__()
        self.file_name = name
        self.columns = tuple(columns)

    def compose(self) -> ComposeResult:
        """A hint, the columns to mark (the last one at first) and a line for errors."""
        last = len(self.columns) - 1
        with Vertical(id="target-body", classes="dialog") as body:
            body.border_title = f"Targets in {self.file_name}"
            body.border_subtitle = "space marks · enter makes the preset · esc cancels"
            yield Label("Mark the column(s) the network should learn; every other column "
                        "is an input. One text or class column makes a classification, "
                        "numbers a regression.", id="target-hint")
            yield TargetList(*[Selection(name, name, i == last)
                               for i, name in enumerate(self.columns)], id="target-list")
            yield Label("", id="target-error", classes="dialog-error")

    def on_mount(self) -> None:
        """Start on the list, at the last column."""
        targets = self.query_one(TargetList)
        targets.focus()
        targets.highlighted = len(self.columns) - 1

    def action_choose(self) -> None:
        """Enter: the marked columns, unless none or all of them are marked."""
        chosen = set(self.query_one(TargetList).selected)
        if not chosen:
            self.query_one("#target-error", Label).update("Mark at least one target column.")
            return
        if len(chosen) == len(self.columns):
            self.query_one("#target-error", Label).update(
                "Leave at least one column as an input.")
            return
        self.dismiss([name for name in self.columns if name in chosen])

    @on(SelectionList.SelectedChanged)
    def clear_error(self) -> None:
        """Marking clears the last error."""
        self.query_one("#target-error", Label).update("")

    def action_cancel(self) -> None:
        """Escape: make no preset."""
        self.dismiss(None)
