"""Reading a path typed in a dialog: ``~`` expanded, and what is there, with a one-line
reason instead of an exception when the system cannot tell (a name too long, an unknown
``~user``)."""

from __future__ import annotations

from pathlib import Path


def typed_path(text: str) -> Path:
    """The path in ``text``, ``~`` expanded; ValueError with the reason if it names none."""
    try:
        return Path(text).expanduser()
    except RuntimeError:                  # ~name of a user the system does not know
        raise ValueError(f"No home folder for {text.split('/')[0]}.") from None


def what_is_at(path: Path) -> str:
    """What is at ``path``: "folder", "file" or "nothing"; ValueError with the reason if the
    system cannot tell."""
    try:
        if path.is_dir():
            return "folder"
        return "file" if path.exists() else "nothing"
    except OSError as error:
        raise ValueError(f"This path cannot be used: {error.strerror or error}.") from None


def current_folder() -> Path:
    """The current folder, or the home folder if the current one was deleted."""
    try:
        return Path.cwd()
    except OSError:
        return Path.home()
