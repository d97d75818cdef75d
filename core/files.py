"""Safe file writes: a file is replaced whole or not at all, and never overwritten unasked.

The content goes to a temporary file in the target's own folder, which then replaces the
target in one ``os.replace``; a write that fails leaves the old file (or no file) behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


class WouldOverwrite(FileExistsError):
    """The target file exists and the caller did not allow overwriting it (the UI asks)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; not overwritten")
        self.path = path


def atomic_write(path: Path | str, write: Callable[[BinaryIO], None],
                 overwrite: bool = False) -> Path:
    """Create or replace the file ``path`` with what ``write`` puts into a binary file.

    Raises ``WouldOverwrite`` if the file exists and ``overwrite`` is false, and
    ``FileNotFoundError`` if its folder does not exist. Returns the path written.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise WouldOverwrite(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: no folder {path.parent}")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
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


def write_text(path: Path | str, text: str, overwrite: bool = False) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see ``atomic_write``)."""
    return atomic_write(path, lambda file: file.write(text.encode("utf-8")), overwrite)
