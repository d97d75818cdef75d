"""``python -m tui.bench``: what the app costs training, and how fast it opens.

- Per preset (``spiral``, ``digits``, ``xor`` unless ``--preset`` names others): training
  speed with the app open and running (under ``App.run_test`` at 120x40) as a ratio of the
  speed a session of the preset reaches with nothing drawn, alternating the two every
  second (a machine's speed drifts over seconds; fine alternation cancels the drift), and
  the share of wall time the app's main thread was busy (its CPU time) while the app showed
  training. Each second is measured from the command that starts it, so whatever the app
  does when training resumes is counted.
- The same measurement of two headless sessions against each other: the noise of the ratio
  on this machine now (1.00 with no noise).
- ``--load`` keeps one core busy with another process throughout, as on a shared machine.
- How long a key (``+``) takes to act while training runs (it should stay well under a
  quarter of a second).
- The time from starting ``python -m tui`` (lesson 1.0) and ``python -m tui xor`` (the
  training screen) in a pseudo-terminal to the first frame (the status bar's ``epoch 0`` on
  screen), next to a bare Textual app's, as every start after the first one: Python's byte
  code cached (a start that is not measured writes it, even where
  ``PYTHONDONTWRITEBYTECODE`` is set).
- ``--classroom N`` (repeatable) measures served tabs instead (``tui.classroom.bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import statistics
import subprocess
import sys
import time

from textual import events

from core.session import Session

from .app import BackpropApp
from .controls import notch_up

FIRST_FRAMES = 7    # starts of each kind, interleaved
WARM_UP = 2.0    # seconds the app trains before measuring (its first frames, its budget)
PAIRS = 8        # app-then-headless alternations in a round


async def training_speed(session: Session, seconds: float) -> tuple[float, float]:
    """Epochs per second of ``session`` (training already) over the next ``seconds``, and
    the share of that time the main thread (the app's event loop) was busy."""
    first, start, cpu = session.epoch, time.perf_counter(), time.thread_time()
    await asyncio.sleep(seconds)
    wall = time.perf_counter() - start
    return (session.epoch - first) / wall, (time.thread_time() - cpu) / wall


async def app_and_headless(preset: str, seconds: float,
                           pairs: int) -> tuple[float, float, float]:
    """The app/headless speed ratio, the main thread's busy share while the app shows
    training and the panels' redraw interval the drawing budget chose, from ``pairs``
    alternations ``seconds`` long (so a machine whose speed changes affects both alike): the
    app running at 120x40, then a second session of the preset training in the same process
    with nothing drawn, the app paused meanwhile."""
    app = BackpropApp(Session(preset))
    shown = unseen = busy = 0.0
    with Session(preset) as headless:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.action_run_pause()
            await asyncio.sleep(WARM_UP)
            for _ in range(pairs):
                speed, share = await training_speed(app.session, seconds)
                shown, busy = shown + speed, busy + share
                app.action_run_pause()
                headless.run()
                speed, _ = await training_speed(headless, seconds)
                unseen += speed
                headless.pause()
                app.action_run_pause()
            app.action_run_pause()
            interval = app.controller.budget.interval
    app.close_session()
    return shown / unseen, busy / pairs, interval


async def headless_and_headless(preset: str, seconds: float, pairs: int) -> float:
    """The ratio of two headless sessions of ``preset`` measured like ``app_and_headless``:
    how far from 1 the measurement strays by itself."""
    with Session(preset) as first, Session(preset) as second:
        speeds = [0.0, 0.0]
        for _ in range(pairs):
            for index, session in enumerate((first, second)):
                session.run()
                speeds[index] += (await training_speed(session, seconds))[0]
                session.pause()
    return speeds[0] / speeds[1]


def burn_a_core() -> subprocess.Popen:
    """Another process that keeps one core busy until it is killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def describe(ratio: float, busy: float, interval: float, same: float) -> str:
    """One measurement in words."""
    return (f"app / headless {ratio:.2f}, main thread busy {100 * busy:.0f}%, panels every "
            f"{interval:.1f} s; headless / headless {same:.2f}")


def compare(preset: str, seconds: float, rounds: int) -> list[float]:
    """The medians over ``rounds`` rounds of the app/headless ratio, the main thread's busy
    share, the panels' redraw interval and the headless/headless ratio."""
    measured = []
    for _ in range(rounds):
        ratio, busy, interval = asyncio.run(app_and_headless(preset, seconds, PAIRS))
        same = asyncio.run(headless_and_headless(preset, seconds, PAIRS))
        measured.append((ratio, busy, interval, same))
        print(f"  {preset}: {describe(*measured[-1])}", flush=True)
    return [statistics.median(column) for column in zip(*measured)]


async def key_latency(preset: str, presses: int = 5) -> list[float]:
    """Seconds from a ``+`` key to the new learning rate, each while training runs."""
    app = BackpropApp(Session(preset, learning_rate=0.0001))
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.training_screen
        app.action_run_pause()
        await asyncio.sleep(0.3)
        for _ in range(presses):
            before, sent = screen.snapshot.learning_rate, time.perf_counter()
            app.post_message(events.Key("plus", "+"))
            while (screen.snapshot.learning_rate != notch_up(before)
                   and time.perf_counter() - sent < 2):
                await asyncio.sleep(0.002)
            latencies.append(time.perf_counter() - sent)
            await asyncio.sleep(0.1)
        app.action_run_pause()
    app.close_session()
    return latencies


BARE_APP = """
import numpy
from textual.app import App
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit")]

    def compose(self):
        yield Static("epoch 0")


Bare().run()
"""
"""The baseline of the first frame: a Textual app that imports numpy and shows one line."""


def first_frame_seconds(command: list[str] | None = None, timeout: float = 10.0) -> float:
    """Seconds from starting ``command`` (``python -m tui``) in a 120x40 pseudo-terminal to
    its first frame."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    env = dict(os.environ, COLUMNS="120", LINES="40", TERM="xterm-256color")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(command or [sys.executable, "-m", "tui"], stdin=follower,
                               stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
                if b"epoch" in seen:
                    return time.perf_counter() - start
        raise RuntimeError("no frame within the timeout")
    finally:
        os.write(leader, b"q")
        quit_by = time.perf_counter() + 3
        while process.poll() is None and time.perf_counter() < quit_by:
            if select.select([leader], [], [], 0.05)[0]:    # keep reading: a full pty blocks it
                try:
                    os.read(leader, 65536)
                except OSError:
                    break
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(leader)


def spread(seconds: list[float]) -> str:
    """``median s (lowest-highest)``: the first frames vary a lot from one start to the next."""
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"


def main(argv: list[str] | None = None) -> int:
    """Print, per preset, the app/headless speed ratio and the main thread's busy share
    (medians of ``--rounds``), then a key's latency while running and the first-frame time."""
    parser = argparse.ArgumentParser(prog="python -m tui.bench")
    parser.add_argument("--preset", action="append", help="(repeatable) default: "
                        "spiral, digits and xor")
    parser.add_argument("--seconds", type=float, default=1.0,
                        help=f"seconds of each measurement (app, then headless; {PAIRS} "
                             "of each a round)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--load", action="store_true",
                        help="keep one core busy with another process meanwhile")
    parser.add_argument("--classroom", type=int, action="append", metavar="N",
                        help="(repeatable) instead: N students in served tabs at once "
                             "(tui.classroom.bench), each running the first --preset "
                             "(default xor) at --pace")
    parser.add_argument("--pace", default="50",
                        help="with --classroom: the tabs' pace (default 50; max: full speed)")
    args = parser.parse_args(argv)
    if args.classroom:
        from .classroom.bench import main as classroom_bench

        return classroom_bench(args.classroom,
                               [(args.preset or ["xor"])[0], "--pace", args.pace])
    presets = args.preset or ["spiral", "digits", "xor"]
    burner = burn_a_core() if args.load else None
    try:
        results = {preset: compare(preset, args.seconds, args.rounds) for preset in presets}
        for preset, medians in results.items():
            print(f"{preset}: {describe(*medians)} "
                  f"(medians of {args.rounds}{', one core loaded' if burner else ''})")
        keys = asyncio.run(key_latency(presets[0]))
        print(f"a key while running: median {1000 * statistics.median(keys):.0f} ms, "
              f"worst {1000 * max(keys):.0f} ms (should stay under 250 ms)")
        first_frame_seconds()          # writes the byte code; not measured
        starts = {"python -m tui (lesson 1.0)": [sys.executable, "-m", "tui"],
                  "python -m tui xor": [sys.executable, "-m", "tui", "xor"],
                  "a bare Textual app": [sys.executable, "-c", BARE_APP]}
        times = {name: [] for name in starts}
        for _ in range(FIRST_FRAMES):
            for name, command in starts.items():
                times[name].append(first_frame_seconds(command))
        bare = times.pop("a bare Textual app")
        print(f"first frame (byte code cached), median of {FIRST_FRAMES} (range): a bare "
              f"Textual app {spread(bare)}; " + "; ".join(
                  f"{name} {spread(seconds)}, ratio "
                  f"{statistics.median(t / b for t, b in zip(seconds, bare)):.2f}"
                  for name, seconds in times.items()))
    finally:
        if burner is not None:
            burner.kill()
            burner.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
