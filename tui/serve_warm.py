"""``python -m tui.serve_warm FD``: the warm process that forks served tabs' apps.

It loads the app's modules once (``WARM_MODULES``), then waits on the socket ``FD``; for
each tab the server (``tui.serve_spawn.Spawner``) sends the tab's arguments, folder,
environment and priority with the three pipe ends the app is to use as its standard input,
output and error, and it forks: the child takes the pipes, its own session, folder and
priority, runs ``python -m tui``'s ``main`` with the arguments and removes the tab's own
folder when it ends. The warm process answers each request with the app's process id,
tells the server when an app ended (it is its parent), and ends with the server
(``PR_SET_PDEATHSIG`` on Linux, and the socket closing everywhere).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from .serve_spawn import MAX_REQUEST
from .serve_tab import FOLDER_VARIABLE, signal_on_parent_death

WARM_MODULES = (
    "numpy", "textual.app", "textual.drivers.web_driver", "tui.__main__", "tui.app",
    "tui.serve_tab", "tui.screens.training", "tui.screens.lesson", "tui.math.desk",
    "tui.widgets.loss_plot", "tui.widgets.gradients", "tui.widgets.output_view",
    "tui.file_flows", "core.session", "core.explain.notes", "tui.screens.name_prompt",
)
"""What the warm process loads before it forks any app (what every tab's start loads)."""
REAP_EVERY = 0.1     # seconds between two looks for ended apps


def main(argv: Sequence[str]) -> int:
    """``python -m tui.serve_warm FD``: load the app, then fork a tab's app for each
    request on the socket ``FD`` until it closes."""
    signal_on_parent_death(signal.SIGKILL)
    control = socket.socket(fileno=int(argv[0]))
    for name in WARM_MODULES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()          # the forks share what was loaded: collections skip it
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    while True:
        for _ in selector.select(REAP_EVERY):
            message, fds, _flags, _address = socket.recv_fds(control, MAX_REQUEST, 3)
            if not message:
                return 0
            pid = _fork_app(json.loads(message), fds, control)
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"started": pid}).encode() + b"\n")
        for pid, code in _reap():
            control.sendall(json.dumps({"ended": pid, "code": code}).encode() + b"\n")


def _reap() -> list[tuple[int, int]]:
    """The apps that ended since the last look, with their exit codes."""
    ended = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.append((pid, os.waitstatus_to_exitcode(status)))


def _fork_app(request: dict[str, Any], fds: list[int], control: socket.socket) -> int:
    """Fork, and in the child run the app ``request`` asks for on the pipes ``fds``; the
    child's process id."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        control.close()
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.update(request["env"])
        if request["niceness"]:
            os.nice(request["niceness"])
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.argv = ["tui", *request["argv"]]
        code = importlib.import_module("tui.__main__").main(request["argv"])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        folder = request.get("env", {}).get(FOLDER_VARIABLE)
        if folder:                  # the tab's own folder goes with its app
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
