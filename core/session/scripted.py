"""Training a session for a number of epochs from a script, with a progress bar on stderr."""

from __future__ import annotations

import sys
import time

from .session import Session

PROGRESS_AFTER_SECONDS = 1.0
CHUNK_SECONDS = 0.05


def train_for(session: Session, epochs: int, show_progress: bool = True) -> dict:
    """Train ``epochs`` more epochs (stopping early on divergence) and report the result.

    The report has the keys of ``python -m core train --json``: preset, epochs (trained in
    this call), final_loss, test_loss, accuracy, seconds, epochs_per_second, diverged. A
    progress bar appears on stderr once the run has taken longer than a second.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    start = time.perf_counter()
    done, chunk = 0, 1
    progress = None
    snapshot = session.snapshot()
    try:
        while done < epochs and snapshot.state != "diverged":
            before = time.perf_counter()
            step = min(chunk, epochs - done)
            first_epoch = snapshot.epoch
            snapshot = session.step(step)
            done += snapshot.epoch - first_epoch
            if snapshot.state != "diverged" and time.perf_counter() - before < CHUNK_SECONDS:
                chunk *= 2
            if progress is None and show_progress and \
                    time.perf_counter() - start > PROGRESS_AFTER_SECONDS:
                progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                    TextColumn("{task.completed}/{task.total} epochs"),
                                    TextColumn("loss {task.fields[loss]}"),
                                    TimeRemainingColumn(), transient=True,
                                    console=_stderr_console())
                progress.start()
                task = progress.add_task(session.preset.name, total=epochs, loss="")
            if progress is not None:
                progress.update(task, completed=done, loss=f"{snapshot.loss:.4g}")
    finally:
        if progress is not None:
            progress.stop()
    seconds = time.perf_counter() - start
    return {
        "preset": session.preset.name,
        "epochs": done,
        "final_loss": snapshot.loss,
        "test_loss": snapshot.test_loss,
        "accuracy": snapshot.accuracy,
        "seconds": seconds,
        "epochs_per_second": done / seconds if seconds > 0 else 0.0,
        "diverged": snapshot.state == "diverged",
    }


def _stderr_console():
    from rich.console import Console

    return Console(file=sys.stderr)
