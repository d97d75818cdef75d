"""backprop-tui: train a small neural network and watch backpropagation happen.

``BackpropApp`` owns a ``Session`` for as long as the program runs: it opens the
``TrainingScreen`` over it, offers every key's action in the command palette and closes the
session when it quits. The keys are listed in ``tui.controls``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from core.session import Session

from .controls import CONTROLS, DIAGRAM_CONTROLS, EXPORT_COMMANDS
from .screens.training import TrainingScreen


class BackpropApp(App[None]):
    """The app over ``session``: the training screen, the command palette and quitting.

    The app owns ``session`` and closes it when it quits. ``files_root``, when given (a
    served app, ``tui.serve``), is the one folder every file it opens or writes must be in.
    """

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    BINDINGS = [Binding("q", "quit", "quit", show=False)]

    def __init__(self, session: Session, files_root: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.session_closed = False
        self.files_root = files_root

    def get_default_screen(self) -> TrainingScreen:
        """The training screen over the session."""
        return TrainingScreen(self.session)

    @property
    def training_screen(self) -> TrainingScreen:
        """The training screen (the bottom of the screen stack)."""
        return self.screen_stack[0]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands; on the training screen also every key's action and the
        exports."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, TrainingScreen):
            return
        diagram = screen.diagram
        for control in CONTROLS:
            if control.action != "quit":   # Textual already offers Quit
                target = diagram if control in DIAGRAM_CONTROLS else screen
                yield SystemCommand(f"{control.title} ({control.display})", control.help,
                                    partial(self.run_action, control.action, target))
        for title, text, action in EXPORT_COMMANDS:
            yield SystemCommand(title, text, partial(self.run_action, action, screen))

    async def action_quit(self) -> None:
        """q: stop training and quit."""
        self.close_session()
        self.exit()

    def close_session(self) -> None:
        """Stop training and join the session's threads (idempotent, never waits long: the
        session stops before its next batch)."""
        if self.session_closed:
            return
        self.session_closed = True
        self.session.close()

    def on_unmount(self) -> None:
        """However the app ends, training stops."""
        self.close_session()
