"""Training a session from a script: for a number of epochs, with a progress line on stderr,
or to explain a section of the notes with the trained numbers."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..checks import is_integer
from ..constants import FINITE_DIFFERENCE_STEP
from ..explain.notes.sections import explain_snapshot, section
from ..explain.notes.worksheet import ExplainError, Worksheet
from ..presets.schema import Preset, load_preset
from .session import Session

PROGRESS_AFTER_SECONDS = 1.0
CHUNK_SECONDS = 0.05
BAR_WIDTH = 30


class _ProgressLine:
    """One line on stderr, rewritten in place: the preset, a bar, epochs done and the loss;
    erased when training ends."""

    def __init__(self, name: str, total: int) -> None:
        self.name, self.total, self.start = name, total, time.perf_counter()
        self.width = 0

    def show(self, done: int, loss: float) -> None:
        """Rewrite the line for ``done`` epochs at loss ``loss``."""
        filled = BAR_WIDTH * done // self.total if self.total else BAR_WIDTH
        elapsed = time.perf_counter() - self.start
        left = elapsed * (self.total - done) / done if done else 0.0
        line = (f"{self.name} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
                f"{done}/{self.total} epochs  loss {loss:.4g}  {left:.0f} s left")
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = len(line)

    def erase(self) -> None:
        """Clear the line."""
        sys.stderr.write("\r" + " " * self.width + "\r")
        sys.stderr.flush()


def train_for(session: Session, epochs: int, show_progress: bool = True) -> dict:
    """Train ``epochs`` more epochs (stopping early on divergence) and report the result.

    The report has the keys of ``python -m core train --json``: preset, epochs (trained in
    this call), final_loss, test_loss, accuracy, test_accuracy (None without a test set or
    for regression), from_epoch and to_epoch (where training started and ended), seconds,
    epochs_per_second, diverged,
    target_epoch (the first epoch of the history whose loss reached the preset's target_loss,
    or None). With
    ``show_progress``, a progress line appears on stderr (a terminal) once the run has taken
    longer than a second.
    """
    start = time.perf_counter()
    done, chunk = 0, 1
    progress = None
    snapshot = session.snapshot()
    from_epoch = snapshot.epoch
    try:
        while done < epochs and snapshot.state != "diverged":
            before = time.perf_counter()
            step = min(chunk, epochs - done)
            first_epoch = snapshot.epoch
            snapshot = session.step(step)
            done += snapshot.epoch - first_epoch
            if snapshot.state != "diverged" and time.perf_counter() - before < CHUNK_SECONDS:
                chunk *= 2
            if progress is None and show_progress and sys.stderr.isatty() and \
                    time.perf_counter() - start > PROGRESS_AFTER_SECONDS:
                progress = _ProgressLine(session.preset.name, epochs)
            if progress is not None:
                progress.show(done, snapshot.loss)
    finally:
        if progress is not None:
            progress.erase()
    seconds = time.perf_counter() - start
    return {
        "preset": session.preset.name,
        "epochs": done,
        "final_loss": snapshot.loss,
        "test_loss": snapshot.test_loss,
        "accuracy": snapshot.accuracy,
        "test_accuracy": snapshot.test_accuracy,
        "from_epoch": from_epoch,
        "to_epoch": snapshot.epoch,
        "seconds": seconds,
        "epochs_per_second": done / seconds if seconds > 0 else 0.0,
        "diverged": snapshot.state == "diverged",
        "target_epoch": snapshot.target_epoch,
    }


def explain_preset(number: str, preset: str | Path | Preset | None = None, epoch: int = 0, *,
                   epsilon: float = FINITE_DIFFERENCE_STEP) -> Worksheet:
    """Train ``preset`` (default: section ``number``'s) for ``epoch`` epochs from its own
    seed and settings, headless, and return the section's worksheet
    (``core.explain.notes.explain_snapshot``) for the trained network."""
    info = section(number)
    if not is_integer(epoch) or epoch < 0:
        raise ExplainError(f"epoch: expected an integer >= 0, got {epoch!r}")
    chosen = preset if isinstance(preset, Preset) else load_preset(preset or info.preset)
    with Session(chosen) as session:
        train_for(session, epoch)       # a progress line on a terminal past a second
        snapshot = session.snapshot()
        if snapshot.state == "diverged":
            raise ExplainError(f"{chosen.name}: training diverged by epoch {snapshot.epoch}; "
                               f"its numbers are not finite")
        return explain_snapshot(info.number, snapshot, session.preset, epsilon=epsilon)
