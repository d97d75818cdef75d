"""Text that came from a file, made safe to show: control characters removed, long text cut.

A preset's title, a CSV file's column names or a cell quoted in an error are whatever the
file says: terminal escape sequences, bells, 100,000 characters. ``clean`` keeps what
prints; ``excerpt`` is what an error message quotes. ``quiet_float_warnings`` keeps numpy's own
warnings from the user.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable

EXCERPT_CHARS = 40
"""The most characters of a file's text an error message quotes."""
SUGGESTIBLE_CHARS = 64
"""Names longer than this are neither corrected nor suggested (did you mean)."""

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"                 # CSI: colours, cursor moves
    r"|\x1b[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, PM, APC, SOS strings
    r"|\x1b[ -/]*[0-~]?"                       # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"                  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n]")


def clean(text: str, lines: bool = False) -> str:
    """``text`` without terminal escape sequences and control characters (bidirectional
    overrides too); tabs and line breaks become spaces unless ``lines`` keeps them."""
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return text if lines else _LINE_BREAKS.sub(" ", text)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` cleaned and cut to ``limit`` characters, with "…" where it was cut."""
    text = clean(str(text))
    return text if len(text) <= limit else text[:limit] + "…"


def shown_path(path, limit: int = 4 * EXCERPT_CHARS) -> str:
    """A path for a message: whole if short, else "…" and its last ``limit`` characters
    (where the file's name is)."""
    text = clean(str(path))
    return text if len(text) <= limit else "…" + text[-limit:]


def quoted(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``excerpt(text)`` in quotes, as an error message names a value: ``'abc…'``."""
    return repr(excerpt(text, limit))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the choice closest to ``value``, or nothing. Names longer
    than ``SUGGESTIBLE_CHARS`` are left out (comparing long strings is slow and says
    nothing)."""
    if not isinstance(value, str) or len(value) > SUGGESTIBLE_CHARS:
        return ""
    short = [choice for choice in choices if len(choice) <= SUGGESTIBLE_CHARS]
    close = difflib.get_close_matches(value, short, n=1)
    return f"; did you mean {quoted(close[0])}?" if close else ""


def quiet_float_warnings() -> None:
    """Keep numpy's floating-point warnings (overflow, invalid value) from the user: the
    program checks what goes non-finite itself (training stops as diverged, a check fails,
    a file is refused) and says so in its own words."""
    warnings.filterwarnings("ignore", r"(overflow|underflow|invalid value|divide by zero) "
                                      r"encountered", RuntimeWarning)
