"""backprop-tui: train a small neural network and watch backpropagation happen.

``BackpropApp`` owns a ``Session`` for as long as the program runs: it opens the
``TrainingScreen`` over it, follows it through one ``SessionController``, carries out the
training keys (bound by every screen over the session as ``app.step(1)`` ...), offers every
key's action in the command palette and closes the session when it quits. The keys are
listed in ``tui.controls``.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from core.explain.notes import Lesson
from core.progress import Progress
from core.session import Session, Snapshot

from .controller import SessionController
from .controls import CONTROLS, DIAGRAM_CONTROLS, EXPORT_COMMANDS, MATH_CONTROLS
from .lessons import choose_lesson, step_lesson
from .messages import LessonStep, SnapshotReady
from .screens.lesson import LessonScreen
from .screens.training import TrainingScreen


class BackpropApp(App[None]):
    """The app over ``session``: the training screen, the training keys, the command
    palette and quitting.

    The app owns ``session``, follows it through ``controller`` and closes it when it
    quits. ``files_root``, when given (a
    served app, ``tui.serve``), is the one folder every file it opens or writes must be in.
    ``lesson``, when given, opens over the training screen at the start; ``answers`` is
    the learner's progress through the lessons (``progress``: the one ``python -m tui``
    keeps in the user's data folder; by default kept for the run only). ``q`` asks once
    before it quits with a trained network that is not saved.
    """

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    BINDINGS = [Binding("q", "quit", "quit", show=False)]

    def __init__(self, session: Session, files_root: Path | None = None,
                 lesson: Lesson | None = None, progress: Progress | None = None) -> None:
        super().__init__()
        self.session = session
        self.session_closed = False
        self.files_root = files_root
        self.start_lesson = lesson
        self.answers = Progress() if progress is None else progress
        self.controller = SessionController(self, session)
        self.kept = network_state(session.snapshot())

    def on_mount(self) -> None:
        """Follow the session; open the lesson asked for at the start, if any; say if the
        learner's progress could not be read."""
        self.controller.start()
        if self.answers.problem:
            self.notify(self.answers.problem, title="Progress", severity="warning",
                        timeout=8, markup=False)
        if self.start_lesson is not None:
            self.push_screen(LessonScreen(self.session, self.start_lesson))

    def on_ready(self) -> None:
        """The screen is laid out. ``python -m tui`` starts with the garbage collector off
        (the start allocates much and frees little: collecting took a sixth of its time);
        after the first frame, keep what the start made out of later collections (it lasts
        as long as the app) and collect again."""
        if not gc.isenabled():
            self.call_after_refresh(resume_collecting)

    def get_default_screen(self) -> TrainingScreen:
        """The training screen over the session (composed when first shown, if a lesson
        covers it at the start)."""
        return TrainingScreen(self.session, deferred=self.start_lesson is not None)

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
                target = (diagram if control in DIAGRAM_CONTROLS
                          else screen.math if control in MATH_CONTROLS else screen)
                yield SystemCommand(f"{control.title} ({control.display})", control.help,
                                    partial(self.run_action, control.action, target))
        for title, text, action in EXPORT_COMMANDS:
            yield SystemCommand(title, text, partial(self.run_action, action, screen))

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        """A snapshot from the session's thread: the controller shows it."""
        self.controller.receive(message.snapshot)

    # --- the training keys ------------------------------------------------------------------

    def action_run_pause(self) -> None:
        """space: run training on, or pause it."""
        self.controller.run_pause()

    def action_step(self, epochs: int) -> None:
        """n and N: train ``epochs`` more epochs (keys pressed while a step trains add up)."""
        self.controller.step(epochs=max(1, int(epochs)))

    def action_step_batch(self) -> None:
        """b: train one mini-batch."""
        self.controller.step(batches=1)

    def action_learning_rate_up(self) -> None:
        """+: the learning rate one notch up."""
        self.controller.learning_rate_notch(1)

    def action_learning_rate_down(self) -> None:
        """-: the learning rate one notch down."""
        self.controller.learning_rate_notch(-1)

    @work(group="dialog")
    async def action_type_learning_rate(self) -> None:
        """l: ask for an exact learning rate."""
        from .screens.learning_rate import LearningRateScreen

        shown = self.controller.snapshot
        rate = await self.push_screen_wait(LearningRateScreen(shown.learning_rate))
        if rate is not None:
            self.controller.set_learning_rate(rate)

    def action_next_optimizer(self) -> None:
        """o: the next optimizer (gradient descent, momentum, Adam)."""
        self.controller.next_optimizer()

    def action_reset(self) -> None:
        """r: new initial weights (the next seed), same preset, epoch 0, paused."""
        self.controller.reset()

    def action_pace(self, step: int) -> None:
        """< and >: train fewer or more epochs a second while running."""
        self.controller.pace(step)

    def action_undo(self) -> None:
        """u: back to the state before the last epoch, batch or typed weight."""
        self.controller.undo()

    def action_toggle_stop_at_target(self) -> None:
        """T: pause runs where the training loss first reaches the target loss, or not."""
        self.controller.toggle_stop_at_target()

    # --- lessons and quitting ---------------------------------------------------------------

    @work(group="dialog")
    async def action_lessons(self) -> None:
        """t: the list of lessons; the chosen one opens on its preset."""
        await choose_lesson(self, self.answers.last_section)

    def on_lesson_step(self, message: LessonStep) -> None:
        """, and . in a lesson: the next or previous lesson, on its own preset."""
        step_lesson(self, message.section, message.step)

    async def action_quit(self) -> None:
        """q: stop training and quit; with unsaved work, ask once first (q again quits)."""
        if self.unsaved_work():
            self.ask_to_quit()
            return
        self.close_session()
        self.exit()

    def unsaved_work(self) -> bool:
        """Whether the network is trained (epoch > 0) and changed since it was last saved
        or opened."""
        snapshot = self.session.snapshot()
        return snapshot.epoch > 0 and network_state(snapshot) != self.kept

    def mark_kept(self) -> None:
        """The network as it is now is saved (or was just opened): q quits without asking."""
        self.kept = network_state(self.session.snapshot())

    @work(group="quit", exclusive=True)
    async def ask_to_quit(self) -> None:
        """Ask whether to quit with unsaved work; yes (y, or q again) quits."""
        from .screens.quit_confirm import QuitConfirm

        if isinstance(self.screen, QuitConfirm):
            return
        if await self.push_screen_wait(QuitConfirm(self.session.snapshot().epoch)):
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


def network_state(snapshot: Snapshot) -> tuple:
    """What tells one trained network from another: preset, epoch, batch and a digest of
    the weights and biases."""
    digest = hashlib.blake2b(digest_size=16)
    for array in (*snapshot.weights, *snapshot.biases):
        digest.update(array.tobytes())
    return snapshot.preset_name, snapshot.epoch, snapshot.batch, digest.hexdigest()


def resume_collecting() -> None:
    """Freeze every object made so far (later collections skip them), then turn the garbage
    collector back on."""
    gc.freeze()
    gc.enable()
