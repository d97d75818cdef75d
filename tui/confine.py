"""The one folder a served app may use: every file it opens, saves, exports or lists, and
every file a preset or a saved session names, must be inside.

A browser tab is a door into the machine that serves it, so ``python -m tui --serve`` gives
each tab one folder (``--files DIR``, or a new folder per tab): the app's ``files_root``.
The rule is the core's (``core.confinement``), so that a path typed in a dialog and a CSV
path written in a preset are held to the same check: resolved against that folder, ``..``,
``~`` and symbolic links followed, and refused with one line, the same whether or not
anything is there, when it ends up outside.
"""

from __future__ import annotations

from core.confinement import OutsideFolder, confine, is_inside

__all__ = ["OutsideFolder", "confine", "is_inside"]
