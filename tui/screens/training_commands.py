"""The keys that train a session, for the training and the lesson screens alike: run and
pause, a step of epochs or of one mini-batch, the learning rate and the optimizer, reset, the
pace, undo and stopping at the target loss. ``TrainingCommands`` is a part of
``SessionScreen``: its actions change the screen's session and its state (``training``,
``stepping``, ``step_target`` ...), and its snapshots show the result.
"""

from __future__ import annotations

from textual import work

from core.session import SessionError, faster, pace_label, slower

from ..controls import next_optimizer, notch_down, notch_up
from ..messages import SnapshotReady, StepFailed
from .learning_rate import LearningRateScreen


class TrainingCommands:
    """The training keys' actions, mixed into ``SessionScreen``."""

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
        """One mini-batch, off the UI thread; its snapshot is posted like the session's (or
        why it failed), once it no longer counts as pending."""
        try:
            outcome = SnapshotReady(self.session.step_batch(), generation)
        except (SessionError, ValueError) as error:
            outcome = StepFailed(str(error))
        finally:
            self.batches_pending -= 1
        self.post_message(outcome)

    def on_step_failed(self, message: StepFailed) -> None:
        """Say why a step did not train."""
        self.stop_if_idle()
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
