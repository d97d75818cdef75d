"""Several files written into one folder whole or not at all.

``write_together`` stages every file in a hidden temporary folder inside the target folder
(so on its file system, and nothing is written outside it: a served app's folder may be
the target), and moves them in only once all are written; if a move fails, the files
already moved are taken back out and the old ones put back. The folder so holds either all
the old files or all the new ones, and nothing half-written is left in it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .files import NotRegularFile, check_replaceable


class NotWritten(OSError):
    """A file of the set could not be written; the message names it and says why, and that
    nothing was written."""


def write_together(directory: Path | str, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name: content) into the folder ``directory``, creating it if missing,
    and return their paths. Existing files of those names are replaced; other files are left
    alone. Raises ``NotWritten`` naming the file at fault when one cannot be written or a
    folder, named pipe or device holds its name; the folder is then as it was."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise NotWritten(f"{directory}: not a folder; nothing written")
    targets = [directory / name for name in files]
    for target in targets:
        try:
            check_replaceable(target)
        except IsADirectoryError:
            raise NotWritten(f"{target}: a folder has this name; nothing written") from None
        except NotRegularFile as error:
            raise NotWritten(f"{target}: {error.strerror}; nothing written") from None
        except OSError as error:
            raise NotWritten(f"{target}: cannot write: {error.strerror or error}; "
                             f"nothing written") from None
    created = _create(directory)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".writing-", suffix=".tmp", dir=directory))
    except OSError as error:
        _remove(created)
        raise NotWritten(f"{directory}: cannot write in it: "
                         f"{error.strerror or error}; nothing written") from None
    try:
        try:
            for target, content in zip(targets, files.values()):
                _stage(staging / target.name, content, target)
            _move_in(staging, targets)
        finally:
            _tidy(staging)
    except NotWritten:
        _remove(created)
        raise
    return targets


def _create(directory: Path) -> list[Path]:
    """Make ``directory`` and its missing parents (``NotWritten`` if it cannot be made);
    returns the folders made, the deepest first."""
    missing = [folder for folder in (directory, *directory.parents) if not folder.exists()]
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise NotWritten(f"{directory}: cannot create the folder: "
                         f"{error.strerror or error}") from None
    return missing


def _remove(created: list[Path]) -> None:
    """Remove the folders this write made (empty again), the deepest first."""
    for folder in created:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _stage(path: Path, content: bytes, target: Path) -> None:
    """Write ``content`` to the new file ``path`` and flush it to disk."""
    try:
        with open(path, "xb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        raise NotWritten(f"{target}: cannot write: {error.strerror or error}; "
                         f"nothing written") from None


def _move_in(staging: Path, targets: list[Path]) -> None:
    """Move the staged files over ``targets``; the old files wait in ``staging/old`` until
    all the new ones are in (then they are removed), and go back if a move fails."""
    old = staging / "old"
    old.mkdir()
    kept: list[Path] = []
    moved: list[Path] = []
    target = targets[0]
    try:
        for target in targets:
            if os.path.lexists(target):
                os.replace(target, old / target.name)
                kept.append(target)
        for target in targets:
            os.replace(staging / target.name, target)
            moved.append(target)
    except OSError as error:
        for new in moved:
            with contextlib.suppress(OSError):
                new.unlink()
        for back in kept:
            with contextlib.suppress(OSError):
                os.replace(old / back.name, back)
        raise NotWritten(f"{target}: cannot write: {error.strerror or error}; "
                         f"nothing written") from None
    shutil.rmtree(old, ignore_errors=True)


def _tidy(staging: Path) -> None:
    """Remove the staging folder, unless an old file could not be put back (it stays there)."""
    old = staging / "old"
    if old.is_dir() and any(old.iterdir()):
        return
    shutil.rmtree(staging, ignore_errors=True)
