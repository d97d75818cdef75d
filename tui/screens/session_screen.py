"""A screen that follows a training session: its snapshots and its training commands.

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

from textual import on, work
from textual.reactive import var
from textual.screen import Screen

from core.session import Session, SessionError, Snapshot, faster, pace_label, slower, watchable

from ..controls import next_optimizer, notch_down, notch_up
from ..draw_budget import TICK, DrawBudget
from ..messages import SnapshotReady, StepFailed
from ..widgets.keys_footer import covered
from .learning_rate import LearningRateScreen

SNAPSHOT_RATE = 4.0        # snapshots per second the session may send (the status bar's rate)


class SessionScreen(Screen[None]):
    """The session's state on screen (``snapshot``, ``learning_rate``, ``optimizer``,
    ``training``, ``stepping``) and the keys that train. Subclasses draw the snapshots in
    ``update_panels``."""

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
            if not self.session.running and self.batches_pending == 0:
                self.training = self.stepping = False
            self.follow_settings(now=True)

    async def compose_deferred(self) -> None:
        """Compose what waits until the screen is first shown (a subclass's choice)."""

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
        if not self.session.running and self.batches_pending == 0:
            self.training = self.stepping = False
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

    # --- training -----------------------------------------------------------------------

    def action_run_pause(self) -> None:
        """space: run training continuously, or pause it."""
        if self.training and self.session.running:
            self.session.pause()
            self.training = False
        else:
            self.step_target, self.divergence_reported = None, ""
            self.session.run()
            self.training, self.stepping = True, False

    def action_step(self, epochs: int) -> None:
        """n and N: train ``epochs`` more epochs in the session's thread (keys pressed while
        a step trains add up)."""
        epochs = max(1, int(epochs))
        if self.stepping and self.step_target is not None and self.session.running:
            self.step_target += epochs
        else:
            self.step_target = self.session.epoch + epochs
        self.training, self.stepping = False, True
        self.divergence_reported = ""
        self.session.run(epochs=max(1, self.step_target - self.session.epoch))

    def action_step_batch(self) -> None:
        """b: train one mini-batch."""
        self.training, self.stepping = False, True
        self.divergence_reported = ""
        self.batches_pending += 1
        self.train_batch(self.subscription)

    @work(thread=True, group="step", exit_on_error=False)
    def train_batch(self, generation: int) -> None:
        """One mini-batch, off the UI thread; its snapshot is posted like the session's."""
        try:
            snapshot = self.session.step_batch()
        except (SessionError, ValueError) as error:
            self.post_message(StepFailed(str(error)))
            return
        finally:
            self.batches_pending -= 1
        self.post_message(SnapshotReady(snapshot, generation))

    @on(StepFailed)
    def step_failed(self, message: StepFailed) -> None:
        """Say why a step did not train."""
        if not self.session.running and self.batches_pending == 0:
            self.stepping = False
        self.notify(message.reason, title="Step failed", severity="error")

    def set_learning_rate(self, rate: float) -> None:
        """Give the session a new learning rate; a refused value keeps the old one."""
        try:
            self.session.set_learning_rate(rate)
        except (ValueError, TypeError) as error:
            self.notify(str(error), title="Learning rate refused", severity="error")
            return
        self.learning_rate = float(rate)

    def action_learning_rate_up(self) -> None:
        """+: the learning rate one notch up."""
        self.set_learning_rate(notch_up(self.learning_rate))

    def action_learning_rate_down(self) -> None:
        """-: the learning rate one notch down."""
        self.set_learning_rate(notch_down(self.learning_rate))

    @work(group="dialog")
    async def action_type_learning_rate(self) -> None:
        """l: ask for an exact learning rate."""
        rate = await self.app.push_screen_wait(LearningRateScreen(self.learning_rate))
        if rate is not None:
            self.set_learning_rate(rate)

    def action_next_optimizer(self) -> None:
        """o: the next optimizer (gradient descent, momentum, Adam)."""
        name = next_optimizer(self.optimizer)
        try:
            self.session.set_optimizer(name)
        except ValueError as error:
            self.notify(str(error), title="Optimizer refused", severity="error")
            return
        self.optimizer = name

    def action_reset(self) -> None:
        """r: new initial weights (the next seed), same preset, epoch 0, paused."""
        seed = (self.snapshot.seed if self.snapshot is not None else 0) + 1
        self.session.reset(seed=seed)
        self.app.clear_notifications()     # a divergence notice is about weights now gone
        self.start_over()

    # --- watching it learn ----------------------------------------------------------------

    def action_pace(self, step: int) -> None:
        """< and >: train fewer or more epochs a second while running."""
        pace = faster(self.session.pace) if step > 0 else slower(self.session.pace)
        self.session.set_pace(pace)
        self.notify(f"Pace: {pace_label(pace)} while running (space); n, N and b step at once.",
                    title="Pace")

    def action_undo(self) -> None:
        """u: back to the state before the last epoch, batch or typed weight."""
        snapshot = self.session.undo()
        self.training = self.stepping = False
        self.step_target = None
        if snapshot is None:
            self.notify("Nothing left to undo.", title="Undo")
            return
        self.accept_snapshot(snapshot, now=True)

    def action_toggle_stop_at_target(self) -> None:
        """T: pause runs where the training loss first reaches the target loss, or not."""
        stop = not self.session.stop_at_target
        self.session.set_stop_at_target(stop)
        self.notify("Runs pause where the loss first reaches the target." if stop
                    else "Runs go on past the target loss.", title="Stop at target")
