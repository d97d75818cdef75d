"""The session's notifier: a thread that hands snapshots to subscribers.

Each subscriber gets a snapshot after every command (commands in a burst may share one) and,
while training, at most ``max_rate`` a second; at a watchable pace after every epoch, or at
most ``watchable_rate`` a second where the subscriber gives one. A snapshot is built only
when one is due, so training speed does not depend on the subscribers; it is built from
copies taken under the session's lock after the lock is released, so training goes on
meanwhile.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from ..checks import is_number
from .snapshot import PendingSnapshot, Snapshot


@dataclass(eq=False)
class _Subscriber:
    """A callback, the least time between two of its snapshots while training (and between
    two at a watchable pace), and whether a command happened since its last snapshot."""

    callback: Callable[[Snapshot], object]
    interval: float
    epoch_interval: float = 0.0
    due: float = 0.0
    epoch_due: float = 0.0
    pending: bool = True


class Notifier:
    """Subscribers and the thread that calls them.

    ``locked()`` holds the session's lock; with it held, ``capture()`` copies the picture of
    the session now (built later, with the lock free) and ``training()`` says whether it
    trains. ``publish`` and ``subscribe`` are called with the lock held.
    """

    def __init__(self, locked: Callable[[], AbstractContextManager],
                 capture: Callable[[], PendingSnapshot],
                 training: Callable[[], bool]) -> None:
        self._locked, self._capture, self._training = locked, capture, training
        self._subscribers: list[_Subscriber] = []
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    def subscribe(self, callback: Callable[[Snapshot], object], max_rate: float,
                  watchable_rate: float | None = None) -> Callable[[], None]:
        """Add ``callback`` (see ``Session.subscribe``); returns the function that removes it."""
        for name, rate in (("max_rate", max_rate), ("watchable_rate", watchable_rate)):
            if rate is not None and (not is_number(rate) or not math.isfinite(rate)
                                     or rate <= 0):
                raise ValueError(f"{name}: expected a finite number > 0, got {rate!r}")
        subscriber = _Subscriber(callback, 1.0 / max_rate,
                                 0.0 if watchable_rate is None else 1.0 / watchable_rate)
        self._subscribers.append(subscriber)
        if self._thread is None:
            self._thread = threading.Thread(target=self._notify, name="session-notifier",
                                            daemon=True)
            self._thread.start()
        self._wake.set()

        def unsubscribe() -> None:
            with self._locked():
                self._remove(subscriber)
        return unsubscribe

    def publish(self) -> None:
        """Owe every subscriber a snapshot, and wake the thread."""
        for subscriber in self._subscribers:
            subscriber.pending = True
        self._wake.set()

    def publish_epoch(self) -> None:
        """An epoch ended at a watchable pace: owe a snapshot to every subscriber that takes
        one now, and wake the thread."""
        now = time.monotonic()
        for subscriber in self._subscribers:
            if now >= subscriber.epoch_due:
                subscriber.pending = True
        self._wake.set()

    def wake(self) -> None:
        """Let the thread look again (training started or stopped)."""
        self._wake.set()

    def close(self) -> threading.Thread | None:
        """Stop the thread; returns it, for the caller to join outside the lock."""
        self._closed = True
        self._wake.set()
        return self._thread

    def _remove(self, subscriber: _Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def _notify(self) -> None:
        """The thread: hands snapshots to the subscribers that are due."""
        timeout = None
        while True:
            self._wake.wait(timeout)
            self._wake.clear()
            with self._locked():
                if self._closed:
                    return
                now = time.monotonic()
                training = self._training()
                due = [s for s in self._subscribers if s.pending or (training and now >= s.due)]
                for subscriber in due:
                    subscriber.pending, subscriber.due = False, now + subscriber.interval
                    subscriber.epoch_due = now + subscriber.epoch_interval
                timeout = None
                if training and self._subscribers:
                    timeout = max(0.0, min(s.due for s in self._subscribers) - now)
                pending = self._capture() if due else None
            snapshot = pending.snapshot() if pending is not None else None
            for subscriber in due:
                try:
                    subscriber.callback(snapshot)
                except Exception as error:  # a broken subscriber is dropped, the others go on
                    print(f"error: a snapshot subscriber failed and was dropped "
                          f"({type(error).__name__}: {error})", file=sys.stderr)
                    with self._locked():
                        self._remove(subscriber)
