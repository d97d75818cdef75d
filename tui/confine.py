"""The one folder a served app may use: every file it opens, saves or exports must be inside.

A browser tab is a door into the machine that serves it, so ``python -m tui --serve`` gives
each tab one folder (``--files DIR``, or a new folder per tab) and every path a user types is
checked here: resolved against that folder, ``..`` and symbolic links followed, and refused
with a one-line reason when it ends up outside.
"""

from __future__ import annotations

from pathlib import Path


class OutsideFolder(ValueError):
    """A path that is not inside the folder the app may use; its message is one line."""


def confine(path: str | Path, root: str | Path) -> Path:
    """The absolute, resolved path that ``path`` names inside the folder ``root``.

    A relative ``path`` is relative to ``root``; ``~`` is the home folder (so outside, as a
    rule). ``..`` and symbolic links are resolved before the check, so neither can lead out
    of ``root``. Raises ``OutsideFolder`` with a one-line message when the path is outside
    ``root`` or cannot be resolved. ``root`` itself is inside.
    """
    text = str(path)
    base = Path(root).resolve()
    try:
        candidate = Path(text).expanduser() if text.startswith("~") else Path(text)
        resolved = (base / candidate).resolve()
    except (OSError, RuntimeError, ValueError) as error:
        # an unknown ~user, a symbolic link loop, a NUL byte
        reason = " ".join(str(getattr(error, "strerror", None) or error).split())
        raise OutsideFolder(f"{_shown(text)}: cannot be used here ({reason}); "
                            f"choose a file in {base}") from None
    if resolved != base and not resolved.is_relative_to(base):
        raise OutsideFolder(f"{_shown(text)}: outside the folder this app may use; "
                            f"choose a file in {base}")
    return resolved


def _shown(text: str) -> str:
    """``text`` on one line, shortened if it is long, to quote in a message."""
    one_line = text.replace("\n", " ").replace("\r", " ")
    return one_line if len(one_line) <= 80 else one_line[:77] + "..."
