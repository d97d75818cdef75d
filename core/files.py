"""Safe file reads and writes.

Reads: only a regular file is read, and only up to a size limit; a folder, a named pipe or
a device is refused at once (opening never waits), and so is a file larger than the limit.

Writes: a file is replaced whole or not at all, and never overwritten unasked. The content
goes to a temporary file in the target's own folder, which then replaces the target in one
``os.replace``; a write that fails leaves the old file (or no file) behind. Only a regular
file is ever replaced.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMPORARY_SUFFIX_BYTES = 14
"""What a temporary file's name adds to its target's: ``.`` before, ``.1234abcd.tmp`` after."""


class NotRegularFile(OSError):
    """A path that names a named pipe, a device or a socket, not a regular file."""

    def __init__(self, path: Path | str, mode: int) -> None:
        kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", str(path))


class FileTooLarge(OSError):
    """A file larger than what may be read of it."""

    def __init__(self, path: Path | str, size: int | None, limit: int) -> None:
        got = f"{size:,} bytes" if size is not None else "more"
        super().__init__(errno.EFBIG, f"too large: {got}, at most {size_text(limit)}", str(path))


def size_text(size: int) -> str:
    """A size limit as people read it: ``16 MiB``, ``1 KiB``, ``100 bytes``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size:,} bytes"


def _checked(path: Path | str, status: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(status.st_mode):
        raise NotRegularFile(path, status.st_mode)
    if status.st_size > limit:
        raise FileTooLarge(path, status.st_size, limit)


class _Bounded(io.RawIOBase):
    """A file read only within its first ``limit`` bytes: reading past them raises
    ``FileTooLarge`` (for a file that grows while it is read, or says it is smaller than it
    is)."""

    def __init__(self, raw: io.FileIO, path: Path | str, limit: int) -> None:
        self._raw, self._path, self._limit = raw, path, limit

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer) -> int:
        count = self._raw.readinto(buffer)
        if count and self._raw.tell() > self._limit:
            raise FileTooLarge(self._path, None, self._limit)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_regular(path: Path | str, limit: int) -> BinaryIO:
    """The regular file ``path`` opened to read in binary, at most ``limit`` bytes of it.

    Raises ``IsADirectoryError`` for a folder, ``NotRegularFile`` for a named pipe, a device
    or a socket (without opening it, so without waiting for a writer), ``FileTooLarge`` for
    a file over ``limit`` bytes, and any other ``OSError`` as the system reports it.
    """
    _checked(path, os.stat(path), limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)      # O_NONBLOCK: a pipe swapped in is not waited on
    try:
        _checked(path, os.fstat(descriptor), limit)
        raw = io.FileIO(descriptor, "rb", closefd=True)
    except BaseException:
        os.close(descriptor)
        raise
    return io.BufferedReader(_Bounded(raw, path, limit))


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (``open_regular`` says what is refused)."""
    with open_regular(path, limit) as file:
        return file.read()


class WouldOverwrite(FileExistsError):
    """The target file exists and the caller did not allow overwriting it (the UI asks)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; not overwritten")
        self.path = path


def atomic_write(path: Path | str, write: Callable[[BinaryIO], None],
                 overwrite: bool = False) -> Path:
    """Create or replace the file ``path`` with what ``write`` puts into a binary file.

    Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is false,
    ``FileNotFoundError`` if its folder does not exist, and ``NotRegularFile`` or
    ``IsADirectoryError`` if ``path`` names something other than a regular file (a named
    pipe or a device is never replaced). Returns the path written.
    """
    path = Path(path)
    check_replaceable(path)
    if not overwrite and path.exists():
        raise WouldOverwrite(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: no folder {path.parent}")
    temporary = path.with_name(_temporary_name(path))
    try:
        with open(temporary, "xb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        if not overwrite and path.exists():
            raise WouldOverwrite(path)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def check_replaceable(path: Path | str) -> bool:
    """Whether ``path`` holds a regular file (True) or nothing (False); raises
    ``IsADirectoryError`` or ``NotRegularFile`` for anything else there."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    _checked(path, status, status.st_size)
    return True


def _temporary_name(path: Path) -> str:
    """A hidden name beside ``path`` for its temporary file, within the folder's name length
    limit (a target name at that limit is shortened)."""
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    name, room = path.name, max(1, limit - TEMPORARY_SUFFIX_BYTES)
    while len(os.fsencode(name)) > room:     # whole characters only
        name = name[:-1]
    return f".{name}.{secrets.token_hex(4)}.tmp"


def write_text(path: Path | str, text: str, overwrite: bool = False) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see ``atomic_write``)."""
    return atomic_write(path, lambda file: file.write(text.encode("utf-8")), overwrite)
