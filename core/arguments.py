"""What the two command lines (``python -m core`` and ``python -m tui``) share: a parser whose
usage errors are one short line, the argument types both take, and that line's wording.

An argument may be anything a shell passes: 100,000 characters, escape sequences, a number
with 10,000 digits. ``error_line`` is what either command line prints for bad input, one line
that quotes at most a short excerpt of any argument.
"""

from __future__ import annotations

import argparse
import re

from .engine.optimizers import parse_learning_rate
from .text import EXCERPT_CHARS, clean, excerpt, quoted

MAX_ERROR_CHARS = 300
"""The longest error line either command line prints, in characters (``error: `` included)."""
_LONG_QUOTE = re.compile(rf"'([^']{{{EXCERPT_CHARS + 2},}})'")
_LONG_WORD = re.compile(rf"\S{{{4 * EXCERPT_CHARS + 2},}}")   # longer than a shown path


class BadArgument(ValueError):
    """Input on the command line the user can fix: one ``error:`` line and exit code 2."""


class CommandLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors raise ``BadArgument`` (the caller prints one
    ``error_line``) instead of printing the usage and exiting."""

    def error(self, message: str):  # type: ignore[override]
        """A usage error: raised, to be reported like every other bad argument."""
        raise BadArgument(message)


def error_line(message: str) -> str:
    """``error: message`` on one line of at most ``MAX_ERROR_CHARS`` characters: control
    characters removed, a long quoted value or word cut to an excerpt."""
    text = " ".join(clean(str(message), lines=True).split())
    text = _LONG_QUOTE.sub(lambda match: quoted(match.group(1)), text)
    text = _LONG_WORD.sub(lambda match: excerpt(match.group(0)), text)
    return excerpt("error: " + text, MAX_ERROR_CHARS - 1)


def whole_number(minimum: int, maximum: int | None = None, expected: str | None = None):
    """An argparse type taking a whole number from ``minimum`` to ``maximum`` (no bound when
    None); its error says "expected ``expected``" (by default the range)."""
    if expected is None:
        expected = (f"a whole number >= {minimum:,}" if maximum is None
                    else f"a whole number from {minimum:,} to {maximum:,}")

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:      # also a number of more than 4,300 digits
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {quoted(text)}")
        return value
    return parse


def learning_rate(text: str) -> float:
    """An argparse type taking a learning rate (``parse_learning_rate``)."""
    try:
        return parse_learning_rate(text)
    except ValueError as error:     # "learning_rate: expected ...": argparse names --lr
        raise argparse.ArgumentTypeError(str(error).removeprefix("learning_rate: ")) from None
