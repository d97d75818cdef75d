"""The base of the screens that show the app's session (the training screen, a lesson):
the newest snapshot the app's ``SessionController`` handed them, which their status bar
shows, and catching up when shown again."""

from __future__ import annotations

from textual.reactive import var
from textual.screen import Screen

from core.session import Session, Snapshot


class SessionScreen(Screen[None]):
    """A screen over ``session`` that the app's controller keeps up to date: ``snapshot``
    for the status bar, ``draw_panels`` (a subclass's) for the rest. The training keys
    are the app's (``app.step(1)`` ...)."""

    announces = True
    """Whether a divergence and the target loss are told while this screen shows."""
    snapshot: var[Snapshot | None] = var(None, always_update=True, init=False)
    """The newest snapshot of the session shown on screen."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def draw_panels(self, snapshot: Snapshot) -> None:
        """Hand ``snapshot`` to the panels."""
        raise NotImplementedError

    @property
    def busy(self) -> bool:
        """Whether the snapshot on show says training runs (the panels then redraw at the
        drawing budget's pace)."""
        return self.snapshot is not None and self.snapshot.state == "running"

    @property
    def showing(self) -> bool:
        """Whether this is the screen showing the session (a dialog may be over it, a lesson
        may not) and the session is open."""
        return not self.app.session_closed and self.app.controller.viewer() is self

    def follow_session(self) -> None:
        """Mounted: draw the session as it is."""
        self.app.controller.show_to(self)

    async def on_screen_resume(self) -> None:
        """Shown (what covered it closed): catch up with the session if it fell behind
        (composing first what waited until now)."""
        if self.showing:
            await self.compose_deferred()
            self.app.controller.show_to(self)

    async def compose_deferred(self) -> None:
        """Compose what waits until the screen is first shown (a subclass's choice)."""
