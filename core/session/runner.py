"""The session's lock, its training thread and its snapshots.

Commands may come from any thread: each takes the lock, which training hands over between
two batches whenever a command is waiting, so every command acts before the next batch
starts. A ``Runner`` trains its ``Trainer`` in the calling thread (a step) or in a thread of
its own (a run), and hands ``Snapshot``s to subscribers through its ``Notifier``: the lock is
held only while a snapshot's copies are taken, not while it is built.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .notifier import Notifier
from .pace import Clock, Pacer, watchable
from .snapshot import PendingSnapshot, Snapshot
from .trainer import Trainer
from .undo import remember

RATE_MARKS = 11          # epochs/s is measured over the last ~1 s, one mark per 0.1 s
RATE_MARK_INTERVAL = 0.1


class SessionError(RuntimeError):
    """A command that the session cannot carry out because it is closed."""


class Runner:
    """The lock, the training mode ("idle", "run" or "step") and the training thread of one
    trainer, and the snapshots of it. Every method but ``command`` and ``close`` is called
    inside ``command()``."""

    def __init__(self, trainer: Trainer, clock: Clock | None = None) -> None:
        self.trainer = trainer
        self.pacer = Pacer(clock or Clock())   # the pace a free run keeps
        self.stop_at_target = False             # a run pauses where the target is reached
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._waiting = threading.Lock()    # guards _waiters
        self._waiters = 0                   # commands waiting for the lock
        self._worker: threading.Thread | None = None
        self.closed = False
        self._mode = "idle"                 # "idle", "run" (worker trains) or "step"
        self._run_until: int | None = None  # the epoch a run stops at (None: runs on)
        self._batches_left: int | None = None   # the batches a run has left (None: not counted)
        self._captures = 0                  # snapshots captured so far (their sequence)
        self._generation = 0                # changes with the mode: ends a step loop
        self._version = 0                   # changes with every command and mode
        self._cached: tuple[tuple[int, int], PendingSnapshot] | None = None
        self._rate_marks: deque[tuple[float, float]] = deque(maxlen=RATE_MARKS)
        self.notifier = Notifier(lambda: self.command(changes=False), self.capture,
                                 lambda: self.running)

    @property
    def running(self) -> bool:
        """True while training: under a run or inside a step."""
        return self._mode != "idle"

    @contextmanager
    def command(self, changes: bool = True) -> Iterator[None]:
        """Hold the lock as a command: training hands it over before its next batch. A
        command that ``changes`` the session needs it open and is announced to the
        subscribers."""
        with self._waiting:
            self._waiters += 1
        self._lock.acquire()
        with self._waiting:
            self._waiters -= 1
        try:
            if changes:
                if self.closed:
                    raise SessionError("session is closed")
                self._version += 1
            yield
            if changes:
                self.notifier.publish()
        finally:
            self._cond.notify_all()
            self._lock.release()

    def run(self, epochs: int | None, batches: int | None = None, add: bool = False) -> None:
        """Train in the runner's own thread: on, or until ``epochs`` more epochs (or
        ``batches`` more batches) are done; with ``add``, a run counting the same goes on
        that many further."""
        adding = add and self._mode == "run"
        if epochs is not None and adding and self._run_until is not None:
            self._run_until += epochs
        else:
            self._run_until = None if epochs is None else self.trainer.epoch + epochs
        if batches is not None and adding and self._batches_left is not None:
            self._batches_left += batches
        else:
            self._batches_left = batches
        if self._mode == "run":
            return
        self.set_mode("run")
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="session-training",
                                            daemon=True)
            self._worker.start()

    def step(self, epochs: int) -> None:
        """Train ``epochs`` more epochs in the calling thread, unless paused meanwhile."""
        generation = self.set_mode("step")
        trainer = self.trainer
        target = trainer.epoch + epochs
        try:
            self._train_while(lambda: self._generation == generation and trainer.epoch < target)
        finally:
            if self._generation == generation:
                self.set_mode("idle")
        self.trainer.check_cost()
        self.stop_if_diverged()

    def pause(self) -> None:
        """Stop training before its next batch."""
        if self._mode != "idle":
            self.set_mode("idle")

    def set_mode(self, mode: str) -> int:
        """Switch between idle, run and step; returns the new generation."""
        self._mode = mode
        self._generation += 1
        self.pacer.restart()
        self._version += 1
        if mode != "idle":
            self.trainer.message = ""
            self._rate_marks.clear()
            self._rate_marks.append((time.perf_counter(), self.trainer.progress()))
        self.notifier.wake()
        return self._generation

    def check_finite(self) -> None:
        """Treat parameters that are no longer finite as a divergence."""
        self.trainer.check_finite()
        self.stop_if_diverged()

    def stop_if_diverged(self) -> None:
        """Stop training if the trainer diverged, and tell the subscribers."""
        if self.trainer.diverged:
            self.set_mode("idle")
            self.notifier.publish()

    def close(self) -> None:
        """Stop training and the threads and wait for them; idempotent."""
        with self.command(changes=False):
            if self.closed:
                return
            self.closed = True
            self.set_mode("idle")
            threads = [t for t in (self._worker, self.notifier.close()) if t is not None]
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join()

    def _work(self) -> None:
        """The training thread: trains while the mode is "run" (up to the epoch a run stops
        at), sleeps otherwise. Should it fail, the session pauses and the next ``run()``
        starts a new thread."""
        trainer = self.trainer
        with self._lock:
            try:
                while True:
                    self._train_while(lambda: self._mode == "run" and (
                        self._run_until is None or trainer.epoch < self._run_until) and (
                        self._batches_left is None or self._batches_left > 0))
                    if self._mode == "run":      # the epochs or batches asked for are done
                        self.set_mode("idle")
                        self.trainer.check_cost()
                        self.notifier.publish()
                    if self.closed:
                        return
                    self._cond.wait()
            finally:
                self._worker = None
                if self._mode == "run":
                    self.set_mode("idle")
                    self.notifier.publish()

    def _train_while(self, keep_going: Callable[[], bool]) -> None:
        """Train batch after batch while ``keep_going()``, letting waiting commands in
        between two batches; a divergence stops training."""
        trainer, first = self.trainer, True
        while keep_going():
            if self._waiters:
                self._cond.wait()
                continue
            counting = self._mode == "run" and self._batches_left is not None
            paced = self._mode == "run" and self._run_until is None and not counting
            if paced and trainer.batch == 0 and not self.pacer.wait_for_turn(self._cond):
                continue
            if first or trainer.batch == 0 or counting:
                remember(trainer)
                first = False
            reached = trainer.target_epoch
            trainer.train_batch()
            if counting:
                self._batches_left -= 1
            if trainer.diverged:
                self.stop_if_diverged()
                return
            self._mark_rate()
            if self.stop_at_target and reached is None and trainer.target_epoch is not None \
                    and self._mode == "run":
                self.set_mode("idle")
                self.notifier.publish()
                return
            if paced and trainer.batch == 0 and watchable(self.pacer.pace):
                self.notifier.publish_epoch()     # at a watchable pace every epoch is shown

    def _mark_rate(self) -> None:
        """At an epoch's end, now and then: a point to measure epochs/s from."""
        trainer = self.trainer
        if trainer.batch == 0 and self._rate_marks:
            now = time.perf_counter()
            if now - self._rate_marks[-1][0] >= RATE_MARK_INTERVAL:
                self._rate_marks.append((now, float(trainer.epoch)))

    def capture(self) -> PendingSnapshot:
        """The snapshot of the session now, as cheap copies to build it from once the lock is
        free (``PendingSnapshot.snapshot()``); taken at most once per change."""
        key = (self._version, self.trainer.changes)
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1]
        trainer = self.trainer
        state = "diverged" if trainer.diverged else "paused"
        if self._mode != "idle":
            state = "running"
        rate = 0.0
        if self._mode != "idle" and self._rate_marks:
            then, progress = self._rate_marks[0]
            elapsed = time.perf_counter() - then
            rate = (trainer.progress() - progress) / elapsed if elapsed > 0 else 0.0
        counted = self._mode == "step" or (self._mode == "run" and (
            self._run_until is not None or self._batches_left is not None))
        self._captures += 1
        pending = PendingSnapshot(trainer, state, rate, self.pacer.pace, counted,
                                  self._captures)
        self._cached = (key, pending)
        return pending

    def snapshot(self) -> Snapshot:
        """The snapshot of the session now, built at most once per change (here, with the
        lock held)."""
        return self.capture().snapshot()

    def snapshot_unlocked(self) -> Snapshot:
        """The snapshot of the session now, called outside ``command()``: its copies taken
        under the lock, built once the lock is free."""
        with self.command(changes=False):
            pending = self.capture()
        return pending.snapshot()
