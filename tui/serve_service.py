"""One served tab's app (``tui.serve``): the command and environment it starts with, and
``TabService``, which starts it (forked by the warm process, ``tui.serve_spawn``, or afresh),
relays it and ends it with its folder."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from textual_serve.app_service import AppService

from .classroom.teacher import clean_name, student_name
from .serve_share import STUDENT_NICENESS
from .serve_spawn import Spawner
from .serve_status import NAME_VARIABLE, STATUS_VARIABLE
from .serve_tab import DRIVER as TAB_DRIVER
from .serve_tab import FOLDER_VARIABLE

QUIT_WAIT = 3.0        # seconds an app has to quit when asked, before it is terminated
TAB_FOLDER_PREFIX = "backprop-tui-tab-"
STATUS_FILE = ".backprop-tui-status"   # in a tab's folder: what it tells the teacher


def tab_environment() -> dict[str, str]:
    """The environment every tab's app starts with (its size and folder added): textual-serve's
    (Textual's web driver, truecolor), our driver (``tui.serve_tab``) and one thread for
    numpy's linear algebra (thirty apps share the cores)."""
    environment = dict(os.environ)
    environment.update(TEXTUAL_DRIVER=TAB_DRIVER, TEXTUAL_FPS="60",
                       TEXTUAL_COLOR_SYSTEM="truecolor", TERM_PROGRAM="textual",
                       TERM_PROGRAM_VERSION=version("textual-serve"),
                       OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return environment


def tab_argv(app_args: Sequence[str], files_root: Path | str) -> list[str]:
    """The arguments that start one tab's app: this Python, ``-m tui``, ``--files-root
    files_root`` and ``app_args``."""
    return [sys.executable, "-m", "tui", "--files-root", str(files_root), *app_args]


def tab_command(app_args: Sequence[str], files_root: Path | str) -> str:
    """``tab_argv`` as one shell-quoted line (what the server prints; a shell given it runs
    exactly ``tab_argv``)."""
    return shlex.join(tab_argv(app_args, files_root))


class TabService(AppService):
    """One browser tab's app process: started in its folder without a shell, asked to quit
    when the tab closes, terminated if it does not, and its folder removed if it was made
    for this tab."""

    def __init__(self, app_args: Sequence[str], files: Path | None,
                 spawner: Spawner | None = None, teacher: bool = False, number: int = 1,
                 name: str | None = None, **kwargs: Any) -> None:
        self.app_args = list(app_args)
        self.shared_files = files
        self.files_root: Path | None = None
        self.spawner = spawner
        self.teacher = teacher
        """Whether this is the teacher's tab (served first, at normal priority)."""
        self.number = number
        """The tab's number, in the order the tabs opened (from 1)."""
        self.name = student_name(name, number)
        """The student's name (``?name=`` in the page's address), else ``tab N`` (until the
        student types one in the tab: its status then says it)."""
        self.given_name = clean_name(name)
        """The name the tab was opened with; none: the tab asks for one."""
        self.status_file: Path | None = None
        """Where the tab's app writes its status for the teacher (in the tab's folder)."""
        self._stopping: asyncio.Task[None] | None = None
        super().__init__(tab_command(self.app_args, files or "NEW-FOLDER"), **kwargs)

    async def _open_app_process(self, width: int = 80, height: int = 24):
        """Make the tab's folder (unless shared) and start the app in it: forked by the
        warm process if it runs (``tui.serve_spawn``), else started afresh."""
        if self.shared_files is not None:
            self.files_root = self.shared_files
        else:
            self.files_root = Path(tempfile.mkdtemp(prefix=TAB_FOLDER_PREFIX))
        argv = tab_argv(self.app_args, self.files_root)
        self.command = shlex.join(argv)
        tab = {"COLUMNS": str(width), "ROWS": str(height)}
        if self.shared_files is None:
            tab[FOLDER_VARIABLE] = str(self.files_root)
            self.status_file = self.files_root / STATUS_FILE
        else:
            self.status_file = self.files_root / f"{STATUS_FILE}-{self.app_service_id}"
        tab[STATUS_VARIABLE] = str(self.status_file)
        tab[NAME_VARIABLE] = self.given_name
        niceness = 0 if self.teacher else STUDENT_NICENESS
        if self.spawner is not None and self.spawner.running:
            process = await self.spawner.spawn(argv[3:], cwd=str(self.files_root), env=tab,
                                               niceness=niceness)
        else:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={**tab_environment(), **tab},
                cwd=self.files_root,
                start_new_session=True,   # ctrl+c reaches the server, which ends each app
            )
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
        self._process = process
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output until it ends; then close the tab's websocket, so that the
        page says the session ended even when the app failed or quit by itself."""
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()

    @property
    def pid(self) -> int | None:
        """The app process's id, once started."""
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the app to quit, end it if it has not within ``QUIT_WAIT`` seconds, and remove
        the tab's own folder. Safe to call more than once, and at once from two places."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        """``stop``, once."""
        try:
            with contextlib.suppress(TimeoutError, OSError):
                await asyncio.wait_for(super().stop(), QUIT_WAIT)
            await self._end_process()
        finally:
            if self.shared_files is None and self.files_root is not None:
                shutil.rmtree(self.files_root, ignore_errors=True)
            elif self.status_file is not None:
                for path in (self.status_file, self.status_file.with_name(
                        self.status_file.name + ".new")):
                    with contextlib.suppress(OSError):
                        path.unlink()

    async def _end_process(self) -> None:
        """Wait for the app process; terminate it, then kill it, if it does not end."""
        process = self._process
        if process is None:
            return
        for end in (None, process.terminate, process.kill):
            if end is not None:
                with contextlib.suppress(ProcessLookupError):
                    end()
            try:
                await asyncio.wait_for(process.wait(), QUIT_WAIT)
                return
            except TimeoutError:
                continue
