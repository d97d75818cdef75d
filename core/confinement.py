"""The one rule for an app kept to a folder: a path may be used when it resolves inside it.

A browser tab served by ``python -m tui --serve`` may use one folder. Every path it would
read or write goes through ``confine``: a path the user types, a CSV file a preset or a
saved session names, a preset file in the folder (a link may point anywhere). ``..``, ``~``
and symbolic links are resolved first (``os.path.realpath``), so none of them leads out.

A path outside is refused with the same words whether or not anything is there, so the
answer never tells what exists outside the folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .text import shown_path


class OutsideFolder(ValueError):
    """A path that is not inside the folder the app may use; its message is one line."""


def confine(path: str | Path, root: str | Path, *, base: str | Path | None = None,
            also: Iterable[str | Path] = ()) -> Path:
    """The absolute, resolved path that ``path`` names, when it is inside the folder ``root``
    (or inside one of the folders ``also``: read-only places such as the built-in presets).

    A relative ``path`` starts from ``base`` (default: ``root``); ``~`` is a home folder.
    Raises ``OutsideFolder`` with a one-line message naming ``root`` when the path resolves
    outside, names an unknown ``~user``, holds a NUL character or ends in a symbolic link
    loop. ``root`` itself is inside.
    """
    text = os.fspath(path)
    folder = os.path.realpath(root)
    outside = OutsideFolder(f"{shown_path(text)}: outside the folder this app may use; "
                            f"choose a file in {folder}")
    if text.startswith("~"):
        expanded = os.path.expanduser(text)
        if expanded.startswith("~"):          # ~name of a user the system does not know
            raise outside
        text = expanded
    try:
        resolved = os.path.realpath(os.path.join(base if base is not None else folder, text))
        folders = [folder, *(os.path.realpath(place) for place in also)]
    except ValueError as error:               # a NUL character
        raise OutsideFolder(f"{shown_path(text)}: cannot be used here ({error}); "
                            f"choose a file in {folder}") from None
    inside = next((place for place in folders if _within(resolved, place)), None)
    if inside is None:
        raise outside
    if _through_loop(resolved, inside):
        raise OutsideFolder(f"{shown_path(text)}: cannot be used here (a symbolic link "
                            f"loop); choose a file in {folder}")
    return Path(resolved)


def is_inside(path: str | Path, root: str | Path) -> bool:
    """Whether ``path`` (absolute, or relative to ``root``) resolves inside ``root``."""
    try:
        confine(path, root)
    except OutsideFolder:
        return False
    return True


def _within(resolved: str, folder: str) -> bool:
    """Whether the resolved path ``resolved`` is ``folder`` or below it."""
    return os.path.commonpath([resolved, folder]) == folder


def _through_loop(resolved: str, folder: str) -> bool:
    """Whether ``resolved`` (inside ``folder``) still goes through a symbolic link: one
    ``os.path.realpath`` could not resolve, a loop."""
    current = folder
    for part in Path(os.path.relpath(resolved, folder)).parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            return True
    return False
