"""The served tab's side of ``python -m tui --serve``: the driver a tab's app runs with, and
the guard that ends the app when its server is gone.

A tab's app talks to the server through its standard input and output (textual-serve's
packets). ``TabDriver`` is Textual's web driver, except that when its input closes (the
server ended, however it ended) the app quits, that keys typed ahead of a screen wait for
it (``tui.serve_keys``), and that the server's ``classroom`` packets pace its redraws
(``tui.serve_share``). ``ParentGuard`` makes sure of the end: on
Linux the kernel sends the app SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), and
everywhere a thread notices the parent gone or the input closed; then the tab's own folder
is removed, and the process ends within ``GRACE`` seconds even if the app does not quit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from textual import events, messages
from textual.drivers.web_driver import WebDriver

from .serve_keys import TypeAhead
from .serve_share import PACKET, apply_share, share_from_packet
from .serve_status import start_status

FOLDER_VARIABLE = "BACKPROP_TUI_TAB_FOLDER"
"""Names the tab's own folder, which goes with the tab's app (unset: a shared folder)."""
DRIVER = "tui.serve_tab:TabDriver"
"""``TEXTUAL_DRIVER`` for a tab's app."""
GRACE = 1.0        # seconds the app has to quit once its server is gone
LOOK = 0.1         # seconds between two looks at whether the parent is still there
PR_SET_PDEATHSIG = 1


class ParentGuard:
    """Ends this process when its parent (the server) is gone: the tab's own ``folder`` (if
    any) is removed at once and the process exits ``GRACE`` seconds later at the latest.
    ``orphaned`` says the parent is gone (the input closed); the guard's thread also
    notices it by itself."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.parent = os.getppid()
        self.gone = threading.Event()
        if folder is not None:
            atexit.register(self.remove_folder)
        signal_on_parent_death(signal.SIGTERM)
        threading.Thread(target=self._watch, name="parent-guard", daemon=True).start()

    def orphaned(self) -> None:
        """The parent is gone: remove the folder and end soon."""
        self.gone.set()

    def remove_folder(self) -> None:
        """Remove the tab's own folder, if it has one."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _watch(self) -> None:
        """Wait until the parent is gone; then remove the folder, give the app ``GRACE``
        seconds to quit, and end the process."""
        while not self.gone.wait(LOOK):
            if os.getppid() != self.parent:
                break
        self.remove_folder()
        os.kill(os.getpid(), signal.SIGTERM)      # the app quits on SIGTERM (its driver)
        threading.Event().wait(GRACE)
        self.remove_folder()
        os._exit(1)


def signal_on_parent_death(signal_number: int) -> None:
    """Ask Linux to send ``signal_number`` to this process when its parent dies (nothing
    elsewhere: the guard's thread notices it there)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0)


class TabDriver(WebDriver):
    """Textual's web driver for a served tab: the app quits when the server's pipe
    closes, and keys and pastes reach the app through ``TypeAhead``."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        folder = os.environ.get(FOLDER_VARIABLE)
        self.guard = ParentGuard(Path(folder) if folder else None)
        self.type_ahead = TypeAhead(app)
        self._loop: asyncio.AbstractEventLoop | None = None

    def start_application_mode(self) -> None:
        """Start as the web driver does, keeping the app's event loop for the keys, and
        write the tab's status for the teacher (``tui.serve_status``)."""
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()
        self._app.call_later(start_status, self._app)

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        """The web driver's packets, and the server's ``classroom`` packet: this tab's share
        of the machine (``tui.serve_share``)."""
        if packet_type != PACKET:
            super().on_meta(packet_type, payload)
            return
        share = share_from_packet(payload)
        if share is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(apply_share, self._app, share)

    def send_message(self, message: Any) -> None:
        """Keys and pastes go to ``TypeAhead`` on the app's loop; the rest straight to the
        app (this runs in the driver's input thread)."""
        if isinstance(message, events.Key | events.Paste) and self._loop is not None:
            self._loop.call_soon_threadsafe(self.type_ahead.add, message)
        else:
            super().send_message(message)

    def run_input_thread(self) -> None:
        """Read the server's packets; when they end without the app asking, the server is
        gone: quit."""
        super().run_input_thread()
        if not self.exit_event.is_set():
            self.guard.orphaned()
            self._app.post_message(messages.ExitApp())
