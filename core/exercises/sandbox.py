"""Running a learner's functions in a child process, and reading back what they returned.

The learner's file is imported only in a child (``python -I core/exercises/child.py``),
under a time limit (the parent kills the child's whole process group), a memory limit
(``RLIMIT_AS``, set in the child) and a CPU limit, with its output going to a file: what it
prints never reaches the terminal or the app's screen. The child is handed arrays as data
(``.npz`` and JSON) and hands back data, read with ``json`` and
``np.load(allow_pickle=False)``; nothing it writes is run or unpickled here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..text import clean

CHILD = Path(__file__).with_name("child.py")
TIME_LIMIT = 10.0
"""Seconds the child may run, import and every call together."""
MEMORY_LIMIT = 1 << 30
"""Bytes of address space the child may use (numpy itself takes about 100 MB)."""
MAX_RESULT_BYTES = 64 << 20
"""The largest file the child may write (its printed output included), and read back."""
POLL_SECONDS = 0.1
"""How often a running child is looked at (to stop it when the grade is cancelled)."""
PRINTED_LINES = 20
"""Lines of what the learner's code printed that a report keeps."""


@dataclass(frozen=True)
class ChildCall:
    """One call to make in the child: ``function(*args)``. Each argument is a float, an
    array or a list of arrays (``ChildCall.args`` holds them as numpy values)."""

    function: str
    args: tuple


@dataclass
class Outcome:
    """What one call did: ``status`` "ok" (``structure`` names the returned arrays, kept
    in ``arrays``), "not_started" (NotImplementedError), "missing" (no such function),
    "error" (``failure`` describes it), "bad_output" (``message`` says what), or
    "not_run" (the child stopped before it; ``failure`` says why, on the call it stopped
    in)."""

    status: str
    structure: object = None
    arrays: dict = field(default_factory=dict)
    failure: dict | None = None
    message: str = ""


@dataclass
class ChildRun:
    """A run of the child: one ``Outcome`` per call, a failure that stopped it all (an
    import that failed: ``import_failure``), and the start of what it printed."""

    outcomes: list[Outcome]
    import_failure: dict | None
    printed: str


def run_calls(path: Path, calls: list[ChildCall], time_limit: float = TIME_LIMIT,
              memory_limit: int = MEMORY_LIMIT,
              cancelled: Callable[[], bool] | None = None) -> ChildRun:
    """Import the learner's file at ``path`` in a child process and make ``calls``;
    ``cancelled`` is asked ten times a second, and once it answers True the child is
    stopped (what it did so far is read back)."""
    folder = Path(tempfile.mkdtemp(prefix="backprop-grade-"))
    try:
        plan_calls, inputs = _plan(calls)
        np.savez(folder / "inputs.npz", **inputs)
        plan = {"file": str(path), "memory_bytes": int(memory_limit),
                "file_bytes": MAX_RESULT_BYTES,
                "seconds": max(1, int(time_limit + 0.999)), "calls": plan_calls}
        (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        stopped = _run_child(folder, time_limit, cancelled)
        return _read(folder, len(calls), stopped, time_limit, memory_limit)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _plan(calls: list[ChildCall]) -> tuple[list[dict], dict]:
    """The calls as JSON (arguments by name) and the arrays they name."""
    inputs: dict[str, np.ndarray] = {}

    def named(value) -> str:
        key = f"a{len(inputs)}"
        inputs[key] = np.asarray(value, dtype=np.float64)
        return key

    plan = []
    for number, call in enumerate(calls):
        args = []
        for value in call.args:
            if isinstance(value, list):
                args.append({"list": [named(item) for item in value]})
            elif np.ndim(value) == 0:
                args.append({"float": named(value)})
            else:
                args.append({"array": named(value)})
        plan.append({"id": number, "function": call.function, "args": args})
    return plan, inputs


def _run_child(folder: Path, time_limit: float,
               cancelled: Callable[[], bool] | None) -> str | None:
    """Run the child on ``folder``; "time" if it was stopped at the time limit,
    "cancelled" if ``cancelled`` said so first."""
    environment = {key: value for key, value in os.environ.items()
                   if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    environment.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with open(folder / "printed.txt", "wb") as printed:
        child = subprocess.Popen(
            [sys.executable, "-I", str(CHILD), str(folder)], cwd=folder, env=environment,
            stdin=subprocess.DEVNULL, stdout=printed, stderr=printed, start_new_session=True)
        deadline = time.monotonic() + time_limit
        try:
            while child.poll() is None:
                if cancelled is not None and cancelled():
                    return "cancelled"
                if time.monotonic() >= deadline:
                    return "time"
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(timeout=min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        finally:
            _kill_group(child)
    return None


def _kill_group(child: subprocess.Popen) -> None:
    """End the child and anything it started (its own process group), and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _read(folder: Path, calls: int, stopped: str | None, time_limit: float,
          memory_limit: int) -> ChildRun:
    """The outcomes the child logged, with the call it was in when it stopped."""
    outcomes = [Outcome("not_run") for _ in range(calls)]
    import_failure, running, finished = None, None, False
    for event in _events(folder / "log.jsonl"):
        kind = event.get("event")
        number = event.get("call")
        if kind == "import_failed":
            import_failure = event
        elif kind == "finished":
            finished = True
        elif isinstance(number, int) and 0 <= number < calls:
            if kind == "start":
                running = number
            elif kind == "done":
                running = None
                outcomes[number] = _outcome(folder, number, event)
    if not finished and import_failure is None:
        why = _why_stopped(stopped, time_limit, memory_limit)
        if running is None and not any(o.status != "not_run" for o in outcomes):
            import_failure = why       # stopped while importing the file
        elif running is not None:
            outcomes[running] = Outcome("not_run", failure=why)
    return ChildRun(outcomes, import_failure, _printed(folder / "printed.txt"))


def _events(log: Path) -> list[dict]:
    """The child's log, one JSON object a line (a line cut short by a kill is skipped)."""
    if not log.is_file() or log.stat().st_size > MAX_RESULT_BYTES:
        return []
    events = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _outcome(folder: Path, number: int, event: dict) -> Outcome:
    """One call's logged end, with its arrays read back as data."""
    status = event.get("status")
    if status == "error":
        return Outcome("error", failure=event)
    if status in ("not_started", "missing"):
        return Outcome(status)
    if status == "bad_output":
        return Outcome("bad_output", message=clean(str(event.get("message", ""))))
    results = folder / f"c{number}.npz"
    try:
        if results.stat().st_size > MAX_RESULT_BYTES:
            return Outcome("bad_output", message="results too large")
        with np.load(results, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as error:
        return Outcome("bad_output", message=f"results unreadable ({error.__class__.__name__})")
    return Outcome("ok", structure=event.get("structure"), arrays=arrays)


def _why_stopped(stopped: str | None, time_limit: float, memory_limit: int) -> dict:
    """A failure record for a child that ended before it said it finished."""
    if stopped == "cancelled":
        return {"kind": "ended", "message": "stopped: the grade was cancelled"}
    if stopped == "time":
        return {"kind": "time", "message": f"stopped at the time limit of {time_limit:g} s "
                                           f"(an endless loop?)"}
    return {"kind": "ended", "message": "the process ended before it finished (os._exit, a "
                                        "signal, or more than the memory limit of "
                                        f"{memory_limit / (1 << 20):,.0f} MiB)"}


def _printed(path: Path) -> str:
    """The first ``PRINTED_LINES`` lines the learner's code printed, made safe to show."""
    try:
        with open(path, "rb") as file:
            head = file.read(8192)
    except OSError:
        return ""
    lines = clean(head.decode("utf-8", errors="replace"), lines=True).splitlines()
    return "\n".join(line.replace("\t", "    ")[:160] for line in lines[:PRINTED_LINES])
