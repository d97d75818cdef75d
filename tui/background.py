"""Computations that must not hold up quitting.

The engine's longer computations (a gradient check of a large network takes minutes) cannot
be interrupted, and Python waits for Textual's thread workers before it exits. So a worker
hands such a computation to a daemon thread and waits for it only while the app still
wants the answer; a daemon thread left running ends with the program.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")

POLL_SECONDS = 0.05


class Abandoned(Exception):
    """The answer is no longer wanted; the computation goes on alone and is ignored."""


def unless_stopped(compute: Callable[[], Result], stop: Callable[[], bool]) -> Result:
    """What ``compute()`` returns (or raises), computed in a daemon thread; raises
    ``Abandoned`` as soon as ``stop()`` is true while it is still running."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = compute()
        except BaseException as error:         # handed to the waiting thread below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="math-view", daemon=True)
    thread.start()
    while thread.is_alive():
        if stop():
            raise Abandoned
        thread.join(POLL_SECONDS)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
