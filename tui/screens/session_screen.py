"""A screen that follows a training session: its snapshots, and (``TrainingCommands``) the
keys that train it.

Training runs in the session's own thread: ``space`` runs it freely, the step keys run it a
given number of epochs (``Session.run(epochs=N)``), ``b`` trains one mini-batch in a thread
worker. Snapshots reach the screen as ``SnapshotReady`` messages, so the UI never reads arrays
the session is still writing and a burst of snapshots costs one redraw. The status bar follows
every snapshot (``SNAPSHOT_RATE`` a second while training runs). While training is busy the
costly panels are fed as often as the drawing budget allows (``DrawBudget``: the main thread
busy at most ``BUSY_SHARE`` of the time); a finished step is drawn at once, and so is every
epoch at a watchable pace (at most ``WATCHABLE_PACE`` epochs a second).
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.reactive import var
from textual.screen import Screen

from core.session import Session, Snapshot, watchable

from ..draw_budget import TICK, DrawBudget
from ..messages import SnapshotReady
from ..widgets.keys_footer import covered
from .training_commands import TrainingCommands

SNAPSHOT_RATE = 4.0        # snapshots per second the session may send (the status bar's rate)


class SessionScreen(TrainingCommands, Screen[None]):
    """The session's state on screen (``snapshot``, ``learning_rate``, ``optimizer``,
    ``training``, ``stepping``) and the keys that train (``TrainingCommands``). Subclasses draw
    the snapshots in ``update_panels``."""

    snapshot: var[Snapshot | None] = var(None, always_update=True, init=False)
    """The latest snapshot of the session shown on screen."""
    learning_rate: var[float] = var(0.0, init=False)
    optimizer: var[str] = var("gd", init=False)
    training: var[bool] = var(False, init=False)
    """Whether the session trains on its own (``space``)."""
    stepping: var[bool] = var(False, init=False)
    """Whether the session trains the epochs or the batch a step key asked for."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.unsubscribe = None
        self.subscription = 0                 # SnapshotReady.generation now accepted
        self.panel_snapshot: Snapshot | None = None
        self.budget = DrawBudget()            # how often the panels redraw while busy
        self.divergence_reported = ""
        self.step_target: int | None = None   # the epoch the step keys asked for
        self.batches_pending = 0              # b presses whose batch is not trained yet
        self.target_announced: int | None = None   # the target epoch already announced
        self.behind = False          # a snapshot went undrawn while covered: catch up when shown

    def follow_session(self) -> None:
        """Draw the session as it is and feed the panels while training is busy."""
        self.start_over()
        self.set_interval(TICK, self.panel_tick)

    def panel_tick(self) -> None:
        """While training is busy, feed the panels when the drawing budget says they are
        due; while it is not, every snapshot was drawn on arrival."""
        if not self.busy:
            self.budget.pause()
        elif self.budget.due():
            self.update_panels()
            self.budget.drawn()

    def update_panels(self) -> None:
        """Hand the newest snapshot (``panel_snapshot``) to the panels."""
        raise NotImplementedError

    # --- snapshots from the session -----------------------------------------------------

    def start_over(self) -> None:
        """After mounting, a reset or a new preset: subscribe afresh (snapshots from before
        are dropped), follow the session's settings and draw everything now."""
        if self.unsubscribe is not None:
            self.unsubscribe()
        self.subscription += 1
        self.training = self.stepping = False
        self.step_target, self.divergence_reported = None, ""
        snapshot = self.session.snapshot()
        self.target_announced = snapshot.target_epoch
        self.follow_settings(now=True, snapshot=snapshot)
        self.unsubscribe = self.session.subscribe(
            partial(self.session_snapshot, self.subscription), max_rate=SNAPSHOT_RATE)

    def follow_settings(self, now: bool, snapshot: Snapshot | None = None) -> None:
        """Take the session's learning rate and optimizer and show its snapshot (``snapshot``,
        when the caller has just taken it)."""
        snapshot = snapshot or self.session.snapshot()
        self.learning_rate, self.optimizer = snapshot.learning_rate, snapshot.optimizer
        self.accept_snapshot(snapshot, now=now)

    def session_snapshot(self, generation: int, snapshot: Snapshot) -> None:
        """The session's subscriber; runs in the session's thread and never blocks it."""
        self.post_message(SnapshotReady(snapshot, generation))

    @property
    def showing(self) -> bool:
        """Whether the screen is up, not ``covered`` (by a lesson) and its session open."""
        return self.is_attached and not self.app.session_closed and not covered(self)

    async def on_screen_resume(self) -> None:
        """Shown (what covered it closed): catch up with the session if it fell behind."""
        if not self.showing:
            return
        await self.compose_deferred()
        if self.behind and self.unsubscribe is not None:
            self.stop_if_idle()
            self.follow_settings(now=True)

    async def compose_deferred(self) -> None:
        """Compose what waits until the screen is first shown (a subclass's choice)."""

    def stop_if_idle(self) -> None:
        """Not training or stepping any more once the session stopped (its epochs done, or
        diverged) and no batch is pending."""
        if not self.session.running and self.batches_pending == 0:
            self.training = self.stepping = False

    @property
    def busy(self) -> bool:
        """Whether training is producing snapshots faster than panels should redraw."""
        return self.training or self.stepping

    @on(SnapshotReady)
    def snapshot_ready(self, message: SnapshotReady) -> None:
        """Show a snapshot from the current subscription (older ones are stale); a run that
        ended (its epochs done, or diverged) stops being shown as running."""
        if message.generation != self.subscription:
            return
        if not self.showing:
            self.behind = True
            return
        self.stop_if_idle()
        # The rule for a watchable pace (<= WATCHABLE_PACE epochs a second, the session
        # then sends every epoch): every snapshot is drawn at once, whatever the budget.
        watching = self.training and watchable(message.snapshot.pace)
        self.accept_snapshot(message.snapshot, now=watching or not self.busy)

    def accept_snapshot(self, snapshot: Snapshot, now: bool) -> None:
        """Show ``snapshot``: the status bar at once, the panels now or at the next tick."""
        self.snapshot = self.panel_snapshot = snapshot
        if now:
            self.behind = not self.showing
            self.update_panels()

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        """Say once per divergence what happened and which learning rate to try, and once
        when the target loss is reached."""
        if snapshot is not None:
            self.announce_target(snapshot)
        if snapshot is not None and snapshot.state == "diverged" \
                and snapshot.message != self.divergence_reported:
            self.divergence_reported = snapshot.message
            advice = "Try a lower learning rate (l to type one)."
            if snapshot.suggested_learning_rate is not None:
                advice = (f"Try learning rate {snapshot.suggested_learning_rate:g} or lower "
                          f"(l to type it), then space to go on or r for new weights.")
            self.notify(f"Training {snapshot.message or 'diverged'}. {advice}",
                        title="Diverged", severity="warning", timeout=8)

    def announce_target(self, snapshot: Snapshot) -> None:
        """Say once when the training loss first reaches the preset's target loss."""
        reached = snapshot.target_epoch
        if reached is not None and reached != self.target_announced:
            self.notify(f"The training loss reached the target {snapshot.target_loss:g} at "
                        f"epoch {reached}.", title="Target loss reached")
        self.target_announced = reached
