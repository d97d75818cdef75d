"""The app's one link to its session: ``SessionController`` follows the session's snapshots and
carries out the training keys.

It holds the one subscription to the session and hands every snapshot to the screen that
shows the session (a ``SessionView``: the training screen, or a lesson over it). Snapshots
arrive as ``SnapshotReady`` messages to the app, so the UI never reads arrays the session is
still writing and a burst of snapshots costs one redraw; a snapshot older than the one shown
(a reset or a new preset came between) is dropped. The status bar follows every snapshot
(``SNAPSHOT_RATE`` a second while training runs), and a key's effect at once. While training
is busy the costly panels are fed as often as the drawing budget allows (``DrawBudget``: the
main thread busy at most ``BUSY_SHARE`` of the time); a finished step is drawn at once, and
at a watchable pace (at most ``WATCHABLE_PACE`` epochs a second) each epoch as it comes, the
screen (status bar and panels) shown about once every ``person`` seconds (``PERSON``, or
longer in a served tab that shares the machine; up to ``JITTER`` sooner or later, so that tabs
started together spread their redraws). A screen
a lesson covered catches up when it shows again.

Training runs in the session's own thread: ``space`` runs it on, ``n``, ``N`` and ``b`` run a
counted number of epochs or mini-batches (``Session.run(epochs=N)``, ``run(batches=N)``; keys
pressed while a step trains add up). Whether it runs, and how, is read from the snapshots.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable
from weakref import WeakKeyDictionary

from textual.app import App
from textual.screen import ModalScreen

from core.session import Session, SessionError, Snapshot, faster, pace_label, slower, watchable

from .controls import next_optimizer, notch_down, notch_up
from .draw_budget import PERSON, TICK, DrawBudget
from .messages import SnapshotReady
from .widgets.status_bar import running_free

SNAPSHOT_RATE = 4.0        # snapshots per second the session may send (the status bar's rate)
JITTER = 0.25              # how much sooner or later than ``person`` a paced redraw may come


@runtime_checkable
class SessionView(Protocol):
    """A screen that shows the session: its status bar follows ``snapshot``, its costly
    panels are drawn by ``draw_panels``; ``announces``: whether a divergence and the target
    loss are told while it shows (a lesson leaves that to the training screen below)."""

    snapshot: Snapshot | None
    announces: bool

    def draw_panels(self, snapshot: Snapshot) -> None:
        """Hand ``snapshot`` to the panels."""


class SessionController:
    """The app's session as the screens show it and the training keys drive it."""

    def __init__(self, app: App, session: Session) -> None:
        self.app, self.session = app, session
        self.snapshot: Snapshot | None = None
        """The newest snapshot of the session."""
        self.latest: Snapshot | None = None   # the newest one delivered (posted or not)
        self.budget = DrawBudget()            # how often the panels redraw while busy
        # the snapshot each screen's panels were last handed
        self.drawn: WeakKeyDictionary[SessionView, Snapshot] = WeakKeyDictionary()
        self._person = PERSON                 # seconds between redraws at a watchable pace
        self._unsubscribe: Callable[[], None] | None = None
        self.next_show = -math.inf            # when a watchable pace may show the next one
        self.divergence_told = ""             # the divergence message already told
        self.target_told: int | None = None   # the target epoch already told

    @property
    def person(self) -> float:
        """Seconds between two redraws at a watchable pace, at the least."""
        return self._person

    @person.setter
    def person(self, seconds: float) -> None:
        self._person = seconds
        if self._unsubscribe is not None and not self.app.session_closed:
            self._unsubscribe()
            self._subscribe()

    def _subscribe(self) -> None:
        """Follow the session's snapshots, at a watchable pace no more often than shown."""
        self._unsubscribe = self.session.subscribe(           # ends with the session
            self.deliver, max_rate=SNAPSHOT_RATE, watchable_rate=1 / self._person)

    @property
    def busy(self) -> bool:
        """Whether training runs, producing snapshots faster than panels should redraw."""
        return self.snapshot is not None and self.snapshot.state == "running"

    # --- following the session --------------------------------------------------------------

    def start(self) -> None:
        """Show the session as it is, subscribe to its snapshots and pace the panels."""
        self.start_over()
        self._subscribe()
        self.app.set_interval(TICK, self.tick)

    def deliver(self, snapshot: Snapshot) -> None:
        """The session's subscriber; runs in the session's thread and never blocks it. A
        snapshot at a watchable pace that is not due yet is not posted: the tick shows the
        latest one when it is (a message an epoch cost a served tab more than its
        training)."""
        self.latest = snapshot
        if (person_paced(snapshot)
                and time.perf_counter() < self.next_show):
            return
        self.app.post_message(SnapshotReady(snapshot))

    def receive(self, snapshot: Snapshot) -> None:
        """A snapshot from the session, on the app's thread."""
        if not self.app.session_closed:
            self.show(snapshot)

    def viewer(self) -> SessionView | None:
        """The mounted screen that shows the session (dialogs may be over it), if any."""
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, SessionView):
                return screen if screen.is_mounted else None
            if not isinstance(screen, ModalScreen):
                return None
        return None

    def show(self, snapshot: Snapshot) -> None:
        """Show ``snapshot`` unless a later one is shown: on the status bar at once, on the
        panels now or, while training is busy, when the drawing budget says they are due."""
        if self.snapshot is not None and snapshot.sequence < self.snapshot.sequence:
            return
        self.snapshot = snapshot
        viewer = self.viewer()
        if viewer is None:
            return
        # The rule for a watchable pace (<= WATCHABLE_PACE epochs a second, the session
        # then sends every epoch): a snapshot is shown and drawn at once, whatever the
        # budget, unless the screen was drawn more recently than a person follows (then
        # the tick shows the newest one when it is due).
        paced = person_paced(snapshot)
        now = time.perf_counter()
        if paced and now < self.next_show:
            return
        # up to a quarter sooner or later, so that tabs sharing a machine, started together,
        # do not all redraw at the same moment
        self.next_show = now + self.person * random.uniform(1 - JITTER, 1 + JITTER)
        viewer.snapshot = snapshot
        if viewer.announces:
            self.announce(snapshot)
        if (not self.busy or paced) and self.drawn.get(viewer) is not snapshot:
            self.draw(viewer)

    def show_to(self, screen: SessionView) -> None:
        """``screen`` is shown (mounted, or uncovered): bring it up to date if it is behind
        the session."""
        if self.snapshot is None:
            self.snapshot = self.session.snapshot()
        if self.viewer() is screen and self.drawn.get(screen) is not self.snapshot:
            screen.snapshot = self.snapshot
            if screen.announces:
                self.announce(self.snapshot)
            self.draw(screen)

    def draw(self, viewer: SessionView) -> None:
        """Hand the newest snapshot to ``viewer``'s panels."""
        viewer.draw_panels(self.snapshot)
        self.drawn[viewer] = self.snapshot

    def tick(self) -> None:
        """While training is busy, show a snapshot held back at a watchable pace once it is
        due, and feed the panels when the drawing budget says they are due; while it is
        not, every snapshot was drawn on arrival."""
        if self.app.session_closed:
            return
        if not self.busy:
            self.budget.pause()
            return
        newest = self.snapshot
        if self.latest is not None and self.latest.sequence > newest.sequence:
            newest = self.latest
        viewer = self.viewer()
        if viewer is not None and viewer.snapshot is not newest:
            self.show(newest)                 # held back at a watchable pace, if now due
        if person_paced(newest):
            return                            # drawn with the status bar, as a person follows
        if self.budget.due():
            viewer = self.viewer()
            if viewer is not None and self.drawn.get(viewer) is not self.snapshot:
                self.draw(viewer)
            self.budget.drawn()

    def announce(self, snapshot: Snapshot) -> None:
        """Say once per divergence what happened and which learning rate to try, and once
        when the training loss first reaches the preset's target loss."""
        reached = snapshot.target_epoch
        if reached is not None and reached != self.target_told:
            self.app.notify(f"The training loss reached the target {snapshot.target_loss:g} "
                            f"at epoch {reached}.", title="Target loss reached")
        self.target_told = reached
        if snapshot.state == "diverged" and snapshot.message != self.divergence_told:
            self.divergence_told = snapshot.message
            advice = "Try a lower learning rate (l to type one)."
            if snapshot.suggested_learning_rate is not None:
                advice = (f"Try learning rate {snapshot.suggested_learning_rate:g} or lower "
                          f"(l to type it), then space to go on or r for new weights.")
            self.app.notify(f"Training {snapshot.message or 'diverged'}. {advice}",
                            title="Diverged", severity="warning", timeout=8)

    def refresh(self) -> None:
        """Show the session as it is now (a command's effect, at once)."""
        self.show(self.session.snapshot())

    def start_over(self) -> None:
        """After a reset, a new preset or an opened session: show the session anew (what was
        told about a divergence and the target loss is forgotten)."""
        snapshot = self.session.snapshot()
        self.divergence_told, self.target_told = "", snapshot.target_epoch
        self.show(snapshot)

    # --- the training keys ------------------------------------------------------------------

    def run_pause(self) -> None:
        """space: run training on, or pause it where it runs on."""
        if running_free(self.snapshot) and self.session.running:
            self.session.pause()
        else:
            self.divergence_told = ""
            self.session.run()
        self.refresh()

    def step(self, epochs: int | None = None, batches: int | None = None) -> None:
        """n, N and b: train ``epochs`` more epochs or ``batches`` more mini-batches in the
        session's thread (added to a step that trains the same)."""
        self.divergence_told = ""
        try:
            self.session.run(epochs=epochs, batches=batches, add=True)
        except (SessionError, ValueError) as error:
            self.app.notify(str(error), title="Step failed", severity="error")
        self.refresh()

    def set_learning_rate(self, rate: float) -> None:
        """Give the session a new learning rate; a refused value keeps the old one."""
        try:
            self.session.set_learning_rate(rate)
        except (ValueError, TypeError) as error:
            self.app.notify(str(error), title="Learning rate refused", severity="error")
            return
        self.refresh()

    def learning_rate_notch(self, step: int) -> None:
        """+ and -: the learning rate one notch up (``step`` 1) or down (-1)."""
        rate = self.snapshot.learning_rate
        self.set_learning_rate(notch_up(rate) if step > 0 else notch_down(rate))

    def next_optimizer(self) -> None:
        """o: the next optimizer (gradient descent, momentum, Adam)."""
        try:
            self.session.set_optimizer(next_optimizer(self.snapshot.optimizer))
        except ValueError as error:
            self.app.notify(str(error), title="Optimizer refused", severity="error")
            return
        self.refresh()

    def reset(self) -> None:
        """r: new initial weights (the next seed), same preset, epoch 0, paused."""
        self.session.reset(seed=self.snapshot.seed + 1)
        self.app.clear_notifications()     # a divergence notice is about weights now gone
        self.start_over()

    def pace(self, step: int) -> None:
        """< and >: train fewer (``step`` -1) or more (1) epochs a second while running."""
        pace = faster(self.session.pace) if step > 0 else slower(self.session.pace)
        self.session.set_pace(pace)
        self.app.notify(f"Pace: {pace_label(pace)} while running (space); n, N and b step "
                        f"at once.", title="Pace")
        self.refresh()

    def undo(self) -> None:
        """u: back to the state before the last epoch, batch or typed weight."""
        snapshot = self.session.undo()
        if snapshot is None:
            self.app.notify("Nothing left to undo.", title="Undo")
            self.refresh()
            return
        self.show(snapshot)

    def toggle_stop_at_target(self) -> None:
        """T: pause runs where the training loss first reaches the target loss, or not."""
        stop = not self.session.stop_at_target
        self.session.set_stop_at_target(stop)
        self.app.notify("Runs pause where the loss first reaches the target." if stop
                        else "Runs go on past the target loss.", title="Stop at target")


def person_paced(snapshot: Snapshot) -> bool:
    """Whether ``snapshot`` is of a free run at a watchable pace (each epoch sent, drawn as
    a person follows)."""
    return snapshot.state == "running" and running_free(snapshot) and watchable(snapshot.pace)
