"""``python -m tui.bench``: what the app costs training, and how fast it opens.

- Training speed on ``spiral`` with the app open and running (under ``App.run_test`` at
  120x40), as a ratio of the speed the same session reaches headless, alternating the two.
- How long a key (``+``) takes to act while training runs (it should stay well under a
  quarter of a second).
- The time from starting ``python -m tui`` in a pseudo-terminal to its first frame (the
  status bar's ``epoch 0`` on screen).
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


def headless_speed(preset: str, seconds: float) -> float:
    """Epochs per second of ``Session.run()`` with nobody watching."""
    with Session(preset) as session:
        session.run()
        time.sleep(0.3)
        first, start = session.epoch, time.perf_counter()
        time.sleep(seconds)
        return (session.epoch - first) / (time.perf_counter() - start)


async def app_speed(preset: str, seconds: float) -> float:
    """Epochs per second while the app shows the session running at 120x40."""
    app = BackpropApp(Session(preset))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.training_screen
        screen.action_run_pause()
        await asyncio.sleep(0.3)
        first, start = app.session.epoch, time.perf_counter()
        await asyncio.sleep(seconds)
        speed = (app.session.epoch - first) / (time.perf_counter() - start)
        screen.action_run_pause()
    app.close_session()
    return speed


async def key_latency(preset: str, presses: int = 5) -> list[float]:
    """Seconds from a ``+`` key to the new learning rate, each while training runs."""
    app = BackpropApp(Session(preset, learning_rate=0.0001))
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.training_screen
        screen.action_run_pause()
        await asyncio.sleep(0.3)
        for _ in range(presses):
            before, sent = screen.learning_rate, time.perf_counter()
            app.post_message(events.Key("plus", "+"))
            while screen.learning_rate != notch_up(before) and time.perf_counter() - sent < 2:
                await asyncio.sleep(0.002)
            latencies.append(time.perf_counter() - sent)
            await asyncio.sleep(0.1)
        screen.action_run_pause()
    app.close_session()
    return latencies


def first_frame_seconds(timeout: float = 10.0) -> float:
    """Seconds from starting ``python -m tui`` in a 120x40 pseudo-terminal to its first frame."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    env = dict(os.environ, COLUMNS="120", LINES="40", TERM="xterm-256color")
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tui"], stdin=follower, stdout=follower,
                               stderr=follower, env=env, close_fds=True)
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
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        os.close(leader)


def main(argv: list[str] | None = None) -> int:
    """Print the app/headless speed ratio (median of ``--rounds``), a key's latency while
    running and the first-frame time."""
    parser = argparse.ArgumentParser(prog="python -m tui.bench")
    parser.add_argument("--preset", default="spiral")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    ratios = []
    for _ in range(args.rounds):
        before = headless_speed(args.preset, args.seconds)
        shown = asyncio.run(app_speed(args.preset, args.seconds))
        after = headless_speed(args.preset, args.seconds)
        ratios.append(shown / ((before + after) / 2))
        print(f"headless {before:.0f} / {after:.0f} epochs/s, app {shown:.0f} epochs/s: "
              f"ratio {ratios[-1]:.2f}", flush=True)
    print(f"{args.preset}: app / headless, median of {args.rounds}: "
          f"{statistics.median(ratios):.2f}")
    keys = asyncio.run(key_latency(args.preset))
    print(f"a key while running: median {1000 * statistics.median(keys):.0f} ms, "
          f"worst {1000 * max(keys):.0f} ms (should stay under 250 ms)")
    frames = sorted(first_frame_seconds() for _ in range(3))
    print(f"first frame of python -m tui: median {frames[1]:.2f} s "
          f"(of {', '.join(f'{t:.2f}' for t in frames)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
